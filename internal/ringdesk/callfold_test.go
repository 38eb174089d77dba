package ringdesk_test

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/ringdesk/foldtest"
)

// foldIncrementally applies events one by one to a fold that goes through
// JSON between events, as the call row keeps it.
func foldIncrementally(t *testing.T, events []ringdesk.CallEvent) ringdesk.CallFacts {
	t.Helper()
	var stored []byte
	for _, e := range events {
		f := &ringdesk.CallFold{}
		if stored != nil {
			var err error
			if f, err = ringdesk.UnmarshalFold(stored); err != nil {
				t.Fatal(err)
			}
		}
		f.Apply(e)
		b, err := ringdesk.MarshalFold(f)
		if err != nil {
			t.Fatal(err)
		}
		stored = b
	}
	f, err := ringdesk.UnmarshalFold(stored)
	if err != nil {
		t.Fatal(err)
	}
	return f.Facts()
}

// TestFoldEqualsFullFold is the property the incremental fold rests on:
// over thousands of random calls whose notifications are lost, duplicated,
// shuffled and joined by calls report rows, folding one event at a time
// (through the stored JSON) gives exactly the facts of the full fold of all
// events, in every order tried.
func TestFoldEqualsFullFold(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i, evs := range foldtest.Calls(r, 3000) {
		want := foldtest.FullFold(evs)
		got := foldIncrementally(t, evs)
		if !sameFacts(got, want) {
			t.Fatalf("call %d: incremental fold differs from the full fold\n got %s\nwant %s\nevents %s", i, js(got), js(want), js(evs))
		}
		rev := slices.Clone(evs)
		slices.Reverse(rev)
		if again := foldIncrementally(t, rev); !sameFacts(again, want) {
			t.Fatalf("call %d: reversed order differs\n got %s\nwant %s", i, js(again), js(want))
		}
	}
}

// sameFacts compares facts as they are stored (JSON), so nil and empty
// lists are the same.
func sameFacts(a, b ringdesk.CallFacts) bool {
	return js(a) == js(b)
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func ptr(v int64) *int64 { return &v }

// TestFoldCallsReport: a calls report row folds like call_finished, a real
// call_finished overrides it in any arrival order, and the facts say what
// came from the report.
func TestFoldCallsReport(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	emp := &ringdesk.EmployeeRef{ID: 323402}
	started := ringdesk.CallEvent{Kind: ringdesk.CallStartedIn, Key: 1, StartTime: t0.Add(300 * time.Millisecond),
		ContactRaw: "79031112233", ContactPhone: "+79031112233", NotifiedAt: t0.Add(400 * time.Millisecond)}
	conv := ringdesk.CallEvent{Kind: ringdesk.CallConversation, Key: 2, AnswerTime: t0.Add(5300 * time.Millisecond),
		Employee: emp, NotifiedAt: t0.Add(5400 * time.Millisecond)}
	fin := ringdesk.CallEvent{Kind: ringdesk.CallFinishedKind, Key: 3, FinishTime: t0.Add(45300 * time.Millisecond),
		ConnectionTime: t0.Add(5300 * time.Millisecond), LastTalked: emp,
		Outcome: &ringdesk.CallOutcome{Wait: ptr(5), Talk: ptr(40), Total: ptr(45), FinishReason: "subscriber_disconnects",
			Recordings: []string{"https://m/1/aa/"}}}
	rep := ringdesk.CallEvent{Kind: ringdesk.CallReport, Key: 4, Direction: "in", StartTime: t0,
		FinishTime: t0.Add(45 * time.Second), ConnectionTime: t0.Add(5 * time.Second), LastTalked: emp,
		ContactRaw: "79031112233", ContactPhone: "+79031112233",
		Outcome: &ringdesk.CallOutcome{Wait: ptr(5), Talk: ptr(40), Total: ptr(45), FinishReason: "operator_disconnects",
			Recordings: []string{"https://m/1/bb/"}}}
	all := []ringdesk.CallEvent{started, conv, fin, rep}
	want := foldIncrementally(t, all)
	if want.FinishReason != "subscriber_disconnects" || want.Recordings[0] != "https://m/1/aa/" || want.Details.Recovered != "" ||
		!want.AnsweredAt.Equal(t0.Add(5300*time.Millisecond)) || !want.FinishedAt.Equal(t0.Add(45300*time.Millisecond)) {
		t.Errorf("with call_finished: %s, want call_finished's facts", js(want))
	}
	for _, p := range permutations(all) {
		if got := foldIncrementally(t, p); !sameFacts(got, want) {
			t.Fatalf("order %v: facts differ:\n got %s\nwant %s", kinds(p), js(got), js(want))
		}
	}
	// The report alone finishes the call, even without call_finished; the
	// answer time of the conversation is kept over the report's estimate.
	noFin := foldIncrementally(t, []ringdesk.CallEvent{rep, conv, started})
	if noFin.State != ringdesk.CallFinished || noFin.FinishReason != "operator_disconnects" || noFin.TalkSeconds != 40 ||
		!noFin.AnsweredAt.Equal(t0.Add(5300*time.Millisecond)) || noFin.Details.Recovered != ringdesk.RecoveredFinish ||
		noFin.EmployeeID == nil || *noFin.EmployeeID != emp.ID {
		t.Errorf("without call_finished: %s", js(noFin))
	}
	only := foldIncrementally(t, []ringdesk.CallEvent{rep})
	if only.State != ringdesk.CallFinished || only.Direction != ringdesk.DirectionIn || only.ContactPhone != "+79031112233" ||
		!only.AnsweredAt.Equal(t0.Add(5*time.Second)) || only.Details.Recovered != ringdesk.RecoveredCall || !only.StartedAt.Equal(t0) {
		t.Errorf("report only: %s", js(only))
	}
}

// TestFoldDuplicatesAndBadValues: an event applied twice changes nothing;
// unknown durations and a finish before the start are kept as unknown with
// a warning, never as another outcome.
func TestFoldDuplicatesAndBadValues(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	fin := ringdesk.CallEvent{Kind: ringdesk.CallFinishedKind, Key: 9, NotifiedAt: t0, StartTime: t0.Add(time.Minute),
		FinishTime: t0, ConnectionTime: t0.Add(70 * time.Second),
		Outcome:  &ringdesk.CallOutcome{Wait: ptr(10)},
		Warnings: []ringdesk.CallWarning{{Field: "talk_time_duration", Problem: ringdesk.WarnNegative, Value: "-5"}}}
	var f ringdesk.CallFold
	if !f.Apply(fin) || f.Apply(fin) {
		t.Fatal("first Apply must take the event, the second must see a duplicate")
	}
	c := f.Facts()
	if c.FinishedAt != nil || c.AnsweredAt == nil || c.Details.DurationKnown("talk") || !c.Details.DurationKnown("wait") {
		t.Errorf("facts %s: want no finish time, answered, talk unknown, wait known", js(c))
	}
	if got := len(c.Details.Warnings); got != 2 {
		t.Errorf("warnings %v, want the negative talk and the finish before the start", c.Details.Warnings)
	}
	var o ringdesk.Call
	o.CallFacts = c
	o.State = ringdesk.CallFinished
	if got := o.CallOutcome(); got != "answered" {
		t.Errorf("outcome %q, want answered: an unknown talk time is no missed call", got)
	}
}

func permutations(evs []ringdesk.CallEvent) [][]ringdesk.CallEvent {
	if len(evs) <= 1 {
		return [][]ringdesk.CallEvent{evs}
	}
	var out [][]ringdesk.CallEvent
	for i := range evs {
		rest := append(append([]ringdesk.CallEvent(nil), evs[:i]...), evs[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]ringdesk.CallEvent{evs[i]}, p...))
		}
	}
	return out
}

func kinds(evs []ringdesk.CallEvent) []ringdesk.CallEventKind {
	out := make([]ringdesk.CallEventKind, len(evs))
	for i, e := range evs {
		out[i] = e.Kind
	}
	return out
}

// BenchmarkFoldApply times merging one event into a stored fold: decode,
// apply, encode, as ingestion does for every event.
func BenchmarkFoldApply(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	calls := foldtest.Calls(r, 256)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		evs := calls[i%len(calls)]
		i++
		var stored []byte
		for _, e := range evs {
			f := &ringdesk.CallFold{}
			if stored != nil {
				f, _ = ringdesk.UnmarshalFold(stored)
			}
			f.Apply(e)
			stored, _ = ringdesk.MarshalFold(f)
		}
	}
}

var _ = reflect.DeepEqual

// TestFoldOutgoingAnsweredOnlyByTheClient: UIS may start the conversation
// of a click-to-call when the employee's phone picks up, before the client
// answers. A finished outgoing call is answered only when its finish says
// someone talked, whichever order the events came in.
func TestFoldOutgoingAnsweredOnlyByTheClient(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	emp := &ringdesk.EmployeeRef{ID: 7}
	started := ringdesk.CallEvent{Kind: ringdesk.CallStartedOut, Key: 1, NotifiedAt: t0, Employee: emp}
	early := ringdesk.CallEvent{Kind: ringdesk.CallConversation, Key: 2, NotifiedAt: t0.Add(3 * time.Second),
		AnswerTime: t0.Add(3 * time.Second), Employee: emp, Direction: "out"}
	noAnswer := ringdesk.CallEvent{Kind: ringdesk.CallFinishedKind, Key: 3, NotifiedAt: t0.Add(30 * time.Second), Direction: "out",
		FinishTime: t0.Add(30 * time.Second), Outcome: &ringdesk.CallOutcome{Wait: ptr(27), Talk: ptr(0), Total: ptr(30), FinishReason: "subscriber_not_responsible"}}
	answered := ringdesk.CallEvent{Kind: ringdesk.CallFinishedKind, Key: 4, NotifiedAt: t0.Add(60 * time.Second), Direction: "out",
		FinishTime: t0.Add(60 * time.Second), ConnectionTime: t0.Add(9 * time.Second), LastTalked: emp,
		Outcome: &ringdesk.CallOutcome{Wait: ptr(9), Talk: ptr(51), Total: ptr(60), FinishReason: "subscriber_disconnects"}}
	for _, p := range permutations([]ringdesk.CallEvent{started, early, noAnswer}) {
		f := foldIncrementally(t, p)
		c := ringdesk.Call{CallFacts: f}
		if c.AnsweredAt != nil || c.CallOutcome() != "no_answer" {
			t.Errorf("order %v: answered %v, outcome %q; want no answer", kinds(p), c.AnsweredAt, c.CallOutcome())
		}
	}
	for _, p := range permutations([]ringdesk.CallEvent{started, early, answered}) {
		f := foldIncrementally(t, p)
		c := ringdesk.Call{CallFacts: f}
		if c.AnsweredAt == nil || !c.AnsweredAt.Equal(t0.Add(9*time.Second)) || c.CallOutcome() != "answered" {
			t.Errorf("order %v: answered %v, outcome %q; want answered when the client did (09s)", kinds(p), c.AnsweredAt, c.CallOutcome())
		}
	}
	// Before the finish the call is in progress, not answered or missed.
	c := ringdesk.Call{CallFacts: foldIncrementally(t, []ringdesk.CallEvent{started, early})}
	if c.State != ringdesk.CallTalking || c.CallOutcome() != "" {
		t.Errorf("state %s outcome %q before the finish", c.State, c.CallOutcome())
	}
}

// TestFoldRecordingReady: recording_ready adds its talk's link to the
// call's recordings in any order, and alone it says the call is over
// without claiming an outcome (the finish or the calls report says that).
func TestFoldRecordingReady(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	ready := ringdesk.CallEvent{Kind: ringdesk.CallRecordingReady, Key: 5, NotifiedAt: t0.Add(2 * time.Minute),
		RecordingLink: "https://app.uiscom.ru/system/media/talk/1/bb/"}
	fin := ringdesk.CallEvent{Kind: ringdesk.CallFinishedKind, Key: 3, NotifiedAt: t0.Add(time.Minute), FinishTime: t0.Add(time.Minute),
		ConnectionTime: t0.Add(5 * time.Second), Outcome: &ringdesk.CallOutcome{Wait: ptr(5), Talk: ptr(55), Total: ptr(60),
			Recordings: []string{"https://app.uiscom.ru/system/media/talk/1/aa/"}}}
	alone := foldIncrementally(t, []ringdesk.CallEvent{ready})
	if alone.State != ringdesk.CallFinished || alone.Stage != 0 || alone.FinishedAt != nil || len(alone.Recordings) != 1 {
		t.Errorf("recording ready alone: %s", js(alone))
	}
	want := foldIncrementally(t, []ringdesk.CallEvent{fin, ready})
	if len(want.Recordings) != 2 || want.Recordings[0] != fin.Outcome.Recordings[0] || want.TalkSeconds != 55 {
		t.Errorf("with the finish: %s", js(want))
	}
	if got := foldIncrementally(t, []ringdesk.CallEvent{ready, fin, ready}); js(got) != js(want) {
		t.Errorf("order matters:\n got %s\nwant %s", js(got), js(want))
	}
}

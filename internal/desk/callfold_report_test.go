package desk

import (
	"reflect"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// permutations returns every order of evs.
func permutations(evs []FoldEvent) [][]FoldEvent {
	if len(evs) <= 1 {
		return [][]FoldEvent{evs}
	}
	var out [][]FoldEvent
	for i := range evs {
		rest := append(append([]FoldEvent(nil), evs[:i]...), evs[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]FoldEvent{evs[i]}, p...))
		}
	}
	return out
}

// TestFoldCallsReport: a calls report row folds like call_finished, a real
// call_finished overrides it in any arrival order, and the facts say what
// came from the report.
func TestFoldCallsReport(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	emp := int64(323402)
	started := FoldEvent{Key: "a", Event: uis.Event{Kind: uis.IncomingCallStarted, CallSessionID: 7, StartTime: t0.Add(300 * time.Millisecond),
		ContactPhoneNumber: "79031112233", NotificationTime: t0.Add(400 * time.Millisecond)}}
	conv := FoldEvent{Key: "b", Event: uis.Event{Kind: uis.ConversationStarted, CallSessionID: 7, AnswerTime: t0.Add(5300 * time.Millisecond),
		EmployeeID: &emp, NotificationTime: t0.Add(5400 * time.Millisecond)}}
	fin := FoldEvent{Key: "c", Event: uis.Event{Kind: uis.CallFinished, CallSessionID: 7, FinishTime: t0.Add(45300 * time.Millisecond),
		ConnectionTime: t0.Add(5300 * time.Millisecond), WaitTimeDuration: 5, TalkTimeDuration: 40, TotalTimeDuration: 45,
		FinishReason: "subscriber_disconnects", LastTalkedEmployeeID: &emp, RecordFileLinks: []string{"https://m/1/aa/"}}}
	rep := FoldEvent{Key: "d", Event: uis.Event{Kind: uis.ReportFinished, CallSessionID: 7, Direction: "in", StartTime: t0,
		FinishTime: t0.Add(45 * time.Second), ConnectionTime: t0.Add(5 * time.Second), WaitTimeDuration: 5, TalkTimeDuration: 40,
		TotalTimeDuration: 45, FinishReason: "operator_disconnects", LastTalkedEmployeeID: &emp, ContactPhoneNumber: "79031112233",
		RecordFileLinks: []string{"https://m/1/bb/"}}}

	all := FoldCall([]FoldEvent{started, conv, fin, rep}, "RU")
	if all.FinishReason != "subscriber_disconnects" || all.Recordings[0] != "https://m/1/aa/" || all.Details.Recovered != "" ||
		!all.AnsweredAt.Equal(t0.Add(5300*time.Millisecond)) || !all.FinishedAt.Equal(t0.Add(45300*time.Millisecond)) {
		t.Errorf("with call_finished: reason %q recordings %v recovered %q answered %v finished %v, want call_finished's",
			all.FinishReason, all.Recordings, all.Details.Recovered, all.AnsweredAt, all.FinishedAt)
	}
	for _, p := range permutations([]FoldEvent{started, conv, fin, rep}) {
		if got := FoldCall(p, "RU"); !reflect.DeepEqual(got, all) {
			t.Fatalf("order %v: facts differ:\n got %+v\nwant %+v", kinds(p), got, all)
		}
	}
	// The report alone finishes the call, even without call_finished; the
	// answer time of conversation_started is kept over the report's estimate.
	noFin := FoldCall([]FoldEvent{rep, conv, started}, "RU")
	if noFin.State != ringdesk.CallFinished || noFin.FinishReason != "operator_disconnects" || noFin.TalkSeconds != 40 ||
		!noFin.AnsweredAt.Equal(t0.Add(5300*time.Millisecond)) || noFin.Details.Recovered != ringdesk.RecoveredFinish ||
		noFin.EmployeeID == nil || *noFin.EmployeeID != emp {
		t.Errorf("without call_finished: %+v", noFin)
	}
	only := FoldCall([]FoldEvent{rep}, "RU")
	if only.State != ringdesk.CallFinished || only.Direction != ringdesk.DirectionIn || only.ContactPhone != "+79031112233" ||
		!only.AnsweredAt.Equal(t0.Add(5*time.Second)) || only.Details.Recovered != ringdesk.RecoveredCall || !only.StartedAt.Equal(t0) {
		t.Errorf("report only: %+v", only)
	}
}

func kinds(evs []FoldEvent) []uis.EventKind {
	out := make([]uis.EventKind, len(evs))
	for i, e := range evs {
		out[i] = e.Kind
	}
	return out
}

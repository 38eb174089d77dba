package ringdesk

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// CallFold is a call's events folded so far. A new event merges into it in
// one step (Apply) and the call's facts are read from it (Facts); the call
// row keeps it, so no earlier event is ever read again.
//
// The fold is order-free and idempotent: the same events applied in any
// order give the same facts, and applying an event twice changes nothing.
// That holds because every fact is chosen by a rule that does not depend on
// arrival: the latest word (of the event that ranks highest), the first
// word (lowest), the earliest time, or a union. An event outranks another by
// stage (started < conversation < finished), then a real call_finished over
// a calls report row, then notification time, answer time and the hash of
// its body. Each fact remembers which event gave it (an index into Events,
// which keeps every folded event's rank in arrival order).
type CallFold struct {
	Events []eventRank `json:"ev"`
	Stage  int         `json:"st,omitzero"`

	Dir        slot[string]  `json:"dir,omitzero"` // first word
	Contact    slot[contact] `json:"ct,omitzero"`  // latest word, as the rest
	Name       slot[string]  `json:"nm,omitzero"`
	Virtual    slot[string]  `json:"vn,omitzero"`
	ExternalID slot[string]  `json:"ex,omitzero"`
	ScenarioID slot[int64]   `json:"si,omitzero"`
	Scenario   slot[string]  `json:"sn,omitzero"`
	Region     slot[string]  `json:"rg,omitzero"`
	Source     slot[string]  `json:"so,omitzero"`
	Calling    slot[string]  `json:"cg,omitzero"`
	Called     slot[string]  `json:"cd,omitzero"`
	CommID     slot[int64]   `json:"cm,omitzero"`

	Start      int64 `json:"t0,omitzero"` // earliest start (µs since the epoch)
	ConvAnswer int64 `json:"ta,omitzero"` // earliest conversation start
	// FinAnswer is whether the highest finish says the call was answered,
	// and when it was connected (0: not said).
	FinAnswer slot[answer]       `json:"fa,omitzero"`
	Finished  slot[int64]        `json:"tf,omitzero"`
	Outcome   slot[*CallOutcome] `json:"oc,omitzero"`

	// Who is responsible for the call, by the rules in Facts.
	OutCaller slot[int64] `json:"oe,omitzero"` // placed the outgoing call (latest)
	ConvFirst slot[int64] `json:"c1,omitzero"` // answered first
	ConvLast  slot[int64] `json:"c2,omitzero"` // answered last
	FinTalk   slot[int64] `json:"f1,omitzero"` // the finish's last talker or answerer
	FinAny    slot[int64] `json:"f2,omitzero"` // the same, or the finish's employee

	Emps []foldEmployee `json:"em,omitzero"`
	From uint8          `json:"fr,omitzero"` // fromNotification | fromFinish | fromReport | fromRecording
	// Ready are the recordings recording_ready named (sorted, a set).
	Ready    []string      `json:"rr,omitzero"`
	Warnings []CallWarning `json:"wn,omitzero"`
}

// Where a call's events came from, for CallDetails.Recovered.
const (
	fromNotification = 1 << iota // any notification
	fromFinish                   // a real call_finished
	fromReport                   // a calls report row
	fromRecording                // a recording_ready notification
)

// maxFoldEvents bounds the events folded into one call: no real call has
// more than a few dozen (one conversation per answered leg). Later ones
// are kept raw but not folded, and the call says so.
const maxFoldEvents = 200

// maxReady bounds the recordings recording_ready may add to a call.
const maxReady = 50

// maxWarnings bounds the warnings kept on a call.
const maxWarnings = 20

// slot is a fact and the 1-based index of the event that gave it (0: unset).
type slot[T any] struct {
	V T   `json:"v,omitzero"`
	E int `json:"e,omitzero"`
}

type answer struct {
	Yes bool  `json:"y,omitzero"`
	At  int64 `json:"t,omitzero"`
}

type contact struct {
	Phone string `json:"p,omitzero"`
	Raw   string `json:"r,omitzero"`
}

type foldEmployee struct {
	ID       int64  `json:"id"`
	Name     string `json:"n,omitzero"`
	NameE    int    `json:"ne,omitzero"` // the event that named them (the first word)
	Answered bool   `json:"a,omitzero"`
	Talked   bool   `json:"t,omitzero"`
}

// eventRank orders a call's events; see CallFold.
type eventRank struct {
	Order uint8 // stage*2, +1 for a real call_finished
	At    int64 // notification time, µs
	Ans   int64 // answer time, µs
	Key   uint64
}

func (a eventRank) less(b eventRank) bool {
	switch {
	case a.Order != b.Order:
		return a.Order < b.Order
	case a.At != b.At:
		return a.At < b.At
	case a.Ans != b.Ans:
		return a.Ans < b.Ans
	}
	return a.Key < b.Key
}

// MarshalJSON writes a rank as a compact array.
func (a eventRank) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, "[%d,%d,%d,%d]", a.Order, a.At, a.Ans, a.Key), nil
}

// UnmarshalJSON reads the array MarshalJSON writes.
func (a *eventRank) UnmarshalJSON(b []byte) error {
	var v [4]json.Number
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o, err1 := strconv.ParseUint(string(v[0]), 10, 8)
	at, err2 := strconv.ParseInt(string(v[1]), 10, 64)
	ans, err3 := strconv.ParseInt(string(v[2]), 10, 64)
	key, err4 := strconv.ParseUint(string(v[3]), 10, 64)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return err
	}
	*a = eventRank{Order: uint8(o), At: at, Ans: ans, Key: key}
	return nil
}

func rankOf(e *CallEvent) eventRank {
	r := eventRank{Order: uint8(e.Kind.Stage() * 2), At: micro(e.NotifiedAt), Ans: micro(e.AnswerTime), Key: e.Key}
	if e.Kind == CallFinishedKind {
		r.Order++
	}
	return r
}

func micro(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicro(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// Apply merges one event into the fold and reports whether it was new (an
// event with the same rank was folded already: a duplicate).
func (f *CallFold) Apply(e CallEvent) bool {
	if e.Kind.Stage() == 0 && e.Kind != CallRecordingReady {
		return false
	}
	r := rankOf(&e)
	if slices.Contains(f.Events, r) {
		return false
	}
	if len(f.Events) >= maxFoldEvents {
		f.warn(CallWarning{Field: "events", Problem: WarnTooManyEvents})
		return true
	}
	f.Events = append(f.Events, r)
	a := applier{f: f, r: r, i: len(f.Events)}
	f.Stage = max(f.Stage, e.Kind.Stage())
	switch e.Kind {
	case CallReport:
		f.From |= fromReport
	case CallFinishedKind:
		f.From |= fromNotification | fromFinish
	case CallRecordingReady:
		f.From |= fromNotification | fromRecording
		if i, found := slices.BinarySearch(f.Ready, e.RecordingLink); e.RecordingLink != "" && !found && len(f.Ready) < maxReady {
			f.Ready = slices.Insert(f.Ready, i, e.RecordingLink)
		}
	default:
		f.From |= fromNotification
	}

	dir := e.Direction
	switch e.Kind {
	case CallStartedIn:
		dir = DirectionIn
	case CallStartedOut:
		dir = DirectionOut
	}
	if dir == DirectionIn || dir == DirectionOut {
		first(a, &f.Dir, dir)
	}
	if e.ContactRaw != "" {
		latest(a, &f.Contact, contact{Phone: e.ContactPhone, Raw: e.ContactRaw})
	}
	latestText(a, &f.Name, e.ContactName)
	latestText(a, &f.Virtual, e.VirtualNumber)
	latestText(a, &f.ExternalID, e.ExternalID)
	latestText(a, &f.Scenario, e.ScenarioName)
	latestText(a, &f.Region, e.RegionName)
	latestText(a, &f.Source, e.CallSource)
	latestText(a, &f.Calling, e.CallingNumber)
	latestText(a, &f.Called, e.CalledNumber)
	if e.ScenarioID != nil {
		latest(a, &f.ScenarioID, *e.ScenarioID)
	}
	if e.CommunicationID != 0 {
		latest(a, &f.CommID, e.CommunicationID)
	}
	if t := micro(firstTime(e.StartTime, e.NotifiedAt)); t != 0 && (f.Start == 0 || t < f.Start) {
		f.Start = t
	}

	if e.Employee != nil {
		f.employee(a, *e.Employee)
	}
	switch e.Kind {
	case CallStartedOut:
		if e.Employee != nil {
			latest(a, &f.OutCaller, e.Employee.ID)
		}
	case CallConversation:
		if t := micro(firstTime(e.AnswerTime, e.NotifiedAt)); t != 0 && (f.ConvAnswer == 0 || t < f.ConvAnswer) {
			f.ConvAnswer = t
		}
		if e.Employee != nil {
			f.mark(e.Employee.ID, true, true)
			first(a, &f.ConvFirst, e.Employee.ID)
			latest(a, &f.ConvLast, e.Employee.ID)
		}
	case CallReport, CallFinishedKind:
		f.finish(a, &e)
	}
	for _, w := range e.Warnings {
		f.warn(w)
	}
	return true
}

// finish folds what a finish says.
func (f *CallFold) finish(a applier, e *CallEvent) {
	out := e.Outcome
	if out == nil {
		out = &CallOutcome{}
	}
	latest(a, &f.Outcome, out)
	if t := micro(firstTime(e.FinishTime, e.NotifiedAt)); t != 0 {
		latest(a, &f.Finished, t)
	}
	// The highest finish says whether the call was answered: someone
	// talked (or, with the talk time unknown, the call was connected).
	ans := answer{At: micro(e.ConnectionTime)}
	if out.Talk != nil {
		ans.Yes = !out.IsLost && *out.Talk > 0
	} else {
		ans.Yes = !out.IsLost && ans.At != 0
	}
	latest(a, &f.FinAnswer, ans)
	for _, emp := range e.Employees {
		f.employee(a, emp)
	}
	for _, p := range []struct {
		ref    *EmployeeRef
		talked bool
	}{{e.FirstAnswered, false}, {e.LastAnswered, false}, {e.FirstTalked, true}, {e.LastTalked, true}} {
		if p.ref != nil {
			f.employee(a, *p.ref)
			f.mark(p.ref.ID, true, p.talked)
		}
	}
	talker := e.LastTalked
	if talker == nil {
		talker = e.LastAnswered
	}
	if talker != nil {
		latest(a, &f.FinTalk, talker.ID)
	} else {
		talker = e.Employee
	}
	if talker != nil {
		latest(a, &f.FinAny, talker.ID)
	}
}

func (f *CallFold) employee(a applier, r EmployeeRef) {
	if r.ID <= 0 {
		return
	}
	i := slices.IndexFunc(f.Emps, func(e foldEmployee) bool { return e.ID == r.ID })
	if i < 0 {
		f.Emps = append(f.Emps, foldEmployee{ID: r.ID})
		i = len(f.Emps) - 1
	}
	e := &f.Emps[i]
	if r.Name != "" && a.earlier(e.NameE) {
		e.Name, e.NameE = r.Name, a.i
	}
}

func (f *CallFold) mark(id int64, answered, talked bool) {
	for i := range f.Emps {
		if f.Emps[i].ID == id {
			f.Emps[i].Answered = f.Emps[i].Answered || answered
			f.Emps[i].Talked = f.Emps[i].Talked || talked
		}
	}
}

func (f *CallFold) warn(w CallWarning) {
	// Kept as the fold's JSON keeps it, so a fold read back from the call
	// row and one still in memory agree on which warnings they hold.
	w.Field, w.Problem, w.Value = ValidText(w.Field), ValidText(w.Problem), ValidText(w.Value)
	if slices.Contains(f.Warnings, w) || len(f.Warnings) >= maxWarnings {
		return
	}
	f.Warnings = append(f.Warnings, w)
}

// applier carries the rank of the event being applied and its index.
type applier struct {
	f *CallFold
	r eventRank
	i int
}

// later reports whether the event being applied outranks event e (or e is
// unset: 0, or out of range in a damaged fold).
func (a applier) later(e int) bool {
	return e <= 0 || e > len(a.f.Events) || a.f.Events[e-1].less(a.r)
}

// earlier reports whether the event being applied ranks below event e (or e is unset).
func (a applier) earlier(e int) bool {
	return e <= 0 || e > len(a.f.Events) || a.r.less(a.f.Events[e-1])
}

// latest sets s to v when the event being applied outranks the one that set it.
func latest[T any](a applier, s *slot[T], v T) {
	if a.later(s.E) {
		s.V, s.E = v, a.i
	}
}

// first sets s to v when the event being applied ranks below the one that set it.
func first[T any](a applier, s *slot[T], v T) {
	if a.earlier(s.E) {
		s.V, s.E = v, a.i
	}
}

func latestText(a applier, s *slot[string], v string) {
	if v != "" {
		latest(a, s, v)
	}
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// Facts reads the call's facts from the fold.
func (f *CallFold) Facts() CallFacts {
	c := CallFacts{
		Direction:          f.Dir.V,
		Stage:              f.Stage,
		ContactPhone:       f.Contact.V.Phone,
		ContactName:        f.Name.V,
		VirtualPhoneNumber: f.Virtual.V,
		ExternalID:         f.ExternalID.V,
		StartedAt:          fromMicro(f.Start),
	}
	if c.Direction == "" {
		c.Direction = DirectionIn
	}
	c.State = [...]string{CallRinging, CallRinging, CallTalking, CallFinished}[min(max(f.Stage, 0), 3)]
	if f.Stage == 0 && f.From&fromRecording != 0 {
		// Only a recording is known: the call is over, its outcome unknown
		// until call_finished or the calls report says it.
		c.State = CallFinished
	}
	d := &c.Details
	d.ContactRaw, d.ScenarioName, d.RegionName, d.CallSource = f.Contact.V.Raw, f.Scenario.V, f.Region.V, f.Source.V
	d.CallingPhoneNumber, d.CalledPhoneNumber, d.CommunicationID = f.Calling.V, f.Called.V, f.CommID.V
	if f.ScenarioID.E != 0 {
		id := f.ScenarioID.V
		d.ScenarioID = &id
	}
	switch {
	case f.From&fromReport != 0 && f.From&fromNotification == 0:
		d.Recovered = RecoveredCall
	case f.From&fromReport != 0 && f.From&fromFinish == 0:
		d.Recovered = RecoveredFinish
	}
	if at := f.answeredAt(c); at != 0 {
		t := fromMicro(at)
		c.AnsweredAt = &t
	}
	if f.Finished.E != 0 {
		t := fromMicro(f.Finished.V)
		c.FinishedAt = &t
	}
	if o := f.Outcome.V; o != nil {
		c.applyOutcome(o)
	}
	for _, link := range f.Ready {
		if !slices.Contains(c.Recordings, link) {
			c.Recordings = append(slices.Clip(c.Recordings), link)
		}
	}
	d.Warnings = slices.Clone(f.Warnings)
	if c.FinishedAt != nil && !c.StartedAt.IsZero() && c.FinishedAt.Before(c.StartedAt) {
		c.FinishedAt = nil
		d.Warnings = append(d.Warnings, CallWarning{Field: "finish_time", Problem: WarnFinishBeforeStart})
	}
	slices.SortFunc(d.Warnings, func(a, b CallWarning) int {
		return cmp.Compare(a.Field+"\x00"+a.Problem+"\x00"+a.Value, b.Field+"\x00"+b.Problem+"\x00"+b.Value)
	})

	c.EmployeeID = f.responsible(c)
	d.Employees = make([]CallEmployee, 0, len(f.Emps))
	for _, e := range f.Emps {
		d.Employees = append(d.Employees, CallEmployee{ID: e.ID, Name: e.Name, Answered: e.Answered, Talked: e.Talked})
	}
	slices.SortFunc(d.Employees, func(a, b CallEmployee) int { return cmp.Compare(a.ID, b.ID) })
	return c
}

// answeredAt is when the call was answered (0: it was not, or not yet).
// An incoming call is answered when an employee picks up: a conversation
// says so, else the finish. An outgoing call is answered only when the
// client answers, and only its finish can tell: UIS may start the
// conversation when the employee's phone picks up, before the client's
// rings, so a finished outgoing call is answered only if the finish says
// someone talked.
func (f *CallFold) answeredAt(c CallFacts) int64 {
	fin := f.FinAnswer.V
	if c.Direction != DirectionOut || f.Outcome.E == 0 {
		if f.ConvAnswer != 0 {
			return f.ConvAnswer
		}
		if fin.Yes {
			return fin.At
		}
		return 0
	}
	switch {
	case !fin.Yes:
		return 0
	case fin.At != 0:
		return fin.At
	case f.ConvAnswer != 0:
		return f.ConvAnswer
	}
	return f.Start // answered, but no time was sent
}

// responsible is the UIS employee a call belongs to: who placed an
// outgoing call (or, failing that, who took it); who talked last on an
// incoming one. A missed incoming call belongs to nobody.
func (f *CallFold) responsible(c CallFacts) *int64 {
	var s []slot[int64]
	if c.Direction == DirectionOut {
		s = []slot[int64]{f.OutCaller, f.ConvFirst, f.FinAny}
	} else if !c.IsLost {
		s = []slot[int64]{f.FinTalk, f.ConvLast}
	}
	for _, x := range s {
		if x.E != 0 {
			id := x.V
			return &id
		}
	}
	return nil
}

func (c *CallFacts) applyOutcome(o *CallOutcome) {
	c.IsLost, c.IsTransfer = o.IsLost, o.IsTransfer
	c.FinishReason, c.LostReason = o.FinishReason, o.LostReason
	d := &c.Details
	d.OperatorRating, d.LastOperationName, d.Tags = o.OperatorRating, o.LastOperationName, o.Tags
	d.FullRecording = o.FullRecording
	c.Recordings = o.Recordings
	for _, x := range []struct {
		name string
		v    *int64
		dst  *int64
	}{
		{"wait", o.Wait, &c.WaitSeconds}, {"talk", o.Talk, &c.TalkSeconds}, {"total", o.Total, &c.TotalSeconds},
		{"", o.CleanTalk, &d.CleanTalkSeconds}, {"", o.TotalWait, &d.TotalWaitSeconds}, {"", o.Postprocess, &d.PostprocessSeconds},
	} {
		switch {
		case x.v != nil:
			*x.dst = *x.v
		case x.name != "":
			d.UnknownDurations = append(d.UnknownDurations, x.name)
		}
	}
}

// MarshalFold encodes a fold for the call row.
func MarshalFold(f *CallFold) ([]byte, error) { return json.Marshal(f) }

// UnmarshalFold decodes a fold kept on a call row.
func UnmarshalFold(b []byte) (*CallFold, error) {
	f := &CallFold{}
	if err := json.Unmarshal(b, f); err != nil {
		return nil, fmt.Errorf("ringdesk: decode call fold: %w", err)
	}
	return f, nil
}

// ValidText returns s with each byte that is not part of valid UTF-8
// replaced by U+FFFD, as encoding/json writes such a string: text that
// goes through JSON and text that does not compare equal.
func ValidText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

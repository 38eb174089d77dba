// Package foldtest holds, for tests, the full fold of a call's events that
// Ringdesk used before the incremental fold (ringdesk.CallFold): sort every
// event of the call, then apply them one by one. It is the reference the
// incremental fold is proven equal to, over the random but realistic event
// sets that Calls generates (lost, duplicated and shuffled notifications,
// calls report rows).
package foldtest

import (
	"math/rand/v2"
	"sort"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// FullFold computes a call's facts from all its events the way Ringdesk
// did before CallFold, ported to ringdesk.CallEvent: events sorted by stage
// (a report row before a real call_finished), notification time, answer
// time and body key, then applied in that order, each later word
// overriding an earlier one.
func FullFold(events []ringdesk.CallEvent) ringdesk.CallFacts {
	evs := dedupe(events)
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.Kind.Stage() != b.Kind.Stage() {
			return a.Kind.Stage() < b.Kind.Stage()
		}
		if ar, br := a.Kind == ringdesk.CallReport, b.Kind == ringdesk.CallReport; ar != br {
			return ar
		}
		if !a.NotifiedAt.Equal(b.NotifiedAt) {
			return a.NotifiedAt.Before(b.NotifiedAt)
		}
		if !a.AnswerTime.Equal(b.AnswerTime) {
			return a.AnswerTime.Before(b.AnswerTime)
		}
		return a.Key < b.Key
	})
	var f ringdesk.CallFacts
	emps := employeeSet{}
	var talker *int64
	var fromReport, notified, finishNotified, answerFromReport bool
	var convAnswer *time.Time // the earliest conversation
	var finAnswered bool      // the last finish says someone talked
	var finAt time.Time       // and when it connected
	finished := false
	var warnings []ringdesk.CallWarning
	var unknown []string
	for _, e := range evs {
		switch e.Kind {
		case ringdesk.CallReport:
			fromReport = true
		case ringdesk.CallFinishedKind:
			notified, finishNotified = true, true
		default:
			notified = true
		}
		f.Stage = max(f.Stage, e.Kind.Stage())
		switch e.Kind {
		case ringdesk.CallStartedIn:
			f.Direction = ringdesk.DirectionIn
		case ringdesk.CallStartedOut:
			f.Direction = ringdesk.DirectionOut
		}
		if f.Direction == "" && (e.Direction == ringdesk.DirectionIn || e.Direction == ringdesk.DirectionOut) {
			f.Direction = e.Direction
		}
		if e.ContactRaw != "" {
			f.Details.ContactRaw, f.ContactPhone = e.ContactRaw, e.ContactPhone
		}
		setString(&f.ContactName, e.ContactName)
		setString(&f.VirtualPhoneNumber, e.VirtualNumber)
		setString(&f.ExternalID, e.ExternalID)
		setString(&f.Details.ScenarioName, e.ScenarioName)
		setString(&f.Details.RegionName, e.RegionName)
		setString(&f.Details.CallSource, e.CallSource)
		setString(&f.Details.CallingPhoneNumber, e.CallingNumber)
		setString(&f.Details.CalledPhoneNumber, e.CalledNumber)
		if e.ScenarioID != nil {
			id := *e.ScenarioID
			f.Details.ScenarioID = &id
		}
		if e.CommunicationID != 0 {
			f.Details.CommunicationID = e.CommunicationID
		}
		if t := firstTime(e.StartTime, e.NotifiedAt); !t.IsZero() && (f.StartedAt.IsZero() || t.Before(f.StartedAt)) {
			f.StartedAt = t.UTC()
		}
		if e.Employee != nil {
			emps.add(e.Employee.ID, e.Employee.Name)
		}
		switch e.Kind {
		case ringdesk.CallStartedOut:
			if e.Employee != nil {
				id := e.Employee.ID
				talker = &id
			}
		case ringdesk.CallConversation:
			at := firstTime(e.AnswerTime, e.NotifiedAt)
			if !at.IsZero() && (f.AnsweredAt == nil || at.Before(*f.AnsweredAt)) {
				t := at.UTC()
				f.AnsweredAt = &t
			}
			if !at.IsZero() && (convAnswer == nil || at.Before(*convAnswer)) {
				t := at.UTC()
				convAnswer = &t
			}
			if e.Employee != nil {
				id := e.Employee.ID
				emps.mark(id, true, true)
				if f.Direction != ringdesk.DirectionOut || talker == nil {
					talker = &id
				}
			}
		case ringdesk.CallReport:
			had := f.AnsweredAt != nil
			unknown = foldFinished(&f, e, emps, &talker)
			answerFromReport = !had && f.AnsweredAt != nil
		case ringdesk.CallFinishedKind:
			if answerFromReport {
				f.AnsweredAt, answerFromReport = nil, false
			}
			unknown = foldFinished(&f, e, emps, &talker)
		}
		if e.Kind.Stage() == 3 {
			o := e.Outcome
			if o == nil {
				o = &ringdesk.CallOutcome{}
			}
			finished, finAt = true, e.ConnectionTime.UTC()
			if o.Talk != nil {
				finAnswered = !o.IsLost && *o.Talk > 0
			} else {
				finAnswered = !o.IsLost && !e.ConnectionTime.IsZero()
			}
		}
		for _, w := range e.Warnings {
			if !contains(warnings, w) {
				warnings = append(warnings, w)
			}
		}
	}
	switch {
	case fromReport && !notified:
		f.Details.Recovered = ringdesk.RecoveredCall
	case fromReport && !finishNotified:
		f.Details.Recovered = ringdesk.RecoveredFinish
	}
	if f.Direction == "" {
		f.Direction = ringdesk.DirectionIn
	}
	if f.Direction == ringdesk.DirectionOut && finished {
		// Only the finish tells whether the client answered an outgoing call.
		switch f.AnsweredAt = nil; {
		case !finAnswered:
		case !e0(finAt):
			f.AnsweredAt = &finAt
		case convAnswer != nil:
			f.AnsweredAt = convAnswer
		default:
			t := f.StartedAt
			f.AnsweredAt = &t
		}
	}
	f.State = [...]string{ringdesk.CallRinging, ringdesk.CallRinging, ringdesk.CallTalking, ringdesk.CallFinished}[min(f.Stage, 3)]
	if f.IsLost && f.Direction == ringdesk.DirectionIn {
		talker = nil
	}
	f.EmployeeID = talker
	f.Details.Employees = emps.list()
	f.Details.UnknownDurations = unknown
	if f.FinishedAt != nil && !f.StartedAt.IsZero() && f.FinishedAt.Before(f.StartedAt) {
		f.FinishedAt = nil
		warnings = append(warnings, ringdesk.CallWarning{Field: "finish_time", Problem: ringdesk.WarnFinishBeforeStart})
	}
	sort.Slice(warnings, func(i, j int) bool {
		a, b := warnings[i], warnings[j]
		return a.Field+"\x00"+a.Problem+"\x00"+a.Value < b.Field+"\x00"+b.Problem+"\x00"+b.Value
	})
	f.Details.Warnings = warnings
	return f
}

func foldFinished(f *ringdesk.CallFacts, e ringdesk.CallEvent, emps employeeSet, talker **int64) []string {
	o := e.Outcome
	if o == nil {
		o = &ringdesk.CallOutcome{}
	}
	if t := firstTime(e.FinishTime, e.NotifiedAt); !t.IsZero() {
		t = t.UTC()
		f.FinishedAt = &t
	}
	if f.AnsweredAt == nil && !o.IsLost && !e.ConnectionTime.IsZero() && (o.Talk == nil || *o.Talk > 0) {
		t := e.ConnectionTime.UTC()
		f.AnsweredAt = &t
	}
	var unknown []string
	f.WaitSeconds, f.TalkSeconds, f.TotalSeconds = 0, 0, 0
	for _, d := range []struct {
		name string
		v    *int64
		dst  *int64
	}{{"wait", o.Wait, &f.WaitSeconds}, {"talk", o.Talk, &f.TalkSeconds}, {"total", o.Total, &f.TotalSeconds}} {
		if d.v == nil {
			unknown = append(unknown, d.name)
		} else {
			*d.dst = *d.v
		}
	}
	f.Details.CleanTalkSeconds, f.Details.TotalWaitSeconds, f.Details.PostprocessSeconds = deref(o.CleanTalk), deref(o.TotalWait), deref(o.Postprocess)
	f.IsLost, f.IsTransfer = o.IsLost, o.IsTransfer
	f.FinishReason, f.LostReason = o.FinishReason, o.LostReason
	f.Details.OperatorRating = o.OperatorRating
	f.Details.LastOperationName = o.LastOperationName
	f.Details.Tags = o.Tags
	f.Details.FullRecording = o.FullRecording
	f.Recordings = o.Recordings
	for _, emp := range e.Employees {
		emps.add(emp.ID, emp.Name)
	}
	for _, p := range []struct {
		ref    *ringdesk.EmployeeRef
		talked bool
	}{{e.FirstAnswered, false}, {e.LastAnswered, false}, {e.FirstTalked, true}, {e.LastTalked, true}} {
		if p.ref != nil {
			emps.add(p.ref.ID, p.ref.Name)
			emps.mark(p.ref.ID, true, p.talked)
		}
	}
	switch {
	case f.Direction == ringdesk.DirectionOut && *talker != nil:
	case e.LastTalked != nil:
		id := e.LastTalked.ID
		*talker = &id
	case e.LastAnswered != nil:
		id := e.LastAnswered.ID
		*talker = &id
	case f.Direction == ringdesk.DirectionOut && e.Employee != nil:
		id := e.Employee.ID
		*talker = &id
	}
	return unknown
}

func e0(t time.Time) bool { return t.IsZero() || t.Equal(time.Unix(0, 0)) }

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func contains(ws []ringdesk.CallWarning, w ringdesk.CallWarning) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

// dedupe drops events that are the same event (same kind, times and key).
func dedupe(events []ringdesk.CallEvent) []ringdesk.CallEvent {
	type id struct {
		kind    ringdesk.CallEventKind
		at, ans int64
		key     uint64
	}
	seen := map[id]bool{}
	var out []ringdesk.CallEvent
	for _, e := range events {
		k := id{e.Kind, e.NotifiedAt.UnixMicro(), e.AnswerTime.UnixMicro(), e.Key}
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

func setString(dst *string, v string) {
	if v != "" {
		*dst = v
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

type employeeSet map[int64]*ringdesk.CallEmployee

func (s employeeSet) add(id int64, name string) {
	if id <= 0 {
		return
	}
	e, ok := s[id]
	if !ok {
		e = &ringdesk.CallEmployee{ID: id}
		s[id] = e
	}
	if e.Name == "" {
		e.Name = name
	}
}

func (s employeeSet) mark(id int64, answered, talked bool) {
	if e, ok := s[id]; ok {
		e.Answered = e.Answered || answered
		e.Talked = e.Talked || talked
	}
}

func (s employeeSet) list() []ringdesk.CallEmployee {
	out := make([]ringdesk.CallEmployee, 0, len(s))
	for _, e := range s {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Calls returns n calls' events as a careless network would deliver them:
// each call is a realistic scenario (incoming answered, missed or
// transferred; outgoing answered or not), with some notifications lost,
// some sent twice, a calls report row for some, and every call's events
// shuffled. A call keeps at least one event.
func Calls(r *rand.Rand, n int) [][]ringdesk.CallEvent {
	out := make([][]ringdesk.CallEvent, n)
	for i := range out {
		evs := scenario(r)
		var kept []ringdesk.CallEvent
		for _, e := range evs {
			if r.IntN(5) == 0 {
				continue // lost
			}
			kept = append(kept, e)
			if r.IntN(5) == 0 {
				kept = append(kept, e) // sent twice
			}
		}
		if len(kept) == 0 {
			kept = append(kept, evs[r.IntN(len(evs))])
		}
		r.Shuffle(len(kept), func(a, b int) { kept[a], kept[b] = kept[b], kept[a] })
		out[i] = kept
	}
	return out
}

func ptr(v int64) *int64 { return &v }

func scenario(r *rand.Rand) []ringdesk.CallEvent {
	t0 := time.Date(2026, 11, 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000)*int(time.Millisecond), time.UTC)
	ms := func(d int) time.Duration { return time.Duration(d) * time.Millisecond }
	contact := []string{"79261234567", "89031112233", "+442079460958", "unknown", ""}[r.IntN(5)]
	e164 := map[string]string{"79261234567": "+79261234567", "89031112233": "+79031112233", "+442079460958": "+442079460958"}[contact]
	if e164 == "" {
		e164 = contact
	}
	names := []string{"", "Иванова Мария", "ООО \"Ромашка\""}
	emp := func() *ringdesk.EmployeeRef {
		id := int64(101 + r.IntN(4))
		return &ringdesk.EmployeeRef{ID: id, Name: []string{"", "Петров", "Смирнова"}[r.IntN(3)]}
	}
	base := ringdesk.CallEvent{ContactRaw: contact, ContactPhone: e164, ContactName: names[r.IntN(len(names))],
		VirtualNumber: "74951234567", CommunicationID: 900 + r.Int64N(5)}
	if contact == "" {
		base.ContactPhone = ""
	}
	ev := func(kind ringdesk.CallEventKind, at time.Duration) ringdesk.CallEvent {
		e := base
		e.Kind, e.Key, e.NotifiedAt = kind, r.Uint64(), t0.Add(at)
		if r.IntN(3) == 0 {
			e.ContactName = names[r.IntN(len(names))] // UIS knows the name better later, or not at all
		}
		if r.IntN(8) == 0 {
			e.Warnings = []ringdesk.CallWarning{{Field: []string{"tp_project", "operator_rating"}[r.IntN(2)], Problem: ringdesk.WarnUnreadable, Value: "{}"}}
		}
		return e
	}
	wait, talk := 2+r.IntN(30), r.IntN(300)
	dur := func(v int) *int64 {
		if r.IntN(10) == 0 {
			return nil // not sent
		}
		return ptr(int64(v))
	}
	finish := func(kind ringdesk.CallEventKind, dir string, lost bool, e *ringdesk.EmployeeRef, talked []*ringdesk.EmployeeRef) ringdesk.CallEvent {
		end := ms((wait + talk) * 1000)
		f := ev(kind, end+ms(200))
		if kind == ringdesk.CallReport {
			f.NotifiedAt = time.Time{} // report rows carry no notification time
			f.StartTime = t0
		}
		f.Direction, f.FinishTime, f.Employee = dir, t0.Add(end), e
		o := &ringdesk.CallOutcome{Wait: dur(wait), Talk: dur(talk), Total: dur(wait + talk), IsLost: lost,
			FinishReason: []string{"subscriber_disconnects", "operator_disconnects", "timeout", "subscriber_busy"}[r.IntN(4)],
			Tags:         [][]string{nil, {"VIP"}}[r.IntN(2)], Recordings: [][]string{nil, {"https://app.uiscom.ru/system/media/talk/1/ab/"}}[r.IntN(2)]}
		if lost {
			o.Talk = ptr(0)
		}
		if kind == ringdesk.CallReport {
			o.FinishReason = "operator_disconnects"
		}
		f.Outcome = o
		if !lost && talk > 0 {
			f.ConnectionTime = t0.Add(ms(wait * 1000))
		}
		if len(talked) > 0 {
			f.FirstTalked, f.LastTalked = talked[0], talked[len(talked)-1]
			f.FirstAnswered, f.LastAnswered = talked[0], talked[len(talked)-1]
			for _, t := range talked {
				f.Employees = append(f.Employees, *t)
			}
		}
		if lost {
			f.Employees = []ringdesk.EmployeeRef{*emp(), *emp()}
		}
		return f
	}
	conv := func(at int, e *ringdesk.EmployeeRef, dir string) ringdesk.CallEvent {
		c := ev(ringdesk.CallConversation, ms(at*1000+100))
		c.AnswerTime, c.Employee, c.Direction = t0.Add(ms(at*1000)), e, dir
		return c
	}
	var evs []ringdesk.CallEvent
	switch r.IntN(6) {
	case 0: // incoming, answered
		a := emp()
		st := ev(ringdesk.CallStartedIn, ms(100))
		st.StartTime = t0
		evs = []ringdesk.CallEvent{st, conv(wait, a, "in"), finish(ringdesk.CallFinishedKind, "in", false, a, []*ringdesk.EmployeeRef{a})}
	case 1: // incoming, missed
		st := ev(ringdesk.CallStartedIn, ms(100))
		st.StartTime = t0
		talk = 0
		evs = []ringdesk.CallEvent{st, finish(ringdesk.CallFinishedKind, "in", true, nil, nil)}
	case 2: // incoming, transferred
		a, b := emp(), emp()
		st := ev(ringdesk.CallStartedIn, ms(100))
		st.StartTime = t0
		fin := finish(ringdesk.CallFinishedKind, "in", false, b, []*ringdesk.EmployeeRef{a, b})
		fin.Outcome.IsTransfer = true
		evs = []ringdesk.CallEvent{st, conv(wait, a, "in"), conv(wait+talk/2, b, "in"), fin}
	case 3: // outgoing, answered
		a := emp()
		st := ev(ringdesk.CallStartedOut, ms(100))
		st.StartTime, st.Employee = t0, a
		evs = []ringdesk.CallEvent{st, conv(wait, a, "out"), finish(ringdesk.CallFinishedKind, "out", false, a, []*ringdesk.EmployeeRef{a})}
	case 4: // outgoing: UIS starts the talk when the employee picks up, the client does not answer
		a := emp()
		st := ev(ringdesk.CallStartedOut, ms(100))
		st.StartTime, st.Employee = t0, a
		early := conv(2, a, "out")
		talk = 0
		evs = []ringdesk.CallEvent{st, early, finish(ringdesk.CallFinishedKind, "out", false, a, nil)}
	default: // outgoing, not answered
		a := emp()
		st := ev(ringdesk.CallStartedOut, ms(100))
		st.StartTime, st.Employee = t0, a
		talk = 0
		evs = []ringdesk.CallEvent{st, finish(ringdesk.CallFinishedKind, "out", false, a, nil)}
	}
	if r.IntN(2) == 0 { // reconciliation found the call in the report
		last := evs[len(evs)-1]
		var talked []*ringdesk.EmployeeRef
		if last.LastTalked != nil {
			talked = []*ringdesk.EmployeeRef{last.FirstTalked, last.LastTalked}
		}
		rep := finish(ringdesk.CallReport, base.Direction, last.Outcome.IsLost, last.Employee, talked)
		rep.Direction = evs[0].Direction
		if evs[0].Kind == ringdesk.CallStartedOut {
			rep.Direction = ringdesk.DirectionOut
		} else {
			rep.Direction = ringdesk.DirectionIn
		}
		evs = append(evs, rep)
	}
	return evs
}

package desk

import (
	"sort"
	"time"

	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// FoldEvent is one stored event of a call: parsed, with the key that
// orders equal-stage events deterministically (the hash of its body, never
// its arrival order).
type FoldEvent struct {
	uis.Event
	Key string
}

// FoldCall computes a call's facts from all its events. It is pure: the
// same set of events gives the same facts in any arrival order, duplicates
// change nothing, and a later-stage event always wins over an earlier one.
func FoldCall(events []FoldEvent, region string) ringdesk.CallFacts {
	evs := append([]FoldEvent(nil), events...)
	sort.Slice(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.Kind.Stage() != b.Kind.Stage() {
			return a.Kind.Stage() < b.Kind.Stage()
		}
		if ar, br := a.Kind == uis.ReportFinished, b.Kind == uis.ReportFinished; ar != br {
			return ar // a real call_finished folds last: it has the final word
		}
		if !a.NotificationTime.Equal(b.NotificationTime) {
			return a.NotificationTime.Before(b.NotificationTime)
		}
		if !a.AnswerTime.Equal(b.AnswerTime) {
			return a.AnswerTime.Before(b.AnswerTime)
		}
		return a.Key < b.Key
	})
	var f ringdesk.CallFacts
	emps := employeeSet{}
	var talker *int64 // the employee of the latest conversation
	var fromReport, notified, finishNotified, answerFromReport bool
	for _, e := range evs {
		switch e.Kind {
		case uis.ReportFinished:
			fromReport = true
		case uis.CallFinished:
			notified, finishNotified = true, true
		default:
			notified = true
		}
		f.Stage = max(f.Stage, e.Kind.Stage())
		switch e.Kind {
		case uis.IncomingCallStarted:
			f.Direction = ringdesk.DirectionIn
		case uis.OutgoingCallStarted:
			f.Direction = ringdesk.DirectionOut
		}
		if f.Direction == "" && (e.Direction == ringdesk.DirectionIn || e.Direction == ringdesk.DirectionOut) {
			f.Direction = e.Direction
		}
		setString(&f.ContactName, e.ContactFullName)
		setString(&f.VirtualPhoneNumber, e.VirtualPhoneNumber)
		setString(&f.ExternalID, e.ExternalID)
		setString(&f.Details.ContactRaw, e.ContactPhoneNumber)
		setString(&f.Details.ScenarioName, e.ScenarioName)
		setString(&f.Details.RegionName, e.CPNRegionName)
		setString(&f.Details.CallSource, e.CallSource)
		setString(&f.Details.CallingPhoneNumber, e.CallingPhoneNumber)
		setString(&f.Details.CalledPhoneNumber, e.CalledPhoneNumber)
		if e.CommunicationID != 0 {
			f.Details.CommunicationID = e.CommunicationID
		}
		if t := firstTime(e.StartTime, e.NotificationTime); !t.IsZero() && (f.StartedAt.IsZero() || t.Before(f.StartedAt)) {
			f.StartedAt = t.UTC()
		}
		if e.EmployeeID != nil {
			emps.add(*e.EmployeeID, e.EmployeeFullName)
		}
		switch e.Kind {
		case uis.OutgoingCallStarted:
			if e.EmployeeID != nil {
				talker = e.EmployeeID
			}
		case uis.ConversationStarted:
			at := firstTime(e.AnswerTime, e.NotificationTime)
			if !at.IsZero() && (f.AnsweredAt == nil || at.Before(*f.AnsweredAt)) {
				t := at.UTC()
				f.AnsweredAt = &t
			}
			if e.EmployeeID != nil {
				emps.mark(*e.EmployeeID, true, true)
				if f.Direction != ringdesk.DirectionOut || talker == nil {
					talker = e.EmployeeID
				}
			}
		case uis.ReportFinished:
			had := f.AnsweredAt != nil
			foldFinished(&f, e.Event, emps, &talker)
			answerFromReport = !had && f.AnsweredAt != nil
		case uis.CallFinished:
			if answerFromReport {
				// The report's answer time is start + wait; call_finished's
				// connection time is the real one.
				f.AnsweredAt, answerFromReport = nil, false
			}
			foldFinished(&f, e.Event, emps, &talker)
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
	f.State = [...]string{ringdesk.CallRinging, ringdesk.CallRinging, ringdesk.CallTalking, ringdesk.CallFinished}[min(f.Stage, 3)]
	if f.IsLost && f.Direction == ringdesk.DirectionIn {
		talker = nil // a missed incoming call belongs to nobody; an unanswered outgoing one stays with its caller
	}
	f.EmployeeID = talker
	f.Details.Employees = emps.list()
	if p, err := phone.Normalize(f.Details.ContactRaw, region); err == nil {
		f.ContactPhone = p
	} else {
		f.ContactPhone = f.Details.ContactRaw
	}
	return f
}

// foldFinished applies call_finished, which carries the final word on
// durations, outcome, employees, tags and recordings.
func foldFinished(f *ringdesk.CallFacts, e uis.Event, emps employeeSet, talker **int64) {
	if t := firstTime(e.FinishTime, e.NotificationTime); !t.IsZero() {
		t = t.UTC()
		f.FinishedAt = &t
	}
	if f.AnsweredAt == nil && !e.IsLost && !e.ConnectionTime.IsZero() && e.TalkTimeDuration > 0 {
		t := e.ConnectionTime.UTC()
		f.AnsweredAt = &t
	}
	f.WaitSeconds, f.TalkSeconds, f.TotalSeconds = e.WaitTimeDuration, e.TalkTimeDuration, e.TotalTimeDuration
	f.Details.CleanTalkSeconds, f.Details.TotalWaitSeconds = e.CleanTalkTimeDuration, e.TotalWaitTimeDuration
	f.Details.PostprocessSeconds = e.PostprocessTimeDuration
	f.IsLost, f.IsTransfer = e.IsLost, e.IsTransfer
	f.FinishReason, f.LostReason = e.FinishReason, e.LostReason
	f.Details.OperatorRating = e.OperatorRating
	f.Details.LastOperationName = e.LastScenarioOperationName
	f.Details.Tags = e.TagNames
	f.Recordings = e.RecordFileLinks
	for i, id := range e.EmployeeIDs {
		name := ""
		if i < len(e.EmployeeFullNames) {
			name = e.EmployeeFullNames[i]
		}
		emps.add(id, name)
	}
	for _, p := range []struct {
		id             *int64
		name           string
		answer, talked bool
	}{
		{e.FirstAnsweredEmployeeID, e.FirstAnsweredEmployeeName, true, false},
		{e.LastAnsweredEmployeeID, e.LastAnsweredEmployeeName, true, false},
		{e.FirstTalkedEmployeeID, e.FirstTalkedEmployeeName, true, true},
		{e.LastTalkedEmployeeID, e.LastTalkedEmployeeName, true, true},
	} {
		if p.id != nil {
			emps.add(*p.id, p.name)
			emps.mark(*p.id, p.answer, p.talked)
		}
	}
	switch {
	case f.Direction == ringdesk.DirectionOut && *talker != nil:
		// The employee who placed an outgoing call keeps it.
	case e.LastTalkedEmployeeID != nil:
		*talker = e.LastTalkedEmployeeID
	case e.LastAnsweredEmployeeID != nil:
		*talker = e.LastAnsweredEmployeeID
	case f.Direction == ringdesk.DirectionOut && e.EmployeeID != nil:
		*talker = e.EmployeeID
	}
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

// employeeSet collects employees by id, keeping the first non-empty name.
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

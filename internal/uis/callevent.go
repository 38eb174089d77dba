package uis

import (
	"strconv"

	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// callEventKinds maps UIS's notifications (and Ringdesk's calls report
// rows) to the domain's kinds of call events.
var callEventKinds = map[EventKind]ringdesk.CallEventKind{
	IncomingCallStarted: ringdesk.CallStartedIn,
	OutgoingCallStarted: ringdesk.CallStartedOut,
	ConversationStarted: ringdesk.CallConversation,
	CallFinished:        ringdesk.CallFinishedKind,
	ReportFinished:      ringdesk.CallReport,
	RecordingReady:      ringdesk.CallRecordingReady,
}

// KindOf names the notification (or report row) a domain event kind stands for.
func KindOf(k ringdesk.CallEventKind) EventKind {
	for ek, ck := range callEventKinds {
		if ck == k {
			return ek
		}
	}
	return ""
}

// CallEvent turns a parsed notification or report row into the domain's
// call event; key identifies the body (see ringdesk.CallEvent.Key) and
// region is the country of numbers written without one. A duration below
// zero is kept as unknown, with a warning.
func (e Event) CallEvent(key uint64, region string) ringdesk.CallEvent {
	c := ringdesk.CallEvent{
		Kind: callEventKinds[e.Kind], Key: key,
		NotifiedAt: e.NotificationTime, StartTime: e.StartTime, AnswerTime: e.AnswerTime,
		ConnectionTime: e.ConnectionTime, FinishTime: e.FinishTime,
		Direction: e.Direction, ContactRaw: e.ContactPhoneNumber, ContactName: e.ContactFullName,
		VirtualNumber: e.VirtualPhoneNumber, ExternalID: e.ExternalID, ScenarioID: e.ScenarioID,
		ScenarioName: e.ScenarioName, RegionName: e.CPNRegionName, CallSource: e.CallSource,
		CallingNumber: e.CallingPhoneNumber, CalledNumber: e.CalledPhoneNumber, CommunicationID: e.CommunicationID,
		Employee:      employeeRef(e.EmployeeID, e.EmployeeFullName),
		FirstAnswered: employeeRef(e.FirstAnsweredEmployeeID, e.FirstAnsweredEmployeeName),
		LastAnswered:  employeeRef(e.LastAnsweredEmployeeID, e.LastAnsweredEmployeeName),
		FirstTalked:   employeeRef(e.FirstTalkedEmployeeID, e.FirstTalkedEmployeeName),
		LastTalked:    employeeRef(e.LastTalkedEmployeeID, e.LastTalkedEmployeeName),
		Warnings:      e.Warnings,
		RecordingLink: e.FileLink,
	}
	if c.Direction != ringdesk.DirectionIn && c.Direction != ringdesk.DirectionOut {
		c.Direction = ""
	}
	c.ContactPhone = e.ContactPhoneNumber
	if p, err := phone.Normalize(e.ContactPhoneNumber, region); err == nil {
		c.ContactPhone = p
	}
	for i, id := range e.EmployeeIDs {
		name := ""
		if i < len(e.EmployeeFullNames) {
			name = e.EmployeeFullNames[i]
		}
		if r := employeeRef(&id, name); r != nil {
			c.Employees = append(c.Employees, *r)
		}
	}
	if c.Kind.Stage() == 3 {
		c.Outcome = e.outcome(&c)
	}
	return c
}

func (e Event) outcome(c *ringdesk.CallEvent) *ringdesk.CallOutcome {
	o := &ringdesk.CallOutcome{
		IsLost: e.IsLost, IsTransfer: e.IsTransfer, FinishReason: e.FinishReason, LostReason: e.LostReason,
		OperatorRating: e.OperatorRating, LastOperationName: e.LastScenarioOperationName, Tags: e.TagNames,
		Recordings: e.RecordFileLinks, FullRecording: e.FullRecordFileLink,
	}
	for _, d := range []struct {
		field string
		v     *int64
		dst   **int64
	}{
		{"wait_time_duration", e.WaitTimeDuration, &o.Wait}, {"talk_time_duration", e.TalkTimeDuration, &o.Talk},
		{"total_time_duration", e.TotalTimeDuration, &o.Total}, {"clean_talk_time_duration", e.CleanTalkTimeDuration, &o.CleanTalk},
		{"total_wait_time_duration", e.TotalWaitTimeDuration, &o.TotalWait},
		{"postprocess_time_duration", e.PostprocessTimeDuration, &o.Postprocess},
	} {
		switch {
		case d.v == nil:
		case *d.v < 0:
			c.Warnings = append(c.Warnings, ringdesk.CallWarning{Field: d.field, Problem: ringdesk.WarnNegative,
				Value: strconv.FormatInt(*d.v, 10)})
		default:
			v := *d.v
			*d.dst = &v
		}
	}
	return o
}

func employeeRef(id *int64, name string) *ringdesk.EmployeeRef {
	if id == nil || *id <= 0 {
		return nil
	}
	return &ringdesk.EmployeeRef{ID: *id, Name: name}
}

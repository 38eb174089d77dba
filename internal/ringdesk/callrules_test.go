package ringdesk_test

import (
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

func TestPlaceCall(t *testing.T) {
	named := ringdesk.CallFacts{Direction: ringdesk.DirectionIn, ContactPhone: "+79261234567", ContactName: "Анна"}
	anon := ringdesk.CallFacts{Direction: ringdesk.DirectionOut, ContactPhone: "+79261234567"}
	noNumber := ringdesk.CallFacts{Direction: ringdesk.DirectionIn, ContactPhone: "anonymous"}
	tests := []struct {
		name string
		in   ringdesk.CallPlaceInput
		want ringdesk.CallPlacement
	}{
		{"new client and ticket", ringdesk.CallPlaceInput{Facts: named, ContactDisplay: "+7 926 123-45-67", Lang: "ru"},
			ringdesk.CallPlacement{ClientName: "Анна", ClientPhone: "+79261234567", Subject: "Входящий звонок: Анна (+7 926 123-45-67)",
				AutoSubject: ringdesk.CallSubject{Direction: "in", Who: "Анна (+7 926 123-45-67)"}}},
		{"unnamed caller in English", ringdesk.CallPlaceInput{Facts: anon, ContactDisplay: "+7 926 123-45-67", Lang: "en"},
			ringdesk.CallPlacement{ClientName: "+7 926 123-45-67", ClientPhone: "+79261234567", Subject: "Outgoing call to +7 926 123-45-67",
				AutoSubject: ringdesk.CallSubject{Direction: "out", Who: "+7 926 123-45-67"}}},
		{"no phone number: no lookup number", ringdesk.CallPlaceInput{Facts: noNumber, ContactDisplay: "anonymous", Lang: "en"},
			ringdesk.CallPlacement{ClientName: "anonymous", Subject: "Incoming call from anonymous",
				AutoSubject: ringdesk.CallSubject{Direction: "in", Who: "anonymous"}}},
		{"no number at all", ringdesk.CallPlaceInput{Facts: ringdesk.CallFacts{Direction: ringdesk.DirectionIn}, Lang: "en"},
			ringdesk.CallPlacement{ClientName: "—", Subject: "Incoming call from —",
				AutoSubject: ringdesk.CallSubject{Direction: "in", Who: "—"}}},
		{"known client, new ticket", ringdesk.CallPlaceInput{Facts: named, PhoneClient: 7, ContactDisplay: "x", Lang: "en"},
			ringdesk.CallPlacement{ClientID: 7, Subject: "Incoming call from Анна (x)",
				AutoSubject: ringdesk.CallSubject{Direction: "in", Who: "Анна (x)"}}},
		{"known client, open ticket reused", ringdesk.CallPlaceInput{Facts: named, PhoneClient: 7, OpenTicket: 70},
			ringdesk.CallPlacement{ClientID: 7, TicketID: 70}},
		{"clicked from a ticket", ringdesk.CallPlaceInput{Facts: anon, PhoneClient: 7, OpenTicket: 70,
			Request: &ringdesk.CallRequestRef{ID: 3, TicketID: ptr(90), TicketClientID: 9}},
			ringdesk.CallPlacement{RequestID: 3, ClientID: 9, TicketID: 90}},
		{"clicked on a client", ringdesk.CallPlaceInput{Facts: anon, PhoneClient: 7, OpenTicket: 80, ContactDisplay: "x", Lang: "en",
			Request: &ringdesk.CallRequestRef{ID: 3, ClientID: ptr(8)}},
			ringdesk.CallPlacement{RequestID: 3, ClientID: 8, TicketID: 80}},
		{"request without client or ticket", ringdesk.CallPlaceInput{Facts: anon, PhoneClient: 7, ContactDisplay: "x", Lang: "en",
			Request: &ringdesk.CallRequestRef{ID: 3}},
			ringdesk.CallPlacement{RequestID: 3, ClientID: 7, Subject: "Outgoing call to x",
				AutoSubject: ringdesk.CallSubject{Direction: "out", Who: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ringdesk.PlaceCall(tt.in); got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestTicketAfterCall(t *testing.T) {
	a, b := ptr(1), ptr(2)
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	answered := ringdesk.CallFacts{Direction: ringdesk.DirectionIn, Stage: 3, State: ringdesk.CallFinished, AnsweredAt: &at}
	outNoAnswer := ringdesk.CallFacts{Direction: ringdesk.DirectionOut, Stage: 3, State: ringdesk.CallFinished}
	ringing := ringdesk.CallFacts{Direction: ringdesk.DirectionIn, Stage: 1}
	missed := ringdesk.CallFacts{Direction: ringdesk.DirectionIn, Stage: 3, IsLost: true}
	outLost := ringdesk.CallFacts{Direction: ringdesk.DirectionOut, Stage: 3, IsLost: true}
	tests := []struct {
		name  string
		t     ringdesk.CallTicket
		f     ringdesk.CallFacts
		agent *int64
		want  ringdesk.CallTicketChange
	}{
		{"ringing leaves a new ticket new", ringdesk.CallTicket{Status: "new"}, ringing, nil,
			ringdesk.CallTicketChange{CallTicket: ringdesk.CallTicket{Status: "new"}}},
		{"answered opens and assigns, by the agent who answered", ringdesk.CallTicket{Status: "new"}, answered, a,
			ringdesk.CallTicketChange{CallTicket: ringdesk.CallTicket{Status: "open", Assignee: a, Held: a}, StatusFrom: "new", StatusBy: a, AssigneeChanged: true}},
		{"answered by nobody Ringdesk knows opens, by the system", ringdesk.CallTicket{Status: "new"}, answered, nil,
			ringdesk.CallTicketChange{CallTicket: ringdesk.CallTicket{Status: "open"}, StatusFrom: "new"}},
		{"an agent's unanswered outgoing call is their action", ringdesk.CallTicket{Status: "new"}, outNoAnswer, a,
			ringdesk.CallTicketChange{CallTicket: ringdesk.CallTicket{Status: "open", Assignee: a, Held: a}, StatusFrom: "new", StatusBy: a, AssigneeChanged: true}},
		{"an outgoing call nobody known placed leaves a new ticket new", ringdesk.CallTicket{Status: "new"}, outNoAnswer, nil,
			ringdesk.CallTicketChange{CallTicket: ringdesk.CallTicket{Status: "new"}}},
		{"an agent's own assignment is kept", ringdesk.CallTicket{Status: "open", Assignee: b}, answered, a,
			ringdesk.CallTicketChange{CallTicket: ringdesk.CallTicket{Status: "open", Assignee: b}}},
		{"telephony moves its own assignment", ringdesk.CallTicket{Status: "open", Assignee: b, Held: b}, answered, a,
			ringdesk.CallTicketChange{CallTicket: ringdesk.CallTicket{Status: "open", Assignee: a, Held: a}, AssigneeChanged: true, AssigneeFrom: b}},
		{"missed marks, leaves it new and takes back telephony's assignment", ringdesk.CallTicket{Status: "new", Assignee: a, Held: a}, missed, nil,
			ringdesk.CallTicketChange{CallTicket: ringdesk.CallTicket{Status: "new", Missed: true}, AssigneeChanged: true, AssigneeFrom: a}},
		{"missed keeps an agent's assignment", ringdesk.CallTicket{Status: "pending", Assignee: b}, missed, nil,
			ringdesk.CallTicketChange{CallTicket: ringdesk.CallTicket{Status: "pending", Assignee: b, Missed: true}}},
		{"an unanswered outgoing call is no missed call", ringdesk.CallTicket{Status: "open"}, outLost, a,
			ringdesk.CallTicketChange{CallTicket: ringdesk.CallTicket{Status: "open", Assignee: a, Held: a}, AssigneeChanged: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ringdesk.TicketAfterCall(tt.t, tt.f, tt.agent, nil)
			if js(got) != js(tt.want) {
				t.Errorf("got  %s\nwant %s", js(got), js(tt.want))
			}
			if want := js(got.CallTicket.Status) != js(tt.t.Status) || !sameAssignee(got.Assignee, tt.t.Assignee) ||
				got.Missed != tt.t.Missed; got.Changed(tt.t) != want {
				t.Errorf("Changed = %v, want %v", got.Changed(tt.t), want)
			}
		})
	}
}

func TestCallPolicyReuseSince(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	if _, ok := (ringdesk.CallPolicy{}).ReuseSince(now); ok {
		t.Error("a new ticket per call reuses nothing")
	}
	if since, ok := (ringdesk.CallPolicy{ReuseWithin: 2 * time.Hour}).ReuseSince(now); !ok || !since.Equal(now.Add(-2*time.Hour)) {
		t.Errorf("ReuseSince = %v, %v", since, ok)
	}
}

func sameAssignee(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

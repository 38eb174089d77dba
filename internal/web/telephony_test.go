package web_test

import (
	"context"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

const (
	ivanov  = int64(323401) // the simulator's default employees
	petrova = int64(323402)
	smirnov = int64(323403)
)

// ticketRow reads what the tests check of a ticket.
type ticketRow struct {
	status   string
	assignee *int64
	missed   bool
	clientID int64
}

func readTicket(t *testing.T, a *apptest.App, id int64) ticketRow {
	t.Helper()
	var r ticketRow
	var assignee *int64
	row := a.DB.QueryRowForTest(context.Background(), `SELECT status, assignee_id, missed, client_id FROM tickets WHERE id = $1`, id)
	if err := row.Scan(&r.status, &assignee, &r.missed, &r.clientID); err != nil {
		t.Fatalf("ticket %d: %v", id, err)
	}
	r.assignee = assignee
	return r
}

func TestCallScenariosBecomeTickets(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	agent := func(emp int64) *int64 { id := tel.Agents[emp].ID; return &id }

	cases := []struct {
		name         string
		spec         uissim.CallSpec
		direction    string
		lost         bool // UIS's is_lost
		missed       bool // the ticket is a missed call
		assignee     *int64
		employee     *int64
		recordings   bool
		finishReason string
	}{
		{name: "incoming answered", spec: uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79031112233", EmployeeIDs: []int64{petrova}, WaitSeconds: 5, TalkSeconds: 40},
			direction: "in", assignee: agent(petrova), employee: &[]int64{petrova}[0], recordings: true},
		{name: "incoming missed", spec: uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79031112244", WaitSeconds: 20},
			direction: "in", lost: true, missed: true},
		{name: "incoming transferred", spec: uissim.CallSpec{Kind: uissim.KindIncomingTransfer, ContactNumber: "79031112255", EmployeeIDs: []int64{ivanov, smirnov}, WaitSeconds: 3, TalkSeconds: 20, TransferTalkSeconds: 30},
			direction: "in", assignee: agent(smirnov), employee: &[]int64{smirnov}[0], recordings: true},
		{name: "outgoing answered", spec: uissim.CallSpec{Kind: uissim.KindOutgoing, ContactNumber: "79031112266", EmployeeIDs: []int64{ivanov}, Outcome: uissim.OutcomeAnswered, TalkSeconds: 15},
			direction: "out", assignee: agent(ivanov), employee: &[]int64{ivanov}[0], recordings: true},
		{name: "outgoing busy", spec: uissim.CallSpec{Kind: uissim.KindOutgoing, ContactNumber: "79031112277", EmployeeIDs: []int64{ivanov}, Outcome: "busy"},
			direction: "out", lost: true, assignee: agent(ivanov), employee: &[]int64{ivanov}[0], finishReason: "subscriber_busy"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			call := tel.Call(t, c.spec)
			if call.Direction != c.direction || call.State != ringdesk.CallFinished || call.IsLost != c.lost {
				t.Errorf("call = direction %s state %s lost %v, want %s finished %v", call.Direction, call.State, call.IsLost, c.direction, c.lost)
			}
			if call.ContactPhone != "+"+c.spec.ContactNumber {
				t.Errorf("contact_phone = %q", call.ContactPhone)
			}
			if (call.EmployeeID == nil) != (c.employee == nil) || (c.employee != nil && *call.EmployeeID != *c.employee) {
				t.Errorf("employee = %v, want %v", call.EmployeeID, c.employee)
			}
			if got := len(call.Recordings) > 0; got != c.recordings {
				t.Errorf("recordings = %v, want some: %v", call.Recordings, c.recordings)
			}
			if c.finishReason != "" && call.FinishReason != c.finishReason {
				t.Errorf("finish_reason = %q, want %q", call.FinishReason, c.finishReason)
			}
			if call.FinishedAt == nil || call.TotalSeconds == 0 {
				t.Errorf("finished_at %v total %d", call.FinishedAt, call.TotalSeconds)
			}
			tk := readTicket(t, a, call.TicketID)
			if (tk.assignee == nil) != (c.assignee == nil) || (c.assignee != nil && *tk.assignee != *c.assignee) {
				t.Errorf("ticket assignee = %v, want %v", tk.assignee, c.assignee)
			}
			// A missed call is nobody's action: the ticket stays New until
			// someone deals with it; an answered call opens it.
			wantStatus := "open"
			if c.missed {
				wantStatus = "new"
			}
			if tk.missed != c.missed || tk.status != wantStatus || tk.clientID != call.ClientID {
				t.Errorf("ticket = %+v, want %s, missed %v, client %d", tk, wantStatus, c.missed, call.ClientID)
			}
			cl, err := a.DB.ClientByID(context.Background(), call.ClientID)
			if err != nil || len(cl.Phones) != 1 || cl.Phones[0] != call.ContactPhone {
				t.Errorf("client = %+v %v", cl, err)
			}
		})
	}
}

package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestCallEmployeesSeenAndMapped: employees of calls map to agents by
// Operator ID; the UIS employee list keeps names (an empty name never
// erases one) and last-seen times to the minute, without a write per event.
func TestCallEmployeesSeenAndMapped(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ch, err := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: "uis", Name: "UIS"}, "", t0)
	if err != nil {
		t.Fatal(err)
	}
	op := int64(25)
	agent, err := db.CreateAgent(ctx, ringdesk.AgentCreate{Name: "Петров", Email: "p@example.com", Role: ringdesk.RoleAgent, OperatorID: &op}, "h", t0)
	if err != nil {
		t.Fatal(err)
	}
	session := int64(0)
	type result struct {
		agents map[int64]int64
		saved  *store.CallSaved
	}
	ingest := func(at time.Time, emps ...ringdesk.CallEmployee) result {
		t.Helper()
		session++
		facts := ringdesk.CallFacts{Direction: ringdesk.DirectionIn, State: "talking", Stage: 2, ContactPhone: "+7926123456" + strconv.FormatInt(session, 10),
			StartedAt: at, EmployeeID: &emps[0].ID, Details: ringdesk.CallDetails{Employees: emps}}
		var res result
		err := db.InCallTx(ctx, ch.ID, session, func(ctx context.Context, tx *store.CallTx) error {
			var err error
			if res.agents, err = db.OperatorAgents(ctx); err != nil {
				return err
			}
			res.saved, err = tx.SaveCall(ctx, &store.CallWrite{ChannelID: ch.ID, CallSessionID: session, Facts: facts, Fold: []byte(`{}`),
				Place:  ringdesk.CallPlacement{Subject: "call", ClientName: "client", ClientPhone: facts.ContactPhone},
				Ticket: ringdesk.CallTicketChange{CallTicket: ringdesk.CallTicket{Status: ringdesk.StatusOpen}},
				Kind:   "conversation_started", Stage: 2, DedupeKey: "k" + strconv.FormatInt(session, 10), Raw: []byte(`{}`), Now: at})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	unlinked := func() map[int64]*ringdesk.UISEmployee {
		t.Helper()
		list, err := db.UnlinkedEmployees(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]*ringdesk.UISEmployee{}
		for _, e := range list {
			out[e.EmployeeID] = e
		}
		return out
	}

	res := ingest(t0, ringdesk.CallEmployee{ID: 25, Name: "Петров"}, ringdesk.CallEmployee{ID: 31}, ringdesk.CallEmployee{ID: 40, Name: "Орлова"})
	if len(res.agents) != 1 || res.agents[25] != agent.ID || res.saved.CallID == 0 {
		t.Fatalf("mapping: agents %v, saved %+v", res.agents, res.saved)
	}
	u := unlinked()
	if len(u) != 2 || u[31].FullName != "" || !u[31].LastSeenAt.Equal(t0) || u[40].FullName != "Орлова" {
		t.Fatalf("after the first call: %+v", u)
	}

	// Ten seconds later: a name learnt is stored, an empty one keeps the
	// stored name, and an unchanged sighting within the minute is not written.
	ingest(t0.Add(10*time.Second), ringdesk.CallEmployee{ID: 31, Name: "Смирнова"}, ringdesk.CallEmployee{ID: 40})
	u = unlinked()
	if u[31].FullName != "Смирнова" || !u[31].LastSeenAt.Equal(t0.Add(10*time.Second)) ||
		u[40].FullName != "Орлова" || !u[40].LastSeenAt.Equal(t0) {
		t.Fatalf("ten seconds later: 31 %+v, 40 %+v", u[31], u[40])
	}
	// Over a minute later the time moves on; the name stays.
	ingest(t0.Add(2*time.Minute), ringdesk.CallEmployee{ID: 40})
	if u = unlinked(); u[40].FullName != "Орлова" || !u[40].LastSeenAt.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("two minutes later: %+v", u[40])
	}
	// An event that arrives late never moves the time back.
	ingest(t0.Add(30*time.Second), ringdesk.CallEmployee{ID: 40, Name: "Орлова-Петрова"})
	if u = unlinked(); u[40].FullName != "Орлова-Петрова" || !u[40].LastSeenAt.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("late event: %+v", u[40])
	}
}

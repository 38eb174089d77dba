package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

type liveCall struct {
	ID            int64  `json:"id"`
	Direction     string `json:"direction"`
	State         string `json:"state"`
	Missed        bool   `json:"missed"`
	ContactPhone  string `json:"contact_phone"`
	ClientName    string `json:"client_name"`
	AgentID       *int64 `json:"agent_id"`
	TicketID      int64  `json:"ticket_id"`
	ElapsedMS     int64  `json:"elapsed_ms"`
	RingingLeftMS int64  `json:"ringing_left_ms"`
}

// callUpdates reads call events until the call with session's state is
// final, returning the states seen in order.
func callUpdates(t *testing.T, s *apptest.SSE, want func(liveCall) bool) liveCall {
	t.Helper()
	for {
		ev, ok := s.Next("call", 20*time.Second)
		if !ok {
			t.Fatal("no matching call event within 20 s")
		}
		var c liveCall
		if err := json.Unmarshal([]byte(ev.Data), &c); err != nil {
			t.Fatalf("call event %q: %v", ev.Data, err)
		}
		if want(c) {
			return c
		}
	}
}

// TestLiveCallEvents: an agent's open page hears a call ring, get answered
// by the right agent and finish; a missed call arrives marked missed; the
// stream needs a login.
func TestLiveCallEvents(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	if r := a.Anon(t).Get(t, "/live"); r.StatusCode != http.StatusSeeOther && r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous /live: %d", r.StatusCode)
	}
	ag := tel.Agents[323402]
	s := a.Login(t, ag.Email, "agent-password-1").Stream(t, "/live")
	if _, ok := s.Next("snapshot", 10*time.Second); !ok {
		t.Fatal("no snapshot on connect")
	}

	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79161112233",
		ContactName: "Анна Смирнова", EmployeeIDs: []int64{323402}, WaitSeconds: 3, TalkSeconds: 20})
	first := callUpdates(t, s, func(l liveCall) bool { return l.ID == c.ID })
	if first.Direction != "in" || first.ContactPhone != "+79161112233" || first.ClientName != "Анна Смирнова" || first.TicketID != c.TicketID {
		t.Fatalf("first event %+v", first)
	}
	last := first
	if last.State != "finished" {
		last = callUpdates(t, s, func(l liveCall) bool { return l.ID == c.ID && l.State == "finished" })
	}
	if last.AgentID == nil || *last.AgentID != ag.ID || last.Missed {
		t.Fatalf("finished event %+v, want agent %d, not missed", last, ag.ID)
	}

	m := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79164445566", WaitSeconds: 5})
	missed := callUpdates(t, s, func(l liveCall) bool { return l.ID == m.ID && l.State == "finished" })
	if !missed.Missed || missed.AgentID != nil {
		t.Fatalf("missed call event %+v", missed)
	}

	// A page opened while a call rings gets it in the snapshot.
	id := tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79160001122", WaitSeconds: 60_000})
	ringing := callUpdates(t, s, func(l liveCall) bool { return l.State == "ringing" && l.ContactPhone == "+79160001122" })
	s2 := a.Admin(t).Stream(t, "/live")
	ev, ok := s2.Next("snapshot", 10*time.Second)
	if !ok {
		t.Fatal("no snapshot")
	}
	var snap struct{ Calls []liveCall }
	if err := json.Unmarshal([]byte(ev.Data), &snap); err != nil {
		t.Fatal(err)
	}
	if len(snap.Calls) != 1 || snap.Calls[0].ID != ringing.ID || snap.Calls[0].State != "ringing" {
		t.Fatalf("snapshot %+v, want the ringing call %d (session %d)", snap.Calls, ringing.ID, id)
	}

	// A call still "ringing" two minutes after its last event lost its
	// notifications: it no longer pops up on pages that open.
	a.Desk.SetClock(func() time.Time { return time.Now().Add(ringdesk.RingingQuiet + time.Second) })
	if got := snapshot(t, a.Admin(t)); len(got) != 0 {
		t.Errorf("snapshot two minutes after the last event: %+v, want no ringing call", got)
	}
}

// snapshot opens /live as c and returns the calls of its first event.
func snapshot(t *testing.T, c *apptest.Client) []liveCall {
	t.Helper()
	s := c.Stream(t, "/live")
	defer s.Close()
	ev, ok := s.Next("snapshot", 10*time.Second)
	if !ok {
		t.Fatal("no snapshot")
	}
	var snap struct{ Calls []liveCall }
	if err := json.Unmarshal([]byte(ev.Data), &snap); err != nil {
		t.Fatal(err)
	}
	return snap.Calls
}

// TestLiveRingingAfterRestart: Ringdesk stops while a call rings and its
// last notifications are lost. After a restart the call still pops up on
// pages that open within two minutes of its last event, with only the
// rest of those two minutes to ring; after that it never pops up again.
func TestLiveRingingAfterRestart(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	s := a.Admin(t).Stream(t, "/live")
	if _, ok := s.Next("snapshot", 10*time.Second); !ok {
		t.Fatal("no snapshot on connect")
	}
	tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79160008899", WaitSeconds: 86_400})
	ringing := callUpdates(t, s, func(l liveCall) bool { return l.State == "ringing" && l.ContactPhone == "+79160008899" })
	if ringing.RingingLeftMS < (ringdesk.RingingQuiet - 10*time.Second).Milliseconds() {
		t.Errorf("a call that has just rung has %d ms left, want about %s", ringing.RingingLeftMS, ringdesk.RingingQuiet)
	}
	s.Close()
	a.Stop()

	// The same database: PostgreSQL's schema, or SQLite's file in the data directory.
	b := apptest.New(t, func(c *app.Config, _ *app.Options) { c.DB, c.DataDir = a.Config.DB, a.Config.DataDir })
	b.Desk.SetClock(func() time.Time { return time.Now().Add(ringdesk.RingingQuiet - 20*time.Second) })
	got := snapshot(t, b.Admin(t))
	if len(got) != 1 || got[0].ID != ringing.ID || got[0].State != "ringing" {
		t.Fatalf("snapshot after the restart, 1m40s after the last event: %+v, want the ringing call %d", got, ringing.ID)
	}
	if left := time.Duration(got[0].RingingLeftMS) * time.Millisecond; left <= 0 || left > 20*time.Second {
		t.Errorf("ringing_left_ms = %d, want the rest of the two minutes (at most 20 s)", got[0].RingingLeftMS)
	}
	for _, after := range []time.Duration{ringdesk.RingingQuiet + time.Second, 15 * time.Minute} {
		b.Desk.SetClock(func() time.Time { return time.Now().Add(after) })
		if got := snapshot(t, b.Admin(t)); len(got) != 0 {
			t.Errorf("snapshot %s after the last event: %+v, want no ringing call", after, got)
		}
	}
}

// TestLiveReconciledCallFinishes: a call whose call_finished was lost
// rings on open pages until the reconciliation with the UIS calls report
// finishes it; then the pages hear it finished (and missed), so its
// pop-up closes.
func TestLiveReconciledCallFinishes(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	if err := tel.Sim.SetFaults(uissim.Faults{DropEvents: []uissim.EventType{uissim.EventCallFinished}}); err != nil {
		t.Fatal(err)
	}
	s := a.Admin(t).Stream(t, "/live")
	if _, ok := s.Next("snapshot", 10*time.Second); !ok {
		t.Fatal("no snapshot on connect")
	}
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79160004455", WaitSeconds: 5})
	if c.State != ringdesk.CallRinging {
		t.Fatalf("call state %s without its call_finished, want ringing", c.State)
	}
	callUpdates(t, s, func(l liveCall) bool { return l.ID == c.ID && l.State == "ringing" })
	st, err := a.Desk.ReconcileChannel(context.Background(), tel.Channel.ID)
	if err != nil || st.Finished != 1 {
		t.Fatalf("reconcile: %+v, %v; want one call finished", st, err)
	}
	done := callUpdates(t, s, func(l liveCall) bool { return l.ID == c.ID && l.State != "ringing" })
	if done.State != "finished" || !done.Missed || done.RingingLeftMS != 0 {
		t.Errorf("after reconciliation the page hears %+v, want the call finished and missed", done)
	}
	if got := snapshot(t, a.Admin(t)); len(got) != 0 {
		t.Errorf("snapshot after reconciliation: %+v, want no call", got)
	}
}

// TestLiveAcrossInstances: with PostgreSQL, a page on instance B hears a
// call whose webhooks hit instance A.
func TestLiveAcrossInstances(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	if a.DB.Dialect() != store.Postgres {
		t.Skip("several instances need PostgreSQL (set RINGDESK_TEST_POSTGRES)")
	}
	b := apptest.New(t, func(c *app.Config, _ *app.Options) { c.DB = a.Config.DB })
	select {
	case <-b.LiveReady():
	case <-time.After(10 * time.Second):
		t.Fatal("instance B never started listening")
	}
	tel := apptest.NewTelephony(t, a)
	s := b.Admin(t).Stream(t, "/live")
	if _, ok := s.Next("snapshot", 10*time.Second); !ok {
		t.Fatal("no snapshot")
	}
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79167778899", WaitSeconds: 2})
	got := callUpdates(t, s, func(l liveCall) bool { return l.ID == c.ID && l.State == "finished" })
	if !got.Missed {
		t.Fatalf("instance B got %+v", got)
	}
}

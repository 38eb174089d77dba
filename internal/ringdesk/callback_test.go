package ringdesk

import (
	"strings"
	"testing"
	"time"
)

func TestTicketAfterCallEndsTheWaitForACallBack(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	at := func(min int) *time.Time { v := t0.Add(time.Duration(min) * time.Minute); return &v }
	agent := int64(7)
	missed := CallTicket{Status: StatusOpen, Missed: true, MissedSince: at(0)}
	cases := []struct {
		name       string
		t          CallTicket
		f          CallFacts
		agent      *int64
		wantMissed bool
		wantSince  *time.Time
		wantBack   *CallBack
	}{
		{name: "a missed call marks the ticket and starts the wait", t: CallTicket{Status: StatusOpen},
			f: CallFacts{Direction: DirectionIn, IsLost: true, StartedAt: *at(0)}, wantMissed: true, wantSince: at(0)},
		{name: "a second miss keeps the first one's time", t: missed,
			f: CallFacts{Direction: DirectionIn, IsLost: true, StartedAt: *at(5)}, wantMissed: true, wantSince: at(0)},
		{name: "an earlier miss arriving late moves the start back", t: missed,
			f: CallFacts{Direction: DirectionIn, IsLost: true, StartedAt: *at(-3)}, wantMissed: true, wantSince: at(-3)},
		{name: "an answered call back ends the wait", t: missed, agent: &agent,
			f:        CallFacts{Direction: DirectionOut, StartedAt: *at(11), AnsweredAt: at(12)},
			wantBack: &CallBack{AgentID: &agent, Direction: DirectionOut, After: 12 * time.Minute}},
		{name: "the client calling again and being answered ends it", t: missed,
			f:        CallFacts{Direction: DirectionIn, StartedAt: *at(30), AnsweredAt: at(31)},
			wantBack: &CallBack{Direction: DirectionIn, After: 31 * time.Minute}},
		{name: "an unanswered call back does not", t: missed, agent: &agent,
			f: CallFacts{Direction: DirectionOut, StartedAt: *at(11)}, wantMissed: true, wantSince: at(0)},
		{name: "a late event of a call answered before the miss does not", t: missed,
			f: CallFacts{Direction: DirectionIn, StartedAt: *at(-20), AnsweredAt: at(-19)}, wantMissed: true, wantSince: at(0)},
		{name: "a ticket marked before the time was kept ends with no duration", t: CallTicket{Status: StatusOpen, Missed: true},
			f:        CallFacts{Direction: DirectionOut, StartedAt: *at(1), AnsweredAt: at(2)},
			wantBack: &CallBack{Direction: DirectionOut}},
		{name: "an answered call on a ticket not waiting records nothing", t: CallTicket{Status: StatusOpen},
			f: CallFacts{Direction: DirectionIn, StartedAt: *at(1), AnsweredAt: at(2)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := TicketAfterCall(tc.t, tc.f, tc.agent, nil)
			if got.Missed != tc.wantMissed || !sameTime(got.MissedSince, tc.wantSince) {
				t.Errorf("missed %v since %v, want %v since %v", got.Missed, got.MissedSince, tc.wantMissed, tc.wantSince)
			}
			switch b := got.CalledBack; {
			case (b == nil) != (tc.wantBack == nil):
				t.Fatalf("called back %+v, want %+v", b, tc.wantBack)
			case b != nil && (!sameID(b.AgentID, tc.wantBack.AgentID) || b.Direction != tc.wantBack.Direction || b.After != tc.wantBack.After):
				t.Errorf("called back %+v, want %+v", b, tc.wantBack)
			}
			if got.Changed(tc.t) != (got.Missed != tc.t.Missed || !sameTime(got.MissedSince, tc.t.MissedSince) || got.StatusFrom != "" || got.AssigneeChanged) {
				t.Error("Changed disagrees with what changed")
			}
		})
	}
}

func TestCallBackClaimHolds(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	var none *CallBackClaim
	if none.Holds(1, now) {
		t.Error("no claim holds")
	}
	c := &CallBackClaim{AgentID: 1, AgentName: "Ivan", At: now.Add(-time.Minute)}
	if c.Holds(1, now) {
		t.Error("an agent's own claim stops them")
	}
	if !c.Holds(2, now) {
		t.Error("a fresh claim does not stop another agent")
	}
	if c.Holds(2, now.Add(CallBackClaimFor)) {
		t.Error("a claim older than CallBackClaimFor still holds")
	}
}

func TestHandledReason(t *testing.T) {
	if r, err := HandledReason("  The client wrote by email \n"); err != nil || r != "The client wrote by email" {
		t.Errorf("%q %v", r, err)
	}
	for _, bad := range []string{"", "   ", strings.Repeat("я", MaxHandledReason+1)} {
		if _, err := HandledReason(bad); ErrorCode(err) != EINVALID {
			t.Errorf("reason of %d characters: %v", len([]rune(bad)), err)
		}
	}
	if _, err := HandledReason(strings.Repeat("я", MaxHandledReason)); err != nil {
		t.Errorf("a reason of exactly the cap: %v", err)
	}
}

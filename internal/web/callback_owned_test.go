package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestMissedCallsOwnedUntilCalledBack: a missed call waits for a call back
// until a call with the client is answered or an agent marks it handled;
// a click on Call back claims the client, so a second agent is told who is
// already calling instead of dialling too. Over real HTTP against the
// simulator, on SQLite and PostgreSQL.
func TestMissedCallsOwnedUntilCalledBack(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ctx := context.Background()
	iv, pe := a.TokenClient(t, tel.Agents[ivanov]), a.TokenClient(t, tel.Agents[petrova])
	missedTicket := func(id int64) bool {
		t.Helper()
		tk, err := a.DB.TicketByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return tk.Missed
	}
	timeline := func(id int64) []*ringdesk.TicketEvent {
		t.Helper()
		evs, err := a.DB.TicketEvents(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return evs
	}
	kinds := func(evs []*ringdesk.TicketEvent, kind string) []*ringdesk.TicketEvent {
		var out []*ringdesk.TicketEvent
		for _, e := range evs {
			if e.Kind == kind {
				out = append(out, e)
			}
		}
		return out
	}

	// 1. Called back: Petrova clicks Call back, the client answers; the
	// mark goes and the timeline says who called back.
	m1 := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79035550101", WaitSeconds: 20})
	if !missedTicket(m1.TicketID) {
		t.Fatal("a missed call did not mark its ticket missed")
	}
	if res := pe.JSON(t, "POST", "/api/v1/calls", map[string]any{"ticket_id": m1.TicketID}); res.StatusCode != http.StatusAccepted {
		t.Fatalf("call back: %d %s", res.StatusCode, res.Body)
	}
	tel.Wait(t)
	if missedTicket(m1.TicketID) {
		t.Error("an answered call back left the ticket missed")
	}
	cb := kinds(timeline(m1.TicketID), ringdesk.EventCalledBack)
	if len(cb) != 1 || !strings.Contains(cb[0].Data, fmt.Sprintf(`"agent_id":%d`, tel.Agents[petrova].ID)) || !strings.Contains(cb[0].Data, `"direction":"out"`) {
		t.Fatalf("called_back entries %v", cb)
	}
	page := a.Admin(t).Get(t, fmt.Sprintf("/tickets/%d", m1.TicketID)).Body
	if !strings.Contains(page, "Called back by "+tel.Agents[petrova].Name+" after ") || strings.Contains(page, `id="tk-waiting"`) {
		t.Error("the ticket page does not say who called back, or still waits")
	}
	if mv := a.Admin(t).Get(t, "/tickets?view=missed").Body; strings.Contains(mv, fmt.Sprintf(`href="/tickets/%d"`, m1.TicketID)) {
		t.Error("a called-back ticket is still in the Missed calls view")
	}

	// 2. The client calls again and is answered: every waiting ticket of
	// theirs stops waiting, whichever ticket the new call joins.
	m3 := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79035550103", WaitSeconds: 5})
	again := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79035550103", EmployeeIDs: []int64{ivanov}, WaitSeconds: 3, TalkSeconds: 20})
	if again.ClientID != m3.ClientID {
		t.Fatalf("the second call found another client")
	}
	if missedTicket(m3.TicketID) {
		t.Error("the client calling again and being answered left the missed ticket waiting")
	}
	cb = kinds(timeline(m3.TicketID), ringdesk.EventCalledBack)
	if len(cb) != 1 || !strings.Contains(cb[0].Data, `"direction":"in"`) || !strings.Contains(cb[0].Data, fmt.Sprintf(`"call_id":%d`, again.ID)) {
		t.Errorf("called_back entries %v", cb)
	}
	// 3. The claim: while Ivanov's call back is ringing his phone, Petrova
	// is told he is calling and UIS is not asked twice. (His phone rings
	// until the test ends: nothing below waits for the simulator.)
	setBehaviour(t, tel.Sim, func(b *uissim.Behaviour) { b.EmployeeAnswerSeconds = 100_000 })
	m2 := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79035550102", WaitSeconds: 5})
	before := len(employeeCalls(t, tel))
	if res := iv.JSON(t, "POST", "/api/v1/calls", map[string]any{"ticket_id": m2.TicketID}); res.StatusCode != http.StatusAccepted {
		t.Fatalf("Ivanov's call back: %d %s", res.StatusCode, res.Body)
	}
	res := pe.JSON(t, "POST", "/api/v1/calls", map[string]any{"ticket_id": m2.TicketID})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, tel.Agents[ivanov].Name+" is already calling this client back") {
		t.Errorf("Petrova's call back of a claimed client: %d %s", res.StatusCode, res.Body)
	}
	if n := len(employeeCalls(t, tel)) - before; n != 1 {
		t.Errorf("UIS was asked %d times, want once", n)
	}
	if res := iv.JSON(t, "POST", "/api/v1/calls", map[string]any{"ticket_id": m2.TicketID, "phone": "+79035550102"}); res.StatusCode != http.StatusAccepted {
		t.Errorf("the claimer's own second click: %d %s", res.StatusCode, res.Body)
	}
	mv := oneLine(a.Login(t, tel.Agents[petrova].Email, "agent-password-1").Get(t, "/tickets?view=missed").Body)
	if !strings.Contains(mv, tel.Agents[ivanov].Name+" is calling back") {
		t.Error("the Missed calls view does not say who is calling back")
	}
	if !missedTicket(m2.TicketID) {
		t.Error("a call back not yet answered cleared the mark")
	}

	// 4. Marked handled with a reason; without one it is refused.
	if res := pe.JSON(t, "POST", fmt.Sprintf("/api/v1/tickets/%d/missed-handled", m2.TicketID), map[string]any{"reason": "  "}); res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("handled without a reason: %d %s", res.StatusCode, res.Body)
	}
	res = pe.JSON(t, "POST", fmt.Sprintf("/api/v1/tickets/%d/missed-handled", m2.TicketID), map[string]any{"reason": "The client wrote by email"})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `"missed":false`) {
		t.Fatalf("handled: %d %s", res.StatusCode, res.Body)
	}
	h := kinds(timeline(m2.TicketID), ringdesk.EventMissedHandled)
	if len(h) != 1 || h[0].Body != "The client wrote by email" || h[0].AuthorID == nil || *h[0].AuthorID != tel.Agents[petrova].ID {
		t.Errorf("missed_handled entries %v", h)
	}
	if res := pe.JSON(t, "POST", fmt.Sprintf("/api/v1/tickets/%d/missed-handled", m2.TicketID), map[string]any{"reason": "again"}); res.StatusCode != http.StatusConflict {
		t.Errorf("handled twice: %d %s", res.StatusCode, res.Body)
	}
}

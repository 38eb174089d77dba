package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestBrowserClientCardCallJoinsOpenTicket: the client card says which open
// ticket a call from it goes into, a click on the number calls the client
// into that ticket (the toast says so), and "new ticket instead" makes the
// next call a new ticket. The card fits a laptop and a phone.
func TestBrowserClientCardCallJoinsOpenTicket(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	first := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79261234567", ContactName: "Анна Морозова",
		EmployeeIDs: []int64{petrova}, TalkSeconds: 10})
	card := fmt.Sprintf("/clients/%d", first.ClientID)

	p := browsertest.New(t, a.URL)
	p.SignIn(tel.Agents[ivanov].Email, "agent-password-1")
	for _, vp := range []struct {
		w, h int64
		name string
	}{{390, 844, "phone"}, {1280, 800, "laptop"}} {
		p.Viewport(vp.w, vp.h)
		p.Go(card)
		if got := p.Text("#call-into a"); !strings.HasPrefix(got, fmt.Sprintf("#%d ", first.TicketID)) {
			t.Errorf("the card says a call goes into %q, want ticket #%d", got, first.TicketID)
		}
		clickable(t, p, "client card on a "+vp.name, "a.phone", "#call-into input[data-call-new-ticket]")
		p.Screenshot("client-card-call-" + vp.name)
	}
	p.Click("a.phone")
	if got := p.WaitText(".toast", "#"); !strings.Contains(got, fmt.Sprintf("#%d", first.TicketID)) {
		t.Errorf("the toast says %q, want the ticket the call goes into", got)
	}
	tel.Wait(t)

	// Another agent ticks "new ticket instead".
	q := browsertest.New(t, a.URL)
	q.SignIn(tel.Agents[smirnov].Email, "agent-password-1")
	q.Go(card)
	q.Click("#call-into input[data-call-new-ticket]")
	q.Click("a.phone")
	if got := q.WaitText(".toast", "…"); strings.Contains(got, "#") {
		t.Errorf("a new-ticket call's toast names a ticket: %q", got)
	}
	tel.Wait(t)
	tix, err := a.DB.ClientTickets(context.Background(), first.ClientID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(tix) != 2 {
		t.Fatalf("the client has %d tickets, want the first and the new one", len(tix))
	}
	calls, _, err := a.DB.ListCalls(context.Background(), ringdesk.CallFilter{ClientID: first.ClientID, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	into := map[int64]int{}
	for _, c := range calls {
		into[c.TicketID]++
	}
	if into[first.TicketID] != 2 || len(into) != 2 {
		t.Errorf("calls per ticket %v: want the first call and Ivanov's in ticket %d, Smirnov's in a new one", into, first.TicketID)
	}
}

package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestCallShowsOnClientCardAndTicket: a call's client card lists the call
// with a link to its details, and the ticket page offers the client's
// number as click-to-call attached to that ticket.
func TestCallShowsOnClientCardAndTicket(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79165550011",
		ContactName: "Пётр <b>Иванов</b>", EmployeeIDs: []int64{323401}, WaitSeconds: 4, TalkSeconds: 30})
	adm := a.Admin(t)

	card := adm.Get(t, fmt.Sprintf("/clients/%d", c.ClientID))
	if card.StatusCode != http.StatusOK {
		t.Fatalf("client card: %d", card.StatusCode)
	}
	for _, want := range []string{fmt.Sprintf(`href="/calls/%d"`, c.ID), fmt.Sprintf(`href="/tickets/%d"`, c.TicketID),
		`data-phone="&#43;79165550011"`, "Пётр &lt;b&gt;Иванов&lt;/b&gt;"} {
		if !strings.Contains(card.Body, want) {
			t.Errorf("client card lacks %s", want)
		}
	}

	tk := adm.Get(t, fmt.Sprintf("/tickets/%d", c.TicketID))
	if tk.StatusCode != http.StatusOK {
		t.Fatalf("ticket page: %d", tk.StatusCode)
	}
	for _, want := range []string{fmt.Sprintf(`data-ticket-id="%d"`, c.TicketID), `data-phone="&#43;79165550011"`,
		fmt.Sprintf(`href="/calls/%d"`, c.ID), fmt.Sprintf(`<audio controls preload="metadata" src="/calls/%d/recordings/1">`, c.ID)} {
		if !strings.Contains(tk.Body, want) {
			t.Errorf("ticket page lacks %s", want)
		}
	}
	if strings.Contains(tk.Body, "<b>Иванов</b>") || strings.Contains(card.Body, "<b>Иванов</b>") {
		t.Error("a caller's name from UIS reached the page unescaped")
	}
}

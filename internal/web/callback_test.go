package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// oneLine squeezes a page's whitespace so that markup split over lines
// compares as one.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestCallBackButtonAndMissedView(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	web := a.Admin(t)
	answered := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79031112233", EmployeeIDs: []int64{petrova}, WaitSeconds: 5, TalkSeconds: 30})
	missed := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79031112244", WaitSeconds: 20})
	again := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79031112244", WaitSeconds: 47})
	nophone := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79031112255", WaitSeconds: 8})

	// The client of the third missed call loses its number.
	api := a.TokenClient(t, tel.Agents[ivanov])
	if res := api.JSON(t, "PATCH", fmt.Sprintf("/api/v1/clients/%d", nophone.ClientID), map[string]any{"phones": []string{}}); res.StatusCode != http.StatusOK {
		t.Fatalf("PATCH client: %d %s", res.StatusCode, res.Body)
	}

	button := fmt.Sprintf(`class="primary tk-callback" data-phone="&#43;79031112244" data-client-id="%d" data-ticket-id="%d"`, missed.ClientID, missed.TicketID)
	if page := web.Get(t, fmt.Sprintf("/tickets/%d", missed.TicketID)).Body; !strings.Contains(page, button) {
		t.Errorf("missed ticket lacks the Call back button %s", button)
	}
	for _, id := range []int64{answered.TicketID, nophone.TicketID} {
		if page := web.Get(t, fmt.Sprintf("/tickets/%d", id)).Body; strings.Contains(page, "tk-callback") {
			t.Errorf("ticket %d (answered, or a client without a phone) shows Call back", id)
		}
	}
	ru := a.CreateAgent(t, ringdesk.AgentCreate{Email: "ru-callback@example.com", Role: ringdesk.RoleAgent, Lang: "ru"})
	ruWeb := a.Login(t, ru.Email, "agent-password-1")
	if page := ruWeb.Get(t, fmt.Sprintf("/tickets/%d", missed.TicketID)).Body; !strings.Contains(page, ">Перезвонить</button>") {
		t.Errorf("Russian ticket page lacks «Перезвонить»")
	}
	if page := ruWeb.Get(t, "/tickets?view=missed").Body; !strings.Contains(page, "Номер звонившего") || !strings.Contains(page, "Ждал") {
		t.Errorf("Russian Missed calls view lacks its column names")
	}

	mv := oneLine(web.Get(t, "/tickets?view=missed").Body)
	for _, want := range []string{"Caller&#39;s number", "Waiting", "Call-backs", "Waited",
		fmt.Sprintf(`data-phone="&#43;79031112244" data-client-id="%d" data-ticket-id="%d"`, missed.ClientID, missed.TicketID),
		`&#43;7 903 111-22-44</a>`, "0:08"} {
		if !strings.Contains(mv, want) {
			t.Errorf("missed view lacks %q", want)
		}
	}
	if strings.Contains(mv, "<th>Subject</th>") || strings.Contains(mv, fmt.Sprintf(`href="/tickets/%d"`, answered.TicketID)) {
		t.Errorf("missed view shows the subject column or the answered ticket")
	}
	// The latest missed call of the ticket, and how many it has.
	if again.TicketID == missed.TicketID {
		if !strings.Contains(mv, `Waited 0:47">2</td> <td class="num">0</td>`) {
			t.Errorf("missed view: the caller's ticket does not show the latest wait and two calls: %s", mv)
		}
	} else if !strings.Contains(mv, `Waited 0:47">1</td> <td class="num">0</td>`) {
		t.Errorf("missed view: the second missed call's ticket lacks its wait and count")
	}
	// Other views keep the subject.
	if all := web.Get(t, "/tickets?view=all").Body; !strings.Contains(all, ">Subject</th>") || strings.Contains(all, "tk-callback") {
		t.Errorf("the All view changed")
	}
}

func TestBrowserCallBackDialsOnce(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	missed := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79031112244", WaitSeconds: 20})
	other := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79031112266", WaitSeconds: 9})
	agent := tel.Agents[ivanov]
	p := browsertest.New(t, a.URL)
	p.Login(agent.Email, "agent-password-1")
	p.Go(fmt.Sprintf("/tickets/%d", missed.TicketID))
	p.Screenshot("callback-ticket")
	p.Click("button.tk-callback")
	p.WaitText(".toast", "your phone")
	calls := employeeCalls(t, tel)
	if len(calls) != 1 {
		t.Fatalf("start.employee_call sent %d times, want 1", len(calls))
	}
	if calls[0]["contact"] != "79031112244" {
		t.Errorf("called %v, want 79031112244", calls[0]["contact"])
	}
	ext, _ := calls[0]["external_id"].(string)
	if !strings.HasPrefix(ext, "rd-") {
		t.Fatalf("external_id %q", ext)
	}
	tel.Wait(t)
	out, _, err := a.DB.ListCalls(context.Background(), ringdesk.CallFilter{TicketID: missed.TicketID})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range out {
		if c.ExternalID == ext {
			found = c.Direction == "out"
		}
	}
	if !found {
		t.Errorf("the call back (external_id %s) is not an outgoing call of ticket %d", ext, missed.TicketID)
	}

	// The client answered: the ticket no longer waits, and says who called.
	p.Go(fmt.Sprintf("/tickets/%d", missed.TicketID))
	if got := p.Text(".tk-calledback"); !strings.Contains(got, "Called back by "+agent.Name) {
		t.Errorf("timeline says %q", got)
	}
	if p.Exists("#tk-waiting") || p.Exists("button.tk-callback") {
		t.Error("a called-back ticket still waits for a call back")
	}

	// From the Missed calls view, the row's button takes the same path.
	p = browsertest.New(t, a.URL)
	p.Login(tel.Agents[petrova].Email, "agent-password-1")
	p.Go("/tickets?view=missed")
	p.Screenshot("callback-missed-view")
	if p.Exists(fmt.Sprintf(`button.tk-callback[data-ticket-id="%d"]`, missed.TicketID)) {
		t.Error("the called-back ticket is still in the Missed calls view")
	}
	p.Click(fmt.Sprintf(`button.tk-callback[data-ticket-id="%d"]`, other.TicketID))
	p.WaitText(".toast", "your phone")
	if n := len(employeeCalls(t, tel)); n != 2 {
		t.Errorf("start.employee_call sent %d times in all, want 2", n)
	}
	if p.Path() != "/tickets?view=missed" {
		t.Errorf("clicking Call back left the list for %s", p.Path())
	}
	p.NoConsoleErrors()
}

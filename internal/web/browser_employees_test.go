package web_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestBrowserEmployeesLink: an administrator opens the channel's UIS
// employees from the channel page, sees Smirnov, who answered a call while
// linked to nobody, flagged with his agent suggested, and links them in one
// click; the next call Smirnov answers is assigned to that agent. The list
// fits a laptop (1280x800) and a phone (390x844) without sideways scroll.
func TestBrowserEmployeesLink(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	smirnov := tel.Agents[323403]
	if _, err := a.Desk.UpdateAgent(t.Context(), ringdesk.System, smirnov.ID, ringdesk.AgentUpdate{ClearOperatorID: true}); err != nil {
		t.Fatal(err)
	}
	if c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79261230101", EmployeeIDs: []int64{323403}}); c.AgentID != nil {
		t.Fatalf("call of an unlinked employee assigned to %d", *c.AgentID)
	}

	p := browsertest.New(t, a.URL)
	p.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	p.Go("/channels/" + strconv.FormatInt(tel.Channel.ID, 10))
	p.ClickNav("#employees-link")
	p.WaitVisible("#employees")
	row := "#employee-323403"
	if cls, _ := p.Attr(row, "class"); cls != "unassigned" {
		t.Errorf("Smirnov's row class = %q, want unassigned", cls)
	}
	if got := p.Text(row); !strings.Contains(got, "seen in calls, linked to nobody") || !strings.Contains(got, "suggested: "+smirnov.Name) {
		t.Errorf("Smirnov's row = %q", got)
	}
	fits := func(shot string) {
		t.Helper()
		sweep(t, p, p.Path(), "#employees", shot)
	}
	fits("employees")

	// One click on the suggestion (on the phone, where the page was left).
	p.ClickNav(row + " .link-suggested button")
	p.WaitVisible(".flash")
	if got := p.Text(row + " .linked-agent"); got != smirnov.Name {
		t.Errorf("linked agent = %q, want %q", got, smirnov.Name)
	}
	if p.Exists(row + " .link-suggested") {
		t.Error("the suggestion is still offered after linking")
	}
	fits("employees-linked")

	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79261230102", EmployeeIDs: []int64{323403}})
	if c.AgentID == nil || *c.AgentID != smirnov.ID {
		t.Fatalf("Smirnov's next call is assigned to %v, want agent %d", c.AgentID, smirnov.ID)
	}
	tk, err := a.DB.TicketByID(t.Context(), c.TicketID)
	if err != nil || tk.AssigneeID == nil || *tk.AssigneeID != smirnov.ID {
		t.Errorf("the call's ticket: %+v, %v; want assigned to agent %d", tk, err, smirnov.ID)
	}
}

package web_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestBrowserGroups: an administrator creates a group, puts an agent in it
// and sets a ticket's group on the ticket page; the agent finds the ticket
// in "My groups — open" and switches themself unavailable from the top bar
// by keyboard. Every page of the journey is looked at on a laptop
// (1280x800) and a phone (390x844) and none scrolls sideways.
func TestBrowserGroups(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	olga := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Ольга Константинопольская", Email: "olga@example.com", Role: ringdesk.RoleAgent})
	a.CreateAgent(t, ringdesk.AgentCreate{Name: "Борис", Email: "boris@example.com", Role: ringdesk.RoleAgent})
	client := seedClient(t, a, "ООО «Ромашка и партнёры», отдел закупок", "+79261234567")
	tk, err := a.Desk.CreateTicket(ctx, ringdesk.System, ringdesk.TicketCreate{Subject: "Не пришёл счёт за май, просим выслать повторно", ClientID: client})
	if err != nil {
		t.Fatal(err)
	}
	ticket := "/tickets/" + strconv.FormatInt(tk.ID, 10)

	admin := browsertest.New(t, a.URL)
	admin.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	admin.Go("/")
	admin.ClickNav(`.mainnav a[href="/groups"]`)
	admin.Fill("form[action='/groups'] input[name=name]", "Линия VIP и ключевые клиенты")
	admin.Submit("form[action='/groups'] input[name=name]")
	if got := admin.Path(); !strings.HasPrefix(got, "/groups/1") {
		t.Fatalf("after creating: %s", got)
	}
	admin.Click(fmt.Sprintf("input[name=agent_id][value='%d']", olga.ID))
	admin.Submit("form.group-form input[name=name]")
	admin.WaitVisible("#groups")
	if got := admin.Texts("#groups tbody tr"); len(got) != 1 || !strings.Contains(got[0], "Линия VIP") || !strings.Contains(got[0], "1 agent") {
		t.Fatalf("groups list: %q", got)
	}

	admin.Go(ticket)
	admin.Eval(`document.querySelector("select[name=group_id]").value = "1"`)
	admin.Submit("select[name=group_id]")
	admin.WaitVisible(".flash")
	if got := admin.Text(".tk-group-name"); !strings.Contains(got, "Линия VIP") {
		t.Errorf("ticket page group: %q", got)
	}
	if got := admin.Eval(`document.querySelector("select[name=assignee_id] optgroup").label`); !strings.HasPrefix(got, "In group Линия VIP") {
		t.Errorf("first optgroup of the assignee: %q", got)
	}
	if got := timelineText(admin); !strings.Contains(got, "changed group: no group → Линия VIP") {
		t.Errorf("timeline: %q", got)
	}

	agent := browsertest.New(t, a.URL)
	agent.SignIn("olga@example.com", "agent-password-1")
	agent.Go("/")
	agent.ClickNav(`.tk-views a[href="/tickets?view=mygroups"]`)
	if got := agent.Text(`.tk-views a[aria-current]`); !strings.Contains(got, "My groups — open") || !strings.HasSuffix(got, "1") {
		t.Errorf("current view: %q", got)
	}
	if rows := agent.Texts("#tk-list tbody tr"); len(rows) != 1 || !strings.Contains(rows[0], "Не пришёл счёт") || !strings.Contains(rows[0], "Линия VIP") {
		t.Errorf("my groups: %q", rows)
	}
	if agent.Exists(`.mainnav a[href="/groups"]`) {
		t.Error("an agent sees the Groups link")
	}
	// The availability switch, by keyboard.
	agent.Eval(`document.querySelector(".avail-switch").focus()`)
	if got := agent.Focused(); !strings.HasPrefix(got, "button.avail-switch") {
		t.Fatalf("focused: %s", got)
	}
	agent.PressNav(kb.Enter)
	if got, _ := agent.Attr(".avail-switch", "aria-checked"); got != "false" || !strings.HasPrefix(agent.Path(), "/tickets") {
		t.Errorf("after the switch: aria-checked %q on %s", got, agent.Path())
	}
	if me, _ := a.DB.AgentByID(ctx, olga.ID); me.Available {
		t.Error("the agent is still available")
	}

	pages := []struct {
		p          *browsertest.Page
		path, shot string
		sel        string
	}{
		{admin, "/groups", "groups", "#groups"},
		{admin, "/groups/1", "group-form", "form.group-form"},
		{admin, "/groups/1/delete", "group-delete", "#group-delete"},
		{admin, "/agents/" + strconv.FormatInt(olga.ID, 10), "agent-form", "fieldset.agent-groups"},
		{admin, "/tickets?view=all", "tickets-all", "#tk-list"},
		{admin, ticket, "ticket", "select[name=group_id]"},
		{admin, "/tickets/new", "ticket-new", "select[name=group_id]"},
		{agent, "/tickets?view=mygroups", "tickets-mygroups", "#tk-list"},
		{agent, "/tickets?view=group&group_id=1", "tickets-group", "#tk-list"},
	}
	for _, pg := range pages {
		sweep(t, pg.p, pg.path, pg.sel, "groups-"+pg.shot)
	}
}

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// ticketEventKinds lists the kinds of a ticket's timeline entries.
func ticketEventKinds(t *testing.T, a *apptest.App, id int64) []string {
	t.Helper()
	evs, err := a.DB.TicketEvents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
	}
	return kinds
}

// TestTicketsBulk: the list's bulk bar changes the selected tickets in one
// POST, each audited as a single edit would be; refusals are clear.
func TestTicketsBulk(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	olga := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Ольга", Email: "olga@example.com", Role: ringdesk.RoleAgent, Password: "password-123"})
	admin := a.Admin(t)
	client := seedClient(t, a, "Петров Иван", "+79261234567")
	var ids []int64
	for i := range 3 {
		tk, err := a.Desk.CreateTicket(ctx, olga, ringdesk.TicketCreate{Subject: fmt.Sprintf("Вопрос %d", i), ClientID: client,
			Tags: []string{"sms"}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tk.ID)
	}
	form := func(ids []int64, kv ...string) url.Values {
		f := url.Values{"return": {"/tickets?view=all&sort=created"}}
		for _, id := range ids {
			f.Add("id", fmt.Sprint(id))
		}
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	before := ticketEventKinds(t, a, ids[0])

	res := admin.PostForm(t, "/tickets/bulk", form(ids[:2], "status", "solved", "assignee", fmt.Sprint(olga.ID), "tag", "Срочно"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("bulk: %d %s", res.StatusCode, res.Body)
	}
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/tickets?") || !strings.Contains(loc, "view=all") || !strings.Contains(loc, "flash=bulk") {
		t.Errorf("bulk went back to %q", loc)
	}
	// The list counts what changed, and its own links do not repeat it.
	if page := admin.Get(t, res.Header.Get("Location")); !strings.Contains(page.Body, `<div class="flash" role="status">2 tickets updated.</div>`) ||
		!strings.Contains(page.Body, `<input type="hidden" name="return" value="/tickets?sort=created&amp;view=all">`) {
		t.Errorf("the list after a bulk action: %.3000s", page.Body)
	}
	for _, id := range ids[:2] {
		tk, err := a.DB.TicketByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if tk.Status != "solved" || tk.AssigneeID == nil || *tk.AssigneeID != olga.ID || strings.Join(tk.Tags, ",") != "sms,срочно" {
			t.Errorf("ticket %d after bulk: %s %v %v", id, tk.Status, tk.AssigneeID, tk.Tags)
		}
		kinds := ticketEventKinds(t, a, id)
		if got := strings.Join(kinds[len(before):], ","); got != "status,assignee,tags" {
			t.Errorf("ticket %d audit entries %q, want status,assignee,tags", id, got)
		}
	}
	if tk, _ := a.DB.TicketByID(ctx, ids[2]); tk.Status == "solved" || len(ticketEventKinds(t, a, ids[2])) != len(before) {
		t.Errorf("an unselected ticket changed: %s", tk.Status)
	}

	// Again: nothing changes, so nothing is audited; "unassigned" clears.
	admin.PostForm(t, "/tickets/bulk", form(ids[:2], "status", "solved", "tag", "срочно"))
	if n := len(ticketEventKinds(t, a, ids[0])); n != len(before)+3 {
		t.Errorf("a bulk action that changes nothing wrote %d entries", n-len(before)-3)
	}
	admin.PostForm(t, "/tickets/bulk", form(ids[:1], "assignee", "unassigned"))
	if tk, _ := a.DB.TicketByID(ctx, ids[0]); tk.AssigneeID != nil {
		t.Errorf("unassigned left %v", *tk.AssigneeID)
	}
	// "me" is whoever sends the form.
	res = a.Login(t, "olga@example.com", "password-123").PostForm(t, "/tickets/bulk", form(ids[2:], "assignee", "me"))
	if tk, _ := a.DB.TicketByID(ctx, ids[2]); res.StatusCode != http.StatusSeeOther || tk.AssigneeID == nil || *tk.AssigneeID != olga.ID {
		t.Errorf("assignee me: %d %v", res.StatusCode, tk.AssigneeID)
	}

	// A ticket that does not exist fails alone, and the page says which.
	res = admin.PostForm(t, "/tickets/bulk", form([]int64{ids[2], 999999}, "status", "pending"))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "1 ticket updated. 1 ticket not updated:") || !strings.Contains(res.Body, "#999999") ||
		!strings.Contains(res.Body, "not found") {
		t.Errorf("partial failure: %d %s", res.StatusCode, res.Body)
	}
	if tk, _ := a.DB.TicketByID(ctx, ids[2]); tk.Status != "pending" {
		t.Errorf("the good ticket of a partial failure is %s", tk.Status)
	}

	// Refusals change nothing.
	events := countRows(t, a, "ticket_events")
	many := make([]int64, 101)
	for i := range many {
		many[i] = ids[0]
	}
	for _, c := range []struct {
		name string
		form url.Values
		want string
	}{
		{"no tickets", form(nil, "status", "solved"), "Select at least one ticket."},
		{"too many", form(many, "status", "solved"), "Select at most 100 tickets."},
		{"no change", form(ids, "status", ""), "Choose what to change."},
		{"bad status", form(ids, "status", "done"), "Unknown status."},
		{"bad tag", form(ids, "tag", "no!"), "use letters"},
		{"bad assignee", form(ids, "assignee", "someone"), "Unknown assignee."},
		{"missing assignee", form(ids, "assignee", "424242"), "not found"},
		{"bad id", form(nil, "status", "solved", "id", "abc"), "positive number"},
	} {
		res := admin.PostForm(t, "/tickets/bulk", c.form)
		if c.name == "missing assignee" {
			// Each ticket refuses it on its own: a partial failure page.
			if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "0 tickets updated.") {
				t.Errorf("%s: %d", c.name, res.StatusCode)
			}
			continue
		}
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, c.want) {
			t.Errorf("%s: %d, want 400 with %q", c.name, res.StatusCode, c.want)
		}
	}
	if n := countRows(t, a, "ticket_events"); n != events {
		t.Errorf("refused bulk actions wrote %d events", n-events)
	}
	// A form from another site is refused.
	res = admin.Do(t, "POST", "/tickets/bulk", strings.NewReader(form(ids, "status", "closed").Encode()), http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"cross-site"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site bulk: %d", res.StatusCode)
	}
	// The list page carries the bar and a checkbox per row.
	page := admin.Get(t, "/tickets?view=all").Body
	if !strings.Contains(page, `action="/tickets/bulk"`) || strings.Count(page, `name="id"`) != 3 || !strings.Contains(page, `id="tk-all"`) {
		t.Errorf("list page lacks the bulk controls")
	}
}

// TestTicketsBulkAPI: POST /api/v1/tickets/bulk does what the bulk bar
// does and lists the tickets it could not change.
func TestTicketsBulkAPI(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Ольга", Email: "olga@example.com", Role: ringdesk.RoleAgent, Password: "password-123"})
	api := a.TokenClient(t, agent)
	client := seedClient(t, a, "Петров Иван", "+79261234567")
	var ids []int64
	for i := range 2 {
		tk, err := a.Desk.CreateTicket(ctx, agent, ringdesk.TicketCreate{Subject: fmt.Sprintf("Вопрос %d", i), ClientID: client})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tk.ID)
	}
	var out struct {
		Updated int `json:"updated"`
		Failed  []struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		} `json:"failed"`
	}
	res := api.JSON(t, "POST", "/api/v1/tickets/bulk", map[string]any{"ids": append(ids, 999999), "status": "solved",
		"assignee_id": agent.ID, "add_tags": []string{"VIP"}})
	res.JSON(t, &out)
	if res.StatusCode != http.StatusOK || out.Updated != 2 || len(out.Failed) != 1 || out.Failed[0].ID != 999999 || out.Failed[0].Code != "not_found" {
		t.Fatalf("bulk: %d %s", res.StatusCode, res.Body)
	}
	for _, id := range ids {
		tk, _ := a.DB.TicketByID(ctx, id)
		if tk.Status != "solved" || tk.AssigneeID == nil || strings.Join(tk.Tags, ",") != "vip" {
			t.Errorf("ticket %d: %s %v %v", id, tk.Status, tk.AssigneeID, tk.Tags)
		}
	}
	res = api.JSON(t, "POST", "/api/v1/tickets/bulk", map[string]any{"ids": ids, "assignee_id": nil})
	if tk, _ := a.DB.TicketByID(ctx, ids[0]); res.StatusCode != http.StatusOK || tk.AssigneeID != nil {
		t.Errorf("null assignee: %d %s", res.StatusCode, res.Body)
	}
	for _, bad := range []map[string]any{{"ids": []int64{}, "status": "solved"}, {"ids": ids}, {"ids": ids, "status": "done"},
		{"ids": ids, "add_tags": []string{"a b"}}, {"ids": ids, "assignee_id": "me"}, {"ids": ids, "colour": "red"}} {
		if res := api.JSON(t, "POST", "/api/v1/tickets/bulk", bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%v: %d %s", bad, res.StatusCode, res.Body)
		}
	}
}

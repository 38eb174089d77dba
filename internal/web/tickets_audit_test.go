package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// sidePanelForm reads the ticket page's side-panel form as a browser would
// send it: every input's value and every select's selected option.
func sidePanelForm(t *testing.T, page string, ticketID int64) url.Values {
	t.Helper()
	start := strings.Index(page, fmt.Sprintf(`<form method="post" action="/tickets/%d" `, ticketID))
	if start < 0 {
		t.Fatal("no side panel form on the ticket page")
	}
	form := page[start : start+strings.Index(page[start:], "</form>")]
	f := url.Values{}
	for _, m := range regexp.MustCompile(`<input name="([a-z_]+)" value="([^"]*)"`).FindAllStringSubmatch(form, -1) {
		f.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, sel := range regexp.MustCompile(`(?s)<select name="([a-z_]+)">(.*?)</select>`).FindAllStringSubmatch(form, -1) {
		opts := regexp.MustCompile(`<option value="([^"]*)"( selected)?>`).FindAllStringSubmatch(sel[2], -1)
		if len(opts) == 0 {
			continue
		}
		v := opts[0][1] // the browser sends the first option when none is selected
		for _, o := range opts {
			if o[2] != "" {
				v = o[1]
			}
		}
		f.Set(sel[1], v)
	}
	return f
}

// TestTicketSaveAuditsOnlyChanges: Save in the side panel of a call ticket
// (assigned by telephony, with a channel and tags) writes an audit entry
// only for a field that changed; telephony's assignment shows in the
// timeline as System's.
func TestTicketSaveAuditsOnlyChanges(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	call := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79031112233", EmployeeIDs: []int64{petrova},
		WaitSeconds: 5, TalkSeconds: 40})
	agent := tel.Agents[petrova]
	id := call.TicketID
	if tk := readTicket(t, a, id); tk.assignee == nil || *tk.assignee != agent.ID {
		t.Fatalf("the answered call's ticket is assigned to %v", tk.assignee)
	}
	kinds := ticketEventKinds(t, a, id)
	if n := strings.Count(strings.Join(kinds, ","), "assignee"); n != 1 {
		t.Errorf("timeline %v: %d assignee entries, want 1", kinds, n)
	}
	if n := strings.Count(strings.Join(kinds, ","), "status"); n != 1 {
		t.Errorf("timeline %v: %d status entries, want 1 (new → open by the agent who answered)", kinds, n)
	}
	evs, _ := a.DB.TicketEvents(context.Background(), id)
	for _, e := range evs {
		if e.Kind == "assignee" && (e.AuthorType != "system" || e.AuthorID != nil || !strings.Contains(e.Data, fmt.Sprintf(`"to":%d`, agent.ID))) {
			t.Errorf("assignee entry by %s %v: %s", e.AuthorType, e.AuthorID, e.Data)
		}
	}
	admin := a.Admin(t)
	page := admin.Get(t, fmt.Sprintf("/tickets/%d", id)).Body
	if !strings.Contains(page, "System changed assignee:") || !strings.Contains(page, "nobody → "+agent.Name) {
		t.Errorf("the timeline does not show System's assignment")
	}
	if flat := strings.Join(strings.Fields(page), " "); !strings.Contains(flat, agent.Name+" changed status: New → Open") {
		t.Errorf("the timeline does not show the agent who answered opening the ticket")
	}

	// A tag so the form carries every kind of field.
	f := sidePanelForm(t, page, id)
	f.Set("tags", "VIP, доставка")
	admin.PostForm(t, fmt.Sprintf("/tickets/%d", id), f)
	before := len(ticketEventKinds(t, a, id))

	// Save with nothing changed: no audit entry at all.
	page = admin.Get(t, fmt.Sprintf("/tickets/%d", id)).Body
	f = sidePanelForm(t, page, id)
	for _, k := range []string{"subject", "status", "priority", "assignee_id", "type", "channel_id", "tags"} {
		if !f.Has(k) {
			t.Errorf("the side panel form has no %s", k)
		}
	}
	if res := admin.PostForm(t, fmt.Sprintf("/tickets/%d", id), f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	if got := ticketEventKinds(t, a, id); len(got) != before {
		t.Errorf("an unchanged Save wrote %v", got[before:])
	}
	// One field changed: one entry.
	f.Set("priority", "urgent")
	admin.PostForm(t, fmt.Sprintf("/tickets/%d", id), f)
	if got := ticketEventKinds(t, a, id); len(got) != before+1 || got[before] != "priority" {
		t.Errorf("changing the priority wrote %v", got[before:])
	}
}

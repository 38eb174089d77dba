package web_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestGroupsAPI: groups in the API as {"id", "name", "agent_ids"}; only
// administrators change them; agents carry group_ids and available;
// tickets carry group_id (create, PATCH, filter, bulk) and the timeline
// records each change.
func TestGroupsAPI(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	admin, _, err := a.DB.AgentCredentials(ctx, apptest.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	olga := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Ольга", Email: "olga@example.com", Role: ringdesk.RoleAgent})
	boris := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Борис", Email: "boris@example.com", Role: ringdesk.RoleAgent})
	clients := map[string]*apptest.Client{"admintoken": a.TokenClient(t, admin), "token": a.TokenClient(t, olga)}
	client := seedClient(t, a, "Петров Иван", "+79261234567")
	runScenarios(t, a, clients, []scenario{
		{name: "create", as: "admintoken", method: "POST", path: "/api/v1/groups",
			json: map[string]any{"name": "Продажи", "agent_ids": []int64{olga.ID}}, wantStatus: 201,
			wantIn: []string{`"id":1`, `"name":"Продажи"`, fmt.Sprintf(`"agent_ids":[%d]`, olga.ID)}},
		{name: "same name in other case", as: "admintoken", method: "POST", path: "/api/v1/groups",
			json: map[string]any{"name": "ПРОДАЖИ"}, wantStatus: 409, wantIn: []string{`"code":"conflict"`, `"name"`}},
		{name: "no name", as: "admintoken", method: "POST", path: "/api/v1/groups", json: map[string]any{"agent_ids": []int64{}}, wantStatus: 400,
			wantIn: []string{`"name":"Name is required."`}},
		{name: "unknown agent", as: "admintoken", method: "POST", path: "/api/v1/groups",
			json: map[string]any{"name": "VIP", "agent_ids": []int64{999}}, wantStatus: 400, wantIn: []string{"No agent has id 999."}},
		{name: "agent cannot create", as: "token", method: "POST", path: "/api/v1/groups", json: map[string]any{"name": "X"}, wantStatus: 403},
		{name: "agent cannot rename", as: "token", method: "PATCH", path: "/api/v1/groups/1", json: map[string]any{"name": "X"}, wantStatus: 403},
		{name: "agent cannot delete", as: "token", method: "DELETE", path: "/api/v1/groups/1", wantStatus: 403},
		{name: "agent reads", as: "token", method: "GET", path: "/api/v1/groups", wantStatus: 200, wantIn: []string{`"groups":[{"id":1,"name":"Продажи"`}},
		{name: "rename and members", as: "admintoken", method: "PATCH", path: "/api/v1/groups/1",
			json: map[string]any{"name": "Sales", "agent_ids": []int64{boris.ID, olga.ID, boris.ID}}, wantStatus: 200,
			wantIn: []string{`"name":"Sales"`, fmt.Sprintf(`"agent_ids":[%d,%d]`, olga.ID, boris.ID)}},
		{name: "get one", as: "token", method: "GET", path: "/api/v1/groups/1", wantStatus: 200, wantIn: []string{`"name":"Sales"`}},
		{name: "missing group", as: "token", method: "GET", path: "/api/v1/groups/99", wantStatus: 404},
		{name: "agent shows groups and availability", as: "token", method: "GET", path: "/api/v1/agents/" + itoa(olga.ID), wantStatus: 200,
			wantIn: []string{`"group_ids":[1]`, `"available":true`}},
		{name: "agent cannot change memberships", as: "token", method: "PATCH", path: "/api/v1/agents/" + itoa(olga.ID),
			json: map[string]any{"group_ids": []int64{}}, wantStatus: 403},
		{name: "own switch", as: "token", method: "PATCH", path: "/api/v1/me", json: map[string]any{"available": false}, wantStatus: 200,
			wantIn: []string{`"available":false`, `"group_ids":[1]`}},
		{name: "only available in /me", as: "token", method: "PATCH", path: "/api/v1/me", json: map[string]any{"role": "admin"}, wantStatus: 400},
		{name: "ticket with a group", as: "token", method: "POST", path: "/api/v1/tickets",
			json: map[string]any{"subject": "Счёт", "client_id": client, "group_id": 1}, wantStatus: 201, wantIn: []string{`"group_id":1`}},
		{name: "ticket with a missing group", as: "token", method: "POST", path: "/api/v1/tickets",
			json: map[string]any{"subject": "Счёт", "client_id": client, "group_id": 42}, wantStatus: 400, wantIn: []string{`"group_id":"Group not found."`}},
		{name: "ticket without a group", as: "token", method: "POST", path: "/api/v1/tickets",
			json: map[string]any{"subject": "Другое", "client_id": client}, wantStatus: 201, wantIn: []string{`"group_id":null`}},
		{name: "filter by group", as: "token", method: "GET", path: "/api/v1/tickets?group_id=1", wantStatus: 200,
			wantIn: []string{`"subject":"Счёт"`}, wantNotIn: []string{`"subject":"Другое"`}},
		{name: "filter by no group", as: "token", method: "GET", path: "/api/v1/tickets?group_id=none", wantStatus: 200,
			wantIn: []string{`"subject":"Другое"`}, wantNotIn: []string{`"subject":"Счёт"`}},
		{name: "my groups view", as: "token", method: "GET", path: "/api/v1/tickets?view=mygroups", wantStatus: 200,
			wantIn: []string{`"subject":"Счёт"`}, wantNotIn: []string{`"subject":"Другое"`}},
		{name: "bad group filter", as: "token", method: "GET", path: "/api/v1/tickets?group_id=x", wantStatus: 400},
		{name: "move to no group", as: "token", method: "PATCH", path: "/api/v1/tickets/1", json: map[string]any{"group_id": nil}, wantStatus: 200,
			wantIn: []string{`"group_id":null`}},
		{name: "bulk set group", as: "token", method: "POST", path: "/api/v1/tickets/bulk", json: map[string]any{"ids": []int64{1, 2}, "group_id": 1},
			wantStatus: 200, wantIn: []string{`"updated":2`}},
		{name: "timeline records the changes", as: "token", method: "GET", path: "/api/v1/tickets/1/events", wantStatus: 200,
			wantIn: []string{`"kind":"group","author_type":"agent"`, `"data":{"from":1,"to":null}`, `"data":{"from":null,"to":1}`}},
		{name: "delete", as: "admintoken", method: "DELETE", path: "/api/v1/groups/1", wantStatus: 204},
		{name: "deleted is gone", as: "token", method: "GET", path: "/api/v1/groups/1", wantStatus: 404},
		{name: "its tickets have no group", as: "token", method: "GET", path: "/api/v1/tickets?group_id=none", wantStatus: 200,
			wantIn: []string{`"subject":"Счёт"`, `"subject":"Другое"`}},
		{name: "deleting is in the timeline", as: "token", method: "GET", path: "/api/v1/tickets/2/events", wantStatus: 200,
			wantIn: []string{`"data":{"from":1,"to":null,"deleted":true}`}},
		{name: "agent left it", as: "token", method: "GET", path: "/api/v1/me", wantStatus: 200, wantIn: []string{`"group_ids":[]`}},
	})
}

// TestGroupPages: the admin's Groups page (create, members, rename,
// delete with confirmation), memberships on the agent form, the group on
// the ticket page and list, and what an agent may not see.
func TestGroupPages(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	olga := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Ольга", Email: "olga@example.com", Role: ringdesk.RoleAgent, Lang: "ru"})
	boris := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Борис", Email: "boris@example.com", Role: ringdesk.RoleAgent})
	admin := a.Admin(t)
	agent := a.Login(t, "olga@example.com", "agent-password-1")
	client := seedClient(t, a, "Петров Иван", "+79261234567")
	runScenarios(t, a, map[string]*apptest.Client{"admin": admin, "agent": agent}, []scenario{
		{name: "empty groups page", as: "admin", method: "GET", path: "/groups", wantStatus: 200, wantIn: []string{"No groups yet.", `href="/groups"`}},
		{name: "agent has no groups page", as: "agent", method: "GET", path: "/groups", wantStatus: 403},
		{name: "agent has no groups link", as: "agent", method: "GET", path: "/tickets", wantStatus: 200, wantNotIn: []string{`href="/groups"`}},
		{name: "agent cannot create", as: "agent", method: "POST", path: "/groups", form: url.Values{"name": {"X"}}, wantStatus: 403},
		{name: "create needs a name", as: "admin", method: "POST", path: "/groups", form: url.Values{"name": {" "}}, wantStatus: 400,
			wantIn: []string{"Name is required.", `aria-invalid="true"`}},
		{name: "create", as: "admin", method: "POST", path: "/groups", form: url.Values{"name": {"Линия VIP"}}, wantStatus: 303},
		{name: "the form lists agents", as: "admin", method: "GET", path: "/groups/1", wantStatus: 200,
			wantIn: []string{`value="Линия VIP"`, `name="agent_id" value="` + itoa(olga.ID) + `"`, "Борис"}},
		{name: "members and rename", as: "admin", method: "POST", path: "/groups/1",
			form: url.Values{"name": {"VIP"}, "agent_id": {itoa(olga.ID), itoa(boris.ID)}}, wantStatus: 303},
		{name: "list counts members", as: "admin", method: "GET", path: "/groups", wantStatus: 200, wantIn: []string{"VIP", "2 agents"}},
		{name: "rename clash", as: "admin", method: "POST", path: "/groups", form: url.Values{"name": {"vip"}}, wantStatus: 409,
			wantIn: []string{"A group with this name already exists."}},
		{name: "agent form shows memberships", as: "admin", method: "GET", path: "/agents/" + itoa(olga.ID), wantStatus: 200,
			wantIn: []string{`name="group_id" value="1" checked`}},
		{name: "agent form takes memberships off", as: "admin", method: "POST", path: "/agents/" + itoa(boris.ID),
			form: url.Values{"name": {"Борис"}, "email": {"boris@example.com"}, "role": {"agent"}, "active": {"on"}, "groups_shown": {"1"}}, wantStatus: 303},
		{name: "in Russian with plural", as: "agent", method: "GET", path: "/tickets", wantStatus: 200,
			wantIn: []string{"Мои группы — открытые", "Группы — открытые", "VIP"}},
	})
	if ids, _ := a.DB.AgentGroupIDs(ctx, boris.ID); len(ids) != 0 {
		t.Errorf("boris still in %v", ids)
	}
	if res := admin.Get(t, "/groups"); !strings.Contains(res.Body, "1 agent<") {
		t.Errorf("one member is not «1 agent»: %.2000s", res.Body)
	}
	tk, err := a.Desk.CreateTicket(ctx, olga, ringdesk.TicketCreate{Subject: "Счёт за май", ClientID: client})
	if err != nil {
		t.Fatal(err)
	}
	path := "/tickets/" + itoa(tk.ID)
	// The ticket page offers the group, and then its agents first.
	res := agent.PostForm(t, path, url.Values{"group_id": {"1"}})
	if res.StatusCode != 303 {
		t.Fatalf("set group: %d %.500s", res.StatusCode, res.Body)
	}
	res = agent.Get(t, path)
	for _, want := range []string{`<option value="1" selected>VIP</option>`, `<optgroup label="В группе VIP">`, "Другие агенты",
		"изменил(а) группу: без группы → VIP", "Группа: VIP"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
	in := strings.Index(res.Body, `<optgroup label="В группе VIP">`)
	if in < 0 || !strings.Contains(res.Body[in:strings.Index(res.Body[in:], "</optgroup>")+in], "Ольга") ||
		strings.Contains(res.Body[in:strings.Index(res.Body[in:], "</optgroup>")+in], "Борис") {
		t.Error("the group's optgroup does not hold exactly its agents")
	}
	res = agent.Get(t, "/tickets?view=mygroups")
	if !strings.Contains(res.Body, "Счёт за май") || !strings.Contains(res.Body, `<span title="VIP">VIP</span>`) {
		t.Errorf("my groups view lacks the ticket or its group column")
	}
	// Bulk: move to no group.
	res = agent.PostForm(t, "/tickets/bulk", url.Values{"id": {itoa(tk.ID)}, "group": {"none"}, "return": {"/tickets?view=all"}})
	if res.StatusCode != 303 {
		t.Fatalf("bulk: %d %.500s", res.StatusCode, res.Body)
	}
	if got, _ := a.DB.TicketByID(ctx, tk.ID); got.GroupID != nil {
		t.Errorf("bulk left group %v", *got.GroupID)
	}
	agent.PostForm(t, path, url.Values{"group_id": {"1"}})
	// Deleting asks first, says what happens to the tickets, then does it.
	res = admin.Get(t, "/groups/1/delete")
	if res.StatusCode != 200 || !strings.Contains(res.Body, "Its 1 ticket will have no group.") {
		t.Errorf("delete confirmation: %d %.1500s", res.StatusCode, res.Body)
	}
	if res := agent.PostForm(t, "/groups/1/delete", url.Values{}); res.StatusCode != 403 {
		t.Errorf("agent deleted a group: %d", res.StatusCode)
	}
	if res := admin.PostForm(t, "/groups/1/delete", url.Values{}); res.StatusCode != 303 {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	res = agent.Get(t, path)
	if !strings.Contains(res.Body, "VIP → без группы (группа удалена)") {
		t.Errorf("the timeline does not record the deletion: %.300s", res.Body)
	}
	kinds := ticketEventKinds(t, a, tk.ID)
	if n := slices.Index(kinds, "group"); n < 0 {
		t.Errorf("kinds %v", kinds)
	}
	// The switch in the top bar.
	res = agent.Get(t, "/tickets")
	if !strings.Contains(res.Body, `role="switch" aria-checked="true"`) {
		t.Error("the top bar has no availability switch")
	}
	res = agent.PostForm(t, "/profile/available", url.Values{"available": {"false"}, "return": {"/tickets?view=open"}})
	if res.StatusCode != 303 || res.Header.Get("Location") != "/tickets?view=open" {
		t.Errorf("switch: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if me, _ := a.DB.AgentByID(ctx, olga.ID); me.Available {
		t.Error("still available")
	}
	if res := agent.PostForm(t, "/profile/available", url.Values{"available": {"true"}, "return": {"https://evil.example/"}}); res.Header.Get("Location") != "/" {
		t.Errorf("switch went to %q", res.Header.Get("Location"))
	}
}

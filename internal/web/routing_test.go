package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// The simulated account's lines and employees: the main line runs the
// support scenario, the second one sales.
const (
	supportLine = "74951234567"
	salesLine   = "74997654321"
)

// callEventsOf reads s's call events until stop says so (or 20 s pass),
// and returns the states of call id's events seen on the way.
func callEventsOf(t *testing.T, s *apptest.SSE, id int64, stop func(liveCall) bool) []string {
	t.Helper()
	var states []string
	for {
		ev, ok := s.Next("call", 20*time.Second)
		if !ok {
			t.Fatalf("no call event that ends the wait within 20 s (call %d seen as %v)", id, states)
		}
		var c liveCall
		if err := json.Unmarshal([]byte(ev.Data), &c); err != nil {
			t.Fatal(err)
		}
		if c.ID == id {
			states = append(states, c.State)
		}
		if stop(c) {
			return states
		}
	}
}

// supportAndSales makes the simulated account's two teams through the API:
// Поддержка (Ivanov, Petrova) and Продажи (Smirnov).
func supportAndSales(t *testing.T, admin *apptest.Client, tel *apptest.Telephony) (support, sales struct{ ID int64 }) {
	t.Helper()
	jsonBody(t, admin.JSON(t, "POST", "/api/v1/groups", map[string]any{"name": "Поддержка",
		"agent_ids": []int64{tel.Agents[ivanov].ID, tel.Agents[petrova].ID}}), 201, &support)
	jsonBody(t, admin.JSON(t, "POST", "/api/v1/groups", map[string]any{"name": "Продажи", "agent_ids": []int64{tel.Agents[smirnov].ID}}), 201, &sales)
	return support, sales
}

// noEventsOf fails when s delivers an event of call id within d (events
// of other calls, such as a late update of one the agent may see, pass).
func noEventsOf(t *testing.T, s *apptest.SSE, who string, id int64, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return
		}
		ev, ok := s.Next("call", left)
		if !ok {
			return
		}
		var c liveCall
		if err := json.Unmarshal([]byte(ev.Data), &c); err != nil {
			t.Fatal(err)
		}
		if c.ID == id {
			t.Errorf("%s got call %d, meant for another group: %s", who, id, ev.Data)
			return
		}
	}
}

func jsonBody(t *testing.T, r *apptest.Response, want int, v any) {
	t.Helper()
	if r.StatusCode != want {
		t.Fatalf("status %d, want %d: %s", r.StatusCode, want, r.Body)
	}
	if v != nil {
		r.JSON(t, v)
	}
}

// TestCallRouting: a channel's rules send the sales line to Sales and the
// rest to Support; a ringing call reaches only its group's available
// agents, the answer closes it for the whole group, a missed call is news
// for its group only, the ticket gets the group, an agent who goes
// unavailable or leaves the group loses its pop-up at once, and only
// administrators edit routing.
func TestCallRouting(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	admin := a.Admin(t)
	agentIDs := func(emps ...int64) []int64 {
		var out []int64
		for _, e := range emps {
			out = append(out, tel.Agents[e].ID)
		}
		return out
	}
	support, sales := supportAndSales(t, admin, tel)

	chPath := fmt.Sprintf("/api/v1/channels/%d", tel.Channel.ID)
	var ch struct {
		Routing        []map[string]any `json:"routing"`
		DefaultGroupID *int64           `json:"default_group_id"`
	}
	jsonBody(t, admin.Get(t, chPath), 200, &ch)
	if ch.Routing == nil || len(ch.Routing) != 0 || ch.DefaultGroupID != nil {
		t.Fatalf("a new channel's routing: %+v, want [] and null", ch)
	}
	bad := admin.JSON(t, "PATCH", chPath, map[string]any{"routing": []map[string]any{{"virtual_phone_number": salesLine, "group_id": 99999}}})
	if bad.StatusCode != http.StatusUnprocessableEntity && bad.StatusCode != http.StatusBadRequest {
		t.Fatalf("a rule naming no group: %d %s", bad.StatusCode, bad.Body)
	}
	if bad := admin.JSON(t, "PATCH", chPath, map[string]any{"routing": []map[string]any{{"group_id": sales.ID}}}); bad.StatusCode < 400 || bad.StatusCode >= 500 {
		t.Fatalf("a rule matching by nothing: %d %s", bad.StatusCode, bad.Body)
	}
	if r := a.TokenClient(t, tel.Agents[ivanov]).JSON(t, "PATCH", chPath, map[string]any{"default_group_id": sales.ID}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("an agent edited routing: %d", r.StatusCode)
	}
	jsonBody(t, admin.JSON(t, "PATCH", chPath, map[string]any{
		"routing":          []map[string]any{{"virtual_phone_number": "+7 (499) 765-43-21", "group_id": sales.ID}},
		"default_group_id": support.ID}), 200, &ch)
	if len(ch.Routing) != 1 || ch.Routing[0]["virtual_phone_number"] != salesLine || ch.DefaultGroupID == nil || *ch.DefaultGroupID != support.ID {
		t.Fatalf("routing saved as %+v", ch)
	}

	sI := a.Login(t, tel.Agents[ivanov].Email, "agent-password-1").Stream(t, "/live")
	meP := a.Login(t, tel.Agents[petrova].Email, "agent-password-1")
	sP := meP.Stream(t, "/live")
	sS := a.Login(t, tel.Agents[smirnov].Email, "agent-password-1").Stream(t, "/live")
	for _, s := range []*apptest.SSE{sI, sP, sS} {
		if _, ok := s.Next("snapshot", 10*time.Second); !ok {
			t.Fatal("no snapshot on connect")
		}
	}

	// A sales call: Smirnov alone hears it ring, answer and finish.
	c1 := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79161110001", VirtualNumber: salesLine,
		EmployeeIDs: []int64{smirnov}, WaitSeconds: 1500, TalkSeconds: 10})
	if got := callEventsOf(t, sS, c1.ID, func(l liveCall) bool { return l.ID == c1.ID && l.State == "finished" }); got[0] != "ringing" {
		t.Errorf("Smirnov saw the sales call as %v, want it ringing first", got)
	}
	var tk struct {
		GroupID *int64 `json:"group_id"`
		Subject string `json:"subject"`
	}
	jsonBody(t, admin.Get(t, fmt.Sprintf("/api/v1/tickets/%d", c1.TicketID)), 200, &tk)
	if tk.GroupID == nil || *tk.GroupID != sales.ID {
		t.Errorf("the sales call's ticket is in group %v, want %d", tk.GroupID, sales.ID)
	}

	// A support call answered by Ivanov: Petrova sees it ring and then
	// sees it answered by someone else (her pop-up closes); Smirnov and
	// the Support agents heard nothing of the sales call.
	c2 := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79161110002", VirtualNumber: supportLine,
		EmployeeIDs: []int64{ivanov}, WaitSeconds: 1500, TalkSeconds: 10})
	states := callEventsOf(t, sP, c2.ID, func(l liveCall) bool {
		if l.ID == c1.ID {
			t.Errorf("Petrova got the sales call %d", c1.ID)
		}
		return l.ID == c2.ID && l.State == "finished"
	})
	if len(states) < 2 || states[0] != "ringing" {
		t.Errorf("Petrova saw the support call as %v, want ringing, then answered", states)
	}
	callEventsOf(t, sI, c2.ID, func(l liveCall) bool {
		if l.ID == c1.ID {
			t.Errorf("Ivanov got the sales call %d", c1.ID)
		}
		return l.ID == c2.ID && l.State == "finished"
	})
	noEventsOf(t, sS, "Smirnov", c2.ID, 500*time.Millisecond)
	jsonBody(t, admin.Get(t, fmt.Sprintf("/api/v1/tickets/%d", c2.TicketID)), 200, &tk)
	if tk.GroupID == nil || *tk.GroupID != support.ID {
		t.Errorf("the support call's ticket (default group) is in group %v, want %d", tk.GroupID, support.ID)
	}

	// A missed sales call is a notice for Sales only.
	c3 := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79161110003", VirtualNumber: salesLine,
		EmployeeIDs: []int64{smirnov}, WaitSeconds: 5})
	if got := callUpdates(t, sS, func(l liveCall) bool { return l.ID == c3.ID && l.State == "finished" }); !got.Missed {
		t.Errorf("Smirnov's notice of the missed sales call: %+v", got)
	}
	noEventsOf(t, sI, "Ivanov", c3.ID, 500*time.Millisecond)

	// Petrova goes unavailable: her page is told at once, and a support
	// call no longer rings on her screen (she still sees how it ends).
	jsonBody(t, meP.JSON(t, "PATCH", "/api/v1/me", map[string]any{"available": false}), 200, nil)
	if _, ok := sP.Next("snapshot", 5*time.Second); !ok {
		t.Fatal("going unavailable sent Petrova's page no new snapshot")
	}
	c4 := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79161110004", VirtualNumber: supportLine,
		EmployeeIDs: []int64{ivanov}, WaitSeconds: 1500, TalkSeconds: 10})
	if got := callEventsOf(t, sP, c4.ID, func(l liveCall) bool { return l.ID == c4.ID && l.State == "finished" }); len(got) == 0 || got[0] == "ringing" {
		t.Errorf("unavailable Petrova saw %v, want no ringing", got)
	}
	if got := callEventsOf(t, sI, c4.ID, func(l liveCall) bool { return l.ID == c4.ID && l.State == "finished" }); got[0] != "ringing" {
		t.Errorf("Ivanov saw %v, want ringing first", got)
	}

	// Back available, Petrova sees a support call ring; taken out of
	// Support, her page drops it at once.
	jsonBody(t, meP.JSON(t, "PATCH", "/api/v1/me", map[string]any{"available": true}), 200, nil)
	sP.Next("snapshot", 5*time.Second)
	tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79161110005", VirtualNumber: supportLine, WaitSeconds: 60_000})
	ring := callUpdates(t, sP, func(l liveCall) bool { return l.ContactPhone == "+79161110005" && l.State == "ringing" })
	jsonBody(t, admin.JSON(t, "PATCH", fmt.Sprintf("/api/v1/groups/%d", support.ID), map[string]any{"agent_ids": agentIDs(ivanov)}), 200, nil)
	ev, ok := sP.Next("snapshot", 5*time.Second)
	if !ok {
		t.Fatal("leaving the group sent Petrova's page no new snapshot")
	}
	var snap struct{ Calls []liveCall }
	if err := json.Unmarshal([]byte(ev.Data), &snap); err != nil {
		t.Fatal(err)
	}
	for _, c := range snap.Calls {
		if c.ID == ring.ID {
			t.Errorf("after leaving Support, Petrova's page still has its ringing call %d", ring.ID)
		}
	}
	if got := snapshot(t, a.Login(t, tel.Agents[ivanov].Email, "agent-password-1")); len(got) != 1 || got[0].ID != ring.ID {
		t.Errorf("Ivanov's snapshot %+v, want the ringing support call", got)
	}
}

// TestCallSubjectInReadersLanguage: a ticket a call made reads "Входящий
// звонок: …" to a Russian reader and "Incoming call from …" to an English
// one, in the API and on the page; saving the page's form does not freeze
// it, and an agent's own subject stays as written.
func TestCallSubjectInReadersLanguage(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79161112299", ContactName: "Анна", WaitSeconds: 5})
	en := a.CreateAgent(t, ringdesk.AgentCreate{Email: "en@ringdesk.example", Role: ringdesk.RoleAgent, Lang: ringdesk.LangEN})
	ru := a.CreateAgent(t, ringdesk.AgentCreate{Email: "ru@ringdesk.example", Role: ringdesk.RoleAgent, Lang: ringdesk.LangRU})
	path := fmt.Sprintf("/api/v1/tickets/%d", c.TicketID)
	subject := func(cl *apptest.Client) string {
		var tk struct {
			Subject string `json:"subject"`
		}
		jsonBody(t, cl.Get(t, path), 200, &tk)
		return tk.Subject
	}
	enC, ruC := a.TokenClient(t, en), a.TokenClient(t, ru)
	if got := subject(enC); got != "Incoming call from Анна (+7 916 111-22-99)" {
		t.Errorf("English reader: %q", got)
	}
	if got := subject(ruC); got != "Входящий звонок: Анна (+7 916 111-22-99)" {
		t.Errorf("Russian reader: %q", got)
	}
	page := a.Login(t, en.Email, "agent-password-1").Get(t, fmt.Sprintf("/tickets/%d", c.TicketID))
	if !strings.Contains(page.Body, "<h1>Incoming call from Анна (&#43;7 916 111-22-99)</h1>") {
		t.Errorf("the English ticket page does not show the English subject: %.300s", page.Body[max(0, strings.Index(page.Body, "<h1")):])
	}
	// The English reader sends the subject back unchanged (as a form does):
	// it stays Ringdesk's, in each reader's language.
	jsonBody(t, enC.JSON(t, "PATCH", path, map[string]any{"subject": "Incoming call from Анна (+7 916 111-22-99)", "priority": "urgent"}), 200, nil)
	if got := subject(ruC); got != "Входящий звонок: Анна (+7 916 111-22-99)" {
		t.Errorf("after an unchanged save the Russian reader sees %q", got)
	}
	jsonBody(t, enC.JSON(t, "PATCH", path, map[string]any{"subject": "Refund for order 17"}), 200, nil)
	if got := subject(ruC); got != "Refund for order 17" {
		t.Errorf("an agent's subject reads %q to a Russian reader", got)
	}
}

// TestCallRoutingEdges: a call routed elsewhere by a later event (an
// employee rule matches once UIS names who answered) still closes the
// pop-ups it opened first; a call no rule routes rings everyone even when
// it joins a ticket that is in a group; archiving a group the routing
// names does not keep the channel's other settings from being saved.
func TestCallRoutingEdges(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	admin := a.Admin(t)
	support, sales := supportAndSales(t, admin, tel)
	chPath := fmt.Sprintf("/api/v1/channels/%d", tel.Channel.ID)
	jsonBody(t, admin.JSON(t, "PATCH", chPath, map[string]any{
		"routing": []map[string]any{{"employee_id": smirnov, "group_id": sales.ID}}, "default_group_id": support.ID}), 200, nil)
	sP := a.Login(t, tel.Agents[petrova].Email, "agent-password-1").Stream(t, "/live")
	if _, ok := sP.Next("snapshot", 10*time.Second); !ok {
		t.Fatal("no snapshot")
	}

	// Rings for Support (UIS names no employee yet), answered by Smirnov:
	// routed to Sales, and Petrova's pop-up still hears it was answered.
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79161110010", VirtualNumber: supportLine,
		EmployeeIDs: []int64{smirnov}, WaitSeconds: 1500, TalkSeconds: 10})
	states := callEventsOf(t, sP, c.ID, func(l liveCall) bool { return l.ID == c.ID && l.State == "finished" })
	if states[0] != "ringing" {
		t.Errorf("Petrova saw the call as %v, want it ringing first (Support is the default)", states)
	}
	var tk struct {
		GroupID *int64 `json:"group_id"`
	}
	jsonBody(t, admin.Get(t, fmt.Sprintf("/api/v1/tickets/%d", c.TicketID)), 200, &tk)
	if tk.GroupID == nil || *tk.GroupID != sales.ID {
		t.Errorf("the ticket of a call Smirnov answered is in group %v, want Sales %d", tk.GroupID, sales.ID)
	}

	// No rules, tickets reused: the client's ticket is in Sales, yet a new
	// call from them is routed nowhere, so it rings for Petrova too.
	jsonBody(t, admin.JSON(t, "PATCH", chPath, map[string]any{"routing": nil, "default_group_id": nil,
		"ticket_policy": "reuse", "reuse_hours": 24}), 200, nil)
	first := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79161110011", EmployeeIDs: []int64{ivanov},
		WaitSeconds: 5, TalkSeconds: 10})
	jsonBody(t, admin.JSON(t, "PATCH", fmt.Sprintf("/api/v1/tickets/%d", first.TicketID), map[string]any{"group_id": sales.ID}), 200, nil)
	again := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79161110011", EmployeeIDs: []int64{ivanov},
		WaitSeconds: 1500, TalkSeconds: 10})
	if again.TicketID != first.TicketID {
		t.Fatalf("the second call went into ticket %d, want the reused %d", again.TicketID, first.TicketID)
	}
	if got := callEventsOf(t, sP, again.ID, func(l liveCall) bool { return l.ID == again.ID && l.State == "finished" }); got[0] != "ringing" {
		t.Errorf("an unrouted call on a Sales ticket reached Petrova as %v, want ringing", got)
	}

	// Archiving a group the routing names: the rule is skipped, and the
	// channel's other settings can still be saved.
	jsonBody(t, admin.JSON(t, "PATCH", chPath, map[string]any{"default_group_id": sales.ID}), 200, nil)
	if r := admin.Do(t, "DELETE", fmt.Sprintf("/api/v1/groups/%d", sales.ID), nil, nil); r.StatusCode >= 300 {
		t.Fatalf("archiving Sales: %d %s", r.StatusCode, r.Body)
	}
	jsonBody(t, admin.JSON(t, "PATCH", chPath, map[string]any{"time_zone": "Europe/Samara"}), 200, nil)
	if r := admin.JSON(t, "PATCH", chPath, map[string]any{"default_group_id": 999999}); r.StatusCode != http.StatusUnprocessableEntity && r.StatusCode != http.StatusBadRequest {
		t.Errorf("a default group that never existed: %d", r.StatusCode)
	}
	if r := admin.JSON(t, "PATCH", chPath, map[string]any{"routing": "sales"}); r.StatusCode != http.StatusUnprocessableEntity && r.StatusCode != http.StatusBadRequest {
		t.Errorf("routing that is not a list: %d", r.StatusCode)
	}
}

package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

type callStarted struct {
	RequestID     int64  `json:"request_id"`
	CallSessionID *int64 `json:"call_session_id"`
	ExternalID    string `json:"external_id"`
	Status        string `json:"status"`
}

type callErr struct {
	Error struct {
		Code     string            `json:"code"`
		Message  string            `json:"message"`
		Mnemonic string            `json:"mnemonic"`
		Fields   map[string]string `json:"fields"`
	} `json:"error"`
}

// employeeCalls returns the start.employee_call params the simulator got,
// from its control API (GET /sim/v1/requests).
func employeeCalls(t *testing.T, tel *apptest.Telephony) []map[string]any {
	t.Helper()
	res, err := http.Get(tel.SimURL + "/sim/v1/requests?api=call&method=start.employee_call")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var recs []uissim.RequestRecord
	if err := json.NewDecoder(res.Body).Decode(&recs); err != nil {
		t.Fatalf("GET /sim/v1/requests: %d %v", res.StatusCode, err)
	}
	var out []map[string]any
	for _, r := range recs {
		if r.Method != "start.employee_call" {
			t.Fatalf("the request log filter let %s through", r.Method)
		}
		var p map[string]any
		if err := json.Unmarshal(r.Params, &p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func TestClickToCallFromTicketAndClient(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	first := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79261234567", EmployeeIDs: []int64{petrova}, TalkSeconds: 10})
	agent := tel.Agents[ivanov]
	api := a.TokenClient(t, agent)

	// From the ticket: the call attaches to that ticket.
	res := api.JSON(t, "POST", "/api/v1/calls", map[string]any{"ticket_id": first.TicketID})
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /api/v1/calls: %d %s", res.StatusCode, res.Body)
	}
	var got callStarted
	res.JSON(t, &got)
	if got.RequestID == 0 || got.CallSessionID == nil || !strings.HasPrefix(got.ExternalID, "rd-") {
		t.Fatalf("answer %+v", got)
	}
	calls := employeeCalls(t, tel)
	if len(calls) != 1 {
		t.Fatalf("start.employee_call sent %d times", len(calls))
	}
	p := calls[0]
	want := map[string]any{"access_token": uissim.DefaultAPIKey, "first_call": "employee", "contact": "79261234567",
		"virtual_phone_number": "74951234567", "direction": "out", "external_id": got.ExternalID}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("param %s = %v, want %v", k, p[k], v)
		}
	}
	if emp, _ := p["employee"].(map[string]any); emp["id"] != float64(ivanov) {
		t.Errorf("employee = %v, want id %d", p["employee"], ivanov)
	}
	tel.Wait(t)
	out, err := a.DB.CallBySession(context.Background(), tel.Channel.ID, *got.CallSessionID)
	if err != nil {
		t.Fatal(err)
	}
	if out.TicketID != first.TicketID || out.ClientID != first.ClientID || out.Direction != "out" || out.ExternalID != got.ExternalID {
		t.Fatalf("outgoing call: ticket %d client %d dir %s ext %q; want ticket %d client %d", out.TicketID, out.ClientID, out.Direction, out.ExternalID, first.TicketID, first.ClientID)
	}
	if out.AgentID == nil || *out.AgentID != agent.ID {
		t.Errorf("agent = %v, want %d", out.AgentID, agent.ID)
	}

	// From the client card (another agent; the same agent within 10 s would
	// get the first request back): the call joins the client's open ticket,
	// and the answer says which.
	place := func(c *apptest.Client, body map[string]any) *ringdesk.Call {
		t.Helper()
		res := c.JSON(t, "POST", "/api/v1/calls", body)
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("POST /api/v1/calls %v: %d %s", body, res.StatusCode, res.Body)
		}
		var got struct {
			callStarted
			TicketID *int64 `json:"ticket_id"`
		}
		res.JSON(t, &got)
		tel.Wait(t)
		out, err := a.DB.CallBySession(context.Background(), tel.Channel.ID, *got.CallSessionID)
		if err != nil {
			t.Fatal(err)
		}
		if got.TicketID != nil && *got.TicketID != out.TicketID {
			t.Errorf("the answer named ticket %d, the call went into %d", *got.TicketID, out.TicketID)
		}
		return out
	}
	if out := place(a.TokenClient(t, tel.Agents[petrova]), map[string]any{"client_id": first.ClientID}); out.ClientID != first.ClientID || out.TicketID != first.TicketID {
		t.Fatalf("client-card call: ticket %d client %d; want the open ticket %d of client %d", out.TicketID, out.ClientID, first.TicketID, first.ClientID)
	}
	// The agent can ask for a new ticket instead.
	fresh := place(a.TokenClient(t, tel.Agents[smirnov]), map[string]any{"client_id": first.ClientID, "new_ticket": true})
	if fresh.ClientID != first.ClientID || fresh.TicketID == first.TicketID {
		t.Fatalf("new-ticket call: ticket %d client %d; want a new ticket for client %d", fresh.TicketID, fresh.ClientID, first.ClientID)
	}
	// A number typed on the Calls page finds the client by it and joins
	// the open ticket updated last: now the new one. (Ivanov called this
	// number a moment ago: past the double-click window, it is a new call.)
	a.Desk.SetClock(func() time.Time { return time.Now().Add(desk.DoubleClickWindow + time.Second) })
	if out := place(a.TokenClient(t, tel.Agents[ivanov]), map[string]any{"phone": "8 926 123-45-67"}); out.TicketID != fresh.TicketID {
		t.Fatalf("a call to the number went into ticket %d, want the last updated open ticket %d", out.TicketID, fresh.TicketID)
	}
	// A client with no open ticket gets a new one.
	if _, err := a.Desk.UpdateTicket(context.Background(), ringdesk.System, first.TicketID, ringdesk.TicketUpdate{Status: ptrTo(ringdesk.StatusSolved)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Desk.UpdateTicket(context.Background(), ringdesk.System, fresh.TicketID, ringdesk.TicketUpdate{Status: ptrTo(ringdesk.StatusSolved)}); err != nil {
		t.Fatal(err)
	}
	if out := place(a.TokenClient(t, tel.Agents[petrova]), map[string]any{"client_id": first.ClientID}); out.TicketID == first.TicketID || out.TicketID == fresh.TicketID {
		t.Fatalf("a call to a client without open tickets went into the solved ticket %d", out.TicketID)
	}
}

func TestClickToCallDoubleClickDialsOnce(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	agent := tel.Agents[smirnov]
	web := a.Login(t, agent.Email, "agent-password-1")
	post := func(number string) *apptest.Response {
		return web.Do(t, "POST", "/calls", strings.NewReader(url.Values{"phone": {number}}.Encode()), http.Header{
			"Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"same-origin"}, "Accept": {"application/json"}})
	}
	// Concurrent clicks, the number spelt differently.
	var wg sync.WaitGroup
	ids := make([]int64, 4)
	for i, n := range []string{"+7 926 555-11-22", "89265551122", "79265551122", "(926) 555 1122"} {
		wg.Go(func() {
			res := post(n)
			var got callStarted
			if res.StatusCode != http.StatusAccepted {
				t.Errorf("click %d: %d %s", i, res.StatusCode, res.Body)
				return
			}
			res.JSON(t, &got)
			ids[i] = got.RequestID
		})
	}
	wg.Wait()
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Fatalf("double click made different requests: %v", ids)
		}
	}
	if n := len(employeeCalls(t, tel)); n != 1 {
		t.Fatalf("start.employee_call sent %d times, want 1", n)
	}
	// After the window a new click dials again.
	a.Desk.SetClock(func() time.Time { return time.Now().Add(11 * time.Second) })
	if res := post("+79265551122"); res.StatusCode != http.StatusAccepted {
		t.Fatalf("click after the window: %d %s", res.StatusCode, res.Body)
	}
	if n := len(employeeCalls(t, tel)); n != 2 {
		t.Fatalf("start.employee_call sent %d times, want 2", n)
	}
	tel.Wait(t)
}

func TestClickToCallRefusedBeforeUIS(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	noOp := a.CreateAgent(t, ringdesk.AgentCreate{Email: "noop@example.com", Role: ringdesk.RoleAgent})
	op := int64(777777) // not a UIS employee: these refusals never reach UIS
	withOp := a.CreateAgent(t, ringdesk.AgentCreate{Email: "op@example.com", Role: ringdesk.RoleAgent, OperatorID: &op})
	// No channel yet.
	res := a.TokenClient(t, withOp).JSON(t, "POST", "/api/v1/calls", map[string]any{"phone": "+79261234567"})
	var e callErr
	res.JSON(t, &e)
	if res.StatusCode != 400 || !strings.Contains(e.Error.Message, "No active UIS channel") {
		t.Fatalf("no channel: %d %s", res.StatusCode, res.Body)
	}
	tel := apptest.NewTelephony(t, a)
	cases := []struct {
		name  string
		agent *ringdesk.Agent
		body  any
		field string
		text  string
	}{
		{"no operator id", noOp, map[string]any{"phone": "+79261234567"}, "", "Operator ID is not set"},
		{"invalid number", withOp, map[string]any{"phone": "12"}, "phone", "not a valid phone number"},
		{"nothing to call", withOp, map[string]any{}, "phone", "Give a phone number"},
		{"unknown client", withOp, map[string]any{"client_id": 999999}, "client_id", "no such client"},
		{"unknown client with a number", withOp, map[string]any{"client_id": 999999, "phone": "+79261234567"}, "client_id", "no such client"},
		{"unknown ticket", withOp, map[string]any{"ticket_id": 999999}, "ticket_id", "no such ticket"},
		{"unknown channel", withOp, map[string]any{"phone": "+79261234567", "channel_id": 999999}, "channel_id", "no such channel"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := a.TokenClient(t, c.agent).JSON(t, "POST", "/api/v1/calls", c.body)
			var e callErr
			res.JSON(t, &e)
			if res.StatusCode != 400 || !strings.Contains(e.Error.Message, c.text) || (c.field != "" && e.Error.Fields[c.field] == "") {
				t.Fatalf("%d %s", res.StatusCode, res.Body)
			}
		})
	}
	// A client without a number (a client made by hand, without phones).
	var clientID int64
	if _, err := a.DB.ExecForTest(context.Background(), `INSERT INTO clients (name, created_at, updated_at) VALUES ('No phone', 1, 1)`); err != nil {
		t.Fatal(err)
	}
	if err := a.DB.QueryRowForTest(context.Background(), `SELECT id FROM clients WHERE name = 'No phone'`).Scan(&clientID); err != nil {
		t.Fatal(err)
	}
	res = a.TokenClient(t, withOp).JSON(t, "POST", "/api/v1/calls", map[string]any{"client_id": clientID})
	if res.StatusCode != 400 || !strings.Contains(res.Body, "no phone number") {
		t.Fatalf("client without a number: %d %s", res.StatusCode, res.Body)
	}
	if n := len(employeeCalls(t, tel)); n != 0 {
		t.Fatalf("UIS was called %d times", n)
	}
}

func TestClickToCallUISErrors(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	acct := uissim.DefaultAccount()
	past := time.Now().Add(-time.Hour)
	acct.APIKeys = append(acct.APIKeys, uissim.APIKey{Key: "expired-key", ExpiresAt: &past}, uissim.APIKey{Key: "blocked-key", Blocked: true})
	tel := apptest.NewTelephony(t, a, func(c *uissim.Config) { c.Account = acct })
	ctx := context.Background()
	api := a.TokenClient(t, tel.Agents[ivanov])
	unknownOp := int64(999999)
	stranger := a.CreateAgent(t, ringdesk.AgentCreate{Email: "stranger@example.com", Role: ringdesk.RoleAgent, OperatorID: &unknownOp})

	// Account-wide refusals come from separate simulators.
	simWith := func(change func(*uissim.Account)) string {
		acct := uissim.DefaultAccount()
		change(acct)
		sim, err := uissim.New(uissim.Config{Account: acct, TimeScale: 0.001, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(sim.Handler())
		t.Cleanup(func() { sim.Close(); srv.Close() })
		return srv.URL + "/v4.0"
	}
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL + "/v4.0"
	closed.Close()

	base := tel.Channel.UIS
	setChannel := func(secret, callURL, vnum string) {
		s := base
		if callURL != "" {
			s.CallAPIURL = callURL
		}
		if vnum != "" {
			s.VirtualPhoneNumber = vnum
		}
		if _, err := a.Desk.UpdateChannel(ctx, ringdesk.System, tel.Channel.ID, ringdesk.ChannelUpdate{AppSecret: &secret, UIS: &s}); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name, secret, callURL, vnum, number string
		fault                               string // a refusal the simulator answers start.employee_call with
		client                              *apptest.Client
		status                              int
		mnemonic, text                      string
	}{
		{name: "employee not found", client: a.TokenClient(t, stranger), status: 400, mnemonic: "employee_not_found", text: "does not know your Operator ID"},
		{name: "virtual number", vnum: "74990000001", status: 400, mnemonic: "virtual_phone_number_not_found", text: "not a virtual number"},
		{name: "blacklist", number: "+79990000000", status: 400, mnemonic: "contact_in_blacklist", text: "blacklist"},
		{name: "token invalid", secret: "wrong-secret", status: 503, mnemonic: "access_token_invalid", text: "rejected the channel's App Secret"},
		{name: "token expired", secret: "expired-key", status: 503, mnemonic: "access_token_expired", text: "has expired"},
		{name: "token blocked", secret: "blocked-key", status: 503, mnemonic: "access_token_blocked", text: "is blocked"},
		{name: "ip not whitelisted", callURL: simWith(func(a *uissim.Account) { a.IPWhitelist = []string{"203.0.113.0/24"} }), status: 503, mnemonic: "ip_not_whitelisted", text: "IP address"},
		{name: "component disabled", callURL: simWith(func(a *uissim.Account) { a.Components = map[string]bool{uissim.ComponentCallAPIBasic: false} }), status: 503, mnemonic: "component_disabled", text: "not enabled"},
		{name: "limit exceeded", callURL: simWith(func(a *uissim.Account) { a.Limits.MethodWeights = map[string]int{"start.employee_call": 5000} }), status: 429, mnemonic: "limit_exceeded", text: "limit"},
		{name: "unreachable", callURL: closedURL, status: 503, mnemonic: "unreachable", text: "cannot be reached"},
		// International calls are forbidden by default; the -32002 refusal's
		// mnemonic is not public, so its group explains it.
		{name: "security rules", number: "+442079460958", status: 400, mnemonic: "call_direction_not_allowed", text: "security rules"},
		{name: "no active phone", fault: "no_active_phone_number", status: 400, mnemonic: "no_active_phone_number", text: "no active phone"},
		{name: "forbidden", fault: "forbidden", status: 503, mnemonic: "forbidden", text: "no right to place calls"},
		{name: "account inactive", fault: "account_inactive", status: 503, mnemonic: "account_inactive", text: "account is disabled"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			secret := uissim.DefaultAPIKey
			if c.secret != "" {
				secret = c.secret
			}
			setChannel(secret, c.callURL, c.vnum)
			f := uissim.Faults{}
			if c.fault != "" {
				f.MethodErrors = map[string]string{"start.employee_call": c.fault}
			}
			if err := tel.Sim.SetFaults(f); err != nil {
				t.Fatal(err)
			}
			client := api
			if c.client != nil {
				client = c.client
			}
			number := "+79261110000"
			if c.number != "" {
				number = c.number
			}
			res := client.JSON(t, "POST", "/api/v1/calls", map[string]any{"phone": number})
			var e callErr
			res.JSON(t, &e)
			if res.StatusCode != c.status || e.Error.Code != "uis_error" || e.Error.Mnemonic != c.mnemonic || !strings.Contains(e.Error.Message, c.text) {
				t.Fatalf("%d %s", res.StatusCode, res.Body)
			}
			if strings.Contains(res.Body, secret) {
				t.Fatal("the App Secret leaked into the answer")
			}
		})
	}
	if err := tel.Sim.SetFaults(uissim.Faults{}); err != nil {
		t.Fatal(err)
	}
	// The UI gets the message in Russian.
	setChannel("wrong-secret", "", "")
	ru := a.CreateAgent(t, ringdesk.AgentCreate{Email: "ru@example.com", Role: ringdesk.RoleAgent, OperatorID: &[]int64{555}[0], Lang: "ru"})
	web := a.Login(t, ru.Email, "agent-password-1")
	res := web.Do(t, "POST", "/calls", strings.NewReader("phone=%2B79261110001"), http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"same-origin"}, "Accept": {"application/json"}})
	if res.StatusCode != 503 || !strings.Contains(res.Body, "UIS отклонил App Secret") {
		t.Fatalf("UI error: %d %s", res.StatusCode, res.Body)
	}
	// Without JavaScript: an HTML page with the message.
	res = web.PostForm(t, "/calls", url.Values{"phone": {"+79261110002"}, "next": {"/calls"}})
	if res.StatusCode != 503 || !strings.Contains(res.Body, "UIS отклонил App Secret") {
		t.Fatalf("UI form error: %d %s", res.StatusCode, res.Body)
	}
}

// TestClickToCallEarlyTalkEvent: when UIS starts the conversation as soon
// as the agent's phone picks up, a client who then does not answer leaves
// the call unanswered, and one who answers makes it answered.
func TestClickToCallEarlyTalkEvent(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	b := tel.Sim.Behaviour()
	b.EarlyTalkEvent = true
	if err := tel.Sim.SetBehaviour(b); err != nil {
		t.Fatal(err)
	}
	api := a.TokenClient(t, tel.Agents[ivanov])
	for _, c := range []struct {
		number, outcome, want string
	}{{"+79261117701", uissim.OutcomeNoAnswer, "no_answer"}, {"+79261117702", uissim.OutcomeAnswered, "answered"}} {
		if err := tel.Sim.AddOutgoingRule(uissim.OutgoingRule{Contact: strings.TrimPrefix(c.number, "+"), Outcome: c.outcome, TalkSeconds: 20}); err != nil {
			t.Fatal(err)
		}
		res := api.JSON(t, "POST", "/api/v1/calls", map[string]any{"phone": c.number})
		var st callStarted
		res.JSON(t, &st)
		if res.StatusCode != 202 || st.CallSessionID == nil {
			t.Fatalf("%s: %d %s", c.number, res.StatusCode, res.Body)
		}
		tel.Wait(t)
		call, err := a.DB.CallBySession(context.Background(), tel.Channel.ID, *st.CallSessionID)
		if err != nil {
			t.Fatal(err)
		}
		if got := call.CallOutcome(); got != c.want {
			t.Errorf("%s (%s): outcome %q, want %q; deliveries %+v", c.number, c.outcome, got, c.want, tel.Sim.Deliveries(call.CallSessionID))
		}
	}
}

package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// reportOut is the JSON of GET /api/v1/reports/calls as the tests read it.
type reportOut struct {
	From    string `json:"from"`
	To      string `json:"to"`
	TZ      string `json:"tz"`
	Inbound struct {
		Offered            int      `json:"offered"`
		Answered           int      `json:"answered"`
		AnsweredWithin     int      `json:"answered_within"`
		Missed             int      `json:"missed"`
		ShortAbandoned     int      `json:"short_abandoned"`
		ServiceLevel       *float64 `json:"service_level"`
		ASASeconds         *float64 `json:"asa_seconds"`
		LongestWaitSeconds int64    `json:"longest_wait_seconds"`
	} `json:"inbound"`
	Outbound struct {
		Attempts    int   `json:"attempts"`
		Answered    int   `json:"answered"`
		TalkSeconds int64 `json:"talk_seconds"`
	} `json:"outbound"`
	CallBacks struct {
		Missed        int      `json:"missed"`
		CalledBack    int      `json:"called_back"`
		Rate          *float64 `json:"rate"`
		MedianSeconds *int64   `json:"median_seconds"`
		P90Seconds    *int64   `json:"p90_seconds"`
		Never         int      `json:"never"`
		FirstAttempt  int      `json:"first_attempt"`
	} `json:"callbacks"`
	Agents []struct {
		AgentID     int64  `json:"agent_id"`
		Name        string `json:"name"`
		Answered    int    `json:"answered"`
		Outgoing    int    `json:"outgoing"`
		TalkSeconds int64  `json:"talk_seconds"`
		CallBacks   int    `json:"callbacks"`
	} `json:"agents"`
	ByHour []struct {
		Hour     int `json:"hour"`
		Answered int `json:"answered"`
		Missed   int `json:"missed"`
	} `json:"by_hour"`
	ByDay []struct {
		Date    string `json:"date"`
		Offered int    `json:"offered"`
		Missed  int    `json:"missed"`
	} `json:"by_day"`
}

func getReport(t *testing.T, c *apptest.Client, q string) reportOut {
	t.Helper()
	res := c.Get(t, "/api/v1/reports/calls?"+q)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("report %s: %d %s", q, res.StatusCode, res.Body)
	}
	var r reportOut
	res.JSON(t, &r)
	return r
}

// The scenarios whose outcome is known, played by the simulator over HTTP:
// answered at 19 s and 21 s, abandoned at 4 s and 40 s, a call back after
// a miss, a transfer and an outgoing call nobody answered. Every figure is
// checked exactly, and the JSON has the shape.
func TestCallReportAPIFromSimulatedCalls(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79031110001", EmployeeIDs: []int64{petrova}, WaitSeconds: 19, TalkSeconds: 60})
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79031110002", EmployeeIDs: []int64{petrova}, WaitSeconds: 21, TalkSeconds: 40})
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79031110003", WaitSeconds: 4})
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79031110004", WaitSeconds: 40})
	// Ivanov calls the 40 s caller back, and they answer.
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindOutgoing, ContactNumber: "79031110004", EmployeeIDs: []int64{ivanov}, Outcome: uissim.OutcomeAnswered, WaitSeconds: 5, TalkSeconds: 30})
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingTransfer, ContactNumber: "79031110005", EmployeeIDs: []int64{ivanov, smirnov},
		WaitSeconds: 10, TalkSeconds: 20, TransferWaitSeconds: 5, TransferTalkSeconds: 50})
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindOutgoing, ContactNumber: "79031110006", EmployeeIDs: []int64{ivanov}, Outcome: uissim.OutcomeNoAnswer})

	sup := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Lead", Email: "lead@example.com", Role: ringdesk.RoleSupervisor})
	api := a.TokenClient(t, sup)
	today := time.Now().UTC()
	q := url.Values{"from": {today.AddDate(0, 0, -1).Format("2006-01-02")}, "to": {today.AddDate(0, 0, 1).Format("2006-01-02")}, "tz": {"UTC"}}
	res := api.Get(t, "/api/v1/reports/calls?"+q.Encode())
	if res.StatusCode != http.StatusOK {
		t.Fatalf("report: %d %s", res.StatusCode, res.Body)
	}
	// The shape the issue names, at least.
	var raw map[string]json.RawMessage
	res.JSON(t, &raw)
	for section, keys := range map[string][]string{
		"inbound":   {"offered", "answered", "missed", "short_abandoned", "service_level", "asa_seconds", "longest_wait_seconds"},
		"outbound":  {"attempts", "answered", "talk_seconds"},
		"callbacks": {"missed", "called_back", "rate", "median_seconds", "p90_seconds", "never"},
	} {
		var m map[string]any
		if err := json.Unmarshal(raw[section], &m); err != nil {
			t.Fatalf("%s: %v in %s", section, err, res.Body)
		}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Errorf("%s has no %q: %s", section, k, raw[section])
			}
		}
	}
	for _, list := range []string{"agents", "by_hour", "by_day"} {
		var l []any
		if err := json.Unmarshal(raw[list], &l); err != nil {
			t.Errorf("%s is not a list: %s", list, raw[list])
		}
	}
	var r reportOut
	res.JSON(t, &r)
	in := r.Inbound
	// Offered 5 (two answered, two missed, the transfer); the transfer was
	// answered after 10 s. Service level: answered within 20 s (19 s and
	// the transfer's 10 s) / (3 answered + 1 missed after 5 s) = 0.5.
	if in.Offered != 5 || in.Answered != 3 || in.AnsweredWithin != 2 || in.Missed != 2 || in.ShortAbandoned != 1 ||
		in.ServiceLevel == nil || *in.ServiceLevel != 0.5 || in.LongestWaitSeconds != 40 || in.ASASeconds == nil || math.Abs(*in.ASASeconds-float64(19+21+10)/3) > 0.0001 {
		t.Errorf("inbound %+v (sl %v asa %v)", in, deref(in.ServiceLevel), deref(in.ASASeconds))
	}
	if o := r.Outbound; o.Attempts != 2 || o.Answered != 1 || o.TalkSeconds != 30 {
		t.Errorf("outbound %+v", o)
	}
	cb := r.CallBacks
	if cb.Missed != 2 || cb.CalledBack != 1 || cb.Never != 1 || cb.Rate == nil || *cb.Rate != 0.5 || cb.FirstAttempt != 1 ||
		cb.MedianSeconds == nil || cb.P90Seconds == nil || *cb.MedianSeconds != *cb.P90Seconds {
		t.Errorf("callbacks %+v", cb)
	}
	agents := map[string][3]int{}
	for _, ag := range r.Agents {
		agents[ag.Name] = [3]int{ag.Answered, ag.Outgoing, ag.CallBacks}
	}
	want := map[string][3]int{
		tel.Agents[petrova].Name: {2, 0, 0},
		tel.Agents[ivanov].Name:  {0, 2, 1},
		tel.Agents[smirnov].Name: {1, 0, 0}, // the transfer: the employee who talked last
	}
	if !reflect.DeepEqual(agents, want) {
		t.Errorf("agents %v, want %v", agents, want)
	}
	if len(r.ByHour) != 24 || len(r.ByDay) != 3 || r.From != q.Get("from") || r.TZ != "UTC" {
		t.Errorf("by_hour %d rows, by_day %d, from %s tz %s", len(r.ByHour), len(r.ByDay), r.From, r.TZ)
	}
	// The Calls page lists exactly the calls behind a figure.
	browser := a.Login(t, "lead@example.com", "agent-password-1")
	for metric, n := range map[string]int{"missed": 2, "never_called_back": 1, "answered_within": 2, "short_abandoned": 1, "callbacks_made": 1} {
		q2 := url.Values{"metric": {metric}}
		for k, v := range q {
			q2[k] = v
		}
		page := browser.Get(t, "/calls?"+q2.Encode())
		if page.StatusCode != http.StatusOK || strings.Count(page.Body, `<td class="c-start">`) != n {
			t.Errorf("calls of %s: %d, %d rows, want %d", metric, page.StatusCode, strings.Count(page.Body, `<td class="c-start">`), n)
		}
	}
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// finishedBody is a call_finished notification as UIS sends it, with the
// times in the account's zone (Moscow).
func finishedBody(token string, session int64, dir, contact string, start time.Time, wait, talk int64, lost bool, employee int64) string {
	msk, _ := time.LoadLocation("Europe/Moscow")
	ts := func(t time.Time) string { return t.In(msk).Format("2006-01-02 15:04:05") }
	m := map[string]any{"ud_channel_token": token, "call_session_id": session, "communication_id": session, "direction": dir,
		"contact_phone_number": contact, "virtual_phone_number": "74951234567", "start_time": ts(start),
		"finish_time": ts(start.Add(time.Duration(wait+talk) * time.Second)), "wait_time_duration": wait, "talk_time_duration": talk,
		"total_time_duration": wait + talk, "is_lost": lost, "finish_reason": "subscriber_disconnects"}
	if !lost && talk > 0 {
		m["connection_time"] = ts(start.Add(time.Duration(wait) * time.Second))
	}
	if employee != 0 {
		m["employee_id"], m["last_talked_employee_id"] = employee, employee
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// Days are whole days in tz: a call at 23:30 UTC counts on the next day in
// Moscow and Novosibirsk, on its own day in UTC; a call spanning midnight
// counts on the day it started; a period is the sum of its days; bad
// dates and zones are 400.
func TestCallReportDaysInTimeZones(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	hook := func(body string) {
		t.Helper()
		if code := post(t, a.URL, captured{kind: "call_finished", body: body}); code != http.StatusOK {
			t.Fatalf("webhook: %d", code)
		}
	}
	utc := func(d, h, m int) time.Time { return time.Date(2026, 10, d, h, m, 0, 0, time.UTC) }
	hook(finishedBody(tel.Token, 9001, "in", "79035550001", utc(31, 23, 30), 10, 60, false, petrova)) // 02:30 on 1 Nov in Moscow
	hook(finishedBody(tel.Token, 9002, "in", "79035550002", utc(31, 20, 50), 30, 0, true, 0))         // 23:50 on 31 Oct in Moscow, ends after midnight
	hook(finishedBody(tel.Token, 9003, "in", "79035550003", utc(30, 12, 0), 8, 30, false, petrova))
	api := a.TokenClient(t, a.CreateAgent(t, ringdesk.AgentCreate{Name: "Lead", Email: "lead@example.com", Role: ringdesk.RoleSupervisor}))
	offered := func(from, to, tz string) (int, []int) {
		r := getReport(t, api, url.Values{"from": {from}, "to": {to}, "tz": {tz}}.Encode())
		var days []int
		for _, d := range r.ByDay {
			days = append(days, d.Offered)
		}
		return r.Inbound.Offered, days
	}
	cases := []struct {
		from, to, tz string
		offered      int
		days         []int
	}{
		{"2026-11-01", "2026-11-01", "Europe/Moscow", 1, []int{1}},
		{"2026-10-31", "2026-10-31", "Europe/Moscow", 1, []int{1}}, // the miss spanning midnight
		{"2026-10-31", "2026-10-31", "UTC", 2, []int{2}},
		{"2026-11-01", "2026-11-01", "UTC", 0, []int{0}},
		{"2026-11-01", "2026-11-01", "Asia/Novosibirsk", 2, []int{2}}, // 03:50 and 06:30 on 1 Nov
		{"2026-10-30", "2026-11-01", "Europe/Moscow", 3, []int{1, 1, 1}},
	}
	for _, c := range cases {
		n, days := offered(c.from, c.to, c.tz)
		if n != c.offered || !reflect.DeepEqual(days, c.days) {
			t.Errorf("%s..%s in %s: offered %d by day %v, want %d %v", c.from, c.to, c.tz, n, days, c.offered, c.days)
		}
	}
	for _, q := range []string{"from=2026-13-01", "to=yesterday", "tz=Mars/Olympus", "from=2026-11-02&to=2026-11-01", "direction=sideways",
		"from=2025-01-01&to=2026-06-01", "agent_id=x"} {
		res := api.Get(t, "/api/v1/reports/calls?"+q)
		var e struct {
			Error struct {
				Code   string            `json:"code"`
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}
		res.JSON(t, &e)
		if res.StatusCode != http.StatusBadRequest || e.Error.Code != "invalid" || len(e.Error.Fields) == 0 {
			t.Errorf("%s: %d %s", q, res.StatusCode, res.Body)
		}
	}
}

// What each role may reach: agents see no report; supervisors see the
// reports and the wallboard but manage neither agents nor channels;
// administrators make supervisors on the agents page and in the API.
func TestSupervisorRole(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	admin := a.Admin(t)
	byEmail := func(email string) *ringdesk.Agent {
		ag, _, err := a.DB.AgentCredentials(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		return ag
	}
	// The admin makes a supervisor on the agents page.
	res := admin.PostForm(t, "/agents", url.Values{"name": {"Lead"}, "email": {"lead@example.com"}, "role": {"supervisor"},
		"password": {"lead-password-1"}, "lang": {"en"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create supervisor: %d %s", res.StatusCode, res.Body)
	}
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Agent", Email: "agent@example.com", Role: ringdesk.RoleAgent})
	// And one in the API.
	res = a.TokenClient(t, byEmail(apptest.AdminEmail)).JSON(t, http.MethodPatch, fmt.Sprintf("/api/v1/agents/%d", agent.ID), map[string]any{"role": "supervisor"})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `"role":"supervisor"`) {
		t.Fatalf("PATCH role: %d %s", res.StatusCode, res.Body)
	}
	res = a.TokenClient(t, byEmail(apptest.AdminEmail)).JSON(t, http.MethodPatch, fmt.Sprintf("/api/v1/agents/%d", agent.ID), map[string]any{"role": "agent"})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("PATCH role back: %d %s", res.StatusCode, res.Body)
	}
	lead := a.Login(t, "lead@example.com", "lead-password-1")
	plain := a.Login(t, "agent@example.com", "agent-password-1")
	cases := []struct {
		path              string
		admin, lead, user int
	}{
		{"/reports", 200, 200, 403},
		{"/reports/calls.csv?table=agents", 200, 200, 403},
		{"/api/v1/reports/calls", 200, 200, 403},
		{"/wallboard", 200, 200, 403},
		{"/wallboard/data", 200, 200, 403},
		{"/tickets", 200, 200, 200},
		{"/calls?metric=missed", 200, 200, 403},
		{"/agents", 200, 403, 403},
		{"/channels", 200, 403, 403},
		{"/groups", 200, 403, 403},
		{"/api/v1/channels", 200, 403, 403},
	}
	for _, c := range cases {
		for who, want := range map[string]int{"admin": c.admin, "supervisor": c.lead, "agent": c.user} {
			cl := map[string]*apptest.Client{"admin": admin, "supervisor": lead, "agent": plain}[who]
			if got := cl.Get(t, c.path).StatusCode; got != want {
				t.Errorf("%s as %s: %d, want %d", c.path, who, got, want)
			}
		}
	}
	// The supervisor sees the Reports link, not the admin's.
	home := lead.Get(t, "/tickets").Body
	if !strings.Contains(home, `href="/reports"`) || strings.Contains(home, `href="/channels"`) {
		t.Error("the supervisor's menu has no Reports or has Channels")
	}
	if strings.Contains(plain.Get(t, "/tickets").Body, `href="/reports"`) {
		t.Error("an agent's menu links the reports")
	}
	// A supervisor cannot make themselves an administrator.
	leadAgent := byEmail("lead@example.com")
	res = a.TokenClient(t, leadAgent).JSON(t, http.MethodPatch, fmt.Sprintf("/api/v1/agents/%d", leadAgent.ID), map[string]any{"role": "admin"})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("supervisor PATCH own role: %d %s", res.StatusCode, res.Body)
	}
}

// Every table of the reports page downloads as CSV with the API's numbers;
// an unknown table is 400.
func TestCallReportCSV(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	hook := func(body string) {
		t.Helper()
		if code := post(t, a.URL, captured{kind: "call_finished", body: body}); code != http.StatusOK {
			t.Fatalf("webhook: %d", code)
		}
	}
	at := time.Date(2026, 11, 2, 9, 15, 0, 0, time.UTC) // 12:15 in Moscow, a Monday
	hook(finishedBody(tel.Token, 9101, "in", "79036660001", at, 15, 100, false, petrova))
	hook(finishedBody(tel.Token, 9102, "in", "79036660002", at.Add(time.Minute), 45, 0, true, 0))
	a.CreateAgent(t, ringdesk.AgentCreate{Name: "Lead", Email: "lead@example.com", Role: ringdesk.RoleSupervisor, Lang: "ru"})
	c := a.Login(t, "lead@example.com", "agent-password-1")
	q := "from=2026-11-02&to=2026-11-02&tz=Europe/Moscow"
	for table, want := range map[string][]string{
		"summary": {"\ufeffПоказатель,Значение\n", "offered,2\n", "missed,1\n", "service_level,0.5\n", "longest_wait_seconds,45\n", "callbacks_never,1\n"},
		"by_hour": {"\ufeffЧас,Отвечено,Пропущено\n", "12,1,1\n", "13,0,0\n"},
		"by_day":  {"2026-11-02,2,1,1,1,0,0.5\n"},
		"heatmap": {"Пн,12,1\n", "Вт,12,0\n"},
		"agents":  {tel.Agents[petrova].Name + ",1,0,0,100,100,0,0\n"},
	} {
		res := c.Get(t, "/reports/calls.csv?table="+table+"&"+q)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "calls-"+table+"-2026-11-02-2026-11-02.csv") {
			t.Errorf("%s: %d %v", table, res.StatusCode, res.Header)
		}
		for _, w := range want {
			if !strings.Contains(res.Body, w) {
				t.Errorf("%s CSV has no %q:\n%s", table, w, res.Body)
			}
		}
	}
	if res := c.Get(t, "/reports/calls.csv?table=everything&"+q); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown table: %d", res.StatusCode)
	}
}

// A missed call is called back when the client is reached on any of their
// numbers: after a duplicate client (the caller's number) is merged into
// the client an agent called on another number, the miss counts as called
// back. A call reconciliation recovered from the UIS calls report counts
// like any other.
func TestCallReportMergedClientsAndRecoveredCalls(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	hook := func(body string) {
		t.Helper()
		if code := post(t, a.URL, captured{kind: "call_finished", body: body}); code != http.StatusOK {
			t.Fatalf("webhook: %d", code)
		}
	}
	at := time.Date(2026, 11, 3, 8, 0, 0, 0, time.UTC)
	hook(finishedBody(tel.Token, 9201, "in", "79034440001", at, 30, 0, true, 0))
	hook(finishedBody(tel.Token, 9202, "out", "79034440002", at.Add(20*time.Minute), 5, 60, false, ivanov))
	api := a.TokenClient(t, a.CreateAgent(t, ringdesk.AgentCreate{Name: "Lead", Email: "lead@example.com", Role: ringdesk.RoleSupervisor}))
	q := "from=2026-11-03&to=2026-11-03&tz=Europe/Moscow"
	if cb := getReport(t, api, q).CallBacks; cb.Missed != 1 || cb.CalledBack != 0 {
		t.Fatalf("before the merge: %+v", cb)
	}
	ctx := context.Background()
	missed, err := a.DB.CallBySession(ctx, tel.Channel.ID, 9201)
	if err != nil {
		t.Fatal(err)
	}
	back, err := a.DB.CallBySession(ctx, tel.Channel.ID, 9202)
	if err != nil {
		t.Fatal(err)
	}
	res := api.JSON(t, http.MethodPost, fmt.Sprintf("/api/v1/clients/%d/merge", back.ClientID), map[string]any{"other_id": missed.ClientID})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("merge: %d %s", res.StatusCode, res.Body)
	}
	cb := getReport(t, api, q).CallBacks
	if cb.Missed != 1 || cb.CalledBack != 1 || cb.MedianSeconds == nil || *cb.MedianSeconds != 19*60+30 || cb.FirstAttempt != 1 {
		t.Errorf("after the merge: %+v (median %v)", cb, cb.MedianSeconds)
	}
	// A call known only from the UIS calls report (its notifications were
	// lost) is offered and answered like one that notified.
	tel.Sim.SetFaults(uissim.Faults{DropProbability: 1})
	tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79034440003", EmployeeIDs: []int64{petrova}, WaitSeconds: 8, TalkSeconds: 30})
	tel.Wait(t)
	tel.Sim.SetFaults(uissim.Faults{})
	if _, err := a.Desk.ReconcileChannel(ctx, tel.Channel.ID); err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Format("2006-01-02")
	r := getReport(t, api, "from="+today+"&to="+today+"&tz=UTC")
	if r.Inbound.Offered != 1 || r.Inbound.Answered != 1 || r.Inbound.AnsweredWithin != 1 {
		t.Errorf("a recovered call: %+v", r.Inbound)
	}
}

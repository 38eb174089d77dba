package uissim

// Tests of the settings that make the simulator play the harder versions of UIS the reference
// (§9, "Facts from public integrations") and issue 14 describe.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func mustBehave(t *testing.T, sim *Simulator, edit func(b *Behaviour)) {
	t.Helper()
	b := sim.Behaviour()
	edit(&b)
	if err := sim.SetBehaviour(b); err != nil {
		t.Fatal(err)
	}
}

// rawBodies returns the bodies received for an event, as sent.
func (rv *receiver) rawBodies(ev EventType) []string {
	var out []string
	for _, g := range rv.all() {
		if strings.Contains(g.Path, "/"+string(ev)+"/") {
			out = append(out, g.Body)
		}
	}
	return out
}

func TestFieldShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		shapes FieldShapes
		spec   CallSpec
		ev     EventType
		want   []string // regexps the raw body must match
		valid  bool     // the body is still valid JSON
	}{
		{"decimal durations", FieldShapes{Durations: ShapeDecimal}, CallSpec{TalkSeconds: 12}, EventCallFinished,
			[]string{`"talk_time_duration":12\.0,`, `"wait_time_duration":5\.0\s*}`, `"postprocess_time_duration":0\.0,`}, true},
		{"hms durations", FieldShapes{Durations: ShapeHMS}, CallSpec{TalkSeconds: 72}, EventCallFinished,
			[]string{`"talk_time_duration":"00:01:12",`, `"total_time_duration":"00:01:17",`}, true},
		{"text operator rating", FieldShapes{OperatorRating: "отлично"}, CallSpec{}, EventCallFinished,
			[]string{`"operator_rating":"отлично",`}, true},
		{"tp_project object", FieldShapes{TPProjectObject: true}, CallSpec{}, EventCallFinished,
			[]string{`"tp_project":\{"id":1,"name":"Основной проект"\},`}, true},
		{"leg_ids as a PostgreSQL array", FieldShapes{Lists: ShapePG}, CallSpec{}, EventConversationStarted,
			[]string{`"leg_ids":"\{\d+,\d+\}",`}, true},
		{"lists as JSON text", FieldShapes{Lists: ShapeJSONText}, CallSpec{}, EventCallFinished,
			[]string{`"employee_ids":"\[323401\]",`, `"talked_employee_full_names":"\[\\"Иванов Иван Петрович\\"\]",`}, true},
		{"names as a PostgreSQL array", FieldShapes{Lists: ShapePG}, CallSpec{}, EventCallFinished,
			[]string{`"talked_employee_full_names":"\{\\"Иванов Иван Петрович\\"\}",`}, true},
		{"unescaped quote", FieldShapes{UnescapedQuotes: true}, CallSpec{ContactName: `ООО "Ромашка"`}, EventCallFinished,
			[]string{`"contact_full_name":"ООО "Ромашка"",`}, false},
		{"numeric connection_time", FieldShapes{NumericConnectionTime: true}, CallSpec{}, EventCallFinished,
			[]string{`"connection_time":\d{10},`}, true},
		{"only the events named", FieldShapes{Durations: ShapeHMS, Events: []EventType{EventIncomingCallStarted}}, CallSpec{TalkSeconds: 12},
			EventCallFinished, []string{`"talk_time_duration":12,`}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rv := newReceiver(t)
			sim, _ := newSim(t, nil)
			sim.SetNotifications(SeedNotifications(rv.srv.URL, "tok"))
			mustBehave(t, sim, func(b *Behaviour) { b.FieldShapes = tc.shapes })
			spec := tc.spec
			spec.Kind, spec.ContactNumber = KindIncomingAnswered, "79261234567"
			id, err := sim.StartCall(context.Background(), spec)
			if err != nil {
				t.Fatal(err)
			}
			waitIdle(t, sim)
			bodies := rv.rawBodies(tc.ev)
			if len(bodies) != 1 {
				t.Fatalf("%s bodies = %d", tc.ev, len(bodies))
			}
			body := strings.ReplaceAll(bodies[0], "\n", "")
			for _, re := range tc.want {
				if !regexp.MustCompile(re).MatchString(body) {
					t.Errorf("body does not match %s:\n%s", re, body)
				}
			}
			if json.Valid([]byte(body)) != tc.valid {
				t.Errorf("valid JSON = %v, want %v:\n%s", !tc.valid, tc.valid, body)
			}
			if tc.shapes.NumericConnectionTime {
				var v struct {
					Connection int64  `json:"connection_time"`
					Start      string `json:"start_time"`
				}
				json.Unmarshal([]byte(body), &v)
				start, _ := time.ParseInLocation(layoutMicro, v.Start, sim.tz)
				if got := time.Unix(v.Connection, 0).Sub(start.Truncate(time.Second)); got != 5*time.Second {
					t.Errorf("connection_time is %v after the start, want the 5 s wait", got)
				}
			}
			if ds := sim.Deliveries(id); len(ds) == 0 {
				t.Error("no deliveries")
			}
		})
	}
	sim, _ := newSim(t, nil)
	for _, bad := range []FieldShapes{{Durations: "weeks"}, {Lists: "csv"}, {Events: []EventType{"nope"}}} {
		if err := sim.SetBehaviour(Behaviour{FieldShapes: bad}); err == nil {
			t.Errorf("SetBehaviour(%+v) accepted", bad)
		}
	}
}

// routedClient reaches named hosts at local addresses, trusting the simulator's certificate:
// what a test of a real recording host does instead of DNS.
func routedClient(routes map[string]string, cert *x509.Certificate, follow bool) *http.Client {
	pool := x509.NewCertPool()
	if cert != nil {
		pool.AddCert(cert)
	}
	d := &net.Dialer{Timeout: 2 * time.Second}
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if to, ok := routes[addr]; ok {
				addr = to
			}
			return d.DialContext(ctx, network, addr)
		}}}
	if !follow {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return c
}

func TestRecordingsOnCoMagicHostBehindRedirect(t *testing.T) {
	t.Parallel()
	sim, url := newSim(t, nil)
	mustBehave(t, sim, func(b *Behaviour) { b.RecordingBaseURL, b.RecordingRedirect = "https://app.comagic.ru/", 308 })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tlsURL, err := sim.StartTLS(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	id, link := answeredCall(t, sim, 4)
	hash := strings.Split(strings.TrimSuffix(link, "/"), "/")[7]
	if want := "http://app.comagic.ru/system/media/talk/" + strconv.FormatInt(id, 10) + "/" + hash + "/"; link != want {
		t.Fatalf("record link = %s, want %s", link, want)
	}
	var rows []map[string]any
	mustData(t, url+"/v2.0", "get.calls_report", period(func(p map[string]any) { p["fields"] = []string{"full_record_file_link"} }), &rows)
	if want := "http://media.comagic.ru/" + strconv.FormatInt(id, 10) + "/" + hash; len(rows) != 1 || rows[0]["full_record_file_link"] != want {
		t.Fatalf("full_record_file_link = %v, want %s", rows, want)
	}
	httpAddr, tlsAddr := strings.TrimPrefix(url, "http://"), strings.TrimPrefix(tlsURL, "https://")
	routes := map[string]string{"app.comagic.ru:80": httpAddr, "app.comagic.ru:443": tlsAddr,
		"media.comagic.ru:80": httpAddr, "media.comagic.ru:443": tlsAddr}

	res, err := routedClient(routes, sim.TLSCertificate(), false).Get(link)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 308 || res.Header.Get("Location") != "https://app.comagic.ru"+strings.TrimPrefix(link, "http://app.comagic.ru") {
		t.Fatalf("plain http: %d Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	for _, u := range []string{link, rows[0]["full_record_file_link"].(string)} {
		res, err := routedClient(routes, sim.TLSCertificate(), true).Get(u)
		if err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 4)
		res.Body.Read(b)
		res.Body.Close()
		if res.StatusCode != 200 || string(b) != "RIFF" || res.Request.URL.Scheme != "https" {
			t.Errorf("%s after the redirect: %d %q at %s", u, res.StatusCode, b, res.Request.URL)
		}
	}
	// The simulator's own address redirects to its TLS listener.
	mustBehave(t, sim, func(b *Behaviour) { b.RecordingBaseURL = "" })
	_, own := answeredCall(t, sim, 2)
	res, err = routedClient(nil, sim.TLSCertificate(), false).Get(own)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); res.StatusCode != 308 || !strings.HasPrefix(loc, tlsURL+"/system/media/talk/") {
		t.Fatalf("own address: %d Location %q, want under %s", res.StatusCode, loc, tlsURL)
	}
	if err := sim.SetBehaviour(Behaviour{RecordingRedirect: 307}); err == nil {
		t.Error("recording_redirect 307 accepted")
	}
}

func TestRecordingReadyLater(t *testing.T) {
	// Serial: the recording must still be missing ~200 ms after the call,
	// a window that CPU-heavy parallel siblings could close on two cores.
	rv := newReceiver(t)
	sim, _ := newSim(t, nil)
	// 1000 simulated seconds at 0.2 ms each: 200 ms after the call ends.
	mustBehave(t, sim, func(b *Behaviour) { b.RecordingReadySeconds = 1000 })
	sim.SetNotifications(append(SeedNotifications(rv.srv.URL, "tok"), RecordingReadyNotification(rv.srv.URL, "tok")))
	id, err := sim.StartCall(context.Background(), CallSpec{Kind: KindIncomingTransfer, ContactNumber: "79261234567", TalkSeconds: 7})
	if err != nil {
		t.Fatal(err)
	}
	var info CallInfo
	for {
		info, _ = sim.Call(id)
		if info.State == "finished" {
			break
		}
		time.Sleep(time.Millisecond)
	}
	finished := time.Now()
	if res, _ := get(t, info.RecordLinks[0], nil); res.StatusCode != 404 {
		t.Fatalf("right after the call: %d, want 404", res.StatusCode)
	}
	waitIdle(t, sim)
	if waited := time.Since(finished); waited < 150*time.Millisecond {
		t.Errorf("idle %v after the call, before its recordings were ready", waited)
	}
	for _, l := range info.RecordLinks {
		if res, _ := get(t, l, nil); res.StatusCode != 200 {
			t.Errorf("%s once ready: %d", l, res.StatusCode)
		}
	}
	if got, want := rv.events(), []string{"incoming_call_started", "conversation_started", "conversation_started", "call_finished", "recording_ready", "recording_ready"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("events = %v, want %v", got, want)
	}
	ready := rv.decoded(t, EventRecordingReady)
	for i, b := range ready {
		if b["file_link"] != info.RecordLinks[i] || num(t, b["file_duration"]) != 7 || num(t, b["call_session_id"]) != id ||
			b["ud_channel_token"] != "tok" || b["notification_mnemonic"] != "call_record_ready" || b["notification_name"] != "Записанный разговор" {
			t.Errorf("recording_ready %d = %v", i, b)
		}
	}
	if ready[0]["employee_id"] == ready[1]["employee_id"] {
		t.Errorf("both talks name employee %v", ready[0]["employee_id"])
	}
	for _, name := range TemplateVariables(RecordingReadyTemplate("tok")) {
		if _, ok := ready[0][name]; !ok {
			t.Errorf("recording_ready lacks %s", name)
		}
	}
	if ev, ok := ParseEventType("Записанный разговор"); !ok || ev != EventRecordingReady {
		t.Errorf("ParseEventType(LK name) = %v %v", ev, ok)
	}
}

func TestSharedAccount(t *testing.T) {
	t.Parallel()
	rv := newReceiver(t)
	sim, url := newSim(t, nil)
	sim.SetNotifications(SeedNotifications(rv.srv.URL, "tok"))
	mustBehave(t, sim, func(b *Behaviour) { b.SharedAccount = &SharedAccount{CallsPerCall: 5} })
	id := startAnswered(t, sim)
	waitIdle(t, sim)
	for _, d := range sim.Deliveries(0) {
		if d.CallSessionID != id {
			t.Errorf("delivery for another business's call: %+v", d)
		}
	}
	var rows []map[string]any
	mustData(t, url+"/v2.0", "get.calls_report", period(nil), &rows)
	if len(rows) != 6 {
		t.Fatalf("report rows = %d, want the call and 5 others", len(rows))
	}
	got := map[string]string{}
	for _, r := range rows {
		got[str(r["source"])+"@"+str(r["virtual_phone_number"])] = str(r["is_lost"])
	}
	want := map[string]string{"va@74951234567": "false", "va@74990000001": "false", "auto_out_calls@74951234567": "false",
		"callapi_informer_call@74951234567": "false", "sip@74951234567": "false", "callapi@74951234567": "false"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sessions = %v, want %v", got, want)
	}

	// The report filters a poller scopes it with: its numbers (an "or" of "=") and sources.
	byNumber := func(nums ...string) map[string]any {
		var fs []any
		for _, n := range nums {
			fs = append(fs, map[string]any{"field": "virtual_phone_number", "operator": "=", "value": n})
		}
		return map[string]any{"filters": fs, "condition": "or"}
	}
	mustData(t, url+"/v2.0", "get.calls_report", period(func(p map[string]any) { p["filter"] = byNumber("74990000001", "74997654321") }), &rows)
	if len(rows) != 1 || rows[0]["virtual_phone_number"] != "74990000001" {
		t.Errorf("other business's number: %v", rows)
	}
	mustData(t, url+"/v2.0", "get.calls_report", period(func(p map[string]any) {
		p["filter"] = map[string]any{"condition": "and", "filters": []any{byNumber("74951234567", "74997654321"),
			map[string]any{"filters": []any{map[string]any{"field": "source", "operator": "=", "value": "va"},
				map[string]any{"field": "source", "operator": "=", "value": "callapi"}}, "condition": "or"}}}
		p["sort"] = []any{map[string]any{"field": "start_time", "order": "desc"}}
	}), &rows)
	if len(rows) != 2 || !slices.Contains(rowIDs(t, rows), id) || str(rows[0]["start_time"]) < str(rows[1]["start_time"]) ||
		rows[0]["source"] == rows[1]["source"] {
		t.Errorf("our numbers, sources va or callapi, newest first: %v", rows)
	}

	// LK notification conditions: a notification for another number stays silent.
	rv2 := newReceiver(t)
	ns := SeedNotifications(rv2.srv.URL, "tok")
	for i := range ns {
		ns[i].Conditions = &Conditions{VirtualPhoneNumbers: []string{"74997654321"}}
	}
	sim.SetNotifications(ns)
	startAnswered(t, sim)
	if _, err := sim.StartCall(context.Background(), CallSpec{Kind: KindIncomingMissed, ContactNumber: "79031112233", VirtualNumber: "74997654321"}); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, sim)
	if got := rv2.events(); !reflect.DeepEqual(got, []string{"incoming_call_started", "call_finished"}) {
		t.Errorf("conditioned notifications = %v, want only the missed call on 74997654321", got)
	}
}

func TestCallsReportPagingCapsAndOrder(t *testing.T) {
	t.Parallel()
	sim, url, ids := reportSim(t)
	r := rpcCall(t, url, "get.calls_report", period(func(p map[string]any) { p["offset"] = 100001 }))
	if r.Error == nil || r.Error.Data["mnemonic"] != "invalid_parameter_value" || r.Error.Data["field"] != "offset" {
		t.Fatalf("offset 100001: %+v", r.Error)
	}
	mustData(t, url, "get.calls_report", period(func(p map[string]any) { p["offset"] = 100000 }), nil)
	mustBehave(t, sim, func(b *Behaviour) { b.ReportMaxOffset, b.ReportMaxLimit = 2, 2 })
	for _, p := range []map[string]any{{"offset": 3}, {"limit": 3}} {
		r := rpcCall(t, url, "get.calls_report", period(func(q map[string]any) {
			for k, v := range p {
				q[k] = v
			}
		}))
		if r.Error == nil || r.Error.Data["mnemonic"] != "invalid_parameter_value" {
			t.Errorf("%v over the lowered cap: %+v", p, r.Error)
		}
	}
	var page []map[string]any
	mustData(t, url, "get.calls_report", period(func(p map[string]any) { p["offset"] = 2 }), &page)
	if got := rowIDs(t, page); !reflect.DeepEqual(got, ids[2:]) {
		t.Errorf("default limit under the cap: page %v, want %v", got, ids[2:])
	}

	mustBehave(t, sim, func(b *Behaviour) { b.ReportMaxOffset, b.ReportMaxLimit, b.ReportOrder = 0, 0, ReportOrderShuffled })
	shuffled := false
	for i := 0; i < 20 && !shuffled; i++ {
		var rows []map[string]any
		mustData(t, url, "get.calls_report", period(nil), &rows)
		got := rowIDs(t, rows)
		if len(got) != len(ids) {
			t.Fatalf("rows = %v", got)
		}
		shuffled = !slices.Equal(got, ids)
	}
	if !shuffled {
		t.Error("report_order shuffled kept the start_time order 20 times")
	}
	var sorted []map[string]any
	mustData(t, url, "get.calls_report", period(func(p map[string]any) { p["sort"] = []any{map[string]any{"field": "start_time"}} }), &sorted)
	if got := rowIDs(t, sorted); !slices.Equal(got, ids) {
		t.Errorf("sort by start_time = %v, want %v", got, ids)
	}
	if err := sim.SetBehaviour(Behaviour{ReportOrder: "id"}); err == nil {
		t.Error("report_order id accepted")
	}
}

func TestEarlyTalkEvent(t *testing.T) {
	t.Parallel()
	for _, outcome := range []string{OutcomeNoAnswer, OutcomeAnswered} {
		t.Run(outcome, func(t *testing.T) {
			rv := newReceiver(t)
			sim, _ := newSim(t, nil)
			sim.SetNotifications(SeedNotifications(rv.srv.URL, "tok"))
			mustBehave(t, sim, func(b *Behaviour) { b.EarlyTalkEvent = true })
			if _, err := sim.StartCall(context.Background(), CallSpec{Kind: KindOutgoing, ContactNumber: "79261234567",
				EmployeeIDs: []int64{323402}, Outcome: outcome}); err != nil {
				t.Fatal(err)
			}
			waitIdle(t, sim)
			want := []string{"outgoing_call_started", "conversation_started", "call_finished"}
			if outcome == OutcomeAnswered {
				want = []string{"outgoing_call_started", "conversation_started", "conversation_started", "call_finished"}
			}
			if got := rv.events(); !reflect.DeepEqual(got, want) {
				t.Fatalf("events = %v, want %v", got, want)
			}
			convs := rv.decoded(t, EventConversationStarted)
			early := convs[0]
			if num(t, early["employee_id"]) != 323402 || len(early["leg_ids"].([]any)) != 1 {
				t.Errorf("early talk event = %v, want employee 323402 and one leg", early)
			}
			fin := rv.decoded(t, EventCallFinished)[0]
			if outcome == OutcomeNoAnswer {
				checkFields(t, fin, map[string]string{"is_lost": "true", "talk_time_duration": "0", "finish_reason": "no_success_subscriber_call"})
			} else {
				checkFields(t, fin, map[string]string{"is_lost": "false", "talk_time_duration": "30"})
				if str(convs[1]["answer_time"]) <= str(early["answer_time"]) || len(convs[1]["leg_ids"].([]any)) != 2 {
					t.Errorf("talk event %v does not follow the early one %v", convs[1], early)
				}
			}
		})
	}
}

func TestSecurityRulesAndRefusals(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, nil)
	params := func(contact string) map[string]any {
		return map[string]any{"access_token": DefaultAPIKey, "first_call": "employee", "virtual_phone_number": "74951234567",
			"contact": contact, "employee": map[string]any{"id": 323401}}
	}
	r := rpcCall(t, url+"/v4.0", "start.employee_call", params("4915112345678"))
	if r.Error == nil || r.Error.Code != -32002 || r.Error.Data["mnemonic"] != "call_direction_not_allowed" || r.Error.Data["field"] != "contact" {
		t.Fatalf("international call: %+v", r.Error)
	}
	mustData(t, url+"/v4.0", "start.employee_call", params("77012345678"), nil) // Kazakhstan is domestic

	acct := DefaultAccount()
	acct.SecurityRules.InternationalCalls = true
	sim2, url2 := newSim(t, func(c *Config) { c.Account = acct })
	mustData(t, url2+"/v4.0", "start.employee_call", params("4915112345678"), nil)

	for mn, code := range map[string]int{"security": -32002, "no_active_phone_number": -32602, "forbidden": -32003, "account_inactive": -32009} {
		if err := sim2.SetFaults(Faults{MethodErrors: map[string]string{"start.employee_call": mn}}); err != nil {
			t.Fatal(err)
		}
		r := rpcCall(t, url2+"/v4.0", "start.employee_call", params("79261234567"))
		want := mn
		if mn == "security" {
			want = "call_direction_not_allowed"
		}
		if r.Error == nil || r.Error.Code != code || r.Error.Data["mnemonic"] != want {
			t.Errorf("%s: %+v", mn, r.Error)
		}
	}
	mustData(t, url2+"/v2.0", "get.account", map[string]any{"access_token": DefaultAPIKey}, nil) // other methods run
	if err := sim2.SetFaults(Faults{MethodErrors: map[string]string{"start.employee_call": "nope"}}); err == nil {
		t.Error("unknown refusal accepted")
	}
}

func TestInformerCall(t *testing.T) {
	t.Parallel()
	rv := newReceiver(t)
	sim, url := newSim(t, nil)
	sim.SetNotifications(SeedNotifications(rv.srv.URL, "tok"))
	id, err := sim.StartCall(context.Background(), CallSpec{Kind: KindInformer, ContactNumber: "79261234567", TalkSeconds: 15})
	if err != nil {
		t.Fatal(err)
	}
	waitIdle(t, sim)
	if got := rv.events(); !reflect.DeepEqual(got, []string{"outgoing_call_started", "call_finished"}) {
		t.Errorf("events = %v", got)
	}
	var rows []map[string]any
	mustData(t, url+"/v2.0", "get.calls_report", period(func(p map[string]any) {
		p["fields"] = []string{"id", "source", "is_lost", "employees", "direction", "total_duration"}
	}), &rows)
	if len(rows) != 1 || num(t, rows[0]["id"]) != id || rows[0]["source"] != "callapi_informer_call" || rows[0]["is_lost"] != false ||
		len(rows[0]["employees"].([]any)) != 0 || rows[0]["direction"] != "out" || num(t, rows[0]["total_duration"]) != 20 {
		t.Errorf("informer row = %v", rows)
	}
}

func TestBehaviourControlAPI(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, nil)
	var b Behaviour
	if code := ctl(t, "GET", url+"/sim/v1/behaviour", nil, &b); code != 200 || b.ReportMaxOffset != 100000 || b.SecurityRefusalMnemonic == "" {
		t.Fatalf("GET behaviour = %d %+v", code, b)
	}
	body := `{"recording_ready_seconds":30,"early_talk_event":true,"field_shapes":{"durations":"hms","unescaped_quotes":true},
		"shared_account":{"virtual_numbers":["74990000002"]},"recording_base_url":"https://app.comagic.ru","recording_redirect":308}`
	if code := ctl(t, "PUT", url+"/sim/v1/behaviour", body, &b); code != 200 || b.RecordingReadySeconds != 30 || !b.EarlyTalkEvent ||
		b.FieldShapes.Durations != ShapeHMS || b.SharedAccount == nil || b.SharedAccount.CallsPerCall != 2 || b.RecordingRedirect != 308 ||
		b.DefaultDirection != "in" {
		t.Errorf("PUT behaviour = %d %+v", code, b)
	}
	var acct Account
	ctl(t, "GET", url+"/sim/v1/account", nil, &acct)
	if acct.Behaviour.RecordingBaseURL != "https://app.comagic.ru" {
		t.Errorf("account behaviour = %+v", acct.Behaviour)
	}
	for _, bad := range []string{`{"recording_base_url":"ftp://x"}`, `{"shared_account":{"sources":["va"]}}`, `{"nope":1}`, `{"recording_ready_seconds":-1}`} {
		if code := ctl(t, "PUT", url+"/sim/v1/behaviour", bad, nil); code != 400 {
			t.Errorf("PUT %s = %d, want 400", bad, code)
		}
	}
	var f Faults
	if code := ctl(t, "PUT", url+"/sim/v1/faults", `{"method_errors":{"start.employee_call":"forbidden"}}`, &f); code != 200 || f.MethodErrors["start.employee_call"] != "forbidden" {
		t.Errorf("PUT faults = %d %+v", code, f)
	}
}

func TestCallsReportDateBounds(t *testing.T) {
	t.Parallel()
	sim, url, ids := reportSim(t)
	var rows []map[string]any
	mustData(t, url, "get.calls_report", period(nil), &rows)
	start := str(rows[0]["start_time"])
	if rows[0]["cpn_country_id"] != "643" || rows[0]["cpn_country_name"] != "Россия" {
		t.Errorf("default fields lack the contact's country: %v", rows[0])
	}
	at := func(p map[string]any) { p["date_from"], p["date_till"] = start, start }
	mustData(t, url, "get.calls_report", period(at), &rows)
	if got := rowIDs(t, rows); len(got) == 0 || got[0] != ids[0] {
		t.Errorf("inclusive bounds at the first call's start second: %v, want %d first", got, ids[0])
	}
	mustBehave(t, sim, func(b *Behaviour) { b.ReportExclusiveBounds = true })
	mustData(t, url, "get.calls_report", period(at), &rows)
	if len(rows) != 0 {
		t.Errorf("exclusive bounds: %v, want none", rowIDs(t, rows))
	}
	mustData(t, url, "get.calls_report", period(nil), &rows)
	if len(rows) != len(ids) {
		t.Errorf("exclusive bounds around the calls: %d rows, want %d", len(rows), len(ids))
	}
	if info, _ := sim.Call(ids[3]); info.Source != "callapi" || info.NoNotifications {
		t.Errorf("call info = %+v", info)
	}
}

// TestLostCallProcessing: lost_call_processing_duration is the seconds from
// a lost call's end to the start of the first answered call with its number
// (an outgoing call back, or the caller's own next call), null until then;
// an account may ignore or refuse the field (behaviour lost_call_processing).
func TestLostCallProcessing(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Now().Add(-30 * time.Minute).Truncate(time.Second)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	sim, url := newSim(t, func(c *Config) { c.Now = clock })
	api := url + "/v2.0"
	call := func(spec CallSpec) int64 {
		t.Helper()
		id, err := sim.StartCall(context.Background(), spec)
		if err != nil {
			t.Fatal(err)
		}
		waitIdle(t, sim)
		return id
	}
	// A missed call (rang 40 s), an unanswered call back 2 min later, an
	// answered one 7 min after the miss started; another caller who called
	// again themselves 10 min later; a third never called back.
	backOut := call(CallSpec{Kind: KindIncomingMissed, ContactNumber: "79031110001", WaitSeconds: 40})
	advance(2 * time.Minute)
	call(CallSpec{Kind: KindOutgoing, ContactNumber: "79031110001", Outcome: OutcomeNoAnswer, WaitSeconds: 10})
	advance(5 * time.Minute)
	call(CallSpec{Kind: KindOutgoing, ContactNumber: "79031110001", Outcome: OutcomeAnswered, WaitSeconds: 5, TalkSeconds: 30})
	backIn := call(CallSpec{Kind: KindIncomingMissed, ContactNumber: "79031110002", WaitSeconds: 20})
	never := call(CallSpec{Kind: KindIncomingMissed, ContactNumber: "79031110003", WaitSeconds: 15})
	advance(10 * time.Minute)
	again := call(CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79031110002", WaitSeconds: 3, TalkSeconds: 20})

	read := func(fields []string) (map[int64]any, *rpcResp) {
		r := rpcCall(t, api, "get.calls_report", period(func(p map[string]any) {
			p["date_from"] = clock().Add(-time.Hour).In(sim.tz).Format(layoutData)
			p["date_till"] = clock().Add(time.Hour).In(sim.tz).Format(layoutData)
			if fields != nil {
				p["fields"] = fields
			}
		}))
		if r.Error != nil {
			return nil, &r
		}
		var rows []map[string]any
		dec := json.NewDecoder(strings.NewReader(string(r.Result.Data)))
		dec.UseNumber()
		if err := dec.Decode(&rows); err != nil {
			t.Fatal(err)
		}
		out := map[int64]any{}
		for _, row := range rows {
			v, ok := row["lost_call_processing_duration"]
			if !ok {
				v = "absent"
			}
			out[num(t, row["id"])] = v
		}
		return out, nil
	}
	got, _ := read([]string{"id", "lost_call_processing_duration"})
	want := map[int64]any{backOut: json.Number(strconv.Itoa(7*60 - 40)), backIn: json.Number(strconv.Itoa(10*60 - 20)), never: nil, again: nil}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("call %d: lost_call_processing_duration = %v, want %v (all %v)", id, got[id], w, got)
		}
	}
	if def, _ := read(nil); def[backOut] != "absent" {
		t.Errorf("not a default field, yet sent unasked: %v", def[backOut])
	}
	mustBehave(t, sim, func(b *Behaviour) { b.LostCallProcessing = LostProcessingIgnored })
	if got, r := read([]string{"id", "lost_call_processing_duration"}); r != nil || got[backOut] != "absent" {
		t.Errorf("ignored: %v, error %+v", got, r)
	}
	mustBehave(t, sim, func(b *Behaviour) { b.LostCallProcessing = LostProcessingRefused })
	if _, r := read([]string{"id", "lost_call_processing_duration"}); r == nil || r.Error.Data["mnemonic"] != "unexpected_parameters" || r.Error.Data["field"] != "fields" {
		t.Errorf("refused: %+v", r)
	}
	if got, r := read([]string{"id"}); r != nil || len(got) != 6 {
		t.Errorf("refused, report without the field: %v, error %+v", got, r)
	}
	if err := sim.SetBehaviour(Behaviour{LostCallProcessing: "maybe"}); err == nil {
		t.Error("lost_call_processing maybe accepted")
	}
}

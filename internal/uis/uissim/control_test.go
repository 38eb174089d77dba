package uissim

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestControlAPIFlow(t *testing.T) {
	t.Parallel()
	rv := newReceiver(t)
	_, url := newSim(t, nil)
	ctlURL := url + "/sim/v1"

	var ns []Notification
	if code := ctl(t, "PUT", ctlURL+"/notifications", SeedNotifications(rv.srv.URL, "tok"), &ns); code != 200 || len(ns) != 4 {
		t.Fatalf("PUT notifications = %d, %d notifications", code, len(ns))
	}
	var rules []OutgoingRule
	if code := ctl(t, "PUT", ctlURL+"/outgoing-rules", []OutgoingRule{{Contact: "79261234567", Outcome: "no_answer", WaitSeconds: 9, Times: 1}}, &rules); code != 200 || len(rules) != 1 {
		t.Fatalf("PUT outgoing-rules = %d %v", code, rules)
	}
	var started struct {
		CallSessionID int64 `json:"call_session_id"`
	}
	if code := ctl(t, "POST", ctlURL+"/calls", map[string]any{"kind": "outgoing", "contact_number": "79261234567", "employee_ids": []int64{323403}, "external_id": "T-1"}, &started); code != 201 {
		t.Fatalf("POST calls = %d", code)
	}
	if code := ctl(t, "POST", ctlURL+"/wait-idle", nil, nil); code != 200 {
		t.Fatalf("wait-idle = %d", code)
	}
	var info CallInfo
	if code := ctl(t, "GET", fmt.Sprintf("%s/calls/%d", ctlURL, started.CallSessionID), nil, &info); code != 200 {
		t.Fatalf("GET call = %d", code)
	}
	if info.State != "finished" || info.FinishReason != "no_success_subscriber_call" || len(info.Timeline) != 2 || len(info.Deliveries) != 2 {
		t.Errorf("call = %+v", info)
	}
	var ds []Delivery
	ctl(t, "GET", fmt.Sprintf("%s/deliveries?call_session_id=%d", ctlURL, started.CallSessionID), nil, &ds)
	if len(ds) != 2 || ds[0].Status != StatusDelivered || ds[0].Event != EventOutgoingCallStarted {
		t.Errorf("deliveries = %+v", ds)
	}
	var f Faults
	if code := ctl(t, "PUT", ctlURL+"/faults", `{"duplicates":1,"delay":"5ms","drop_events":["Начало разговора"]}`, &f); code != 200 || f.Duplicates != 1 || f.DropEvents[0] != EventConversationStarted {
		t.Errorf("PUT faults = %d %+v", code, f)
	}
	rpcCall(t, url+"/v4.0", "list.calls", map[string]any{"access_token": "wrong"})
	var reqs []RequestRecord
	ctl(t, "GET", ctlURL+"/requests?api=call&method=list.calls", nil, &reqs)
	if len(reqs) != 1 || reqs[0].Error != "access_token_invalid" || !strings.Contains(string(reqs[0].Params), `"wrong"`) || reqs[0].RemoteAddr == "" {
		t.Errorf("requests = %+v", reqs)
	}
	var calls []CallInfo
	ctl(t, "GET", ctlURL+"/calls", nil, &calls)
	if len(calls) != 1 {
		t.Errorf("calls = %d, want 1", len(calls))
	}
}

func TestControlAPIBadInput(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, nil)
	c := url + "/sim/v1"
	tests := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"unknown kind", "POST", "/calls", `{"kind":"conference","contact_number":"79261234567"}`, 400, "invalid_input"},
		{"bad number", "POST", "/calls", `{"kind":"incoming_answered","contact_number":"abc"}`, 400, "invalid_input"},
		{"negative wait", "POST", "/calls", `{"kind":"incoming_answered","contact_number":"79261234567","wait_seconds":-3}`, 400, "invalid_input"},
		{"unknown employee", "POST", "/calls", `{"kind":"incoming_answered","contact_number":"79261234567","employee_ids":[1]}`, 400, "invalid_input"},
		{"wrong type", "POST", "/calls", `{"kind":"incoming_answered","contact_number":79261234567}`, 400, "invalid_json"},
		{"unknown field", "POST", "/calls", `{"kind":"incoming_answered","contact_number":"79261234567","colour":1}`, 400, "invalid_json"},
		{"trailing data", "POST", "/calls", `{"kind":"incoming_answered","contact_number":"79261234567"} {}`, 400, "invalid_json"},
		{"not json", "POST", "/calls", `<xml/>`, 400, "invalid_json"},
		{"huge body", "POST", "/calls", `{"contact_name":"` + strings.Repeat("я", 1<<20) + `"}`, 400, "invalid_json"},
		{"bad call id", "GET", "/calls/abc", nil, 400, "invalid_input"},
		{"unknown call", "GET", "/calls/123", nil, 404, "not_found"},
		{"bad deliveries filter", "GET", "/deliveries?call_session_id=x", nil, 400, "invalid_input"},
		{"bad requests filter", "GET", "/requests?api=sms", nil, 400, "invalid_input"},
		{"bad notification event", "PUT", "/notifications", `[{"event":"ringing","url":"http://127.0.0.1/"}]`, 400, "invalid_json"},
		{"bad notification url", "PUT", "/notifications", `[{"event":"call_finished","url":"not a url"}]`, 400, "invalid_input"},
		{"bad faults", "PUT", "/faults", `{"drop_probability":3}`, 400, "invalid_input"},
		{"bad fault delay", "PUT", "/faults", `{"delay":"soon"}`, 400, "invalid_json"},
		{"bad rule", "PUT", "/outgoing-rules", `[{"outcome":"maybe"}]`, 400, "invalid_input"},
		{"bad rule contact", "POST", "/outgoing-rules", `{"outcome":"busy","contact":"+7926"}`, 400, "invalid_input"},
		{"bad load rate", "POST", "/load", `{"rate":0,"duration":"1s"}`, 400, "invalid_input"},
		{"bad load duration", "POST", "/load", `{"rate":1,"duration":"48h"}`, 400, "invalid_input"},
		{"bad load action", "POST", "/load", `{"action":"pause"}`, 400, "invalid_input"},
		{"unknown route", "GET", "/nothing", nil, 404, "not_found"},
		{"wrong method", "DELETE", "/calls", nil, 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if code := ctl(t, tt.method, c+tt.path, tt.body, &out); code != tt.status {
				t.Errorf("status = %d, want %d (%+v)", code, tt.status, out)
			}
			if out.Error.Code != tt.code || out.Error.Message == "" {
				t.Errorf("error = %+v, want code %s with a message", out.Error, tt.code)
			}
		})
	}
}

func TestRPCNeverHTML(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, nil)
	for _, body := range []string{"", "null", "{}", "[]", "[1", `{"jsonrpc":"2.0","id":{},"method":"x","params":{}}`, strings.Repeat("{", 5000)} {
		r := postRaw(t, url+"/v4.0", body)
		if r.Error == nil {
			t.Errorf("body %.20q: no error", body)
		}
	}
	resp, err := http.Get(url + "/v4.0")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET /v4.0 Content-Type = %q", ct)
	}
}

package uissim

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// testAccount is the default account plus a blocked and an expired key.
func testAccount() *Account {
	a := DefaultAccount()
	past := time.Now().Add(-time.Hour)
	a.APIKeys = append(a.APIKeys, APIKey{Key: "blocked-key", Blocked: true}, APIKey{Key: "expired-key", ExpiresAt: &past})
	a.TTSMaxLength = 10
	return a
}

// callParams are valid start.employee_call params; mod edits a copy.
func callParams(mod func(p map[string]any)) map[string]any {
	p := map[string]any{
		"access_token": DefaultAPIKey, "first_call": "employee", "virtual_phone_number": "74951234567",
		"contact": "79261234567", "employee": map[string]any{"id": 323401},
	}
	if mod != nil {
		mod(p)
	}
	return p
}

func envelope(method string, params map[string]any) string {
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 7, "method": method, "params": params})
	return string(b)
}

func TestCallAPIErrors(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, func(c *Config) { c.Account = testAccount() })
	api := url + "/v4.0"
	tok := map[string]any{"access_token": DefaultAPIKey}
	tests := []struct {
		name     string
		body     string
		code     int
		mnemonic string
		field    string
		message  string
		nullID   bool
	}{
		{name: "parse error", body: `{"jsonrpc":"2.0",`, code: -32700, mnemonic: "parse_error", message: "Invalid JSON was received by the server.", nullID: true},
		{name: "batch", body: `[{"jsonrpc":"2.0","id":1,"method":"list.calls","params":{}}]`, code: -32099, mnemonic: "batch_opreations_not_supported", message: "Batch operations not supported", nullID: true},
		{name: "notification (no id)", body: `{"jsonrpc":"2.0","method":"list.calls","params":{}}`, code: -32099, mnemonic: "notifications_not_supported", message: "Notifications not supported", nullID: true},
		{name: "wrong jsonrpc version", body: `{"jsonrpc":"1.0","id":7,"method":"list.calls","params":{}}`, code: -32600, mnemonic: "invalid_request", message: "Invalid Request The JSON sent is not a valid Request object"},
		{name: "params not an object", body: `{"jsonrpc":"2.0","id":7,"method":"list.calls","params":[1]}`, code: -32600, mnemonic: "invalid_request"},
		{name: "not an object", body: `"hello"`, code: -32600, mnemonic: "invalid_request", nullID: true},
		{name: "unknown method", body: envelope("start.teleport", tok), code: -32601, mnemonic: "method_not_found", message: "The method does not exist / is not available"},
		{name: "token missing", body: envelope("list.calls", map[string]any{}), code: -32602, mnemonic: "required_parameter_missed", field: "access_token"},
		{name: "token invalid", body: envelope("list.calls", map[string]any{"access_token": "nope"}), code: -32001, mnemonic: "access_token_invalid", message: "Access token is invalid"},
		{name: "token expired", body: envelope("list.calls", map[string]any{"access_token": "expired-key"}), code: -32001, mnemonic: "access_token_expired", message: "Access token has been expired"},
		{name: "token blocked", body: envelope("list.calls", map[string]any{"access_token": "blocked-key"}), code: -32001, mnemonic: "access_token_blocked", message: "Access token has been blocked"},
		{name: "login wrong", body: envelope("login.user", map[string]any{"login": "admin", "password": "x"}), code: -32001, mnemonic: "auth_error", message: "Login or password is wrong"},
		{name: "unexpected param", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["colour"] = "red" })), code: -32602, mnemonic: "unexpected_parameters", field: "colour", message: "Unexpected method parameter(s)"},
		{name: "unexpected nested param", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["employee"] = map[string]any{"id": 323401, "x": 1} })), code: -32602, mnemonic: "unexpected_parameters", field: "employee.x"},
		{name: "required missing", body: envelope("start.employee_call", callParams(func(p map[string]any) { delete(p, "contact") })), code: -32602, mnemonic: "required_parameter_missed", field: "contact", message: "The required parameter has been missed"},
		{name: "required nested missing", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["employee"] = map[string]any{} })), code: -32602, mnemonic: "required_parameter_missed", field: "employee.id"},
		{name: "wrong type bool", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["switch_at_once"] = "yes" })), code: -32602, mnemonic: "data_type_error", field: "switch_at_once", message: "Data supplied is of wrong type"},
		{name: "wrong type number", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["employee"] = map[string]any{"id": "25"} })), code: -32602, mnemonic: "data_type_error", field: "employee.id"},
		{name: "contact not a number", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["contact"] = "номер" })), code: -32602, mnemonic: "data_type_error", field: "contact"},
		{name: "bad first_call", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["first_call"] = "operator" })), code: -32602, mnemonic: "invalid_parameter_value", field: "first_call", message: "Invalid parameter value"},
		{name: "bad direction", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["direction"] = "up" })), code: -32602, mnemonic: "invalid_parameter_value", field: "direction"},
		{name: "bad dtmf", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["dtmf_string"] = "12a" })), code: -32602, mnemonic: "invalid_parameter_value", field: "dtmf_string"},
		{name: "early switching without switch_at_once", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["early_switching"] = true })), code: -32602, mnemonic: "invalid_parameters_combination", field: "early_switching", message: "The combination of parameters is not permitted"},
		{name: "early switching contact first", body: envelope("start.employee_call", callParams(func(p map[string]any) {
			p["early_switching"], p["switch_at_once"], p["first_call"] = true, true, "contact"
		})), code: -32602, mnemonic: "invalid_parameters_combination", field: "early_switching"},
		{name: "virtual number not found", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["virtual_phone_number"] = "74950000000" })), code: -32007, mnemonic: "virtual_phone_number_not_found", field: "virtual_phone_number", message: "Virtual phone number 74950000000 not found. It is not your virtual phone number."},
		{name: "own virtual number", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["contact"] = "74997654321" })), code: -32602, mnemonic: "own_virtual_phone_number_not_allowed", field: "contact", message: "Parameter `contact` can not contain own virtual phone number"},
		{name: "blacklist", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["contact"] = "79990000000" })), code: -32002, mnemonic: "contact_in_blacklist", field: "contact", message: "The contact 79990000000 has been found in the blacklist"},
		{name: "employee not found", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["employee"] = map[string]any{"id": 25} })), code: -32602, mnemonic: "employee_not_found", field: "employee.id", message: "Employee with id 25 not found. It is not your employee."},
		{name: "inactive phone", body: envelope("start.employee_call", callParams(func(p map[string]any) {
			p["employee"] = map[string]any{"id": 323403, "phone_number": "79161234504"}
		})), code: -32602, mnemonic: "no_active_phone_number", field: "employee.phone_number", message: "The phone number does not exist or inactive"},
		{name: "foreign phone", body: envelope("start.employee_call", callParams(func(p map[string]any) {
			p["employee"] = map[string]any{"id": 323401, "phone_number": "79161234502"}
		})), code: -32602, mnemonic: "no_active_phone_number", field: "employee.phone_number"},
		{name: "media file not found", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["media_file_id"] = 1 })), code: -32602, mnemonic: "media_file_not_found", field: "media_file_id", message: "The media file with id 1 not found"},
		{name: "message media not found", body: envelope("start.employee_call", callParams(func(p map[string]any) {
			p["employee_message"] = map[string]any{"type": "media", "value": "99"}
		})), code: -32602, mnemonic: "media_file_not_found", field: "employee_message.value"},
		{name: "tts too long", body: envelope("start.employee_call", callParams(func(p map[string]any) {
			p["contact_message"] = map[string]any{"type": "tts", "value": "Здравствуйте, это поддержка"}
		})), code: -32602, mnemonic: "tts_text_exceeded", field: "contact_message.value", message: "The maximum length of Text-to-Speech message is 10. The length of your message is 27"},
		{name: "bad message type", body: envelope("start.employee_call", callParams(func(p map[string]any) {
			p["contact_message"] = map[string]any{"type": "video", "value": "1"}
		})), code: -32602, mnemonic: "invalid_parameter_value", field: "contact_message.type"},
		{name: "bad usage rule", body: envelope("start.employee_call", callParams(func(p map[string]any) { p["virtual_phone_usage_rule"] = "any" })), code: -32602, mnemonic: "invalid_parameter_value", field: "virtual_phone_usage_rule"},
		{name: "not utf-8", body: strings.Replace(envelope("start.employee_call", callParams(func(p map[string]any) { p["external_id"] = "XX" })), "XX", "\xff\xfe", 1), code: -32602, mnemonic: "character_encoding_not_allowed", message: "The character encoding must be UTF-8"},
		{name: "release unknown session", body: envelope("release.call", map[string]any{"access_token": DefaultAPIKey, "call_session_id": 1}), code: -32602, mnemonic: "call_session_not_found", field: "call_session_id", message: "Call session not found"},
		{name: "release without id", body: envelope("release.call", tok), code: -32602, mnemonic: "required_parameter_missed", field: "call_session_id"},
		{name: "list.calls bad vnum", body: envelope("list.calls", map[string]any{"access_token": DefaultAPIKey, "virtual_phone_number": "84951234567"}), code: -32602, mnemonic: "invalid_parameter_value", field: "virtual_phone_number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := postRaw(t, api, tt.body)
			if r.Status != 200 {
				t.Errorf("HTTP status = %d, want 200", r.Status)
			}
			if r.Error == nil {
				t.Fatalf("no error, want %s", tt.mnemonic)
			}
			if r.Error.Code != tt.code || r.Error.Data["mnemonic"] != tt.mnemonic {
				t.Errorf("error = %d %v, want %d %s", r.Error.Code, r.Error.Data["mnemonic"], tt.code, tt.mnemonic)
			}
			if got, _ := r.Error.Data["field"].(string); got != tt.field {
				t.Errorf("field = %q, want %q", got, tt.field)
			}
			if tt.message != "" && r.Error.Message != tt.message {
				t.Errorf("message = %q, want %q", r.Error.Message, tt.message)
			}
			if tt.nullID && r.ID != nil {
				t.Errorf("id = %v, want null", r.ID)
			}
			if !tt.nullID && str(r.ID) != "7" {
				t.Errorf("id = %v, want 7 echoed", r.ID)
			}
			if _, ok := r.Error.Data["value"]; tt.mnemonic == "required_parameter_missed" && ok {
				t.Errorf("value present for a missing parameter")
			}
		})
	}
}

func TestCallAPIIPWhitelist(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, func(c *Config) {
		c.Account = DefaultAccount()
		c.Account.IPWhitelist = []string{"10.0.0.0/8"}
	})
	r := rpcCall(t, url+"/v4.0", "list.calls", map[string]any{"access_token": DefaultAPIKey})
	if r.Error == nil || r.Error.Code != -32003 || r.Error.Data["mnemonic"] != "ip_not_whitelisted" {
		t.Fatalf("got %+v, want -32003 ip_not_whitelisted", r.Error)
	}
	if want := "Your IP 127.0.0.1 is not whitelisted"; r.Error.Message != want {
		t.Errorf("message = %q, want %q", r.Error.Message, want)
	}
}

func TestCallAPIComponentDisabled(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, func(c *Config) {
		c.Account = DefaultAccount()
		c.Account.Components = map[string]bool{ComponentCallAPIManagement: false, ComponentDataAPI: false}
	})
	r := rpcCall(t, url+"/v4.0", "list.calls", map[string]any{"access_token": DefaultAPIKey})
	if r.Error == nil || r.Error.Code != -32008 || r.Error.Data["mnemonic"] != "component_disabled" {
		t.Fatalf("got %+v, want -32008 component_disabled", r.Error)
	}
	if want := "Component call_api_management has been disabled"; r.Error.Message != want {
		t.Errorf("message = %q, want %q", r.Error.Message, want)
	}
	r = rpcCall(t, url+"/v2.0", "get.account", map[string]any{"access_token": DefaultAPIKey})
	if r.Error == nil || r.Error.Data["mnemonic"] != "method_component_disabled" {
		t.Fatalf("data api: got %+v, want method_component_disabled", r.Error)
	}
	// The basic set is still on.
	mustData(t, url+"/v4.0", "start.employee_call", callParams(nil), nil)
}

func TestCallAPILimits(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, func(c *Config) {
		c.Account = DefaultAccount()
		c.Account.Limits.CallAPIMinute = 2
	})
	api := url + "/v4.0"
	// Failed requests are not charged.
	for i := 0; i < 3; i++ {
		rpcCall(t, api, "release.call", map[string]any{"access_token": DefaultAPIKey, "call_session_id": 1})
	}
	r := mustData(t, api, "list.calls", map[string]any{"access_token": DefaultAPIKey}, nil)
	lim := r.Result.Metadata["limits"].(map[string]any)
	if got := num(t, lim["minute_limit"]); got != 2 {
		t.Errorf("minute_limit = %d, want 2", got)
	}
	if got := num(t, lim["minute_remaining"]); got != 1 {
		t.Errorf("minute_remaining = %d, want 1", got)
	}
	mustData(t, api, "list.calls", map[string]any{"access_token": DefaultAPIKey}, nil)
	r = rpcCall(t, api, "list.calls", map[string]any{"access_token": DefaultAPIKey})
	if r.Error == nil || r.Error.Code != -32029 || r.Error.Data["mnemonic"] != "limit_exceeded" {
		t.Fatalf("got %+v, want -32029 limit_exceeded", r.Error)
	}
	if want := "Limit per minute has been exceeded. Value of current limit per minute is 2"; r.Error.Message != want {
		t.Errorf("message = %q, want %q", r.Error.Message, want)
	}
	if _, ok := r.Error.Data["metadata"]; !ok {
		t.Errorf("limit error without metadata")
	}
}

func TestCallAPIMethods(t *testing.T) {
	t.Parallel()
	sim, url, rv := seedSim(t, func(c *Config) { c.TimeScale = 0.05 })
	api := url + "/v4.0"

	var login struct {
		AccessToken string      `json:"access_token"`
		ExpireAt    json.Number `json:"expire_at"`
	}
	mustData(t, api, "login.user", map[string]any{"login": "admin", "password": "admin"}, &login)
	if len(login.AccessToken) != 72 {
		t.Errorf("session key length = %d, want 72", len(login.AccessToken))
	}
	exp, _ := login.ExpireAt.Int64()
	if d := time.Until(time.Unix(exp, 0)); d < 59*time.Minute || d > 61*time.Minute {
		t.Errorf("expire_at in %v, want about 1h", d)
	}

	var started struct {
		CallSessionID int64 `json:"call_session_id"`
	}
	mustData(t, api, "start.employee_call", callParams(func(p map[string]any) {
		p["access_token"] = login.AccessToken
		p["external_id"] = "ticket-7"
		p["direction"] = "out"
		p["switch_at_once"], p["early_switching"] = true, true
		p["contact_message"] = map[string]any{"type": "tts", "value": "Привет"}
		p["employee_message"] = map[string]any{"type": "media", "value": "2561"}
		p["media_file_id"] = 2701
		p["dtmf_string"] = ".1.2.3"
		p["show_virtual_phone_number"] = false
		p["virtual_phone_usage_rule"] = "fixed"
	}), &started)
	if started.CallSessionID < 1_000_000_000 {
		t.Fatalf("call_session_id = %d, want a 10-digit id", started.CallSessionID)
	}

	var active []map[string]any
	mustData(t, api, "list.calls", map[string]any{"access_token": DefaultAPIKey, "direction": "out"}, &active)
	if len(active) != 1 || num(t, active[0]["call_session_id"]) != started.CallSessionID || active[0]["external_id"] != "ticket-7" {
		t.Fatalf("list.calls = %v, want the started call", active)
	}
	legs := active[0]["legs"].([]any)
	if st := legs[0].(map[string]any)["state"]; st != "Дозвон" && st != "Разговор" {
		t.Errorf("first leg state = %v, want Дозвон or Разговор", st)
	}

	var rel map[string]any
	mustData(t, api, "release.call", map[string]any{"access_token": DefaultAPIKey, "call_session_id": started.CallSessionID}, &rel)
	if rel["success"] != "true" {
		t.Errorf("release.call success = %v, want the string \"true\"", rel["success"])
	}
	waitIdle(t, sim)
	fin := rv.decoded(t, EventCallFinished)
	if len(fin) != 1 || fin[0]["external_id"] != "ticket-7" || fin[0]["call_source"] != "callapi" || fin[0]["direction"] != "out" {
		t.Fatalf("call_finished = %v, want external_id ticket-7, source callapi", fin)
	}
	for _, b := range rv.decoded(t, EventOutgoingCallStarted) {
		if b["external_id"] != "ticket-7" {
			t.Errorf("outgoing_call_started external_id = %v", b["external_id"])
		}
	}
	mustData(t, api, "list.calls", map[string]any{"access_token": DefaultAPIKey}, &active)
	if len(active) != 0 {
		t.Errorf("list.calls after release = %v, want empty", active)
	}

	var out map[string]any
	mustData(t, api, "logout.user", map[string]any{"access_token": login.AccessToken}, &out)
	if out["success"] != true {
		t.Errorf("logout success = %v, want true", out["success"])
	}
	if r := rpcCall(t, api, "list.calls", map[string]any{"access_token": login.AccessToken}); r.Error == nil || r.Error.Data["mnemonic"] != "access_token_invalid" {
		t.Errorf("session key after logout: %+v, want access_token_invalid", r.Error)
	}

	reqs := sim.Requests()
	var sawExternal bool
	for _, rq := range reqs {
		if rq.Method == "start.employee_call" && strings.Contains(string(rq.Params), "ticket-7") && strings.Contains(string(rq.Params), login.AccessToken) {
			sawExternal = true
		}
	}
	if !sawExternal {
		t.Errorf("request log lacks start.employee_call with its params: %+v", reqs)
	}
}

func TestCallAPIDefaults(t *testing.T) {
	t.Parallel()
	sim, url, rv := seedSim(t, func(c *Config) {
		c.TimeScale = 0.05
		c.Account = DefaultAccount()
		c.Account.Behaviour.SuccessAsBool = true
		f := false
		c.Account.Behaviour.EchoErrorID = &f
	})
	api := url + "/v4.0"
	var started struct {
		CallSessionID int64 `json:"call_session_id"`
	}
	mustData(t, api, "start.employee_call", callParams(nil), &started)
	var rel map[string]any
	mustData(t, api, "release.call", map[string]any{"access_token": DefaultAPIKey, "call_session_id": started.CallSessionID}, &rel)
	if rel["success"] != true {
		t.Errorf("success = %v, want bool true", rel["success"])
	}
	if r := rpcCall(t, api, "release.call", map[string]any{"access_token": DefaultAPIKey, "call_session_id": 5}); r.ID != nil {
		t.Errorf("error id = %v, want null with echo_error_id false", r.ID)
	}
	waitIdle(t, sim)
	fin := rv.decoded(t, EventCallFinished)
	if len(fin) != 1 || fin[0]["direction"] != "in" {
		t.Errorf("direction without parameter = %v, want in (documented default)", fin)
	}
}

func TestListCallsLegStates(t *testing.T) {
	t.Parallel()
	sim, url := newSim(t, func(c *Config) { c.TimeScale = 0.01 })
	id, err := sim.StartCall(context.Background(), CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567", WaitSeconds: 20, TalkSeconds: 120, TagIDs: []int64{402}})
	if err != nil {
		t.Fatal(err)
	}
	states := func() []string {
		var calls []map[string]any
		mustData(t, url+"/v4.0", "list.calls", map[string]any{"access_token": DefaultAPIKey, "direction": "in", "virtual_phone_number": "74951234567"}, &calls)
		if len(calls) != 1 || num(t, calls[0]["call_session_id"]) != id {
			t.Fatalf("list.calls = %v, want call %d", calls, id)
		}
		if tags := calls[0]["tags"].([]any); len(tags) != 1 || tags[0].(map[string]any)["tag_name"] != "Жалоба" {
			t.Errorf("tags = %v", tags)
		}
		var out []string
		for _, l := range calls[0]["legs"].([]any) {
			out = append(out, l.(map[string]any)["state"].(string))
		}
		return out
	}
	if got, want := states(), []string{"Дозвон", "Дозвон"}; !reflect.DeepEqual(got, want) {
		t.Errorf("while ringing: states = %v, want %v", got, want)
	}
	time.Sleep(400 * time.Millisecond)
	if got, want := states(), []string{"Разговор", "Разговор"}; !reflect.DeepEqual(got, want) {
		t.Errorf("while talking: states = %v, want %v", got, want)
	}
}

func TestAccountValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		mod  func(a *Account)
	}{
		{"no app id", func(a *Account) { a.AppID = 0 }},
		{"bad timezone", func(a *Account) { a.Timezone = "Mars/Olympus" }},
		{"no employees", func(a *Account) { a.Employees = nil }},
		{"no virtual numbers", func(a *Account) { a.VirtualNumbers = nil }},
		{"duplicate employee", func(a *Account) { a.Employees = append(a.Employees, a.Employees[0]) }},
		{"bad cidr", func(a *Account) { a.IPWhitelist = []string{"10.0.0.0/99"} }},
		{"bad notification", func(a *Account) { a.Notifications = []Notification{{Event: EventCallFinished, URL: "nope"}} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := DefaultAccount()
			tt.mod(a)
			if _, err := New(Config{Account: a}); err == nil {
				t.Errorf("New accepted the account")
			}
		})
	}
}

// TestAccountLevelErrors covers the errors that depend on account or fault settings.
func TestAccountLevelErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		mod      func(a *Account)
		faults   Faults
		api      string
		method   string
		params   map[string]any
		code     int
		mnemonic string
		message  string
	}{
		{name: "account inactive", mod: func(a *Account) { a.Disabled = true }, api: "/v4.0", method: "list.calls",
			params: map[string]any{"access_token": DefaultAPIKey}, code: -32009, mnemonic: "account_inactive", message: "Your account has been disabled, contact the support service"},
		{name: "forbidden for this API", mod: func(a *Account) { a.APIKeys = []APIKey{{Key: "data-only", APIs: []string{"data"}}} }, api: "/v4.0", method: "list.calls",
			params: map[string]any{"access_token": "data-only"}, code: -32003, mnemonic: "forbidden", message: "Permission denied"},
		{name: "internal error fault", faults: Faults{InternalErrorMethods: []string{"get.account"}}, api: "/v2.0", method: "get.account",
			params: map[string]any{"access_token": DefaultAPIKey}, code: -32603, mnemonic: "internal_error", message: "Internal error, contact the support service"},
		{name: "data api day limit", mod: func(a *Account) { a.Limits.DataAPIDay = 1; a.Limits.MethodWeights = map[string]int{"get.account": 2} }, api: "/v2.0", method: "get.account",
			params: map[string]any{"access_token": DefaultAPIKey}, code: -32029, mnemonic: "limit_exceeded", message: "Limit per day has been exceeded. Value of current limit per day is 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, url := newSim(t, func(c *Config) {
				c.Account = DefaultAccount()
				if tt.mod != nil {
					tt.mod(c.Account)
				}
			})
			sim.SetFaults(tt.faults)
			r := rpcCall(t, url+tt.api, tt.method, tt.params)
			if r.Error == nil || r.Error.Code != tt.code || r.Error.Data["mnemonic"] != tt.mnemonic || r.Error.Message != tt.message {
				t.Errorf("got %+v, want %d %s %q", r.Error, tt.code, tt.mnemonic, tt.message)
			}
		})
	}
}

func TestMethodWeights(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, func(c *Config) {
		c.Account = DefaultAccount()
		c.Account.Limits.CallAPIMinute = 5
		c.Account.Limits.MethodWeights = map[string]int{"list.calls": 3}
	})
	p := map[string]any{"access_token": DefaultAPIKey}
	r := mustData(t, url+"/v4.0", "list.calls", p, nil)
	if got := num(t, r.Result.Metadata["limits"].(map[string]any)["minute_remaining"]); got != 2 {
		t.Errorf("minute_remaining = %d, want 2", got)
	}
	if r := rpcCall(t, url+"/v4.0", "list.calls", p); r.Error == nil || r.Error.Data["mnemonic"] != "limit_exceeded" {
		t.Errorf("second weighted call: %+v, want limit_exceeded", r.Error)
	}
}

package uissim

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// reportSim runs four finished calls (answered, missed, transfer, outgoing with an external
// id) and returns the Data API URL and the call ids in that order.
func reportSim(t *testing.T) (*Simulator, string, []int64) {
	t.Helper()
	sim, url := newSim(t, nil)
	specs := []CallSpec{
		{Kind: KindIncomingAnswered, ContactNumber: "79261234567", TalkSeconds: 40},
		{Kind: KindIncomingMissed, ContactNumber: "79031112233"},
		{Kind: KindIncomingTransfer, ContactNumber: "79261234567", TalkSeconds: 10},
		{Kind: KindOutgoing, ContactNumber: "79057778899", ExternalID: "ext-1", Source: "callapi", Outcome: OutcomeBusy},
	}
	var ids []int64
	for _, s := range specs {
		id, err := sim.StartCall(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		waitIdle(t, sim) // one at a time, so start times are ordered
		time.Sleep(2 * time.Millisecond)
	}
	return sim, url + "/v2.0", ids
}

func period(mod func(p map[string]any)) map[string]any {
	msk, _ := time.LoadLocation("Europe/Moscow")
	now := time.Now().In(msk)
	p := map[string]any{
		"access_token": DefaultAPIKey,
		"date_from":    now.Add(-time.Hour).Format(layoutData),
		"date_till":    now.Add(time.Hour).Format(layoutData),
	}
	if mod != nil {
		mod(p)
	}
	return p
}

func rowIDs(t *testing.T, rows []map[string]any) []int64 {
	t.Helper()
	var out []int64
	for _, r := range rows {
		out = append(out, num(t, r["id"]))
	}
	return out
}

func TestCallsReport(t *testing.T) {
	t.Parallel()
	_, api, ids := reportSim(t)
	f := func(field, op string, v any) map[string]any {
		return map[string]any{"field": field, "operator": op, "value": v}
	}
	tests := []struct {
		name   string
		params map[string]any
		want   []int64
		total  int64
	}{
		{"all", period(nil), ids, 4},
		{"id =", period(func(p map[string]any) { p["filter"] = f("id", "=", ids[2]) }), ids[2:3], 1},
		{"direction = out", period(func(p map[string]any) { p["filter"] = f("direction", "=", "out") }), ids[3:], 1},
		{"is_lost = true", period(func(p map[string]any) { p["filter"] = f("is_lost", "=", true) }), []int64{ids[1], ids[3]}, 2},
		{"is_lost != true", period(func(p map[string]any) { p["filter"] = f("is_lost", "!=", true) }), []int64{ids[0], ids[2]}, 2},
		{"external id", period(func(p map[string]any) { p["filter"] = f("call_api_external_id", "=", "ext-1") }), ids[3:], 1},
		{"id in", period(func(p map[string]any) { p["filter"] = f("id", "in", []int64{ids[0], ids[1]}) }), ids[:2], 2},
		{"total_duration >", period(func(p map[string]any) { p["filter"] = f("total_duration", ">", 40) }), []int64{ids[0]}, 1},
		{"contact like", period(func(p map[string]any) { p["filter"] = f("contact_phone_number", "like", "7926%") }), []int64{ids[0], ids[2]}, 2},
		{"external id null", period(func(p map[string]any) { p["filter"] = f("call_api_external_id", "is_null", nil) }), ids[:3], 3},
		{"tree or", period(func(p map[string]any) {
			p["filter"] = map[string]any{"condition": "or", "filters": []any{f("direction", "=", "out"), f("is_transfer", "=", true)}}
		}), []int64{ids[2], ids[3]}, 2},
		{"tree and nested", period(func(p map[string]any) {
			p["filter"] = map[string]any{"condition": "and", "filters": []any{f("is_lost", "=", false),
				map[string]any{"condition": "or", "filters": []any{f("id", "=", ids[0]), f("id", "=", ids[1])}}}}
		}), ids[:1], 1},
		{"limit offset", period(func(p map[string]any) { p["limit"], p["offset"] = 2, 1 }), ids[1:3], 4},
		{"sort two keys", period(func(p map[string]any) {
			p["sort"] = []any{map[string]any{"field": "is_lost"}, map[string]any{"field": "direction", "order": "desc"}}
		}), []int64{ids[0], ids[2], ids[3], ids[1]}, 4},
		{"period before", period(func(p map[string]any) {
			p["date_from"], p["date_till"] = "2020-01-01 00:00:00", "2020-02-01 00:00:00"
		}), nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rows []map[string]any
			r := mustData(t, api, "get.calls_report", tt.params, &rows)
			if got := rowIDs(t, rows); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ids = %v, want %v", got, tt.want)
			}
			if got := num(t, r.Result.Metadata["total_items"]); got != tt.total {
				t.Errorf("total_items = %d, want %d", got, tt.total)
			}
		})
	}
}

func TestCallsReportFields(t *testing.T) {
	t.Parallel()
	_, api, ids := reportSim(t)
	var rows []map[string]any
	mustData(t, api, "get.calls_report", period(nil), &rows)
	def := []string{"id", "start_time", "finish_time", "finish_reason", "direction", "source", "is_lost",
		"communication_id", "communication_type", "contact_phone_number", "virtual_phone_number", "cpn_region_id",
		"cpn_region_name", "cpn_country_id", "cpn_country_name", "wait_duration", "total_wait_duration", "talk_duration",
		"clean_talk_duration", "total_duration", "call_records", "wav_call_records", "full_record_file_link"}
	var keys []string
	for k := range rows[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	slices.Sort(def)
	if !reflect.DeepEqual(keys, def) {
		t.Errorf("default fields = %v, want %v", keys, def)
	}
	ans := rows[0]
	checkFields(t, ans, map[string]string{"talk_duration": "40", "is_lost": "false", "finish_reason": "subscriber_disconnects", "direction": "in", "source": "va", "communication_type": "call"})
	if recs := ans["call_records"].([]any); len(recs) != 1 || len(recs[0].(string)) != 32 {
		t.Errorf("call_records = %v, want one 32-hex id", recs)
	}
	if _, err := time.Parse(layoutData, ans["start_time"].(string)); err != nil {
		t.Errorf("start_time %v: %v", ans["start_time"], err)
	}
	rows = nil
	mustData(t, api, "get.calls_report", period(func(p map[string]any) {
		p["fields"] = []string{"id", "call_api_external_id", "employees", "is_transfer"}
		p["filter"] = map[string]any{"field": "id", "operator": "=", "value": ids[3]}
	}), &rows)
	if len(rows) != 1 || len(rows[0]) != 4 || rows[0]["call_api_external_id"] != "ext-1" || rows[0]["is_transfer"] != false {
		t.Errorf("selected fields = %v", rows)
	}
}

func TestDataAPIErrors(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, nil)
	api := url + "/v2.0"
	tests := []struct {
		name     string
		method   string
		params   map[string]any
		mnemonic string
		field    string
		message  string
	}{
		{"date_from missing", "get.calls_report", period(func(p map[string]any) { delete(p, "date_from") }), "required_parameter_missed", "date_from", ""},
		{"date_till missing", "get.call_legs_report", period(func(p map[string]any) { delete(p, "date_till") }), "required_parameter_missed", "date_till", ""},
		{"bad date format", "get.calls_report", period(func(p map[string]any) { p["date_from"] = "2024-01-01T00:00:00Z" }), "invalid_parameter_value", "date_from", ""},
		{"date type", "get.calls_report", period(func(p map[string]any) { p["date_till"] = 20240101 }), "data_type_error", "date_till", ""},
		{"from after till", "get.calls_report", period(func(p map[string]any) { p["date_from"], p["date_till"] = "2024-02-01 00:00:00", "2024-01-01 00:00:00" }), "invalid_parameter_value", "date_from", ""},
		{"over 3 months", "get.calls_report", period(func(p map[string]any) { p["date_from"], p["date_till"] = "2024-01-01 00:00:00", "2024-04-01 00:00:01" }), "date_interval_limit_reached", "", "Max value of requested date interval is 3 months"},
		{"limit too big", "get.calls_report", period(func(p map[string]any) { p["limit"] = 10001 }), "invalid_parameter_value", "limit", ""},
		{"offset too big", "get.calls_report", period(func(p map[string]any) { p["offset"] = 100001 }), "invalid_parameter_value", "offset", ""},
		{"unknown field", "get.calls_report", period(func(p map[string]any) { p["fields"] = []string{"id", "colour"} }), "unexpected_parameters", "fields", ""},
		{"unknown param", "get.calls_report", period(func(p map[string]any) { p["page"] = 2 }), "unexpected_parameters", "page", ""},
		{"unknown filter field", "get.calls_report", period(func(p map[string]any) { p["filter"] = map[string]any{"field": "colour", "operator": "=", "value": 1} }), "unexpected_parameters", "filter.field", ""},
		{"filter prohibited", "get.calls_report", period(func(p map[string]any) {
			p["filter"] = map[string]any{"field": "start_time", "operator": "=", "value": "x"}
		}), "filter_prohibited", "filter.field", "Filter by parameter is prohibited"},
		{"bad operator", "get.calls_report", period(func(p map[string]any) { p["filter"] = map[string]any{"field": "id", "operator": "~", "value": 1} }), "invalid_parameter_value", "filter.operator", ""},
		{"in needs array", "get.calls_report", period(func(p map[string]any) { p["filter"] = map[string]any{"field": "id", "operator": "in", "value": 1} }), "invalid_parameter_value", "filter.value", ""},
		{"bad regexp", "get.calls_report", period(func(p map[string]any) {
			p["filter"] = map[string]any{"field": "direction", "operator": "regexp", "value": "("}
		}), "invalid_parameter_value", "filter.value", ""},
		{"bad condition", "get.calls_report", period(func(p map[string]any) { p["filter"] = map[string]any{"condition": "xor", "filters": []any{}} }), "invalid_parameter_value", "filter.condition", ""},
		{"sort prohibited", "get.calls_report", period(func(p map[string]any) { p["sort"] = []any{map[string]any{"field": "id"}} }), "sort_prohibited", "sort.field", "Sort by parameter is prohibited"},
		{"sort bad order", "get.calls_report", period(func(p map[string]any) { p["sort"] = []any{map[string]any{"field": "start_time", "order": "up"}} }), "invalid_parameter_value", "sort.order", ""},
		{"limit type", "get.employees", map[string]any{"access_token": DefaultAPIKey, "limit": "10"}, "data_type_error", "limit", ""},
		{"account unexpected", "get.account", map[string]any{"access_token": DefaultAPIKey, "x": 1}, "unexpected_parameters", "x", ""},
		{"unknown method", "get.weather", map[string]any{"access_token": DefaultAPIKey}, "method_not_found", "", ""},
		{"bad token", "get.account", map[string]any{"access_token": "x"}, "access_token_invalid", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rpcCall(t, api, tt.method, tt.params)
			if r.Error == nil {
				t.Fatalf("no error, want %s", tt.mnemonic)
			}
			if r.Error.Data["mnemonic"] != tt.mnemonic {
				t.Errorf("mnemonic = %v (%s), want %s", r.Error.Data["mnemonic"], r.Error.Message, tt.mnemonic)
			}
			if got, _ := r.Error.Data["field"].(string); got != tt.field {
				t.Errorf("field = %q, want %q", got, tt.field)
			}
			if tt.message != "" && r.Error.Message != tt.message {
				t.Errorf("message = %q, want %q", r.Error.Message, tt.message)
			}
		})
	}
}

func TestDataAPIDirectory(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, nil)
	api := url + "/v2.0"
	tok := map[string]any{"access_token": DefaultAPIKey}

	var acct []map[string]any
	mustData(t, api, "get.account", tok, &acct)
	if len(acct) != 1 || num(t, acct[0]["app_id"]) != 105932 || acct[0]["timezone"] != "Europe/Moscow" || acct[0]["name"] == nil {
		t.Errorf("get.account = %v", acct)
	}

	var emps []map[string]any
	r := mustData(t, api, "get.employees", tok, &emps)
	if len(emps) != 3 || num(t, r.Result.Metadata["total_items"]) != 3 {
		t.Fatalf("get.employees = %d rows, want 3", len(emps))
	}
	if emps[0]["full_name"] != "Иванов Иван Петрович" || emps[0]["email"] != "ivanov@ringdesk.example" {
		t.Errorf("first employee = %v", emps[0])
	}
	phones := emps[0]["phone_numbers"].([]any)
	if p := phones[0].(map[string]any); p["phone_number"] != "79161234501" || p["status"] != "active" {
		t.Errorf("phone = %v", p)
	}
	emps = nil
	mustData(t, api, "get.employees", map[string]any{"access_token": DefaultAPIKey, "fields": []string{"id", "full_name"},
		"filter": map[string]any{"field": "id", "operator": "=", "value": 323402}}, &emps)
	if len(emps) != 1 || len(emps[0]) != 2 || emps[0]["full_name"] != "Петрова Анна Сергеевна" {
		t.Errorf("filtered employees = %v", emps)
	}

	var vns []map[string]any
	mustData(t, api, "get.virtual_numbers", tok, &vns)
	if len(vns) != 2 || vns[0]["virtual_phone_number"] != "74951234567" || vns[0]["status"] != "active" {
		t.Errorf("get.virtual_numbers = %v", vns)
	}

	var login map[string]any
	mustData(t, api, "login.user", map[string]any{"login": "admin", "password": "admin"}, &login)
	if num(t, login["app_id"]) != 105932 {
		t.Errorf("data api login = %v, want app_id", login)
	}
	mustData(t, api, "get.account", map[string]any{"access_token": login["access_token"]}, nil)
	var out map[string]any
	mustData(t, api, "logout.user", map[string]any{"access_token": login["access_token"]}, &out)
	if out["success"] != true {
		t.Errorf("logout = %v", out)
	}
	if r := rpcCall(t, api, "get.account", map[string]any{"access_token": login["access_token"]}); r.Error == nil || r.Error.Data["mnemonic"] != "access_token_invalid" {
		t.Errorf("after logout: %+v, want access_token_invalid", r.Error)
	}
}

func TestCallLegsReport(t *testing.T) {
	t.Parallel()
	_, api, ids := reportSim(t)
	var legs []map[string]any
	mustData(t, api, "get.call_legs_report", period(func(p map[string]any) {
		p["filter"] = map[string]any{"field": "call_session_id", "operator": "=", "value": ids[2]}
	}), &legs)
	if len(legs) != 3 {
		t.Fatalf("transfer call has %d legs, want 3 (contact, first and second employee)", len(legs))
	}
	var ops, transfered, records int
	for _, l := range legs {
		if num(t, l["call_session_id"]) != ids[2] {
			t.Errorf("leg of another call: %v", l)
		}
		if l["is_operator"] == true {
			ops++
		}
		if l["is_transfered"] == true {
			transfered++
		}
		records += len(l["call_records"].([]any))
	}
	if ops != 2 || transfered != 1 || records != 2 {
		t.Errorf("operators %d, transfered %d, records %d; want 2, 1, 2", ops, transfered, records)
	}
	legs = nil
	mustData(t, api, "get.call_legs_report", period(func(p map[string]any) {
		p["filter"] = map[string]any{"field": "call_session_id", "operator": "=", "value": ids[1]}
	}), &legs)
	for _, l := range legs {
		if l["is_operator"] == true && (l["is_failed"] != true || !strings.Contains(str(l["finish_reason"]), "subscriber")) {
			t.Errorf("missed call employee leg = %v, want failed", l)
		}
	}
}

func TestCallsReportOngoing(t *testing.T) {
	t.Parallel()
	sim, url := newSim(t, func(c *Config) { c.TimeScale = 0.05 })
	id, err := sim.StartCall(context.Background(), CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567"})
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	mustData(t, url+"/v2.0", "get.calls_report", period(nil), &rows)
	if len(rows) != 0 {
		t.Errorf("ongoing call listed without include_ongoing_calls: %v", rows)
	}
	mustData(t, url+"/v2.0", "get.calls_report", period(func(p map[string]any) { p["include_ongoing_calls"] = true }), &rows)
	if len(rows) != 1 || num(t, rows[0]["id"]) != id {
		t.Fatalf("with include_ongoing_calls: %v, want call %d", rows, id)
	}
	if r := rows[0]; r["finish_time"] != nil || r["finish_reason"] != nil || r["full_record_file_link"] != nil || len(r["call_records"].([]any)) != 0 {
		t.Errorf("ongoing row = %v, want no finish time, reason or recordings", r)
	}
	waitIdle(t, sim)
	mustData(t, url+"/v2.0", "get.calls_report", period(func(p map[string]any) { p["include_ongoing_calls"] = true }), &rows)
	if len(rows) != 1 || rows[0]["finish_time"] == nil || len(rows[0]["call_records"].([]any)) != 1 {
		t.Errorf("finished row = %v", rows)
	}
}

package uissim

import (
	"slices"
	"testing"
)

// TestGetEmployeesShapes holds get.employees to the documented row shape (reference §3.5 and
// the CoMagic/UIS get_employees page): ids, names, email, status, groups by id and name,
// numbers in dialling order with their status, the extension object; and to the Data API's
// paging, field selection and refusals.
func TestGetEmployeesShapes(t *testing.T) {
	t.Parallel()
	_, url := newSim(t, nil)
	api := url + "/v2.0"
	tok := map[string]any{"access_token": DefaultAPIKey}

	var emps []map[string]any
	r := mustData(t, api, "get.employees", tok, &emps)
	if len(emps) != 3 || num(t, r.Result.Metadata["total_items"]) != 3 {
		t.Fatalf("get.employees = %d rows, want 3", len(emps))
	}
	e := emps[2]
	for _, f := range employeesAll {
		if _, ok := e[f]; !ok {
			t.Errorf("default row lacks %q", f)
		}
	}
	if num(t, e["id"]) != 323403 || e["full_name"] != "Смирнов Алексей Викторович" || e["first_name"] != "Алексей" ||
		e["last_name"] != "Смирнов" || e["patronymic"] != "Викторович" || e["login"] != "smirnov" ||
		e["email"] != "smirnov@ringdesk.example" || e["status"] != "available" || e["calls_available"] != true || e["coach"] != nil {
		t.Errorf("employee = %v", e)
	}
	groups := e["groups"].([]any)
	if g := groups[0].(map[string]any); len(groups) != 1 || num(t, g["group_id"]) != 5102 || g["group_name"] != "Продажи" {
		t.Errorf("groups = %v", groups)
	}
	phones := e["phone_numbers"].([]any)
	if len(phones) != 2 || phones[0].(map[string]any)["phone_number"] != "79161234503" || phones[1].(map[string]any)["status"] != "inactive" ||
		num(t, phones[0].(map[string]any)["dial_time"]) != 60 || num(t, phones[0].(map[string]any)["phone_id"]) != 610003 {
		t.Errorf("phone_numbers = %v", phones)
	}
	if ext := e["extension"].(map[string]any); ext["extension_phone_number"] != "103" || ext["extension_queue_enabled"] != false {
		t.Errorf("extension = %v", ext)
	}

	// Paging: limit and offset, total_items counts every match.
	emps = nil
	r = mustData(t, api, "get.employees", map[string]any{"access_token": DefaultAPIKey, "limit": 2, "offset": 2, "fields": []string{"id"}}, &emps)
	if len(emps) != 1 || num(t, emps[0]["id"]) != 323403 || len(emps[0]) != 1 || num(t, r.Result.Metadata["total_items"]) != 3 {
		t.Errorf("page 2 = %v, total %v", emps, r.Result.Metadata["total_items"])
	}
	emps = nil
	mustData(t, api, "get.employees", map[string]any{"access_token": DefaultAPIKey, "fields": []string{"id", "full_name"},
		"sort": []any{map[string]any{"field": "full_name", "order": "desc"}}}, &emps)
	if len(emps) != 3 || emps[0]["full_name"] != "Смирнов Алексей Викторович" {
		t.Errorf("sorted by full_name desc = %v", emps)
	}

	for _, tt := range []struct {
		name     string
		params   map[string]any
		mnemonic string
		field    string
	}{
		{"limit over the cap", map[string]any{"limit": 10001}, "invalid_parameter_value", "limit"},
		{"offset over the cap", map[string]any{"offset": 100001}, "invalid_parameter_value", "offset"},
		{"unknown field", map[string]any{"fields": []string{"id", "phone"}}, "unexpected_parameters", "fields"},
		{"id is not sortable", map[string]any{"sort": []any{map[string]any{"field": "id"}}}, "sort_prohibited", "sort.field"},
		{"patronymic is not filterable", map[string]any{"filter": map[string]any{"field": "patronymic", "operator": "=", "value": "x"}}, "filter_prohibited", "filter.field"},
		{"dates are not a parameter", map[string]any{"date_from": "2024-01-01 00:00:00"}, "unexpected_parameters", "date_from"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := map[string]any{"access_token": DefaultAPIKey}
			for k, v := range tt.params {
				p[k] = v
			}
			r := rpcCall(t, api, "get.employees", p)
			if r.Error == nil || r.Error.Data["mnemonic"] != tt.mnemonic || r.Error.Data["field"] != tt.field {
				t.Errorf("error = %+v, want %s on %s", r.Error, tt.mnemonic, tt.field)
			}
		})
	}
	if r := rpcCall(t, api, "get.employees", map[string]any{"access_token": "nope"}); r.Error == nil || r.Error.Data["mnemonic"] != "access_token_invalid" {
		t.Errorf("bad key: %+v", r.Error)
	}
}

// TestGetEmployeesBehaviour: where the docs are silent (the default field set, the extension
// of an employee without one, the name of get.group_employees' number list) the behaviour
// decides; a shared account lists the other business's employee too.
func TestGetEmployeesBehaviour(t *testing.T) {
	t.Parallel()
	sim, url := newSim(t, func(c *Config) {
		a := DefaultAccount()
		a.Employees[1].Extension, a.Employees[1].Status = "", "break"
		c.Account = a
	})
	api := url + "/v2.0"
	tok := map[string]any{"access_token": DefaultAPIKey}
	var emps []map[string]any
	mustData(t, api, "get.employees", tok, &emps)
	if emps[1]["extension"] != nil || emps[1]["status"] != "break" || emps[1]["calls_available"] != false || num(t, emps[1]["status_id"]) != 2 {
		t.Errorf("employee without extension, on a break = %v", emps[1])
	}

	b := sim.Behaviour()
	b.EmployeeDefaultFields = []string{"id", "full_name"}
	b.EmployeeNoExtension = "object"
	b.GroupPhonesField = "phone_number"
	b.SharedAccount = &SharedAccount{}
	if err := sim.SetBehaviour(b); err != nil {
		t.Fatal(err)
	}
	emps = nil
	mustData(t, api, "get.employees", tok, &emps)
	if len(emps) != 4 || len(emps[0]) != 2 || num(t, emps[3]["id"]) != 399001 {
		t.Errorf("default fields id, full_name on a shared account = %v", emps)
	}
	emps = nil
	mustData(t, api, "get.employees", map[string]any{"access_token": DefaultAPIKey, "fields": []string{"extension"},
		"filter": map[string]any{"field": "id", "operator": "=", "value": 323402}}, &emps)
	if ext, ok := emps[0]["extension"].(map[string]any); !ok || ext["extension_phone_number"] != nil || len(ext) != 3 {
		t.Errorf("no extension as an object = %v", emps)
	}
	var groups []map[string]any
	mustData(t, api, "get.group_employees", tok, &groups)
	if len(groups) != 2 || groups[0]["name"] != "Поддержка" || groups[0]["group_phone_number"] != "501" || groups[0]["queue_enabled"] != true {
		t.Fatalf("get.group_employees = %v", groups)
	}
	if _, ok := groups[0]["phone_numbers"]; ok {
		t.Errorf("group_phones_field phone_number: the row still has phone_numbers: %v", groups[0])
	}
	members := groups[0]["members"].([]any)
	var ids []int64
	for _, m := range members {
		ids = append(ids, num(t, m.(map[string]any)["employee_id"]))
	}
	if !slices.Equal(ids, []int64{323401, 323402}) {
		t.Errorf("support members = %v", ids)
	}
	if phones := groups[1]["phone_number"].([]any); len(phones) != 2 || phones[1].(map[string]any)["available"] != false ||
		phones[0].(map[string]any)["employee_full_name"] != "Смирнов Алексей Викторович" {
		t.Errorf("sales numbers = %v", phones)
	}

	b.EmployeeDefaultFields = []string{"colour"}
	if err := sim.SetBehaviour(b); err == nil {
		t.Error("an unknown default field was accepted")
	}
}

package uis

import (
	"reflect"
	"testing"
	"time"
)

func TestParseReportCall(t *testing.T) {
	msk := time.FixedZone("MSK", 3*3600)
	row := `{"id":4754016438,"start_time":"2026-11-24 20:04:31","finish_time":"2026-11-24 20:05:16","finish_reason":"subscriber_disconnects",
		"direction":"in","source":"va","is_lost":false,"communication_id":4754016438,"contact_phone_number":"79031112233",
		"virtual_phone_number":"74951234567","cpn_region_name":null,"wait_duration":5,"total_wait_duration":5,"talk_duration":40,
		"clean_talk_duration":40,"total_duration":45,"postprocess_duration":0,"call_records":["aa11","bb22"],
		"full_record_file_link":"http://h/system/media/talk/4754016438/aa11/","is_transfer":false,
		"tags":[{"tag_id":1,"tag_name":"VIP"}],"employees":[{"employee_id":323402,"employee_full_name":"Петрова","is_answered":true,"is_talked":true}],
		"first_answered_employee_id":323402,"first_answered_employee_full_name":"Петрова","last_answered_employee_id":323402,
		"last_answered_employee_full_name":"Петрова","first_talked_employee_id":null,"first_talked_employee_full_name":null,
		"last_talked_employee_id":"323402","last_talked_employee_full_name":"Петрова","scenario_name":"Main","call_api_external_id":null,
		"contact_full_name":"Иван"}`
	e, err := ParseReportCall([]byte(row), msk)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 24, 20, 4, 31, 0, msk)
	if e.Kind != ReportFinished || e.CallSessionID != 4754016438 || !e.StartTime.Equal(start) || !e.FinishTime.Equal(start.Add(45*time.Second)) ||
		!e.ConnectionTime.Equal(start.Add(5*time.Second)) || e.Direction != "in" || e.IsLost || e.TalkTimeDuration == nil || *e.TalkTimeDuration != 40 ||
		e.ContactFullName != "Иван" || e.ScenarioName != "Main" {
		t.Errorf("event = %+v", e)
	}
	if want := []string{"http://h/system/media/talk/4754016438/aa11/", "http://h/system/media/talk/4754016438/bb22/"}; !reflect.DeepEqual(e.RecordFileLinks, want) {
		t.Errorf("recordings = %v, want %v", e.RecordFileLinks, want)
	}
	if e.LastTalkedEmployeeID == nil || *e.LastTalkedEmployeeID != 323402 || e.FirstTalkedEmployeeID != nil ||
		!reflect.DeepEqual(e.EmployeeIDs, []int64{323402}) || !reflect.DeepEqual(e.TagNames, []string{"VIP"}) || e.EmployeeID != nil {
		t.Errorf("employees = last talked %v first talked %v ids %v tags %v employee %v", e.LastTalkedEmployeeID, e.FirstTalkedEmployeeID,
			e.EmployeeIDs, e.TagNames, e.EmployeeID)
	}
	for _, bad := range []string{`[]`, `{"start_time":"2026-11-24 20:04:31"}`, `{"id":0}`} {
		if _, err := ParseReportCall([]byte(bad), msk); err == nil {
			t.Errorf("ParseReportCall(%s) = nil error", bad)
		}
	}
	if _, ok := ParseEventKind(string(ReportFinished)); ok {
		t.Errorf("calls_report is accepted as a webhook kind")
	}
}

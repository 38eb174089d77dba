package uis

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

func TestParseReportCall(t *testing.T) {
	msk := time.FixedZone("MSK", 3*3600)
	row := `{"id":4754016438,"start_time":"2026-11-24 20:04:31","finish_time":"2026-11-24 20:05:16","finish_reason":"subscriber_disconnects",
		"direction":"in","source":"va","is_lost":false,"communication_id":4754016438,"contact_phone_number":"79031112233",
		"virtual_phone_number":"74951234567","cpn_region_name":null,"wait_duration":5,"total_wait_duration":5,"talk_duration":40,
		"clean_talk_duration":40,"total_duration":45,"postprocess_duration":0,"call_records":["aa11","bb22"],
		"full_record_file_link":"https://media.uiscom.ru/4754016438/aa11","is_transfer":false,
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
	if want := []string{"https://app.uiscom.ru/system/media/talk/4754016438/aa11/", "https://app.uiscom.ru/system/media/talk/4754016438/bb22/"}; !reflect.DeepEqual(e.RecordFileLinks, want) {
		t.Errorf("recordings = %v, want %v", e.RecordFileLinks, want)
	}
	if e.FullRecordFileLink != "https://media.uiscom.ru/4754016438/aa11" {
		t.Errorf("merged recording = %q", e.FullRecordFileLink)
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

// TestParseReportCallLostProcessing: lost_call_processing_duration is read
// as seconds when sent, left nil when null, absent or unusable, and
// whether the row had it at all is kept apart from its value.
func TestParseReportCallLostProcessing(t *testing.T) {
	t.Parallel()
	base := `{"id":7,"start_time":"2026-11-24 20:04:31","finish_time":"2026-11-24 20:05:16","is_lost":true`
	for _, tc := range []struct {
		field    string
		want     *int64
		sent     bool
		warnings int
	}{
		{``, nil, false, 0},
		{`,"lost_call_processing_duration":null`, nil, true, 0},
		{`,"lost_call_processing_duration":420`, ptr64(420), true, 0},
		{`,"lost_call_processing_duration":"420"`, ptr64(420), true, 0},
		{`,"lost_call_processing_duration":0`, ptr64(0), true, 0},
		{`,"lost_call_processing_duration":-5`, nil, true, 1},
		{`,"lost_call_processing_duration":"soon"`, nil, true, 1},
		{`,"lost_call_processing_duration":[1]`, nil, true, 1},
	} {
		e, err := ParseReportCall([]byte(base+tc.field+`}`), time.UTC)
		if err != nil {
			t.Fatalf("%s: %v", tc.field, err)
		}
		if !reflect.DeepEqual(e.LostCallProcessing, tc.want) || e.LostCallProcessingSent != tc.sent || len(e.Warnings) != tc.warnings {
			t.Errorf("%s: got %v sent %v warnings %v, want %v sent %v %d warnings", tc.field, e.LostCallProcessing,
				e.LostCallProcessingSent, e.Warnings, tc.want, tc.sent, tc.warnings)
		}
	}
}

func ptr64(v int64) *int64 { return &v }

// TestRefusesReportField: only a refusal naming the fields parameter, or
// the field itself, lets reconciliation read the report without it.
func TestRefusesReportField(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&Error{Mnemonic: "unexpected_parameters", Field: "fields", Value: LostProcessingField}, true},
		{&Error{Mnemonic: "invalid_parameter_value", Field: "fields.33"}, true},
		{&Error{Mnemonic: "invalid_parameter_value", Value: LostProcessingField}, true},
		{&Error{Mnemonic: "access_token_invalid", Field: ""}, false},
		{&Error{Mnemonic: "invalid_parameter_value", Field: "date_from", Value: "2026-01-01"}, false},
		{&TransportError{Method: "get.calls_report", Status: 502}, false},
		{errors.New("other"), false},
	} {
		if got := RefusesReportField(tc.err, LostProcessingField); got != tc.want {
			t.Errorf("RefusesReportField(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

// TestParseReportLost: the look-back's rows (LostFields) give the call,
// whether it was lost and UIS's time to call back, nil when there is none
// or it is unusable; a row without a usable id is a *ParseError.
func TestParseReportLost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		row  string
		want ReportLost
	}{
		{`{"id":7,"is_lost":true,"lost_call_processing_duration":10760}`, ReportLost{CallSessionID: 7, IsLost: true, Seconds: ptr64(10760), Sent: true}},
		{`{"id":"7","is_lost":"true","lost_call_processing_duration":"60"}`, ReportLost{CallSessionID: 7, IsLost: true, Seconds: ptr64(60), Sent: true}},
		{`{"id":7,"is_lost":true,"lost_call_processing_duration":null}`, ReportLost{CallSessionID: 7, IsLost: true, Sent: true}},
		{`{"id":7,"is_lost":false}`, ReportLost{CallSessionID: 7}},
		{`{"id":7,"is_lost":true,"lost_call_processing_duration":-1}`, ReportLost{CallSessionID: 7, IsLost: true, Sent: true}},
		{`{"id":7,"is_lost":true,"lost_call_processing_duration":"later"}`, ReportLost{CallSessionID: 7, IsLost: true, Sent: true}},
	} {
		got, err := ParseReportLost([]byte(tc.row))
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %+v, %v; want %+v", tc.row, got, err, tc.want)
		}
	}
	for _, row := range []string{`[]`, `{"is_lost":true}`, `{"id":0}`, `{"id":"x"}`, `{"id":1,`} {
		var pe *ParseError
		if _, err := ParseReportLost([]byte(row)); !errors.As(err, &pe) {
			t.Errorf("%s: %v, want a *ParseError", row, err)
		}
	}
}

// TestRefusesReportFilter: filter_prohibited, or a refusal naming a filter
// parameter with the field as its value, lets the look-back read without
// the filter; other refusals do not.
func TestRefusesReportFilter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&Error{Mnemonic: "filter_prohibited", Field: "filter.field", Value: "is_lost"}, true},
		{&Error{Mnemonic: "unexpected_parameters", Field: "filter.field", Value: "is_lost"}, true},
		{&Error{Mnemonic: "unexpected_parameters", Field: "fields", Value: "is_lost"}, false},
		{&Error{Mnemonic: "unexpected_parameters", Field: "filter.field", Value: "source"}, false},
		{&Error{Mnemonic: "limit_exceeded"}, false},
		{&TransportError{Method: "get.calls_report", Status: 502}, false},
		{errors.New("other"), false},
	} {
		if got := RefusesReportFilter(tc.err, "is_lost"); got != tc.want {
			t.Errorf("RefusesReportFilter(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

// TestParseReportCallErrors: a row that cannot be applied says what is
// wrong with it as data (problem and field) besides the parser's words.
func TestParseReportCallErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		row, problem, field, text string
	}{
		{`[]`, ringdesk.ProblemNotObject, "body", "not a calls report row: json: cannot unmarshal array"},
		{`"row"`, ringdesk.ProblemNotObject, "body", "not a calls report row"},
		{`{"id":1,}`, ringdesk.ProblemInvalidJSON, "body", "not a calls report row: invalid character"},
		{`{"start_time":"2026-11-24 20:04:31"}`, ringdesk.ProblemMissing, "id", "id: missing"},
		{`{"id":null}`, ringdesk.ProblemMissing, "id", "id: missing"},
		{`{"id":0}`, ringdesk.ProblemNotPositive, "id", "id: must be positive, got 0"},
		{`{"id":"abc"}`, ringdesk.ProblemWrongType, "id", `id: cannot parse "\"abc\"" as an integer`},
		{`{"id":{"x":1}}`, ringdesk.ProblemWrongType, "id", "id: cannot parse"},
		{`{"id":5,"tags":"VIP"}`, ringdesk.ProblemWrongType, "tags", "tags: not a calls report row: json: cannot unmarshal string"},
		{`{"id":5,"employees":{"employee_id":1}}`, ringdesk.ProblemWrongType, "employees", "employees: not a calls report row"},
	} {
		_, err := ParseReportCall([]byte(tc.row), time.UTC)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: %v, want a *ParseError", tc.row, err)
			continue
		}
		if pe.Problem != tc.problem || pe.Field != tc.field || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: %q in %q (%v), want %q in %q (%s)", tc.row, pe.Problem, pe.Field, err, tc.problem, tc.field, tc.text)
		}
	}
	if e, err := ParseReportCall([]byte(`{"id":"77","finish_time":"2026-11-24 20:05:16"}`), time.UTC); err != nil || e.CallSessionID != 77 {
		t.Errorf("id as a string: %+v, %v", e, err)
	}
}

func TestReportRecordLinks(t *testing.T) {
	const talk = "https://app.uiscom.ru/system/media/talk/"
	cases := []struct {
		name string
		ids  []string
		full string
		comm int64
		want []string
	}{
		{"UIS merged link: talks on app.uiscom.ru", []string{"aa11", "bb22"}, "https://media.uiscom.ru/101/aa11", 101,
			[]string{talk + "101/aa11/", talk + "101/bb22/"}},
		{"CoMagic brand", []string{"cc33"}, "https://media.comagic.ru/102/cc33", 102,
			[]string{"https://app.comagic.ru/system/media/talk/102/cc33/"}},
		{"plain http kept", []string{"dd44"}, "http://media.uiscom.ru/103/dd44", 103,
			[]string{"http://app.uiscom.ru/system/media/talk/103/dd44/"}},
		{"another host kept (a simulator)", []string{"ee55", "ff66"}, "http://127.0.0.1:8091/104/ee55", 104,
			[]string{"http://127.0.0.1:8091/system/media/talk/104/ee55/", "http://127.0.0.1:8091/system/media/talk/104/ff66/"}},
		{"a talk-shaped merged link", []string{"aa11"}, "https://app.uiscom.ru/system/media/talk/105/aa11/", 105,
			[]string{talk + "105/aa11/"}},
		{"no merged link: UIS default host", []string{"aa11"}, "", 106, []string{talk + "106/aa11/"}},
		{"no talk ids: the merged file stands in", nil, "https://media.uiscom.ru/107/aa11", 107, []string{"https://media.uiscom.ru/107/aa11"}},
		{"nothing", nil, "", 108, nil},
		{"ids that leave their segment are skipped", []string{"../x", "a/b", "ok1", "q?x", ""}, "https://media.uiscom.ru/109/ok1", 109,
			[]string{talk + "109/ok1/"}},
		{"garbage merged link", []string{"aa11"}, "::not a url", 110, []string{talk + "110/aa11/"}},
	}
	for _, c := range cases {
		if got := reportRecordLinks(c.ids, c.full, c.comm); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: reportRecordLinks(%v, %q) = %v, want %v", c.name, c.ids, c.full, got, c.want)
		}
	}
	// communication_id, not the session id, names the talk folder; the session id stands in without it.
	row := `{"id":200,"communication_id":201,"call_records":["aa11"],"full_record_file_link":"https://media.uiscom.ru/201/aa11"}`
	if e, err := ParseReportCall([]byte(row), time.UTC); err != nil || !reflect.DeepEqual(e.RecordFileLinks, []string{talk + "201/aa11/"}) {
		t.Errorf("with communication_id: %v %v", e.RecordFileLinks, err)
	}
	row = `{"id":300,"call_records":["aa11"],"full_record_file_link":null}`
	if e, err := ParseReportCall([]byte(row), time.UTC); err != nil || !reflect.DeepEqual(e.RecordFileLinks, []string{talk + "300/aa11/"}) || e.FullRecordFileLink != "" {
		t.Errorf("without communication_id: %v %q %v", e.RecordFileLinks, e.FullRecordFileLink, err)
	}
}

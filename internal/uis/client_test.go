package uis

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

const secret = "2fRN4g217ca0b4224a67988aff3e584f91964a692045415f36fa66146f5a3c1ae1f6093d"

// gotRequest is a JSON-RPC request as the test server saw it.
type gotRequest struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Params  map[string]any  `json:"params"`
}

// newServer starts a UIS stand-in whose answer is computed by reply from the
// request; it checks the transport rules every request must follow.
func newServer(t *testing.T, reply func(req gotRequest) (status int, body string)) (*Client, *[]gotRequest) {
	t.Helper()
	var seen []gotRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			t.Errorf("method = %s, want POST", r.Method)
		}
		if got, want := r.Header.Get("Content-Type"), "application/json; charset=UTF-8"; got != want {
			t.Errorf("Content-Type = %q, want %q", got, want)
		}
		if r.ContentLength <= 0 {
			t.Errorf("Content-Length = %d, want > 0", r.ContentLength)
		}
		var req gotRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("request is not JSON: %v", err)
		}
		seen = append(seen, req)
		status, body := reply(req)
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return NewClient(srv.URL+"/call", srv.URL+"/data", srv.Client()), &seen
}

// ok wraps data in a success envelope that echoes the request id.
func ok(req gotRequest, data string) (int, string) {
	return 200, `{"jsonrpc":"2.0","id":` + string(req.ID) + `,"result":{"data":` + data +
		`,"metadata":{"limits":{"day_limit":1000,"day_remaining":999,"minute_limit":100,"minute_remaining":99}}}}`
}

func TestStartEmployeeCall(t *testing.T) {
	c, seen := newServer(t, func(req gotRequest) (int, string) { return ok(req, `{"call_session_id":237859081}`) })
	id, err := c.StartEmployeeCall(context.Background(), secret, StartEmployeeCallRequest{
		FirstCall:          FirstCallEmployee,
		VirtualPhoneNumber: "74993720692",
		Contact:            "79260000000",
		Direction:          DirectionOut,
		ExternalID:         "c2c-1",
		Employee:           CallEmployee{ID: 25},
	})
	if err != nil || id != 237859081 {
		t.Fatalf("got %d, %v; want 237859081", id, err)
	}
	req := (*seen)[0]
	if req.JSONRPC != "2.0" || req.Method != "start.employee_call" || len(req.ID) == 0 {
		t.Errorf("envelope = %+v", req)
	}
	want := map[string]any{
		"access_token": secret, "first_call": "employee", "virtual_phone_number": "74993720692",
		"contact": "79260000000", "direction": "out", "external_id": "c2c-1",
		"employee": map[string]any{"id": float64(25)},
	}
	if got, _ := json.Marshal(req.Params); string(got) != mustJSON(want) {
		t.Errorf("params = %s, want %s", got, mustJSON(want))
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestIDsDiffer(t *testing.T) {
	c, seen := newServer(t, func(req gotRequest) (int, string) { return ok(req, `{"success":true}`) })
	for range 2 {
		if err := c.ReleaseCall(context.Background(), secret, 1); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := string((*seen)[0].ID), string((*seen)[1].ID); a == b {
		t.Errorf("two requests share id %s", a)
	}
}

func TestReleaseCallSuccess(t *testing.T) {
	tests := []struct {
		data    string
		wantErr bool
	}{
		{`{"success":true}`, false},
		{`{"success":"true"}`, false},
		{`{"success":false}`, true},
		{`{"success":"false"}`, true},
	}
	for _, tt := range tests {
		c, seen := newServer(t, func(req gotRequest) (int, string) { return ok(req, tt.data) })
		err := c.ReleaseCall(context.Background(), secret, 3960098281)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %v", tt.data, err, tt.wantErr)
		}
		if got := (*seen)[0].Params["call_session_id"]; got != float64(3960098281) {
			t.Errorf("call_session_id = %v", got)
		}
	}
}

func TestErrorEnvelope(t *testing.T) {
	c, _ := newServer(t, func(req gotRequest) (int, string) {
		return 200, `{"jsonrpc":"2.0","id":null,"error":{"code":-32602,"message":"Employee with id 77 not found. It is not your employee.",
			"data":{"mnemonic":"employee_not_found","field":"employee.id","value":77,"params":{"employee_id":77},"extended_helper":null}}}`
	})
	_, err := c.StartEmployeeCall(context.Background(), secret, StartEmployeeCallRequest{FirstCall: "employee", Employee: CallEmployee{ID: 77}})
	var ue *Error
	if !errors.As(err, &ue) {
		t.Fatalf("got %T %v, want *Error", err, err)
	}
	if ue.Code != -32602 || ue.Mnemonic != "employee_not_found" || ue.Field != "employee.id" || ue.Value != float64(77) || ue.Method != "start.employee_call" {
		t.Errorf("got %+v", ue)
	}
	if !IsMnemonic(err, "virtual_phone_number_not_found", "employee_not_found") || IsMnemonic(err, "forbidden") {
		t.Error("IsMnemonic does not match the mnemonic")
	}
	if errors.Is(err, ErrUnavailable) {
		t.Error("a UIS answer counts as unavailable")
	}
	want := "uis: start.employee_call: employee_not_found (-32602): Employee with id 77 not found. It is not your employee. [field employee.id = 77]"
	if got := err.Error(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestErrorNeverShowsToken(t *testing.T) {
	c, _ := newServer(t, func(req gotRequest) (int, string) {
		return 200, `{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Data supplied is of wrong type",
			"data":{"mnemonic":"data_type_error","field":"access_token","value":"` + secret + `"}}}`
	})
	_, err := c.GetAccount(context.Background(), secret)
	if !IsMnemonic(err, "data_type_error") {
		t.Fatalf("got %v", err)
	}
	var ue *Error
	errors.As(err, &ue)
	if strings.Contains(err.Error(), secret) || ue.Value != nil {
		t.Errorf("the error shows the token: %q, Value %v", err, ue.Value)
	}
}

func TestEchoedTokenRedacted(t *testing.T) {
	c, _ := newServer(t, func(req gotRequest) (int, string) {
		return 400, "bad request: access_token=" + secret
	})
	_, err := c.GetAccount(context.Background(), secret)
	if !errors.Is(err, ErrUnavailable) || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("got %q, want a redacted transport error", err)
	}
	c, _ = newServer(t, func(req gotRequest) (int, string) {
		return 200, `{"jsonrpc":"2.0","id":1,"error":{"code":-32001,"message":"Access token ` + secret + ` is invalid","data":{"mnemonic":"access_token_invalid"}}}`
	})
	_, err = c.GetAccount(context.Background(), secret)
	if !IsMnemonic(err, "access_token_invalid") || strings.Contains(err.Error(), secret) {
		t.Errorf("got %q, want a redacted access_token_invalid", err)
	}
}

func TestErrorEnvelopeOnHTTP4xx(t *testing.T) {
	c, _ := newServer(t, func(req gotRequest) (int, string) {
		return 403, `{"jsonrpc":"2.0","id":1,"error":{"code":-32003,"message":"Your IP 10.0.0.1 is not whitelisted","data":{"mnemonic":"ip_not_whitelisted"}}}`
	})
	_, err := c.GetAccount(context.Background(), secret)
	if !IsMnemonic(err, "ip_not_whitelisted") {
		t.Errorf("got %v, want ip_not_whitelisted", err)
	}
}

func TestTransportFailures(t *testing.T) {
	big := strings.Repeat(" ", MaxResponseSize+1)
	tests := []struct {
		name       string
		status     int
		body       func(req gotRequest) string
		wantStatus int
		wantText   string
	}{
		{"bad gateway", 502, func(gotRequest) string { return "<html>Bad Gateway</html>" }, 502, "HTTP 502"},
		{"5xx with a JSON-RPC error", 503, func(gotRequest) string {
			return `{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error","data":{"mnemonic":"internal_error"}}}`
		}, 503, "Internal error"},
		{"non-JSON body", 200, func(gotRequest) string { return "OK" }, 200, "not JSON-RPC"},
		{"JSON but not JSON-RPC", 200, func(gotRequest) string { return `{"status":"ok"}` }, 200, "not JSON-RPC"},
		{"oversized body", 200, func(gotRequest) string { return big }, 200, "larger than"},
		{"id mismatch", 200, func(gotRequest) string {
			return `{"jsonrpc":"2.0","id":987654,"result":{"data":[{"app_id":1}]}}`
		}, 200, "does not match"},
		{"result data of another shape", 200, func(req gotRequest) string {
			_, b := ok(req, `{"app_id":1}`)
			return b
		}, 200, "unexpected result data"},
		{"empty data", 200, func(req gotRequest) string {
			_, b := ok(req, `[]`)
			return b
		}, 0, "empty result"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newServer(t, func(req gotRequest) (int, string) { return tt.status, tt.body(req) })
			_, err := c.GetAccount(context.Background(), secret)
			var te *TransportError
			if !errors.As(err, &te) || !errors.Is(err, ErrUnavailable) {
				t.Fatalf("got %T %v, want *TransportError", err, err)
			}
			if te.Status != tt.wantStatus || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("got status %d, %q; want %d and %q", te.Status, err, tt.wantStatus, tt.wantText)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error shows the token: %q", err)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	c, _ := newServer(t, func(req gotRequest) (int, string) {
		<-release
		return ok(req, `[]`)
	})
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.ListCalls(ctx, secret)
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want ErrUnavailable wrapping context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v to honour a 50ms deadline", d)
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := NewClient(url, url, nil).GetAccount(context.Background(), secret)
	var te *TransportError
	if !errors.As(err, &te) || te.Status != 0 {
		t.Errorf("got %v, want *TransportError without status", err)
	}
}

func TestGetAccountMetaData(t *testing.T) {
	c, seen := newServer(t, func(req gotRequest) (int, string) {
		return 200, `{"jsonrpc":"2.0","id":"` + string(req.ID) + `","result":{"data":[{"app_id":"39128","name":"ООО Ромашка","timezone":"Asia/Yekaterinburg"}],"meta_data":{}}}`
	})
	got, err := c.GetAccount(context.Background(), secret)
	if want := (Account{AppID: 39128, Name: "ООО Ромашка", Timezone: "Asia/Yekaterinburg"}); err != nil || got != want {
		t.Errorf("got %+v, %v; want %+v", got, err, want)
	}
	if p := (*seen)[0].Params; len(p) != 1 || p["access_token"] != secret {
		t.Errorf("params = %v, want only the access token", p)
	}
}

func TestListCalls(t *testing.T) {
	c, _ := newServer(t, func(req gotRequest) (int, string) {
		return ok(req, `[{"call_session_id":206597836,"direction":"in","start_time":"2016-10-19T12:26:48.418",
 "virtual_phone_number":"74951045771","contact_phone_number":"74959268686","external_id":null,
 "tags":[{"tag_id":456,"tag_name":"Целевой"}],
 "legs":[{"leg_id":287866245,"calling_phone_number":"74951045771","called_phone_number":"74959268686...9.2.3.3",
          "is_operator":false,"employee_id":null,"employee_full_name":null,"record_call_enabled":true,"state":"Разговор"},
         {"leg_id":287866221,"calling_phone_number":"74959268686","called_phone_number":"79262444393",
          "is_operator":true,"employee_id":2345,"employee_full_name":"Тест","record_call_enabled":true,"state":"Разговор"}]}]`)
	})
	calls, err := c.ListCalls(context.Background(), secret)
	if err != nil || len(calls) != 1 {
		t.Fatalf("got %v, %v", calls, err)
	}
	ac := calls[0]
	wantStart := time.Date(2016, 10, 19, 12, 26, 48, 418e6, c.Location)
	if ac.CallSessionID != 206597836 || !ac.StartTime.Equal(wantStart) || ac.ExternalID != "" ||
		len(ac.Tags) != 1 || ac.Tags[0] != (Tag{456, "Целевой"}) || len(ac.Legs) != 2 {
		t.Errorf("got %+v", ac)
	}
	if l := ac.Legs[1]; !l.IsOperator || l.EmployeeID == nil || *l.EmployeeID != 2345 || ac.Legs[0].EmployeeID != nil {
		t.Errorf("legs = %+v", ac.Legs)
	}
}

func TestGetCallsReport(t *testing.T) {
	c, seen := newServer(t, func(req gotRequest) (int, string) {
		return 200, `{"jsonrpc":"2.0","id":` + string(req.ID) + `,"result":{"metadata":{"total_items":123},"data":[
			{"id":3960098281,"start_time":"2026-03-02 10:15:02","finish_time":"2026-03-02 10:18:25","finish_reason":"subscriber_disconnects",
			 "direction":"in","is_lost":false,"communication_id":3960098281,"contact_phone_number":"79261234567",
			 "talk_duration":182,"call_records":["3dd1e8815bde5e7f9bb15831e1f51e63"],"call_api_external_id":null,"visitor_city":"Москва"}]}}`
	})
	from := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	filter := &Filter{Filters: []Filter{{Field: "is_lost", Operator: "=", Value: false}, {Field: "direction", Operator: "=", Value: "in"}}, Condition: "and"}
	rep, err := c.GetCallsReport(context.Background(), secret, ReportQuery{From: from, Till: from.Add(24 * time.Hour), Filter: filter,
		Fields: []string{"id", "start_time"}, SortByStart: true, Limit: 100, Offset: 200})
	if err != nil {
		t.Fatal(err)
	}
	if rep.TotalItems != 123 || len(rep.Rows) != 1 || !strings.Contains(string(rep.Rows[0]), "visitor_city") {
		t.Fatalf("got %+v", rep)
	}
	call, err := ParseReportCall(rep.Rows[0], c.Location)
	if err != nil {
		t.Fatal(err)
	}
	if call.CallSessionID != 3960098281 || *call.TalkTimeDuration != 182 || call.FinishReason != "subscriber_disconnects" ||
		!call.StartTime.Equal(time.Date(2026, 3, 2, 7, 15, 2, 0, time.UTC)) {
		t.Errorf("got %+v", call)
	}
	p := (*seen)[0].Params
	wantParams := `{"access_token":"` + secret + `","date_from":"2026-03-02 10:00:00","date_till":"2026-03-03 10:00:00",` +
		`"fields":["id","start_time"],"filter":{"condition":"and","filters":[{"field":"is_lost","operator":"=","value":false},` +
		`{"field":"direction","operator":"=","value":"in"}]},"limit":100,"offset":200,"sort":[{"field":"start_time","order":"asc"}]}`
	if got := mustJSON(p); got != wantParams {
		t.Errorf("params = %s\nwant %s", got, wantParams)
	}
}

func TestGetEmployees(t *testing.T) {
	c, seen := newServer(t, func(req gotRequest) (int, string) {
		return ok(req, `[{"id":25,"full_name":"Петров Сергей","login":"petrov","email":null,"status":"available",
			"phone_numbers":[{"phone_id":1,"phone_number":"79260000001","status":"active"},{"phone_number":"74955140578...2345","status":"inactive"},{"phone_id":3},"79261112233"],
			"extension":{"extension_phone_number":"2345"},"groups":[{"group_id":"7","group_name":"Поддержка"},{"group_name":"без id"}]},
			{"id":"31","full_name":null,"first_name":"Анна","last_name":"Смирнова","extension":null,"groups":null,"phone_numbers":"79260000002"},
			{"id":32,"full_name":{"odd":true},"email":["x"],"extension":{"extension_phone_number":null},"phone_numbers":[1,2],"colour":"blue"},
			{"full_name":"без id"}, "not an object", {"id":25,"full_name":"Петров Сергей (again)"}]`)
	})
	got, err := c.GetEmployees(context.Background(), secret)
	if err != nil || len(got) != 3 {
		t.Fatalf("got %+v, %v; want 3 employees", got, err)
	}
	if e := got[0]; e.ID != 25 || e.Login != "petrov" || e.Email != "" || e.Extension != "2345" || len(e.PhoneNumbers) != 2 ||
		!e.PhoneNumbers[0].Active || e.PhoneNumbers[1].Active || e.PhoneNumbers[1].Number != "74955140578...2345" ||
		len(e.Groups) != 1 || e.Groups[0] != (EmployeeGroup{ID: 7, Name: "Поддержка"}) {
		t.Errorf("got %+v", e)
	}
	if e := got[1]; e.ID != 31 || e.Name() != "Смирнова Анна" || e.PhoneNumbers != nil || e.Groups != nil {
		t.Errorf("got %+v", e)
	}
	if e := got[2]; e.ID != 32 || e.FullName != "" || e.Email != "" || e.Extension != "" || e.PhoneNumbers != nil {
		t.Errorf("odd shapes: got %+v", e)
	}
	p := (*seen)[0].Params
	if got := mustJSON(p); got != `{"access_token":"`+secret+`","fields":["id","full_name","first_name","last_name","patronymic","login","email","groups","phone_numbers","extension"],"limit":1000,"offset":0}` {
		t.Errorf("params = %s", got)
	}
}

// TestGetEmployeesPages reads pages until UIS has given total_items.
func TestGetEmployeesPages(t *testing.T) {
	c, seen := newServer(t, func(req gotRequest) (int, string) {
		off, _ := req.Params["offset"].(float64)
		var rows []string
		for i := int(off); i < min(int(off)+1000, 2500); i++ {
			rows = append(rows, `{"id":`+strconv.Itoa(i+1)+`}`)
		}
		return 200, `{"jsonrpc":"2.0","id":` + string(req.ID) + `,"result":{"data":[` + strings.Join(rows, ",") + `],"metadata":{"total_items":2500}}}`
	})
	got, err := c.GetEmployees(context.Background(), secret)
	if err != nil || len(got) != 2500 || got[2499].ID != 2500 || len(*seen) != 3 {
		t.Fatalf("got %d employees in %d requests, %v", len(got), len(*seen), err)
	}
}

func TestMetadataSpellings(t *testing.T) {
	for _, key := range []string{"metadata", "meta_data"} {
		c, _ := newServer(t, func(req gotRequest) (int, string) {
			return 200, `{"jsonrpc":"2.0","id":` + string(req.ID) + `,"result":{"data":[],"` + key + `":{"total_items":"7"}}}`
		})
		rep, err := c.GetCallsReport(context.Background(), secret, ReportQuery{From: time.Now().Add(-time.Hour), Till: time.Now()})
		if err != nil || rep.TotalItems != 7 {
			t.Errorf("%s: got %+v, %v; want 7 total items", key, rep, err)
		}
	}
}

package uissim

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// varKinds is the JSON type every seed variable must render to: s string, n number, b bool,
// a array, z null allowed.
var varKinds = map[string]string{
	"app_id": "n", "call_session_id": "n", "call_source": "s", "called_phone_number": "s", "calling_phone_number": "s",
	"communication_id": "n", "communication_type": "s", "contact_full_name": "sz", "contact_group_ids": "az",
	"contact_id": "nz", "contact_phone_number": "s", "cpn_region_id": "nz", "cpn_region_name": "sz", "direction": "s",
	"external_id": "sz", "notification_mnemonic": "s", "notification_name": "s", "notification_time": "s",
	"notification_timestamp": "n", "scenario_id": "nz", "scenario_name": "sz", "start_time": "s", "tp_project": "sz",
	"virtual_phone_number": "s", "visitor_country": "sz", "employee_full_name": "sz", "employee_group_ids": "az",
	"employee_id": "nz", "employee_phone_number": "sz", "extension_phone_number": "sz", "answer_time": "s",
	"leg_ids": "a", "clean_talk_time_duration": "n", "connection_time": "sz", "employee_full_names": "az",
	"employee_ids": "az", "finish_reason": "s", "finish_time": "s", "first_answered_employee_full_name": "sz",
	"first_answered_employee_id": "nz", "first_talked_employee_full_name": "sz", "first_talked_employee_id": "nz",
	"group_ids": "az", "is_lost": "b", "is_transfer": "b", "last_answered_employee_full_name": "sz",
	"last_answered_employee_id": "nz", "last_scenario_operation_id": "nz", "last_scenario_operation_name": "sz",
	"last_talked_employee_full_name": "sz", "last_talked_employee_id": "nz", "lost_reason": "sz",
	"noanswered_employee_full_names": "az", "operator_rating": "nz", "postprocess_time_duration": "n",
	"record_file_links": "az", "scenario_operation_ids": "az", "scenario_operation_names": "az", "tag_ids": "az",
	"tag_names": "az", "talk_time_duration": "n", "talked_employee_full_names": "az", "toc_group_ids": "az",
	"total_time_duration": "n", "total_wait_time_duration": "n", "wait_time_duration": "n",
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "z"
	case string:
		return "s"
	case json.Number:
		return "n"
	case bool:
		return "b"
	case []any:
		return "a"
	}
	return "?"
}

// checkBody asserts a decoded body carries every variable of its seed template with the
// right JSON type, plus the channel token.
func checkBody(t *testing.T, ev EventType, body map[string]any) {
	t.Helper()
	tmpl := SeedTemplates("tok")[ev]
	for _, name := range TemplateVariables(tmpl) {
		v, ok := body[name]
		if !ok {
			t.Errorf("%s: variable %s missing", ev, name)
			continue
		}
		kinds, known := varKinds[name]
		if !known {
			t.Errorf("%s: no type expectation for %s", ev, name)
			continue
		}
		if !strings.Contains(kinds, kindOf(v)) {
			t.Errorf("%s: %s = %v has JSON type %s, want one of %q", ev, name, v, kindOf(v), kinds)
		}
	}
	if got := body["ud_channel_token"]; got != "tok" {
		t.Errorf("%s: ud_channel_token = %v, want tok", ev, got)
	}
	for _, f := range []string{"notification_time"} {
		if _, err := time.Parse(layoutMilli, body[f].(string)); err != nil {
			t.Errorf("%s: %s %q: %v", ev, f, body[f], err)
		}
	}
	for _, f := range []string{"start_time", "answer_time", "finish_time"} {
		if s, ok := body[f].(string); ok {
			if _, err := time.Parse(layoutMicro, s); err != nil {
				t.Errorf("%s: %s %q: %v", ev, f, s, err)
			}
		}
	}
}

// seedSim is a simulator with the seed notifications pointing at a receiver.
func seedSim(t *testing.T, mod func(*Config)) (*Simulator, string, *receiver) {
	t.Helper()
	rv := newReceiver(t)
	sim, url := newSim(t, mod)
	if err := sim.SetNotifications(SeedNotifications(rv.srv.URL, "tok")); err != nil {
		t.Fatal(err)
	}
	return sim, url, rv
}

func str(v any) string { return fmt.Sprint(v) }

func TestScenarioNotificationSequences(t *testing.T) {
	t.Parallel()
	ivanov, petrova := int64(323401), int64(323402)
	tests := []struct {
		name   string
		spec   CallSpec
		events []string
		check  func(t *testing.T, fin map[string]any, convs []map[string]any)
	}{
		{
			name:   "incoming answered",
			spec:   CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567", EmployeeIDs: []int64{ivanov}, WaitSeconds: 7, TalkSeconds: 42, TagIDs: []int64{401}},
			events: []string{"incoming_call_started", "conversation_started", "call_finished"},
			check: func(t *testing.T, fin map[string]any, convs []map[string]any) {
				want := map[string]string{
					"is_lost": "false", "is_transfer": "false", "finish_reason": "subscriber_disconnects",
					"wait_time_duration": "7", "talk_time_duration": "42", "clean_talk_time_duration": "42",
					"total_time_duration": "49", "total_wait_time_duration": "7", "direction": "in", "call_source": "va",
					"employee_id": "323401", "first_talked_employee_id": "323401", "last_talked_employee_id": "323401",
					"first_answered_employee_full_name": "Иванов Иван Петрович", "contact_full_name": "Сидоров Пётр Андреевич",
					"contact_id": "7001", "tag_names": "[Целевой]", "lost_reason": "<nil>", "external_id": "<nil>",
					"calling_phone_number": "79261234567", "called_phone_number": "74951234567",
					"noanswered_employee_full_names": "<nil>", "notification_mnemonic": "call_session_finished",
				}
				checkFields(t, fin, want)
				if links := fin["record_file_links"].([]any); len(links) != 1 {
					t.Errorf("record_file_links = %v, want one link", links)
				}
				checkFields(t, convs[0], map[string]string{"employee_id": "323401", "employee_phone_number": "79161234501", "extension_phone_number": "101", "notification_mnemonic": "call_connected"})
			},
		},
		{
			name:   "incoming answered, employee hangs up",
			spec:   CallSpec{Kind: KindIncomingAnswered, ContactNumber: "74991112233", EmployeeIDs: []int64{petrova}, HangupBy: "employee"},
			events: []string{"incoming_call_started", "conversation_started", "call_finished"},
			check: func(t *testing.T, fin map[string]any, _ []map[string]any) {
				checkFields(t, fin, map[string]string{"finish_reason": "operator_disconnects", "is_lost": "false", "wait_time_duration": "5", "talk_time_duration": "30", "contact_full_name": "<nil>"})
			},
		},
		{
			name:   "incoming missed",
			spec:   CallSpec{Kind: KindIncomingMissed, ContactNumber: "79031234567", EmployeeIDs: []int64{ivanov, petrova}, WaitSeconds: 25},
			events: []string{"incoming_call_started", "call_finished"},
			check: func(t *testing.T, fin map[string]any, _ []map[string]any) {
				checkFields(t, fin, map[string]string{
					"is_lost": "true", "finish_reason": "subscriber_disconnects", "lost_reason": "subscriber_disconnects",
					"wait_time_duration": "25", "talk_time_duration": "0", "total_time_duration": "25",
					"employee_ids": "[323401 323402]", "noanswered_employee_full_names": "[Иванов Иван Петрович Петрова Анна Сергеевна]",
					"record_file_links": "<nil>", "first_talked_employee_id": "<nil>", "connection_time": "<nil>", "tag_names": "<nil>",
				})
			},
		},
		{
			name:   "incoming transfer",
			spec:   CallSpec{Kind: KindIncomingTransfer, ContactNumber: "79261234567", EmployeeIDs: []int64{ivanov, petrova}, WaitSeconds: 4, TalkSeconds: 20, TransferWaitSeconds: 3, TransferTalkSeconds: 60},
			events: []string{"incoming_call_started", "conversation_started", "conversation_started", "call_finished"},
			check: func(t *testing.T, fin map[string]any, convs []map[string]any) {
				checkFields(t, fin, map[string]string{
					"is_transfer": "true", "is_lost": "false", "first_talked_employee_id": "323401", "last_talked_employee_id": "323402",
					"first_answered_employee_id": "323401", "last_answered_employee_id": "323402", "employee_id": "323402",
					"wait_time_duration": "4", "talk_time_duration": "83", "clean_talk_time_duration": "80", "total_time_duration": "87",
					"total_wait_time_duration": "7", "talked_employee_full_names": "[Иванов Иван Петрович Петрова Анна Сергеевна]",
				})
				if len(convs) == 2 {
					checkFields(t, convs[0], map[string]string{"employee_id": "323401"})
					checkFields(t, convs[1], map[string]string{"employee_id": "323402"})
				}
				if links := fin["record_file_links"].([]any); len(links) != 2 {
					t.Errorf("record_file_links = %v, want two", links)
				}
			},
		},
		{
			name:   "outgoing answered",
			spec:   CallSpec{Kind: KindOutgoing, ContactNumber: "79261234567", EmployeeIDs: []int64{petrova}, Outcome: OutcomeAnswered, WaitSeconds: 6, TalkSeconds: 40, ExternalID: "ticket-42"},
			events: []string{"outgoing_call_started", "conversation_started", "call_finished"},
			check: func(t *testing.T, fin map[string]any, convs []map[string]any) {
				checkFields(t, fin, map[string]string{
					"direction": "out", "is_lost": "false", "external_id": "ticket-42", "employee_id": "323402",
					"wait_time_duration": "8", "talk_time_duration": "40", "calling_phone_number": "74951234567",
					"called_phone_number": "79261234567", "scenario_id": "<nil>",
				})
				checkFields(t, convs[0], map[string]string{"external_id": "ticket-42", "employee_id": "323402"})
			},
		},
		{
			name:   "outgoing busy",
			spec:   CallSpec{Kind: KindOutgoing, ContactNumber: "79261234567", Outcome: OutcomeBusy, ExternalID: "x"},
			events: []string{"outgoing_call_started", "call_finished"},
			check: func(t *testing.T, fin map[string]any, _ []map[string]any) {
				checkFields(t, fin, map[string]string{"finish_reason": "subscriber_busy", "is_lost": "true", "talk_time_duration": "0", "external_id": "x", "employee_id": "323401", "record_file_links": "<nil>"})
			},
		},
		{
			name:   "outgoing no answer",
			spec:   CallSpec{Kind: KindOutgoing, ContactNumber: "79261234567", Outcome: OutcomeNoAnswer, WaitSeconds: 20},
			events: []string{"outgoing_call_started", "call_finished"},
			check: func(t *testing.T, fin map[string]any, _ []map[string]any) {
				checkFields(t, fin, map[string]string{"finish_reason": "no_success_subscriber_call", "is_lost": "true", "total_time_duration": "22"})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, _, rv := seedSim(t, nil)
			id, err := sim.StartCall(context.Background(), tt.spec)
			if err != nil {
				t.Fatalf("StartCall: %v", err)
			}
			if id < 1_000_000_000 || id > 9_999_999_999 {
				t.Errorf("call_session_id %d is not 10 digits", id)
			}
			waitIdle(t, sim)
			if got := rv.events(); !reflect.DeepEqual(got, tt.events) {
				t.Fatalf("events = %v, want %v", got, tt.events)
			}
			var all []map[string]any
			for _, ev := range []EventType{EventIncomingCallStarted, EventOutgoingCallStarted, EventConversationStarted, EventCallFinished} {
				for _, b := range rv.decoded(t, ev) {
					checkBody(t, ev, b)
					all = append(all, b)
				}
			}
			for _, b := range all {
				if got := num(t, b["call_session_id"]); got != id {
					t.Errorf("call_session_id = %d, want %d", got, id)
				}
				if got := num(t, b["communication_id"]); got != id {
					t.Errorf("communication_id = %d, want %d", got, id)
				}
				if got := str(b["start_time"]); got != str(all[0]["start_time"]) {
					t.Errorf("start_time changed within the call: %s vs %s", got, all[0]["start_time"])
				}
			}
			fin := rv.decoded(t, EventCallFinished)
			if len(fin) != 1 {
				t.Fatalf("call_finished count = %d, want 1", len(fin))
			}
			convs := rv.decoded(t, EventConversationStarted)
			for _, c := range convs {
				if legs := c["leg_ids"].([]any); len(legs) != 2 {
					t.Errorf("leg_ids = %v, want two legs", legs)
				}
			}
			tt.check(t, fin[0], convs)
			info, ok := sim.Call(id)
			// The timeline also has one recording_ready per talk, which no notification here reports.
			if !ok || info.State != "finished" || len(info.Timeline) != len(tt.events)+len(info.RecordLinks) {
				t.Errorf("Call(%d) = %+v, want finished with %d timeline entries", id, info, len(tt.events)+len(info.RecordLinks))
			}
		})
	}
}

// checkFields compares fields by their printed form ("<nil>" for null, "[a b]" for arrays).
func checkFields(t *testing.T, body map[string]any, want map[string]string) {
	t.Helper()
	for k, w := range want {
		if got := str(body[k]); got != w {
			t.Errorf("%s = %s, want %s", k, got, w)
		}
	}
}

func TestOutgoingRules(t *testing.T) {
	t.Parallel()
	sim, _, rv := seedSim(t, nil)
	if err := sim.AddOutgoingRule(OutgoingRule{Contact: "79261234567", Outcome: OutcomeBusy, Times: 1}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, err := sim.StartCall(context.Background(), CallSpec{Kind: KindOutgoing, ContactNumber: "79261234567"}); err != nil {
			t.Fatal(err)
		}
		waitIdle(t, sim)
	}
	fin := rv.decoded(t, EventCallFinished)
	if len(fin) != 2 {
		t.Fatalf("got %d call_finished, want 2", len(fin))
	}
	if got := str(fin[0]["finish_reason"]); got != "subscriber_busy" {
		t.Errorf("first call finish_reason = %s, want subscriber_busy", got)
	}
	if got := str(fin[1]["finish_reason"]); got != "subscriber_disconnects" {
		t.Errorf("second call finish_reason = %s, want subscriber_disconnects (rule used up)", got)
	}
	if got := sim.OutgoingRules(); len(got) != 0 {
		t.Errorf("rules left = %v, want none", got)
	}
}

func TestStartCallValidation(t *testing.T) {
	t.Parallel()
	sim, _ := newSim(t, nil)
	tests := []struct {
		name string
		spec CallSpec
	}{
		{"unknown kind", CallSpec{Kind: "conference", ContactNumber: "79261234567"}},
		{"bad number", CallSpec{Kind: KindIncomingAnswered, ContactNumber: "+7 926"}},
		{"unknown employee", CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567", EmployeeIDs: []int64{1}}},
		{"unknown virtual number", CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567", VirtualNumber: "74950000000"}},
		{"negative wait", CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567", WaitSeconds: -1}},
		{"transfer with one employee", CallSpec{Kind: KindIncomingTransfer, ContactNumber: "79261234567", EmployeeIDs: []int64{323401}}},
		{"bad outcome", CallSpec{Kind: KindOutgoing, ContactNumber: "79261234567", Outcome: "maybe"}},
		{"bad hangup", CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567", HangupBy: "nobody"}},
		{"unknown tag", CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567", TagIDs: []int64{9}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sim.StartCall(context.Background(), tt.spec)
			if _, ok := err.(*InputError); !ok {
				t.Errorf("StartCall error = %v, want *InputError", err)
			}
		})
	}
}

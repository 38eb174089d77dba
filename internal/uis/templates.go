package uis

import (
	"encoding/json"
	"strings"
)

// The notification bodies an administrator pastes into UIS (Notifications →
// Add), one per kind. The four call events are the bodies of the UIS help
// article that connects UIS to the Usedesk helpdesk (shared/seed), verbatim,
// including its "токен из пункта 9" stand-in for the channel token; the
// recording-ready body is written the same way. Ringdesk's setup page shows
// them, and the simulator renders them: they live here, with the parser
// that reads what they produce.

// LKNames are the event types as the UIS account names them ("Тип события").
var LKNames = map[EventKind]string{
	IncomingCallStarted: "Входящий звонок на виртуальный номер",
	OutgoingCallStarted: "Исходящий звонок",
	ConversationStarted: "Начало разговора",
	CallFinished:        "Завершение звонка",
	RecordingReady:      "Записанный разговор",
}

// Templates returns the body of each notification with token as the
// channel token.
func Templates(token string) map[EventKind]string {
	q, _ := json.Marshal(token)
	lit := string(q[1 : len(q)-1]) // the token sits inside the template's own quotes
	return map[EventKind]string{
		IncomingCallStarted: strings.Replace(templateIncomingCallStarted, TemplateTokenPlaceholder, lit, 1),
		OutgoingCallStarted: strings.Replace(templateOutgoingCallStarted, TemplateTokenPlaceholder, lit, 1),
		ConversationStarted: strings.Replace(templateConversationStarted, TemplateTokenPlaceholder, lit, 1),
		CallFinished:        strings.Replace(templateCallFinished, TemplateTokenPlaceholder, lit, 1),
		RecordingReady:      strings.Replace(templateRecordingReady, TemplateTokenPlaceholder, lit, 1),
	}
}

// WithVariables returns body with each of vars that it does not name yet
// added right after its first line, as "name":{{name}}: how the setup page
// makes the bodies send what a channel's call routing reads.
func WithVariables(body string, vars ...string) (string, []string) {
	var add strings.Builder
	var added []string
	for _, v := range vars {
		if strings.Contains(body, `"`+v+`":`) {
			continue
		}
		add.WriteString(`"` + v + `":{{` + v + `}},` + "\n")
		added = append(added, v)
	}
	i := strings.IndexByte(body, '\n')
	if len(added) == 0 || i < 0 {
		return body, nil
	}
	return body[:i+1] + add.String() + body[i+1:], added
}

// TemplateTokenPlaceholder stands in the seed bodies where the article says "токен из пункта 9".
const TemplateTokenPlaceholder = "токен из пункта 9"

const (
	// templateIncomingCallStarted is the body of the "incoming_call_started" notification.
	templateIncomingCallStarted = `{  
"ud_channel_token":"токен из пункта 9",
"app_id":{{app_id}},
"call_session_id":{{call_session_id}},
"call_source":{{call_source}},
"called_phone_number":{{called_phone_number}},
"calling_phone_number":{{calling_phone_number}},
"communication_id":{{communication_id}},
"communication_type":{{communication_type}},
"contact_full_name":{{contact_full_name}},
"contact_group_ids":{{contact_group_ids}},
"contact_id":{{contact_id}},
"contact_phone_number":{{contact_phone_number}},
"cpn_region_id":{{cpn_region_id}},
"cpn_region_name":{{cpn_region_name}},
"direction":{{direction}},
"external_id":{{external_id}},
"notification_mnemonic":{{notification_mnemonic}},
"notification_name":{{notification_name}},
"notification_time":{{notification_time}},
"notification_timestamp":{{notification_timestamp}},
"scenario_id":{{scenario_id}},
"scenario_name":{{scenario_name}},
"start_time":{{start_time}},
"tp_project":{{tp_project}},
"virtual_phone_number":{{virtual_phone_number}},
"visitor_country":{{visitor_country}}
}`
	// templateOutgoingCallStarted is the body of the "outgoing_call_started" notification.
	templateOutgoingCallStarted = `{  
"ud_channel_token":"токен из пункта 9",
"app_id":{{app_id}},
"call_session_id":{{call_session_id}},
"call_source":{{call_source}},
"called_phone_number":{{called_phone_number}},
"calling_phone_number":{{calling_phone_number}},
"communication_id":{{communication_id}},
"communication_type":{{communication_type}},
"contact_full_name":{{contact_full_name}},
"contact_group_ids":{{contact_group_ids}},
"contact_id":{{contact_id}},
"contact_phone_number":{{contact_phone_number}},
"cpn_region_id":{{cpn_region_id}},
"cpn_region_name":{{cpn_region_name}},
"direction":{{direction}},
"employee_full_name":{{employee_full_name}},
"employee_group_ids":{{employee_group_ids}},
"employee_id":{{employee_id}},
"employee_phone_number":{{employee_phone_number}},
"extension_phone_number":{{extension_phone_number}},
"external_id":{{external_id}},
"notification_mnemonic":{{notification_mnemonic}},
"notification_name":{{notification_name}},
"notification_time":{{notification_time}},
"notification_timestamp":{{notification_timestamp}},
"start_time":{{start_time}},
"tp_project":{{tp_project}},
"virtual_phone_number":{{virtual_phone_number}},
"visitor_country":{{visitor_country}}
}`
	// templateConversationStarted is the body of the "conversation_started" notification.
	templateConversationStarted = `{
"ud_channel_token":"токен из пункта 9",
"answer_time":{{answer_time}},
"app_id":{{app_id}},
"call_session_id":{{call_session_id}},
"call_source":{{call_source}},
"called_phone_number":{{called_phone_number}},
"calling_phone_number":{{calling_phone_number}},
"communication_id":{{communication_id}},
"communication_type":{{communication_type}},
"contact_full_name":{{contact_full_name}},
"contact_group_ids":{{contact_group_ids}},
"contact_id":{{contact_id}},
"contact_phone_number":{{contact_phone_number}},
"cpn_region_id":{{cpn_region_id}},
"cpn_region_name":{{cpn_region_name}},
"direction":{{direction}},
"employee_full_name":{{employee_full_name}},
"employee_group_ids":{{employee_group_ids}},
"employee_id":{{employee_id}},
"employee_phone_number":{{employee_phone_number}},
"extension_phone_number":{{extension_phone_number}},
"external_id":{{external_id}},
"leg_ids":{{leg_ids}},
"notification_mnemonic":{{notification_mnemonic}},
"notification_name":{{notification_name}},
"notification_time":{{notification_time}},
"notification_timestamp":{{notification_timestamp}},
"scenario_id":{{scenario_id}},
"scenario_name":{{scenario_name}},
"start_time":{{start_time}},
"tp_project":{{tp_project}},
"virtual_phone_number":{{virtual_phone_number}},
"visitor_country":{{visitor_country}}
}`
	// templateCallFinished is the body of the "call_finished" notification.
	templateCallFinished = `{
"ud_channel_token":"токен из пункта 9",
"app_id":{{app_id}},
"call_session_id":{{call_session_id}},
"call_source":{{call_source}},
"called_phone_number":{{called_phone_number}},
"calling_phone_number":{{calling_phone_number}},
"clean_talk_time_duration":{{clean_talk_time_duration}},
"communication_id":{{communication_id}},
"communication_type":{{communication_type}},
"connection_time":{{connection_time}},
"contact_full_name":{{contact_full_name}},
"contact_group_ids":{{contact_group_ids}},
"contact_id":{{contact_id}},
"contact_phone_number":{{contact_phone_number}},
"cpn_region_id":{{cpn_region_id}},
"cpn_region_name":{{cpn_region_name}},
"direction":{{direction}},
"employee_full_name":{{employee_full_name}},
"employee_full_names":{{employee_full_names}},
"employee_group_ids":{{employee_group_ids}},
"employee_id":{{employee_id}},
"employee_ids":{{employee_ids}},
"employee_phone_number":{{employee_phone_number}},
"extension_phone_number":{{extension_phone_number}},
"external_id":{{external_id}},
"finish_reason":{{finish_reason}},
"finish_time":{{finish_time}},
"first_answered_employee_full_name":{{first_answered_employee_full_name}},
"first_answered_employee_id":{{first_answered_employee_id}},
"first_talked_employee_full_name":{{first_talked_employee_full_name}},
"first_talked_employee_id":{{first_talked_employee_id}},
"group_ids":{{group_ids}},
"is_lost":{{is_lost}},
"is_transfer":{{is_transfer}},
"last_answered_employee_full_name":{{last_answered_employee_full_name}},
"last_answered_employee_id":{{last_answered_employee_id}},
"last_scenario_operation_id":{{last_scenario_operation_id}},
"last_scenario_operation_name":{{last_scenario_operation_name}},
"last_talked_employee_full_name":{{last_talked_employee_full_name}},
"last_talked_employee_id":{{last_talked_employee_id}},
"lost_reason":{{lost_reason}},
"noanswered_employee_full_names":{{noanswered_employee_full_names}},
"notification_mnemonic":{{notification_mnemonic}},
"notification_name":{{notification_name}},
"notification_time":{{notification_time}},
"notification_timestamp":{{notification_timestamp}},
"operator_rating":{{operator_rating}},
"postprocess_time_duration":{{postprocess_time_duration}},
"record_file_links":{{record_file_links}},
"scenario_id":{{scenario_id}},
"scenario_name":{{scenario_name}},
"scenario_operation_ids":{{scenario_operation_ids}},
"scenario_operation_names":{{scenario_operation_names}},
"start_time":{{start_time}},
"tag_ids":{{tag_ids}},
"tag_names":{{tag_names}},
"talk_time_duration":{{talk_time_duration}},
"talked_employee_full_names":{{talked_employee_full_names}},
"toc_group_ids":{{toc_group_ids}},
"total_time_duration":{{total_time_duration}},
"total_wait_time_duration":{{total_wait_time_duration}},
"tp_project":{{tp_project}},
"virtual_phone_number":{{virtual_phone_number}},
"visitor_country":{{visitor_country}},
"wait_time_duration":{{wait_time_duration}}
}`
)

// templateRecordingReady is not in the seed article: it is a body for the "Записанный разговор"
// (recording ready) notification written the same way, with the variables of the partner
// template (reference §4.3) and the ids that tie it to its call.
const templateRecordingReady = `{
"ud_channel_token":"токен из пункта 9",
"app_id":{{app_id}},
"call_session_id":{{call_session_id}},
"call_source":{{call_source}},
"communication_id":{{communication_id}},
"communication_number":{{communication_number}},
"communication_type":{{communication_type}},
"contact_full_name":{{contact_full_name}},
"contact_id":{{contact_id}},
"contact_phone_number":{{contact_phone_number}},
"direction":{{direction}},
"employee_full_name":{{employee_full_name}},
"employee_id":{{employee_id}},
"external_id":{{external_id}},
"file_duration":{{file_duration}},
"file_link":{{file_link}},
"notification_mnemonic":{{notification_mnemonic}},
"notification_name":{{notification_name}},
"notification_time":{{notification_time}},
"notification_timestamp":{{notification_timestamp}},
"scenario_name":{{scenario_name}},
"start_time":{{start_time}},
"tag_ids":{{tag_ids}},
"tag_names":{{tag_names}},
"virtual_phone_number":{{virtual_phone_number}}
}`

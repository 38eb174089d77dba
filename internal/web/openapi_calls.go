package web

func init() {
	str := map[string]any{"type": "string"}
	integer := map[string]any{"type": "integer"}
	nullInt := map[string]any{"type": "integer", "nullable": true}
	when := map[string]any{"type": "string", "format": "date-time"}
	nullWhen := map[string]any{"type": "string", "format": "date-time", "nullable": true}
	call := apiSchema{"type": "object", "properties": map[string]any{
		"id": integer, "channel_id": integer, "call_session_id": integer,
		"direction":            map[string]any{"type": "string", "enum": []string{"in", "out"}},
		"state":                map[string]any{"type": "string", "enum": []string{"ringing", "talking", "finished"}},
		"contact_phone":        map[string]any{"type": "string", "description": "E.164, or the raw value when UIS sent no phone number."},
		"contact_name":         str,
		"virtual_phone_number": str,
		"started_at":           when, "answered_at": nullWhen, "finished_at": nullWhen,
		"wait_seconds":  map[string]any{"type": "integer", "nullable": true, "description": "null when UIS did not tell it usably (not sent, or negative)."},
		"talk_seconds":  nullInt,
		"total_seconds": nullInt,
		"is_lost":       map[string]any{"type": "boolean"}, "is_transfer": map[string]any{"type": "boolean"},
		"finish_reason": str, "lost_reason": str,
		"outcome":      map[string]any{"type": "string", "enum": []string{"answered", "missed", "busy", "no_answer", ""}, "description": "Empty while the call is in progress."},
		"agent_id":     nullInt,
		"employee_id":  nullInt,
		"employee_ids": map[string]any{"type": "array", "items": integer, "description": "UIS ids of every employee involved."},
		"ticket_id":    integer, "client_id": integer, "external_id": str,
		"tags": map[string]any{"type": "array", "items": str},
		"recordings": map[string]any{"type": "array", "description": "Recordings played through Ringdesk (GET the url with your token); the upstream UIS links are never exposed.",
			"items": map[string]any{"type": "object", "properties": map[string]any{"n": integer, "url": str}}},
		"recovered": map[string]any{"type": "string", "enum": []string{"call", "finish", ""},
			"description": "What Ringdesk took from the UIS calls report because notifications were lost: the whole call, or its finish; empty when notifications told everything."},
		"state_unknown": map[string]any{"type": "boolean", "description": "The call has been unfinished for over 6 hours: its call_finished was lost and the calls report could not make up for it."},
		"warnings": map[string]any{"type": "array", "description": "What UIS sent that could not be used as sent; the rest of each notification was applied.",
			"items": map[string]any{"type": "object", "properties": map[string]any{
				"field":   str,
				"problem": map[string]any{"type": "string", "enum": []string{"unreadable", "negative", "cut", "invalid_text", "finish_before_start", "too_many_events", "repaired"}},
				"value":   str}}},
		"created_at": when, "updated_at": when,
	}}
	registerAPI(map[string]apiSchema{
		"Call":     call,
		"CallList": {"type": "object", "properties": map[string]any{"calls": map[string]any{"type": "array", "items": ref("Call")}, "next_cursor": str}},
		"CallStartIn": {"type": "object", "description": "Give client_id or phone; ticket_id attaches the call to that ticket. Without ticket_id the call joins the client's open ticket updated last, unless new_ticket is true.", "properties": map[string]any{
			"client_id": integer, "phone": str, "ticket_id": integer, "channel_id": integer,
			"new_ticket": map[string]any{"type": "boolean", "default": false, "description": "Make a new ticket for the call even when the client has an open one."}}},
		"CallStarted": {"type": "object", "description": "Errors carry code uis_error and the UIS mnemonic when UIS refused the call.", "properties": map[string]any{
			"request_id": integer, "call_session_id": nullInt, "external_id": str, "status": str, "message": str,
			"ticket_id": map[string]any{"type": "integer", "nullable": true, "description": "The ticket the call joins; null: the call makes a new one."}}},
	},
		apiOp{Method: "GET", Path: "/api/v1/calls", Summary: "List calls, newest first; phone is a whole number in any spelling or 4+ digits of one", Tag: "calls", Result: "CallList",
			Query: []string{"client_id", "ticket_id", "channel_id", "agent_id", "direction", "missed", "outcome", "phone", "from", "to", "limit", "cursor"}},
		apiOp{Method: "GET", Path: "/api/v1/calls/{id}", Summary: "Get a call", Tag: "calls", Result: "Call"},
		apiOp{Method: "GET", Path: "/api/v1/calls/{id}/recordings/{n}", Summary: "A call's recording n (1-based) as audio, the archived copy or streamed from UIS; Range works", Tag: "calls"},
		apiOp{Method: "POST", Path: "/api/v1/calls", Summary: "Click-to-call: UIS rings your phone, then the number", Tag: "calls", Body: "CallStartIn", Status: 202, Result: "CallStarted"},
	)
}

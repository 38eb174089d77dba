package web

import "github.com/ringdesk/ringdesk/internal/ringdesk"

// archiveDoc explains the archive_recordings setting.
const archiveDoc = "Recordings of finished calls are copied into the archive (the data directory on SQLite, the database on PostgreSQL) and kept after UIS deletes them; " +
	"recording links (/calls/{id}/recordings/{n}) then play the archived copy."

func init() {
	str := map[string]any{"type": "string"}
	routing := map[string]any{"type": "array", "items": ref("RoutingRule"), "maxItems": ringdesk.MaxRoutingRules,
		"description": "Call routing: a call goes to the group of the first rule it matches, else to default_group_id. " +
			"A ringing call pops up only for that group's available agents (plus whoever placed or answered it, and the agents of the UIS employees it was offered to); " +
			"the call's ticket gets the group unless an agent chose one. A rule naming an archived group is skipped."}
	defaultGroup := map[string]any{"type": "integer", "nullable": true,
		"description": "The group of calls no rule matches; null: no group (every agent sees them). In PATCH, absent keeps it and null clears it."}
	channel := apiSchema{"type": "object", "properties": map[string]any{
		"id":                   map[string]any{"type": "integer"},
		"type":                 map[string]any{"type": "string", "enum": []string{"uis", "email"}},
		"name":                 str,
		"active":               map[string]any{"type": "boolean"},
		"app_secret_set":       map[string]any{"type": "boolean", "description": "An App Secret is stored; it is never returned."},
		"call_api_url":         str,
		"data_api_url":         str,
		"time_zone":            map[string]any{"type": "string", "description": "IANA name of the UIS account's time zone."},
		"virtual_phone_number": map[string]any{"type": "string", "description": "Default virtual number for outgoing calls, digits."},
		"recording_hosts":      map[string]any{"type": "array", "items": str},
		"ticket_policy":        map[string]any{"type": "string", "enum": []string{"new", "reuse"}},
		"reuse_hours":          map[string]any{"type": "integer", "description": "With ticket_policy reuse: reuse the client's open ticket updated within this many hours."},
		"virtual_numbers":      map[string]any{"type": "array", "items": str, "description": "The UIS account's numbers that belong to this channel: reconciliation reads only their calls (empty: the whole account)."},
		"report_sources":       map[string]any{"type": "array", "items": str, "description": "UIS call sources reconciliation takes (e.g. va, callapi, sip); empty: all."},
		"archive_recordings":   map[string]any{"type": "boolean", "description": archiveDoc},
		"routing":              routing,
		"default_group_id":     defaultGroup,
		"sl_answer_within":     map[string]any{"type": "integer", "description": "T: a call answered within this many seconds counts towards the service level of the call reports (default 20)."},
		"sl_short_abandon":     map[string]any{"type": "integer", "description": "S: a caller who hangs up within this many seconds is a short abandon, left out of the service level (default 5)."},
		"email":                ref("EmailSettings"),
		"created_at":           map[string]any{"type": "string", "format": "date-time"},
		"updated_at":           map[string]any{"type": "string", "format": "date-time"},
	}}
	channelIn := apiSchema{"type": "object", "properties": map[string]any{
		"type":   map[string]any{"type": "string", "enum": []string{"uis", "email"}, "description": "uis (default) or email: a mailbox, whose settings are the email object."},
		"email":  ref("EmailSettingsIn"),
		"name":   str,
		"active": map[string]any{"type": "boolean"},
		"app_secret": map[string]any{"type": "string", "writeOnly": true, "description": "The UIS API key; stored encrypted, never returned (the channel shows only app_secret_set). " +
			"Absent or null keeps the stored key; a non-empty string replaces it; \"\" removes it, after which click-to-call and the connection check fail until a new key is set."},
		"call_api_url":         map[string]any{"type": "string", "default": "https://callapi.uiscom.ru/v4.0"},
		"data_api_url":         map[string]any{"type": "string", "default": "https://dataapi.uiscom.ru/v2.0"},
		"time_zone":            map[string]any{"type": "string", "default": "Europe/Moscow"},
		"virtual_phone_number": str,
		"recording_hosts":      map[string]any{"type": "array", "items": str, "default": ringdesk.DefaultRecordingHosts},
		"ticket_policy":        map[string]any{"type": "string", "enum": []string{"new", "reuse"}, "default": "new"},
		"reuse_hours":          map[string]any{"type": "integer", "default": 24},
		"archive_recordings":   map[string]any{"type": "boolean", "default": false, "description": archiveDoc},
		"virtual_numbers":      map[string]any{"type": "array", "items": str, "description": "The UIS account's numbers that belong to this channel: reconciliation reads only their calls (empty: the whole account)."},
		"report_sources":       map[string]any{"type": "array", "items": str, "description": "UIS call sources reconciliation takes (e.g. va, callapi, sip); empty: all."},
		"routing":              routing,
		"default_group_id":     defaultGroup,
		"sl_answer_within":     map[string]any{"type": "integer", "nullable": true, "minimum": 1, "maximum": 3600, "description": "T in seconds; null restores the default (20)."},
		"sl_short_abandon":     map[string]any{"type": "integer", "nullable": true, "minimum": 0, "maximum": 600, "description": "S in seconds; null restores the default (5)."},
	}}
	rule := apiSchema{"type": "object", "required": []string{"group_id"},
		"description": "Matches by exactly one of virtual_phone_number, scenario_id, scenario_name or employee_id.",
		"properties": map[string]any{
			"virtual_phone_number": map[string]any{"type": "string", "description": "The virtual number called, digits as UIS writes them (74951234567)."},
			"scenario_id":          map[string]any{"type": "integer", "description": "The UIS scenario that took the call (notification variable scenario_id)."},
			"scenario_name":        map[string]any{"type": "string", "description": "The scenario's name, compared without regard to case (scenario_name)."},
			"employee_id":          map[string]any{"type": "integer", "description": "A UIS employee the call was offered to or answered by (employee_ids, employee_id)."},
			"group_id":             map[string]any{"type": "integer"},
		}}
	token := apiSchema{"type": "object", "properties": map[string]any{
		"id":           map[string]any{"type": "integer"},
		"token":        map[string]any{"type": "string", "description": "Only in the answer that created it."},
		"label":        str,
		"hint":         map[string]any{"type": "string", "description": "The token's last 4 characters."},
		"created_at":   map[string]any{"type": "string", "format": "date-time"},
		"last_used_at": map[string]any{"type": "string", "format": "date-time", "nullable": true},
		"revoked_at":   map[string]any{"type": "string", "format": "date-time", "nullable": true},
	}}
	registerAPI(map[string]apiSchema{
		"Channel":          channel,
		"ChannelIn":        channelIn,
		"RoutingRule":      rule,
		"ChannelList":      {"type": "object", "properties": map[string]any{"channels": map[string]any{"type": "array", "items": ref("Channel")}, "next_cursor": str}},
		"ChannelToken":     token,
		"ChannelTokenIn":   {"type": "object", "properties": map[string]any{"label": str}},
		"ChannelTokenList": {"type": "object", "properties": map[string]any{"tokens": map[string]any{"type": "array", "items": ref("ChannelToken")}, "next_cursor": str}},
	},
		apiOp{Method: "GET", Path: "/api/v1/channels", Summary: "List channels", Tag: "channels", Admin: true, Result: "ChannelList"},
		apiOp{Method: "POST", Path: "/api/v1/channels", Summary: "Create a UIS channel", Tag: "channels", Admin: true, Body: "ChannelIn", Status: 201, Result: "Channel"},
		apiOp{Method: "GET", Path: "/api/v1/channels/{id}", Summary: "Get a channel", Tag: "channels", Admin: true, Result: "Channel"},
		apiOp{Method: "PATCH", Path: "/api/v1/channels/{id}", Summary: "Update a channel (active: false disables it)", Tag: "channels", Admin: true, Body: "ChannelIn", Result: "Channel"},
		apiOp{Method: "GET", Path: "/api/v1/channels/{id}/tokens", Summary: "List a channel's webhook tokens (never their secrets)", Tag: "channels", Admin: true, Result: "ChannelTokenList"},
		apiOp{Method: "POST", Path: "/api/v1/channels/{id}/tokens", Summary: "Create a webhook token; the token is returned only here", Tag: "channels", Admin: true, Body: "ChannelTokenIn", Status: 201, Result: "ChannelToken"},
		apiOp{Method: "DELETE", Path: "/api/v1/channels/{id}/tokens/{token_id}", Summary: "Revoke a webhook token at once", Tag: "channels", Admin: true, Status: 204},
	)
}

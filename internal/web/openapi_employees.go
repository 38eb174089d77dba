package web

func init() {
	str := map[string]any{"type": "string"}
	nullInt := map[string]any{"type": "integer", "nullable": true}
	employee := apiSchema{"type": "object", "properties": map[string]any{
		"id":         map[string]any{"type": "integer", "description": "The UIS employee id: an agent's operator_id links it."},
		"full_name":  str,
		"first_name": str,
		"last_name":  str,
		"login":      str,
		"email":      str,
		"extension":  map[string]any{"type": "string", "description": "Short internal number, \"\" for none."},
		"phone_numbers": map[string]any{"type": "array", "description": "In UIS's dialling order.", "items": map[string]any{"type": "object", "properties": map[string]any{
			"number": str, "active": map[string]any{"type": "boolean"}}}},
		"groups": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
			"id": map[string]any{"type": "integer"}, "name": str}}},
		"listed":                map[string]any{"type": "boolean", "description": "UIS lists the employee (Data API get.employees); false: only seen in the channel's calls (deleted in UIS, or another business's on a shared account)."},
		"agent_id":              map[string]any{"type": "integer", "nullable": true, "description": "The agent whose operator_id is this employee's id."},
		"suggested_agent_id":    nullInt,
		"suggested_by":          map[string]any{"type": "string", "enum": []string{"email", "name"}, "nullable": true, "description": "How the suggested agent was found: the same email (or a login that is it), or every word of the agent's name in the employee's."},
		"last_seen_in_calls_at": map[string]any{"type": "string", "format": "date-time", "nullable": true},
		"unassigned":            map[string]any{"type": "boolean", "description": "Seen in the channel's calls and linked to no agent: the calls it answers are assigned to nobody."},
	}}
	registerAPI(map[string]apiSchema{
		"ChannelEmployee": employee,
		"ChannelEmployeeList": {"type": "object", "properties": map[string]any{
			"employees":  map[string]any{"type": "array", "items": ref("ChannelEmployee")},
			"fetched_at": map[string]any{"type": "string", "format": "date-time", "nullable": true, "description": "When UIS gave the list (it is reused for 30 s)."},
			"uis_error": map[string]any{"type": "object", "nullable": true, "description": "Why UIS could not give the list; employees then holds only those seen in calls.",
				"properties": map[string]any{"mnemonic": str, "message": str, "advice": str}},
		}},
		"EmployeeLinkIn": {"type": "object", "required": []string{"agent_id"}, "properties": map[string]any{"agent_id": map[string]any{"type": "integer"}}},
	},
		apiOp{Method: "GET", Path: "/api/v1/channels/{id}/employees", Summary: "List the UIS account's employees with their agents", Tag: "channels", Admin: true, Result: "ChannelEmployeeList",
			Description: "Read from the UIS Data API (get.employees) with the channel's App Secret, with the agent each is linked to (operator_id), a suggested agent for the others, and the employees seen in the channel's calls. A UIS failure answers 200 with uis_error set."},
		apiOp{Method: "POST", Path: "/api/v1/channels/{id}/employees/{employee_id}/link", Summary: "Link a UIS employee to an agent (sets the agent's operator_id)", Tag: "channels", Admin: true, Body: "EmployeeLinkIn", Result: "Agent",
			Description: "The agent must be active and not linked to another employee (409); an employee linked to another agent is refused like operator_id (409). Linking again changes nothing."},
	)
}

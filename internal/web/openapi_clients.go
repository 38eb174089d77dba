package web

func init() {
	str := map[string]any{"type": "string"}
	strs := map[string]any{"type": "array", "items": str}
	client := apiSchema{"type": "object", "properties": map[string]any{
		"id":         map[string]any{"type": "integer"},
		"name":       str,
		"company":    str,
		"note":       str,
		"phones":     map[string]any{"type": "array", "items": str, "description": "E.164 numbers, e.g. +79261234567."},
		"emails":     strs,
		"created_at": map[string]any{"type": "string", "format": "date-time"},
		"updated_at": map[string]any{"type": "string", "format": "date-time"},
	}}
	clientIn := apiSchema{"type": "object", "properties": map[string]any{
		"name":    map[string]any{"type": "string", "maxLength": 200},
		"company": map[string]any{"type": "string", "maxLength": 200},
		"note":    map[string]any{"type": "string", "maxLength": 10000},
		"phones":  map[string]any{"type": "array", "items": str, "description": "Any spelling (8 (926) 123-45-67, 9261234567); stored as E.164. On update the list replaces the client's numbers."},
		"emails":  map[string]any{"type": "array", "items": str, "description": "On update the list replaces the client's addresses."},
	}}
	registerAPI(map[string]apiSchema{
		"Client":   client,
		"ClientIn": clientIn,
		"ClientList": {"type": "object", "properties": map[string]any{
			"clients":     map[string]any{"type": "array", "items": ref("Client")},
			"next_cursor": map[string]any{"type": "string", "description": "Pass as ?cursor= for the next page; empty on the last."},
		}},
		"ClientMerge": {"type": "object", "required": []string{"other_id"}, "properties": map[string]any{
			"other_id": map[string]any{"type": "integer", "description": "The client merged in and deleted."},
		}},
	},
		apiOp{Method: "GET", Path: "/api/v1/clients", Summary: "List clients by name; q matches name, company, email or a phone number in any spelling, whole or 4+ digits of one; phone finds the owner of a number", Tag: "clients",
			Query: []string{"q", "phone", "cursor", "limit"}, Result: "ClientList"},
		apiOp{Method: "POST", Path: "/api/v1/clients", Summary: "Create a client", Tag: "clients", Body: "ClientIn", Status: 201, Result: "Client"},
		apiOp{Method: "GET", Path: "/api/v1/clients/{id}", Summary: "Get a client", Tag: "clients", Result: "Client"},
		apiOp{Method: "PATCH", Path: "/api/v1/clients/{id}", Summary: "Update a client (absent fields stay)", Tag: "clients", Body: "ClientIn", Result: "Client"},
		apiOp{Method: "POST", Path: "/api/v1/clients/{id}/merge", Summary: "Merge another client into this one: its tickets, calls, numbers and emails move here and it is deleted", Tag: "clients", Body: "ClientMerge", Result: "Client"},
	)
}

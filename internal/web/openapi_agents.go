package web

func init() {
	agent := apiSchema{"type": "object", "properties": map[string]any{
		"id":          map[string]any{"type": "integer"},
		"name":        map[string]any{"type": "string"},
		"email":       map[string]any{"type": "string"},
		"role":        map[string]any{"type": "string", "enum": []string{"admin", "agent"}},
		"active":      map[string]any{"type": "boolean"},
		"lang":        map[string]any{"type": "string", "enum": []string{"ru", "en"}},
		"time_zone":   map[string]any{"type": "string", "description": "IANA zone the agent reads times in; empty: the server's default (Europe/Moscow)."},
		"operator_id": map[string]any{"type": "integer", "nullable": true, "description": "The UIS employee id."},
		"created_at":  map[string]any{"type": "string", "format": "date-time"},
		"updated_at":  map[string]any{"type": "string", "format": "date-time"},
	}}
	agentIn := apiSchema{"type": "object", "properties": map[string]any{
		"name":        map[string]any{"type": "string"},
		"email":       map[string]any{"type": "string"},
		"role":        map[string]any{"type": "string", "enum": []string{"admin", "agent"}},
		"active":      map[string]any{"type": "boolean"},
		"lang":        map[string]any{"type": "string", "enum": []string{"ru", "en"}},
		"time_zone":   map[string]any{"type": "string", "description": "IANA zone (PATCH only), e.g. Asia/Yekaterinburg; empty: the server's default."},
		"operator_id": map[string]any{"type": "integer", "nullable": true},
		"password":    map[string]any{"type": "string", "writeOnly": true},
	}}
	registerAPI(map[string]apiSchema{
		"Agent":     agent,
		"AgentIn":   agentIn,
		"AgentList": {"type": "object", "properties": map[string]any{"agents": map[string]any{"type": "array", "items": ref("Agent")}}},
		"OpenAPI":   {"type": "object"},
	},
		apiOp{Method: "GET", Path: "/api/v1/openapi.json", Summary: "This document", Tag: "meta", Result: "OpenAPI"},
		apiOp{Method: "GET", Path: "/api/v1/me", Summary: "The agent the token belongs to", Tag: "agents", Result: "Agent"},
		apiOp{Method: "GET", Path: "/api/v1/agents", Summary: "List agents", Tag: "agents", Result: "AgentList"},
		apiOp{Method: "GET", Path: "/api/v1/agents/{id}", Summary: "Get an agent", Tag: "agents", Result: "Agent"},
		apiOp{Method: "POST", Path: "/api/v1/agents", Summary: "Create an agent", Tag: "agents", Admin: true, Body: "AgentIn", Status: 201, Result: "Agent"},
		apiOp{Method: "PATCH", Path: "/api/v1/agents/{id}", Summary: "Update an agent (operator_id: null clears it)", Tag: "agents", Admin: true, Body: "AgentIn", Result: "Agent"},
	)
}

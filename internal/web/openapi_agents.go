package web

func init() {
	agent := apiSchema{"type": "object", "properties": map[string]any{
		"id":          map[string]any{"type": "integer"},
		"name":        map[string]any{"type": "string"},
		"email":       map[string]any{"type": "string"},
		"role":        map[string]any{"type": "string", "enum": []string{"admin", "supervisor", "agent"}},
		"active":      map[string]any{"type": "boolean"},
		"lang":        map[string]any{"type": "string", "enum": []string{"ru", "en"}},
		"time_zone":   map[string]any{"type": "string", "description": "IANA zone the agent reads times in; empty: the server's default (Europe/Moscow)."},
		"operator_id": map[string]any{"type": "integer", "nullable": true, "description": "The UIS employee id."},
		"available":   map[string]any{"type": "boolean", "description": "The agent's own \"available for calls\" switch (default true; PATCH /api/v1/me)."},
		"group_ids":   map[string]any{"type": "array", "items": map[string]any{"type": "integer"}, "description": "The groups the agent belongs to."},
		"created_at":  map[string]any{"type": "string", "format": "date-time"},
		"updated_at":  map[string]any{"type": "string", "format": "date-time"},
	}}
	agentIn := apiSchema{"type": "object", "properties": map[string]any{
		"name":        map[string]any{"type": "string"},
		"email":       map[string]any{"type": "string"},
		"role":        map[string]any{"type": "string", "enum": []string{"admin", "supervisor", "agent"}},
		"active":      map[string]any{"type": "boolean"},
		"lang":        map[string]any{"type": "string", "enum": []string{"ru", "en"}},
		"time_zone":   map[string]any{"type": "string", "description": "IANA zone (PATCH only), e.g. Asia/Yekaterinburg; empty: the server's default."},
		"operator_id": map[string]any{"type": "integer", "nullable": true},
		"password":    map[string]any{"type": "string", "writeOnly": true},
		"available":   map[string]any{"type": "boolean"},
		"group_ids":   map[string]any{"type": "array", "items": map[string]any{"type": "integer"}, "description": "Replaces the agent's group memberships."},
	}}
	registerAPI(map[string]apiSchema{
		"Agent":     agent,
		"AgentIn":   agentIn,
		"AgentList": {"type": "object", "properties": map[string]any{"agents": map[string]any{"type": "array", "items": ref("Agent")}}},
		"OpenAPI":   {"type": "object"},
		"APIToken": {"type": "object", "properties": map[string]any{
			"id":           map[string]any{"type": "integer"},
			"name":         map[string]any{"type": "string"},
			"token":        map[string]any{"type": "string", "description": "The secret: only in the answer that created it."},
			"created_at":   map[string]any{"type": "string", "format": "date-time"},
			"last_used_at": map[string]any{"type": "string", "format": "date-time", "nullable": true},
			"expires_at":   map[string]any{"type": "string", "format": "date-time", "nullable": true, "description": "null: never expires."},
			"expired":      map[string]any{"type": "boolean"},
		}},
		"APITokenIn": {"type": "object", "description": "Give at most one of expires_in and expires_at; neither: the token never expires.", "properties": map[string]any{
			"name":       map[string]any{"type": "string", "description": "At most 100 characters; default \"API token\"."},
			"expires_in": map[string]any{"type": "string", "example": "30d", "description": "Days (30d) or hours (12h), up to 10 years."},
			"expires_at": map[string]any{"type": "string", "format": "date-time"},
		}},
		"APITokenList": {"type": "object", "properties": map[string]any{"tokens": map[string]any{"type": "array", "items": ref("APIToken")}}},
	},
		apiOp{Method: "GET", Path: "/api/v1/openapi.json", Summary: "This document (no token needed; readable at /docs/api)", Tag: "meta", Public: true, Result: "OpenAPI"},
		apiOp{Method: "GET", Path: "/api/v1/me", Summary: "The agent the token belongs to", Tag: "agents", Result: "Agent"},
		apiOp{Method: "GET", Path: "/api/v1/me/tokens", Summary: "Your personal API tokens (never their secrets)", Tag: "agents", Result: "APITokenList"},
		apiOp{Method: "POST", Path: "/api/v1/me/tokens", Summary: "Create a personal API token; the token is returned only here",
			Description: "Needs a logged-in browser session (cookie): a request authenticated by an API token is refused with 403, so a token cannot make more tokens.",
			Tag:         "agents", Body: "APITokenIn", Status: 201, Result: "APIToken"},
		apiOp{Method: "DELETE", Path: "/api/v1/me/tokens/{id}", Summary: "Revoke one of your API tokens at once (a token may revoke itself)", Tag: "agents", Status: 204},
		apiOp{Method: "GET", Path: "/api/v1/agents", Summary: "List agents", Tag: "agents", Result: "AgentList"},
		apiOp{Method: "GET", Path: "/api/v1/agents/{id}", Summary: "Get an agent", Tag: "agents", Result: "Agent"},
		apiOp{Method: "POST", Path: "/api/v1/agents", Summary: "Create an agent", Tag: "agents", Admin: true, Body: "AgentIn", Status: 201, Result: "Agent"},
		apiOp{Method: "PATCH", Path: "/api/v1/agents/{id}", Summary: "Update an agent (operator_id: null clears it)", Tag: "agents", Admin: true, Body: "AgentIn", Result: "Agent"},
	)
}

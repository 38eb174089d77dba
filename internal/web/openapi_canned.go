package web

import "github.com/ringdesk/ringdesk/internal/ringdesk"

func init() {
	apiTagTitles["canned_replies"] = "Canned replies"
	placeholders := "Placeholders in body: {{client.name}}, {{agent.name}}, {{ticket.number}}, {{ticket.subject}} (spaces inside the braces and upper case allowed); {{client.name|text}} puts text in when the value is missing. Without a fallback a missing value is left out with the comma or space before it (\"Hello, {{client.name}}!\" reads \"Hello!\" for a client named only by a phone number). An unknown or unclosed placeholder is refused (400, field body)."
	filled := cannedProps()
	filled["text"] = map[string]any{"type": "string", "description": "body with its placeholders filled for the ticket: what the composer inserts."}
	registerAPI(map[string]apiSchema{
		"CannedReply": {"type": "object", "properties": cannedProps()},
		"CannedReplyIn": {"type": "object", "description": "POST needs title and body; in PATCH an absent field stays as it is. " + placeholders,
			"properties": map[string]any{
				"title":    map[string]any{"type": "string", "maxLength": ringdesk.MaxCannedTitle},
				"body":     map[string]any{"type": "string", "maxLength": ringdesk.MaxCannedBody},
				"shortcut": map[string]any{"type": "string", "maxLength": ringdesk.MaxCannedShortcut, "description": "One word (letters, digits, - and _), stored in lower case; a leading / is dropped. Unique among the shared replies and among each agent's own (409)."},
				"shared":   map[string]any{"type": "boolean", "description": "POST: true makes a shared reply (administrators only, else 403); absent or false a personal one. PATCH: may only repeat what the reply is (400 otherwise)."},
			}},
		"CannedReplyList":       {"type": "object", "properties": map[string]any{"canned_replies": map[string]any{"type": "array", "items": ref("CannedReply")}}},
		"FilledCannedReply":     {"type": "object", "properties": filled},
		"FilledCannedReplyList": {"type": "object", "properties": map[string]any{"canned_replies": map[string]any{"type": "array", "items": ref("FilledCannedReply")}}},
	},
		apiOp{Method: "GET", Path: "/api/v1/canned_replies", Summary: "List the canned replies you see, by title", Tag: "canned_replies",
			Query:       []string{"q", "scope", "limit"},
			Description: "The shared replies and your own personal ones (nobody sees another agent's personal replies, administrators included). q keeps the replies holding every word of it in their title, shortcut or body (case and ё/е ignored); scope is shared or personal; limit 1..500 (default 500).",
			Result:      "CannedReplyList"},
		apiOp{Method: "POST", Path: "/api/v1/canned_replies", Summary: "Create a canned reply", Tag: "canned_replies", Body: "CannedReplyIn", Status: 201, Result: "CannedReply"},
		apiOp{Method: "GET", Path: "/api/v1/canned_replies/{id}", Summary: "Get a canned reply", Tag: "canned_replies",
			Description: "Another agent's personal reply is not found (404).", Result: "CannedReply"},
		apiOp{Method: "PATCH", Path: "/api/v1/canned_replies/{id}", Summary: "Change a canned reply", Tag: "canned_replies", Body: "CannedReplyIn", Result: "CannedReply",
			Description: "Your own personal replies, and shared ones if you are an administrator (an agent gets 403 for a shared one, 404 for another agent's)."},
		apiOp{Method: "DELETE", Path: "/api/v1/canned_replies/{id}", Summary: "Delete a canned reply", Tag: "canned_replies", Status: 204,
			Description: "Who may: as for PATCH. Replies already sent with it keep their text."},
		apiOp{Method: "GET", Path: "/api/v1/tickets/{id}/canned_replies", Summary: "Canned replies filled for a ticket, best first", Tag: "canned_replies",
			Query:       []string{"q"},
			Description: "At most 20 of the replies you see matching q: a shortcut equal to q first, then shortcuts and title words starting with it, titles holding it, then the rest; your own before shared ones. Each has text, its body filled for this ticket (the client's name, your name, the ticket's number and its subject in your language). The composer's picker reads it.",
			Result:      "FilledCannedReplyList"},
	)
}

// cannedProps are the properties of a canned reply in the API.
func cannedProps() map[string]any {
	return map[string]any{
		"id":         map[string]any{"type": "integer"},
		"title":      map[string]any{"type": "string"},
		"body":       map[string]any{"type": "string", "description": "The text with its placeholders, as written."},
		"shortcut":   map[string]any{"type": "string", "description": "Lower case, typed after / in the composer; \"\" for none."},
		"shared":     map[string]any{"type": "boolean", "description": "true: the whole desk's (administrators change it); false: the owner's own."},
		"owner_id":   map[string]any{"type": "integer", "nullable": true, "description": "The agent whose personal reply it is; null when shared."},
		"created_at": map[string]any{"type": "string", "format": "date-time"},
		"updated_at": map[string]any{"type": "string", "format": "date-time"},
	}
}

package web

// The email channel in the API reference: a mailbox's settings (the
// "email" object of a channel of type email), an emailed reply's delivery
// and an incoming message's sender and files.
func init() {
	str := map[string]any{"type": "string"}
	port := map[string]any{"type": "integer", "minimum": 1, "maximum": 65535}
	tls := map[string]any{"type": "string", "enum": []string{"tls", "starttls", "none"}}
	settings := map[string]any{
		"address":      map[string]any{"type": "string", "format": "email", "description": "The mailbox's address: replies go out from it."},
		"display_name": map[string]any{"type": "string", "description": "Replies go out as \"Agent via display_name\" (empty: the channel's name)."},
		"imap_host":    str, "imap_port": port, "imap_tls": tls,
		"imap_user":   map[string]any{"type": "string", "description": "Default: the address."},
		"imap_folder": map[string]any{"type": "string", "default": "INBOX"},
		"smtp_host":   str, "smtp_port": port, "smtp_tls": tls,
		"smtp_user":    map[string]any{"type": "string", "description": "Used with smtp_password; without a password Ringdesk sends without AUTH."},
		"poll_seconds": map[string]any{"type": "integer", "minimum": 5, "maximum": 3600, "default": 60, "description": "How often the mailbox is read when the server has no IDLE."},
	}
	out := map[string]any{
		"imap_password_set": map[string]any{"type": "boolean", "description": "An IMAP password is stored; it is never returned."},
		"smtp_password_set": map[string]any{"type": "boolean", "description": "An SMTP password is stored; it is never returned."},
	}
	in := map[string]any{
		"imap_password": map[string]any{"type": "string", "writeOnly": true, "description": "Stored encrypted, never returned. Absent or null keeps it; \"\" removes it."},
		"smtp_password": map[string]any{"type": "string", "writeOnly": true, "description": "Stored encrypted, never returned. Absent or null keeps it; \"\" removes it."},
	}
	for k, v := range settings {
		out[k], in[k] = v, v
	}
	registerAPI(map[string]apiSchema{
		"EmailSettings": {"type": "object", "properties": out,
			"description": "A mailbox (channel type email): IMAP for incoming mail, SMTP for replies."},
		"EmailSettingsIn": {"type": "object", "properties": in,
			"description": "With type email in POST /api/v1/channels (address, imap_host and smtp_host required), or in PATCH: absent fields are unchanged."},
		"ReplyDelivery": {"type": "object", "description": "How an agent's emailed reply went. queued: waiting to be sent or retried (error: the last temporary failure); " +
			"sent: the SMTP server accepted it; failed: refused for good, bounced, or unsent for 48 hours (error: the server's reason). " +
			"Replies that are not emailed (no mailbox, no address, notes) have no delivery.",
			"properties": map[string]any{
				"status":          map[string]any{"type": "string", "enum": []string{"queued", "sent", "failed"}},
				"error":           str,
				"to":              map[string]any{"type": "array", "items": str},
				"attempts":        map[string]any{"type": "integer"},
				"sent_at":         map[string]any{"type": "string", "format": "date-time", "nullable": true},
				"next_attempt_at": map[string]any{"type": "string", "format": "date-time", "description": "While queued: when it is tried next."},
				"message_id":      map[string]any{"type": "string", "description": "The Message-ID it is sent with (set before the first attempt)."},
			}},
		"IncomingEmail": {"type": "object", "description": "An incoming message's sender and files (timeline entries of kind reply by the client).",
			"properties": map[string]any{
				"from": str, "from_name": str, "subject": str, "message_id": str,
				"machine": map[string]any{"type": "string", "enum": []string{"auto-reply", "bulk", "bounce"}, "description": "Set for mail a machine wrote; never answered automatically."},
				"attachments": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
					"name": str, "size": map[string]any{"type": "integer"}, "content_type": str,
					"inline": map[string]any{"type": "boolean", "description": "An image shown in the message's body."},
					"url":    map[string]any{"type": "string", "description": "Download with the same token: GET this path."}}}},
				"problems": map[string]any{"type": "array", "items": str, "description": "Set when part of the message could not be read (broken MIME, unknown charset, cut short): what, in English."},
				"raw_url":  map[string]any{"type": "string", "description": "With problems: the message as it arrived, GET with the same token."},
			}},
		"RetryResult": {"type": "object", "properties": map[string]any{"event_id": map[string]any{"type": "integer"}, "delivery": ref("ReplyDelivery")}},
	},
		apiOp{Method: "POST", Path: "/api/v1/tickets/{id}/events/{event_id}/retry", Summary: "Queue a failed emailed reply again (409 when it has not failed)",
			Tag: "tickets", Result: "RetryResult"},
		apiOp{Method: "GET", Path: "/api/v1/mail/{id}/attachments/{idx}", Summary: "Download an attachment of an incoming message (the url in IncomingEmail)",
			Description: "Images are served inline for the page; anything else (and ?download=1) as an attachment.", Tag: "tickets"},
		apiOp{Method: "GET", Path: "/api/v1/mail/{id}/raw", Summary: "Download an incoming message exactly as it arrived, as an .eml file (the raw_url in IncomingEmail)",
			Tag: "tickets"},
	)
}

package web

import (
	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

func init() {
	str := map[string]any{"type": "string"}
	id := map[string]any{"type": "integer"}
	nullID := map[string]any{"type": "integer", "nullable": true}
	when := map[string]any{"type": "string", "format": "date-time"}
	nullWhen := map[string]any{"type": "string", "format": "date-time", "nullable": true}
	tags := map[string]any{"type": "array", "items": str, "maxItems": ringdesk.MaxTags,
		"description": "Letters, digits, _ and -, at most 50 characters each; stored in lower case."}
	status := map[string]any{"type": "string", "enum": ringdesk.Statuses}
	priority := map[string]any{"type": "string", "enum": ringdesk.Priorities}
	typ := map[string]any{"type": "string", "enum": ringdesk.TicketTypes}
	ticket := apiSchema{"type": "object", "properties": map[string]any{
		"id": id, "number": id, "subject": str, "status": status,
		"status_id": map[string]any{"type": "integer", "description": "Usedesk's numeric status id: new 8, open 1, pending 6, on_hold 5, solved 2, closed 3, spam 7, deleted 4."},
		"priority":  priority, "type": typ, "channel_id": nullID, "client_id": id, "assignee_id": nullID,
		"group_id": map[string]any{"type": "integer", "nullable": true, "description": "The ticket's group; null: no group."}, "tags": tags,
		"missed": map[string]any{"type": "boolean", "description": "The ticket holds a missed incoming call still waiting for a call back: " +
			"false once a call with the client was answered (timeline kind called_back) or an agent marked it handled (missed_handled)."},
		"created_at": when, "updated_at": when, "first_response_at": nullWhen, "solved_at": nullWhen,
	}}
	ticketIn := apiSchema{"type": "object", "required": []string{"subject", "client_id"}, "properties": map[string]any{
		"subject": map[string]any{"type": "string", "maxLength": ringdesk.MaxSubjectLen},
		"status":  status, "priority": priority, "type": typ, "channel_id": nullID, "client_id": id, "assignee_id": nullID,
		"group_id": map[string]any{"type": "integer", "nullable": true, "description": "A group in use; the assignee need not belong to it."}, "tags": tags,
		"body":      map[string]any{"type": "string", "description": "The first message of the timeline."},
		"body_kind": map[string]any{"type": "string", "enum": []string{"reply", "note"}, "description": "reply: from the client (default); note: internal."},
	}}
	ticketPatch := apiSchema{"type": "object", "properties": map[string]any{
		"subject": map[string]any{"type": "string", "maxLength": ringdesk.MaxSubjectLen},
		"status":  status, "priority": priority, "type": typ, "channel_id": id, "client_id": id,
		"assignee_id": map[string]any{"type": "integer", "nullable": true, "description": "null unassigns."},
		"group_id":    map[string]any{"type": "integer", "nullable": true, "description": "null: no group."}, "tags": tags,
	}}
	event := apiSchema{"type": "object", "properties": map[string]any{
		"id": id, "kind": map[string]any{"type": "string", "description": "reply, note, call, status, assignee, group, priority, type, tags, subject, client, channel, client_merged, " +
			"called_back (data: call_id, agent_id or null, direction out or in, after_seconds since the first missed call), missed_handled (body: the agent's reason); " +
			"group: {\"from\", \"to\"} group ids or null, \"deleted\": true when the group was deleted"},
		"author_type": map[string]any{"type": "string", "enum": []string{"agent", "client", "system"}}, "author_id": nullID,
		"body": str, "data": map[string]any{"type": "object", "description": `Audit entries: {"from":..,"to":..}; calls: {"call_id":N}.`},
		"created_at": when,
		"delivery":   ref("ReplyDelivery"), "email": ref("IncomingEmail"),
	}}
	comment := apiSchema{"type": "object", "required": []string{"body"}, "properties": map[string]any{
		"kind":        map[string]any{"type": "string", "enum": []string{"reply", "note"}},
		"author_type": map[string]any{"type": "string", "enum": []string{"agent", "client"}, "description": "agent (default) or client: a message taken down on the client's behalf."},
		"body":        str,
		"to": map[string]any{"type": "array", "items": str, "maxItems": ringdesk.MaxRecipients,
			"description": "An agent's reply is emailed to the client (their last address, else their first) through the ticket's mailbox or the first one; to replaces the recipients. Without a mailbox or an address the reply is only kept (no delivery)."},
	}}
	registerAPI(map[string]apiSchema{
		"Ticket":      ticket,
		"TicketIn":    ticketIn,
		"TicketPatch": ticketPatch,
		"TicketEvent": event,
		"CommentIn":   comment,
		"MissedHandledIn": {"type": "object", "required": []string{"reason"}, "properties": map[string]any{
			"reason": map[string]any{"type": "string", "maxLength": ringdesk.MaxHandledReason, "description": "Why the missed call needs no call back."}}},
		"TicketList": {"type": "object", "properties": map[string]any{"tickets": map[string]any{"type": "array", "items": ref("Ticket")},
			"next_cursor": map[string]any{"type": "string", "description": "Pass as cursor for the next page; empty on the last page."}}},
		"TicketEventList": {"type": "object", "properties": map[string]any{"events": map[string]any{"type": "array", "items": ref("TicketEvent")}}},
	},
		apiOp{Method: "GET", Path: "/api/v1/tickets", Summary: "List tickets, newest first (keyset pages); q also finds the tickets of clients with a number matching it (whole, or 4+ digits)", Tag: "tickets", Result: "TicketList",
			Description: "view: mine, mygroups (open tickets of your groups), group (open tickets of group_id), unassigned, open, missed, solved, all. group_id: a group id, none (no group) or mine (your groups).",
			Query: []string{"view", "status", "assignee", "group_id", "channel_id", "tag", "client_id", "missed", "created_from", "created_to",
				"updated_from", "updated_to", "q", "sort", "cursor", "limit"}},
		apiOp{Method: "POST", Path: "/api/v1/tickets", Summary: "Create a ticket", Tag: "tickets", Body: "TicketIn", Status: 201, Result: "Ticket"},
		apiOp{Method: "GET", Path: "/api/v1/tickets/{id}", Summary: "Get a ticket", Tag: "tickets", Result: "Ticket"},
		apiOp{Method: "PATCH", Path: "/api/v1/tickets/{id}", Summary: "Update a ticket; every change is an audit entry", Tag: "tickets", Body: "TicketPatch", Result: "Ticket"},
		apiOp{Method: "GET", Path: "/api/v1/tickets/{id}/events", Summary: "The ticket's timeline, oldest first", Tag: "tickets", Result: "TicketEventList"},
		apiOp{Method: "POST", Path: "/api/v1/tickets/{id}/missed-handled", Summary: "Mark a missed call handled without a call back (409 when the ticket is not waiting for one)",
			Tag: "tickets", Body: "MissedHandledIn", Result: "Ticket"},
		apiOp{Method: "POST", Path: "/api/v1/tickets/{id}/comments", Summary: "Add a reply or an internal note", Tag: "tickets", Body: "CommentIn", Status: 201, Result: "TicketEvent"},
	)
	registerAPI(map[string]apiSchema{
		"TicketBulk": {"type": "object", "required": []string{"ids"}, "properties": map[string]any{
			"ids":         map[string]any{"type": "array", "items": id, "minItems": 1, "maxItems": desk.MaxBulkTickets},
			"status":      status,
			"assignee_id": map[string]any{"type": "integer", "nullable": true, "description": "null unassigns."},
			"group_id":    map[string]any{"type": "integer", "nullable": true, "description": "null: no group."},
			"add_tags":    map[string]any{"type": "array", "items": str, "description": "Added to each ticket's tags."},
		}},
		"TicketBulkResult": {"type": "object", "properties": map[string]any{
			"updated": id,
			"failed": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
				"id": id, "code": str, "message": str}}},
		}},
	},
		apiOp{Method: "POST", Path: "/api/v1/tickets/bulk", Summary: "Change up to 100 tickets at once; each ticket changes (and is audited) on its own, and the ones that could not be changed are listed", Tag: "tickets", Body: "TicketBulk", Result: "TicketBulkResult"},
	)
}

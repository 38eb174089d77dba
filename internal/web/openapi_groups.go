package web

import "github.com/ringdesk/ringdesk/internal/ringdesk"

func init() {
	registerAPI(map[string]apiSchema{
		"Group": {"type": "object", "properties": map[string]any{
			"id":        map[string]any{"type": "integer"},
			"name":      map[string]any{"type": "string"},
			"agent_ids": map[string]any{"type": "array", "items": map[string]any{"type": "integer"}, "description": "The members, in ascending order."},
		}},
		"GroupIn": {"type": "object", "description": "POST needs name; in PATCH an absent field stays as it is.", "properties": map[string]any{
			"name": map[string]any{"type": "string", "maxLength": ringdesk.MaxGroupName,
				"description": "Unique among the groups in use, ignoring case."},
			"agent_ids": map[string]any{"type": "array", "items": map[string]any{"type": "integer"}, "description": "Replaces the members."},
		}},
		"GroupList": {"type": "object", "properties": map[string]any{"groups": map[string]any{"type": "array", "items": ref("Group")}}},
		"MePatch": {"type": "object", "properties": map[string]any{
			"available": map[string]any{"type": "boolean", "description": "Your own \"available for calls\" switch."},
		}},
	},
		apiOp{Method: "GET", Path: "/api/v1/groups", Summary: "List the groups in use, by name", Tag: "groups", Result: "GroupList"},
		apiOp{Method: "POST", Path: "/api/v1/groups", Summary: "Create a group", Tag: "groups", Admin: true, Body: "GroupIn", Status: 201, Result: "Group"},
		apiOp{Method: "GET", Path: "/api/v1/groups/{id}", Summary: "Get a group (a deleted one is not found)", Tag: "groups", Result: "Group"},
		apiOp{Method: "PATCH", Path: "/api/v1/groups/{id}", Summary: "Rename a group and/or replace its members", Tag: "groups", Admin: true, Body: "GroupIn", Result: "Group"},
		apiOp{Method: "DELETE", Path: "/api/v1/groups/{id}", Summary: "Delete (archive) a group", Tag: "groups", Admin: true, Status: 204,
			Description: "Its tickets move to no group, each with a group entry in its timeline (data: {\"from\": id, \"to\": null, \"deleted\": true}); timelines keep naming it. Its agents leave it."},
		apiOp{Method: "PATCH", Path: "/api/v1/me", Summary: "Change your own availability for calls", Tag: "agents", Body: "MePatch", Result: "Agent"},
	)
}

package web

func init() {
	num := map[string]any{"type": "number", "nullable": true}
	integer := map[string]any{"type": "integer"}
	nint := map[string]any{"type": "integer", "nullable": true}
	obj := func(desc string, props map[string]any) map[string]any {
		return map[string]any{"type": "object", "description": desc, "properties": props}
	}
	registerAPI(map[string]apiSchema{
		"CallReport": {"type": "object", "description": "Rates are fractions (0.8, not 80), durations seconds; null where there is nothing to divide by. " +
			"The thresholds T and S are each call's channel's (sl_answer_within, sl_short_abandon).",
			"properties": map[string]any{
				"from": map[string]any{"type": "string", "format": "date"},
				"to":   map[string]any{"type": "string", "format": "date"},
				"tz":   map[string]any{"type": "string"},
				"inbound": obj("Incoming calls that started in the period.", map[string]any{
					"offered": integer, "answered": integer,
					"answered_within":      map[string]any{"type": "integer", "description": "Answered within T seconds of waiting."},
					"missed":               integer,
					"short_abandoned":      map[string]any{"type": "integer", "description": "Missed calls whose caller hung up within S seconds."},
					"service_level":        map[string]any{"type": "number", "nullable": true, "description": "answered_within / (answered + missed - short_abandoned)."},
					"asa_seconds":          map[string]any{"type": "number", "nullable": true, "description": "Average wait of answered calls."},
					"missed_wait_seconds":  map[string]any{"type": "number", "nullable": true, "description": "Average wait of missed calls."},
					"longest_wait_seconds": map[string]any{"type": "integer", "description": "Longest wait of a missed call."},
				}),
				"talk": obj("Answered calls, both directions.", map[string]any{
					"total_seconds": integer, "avg_seconds": num,
					"aht_seconds": map[string]any{"type": "number", "nullable": true, "description": "(talk + after-call work UIS reports) / answered calls."},
				}),
				"outbound": obj("Outgoing calls that started in the period.", map[string]any{"attempts": integer, "answered": integer, "talk_seconds": integer}),
				"callbacks": obj("What became of the period's missed calls: called back when an answered call with the client (an agent's call to them, or theirs) followed.", map[string]any{
					"missed": integer, "called_back": integer, "rate": num,
					"median_seconds": map[string]any{"type": "integer", "nullable": true, "description": "From the end of the missed call to the start of the answered call back (nearest rank)."},
					"p90_seconds":    nint, "never": integer,
					"first_attempt": map[string]any{"type": "integer", "description": "Called back by the first outgoing call after the miss."},
					"uis_reported": map[string]any{"type": "integer", "description": "UIS's own figure beside ours: missed calls for which the UIS calls report gives " +
						"lost_call_processing_duration (from the lost call to the first successful call back, as UIS counts it), filled in by reconciliation; " +
						"0 when UIS sends none."},
					"uis_median_seconds": map[string]any{"type": "integer", "nullable": true, "description": "Median of UIS's lost_call_processing_duration over those calls (nearest rank); null when uis_reported is 0."},
					"uis_p90_seconds":    map[string]any{"type": "integer", "nullable": true, "description": "90th percentile of the same; null when uis_reported is 0."},
				}),
				"agents": map[string]any{"type": "array", "items": obj("", map[string]any{
					"agent_id": integer, "name": map[string]any{"type": "string"}, "answered": integer, "outgoing": integer,
					"outgoing_answered": integer, "talk_seconds": integer, "aht_seconds": num,
					"callbacks":      map[string]any{"type": "integer", "description": "Missed calls of the period this agent's answered call called back."},
					"tickets_solved": map[string]any{"type": "integer", "description": "Tickets assigned to the agent solved in the period (only without channel, line, group or direction filters)."},
				})},
				"by_hour": map[string]any{"type": "array", "description": "24 rows, hours of the day in tz.", "items": obj("", map[string]any{
					"hour": integer, "answered": integer, "missed": integer})},
				"by_day": map[string]any{"type": "array", "description": "Every day of the period.", "items": obj("", map[string]any{
					"date": map[string]any{"type": "string", "format": "date"}, "offered": integer, "answered": integer,
					"answered_within": integer, "missed": integer, "short_abandoned": integer, "service_level": num})},
				"missed_heatmap": map[string]any{"type": "array", "description": "Missed calls per weekday (Monday first) and hour: 7 lists of 24.",
					"items": map[string]any{"type": "array", "items": integer}},
			}},
	},
		apiOp{Method: "GET", Path: "/api/v1/reports/calls", Summary: "Call report: service level, missed-call call-backs, agents", Tag: "calls",
			Description: "Supervisors and administrators. from and to are whole days (YYYY-MM-DD) in tz (an IANA zone, default your profile's), both included; " +
				"default today. Filters: channel_id, virtual_number, group_id, agent_id, direction (in, out). Bad dates or zones are 400. " +
				"The same figures as the Reports page; /reports/calls.csv?table=summary|by_hour|by_day|heatmap|agents gives its tables as CSV.",
			Query: []string{"from", "to", "tz", "channel_id", "virtual_number", "group_id", "agent_id", "direction"}, Result: "CallReport"},
	)
}

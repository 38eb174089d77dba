package uissim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FieldShapes are shapes a real UIS may give notification variables where no public sample
// shows them (reference §4.4: about fifteen call_finished variables are unconfirmed). Each
// knob is off by default; a receiver that must not lose a call has to cope with all of them.
type FieldShapes struct {
	// Events limits the shapes to these events' notifications (default: every event).
	Events []EventType `json:"events,omitempty"`
	// Durations renders the *_duration variables (and file_duration) as "decimal" numbers
	// (30.0) or as "hms" strings ("00:00:30") instead of integers.
	Durations string `json:"durations,omitempty"`
	// Lists renders list variables (leg_ids, employee_ids, tag_names, record_file_links...)
	// as "json_text", the array inside a JSON string ("[1,2]"), or "pg", a PostgreSQL array
	// literal inside a JSON string ("{1,2}"), instead of JSON arrays.
	Lists string `json:"lists,omitempty"`
	// OperatorRating, when set, is sent as operator_rating, a string such as "5" or
	// "отлично", instead of null.
	OperatorRating string `json:"operator_rating,omitempty"`
	// TPProjectObject sends tp_project as an object {"id":…,"name":…} instead of null.
	TPProjectObject bool `json:"tp_project_object,omitempty"`
	// UnescapedQuotes writes string values without escaping the quotes inside them, so
	// ООО "Ромашка" arrives as "ООО "Ромашка"" and the body is not valid JSON.
	UnescapedQuotes bool `json:"unescaped_quotes,omitempty"`
	// NumericConnectionTime sends connection_time as Unix seconds (a number) instead of the
	// date-time string.
	NumericConnectionTime bool `json:"numeric_connection_time,omitempty"`
}

// Values of FieldShapes.Durations and FieldShapes.Lists.
const (
	ShapeDecimal  = "decimal"
	ShapeHMS      = "hms"
	ShapeJSONText = "json_text"
	ShapePG       = "pg"
)

func (f FieldShapes) validate() error {
	if f.Durations != "" && f.Durations != ShapeDecimal && f.Durations != ShapeHMS {
		return fmt.Errorf("durations must be %s or %s, not %q", ShapeDecimal, ShapeHMS, f.Durations)
	}
	if f.Lists != "" && f.Lists != ShapeJSONText && f.Lists != ShapePG {
		return fmt.Errorf("lists must be %s or %s, not %q", ShapeJSONText, ShapePG, f.Lists)
	}
	for _, ev := range f.Events {
		if _, ok := lkNames[ev]; !ok {
			return fmt.Errorf("unknown event %q", ev)
		}
	}
	return nil
}

func (f FieldShapes) any() bool {
	return f.Durations != "" || f.Lists != "" || f.OperatorRating != "" || f.TPProjectObject || f.UnescapedQuotes || f.NumericConnectionTime
}

// rawJSON is a variable value rendered into a POST body exactly as it is (and into a GET URL
// as plain text).
type rawJSON string

// unescapedString is a string rendered between quotes with the quotes inside it left bare.
type unescapedString string

// durationVars are the variables that hold seconds.
var durationVars = []string{"clean_talk_time_duration", "talk_time_duration", "total_time_duration",
	"wait_time_duration", "total_wait_time_duration", "postprocess_time_duration", "file_duration"}

// shapeVars rewrites the variables of one event's notification according to f; connected is
// when the call was first answered (zero if never).
func (f FieldShapes) shapeVars(ev EventType, v map[string]any, connected time.Time) {
	if !f.any() || (len(f.Events) > 0 && !slices.Contains(f.Events, ev)) {
		return
	}
	for _, k := range durationVars {
		n, ok := v[k].(int64)
		if !ok {
			continue
		}
		switch f.Durations {
		case ShapeDecimal:
			v[k] = rawJSON(strconv.FormatFloat(float64(n), 'f', 1, 64))
		case ShapeHMS:
			v[k] = fmt.Sprintf("%02d:%02d:%02d", n/3600, n/60%60, n%60)
		}
	}
	if f.OperatorRating != "" {
		v["operator_rating"] = f.OperatorRating
	}
	if f.TPProjectObject {
		v["tp_project"] = rawJSON(`{"id":1,"name":"Основной проект"}`)
	}
	if f.NumericConnectionTime && !connected.IsZero() {
		if _, ok := v["connection_time"].(string); ok {
			v["connection_time"] = connected.Unix()
		}
	}
	for k, val := range v {
		switch x := val.(type) {
		case []int64:
			if len(x) > 0 && f.Lists != "" {
				parts := make([]string, len(x))
				for i, n := range x {
					parts[i] = strconv.FormatInt(n, 10)
				}
				v[k] = listText(f.Lists, parts, false)
			}
		case []string:
			if len(x) > 0 && f.Lists != "" {
				v[k] = listText(f.Lists, x, true)
			}
		case string:
			if f.UnescapedQuotes && strings.Contains(x, `"`) {
				v[k] = unescapedString(x)
			}
		}
	}
}

// listText renders a list as JSON text or as a PostgreSQL array literal, both inside a string.
func listText(shape string, items []string, quoted bool) string {
	if shape == ShapeJSONText {
		if !quoted {
			return "[" + strings.Join(items, ",") + "]"
		}
		b, _ := json.Marshal(items)
		return string(b)
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it
		if quoted && (it == "" || strings.ContainsAny(it, " ,{}\"\\") || strings.EqualFold(it, "null")) {
			out[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(it) + `"`
		}
	}
	return "{" + strings.Join(out, ",") + "}"
}

// unescapedLiteral is s as a JSON string whose inner quotes are left unescaped.
func unescapedLiteral(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.ReplaceAll(strings.TrimSuffix(buf.String(), "\n"), `\"`, `"`)
}

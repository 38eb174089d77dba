package uissim

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// rowPred is a compiled Data API filter.
type rowPred func(row map[string]any) bool

// compileFilter turns a simple filter {field, operator, value} or a tree {filters, condition}
// into a predicate, rejecting names and operators the way UIS does.
func compileFilter(raw json.RawMessage, all, filterable []string) (rowPred, *rpcError) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, errDataType("filter", rawValue(raw))
	}
	if _, tree := m["filters"]; tree {
		return compileTree(m, all, filterable)
	}
	for k := range m {
		if k != "field" && k != "operator" && k != "value" {
			return nil, errUnexpected("filter."+k, rawValue(m[k]))
		}
	}
	if e := checkParams(m, []pspec{{name: "field", typ: tString, required: true}, {name: "operator", typ: tString, required: true}, {name: "value", typ: tAny}}, "filter."); e != nil {
		return nil, e
	}
	a := args(m)
	field, op := a.str("field"), a.str("operator")
	if !slices.Contains(all, field) {
		return nil, errUnexpected("filter.field", field)
	}
	if filterable != nil && !slices.Contains(filterable, field) {
		return nil, newErr(-32602, "filter_prohibited", "Filter by parameter is prohibited").withField("filter.field", field)
	}
	var val any
	if raw, ok := m["value"]; ok {
		val = normalizeJSON(rawValue(raw))
	}
	test, err := compileOp(op, val)
	if err != nil {
		return nil, err
	}
	return func(row map[string]any) bool { return test(normalizeJSON(row[field])) }, nil
}

func compileTree(m map[string]json.RawMessage, all, filterable []string) (rowPred, *rpcError) {
	for k := range m {
		if k != "filters" && k != "condition" {
			return nil, errUnexpected("filter."+k, rawValue(m[k]))
		}
	}
	var subs []json.RawMessage
	if err := json.Unmarshal(m["filters"], &subs); err != nil {
		return nil, errDataType("filter.filters", rawValue(m["filters"]))
	}
	cond := "and"
	if raw, ok := m["condition"]; ok {
		if json.Unmarshal(raw, &cond) != nil || (cond != "and" && cond != "or") {
			return nil, errInvalidValue("filter.condition", rawValue(raw))
		}
	}
	var preds []rowPred
	for _, sub := range subs {
		p, e := compileFilter(sub, all, filterable)
		if e != nil {
			return nil, e
		}
		preds = append(preds, p)
	}
	return func(row map[string]any) bool {
		for _, p := range preds {
			if p(row) != (cond == "and") {
				return cond != "and"
			}
		}
		return cond == "and" || len(preds) == 0
	}, nil
}

// normalizeJSON turns Go row values and decoded JSON alike into float64, string, bool, nil
// or []any, so the two sides compare.
func normalizeJSON(v any) any {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case json.Number:
		f, _ := x.Float64()
		return f
	case []int64:
		out := make([]any, len(x))
		for i, n := range x {
			out[i] = float64(n)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeJSON(e)
		}
		return out
	}
	return v
}

func compileOp(op string, val any) (func(any) bool, *rpcError) {
	bad := func() *rpcError { return errInvalidValue("filter.value", val) }
	switch op {
	case "=":
		return func(v any) bool { return equal(v, val) }, nil
	case "!=":
		return func(v any) bool { return !equal(v, val) }, nil
	case "<", ">", "<=", ">=":
		if _, ok := val.(float64); !ok {
			if _, ok := val.(string); !ok {
				return nil, bad()
			}
		}
		return func(v any) bool {
			c, ok := compare(v, val)
			return ok && map[string]bool{"<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0}[op]
		}, nil
	case "in", "not_in":
		list, ok := val.([]any)
		if !ok {
			return nil, bad()
		}
		return func(v any) bool {
			found := slices.ContainsFunc(list, func(x any) bool { return equal(v, x) })
			return found == (op == "in")
		}, nil
	case "like", "ilike", "not_like", "not_ilike", "regexp":
		pat, ok := val.(string)
		if !ok {
			return nil, bad()
		}
		if op != "regexp" {
			pat = "^" + strings.ReplaceAll(regexp.QuoteMeta(pat), "%", ".*") + "$"
			if strings.Contains(op, "ilike") {
				pat = "(?i)" + pat
			}
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, bad()
		}
		neg := strings.HasPrefix(op, "not_")
		return func(v any) bool {
			s, ok := v.(string)
			return ok && re.MatchString(s) != neg
		}, nil
	case "is_null":
		return func(v any) bool { return v == nil }, nil
	case "is_not_null":
		return func(v any) bool { return v != nil }, nil
	}
	return nil, errInvalidValue("filter.operator", op)
}

func equal(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	switch x := a.(type) {
	case []any:
		return false
	default:
		return fmt.Sprint(x) == fmt.Sprint(b) && sameKind(a, b)
	}
}

func sameKind(a, b any) bool { return fmt.Sprintf("%T", a) == fmt.Sprintf("%T", b) }

func compare(a, b any) (int, bool) {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		if !ok {
			return 0, false
		}
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	case string:
		y, ok := b.(string)
		if !ok {
			return 0, false
		}
		return strings.Compare(x, y), true
	case bool:
		y, ok := b.(bool)
		if !ok {
			return 0, false
		}
		bi := func(v bool) int {
			if v {
				return 1
			}
			return 0
		}
		return bi(x) - bi(y), true
	}
	return 0, false
}

package uissim

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// ptype is the JSON type a method parameter must have.
type ptype int

const (
	tString ptype = iota
	tBool
	tInt
	tObject
	tArray
	tAny
)

// pspec describes one parameter; sub describes an object's members.
type pspec struct {
	name     string
	typ      ptype
	required bool
	sub      []pspec
}

// checkParams enforces UIS strictness: unknown keys are unexpected_parameters, a wrong JSON
// type is data_type_error with field and value, a missing required key is
// required_parameter_missed. Nested fields are reported with dotted paths.
func checkParams(params map[string]json.RawMessage, specs []pspec, prefix string) *rpcError {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.ContainsFunc(specs, func(p pspec) bool { return p.name == k }) {
			return errUnexpected(prefix+k, rawValue(params[k]))
		}
	}
	for _, sp := range specs {
		raw, ok := params[sp.name]
		if !ok || isNullRaw(raw) {
			if sp.required {
				return errRequired(prefix + sp.name)
			}
			continue
		}
		if !typeMatches(raw, sp.typ) {
			return errDataType(prefix+sp.name, rawValue(raw))
		}
		if sp.typ == tObject && sp.sub != nil {
			var m map[string]json.RawMessage
			json.Unmarshal(raw, &m)
			if e := checkParams(m, sp.sub, prefix+sp.name+"."); e != nil {
				return e
			}
		}
	}
	return nil
}

func isNullRaw(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

func typeMatches(raw json.RawMessage, t ptype) bool {
	b := bytes.TrimSpace(raw)
	if len(b) == 0 {
		return false
	}
	switch t {
	case tString:
		return b[0] == '"'
	case tBool:
		return string(b) == "true" || string(b) == "false"
	case tInt:
		if b[0] != '-' && (b[0] < '0' || b[0] > '9') {
			return false
		}
		return !strings.ContainsAny(string(b), ".eE")
	case tObject:
		return b[0] == '{'
	case tArray:
		return b[0] == '['
	}
	return true
}

// args reads already type-checked parameters.
type args map[string]json.RawMessage

func (a args) str(k string) string {
	var s string
	json.Unmarshal(a[k], &s)
	return s
}

func (a args) has(k string) bool {
	raw, ok := a[k]
	return ok && !isNullRaw(raw)
}

func (a args) boolean(k string) bool {
	var b bool
	json.Unmarshal(a[k], &b)
	return b
}

func (a args) int(k string) int64 {
	var n int64
	json.Unmarshal(a[k], &n)
	return n
}

func (a args) obj(k string) args {
	var m map[string]json.RawMessage
	json.Unmarshal(a[k], &m)
	return args(m)
}

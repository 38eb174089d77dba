package uissim

import (
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// readmeRow returns the Control API row of README.md for route, e.g.
// "POST /sim/v1/load".
func readmeRow(t *testing.T, route string) string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if strings.HasPrefix(line, "| `"+route+"` |") {
			return line
		}
	}
	t.Fatalf("README.md has no row for %s", route)
	return ""
}

// documentedMember is a "key":value pair shown in a README row.
var documentedMember = regexp.MustCompile(`"([a-z_]+)":("[^"]*"|-?[0-9.]+|true|false)`)

// jsonFields lists the JSON names a request type decodes, embedded structs
// included, as encoding/json sees them.
func jsonFields(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" && f.IsExported() {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// TestLoadREADMEMatchesEndpoint: every parameter README.md documents for
// POST /sim/v1/load is accepted by the endpoint with the documented value,
// and every parameter the endpoint accepts is documented, so the two cannot
// drift apart again (max_talk_seconds was documented but refused).
func TestLoadREADMEMatchesEndpoint(t *testing.T) {
	t.Parallel()
	row := readmeRow(t, "POST /sim/v1/load")
	documented := map[string]string{}
	for _, m := range documentedMember.FindAllStringSubmatch(row, -1) {
		documented[m[1]] = m[2]
	}
	var docKeys []string
	for k := range documented {
		docKeys = append(docKeys, k)
	}
	sort.Strings(docKeys)
	accepted := jsonFields(reflect.TypeFor[loadRequest]())
	if !slices.Equal(docKeys, accepted) {
		t.Errorf("README documents %v for POST /sim/v1/load, the endpoint accepts %v", docKeys, accepted)
	}

	sim, url := newSim(t, nil)
	start := map[string]json.RawMessage{}
	for _, k := range []string{"rate", "duration"} {
		if documented[k] == "" {
			t.Fatalf("README shows no example %q for POST /sim/v1/load", k)
		}
		start[k] = json.RawMessage(documented[k])
	}
	// Each documented optional parameter, with its documented value, on top
	// of the documented start request.
	for _, k := range docKeys {
		if k == "action" {
			continue
		}
		body := map[string]json.RawMessage{}
		for kk, v := range start {
			body[kk] = v
		}
		body[k] = json.RawMessage(documented[k])
		var out map[string]any
		if code := ctl(t, "POST", url+"/sim/v1/load", body, &out); code != 202 {
			t.Errorf("POST /sim/v1/load %v: %d %v, want 202", body, code, out)
		}
		if code := ctl(t, "POST", url+"/sim/v1/load", map[string]any{"action": "stop"}, &out); code != 200 {
			t.Fatalf("stop: %d %v", code, out)
		}
	}
	if documented["action"] != `"stop"` {
		t.Errorf(`README documents action %s, want "stop"`, documented["action"])
	}
	// The check above would notice a refused parameter: an undocumented one
	// is refused, and max_talk_seconds is read, not ignored.
	for _, bad := range []map[string]any{
		{"rate": 5, "duration": "30s", "max_talk_minutes": 1},
		{"rate": 5, "duration": "30s", "max_talk_seconds": 5},
	} {
		var out map[string]any
		if code := ctl(t, "POST", url+"/sim/v1/load", bad, &out); code != 400 {
			t.Errorf("POST /sim/v1/load %v: %d %v, want 400", bad, code, out)
		}
	}
	sim.StopLoad()
}

package web

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes: every /api/v1 route is in the OpenAPI document
// and every documented operation is routed.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	s, err := New(nil, nil, Config{Version: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	routed := s.apiRoutes()
	doc := openAPIDocument("test")
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("document does not encode: %v", err)
	}
	var parsed struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Comps   struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &parsed); err != nil {
		t.Fatal(err)
	}
	var documented []string
	for path, item := range parsed.Paths {
		for method := range item {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	for _, r := range routed {
		if !slices.Contains(documented, r) {
			t.Errorf("route %q is not in openapi.json", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(routed, d) {
			t.Errorf("openapi.json documents %q, which is not routed", d)
		}
	}
	// Every $ref resolves.
	for _, m := range refRE.FindAllStringSubmatch(string(raw), -1) {
		if _, ok := parsed.Comps.Schemas[m[1]]; !ok {
			t.Errorf("$ref to missing schema %q", m[1])
		}
	}
	if parsed.OpenAPI != "3.0.3" || len(routed) < 5 {
		t.Errorf("openapi %q, %d routes", parsed.OpenAPI, len(routed))
	}
}

var refRE = regexp.MustCompile(`"\$ref":"#/components/schemas/([A-Za-z]+)"`)

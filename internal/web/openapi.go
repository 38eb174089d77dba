package web

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// The OpenAPI 3 document at GET /api/v1/openapi.json is assembled from
// operations each resource file registers in an init function
// (openapi_agents.go, openapi_tickets.go, ...). TestOpenAPIMatchesRoutes
// keeps it honest: every /api/v1 route is documented and every documented
// operation is routed.

// apiOp describes one API operation.
type apiOp struct {
	Method  string // GET, POST, PATCH, DELETE
	Path    string // as routed, e.g. /api/v1/tickets/{id}
	Summary string
	// Description adds to the summary what a caller must know.
	Description string
	Tag         string
	Admin       bool     // needs an administrator's token
	Public      bool     // needs no token at all (the document itself)
	Query       []string // query parameters (strings unless the schema says otherwise)
	Body        string   // request schema name in components, "" for none
	Status      int      // success status
	Result      string   // response schema name, "" for no body
}

// apiSchema is a JSON Schema object in components.schemas.
type apiSchema = map[string]any

var openapi struct {
	mu      sync.Mutex
	ops     []apiOp
	schemas map[string]apiSchema
}

// registerAPI adds operations and the schemas they name.
func registerAPI(schemas map[string]apiSchema, ops ...apiOp) {
	openapi.mu.Lock()
	defer openapi.mu.Unlock()
	if openapi.schemas == nil {
		openapi.schemas = map[string]apiSchema{}
	}
	for k, v := range schemas {
		openapi.schemas[k] = v
	}
	openapi.ops = append(openapi.ops, ops...)
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// openAPIDocument builds the document.
func openAPIDocument(version string) map[string]any {
	openapi.mu.Lock()
	defer openapi.mu.Unlock()
	ops := append([]apiOp(nil), openapi.ops...)
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].Path < ops[j].Path })
	paths := map[string]any{}
	for _, op := range ops {
		item, _ := paths[op.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[op.Path] = item
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(op.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true,
				"schema": map[string]any{"type": "integer"}})
		}
		for _, q := range op.Query {
			params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
		}
		o := map[string]any{
			"summary":     op.Summary,
			"operationId": operationID(op),
			"tags":        []string{op.Tag},
		}
		desc := op.Description
		if op.Admin {
			desc = strings.TrimSpace("Administrators only. " + desc)
			o["x-ringdesk-admin"] = true
		}
		if op.Public {
			o["security"] = []any{}
		}
		if desc != "" {
			o["description"] = desc
		}
		if params != nil {
			o["parameters"] = params
		}
		if op.Body != "" {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": ref(op.Body)}}}
		}
		status := op.Status
		if status == 0 {
			status = http.StatusOK
		}
		ok := map[string]any{"description": http.StatusText(status)}
		if op.Result != "" {
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": ref(op.Result)}}
		}
		o["responses"] = map[string]any{
			itoa(status): ok,
			"default": map[string]any{"description": "Error", "content": map[string]any{
				"application/json": map[string]any{"schema": ref("Error")}}},
		}
		item[strings.ToLower(op.Method)] = o
	}
	schemas := map[string]any{"Error": apiSchema{
		"type": "object", "required": []string{"error"},
		"properties": map[string]any{"error": map[string]any{
			"type": "object", "required": []string{"code", "message"},
			"properties": map[string]any{
				"code":    map[string]any{"type": "string", "example": "invalid"},
				"message": map[string]any{"type": "string"},
				"fields":  map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}},
			}}}}}
	for k, v := range openapi.schemas {
		schemas[k] = v
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "Ringdesk API", "version": version,
			"description": "Authenticate with `Authorization: Bearer <token>` (create one on your profile page or with `ringdesk token create`; it may expire). A token opens this API only, never the HTML pages, and cannot create tokens. An expired token is refused with 401. This document (`/api/v1/openapi.json`) and its reference page (`/docs/api`) need no token."},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         schemas,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
		"security": []any{map[string]any{"bearer": []string{}}},
	}
}

func ref(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

func operationID(op apiOp) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(op.Method))
	for _, part := range strings.Split(strings.TrimPrefix(op.Path, "/api/v1/"), "/") {
		part = strings.Trim(part, "{}")
		for _, w := range strings.Split(part, "_") {
			if w != "" {
				b.WriteString(strings.ToUpper(w[:1]) + w[1:])
			}
		}
	}
	return b.String()
}

// apiRoutes lists "METHOD /path" for every routed /api/v1 operation.
func (s *Server) apiRoutes() []string {
	var out []string
	for _, p := range s.patterns {
		method, path, ok := strings.Cut(p, " ")
		if ok && strings.HasPrefix(path, "/api/v1/") {
			out = append(out, method+" "+path)
		}
	}
	return out
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, openAPIDocument(s.cfg.Version))
}

package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The API reference at GET /docs/api is the OpenAPI document of
// GET /api/v1/openapi.json put on a page: built from the document's JSON,
// so it says exactly what the document says. Both are public (they hold no
// secret); every API call stays authenticated.

// apiRefPage is the API reference as the template shows it.
type apiRefPage struct {
	Version string
	Intro   []textSpan
	Tags    []apiRefTag
	Schemas []apiRefSchema
}

// apiRefTag is one group of operations: Name is the document's tag
// (tickets), Title its heading (English; the template translates it).
type apiRefTag struct {
	Name, Title string
	Ops         []apiRefOp
}

// apiRefOp is one operation.
type apiRefOp struct {
	ID, Method, Path, Summary string
	PathParts                 []string // Path split at its slashes, where it may wrap
	Description               []textSpan
	Admin, Public             bool
	Params                    []apiRefField
	Body                      string        // the request schema's name, "" for none
	BodyFields                []apiRefField // its fields, shown with the operation
	Status                    string        // the success status, "201 Created"
	Result                    string        // the response schema's name, "" for no body
	ResultFields              []apiRefField // its fields, one click away
}

// apiRefSchema is one schema of components.schemas.
type apiRefSchema struct {
	Name        string
	Description []textSpan
	Fields      []apiRefField
}

// apiRefField is a parameter or a property: Type in words ("integer or
// null", "array of Ticket"), Ref the schema it names, if any.
type apiRefField struct {
	Name, In, Type, Ref string
	Required            bool
	Description         []textSpan
}

// textSpan is a piece of a description: `text in backticks` is code.
type textSpan struct {
	Text string
	Code bool
}

// spans splits a description at its backticks.
func spans(s string) []textSpan {
	var out []textSpan
	for i, part := range strings.Split(s, "`") {
		if part != "" {
			out = append(out, textSpan{Text: part, Code: i%2 == 1})
		}
	}
	return out
}

// apiTagOrder is the order of the reference's sections; tags not named
// here follow in alphabetical order.
var apiTagOrder = []string{"tickets", "clients", "calls", "agents", "groups", "channels", "meta"}

// apiTagTitles are the sections' headings; a tag without one is its own.
var apiTagTitles = map[string]string{"tickets": "Tickets", "clients": "Clients", "calls": "Calls", "agents": "Agents",
	"groups": "Groups", "channels": "Channels", "meta": "About the API"}

var apiMethodOrder = map[string]int{"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}

// apiReference builds the reference from the OpenAPI document as served.
func apiReference(docJSON []byte) (apiRefPage, error) {
	var doc map[string]any
	if err := json.Unmarshal(docJSON, &doc); err != nil {
		return apiRefPage{}, fmt.Errorf("web: api reference: %w", err)
	}
	info := obj(doc["info"])
	p := apiRefPage{Version: str(info["version"]), Intro: spans(str(info["description"]))}
	schemas := obj(obj(doc["components"])["schemas"])
	byTag := map[string][]apiRefOp{}
	for path, item := range obj(doc["paths"]) {
		for method, o := range obj(item) {
			op := apiRefOperation(strings.ToUpper(method), path, obj(o), schemas)
			tag := "other"
			if tags := list(obj(o)["tags"]); len(tags) > 0 {
				tag = str(tags[0])
			}
			byTag[tag] = append(byTag[tag], op)
		}
	}
	for _, name := range tagOrder(byTag) {
		ops := byTag[name]
		sort.Slice(ops, func(i, j int) bool {
			if ops[i].Path != ops[j].Path {
				return ops[i].Path < ops[j].Path
			}
			return apiMethodOrder[ops[i].Method] < apiMethodOrder[ops[j].Method]
		})
		title := apiTagTitles[name]
		if title == "" {
			title = name
		}
		p.Tags = append(p.Tags, apiRefTag{Name: name, Title: title, Ops: ops})
	}
	names := make([]string, 0, len(schemas))
	for name := range schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s := obj(schemas[name])
		p.Schemas = append(p.Schemas, apiRefSchema{Name: name, Description: spans(str(s["description"])), Fields: schemaFields("", s)})
	}
	return p, nil
}

// apiRefOperation reads one operation of the document; schemas are the
// document's, for the fields of the request and response.
func apiRefOperation(method, path string, o, schemas map[string]any) apiRefOp {
	op := apiRefOp{ID: str(o["operationId"]), Method: method, Path: path, PathParts: strings.Split(path, "/"), Summary: str(o["summary"]),
		Description: spans(str(o["description"])), Admin: o["x-ringdesk-admin"] == true}
	if op.Admin { // the page says so with a pill
		op.Description = spans(strings.TrimSpace(strings.TrimPrefix(str(o["description"]), "Administrators only.")))
	}
	if sec, ok := o["security"].([]any); ok && len(sec) == 0 {
		op.Public = true
	}
	for _, prm := range list(o["parameters"]) {
		m := obj(prm)
		f := propertyField(str(m["name"]), obj(m["schema"]))
		f.In, f.Required, f.Description = str(m["in"]), m["required"] == true, spans(str(m["description"]))
		op.Params = append(op.Params, f)
	}
	if body := jsonSchema(obj(o["requestBody"])); body != nil {
		op.Body = refName(body)
		op.BodyFields = schemaFields("", resolve(body, schemas))
	}
	for code, r := range obj(o["responses"]) {
		if code == "default" {
			continue
		}
		op.Status = code
		if n, err := strconv.Atoi(code); err == nil {
			op.Status += " " + http.StatusText(n)
		}
		if s := jsonSchema(obj(r)); s != nil {
			op.Result = refName(s)
			op.ResultFields = schemaFields("", resolve(s, schemas))
		}
	}
	return op
}

// schemaFields lists an object schema's properties, required ones first;
// an object inside (not a named schema) adds its own as name.field, an
// array of such objects as name[].field.
func schemaFields(prefix string, s map[string]any) []apiRefField {
	required := map[string]bool{}
	for _, r := range list(s["required"]) {
		required[str(r)] = true
	}
	props := obj(s["properties"])
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if required[names[i]] != required[names[j]] {
			return required[names[i]]
		}
		return names[i] < names[j]
	})
	var out []apiRefField
	for _, n := range names {
		ps := obj(props[n])
		f := propertyField(prefix+n, ps)
		f.Required = required[n]
		out = append(out, f)
		switch {
		case len(obj(ps["properties"])) > 0:
			out = append(out, schemaFields(prefix+n+".", ps)...)
		case len(obj(obj(ps["items"])["properties"])) > 0:
			out = append(out, schemaFields(prefix+n+"[].", obj(ps["items"]))...)
		}
	}
	return out
}

// propertyField describes one property or parameter schema.
func propertyField(name string, s map[string]any) apiRefField {
	f := apiRefField{Name: name, Ref: refName(s), Description: spans(str(s["description"]))}
	if f.Ref == "" {
		f.Ref = refName(obj(s["items"])) // array of a schema
	}
	f.Type = typeWords(s)
	return f
}

// typeWords says a schema's type: "integer or null", "array of Ticket",
// "string (date-time)", "string: one of a, b", "string, at most 250".
func typeWords(s map[string]any) string {
	if n := refName(s); n != "" {
		return n
	}
	t := str(s["type"])
	if t == "" {
		t = "any"
	}
	if t == "array" {
		t = "array of " + typeWords(obj(s["items"]))
		if n := num(s["maxItems"]); n > 0 {
			t += fmt.Sprintf(", at most %d", n)
		}
	}
	if f := str(s["format"]); f != "" {
		t += " (" + f + ")"
	}
	if n := num(s["maxLength"]); n > 0 {
		t += fmt.Sprintf(", at most %d characters", n)
	}
	if e := list(s["enum"]); len(e) > 0 {
		vals := make([]string, len(e))
		for i, v := range e {
			vals[i] = fmt.Sprint(v)
			if vals[i] == "" {
				vals[i] = `""`
			}
		}
		t += ": one of " + strings.Join(vals, ", ")
	}
	if s["nullable"] == true {
		t += " or null"
	}
	if s["writeOnly"] == true {
		t += ", write only"
	}
	if ex, ok := s["example"]; ok {
		t += fmt.Sprintf(", e.g. %v", ex)
	}
	return t
}

// jsonSchema returns the application/json schema of a request body or a
// response, nil when it has none.
func jsonSchema(m map[string]any) map[string]any {
	s := obj(obj(obj(m["content"])["application/json"])["schema"])
	if len(s) == 0 {
		return nil
	}
	return s
}

// resolve returns the schema s names by $ref, or s itself.
func resolve(s, schemas map[string]any) map[string]any {
	if n := refName(s); n != "" {
		return obj(schemas[n])
	}
	return s
}

// refName is the schema a $ref names, "" for none.
func refName(s map[string]any) string {
	return strings.TrimPrefix(str(s["$ref"]), "#/components/schemas/")
}

func tagOrder(byTag map[string][]apiRefOp) []string {
	var out []string
	for _, t := range apiTagOrder {
		if _, ok := byTag[t]; ok {
			out = append(out, t)
		}
	}
	var rest []string
	for t := range byTag {
		if !slices.Contains(apiTagOrder, t) {
			rest = append(rest, t)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// JSON as decoded into any: these read it without panicking on a shape
// the document does not have.
func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func list(v any) []any         { l, _ := v.([]any); return l }
func str(v any) string         { s, _ := v.(string); return s }
func num(v any) int            { f, _ := v.(float64); return int(f) }

// apiDocs serves the API reference to anyone; a logged-in agent gets the
// usual top bar.
func (s *Server) apiDocs(w http.ResponseWriter, r *http.Request) {
	if r2, err := s.authenticate(r); err == nil {
		r = r2
	}
	raw, err := json.Marshal(openAPIDocument(s.cfg.Version))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := apiReference(raw)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "api_reference", pageData{Title: "API reference", Nav: "api", Data: p})
}

func init() {
	addRU(map[string]string{
		"API reference":                                        "Справочник API",
		"OpenAPI document (JSON)":                              "Документ OpenAPI (JSON)",
		"Authentication":                                       "Аутентификация",
		"Create a token on your profile page":                  "Создайте токен на странице профиля",
		"(API tokens card), or with":                           "(карточка «API-токены») или командой",
		"The reference is in English, as the API's names are.": "Справочник — на английском, как и имена в API.",
		"Contents":            "Содержание",
		"Schemas":             "Схемы",
		"About the API":       "Об API",
		"administrators only": "только администраторы",
		"no token needed":     "токен не нужен",
		"Parameters":          "Параметры",
		"Request body":        "Тело запроса",
		"Response":            "Ответ",
		"Response fields":     "Поля ответа",
		"in the path":         "в пути",
		"in the query":        "в строке запроса",
		"required":            "обязательно",
		"A JSON object; its fields are not listed.": "Объект JSON; его поля не перечислены.",
		"Read the API reference":                    "Открыть справочник API",
	})
	addRUPlurals(map[string][3]string{
		"%d operations": {"%d операция", "%d операции", "%d операций"},
	})
}

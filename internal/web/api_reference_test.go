package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/web"
)

// publicRoutes are the routes anyone may call without logging in. Adding
// one is a decision: TestRoutesNeedLogin fails for a route that answers a
// stranger without being listed here.
var publicRoutes = []string{
	"GET /healthz", "GET /readyz", "GET /static/{name}",
	"GET /metrics",                                                    // off (404) unless --metrics-token is set, then authorised by that bearer token
	"/telephony/uis/webhook/{kind}", "/telephony/uis/webhook/{kind}/", // authorised by the channel token in the body
	"GET /login", "POST /login",
	"GET /api/v1/openapi.json", "GET /docs/api", // the API's description holds no secret
	"/", // the not-found page
}

// TestRoutesNeedLogin: every route but publicRoutes sends a stranger to
// the login page (pages) or answers 401 (the API, and forms posted).
func TestRoutesNeedLogin(t *testing.T) {
	t.Parallel()
	patterns, err := web.RoutePatterns()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range publicRoutes {
		if !slices.Contains(patterns, p) {
			t.Errorf("public route %q is not routed", p)
		}
	}
	a := apptest.New(t)
	anon := a.Anon(t)
	wild := regexp.MustCompile(`\{[a-z_]+\}`)
	for _, p := range patterns {
		if slices.Contains(publicRoutes, p) {
			continue
		}
		method, path, ok := strings.Cut(p, " ")
		if !ok {
			method, path = "GET", p
		}
		path = wild.ReplaceAllString(strings.ReplaceAll(path, "{$}", ""), "1")
		res := anon.Do(t, method, path, strings.NewReader(""), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
		switch {
		case strings.HasPrefix(path, "/api/"):
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s without a token: %d, want 401", method, path, res.StatusCode)
			}
		case method == "POST":
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s without a session: %d, want 401", method, path, res.StatusCode)
			}
		case res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login"):
			t.Errorf("%s %s without a session: %d to %q, want the login page", method, path, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

// TestAPIReference: the API reference and the OpenAPI document are
// readable without logging in, list every operation with its parameters
// and fields, and the profile's tokens card links the reference; the API
// itself still wants a token.
func TestAPIReference(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	anon := a.Anon(t)
	doc := anon.Get(t, "/api/v1/openapi.json")
	if doc.StatusCode != 200 || !strings.Contains(doc.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json without login: %d %s", doc.StatusCode, doc.Header.Get("Content-Type"))
	}
	var parsed struct {
		Paths map[string]map[string]struct {
			Security *[]any `json:"security"`
		} `json:"paths"`
	}
	if err := json.Unmarshal([]byte(doc.Body), &parsed); err != nil {
		t.Fatal(err)
	}
	if s := parsed.Paths["/api/v1/openapi.json"]["get"].Security; s == nil || len(*s) != 0 {
		t.Errorf("the document does not say it needs no token")
	}
	if res := anon.Get(t, "/api/v1/me"); res.StatusCode != 401 {
		t.Errorf("the API without a token: %d", res.StatusCode)
	}

	page := anon.Get(t, "/docs/api")
	if page.StatusCode != 200 {
		t.Fatalf("/docs/api without login: %d", page.StatusCode)
	}
	body := strings.ReplaceAll(html.UnescapeString(page.Body), "<wbr>", "") // paths may wrap after a slash
	ops := 0
	for path, item := range parsed.Paths {
		for method := range item {
			ops++
			want := `<span class="api-method m-` + strings.ToUpper(method) + `">` + strings.ToUpper(method) + `</span> <code class="api-path">` + path + `</code>`
			if !strings.Contains(body, want) {
				t.Errorf("the reference lacks %s %s", strings.ToUpper(method), path)
			}
		}
	}
	if got := strings.Count(body, `<article class="card api-op"`); got != ops || ops < 40 {
		t.Errorf("%d operations on the page, %d in the document", got, ops)
	}
	for _, want := range []string{
		"<h1>API reference</h1>", `href="/api/v1/openapi.json"`, `href="/login?next=%2Fdocs%2Fapi"`,
		"<code>Authorization: Bearer &lt;token&gt;</code>", // backticks of the description as code
		`<a href="#tag-tickets">Tickets</a> <span class="muted">11 operations</span>`,
		`id="getTicketsId"`, "Update a ticket; every change is an audit entry",
		`<h4>Request body: <a href="#schema-TicketPatch">TicketPatch</a></h4>`,
		`<code>assignee_id</code> <span class="api-type">integer or null</span>`, "null unassigns.",
		`<code>id</code> <span class="api-type">integer</span> <span class="muted">· in the path</span> <span class="pill">required</span>`,
		`<code>view</code> <span class="api-type">string</span> <span class="muted">· in the query</span>`,
		`<h4>Response: 201 Created · <a href="#schema-Ticket">Ticket</a></h4>`,
		`<code>tickets</code> <span class="api-type"><a href="#schema-Ticket">array of Ticket</a></span>`,
		`<code>error.code</code>`, `<code>failed[].message</code>`,
		`<span class="pill">administrators only</span>`, `<span class="pill ok">no token needed</span>`,
		`<article class="card api-schema" id="schema-Ticket">`,
	} {
		if !strings.Contains(page.Body, want) && !strings.Contains(body, want) {
			t.Errorf("the reference lacks %s", want)
		}
	}
	// Required fields come first, then the rest by name.
	in := between(body, `id="schema-TicketIn"`, "</article>")
	if i, j, k := strings.Index(in, "<code>client_id</code>"), strings.Index(in, "<code>subject</code>"), strings.Index(in, "<code>assignee_id</code>"); i < 0 || i > j || j > k {
		t.Errorf("TicketIn's fields are not required first: %s", in)
	}

	// In Russian, the page's own words; a logged-in agent gets the top bar
	// and finds the reference from the tokens card.
	ru := a.CreateAgent(t, ringdesk.AgentCreate{Email: "ru-api@example.com", Role: ringdesk.RoleAgent, Lang: "ru"})
	c := a.Login(t, ru.Email, "agent-password-1")
	prof := c.Get(t, "/profile")
	if !strings.Contains(prof.Body, `<a href="/docs/api" id="api-docs-link">Открыть справочник API</a>`) {
		t.Errorf("the tokens card does not link the reference: %.3000s", between(prof.Body, `id="tokens"`, "</section>"))
	}
	page = c.Get(t, "/docs/api")
	for _, want := range []string{"<h1>Справочник API</h1>", "11 операций", "Тело запроса", "Справочник — на английском", `class="topbar"`, `href="/profile#tokens"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the Russian reference lacks %q", want)
		}
	}
	if strings.Contains(page.Body, "/login?next=") {
		t.Errorf("a logged-in agent is offered to log in")
	}
	// An API token on a page is no login, and no error either.
	tok := a.TokenClient(t, ru)
	if res := tok.Get(t, "/docs/api"); res.StatusCode != 200 || strings.Contains(res.Body, `class="topbar"`) {
		t.Errorf("/docs/api with a token: %d", res.StatusCode)
	}
}

package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/app"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// scenario is one HTTP exchange and what must (and must not) come back.
type scenario struct {
	name       string
	as         string // "", "agent", "admin", "token", "admintoken"
	method     string
	path       string
	form       url.Values
	json       any
	header     http.Header
	wantStatus int
	wantIn     []string
	wantNotIn  []string
	wantHeader map[string]string
}

func runScenarios(t *testing.T, a *apptest.App, clients map[string]*apptest.Client, scs []scenario) {
	t.Helper()
	for _, sc := range scs {
		t.Run(sc.name, func(t *testing.T) {
			c := clients[sc.as]
			if c == nil {
				c = a.Anon(t)
			}
			var res *apptest.Response
			switch {
			case sc.form != nil:
				res = c.PostForm(t, sc.path, sc.form)
			case sc.json != nil:
				res = c.JSON(t, sc.method, sc.path, sc.json)
			default:
				res = c.Do(t, sc.method, sc.path, nil, sc.header)
			}
			if res.StatusCode != sc.wantStatus {
				t.Fatalf("%s %s: status = %d, want %d; body: %.400s", sc.method, sc.path, res.StatusCode, sc.wantStatus, res.Body)
			}
			for _, s := range sc.wantIn {
				if !strings.Contains(res.Body, s) {
					t.Errorf("body lacks %q: %.600s", s, res.Body)
				}
			}
			for _, s := range sc.wantNotIn {
				if strings.Contains(res.Body, s) {
					t.Errorf("body has %q", s)
				}
			}
			for k, v := range sc.wantHeader {
				if got := res.Header.Get(k); !strings.Contains(got, v) {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestAccessControl(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Email: "agent@example.com", Name: "Plain Agent", Role: ringdesk.RoleAgent})
	admin, _, err := a.DB.AgentCredentials(t.Context(), apptest.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	clients := map[string]*apptest.Client{
		"agent":      a.Login(t, "agent@example.com", "agent-password-1"),
		"admin":      a.Admin(t),
		"token":      a.TokenClient(t, agent),
		"admintoken": a.TokenClient(t, admin),
	}
	runScenarios(t, a, clients, []scenario{
		{name: "healthz needs no login", method: "GET", path: "/healthz", wantStatus: 200, wantIn: []string{`"ok"`}},
		{name: "readyz needs no login", method: "GET", path: "/readyz", wantStatus: 200},
		{name: "login page", method: "GET", path: "/login", wantStatus: 200, wantIn: []string{`name="password"`}},
		{name: "anon page redirects to login", method: "GET", path: "/profile", wantStatus: 303, wantHeader: map[string]string{"Location": "/login?next=%2Fprofile"}},
		{name: "anon api is 401 json", method: "GET", path: "/api/v1/me", wantStatus: 401, wantIn: []string{`"code":"unauthorized"`}, wantHeader: map[string]string{"Content-Type": "application/json"}},
		{name: "bad bearer", method: "GET", path: "/api/v1/me", header: http.Header{"Authorization": {"Bearer rdt_nope"}}, wantStatus: 401, wantIn: []string{"invalid or revoked"}},
		{name: "malformed authorization", method: "GET", path: "/api/v1/me", header: http.Header{"Authorization": {"Basic abc"}}, wantStatus: 401, wantIn: []string{"Bearer"}},
		{name: "token me", as: "token", method: "GET", path: "/api/v1/me", wantStatus: 200, wantIn: []string{`"email":"agent@example.com"`, `"role":"agent"`}, wantNotIn: []string{"password"}},
		{name: "session me", as: "agent", method: "GET", path: "/api/v1/me", wantStatus: 200, wantIn: []string{`"name":"Plain Agent"`}},
		{name: "agent profile", as: "agent", method: "GET", path: "/profile", wantStatus: 200, wantIn: []string{"Plain Agent", "API tokens"}},
		{name: "agent cannot open agents page", as: "agent", method: "GET", path: "/agents", wantStatus: 403},
		{name: "agent cannot open new agent page", as: "agent", method: "GET", path: "/agents/new", wantStatus: 403},
		{name: "agent cannot create agents by form", as: "agent", method: "POST", path: "/agents", form: url.Values{"name": {"X"}, "email": {"x@example.com"}, "password": {"password-123"}}, wantStatus: 403},
		{name: "agent token cannot create agents", as: "token", method: "POST", path: "/api/v1/agents", json: map[string]any{"name": "X", "email": "x@example.com", "password": "password-123"}, wantStatus: 403, wantIn: []string{`"code":"forbidden"`}},
		{name: "admin sees agents", as: "admin", method: "GET", path: "/agents", wantStatus: 200, wantIn: []string{"Plain Agent", "agent@example.com"}},
		{name: "admin token lists agents", as: "admintoken", method: "GET", path: "/api/v1/agents", wantStatus: 200, wantIn: []string{"agent@example.com"}},
		{name: "unknown api path is json 404", as: "token", method: "GET", path: "/api/v1/nothing", wantStatus: 404, wantIn: []string{`"code":"not_found"`}},
		{name: "unknown page 404", as: "agent", method: "GET", path: "/no/such/page", wantStatus: 404},
		{name: "agent page for missing id", as: "admin", method: "GET", path: fmt.Sprintf("/agents/%d", 99999), wantStatus: 404},
		{name: "static asset is public and cached", method: "GET", path: assetPath(t, a, "app.css"), wantStatus: 200, wantHeader: map[string]string{"Cache-Control": "immutable", "Content-Type": "text/css"}},
	})
}

func assetPath(t *testing.T, a *apptest.App, name string) string {
	t.Helper()
	body := a.Anon(t).Get(t, "/login").Body
	i := strings.Index(body, "/static/app.")
	if i < 0 {
		t.Fatal("login page links no asset")
	}
	end := strings.Index(body[i:], `"`)
	return body[i : i+end]
}

func TestLoginLogout(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	c := a.Anon(t)
	res := c.PostForm(t, "/login", url.Values{"email": {"ADMIN@Example.com "}, "password": {apptest.AdminPassword}, "next": {"/agents"}})
	if res.StatusCode != 303 || res.Header.Get("Location") != "/agents" {
		t.Fatalf("login: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	ck := res.Header.Get("Set-Cookie")
	for _, want := range []string{"ringdesk_session=rds_", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(ck, want) {
			t.Errorf("cookie %q lacks %q", ck, want)
		}
	}
	if strings.Contains(ck, "Secure") {
		t.Errorf("cookie is Secure on an http base URL: %q", ck)
	}
	if res := c.Get(t, "/agents"); res.StatusCode != 200 {
		t.Fatalf("after login: %d", res.StatusCode)
	}
	if res := c.PostForm(t, "/logout", url.Values{}); res.StatusCode != 303 {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if res := c.Get(t, "/agents"); res.StatusCode != 303 {
		t.Fatalf("after logout: %d, want redirect to login", res.StatusCode)
	}

	// An open redirect through next= is refused.
	res = a.Anon(t).PostForm(t, "/login", url.Values{"email": {apptest.AdminEmail}, "password": {apptest.AdminPassword}, "next": {"//evil.example/x"}})
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("next=//evil: Location %q, want /", loc)
	}
	// Wrong password re-renders the form with 401 and the email kept.
	res = a.Anon(t).PostForm(t, "/login", url.Values{"email": {apptest.AdminEmail}, "password": {"wrong-password"}})
	if res.StatusCode != 401 || !strings.Contains(res.Body, "Wrong email or password.") || !strings.Contains(res.Body, apptest.AdminEmail) {
		t.Errorf("wrong password: %d %.300s", res.StatusCode, res.Body)
	}
}

func TestSecureCookieOnHTTPS(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, func(c *app.Config, _ *app.Options) { c.BaseURL = "https://desk.example.com" })
	res := a.Anon(t).PostForm(t, "/login", url.Values{"email": {apptest.AdminEmail}, "password": {apptest.AdminPassword}})
	if !strings.Contains(res.Header.Get("Set-Cookie"), "Secure") {
		t.Errorf("cookie %q is not Secure with an https base URL", res.Header.Get("Set-Cookie"))
	}
}

func TestLoginThrottling(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	a.CreateAgent(t, ringdesk.AgentCreate{Email: "victim@example.com", Role: ringdesk.RoleAgent})
	try := func(email, pw, ip string) *apptest.Response {
		c := a.Anon(t)
		return c.Do(t, "POST", "/login", strings.NewReader(url.Values{"email": {email}, "password": {pw}}.Encode()),
			http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Forwarded-For": {ip}})
	}
	// Per account and IP: ten failures lock the account on that IP only,
	// even for the right password.
	for i := 0; i < 10; i++ {
		if res := try("victim@example.com", "wrong-password", "10.0.0.1"); res.StatusCode != 401 {
			t.Fatalf("failure %d: status %d", i, res.StatusCode)
		}
	}
	res := try("victim@example.com", "agent-password-1", "10.0.0.1")
	if res.StatusCode != 429 || !strings.Contains(res.Body, "Too many failed logins") || res.Header.Get("Retry-After") == "" {
		t.Fatalf("11th try: %d %.300s", res.StatusCode, res.Body)
	}
	// The same account from another IP, and another account from the same
	// IP, still log in: nobody can lock a colleague out.
	if res := try("victim@example.com", "agent-password-1", "10.0.0.2"); res.StatusCode != 303 {
		t.Fatalf("the account from another IP: %d, want login", res.StatusCode)
	}
	if res := try(apptest.AdminEmail, apptest.AdminPassword, "10.0.0.1"); res.StatusCode != 303 {
		t.Fatalf("another account from the IP: %d, want login", res.StatusCode)
	}
	// Per account from anywhere: 50 failures from 50 IPs lock the account.
	for i := 0; i < 50; i++ {
		try(apptest.AdminEmail, "wrong-password", fmt.Sprintf("10.1.0.%d", i))
	}
	if res := try(apptest.AdminEmail, apptest.AdminPassword, "10.1.1.1"); res.StatusCode != 429 {
		t.Fatalf("account after 50 failures from many IPs: %d, want 429", res.StatusCode)
	}
	// Per IP: 50 failures on different accounts from one IP block that IP.
	for i := 0; i < 50; i++ {
		try(fmt.Sprintf("nobody%d@example.com", i), "wrong-password", "10.9.9.9")
	}
	if res := try("victim@example.com", "agent-password-1", "10.9.9.9"); res.StatusCode != 429 {
		t.Fatalf("blocked IP: %d, want 429", res.StatusCode)
	}
	// The window passing lifts the block.
	a.Desk.SetClock(func() time.Time { return time.Now().Add(16 * time.Minute) })
	if res := try("victim@example.com", "agent-password-1", "10.0.1.1"); res.StatusCode != 303 {
		t.Fatalf("after the window: %d, want login", res.StatusCode)
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	c := a.Admin(t)
	form := url.Values{"name": {"Evil"}, "email": {"evil@example.com"}, "role": {"admin"}, "password": {"password-123"}}.Encode()
	for _, h := range []http.Header{
		{"Sec-Fetch-Site": {"cross-site"}},
		{"Origin": {"http://evil.example"}},
	} {
		h.Set("Content-Type", "application/x-www-form-urlencoded")
		res := c.Do(t, "POST", "/agents", strings.NewReader(form), h)
		if res.StatusCode != 403 {
			t.Errorf("cross-origin POST with %v: %d, want 403", h, res.StatusCode)
		}
	}
	if _, _, err := a.DB.AgentCredentials(t.Context(), "evil@example.com"); err == nil {
		t.Fatal("a cross-origin POST created an agent")
	}
	// The same request from the same origin works.
	res := c.PostForm(t, "/agents", url.Values{"name": {"Good"}, "email": {"good@example.com"}, "role": {"agent"}, "password": {"password-123"}})
	if res.StatusCode != 303 {
		t.Fatalf("same-origin POST: %d %.300s", res.StatusCode, res.Body)
	}
}

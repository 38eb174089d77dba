// Package apptest runs a whole Ringdesk (store, desk, HTTP server) on
// 127.0.0.1 for tests, on SQLite or, when RINGDESK_TEST_POSTGRES is set,
// on a fresh PostgreSQL schema, and gives tests HTTP clients that log in
// like a browser or call the API with a token.
package apptest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/auth"
	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// AdminEmail and AdminPassword are the first admin of every test app.
const (
	AdminEmail    = "admin@example.com"
	AdminPassword = "admin-password-1"
)

// App is a running test instance.
type App struct {
	*app.App
	URL    string
	cancel context.CancelFunc
	done   chan error
}

// Option changes the configuration before start.
type Option func(*app.Config, *app.Options)

// New starts Ringdesk on a random port and stops it when the test ends.
func New(tb testing.TB, opts ...Option) *App {
	tb.Helper()
	return NewLogged(tb, nil, opts...)
}

// NewLogged is New with the app's log (warnings and errors, as text) also
// written to w, for tests that check what is logged.
func NewLogged(tb testing.TB, w io.Writer, opts ...Option) *App {
	tb.Helper()
	cfg := app.Config{}
	dataDir := tb.TempDir()
	if err := cfg.ParseFlags(newFlagSet(), []string{"--addr", "127.0.0.1:0", "--data", dataDir, "--lang", "en",
		"--trusted-proxies", "127.0.0.0/8"}, func(string) string { return "" }); err != nil {
		tb.Fatal(err)
	}
	cfg.DB = storetest.DSN(tb)
	cfg.AdminEmail, cfg.AdminPassword = AdminEmail, AdminPassword
	// Tests run reconciliation passes themselves (Desk.ReconcileChannel).
	cfg.ReconcileEvery = 0
	o := app.Options{Desk: desk.DefaultConfig(), Version: "test"}
	o.Desk.PasswordCost = auth.MinCost
	for _, opt := range opts {
		opt(&cfg, &o)
	}
	if cfg.DB == "" && cfg.DataDir == dataDir {
		// A copy of a migrated database instead of migrating again (an
		// option that points at another app's data dir keeps that one).
		storetest.SeedDataDir(tb, dataDir)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out io.Writer = testWriter{tb}
	if w != nil {
		out = io.MultiWriter(out, w)
	}
	log := app.NewLogger(out, "text", "warn")
	a, err := app.New(ctx, cfg, log, o)
	if err != nil {
		cancel()
		tb.Fatalf("apptest: start: %v", err)
	}
	if err := a.Listen(); err != nil {
		cancel()
		tb.Fatal(err)
	}
	ta := &App{App: a, URL: "http://" + a.Addr(), cancel: cancel, done: make(chan error, 1)}
	go func() { ta.done <- a.Run(ctx) }()
	tb.Cleanup(ta.Stop)
	return ta
}

// Stop shuts the app down and waits for it; safe to call twice.
func (a *App) Stop() {
	if a.cancel == nil {
		return
	}
	a.cancel()
	a.cancel = nil
	select {
	case <-a.done:
	case <-time.After(15 * time.Second):
	}
	a.Close()
}

// testWriter sends log lines to the test log.
type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Client is an HTTP client bound to the app, with a cookie jar, that does
// not follow redirects (tests assert them).
type Client struct {
	*http.Client
	app   *App
	Token string
	tb    testing.TB
}

// Anon returns a client that is not logged in.
func (a *App) Anon(tb testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{app: a, tb: tb, Client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Login returns a client logged in through the login form.
func (a *App) Login(tb testing.TB, email, password string) *Client {
	tb.Helper()
	c := a.Anon(tb)
	res := c.PostForm(tb, "/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		tb.Fatalf("apptest: login %s: status %d: %s", email, res.StatusCode, res.Body)
	}
	return c
}

// Admin returns a client logged in as the first admin.
func (a *App) Admin(tb testing.TB) *Client { return a.Login(tb, AdminEmail, AdminPassword) }

// CreateAgent creates an agent through the desk and returns it.
func (a *App) CreateAgent(tb testing.TB, c ringdesk.AgentCreate) *ringdesk.Agent {
	tb.Helper()
	if c.Name == "" {
		c.Name = "Agent " + c.Email
	}
	if c.Password == "" {
		c.Password = "agent-password-1"
	}
	ag, err := a.Desk.CreateAgent(context.Background(), ringdesk.System, c)
	if err != nil {
		tb.Fatalf("apptest: create agent: %v", err)
	}
	return ag
}

// TokenClient returns a client that sends a fresh API token of agent.
func (a *App) TokenClient(tb testing.TB, agent *ringdesk.Agent) *Client {
	tb.Helper()
	secret, _, err := a.Desk.CreateAPIToken(context.Background(), agent, "test", nil)
	if err != nil {
		tb.Fatal(err)
	}
	c := a.Anon(tb)
	c.Token = secret
	return c
}

// Response is a read response.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       string
}

// JSON decodes the body into v.
func (r *Response) JSON(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		tb.Fatalf("apptest: decode %q: %v", r.Body, err)
	}
}

// Do sends a request with an optional body and headers.
func (c *Client) Do(tb testing.TB, method, path string, body io.Reader, header http.Header) *Response {
	tb.Helper()
	req, err := http.NewRequest(method, c.app.URL+path, body)
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if c.Token != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := c.Client.Do(req)
	if err != nil {
		tb.Fatalf("apptest: %s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &Response{StatusCode: res.StatusCode, Header: res.Header, Body: string(b)}
}

// Get fetches path.
func (c *Client) Get(tb testing.TB, path string) *Response {
	tb.Helper()
	return c.Do(tb, http.MethodGet, path, nil, nil)
}

// PostForm posts a form like a browser on the same site would.
func (c *Client) PostForm(tb testing.TB, path string, form url.Values) *Response {
	tb.Helper()
	return c.Do(tb, http.MethodPost, path, strings.NewReader(form.Encode()), http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"same-origin"}})
}

// JSON sends v as a JSON body.
func (c *Client) JSON(tb testing.TB, method, path string, v any) *Response {
	tb.Helper()
	var body io.Reader
	switch b := v.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	default:
		raw, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		body = strings.NewReader(string(raw))
	}
	return c.Do(tb, method, path, body, http.Header{"Content-Type": {"application/json"}})
}

package web_test

import (
	"bytes"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
	"github.com/ringdesk/ringdesk/internal/web"
)

// tcpProxy forwards TCP connections to a target until it is cut: then it
// closes every connection it carries and its port refuses new ones, as a
// database host that went away; Restore opens the same port again.
type tcpProxy struct {
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	p := &tcpProxy{target: target, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.Cut)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns[c], p.conns[up] = true, true
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

// Cut drops every connection and closes the port.
func (p *tcpProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// Restore opens the port again.
func (p *tcpProxy) Restore(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("reopen %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// syncBuffer is a log sink several goroutines write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// driverWords are bits of driver and network errors that must never reach
// a client: they name hosts, users and databases.
var driverWords = []string{"failed to connect", "127.0.0.1", "connection refused", "EOF", "sql:", "dial", "user=",
	"database=", "database is closed", "conn closed", "SQLSTATE", "shutting down", "store:"}

// TestDatabaseOutage: while the database cannot be reached, the login form,
// the API and the webhook answer 503 with Retry-After and a body that says
// the database is unavailable and nothing from the driver; the log says so
// once and then counts, and says when it is back. On PostgreSQL the
// database goes away under open connections (a proxy cuts them) and comes
// back; on SQLite the store is closed.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	var proxy *tcpProxy
	opts := []apptest.Option{func(_ *app.Config, o *app.Options) {
		o.Outage = web.OutageTimings{CheckEvery: 50 * time.Millisecond, SummaryEvery: 300 * time.Millisecond}
	}}
	postgres := storetest.Dialect() == "postgres"
	if postgres {
		u, err := url.Parse(storetest.DSN(t))
		if err != nil {
			t.Fatal(err)
		}
		proxy = newTCPProxy(t, u.Host)
		u.Host = proxy.addr
		opts = append(opts, func(c *app.Config, _ *app.Options) { c.DB = u.String() })
	}
	a := apptest.NewLogged(t, &logs, opts...)
	tel := apptest.NewTelephony(t, a)
	api := a.TokenClient(t, a.CreateAgent(t, ringdesk.AgentCreate{Email: "api@example.com", Role: ringdesk.RoleAgent}))
	body := seedBody(tel.Token, uissim.EventIncomingCallStarted, "990001")
	if res := api.Get(t, "/api/v1/tickets"); res.StatusCode != 200 {
		t.Fatalf("before the outage: %d", res.StatusCode)
	}

	if postgres {
		proxy.Cut()
	} else {
		a.DB.Close()
	}
	requests := 0
	for round := range 3 {
		for _, c := range []struct {
			name string
			res  *apptest.Response
			want string
		}{
			{"login", a.Anon(t).PostForm(t, "/login", url.Values{"email": {apptest.AdminEmail}, "password": {apptest.AdminPassword}}), "The database is unavailable"},
			{"api", api.Get(t, "/api/v1/tickets"), `"code":"unavailable","message":"The database is unavailable`},
			{"webhook", a.Anon(t).Do(t, "POST", "/telephony/uis/webhook/incoming_call_started/", strings.NewReader(body), nil), `"code":"unavailable","message":"The database is unavailable`},
			{"readyz", a.Anon(t).Get(t, "/readyz"), `"reason":"database"`},
		} {
			if c.name != "readyz" {
				requests++
			}
			if c.res.StatusCode != 503 || c.res.Header.Get("Retry-After") == "" || !strings.Contains(c.res.Body, c.want) {
				t.Errorf("round %d, %s: %d (Retry-After %q) %.500s; want 503 with Retry-After saying %q",
					round, c.name, c.res.StatusCode, c.res.Header.Get("Retry-After"), c.res.Body, c.want)
			}
			for _, w := range driverWords {
				if strings.Contains(c.res.Body, w) {
					t.Errorf("round %d, %s: the answer shows %q: %.500s", round, c.name, w, c.res.Body)
				}
			}
		}
	}
	// Russian readers are told in Russian.
	if res := a.Anon(t).Do(t, "POST", "/login?lang=ru", strings.NewReader(url.Values{"email": {"x@example.com"}, "password": {"y"}}.Encode()),
		map[string][]string{"Content-Type": {"application/x-www-form-urlencoded"}}); !strings.Contains(res.Body, "База данных недоступна") {
		t.Errorf("login page in Russian: %d %.500s", res.StatusCode, res.Body)
	}
	requests++
	time.Sleep(400 * time.Millisecond) // a summary is due while it lasts
	log := logs.String()
	if n := strings.Count(log, "level=ERROR"); n != 1 || !strings.Contains(log, `msg="database unavailable`) {
		t.Errorf("%d ERROR lines during the outage, want 1 saying the database is unavailable:\n%s", n, log)
	}
	if !strings.Contains(log, `msg="database still unavailable"`) {
		t.Errorf("no summary while the outage lasts:\n%s", log)
	}
	if strings.Contains(log, "not ready") {
		t.Errorf("readiness probes logged one by one:\n%s", log)
	}
	if !postgres {
		return
	}

	// The database comes back: requests work again and the log says how
	// many failed.
	proxy.Restore(t)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), `msg="database available again"`) {
		if time.Now().After(deadline) {
			t.Fatalf("the recovery was not logged:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if res := api.Get(t, "/api/v1/tickets"); res.StatusCode != 200 {
		t.Fatalf("after the outage: %d %s", res.StatusCode, res.Body)
	}
	if res := a.Anon(t).Do(t, "POST", "/telephony/uis/webhook/incoming_call_started/", strings.NewReader(body), nil); res.StatusCode != 200 {
		t.Fatalf("webhook after the outage: %d %s", res.StatusCode, res.Body)
	}
	log = logs.String()
	if !strings.Contains(log, "failed_requests="+itoa(int64(requests))) || !strings.Contains(log, "failed_probes=3") {
		t.Errorf("the recovery line does not count %d failed requests and 3 probes:\n%s", requests, log)
	}
}

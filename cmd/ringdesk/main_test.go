package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// env returns a getenv over a map.
func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func runCmd(t *testing.T, getenv func(string) string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb, getenv)
	return out.String() + errb.String(), err
}

func TestBadConfigStopsWithOneLine(t *testing.T) {
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--nope"}, nil, "flag provided but not defined: -nope"},
		{[]string{"--lang", "de"}, nil, `invalid --lang "de"`},
		{[]string{"--addr", "8080"}, nil, `invalid --addr "8080"`},
		{[]string{"--log-format", "xml"}, nil, `invalid --log-format "xml"`},
		{[]string{"--db", "mysql://x"}, nil, "invalid --db"},
		{[]string{"--base-url", "ftp://x"}, nil, `invalid --base-url "ftp://x"`},
		{[]string{"--trusted-proxies", "10.0.0.0/99"}, nil, "invalid --trusted-proxies"},
		{[]string{"--reconcile-every", "often"}, nil, `invalid --reconcile-every "often"`},
		{nil, map[string]string{"RINGDESK_RECONCILE_EVERY": "10s"}, `invalid --reconcile-every "10s"`},
		{nil, map[string]string{"RINGDESK_LANG": "fr"}, `invalid --lang "fr"`},
		{nil, map[string]string{"RINGDESK_DB_FILE": "/no/such/file"}, "invalid RINGDESK_DB_FILE"},
		{[]string{"frobnicate"}, nil, `unknown command "frobnicate"`},
	}
	for _, c := range cases {
		_, err := runCmd(t, env(c.env), c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v %v: err = %v, want one line containing %q", c.args, c.env, err, c.want)
		}
	}
}

func TestVersion(t *testing.T) {
	out, err := runCmd(t, env(nil), "version")
	if err != nil || !strings.HasPrefix(out, "ringdesk ") {
		t.Fatalf("version: %q %v", out, err)
	}
}

func TestUserAndTokenCommands(t *testing.T) {
	dsn := storetest.DSN(t)
	common := []string{"--data", t.TempDir(), "--db", dsn}
	e := env(nil)
	if _, err := runCmd(t, e, append([]string{"migrate"}, common...)...); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	out, err := runCmd(t, e, append([]string{"user", "create", "--email", "Boss@Example.com", "--role", "admin", "--operator-id", "12"}, common...)...)
	if err != nil || !strings.Contains(out, "created admin boss@example.com") || !regexp.MustCompile(`password: \S{20}`).MatchString(out) {
		t.Fatalf("user create: %q %v", out, err)
	}
	if _, err := runCmd(t, e, append([]string{"user", "create", "--email", "boss@example.com"}, common...)...); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("duplicate user create: %v", err)
	}
	if _, err := runCmd(t, e, append([]string{"user", "create", "--email", "x@example.com", "--password", strings.Repeat("x", 73)}, common...)...); err == nil || !strings.Contains(err.Error(), "72 bytes") {
		t.Errorf("long password: %v", err)
	}
	out, err = runCmd(t, e, append([]string{"user", "passwd", "--email", "boss@example.com", "--password", "another-pass-1"}, common...)...)
	if err != nil || !strings.Contains(out, "password changed") {
		t.Fatalf("passwd: %q %v", out, err)
	}
	out, err = runCmd(t, e, append([]string{"user", "list"}, common...)...)
	if err != nil || !strings.Contains(out, "boss@example.com") || !strings.Contains(out, "12") {
		t.Fatalf("list: %q %v", out, err)
	}
	out, err = runCmd(t, e, append([]string{"token", "create", "--email", "boss@example.com", "--name", "ci"}, common...)...)
	if err != nil || !regexp.MustCompile(`^rdt_[a-z2-7]{52}\n$`).MatchString(out) {
		t.Fatalf("token create: %q %v", out, err)
	}
	if _, err := runCmd(t, e, append([]string{"token", "create", "--email", "ghost@example.com"}, common...)...); err == nil {
		t.Error("token for unknown agent succeeded")
	}
	// --expires: the token stops working then; the command says when.
	before := time.Now()
	out, err = runCmd(t, e, append([]string{"token", "create", "--email", "boss@example.com", "--name", "short", "--expires", "30d"}, common...)...)
	if err != nil || !regexp.MustCompile(`^rdt_[a-z2-7]{52}\nThe token expires at \S+\.\n$`).MatchString(out) {
		t.Fatalf("token create --expires 30d: %q %v", out, err)
	}
	for _, bad := range []string{"30", "-1d", "forever", "99999d"} {
		if out, err := runCmd(t, e, append([]string{"token", "create", "--email", "boss@example.com", "--expires", bad}, common...)...); err == nil || !strings.Contains(err.Error(), "Expiry must be") {
			t.Errorf("--expires %s: %q %v", bad, out, err)
		}
	}
	db, err := store.Open(context.Background(), store.Options{DSN: dsn, DataDir: common[1]})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	boss, _, _ := db.AgentCredentials(context.Background(), "boss@example.com")
	toks, err := db.ListAPITokens(context.Background(), boss.ID)
	if err != nil || len(toks) != 2 {
		t.Fatalf("tokens = %v, %v", toks, err)
	}
	if toks[0].Name != "short" || toks[0].ExpiresAt == nil || toks[0].ExpiresAt.Sub(before) < 30*24*time.Hour-time.Minute || toks[0].ExpiresAt.Sub(before) > 30*24*time.Hour+time.Minute {
		t.Errorf("token made with --expires 30d expires at %v", toks[0].ExpiresAt)
	}
	if toks[1].ExpiresAt != nil {
		t.Errorf("token made without --expires expires at %v", toks[1].ExpiresAt)
	}
}

// TestServeStartsFast starts the real command on an empty data dir and
// measures the time from calling it to /healthz answering: the requirement
// is a start in under 3 seconds on an idle machine. Only the app's own start
// is timed (the database, data dir and build are ready before the clock
// starts). A shared CI machine can stall any process for a while, so a slow
// start is measured again, and the best of up to three starts must be under
// the limit. The race detector's instrumentation slows everything several
// times over, so under -race the limit is scaled by raceSlowdown.
func TestServeStartsFast(t *testing.T) {
	limit := 3 * time.Second * raceSlowdown
	var best time.Duration
	for attempt := 1; attempt <= 3; attempt++ {
		d := startAndStop(t)
		if attempt == 1 || d < best {
			best = d
		}
		t.Logf("start %d: %v to /healthz", attempt, d)
		if best < limit {
			return
		}
	}
	t.Errorf("the best of 3 starts took %v, want < %v", best, limit)
}

// startAndStop runs serve on a fresh empty data dir and database, returns
// how long it took until /healthz answered 200, and shuts it down.
func startAndStop(t *testing.T) time.Duration {
	t.Helper()
	dir, dsn := t.TempDir(), storetest.DSN(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	addr := make(chan string, 1)
	go func() {
		buf := make([]byte, 64<<10)
		var log strings.Builder
		re := regexp.MustCompile(`ringdesk is listening"? addr=(\S+)`)
		for {
			n, err := pr.Read(buf)
			log.Write(buf[:n])
			if m := re.FindStringSubmatch(log.String()); m != nil {
				addr <- m[1]
				io.Copy(io.Discard, pr)
				return
			}
			if err != nil {
				return
			}
		}
	}()
	start := time.Now()
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--data", dir, "--db", dsn}, io.Discard, pw, env(nil))
		pw.Close()
	}()
	var took time.Duration
	select {
	case a := <-addr:
		client := &http.Client{Timeout: 5 * time.Second}
		for {
			res, err := client.Get("http://" + a + "/healthz")
			if err == nil {
				res.Body.Close()
				if res.StatusCode == http.StatusOK {
					took = time.Since(start)
					break
				}
			}
			if time.Since(start) > 30*time.Second {
				t.Fatalf("/healthz never answered 200: %v", err)
			}
			time.Sleep(5 * time.Millisecond)
		}
	case err := <-done:
		t.Fatalf("serve exited: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("graceful shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no shutdown")
	}
	return took
}

// TestDemo: `ringdesk --demo` prints the logins, and within seconds a call
// from the built-in simulator reaches a logged-in page as a live event,
// with its ticket.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--demo", "--demo-rate", "2", "--addr", "127.0.0.1:0", "--data", t.TempDir(),
			"--db", storetest.DSN(t), "--log-level", "error"}, pw, io.Discard, env(nil))
		pw.Close()
	}()
	banner := make(chan string, 1)
	go func() {
		var out strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := pr.Read(buf)
			out.Write(buf[:n])
			if s := out.String(); strings.Contains(s, "Data ") {
				banner <- s
				io.Copy(io.Discard, pr)
				return
			}
			if err != nil {
				return
			}
		}
	}()
	var text string
	select {
	case text = <-banner:
	case err := <-done:
		t.Fatalf("demo exited: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("demo printed no banner")
	}
	m := regexp.MustCompile(`Ringdesk demo: (http://\S+)`).FindStringSubmatch(text)
	if m == nil || !strings.Contains(text, "admin@example.com / demo-admin") || !strings.Contains(text, "petrova@ringdesk.example / demo-agent") {
		t.Fatalf("banner:\n%s", text)
	}
	base := m[1]
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(url.Values{"email": {"petrova@ringdesk.example"}, "password": {"demo-agent"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := hc.Do(req)
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("demo agent login: %v %v", res, err)
	}
	res.Body.Close()
	lctx, lcancel := context.WithTimeout(ctx, 30*time.Second)
	defer lcancel()
	req, _ = http.NewRequestWithContext(lctx, "GET", base+"/live", nil)
	res, err = hc.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("live: %v %v", res, err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var event string
	found := false
	for !found && sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && (event == "call" || event == "snapshot"):
			found = regexp.MustCompile(`"ticket_id":[1-9]`).MatchString(line)
		}
	}
	if !found {
		t.Fatalf("no call with a ticket reached the page within 30 s: %v", sc.Err())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("demo shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("demo did not shut down")
	}
}

// TestBusyPortStopsBeforeWriting: with --addr taken by another program,
// serve (and --demo) stops with one line naming --addr and a free port to
// use instead, before the data dir or its database exist.
func TestBusyPortStopsBeforeWriting(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()
	for _, mode := range [][]string{nil, {"--demo"}} {
		data := filepath.Join(t.TempDir(), "data")
		args := append([]string{"--addr", addr, "--data", data}, mode...)
		out, err := runCmd(t, env(nil), args...)
		want := regexp.MustCompile(`^` + regexp.QuoteMeta(addr) + ` is in use; start with --addr 127\.0\.0\.1:(\d+)$`)
		if err == nil || !want.MatchString(err.Error()) {
			t.Fatalf("%v: err = %v (output %q), want %q", mode, err, out, want)
		}
		suggested := want.FindStringSubmatch(err.Error())[1]
		if ln, err := net.Listen("tcp", "127.0.0.1:"+suggested); err != nil {
			t.Errorf("%v: the suggested port %s is not free: %v", mode, suggested, err)
		} else {
			ln.Close()
		}
		if _, err := os.Stat(data); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%v: the data dir exists after a busy port (stat: %v)", mode, err)
		}
	}
}

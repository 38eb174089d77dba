package browsertest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ringdesk/ringdesk/internal/browsertest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// site serves small pages under the same CSP as Ringdesk.
func site(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html><head><title>T</title></head><body>%s</body></html>`, body)
		}
	}
	mux.HandleFunc("GET /ok", page(`<a class="skip" href="#m">Skip</a><main id="m"><h1>Hello</h1>
		<form method="post" action="/sent"><input name="q"><select name="s"><option value="a">A</option><option value="b">B</option></select><button>Send</button></form></main>`))
	mux.HandleFunc("POST /sent", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		page(`<p id="got">`+r.PostForm.Get("q")+"/"+r.PostForm.Get("s")+`</p>`)(w, r)
	})
	mux.HandleFunc("GET /inline", page(`<script>document.title = "x"</script><p>inline</p>`))
	mux.HandleFunc("GET /styled", page(`<p style="color: red">styled</p>`))
	mux.HandleFunc("GET /onclick", page(`<button id="b" onclick="alert(1)">go</button>`))
	mux.HandleFunc("GET /error", page(`<script src="/error.js"></script><p>error</p>`))
	mux.HandleFunc("GET /error.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `console.error("boom"); null.x;`)
	})
	mux.HandleFunc("GET /missing", page(`<link rel="stylesheet" href="/nope.css"><p>missing</p>`))
	mux.HandleFunc("GET /gone", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		page(`<p>not here</p>`)(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// recorder catches the errors a Page reports, instead of failing the test.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Helper() {}

func (r *recorder) take() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := strings.Join(r.errs, "\n")
	r.errs = nil
	return s
}

func TestPageHelpers(t *testing.T) {
	t.Parallel()
	srv := site(t)
	p := browsertest.New(t, srv.URL)
	p.Go("/ok")
	if got := p.Text("h1"); got != "Hello" {
		t.Errorf("Text(h1) = %q", got)
	}
	p.Fill("input[name=q]", "typed text")
	p.Fill("select[name=s]", "b")
	p.Submit("input[name=q]")
	if got := p.Text("#got"); got != "typed text/b" {
		t.Errorf("after submit: %q", got)
	}
	if p.Path() != "/sent" {
		t.Errorf("Path = %q", p.Path())
	}
	p.Go("/ok")
	p.Press("\t")
	if got := p.Focused(); got != `a.skip "Skip"` {
		t.Errorf("first Tab focuses %s", got)
	}
	if p.Exists("#nothing") || !p.Exists("main#m") {
		t.Error("Exists is wrong")
	}
	// A page's own 404 status is not a console error.
	p.Go("/gone")
	p.NoConsoleErrors()
}

func TestConsoleErrorsAreCaught(t *testing.T) {
	t.Parallel()
	srv := site(t)
	for path, want := range map[string]string{
		"/inline":  "Content Security Policy",
		"/error":   "boom",
		"/missing": "nope.css",
		"/styled":  "inline style",
	} {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			rec := &recorder{TB: t}
			p := browsertest.New(rec, srv.URL)
			p.Go(path)
			p.NoConsoleErrors()
			if got := rec.take(); !strings.Contains(got, want) {
				t.Errorf("console errors of %s = %q, want one with %q", path, got, want)
			}
		})
	}
	t.Run("onclick", func(t *testing.T) {
		rec := &recorder{TB: t}
		p := browsertest.New(rec, srv.URL)
		p.Go("/onclick")
		p.Click("#b")
		p.NoConsoleErrors()
		if got := rec.take(); !strings.Contains(got, "Content Security Policy") {
			t.Errorf("console errors after an onclick = %q, want a CSP violation", got)
		}
	})
	t.Run("exception", func(t *testing.T) {
		rec := &recorder{TB: t}
		p := browsertest.New(rec, srv.URL)
		p.Go("/error")
		p.NoConsoleErrors()
		if got := rec.take(); !strings.Contains(got, "uncaught exception") {
			t.Errorf("console errors = %q, want an uncaught exception", got)
		}
	})
}

// TestExecPath: RINGDESK_CHROMIUM picks the browser, and a missing one means
// none (so tests skip, or fail with RINGDESK_BROWSER_REQUIRED=1).
func TestExecPath(t *testing.T) {
	t.Setenv("RINGDESK_CHROMIUM", "/nonexistent/chromium")
	if got := browsertest.ExecPath(); got != "" {
		t.Errorf("ExecPath with a missing RINGDESK_CHROMIUM = %q, want none", got)
	}
	t.Setenv("RINGDESK_BROWSER_REQUIRED", "1")
	if !browsertest.Required() {
		t.Error("RINGDESK_BROWSER_REQUIRED=1 does not make the browser required")
	}
	t.Setenv("RINGDESK_BROWSER_REQUIRED", "")
	if browsertest.Required() {
		t.Error("the browser is required without RINGDESK_BROWSER_REQUIRED")
	}
}

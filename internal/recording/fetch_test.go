package recording

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestContentType(t *testing.T) {
	cases := []struct{ upstream, link, want string }{
		{"audio/wav", "https://a/x", "audio/wav"},
		{"application/octet-stream", "https://a/talk/1/rec.mp3?x=1", "audio/mpeg"},
		{"text/html", "https://a/rec.wav", "audio/wav"},
		{"", "https://a/rec", "application/octet-stream"},
	}
	for _, c := range cases {
		if got := ContentType(c.upstream, c.link); got != c.want {
			t.Errorf("ContentType(%q, %q) = %q, want %q", c.upstream, c.link, got, c.want)
		}
	}
	if Ext("audio/wav") != ".wav" || Ext("audio/mpeg") != ".mp3" || Ext("x/y") != ".bin" {
		t.Fatal("Ext")
	}
}

func TestFetcherNeverLeavesAllowedHosts(t *testing.T) {
	var hits atomic.Int64
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer evil.Close()
	hop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, evil.URL+"/stolen.wav", http.StatusFound)
	}))
	defer hop.Close()
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.Redirect(w, r, "/final.wav", http.StatusFound) // same host: fine
			return
		}
		w.Header().Set("Content-Type", "audio/wav")
		w.Write([]byte("RIFF"))
	}))
	defer good.Close()
	allowed := func(u string) bool { return strings.HasPrefix(u, hop.URL) || strings.HasPrefix(u, good.URL) }
	f := NewFetcher(FetchOptions{})
	if _, err := f.Open(context.Background(), hop.URL+"/r.wav", allowed, ""); !errors.Is(err, ErrHostNotAllowed) {
		t.Fatalf("redirect to another host: %v", err)
	}
	if _, err := f.Open(context.Background(), evil.URL+"/r.wav", allowed, ""); !errors.Is(err, ErrHostNotAllowed) {
		t.Fatalf("link to another host: %v", err)
	}
	if hits.Load() != 0 {
		t.Fatalf("the disallowed host got %d requests", hits.Load())
	}
	res, err := f.Open(context.Background(), good.URL+"/start", allowed, "")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
}

// TestFetcherFollowsHTTPSUpgrade: a plain http link that answers 308 with the
// https URL of the same host is followed, and the redirect is logged with its
// target (scheme and host, never the path that keys the recording); a
// redirect to a URL not allowed is refused, and logged as a warning.
func TestFetcherFollowsHTTPSUpgrade(t *testing.T) {
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "audio/mpeg")
		w.Write([]byte("ID3"))
	}))
	defer secure.Close()
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://example.com"+r.URL.Path, http.StatusPermanentRedirect)
	}))
	defer plain.Close()
	// example.com (which httptest's certificate names) is the recording host:
	// port 80 is the plain server, 443 the TLS one.
	routes := map[string]string{"example.com:80": plain.Listener.Addr().String(), "example.com:443": secure.Listener.Addr().String()}
	d := &net.Dialer{}
	pool := x509.NewCertPool()
	pool.AddCert(secure.Certificate())
	var logs bytes.Buffer
	f := NewFetcher(FetchOptions{Log: slog.New(slog.NewTextHandler(&logs, nil)), RootCAs: pool,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, routes[addr])
		}})
	allowed := func(u string) bool { return strings.Contains(u, "://example.com/") }
	res, err := f.Open(context.Background(), "http://example.com/system/media/talk/1/abc/", allowed, "")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Request.URL.String() != "https://example.com/system/media/talk/1/abc/" {
		t.Fatalf("got %d from %s", res.StatusCode, res.Request.URL)
	}
	if got := logs.String(); !strings.Contains(got, "recording link redirected") || !strings.Contains(got, "status=308") ||
		!strings.Contains(got, "from=http://example.com") || !strings.Contains(got, "to=https://example.com") ||
		!strings.Contains(got, "followed=true") || strings.Contains(got, "abc") {
		t.Errorf("log = %s", got)
	}
	logs.Reset()
	onlyPlain := func(u string) bool { return strings.HasPrefix(u, "http://example.com/") }
	if _, err := f.Open(context.Background(), "http://example.com/r/", onlyPlain, ""); !errors.Is(err, ErrHostNotAllowed) {
		t.Fatalf("redirect to a URL not allowed: %v", err)
	}
	if got := logs.String(); !strings.Contains(got, "level=WARN") || !strings.Contains(got, "followed=false") {
		t.Errorf("refused redirect log = %s", got)
	}
}

func TestNotReadyYet(t *testing.T) {
	end := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	expired := fmt.Errorf("%w (HTTP 404)", ErrExpired)
	cases := []struct {
		err      error
		finished time.Time
		now      time.Time
		want     bool
	}{
		{expired, end, end.Add(time.Minute), true},
		{expired, end, end.Add(5*time.Hour + 59*time.Minute), true},
		{expired, end, end.Add(6 * time.Hour), false},
		{expired, time.Time{}, end, true}, // the call has not even finished
		{ErrUnavailable, end, end.Add(time.Minute), false},
		{ErrHostNotAllowed, end, end.Add(time.Minute), false},
	}
	for _, c := range cases {
		if got := NotReadyYet(c.err, c.finished, c.now, NotReadyWindow); got != c.want {
			t.Errorf("NotReadyYet(%v, +%v) = %v, want %v", c.err, c.now.Sub(c.finished), got, c.want)
		}
	}
}

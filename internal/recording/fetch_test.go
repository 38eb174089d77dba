package recording

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
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
	f := NewFetcher()
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

package web_test

import (
	"context"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"net/http"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

func countRows(t *testing.T, a *apptest.App, table string) int {
	t.Helper()
	var n int
	if err := a.DB.QueryRowForTest(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestWebhookBadInput sends every kind of bad webhook and checks the answer
// and that nothing was stored (or, for a valid token, that the body went to
// the dead-letter list).
func TestWebhookBadInput(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	good := func(session string) string {
		return strings.ReplaceAll(uissim.SeedTemplates(tel.Token)[uissim.EventIncomingCallStarted], "{{call_session_id}}", session)
	}
	render := func(s string) string { // fill every remaining variable with null
		for {
			i := strings.Index(s, "{{")
			if i < 0 {
				return s
			}
			j := strings.Index(s[i:], "}}")
			s = s[:i] + "null" + s[i+j+2:]
		}
	}
	revoked, tok, err := a.Desk.CreateChannelToken(context.Background(), ringdesk.System, tel.Channel.ID, "old")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Desk.RevokeChannelToken(context.Background(), ringdesk.System, tel.Channel.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	url := "/telephony/uis/webhook/incoming_call_started/"
	cases := []struct {
		name       string
		method     string
		path       string
		body       string
		header     http.Header
		want       int
		wantIn     string
		deadLetter bool
	}{
		{"GET is not allowed", "GET", url, "", nil, 405, "POST", false},
		{"PUT is not allowed", "PUT", url, render(good("1")), nil, 405, "POST", false},
		{"unknown event", "POST", "/telephony/uis/webhook/call_exploded/", render(good("1")), nil, 404, "Unknown notification", false},
		{"malformed JSON", "POST", url, `{"ud_channel_token":`, nil, 401, "ud_channel_token", false},
		{"not an object", "POST", url, `[1,2,3]`, nil, 401, "ud_channel_token", false},
		{"missing token", "POST", url, `{"call_session_id":1}`, nil, 401, "ud_channel_token", false},
		{"wrong token", "POST", url, strings.Replace(render(good("1")), tel.Token, "rdc_wrong", 1), nil, 401, "unknown or revoked", false},
		{"revoked token", "POST", url, strings.Replace(render(good("1")), tel.Token, revoked, 1), nil, 401, "unknown or revoked", false},
		{"huge body", "POST", url, `{"ud_channel_token":"` + tel.Token + `","x":"` + strings.Repeat("a", 1<<20) + `"}`, nil, 413, "1 MiB", false},
		{"valid token, no call_session_id", "POST", url, render(strings.Replace(good("1"), `"call_session_id":1,`, "", 1)), nil, 400, "call_session_id", true},
		{"valid token, junk id", "POST", url, render(good(`"abc"`)), nil, 400, "call_session_id", true},
		{"valid token, broken JSON after it", "POST", url, `{"ud_channel_token":"` + tel.Token + `","call_session_id":12,`, nil, 400, "kept for an administrator", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			calls, dead := countRows(t, a, "call_events"), countRows(t, a, "webhook_dead_letters")
			res := a.Anon(t).Do(t, c.method, c.path, strings.NewReader(c.body), c.header)
			if res.StatusCode != c.want || !strings.Contains(res.Body, c.wantIn) {
				t.Fatalf("status %d body %.300s; want %d with %q", res.StatusCode, res.Body, c.want, c.wantIn)
			}
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
				t.Errorf("content-type %q", res.Header.Get("Content-Type"))
			}
			if got := countRows(t, a, "call_events"); got != calls {
				t.Errorf("call_events %d -> %d: something was stored", calls, got)
			}
			wantDead := dead
			if c.deadLetter {
				wantDead++
			}
			if got := countRows(t, a, "webhook_dead_letters"); got != wantDead {
				t.Errorf("dead letters %d -> %d, want %d", dead, got, wantDead)
			}
		})
	}

	// Tolerance: ids as strings, unknown fields, no trailing slash, any
	// Content-Type: all accepted.
	body := render(good(`"4000000001"`))
	body = strings.Replace(body, `"app_id":null`, `"app_id":"105932","brand_new_field":{"x":[1]}`, 1)
	res := a.Anon(t).Do(t, "POST", strings.TrimSuffix(url, "/"), strings.NewReader(body), http.Header{"Content-Type": {"text/plain"}})
	if res.StatusCode != 200 || !strings.Contains(res.Body, `"ok":true`) {
		t.Fatalf("tolerant body: %d %s", res.StatusCode, res.Body)
	}
	res = a.Anon(t).Do(t, "POST", url, strings.NewReader(body), nil)
	if res.StatusCode != 200 || !strings.Contains(res.Body, `"duplicate":true`) {
		t.Fatalf("duplicate: %d %s", res.StatusCode, res.Body)
	}
}

// TestWebhookDatabaseDown answers 503 (so UIS retries) when the database
// is gone, never 200.
func TestWebhookDatabaseDown(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	body := strings.ReplaceAll(uissim.SeedTemplates(tel.Token)[uissim.EventIncomingCallStarted], "{{call_session_id}}", "777")
	for strings.Contains(body, "{{") {
		i := strings.Index(body, "{{")
		j := strings.Index(body[i:], "}}")
		body = body[:i] + "null" + body[i+j+2:]
	}
	a.DB.Close()
	res := a.Anon(t).Do(t, "POST", "/telephony/uis/webhook/incoming_call_started/", strings.NewReader(body), nil)
	if res.StatusCode != 503 || !strings.Contains(res.Body, `"code":"unavailable"`) {
		t.Fatalf("db down: %d %s", res.StatusCode, res.Body)
	}
	if res := a.Anon(t).Get(t, "/readyz"); res.StatusCode != 503 {
		t.Errorf("readyz with db down: %d", res.StatusCode)
	}
	if res := a.Anon(t).Get(t, "/healthz"); res.StatusCode != 200 {
		t.Errorf("healthz with db down: %d", res.StatusCode)
	}
}

// TestRefusedWebhooksShownToAdmins: notifications refused for their token
// are counted on the Channels page with the token's last characters and the
// sender's address, so a revoked-by-mistake token is noticed; the token
// itself is never shown.
func TestRefusedWebhooksShownToAdmins(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	apptest.NewTelephony(t, a) // a channel with a valid token exists
	adm := a.Admin(t)
	if res := adm.Get(t, "/channels"); strings.Contains(res.Body, `id="rejected-webhooks"`) {
		t.Fatal("a fresh desk reports refused notifications")
	}
	body := strings.ReplaceAll(uissim.SeedTemplates("rdc_revokedtoken9z7Q")[uissim.EventIncomingCallStarted], "{{call_session_id}}", "77")
	for range 3 {
		res := a.Anon(t).Do(t, "POST", "/telephony/uis/webhook/incoming_call_started/", strings.NewReader(body),
			http.Header{"X-Forwarded-For": {"203.0.113.9"}})
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong token: %d", res.StatusCode)
		}
	}
	res := adm.Get(t, "/channels")
	for _, want := range []string{`id="rejected-webhooks"`, ": 3.", "incoming_call_started", "…9z7Q", "unknown or revoked"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("Channels page lacks %q", want)
		}
	}
	if strings.Contains(res.Body, "rdc_revokedtoken") {
		t.Error("the refused token is shown in full")
	}
}

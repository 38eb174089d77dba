package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// seedBody renders a seed notification body as UIS would for a call with
// the given session: the token and session set, every other variable null.
func seedBody(token string, ev uissim.EventType, session string) string {
	s := strings.ReplaceAll(uissim.SeedTemplates(token)[ev], "{{call_session_id}}", session)
	return regexp.MustCompile(`\{\{[a-z_]+\}\}`).ReplaceAllString(s, "null")
}

// postWebhook posts body to the webhook of kind and returns the status.
func postWebhook(t *testing.T, a *apptest.App, kind uissim.EventType, body string) int {
	t.Helper()
	return a.Anon(t).Do(t, "POST", "/telephony/uis/webhook/"+string(kind)+"/", strings.NewReader(body), nil).StatusCode
}

var tokenRE = regexp.MustCompile(`rdc_[A-Za-z0-9_-]+`)

func TestChannelPages(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	admin := a.Admin(t)
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Email: "agent@example.com", Role: ringdesk.RoleAgent})
	clients := map[string]*apptest.Client{"admin": admin, "agent": a.Login(t, agent.Email, "agent-password-1")}
	const secret = "uis-app-secret-0123456789"
	runScenarios(t, a, clients, []scenario{
		{name: "agents may not see channels", as: "agent", method: "GET", path: "/channels", wantStatus: 403},
		{name: "agents may not create channels", as: "agent", method: "POST", path: "/channels", form: url.Values{"name": {"X"}}, wantStatus: 403},
		{name: "empty list", as: "admin", method: "GET", path: "/channels", wantStatus: 200, wantIn: []string{"No channels yet", `href="/channels/new"`}},
		{name: "new form has the UIS defaults", as: "admin", method: "GET", path: "/channels/new", wantStatus: 200,
			wantIn: []string{ringdesk.DefaultCallAPIURL, ringdesk.DefaultDataAPIURL, `value="Europe/Moscow"`, "app.uiscom.ru\nmedia.uiscom.ru", "not set"}},
		{name: "bad input re-renders with field errors and without the secret", as: "admin", method: "POST", path: "/channels",
			form: url.Values{"name": {""}, "app_secret": {secret}, "call_api_url": {"ftp://x"}, "data_api_url": {"https://dataapi.uiscom.ru/v2.0"},
				"timezone": {"Mars/Olympus"}, "virtual_phone_number": {"12ab"}, "recording_hosts": {"https://bad/host"}, "ticket_policy": {"new"}},
			wantStatus: 400, wantIn: []string{"Name is required", "Must be an http:// or https:// URL.", "Unknown time zone",
				"The virtual number must be a phone number", "Each recording host must be a bare host name", `value="Mars/Olympus"`},
			wantNotIn: []string{secret}},
		{name: "reuse policy needs hours", as: "admin", method: "POST", path: "/channels",
			form: url.Values{"name": {"X"}, "ticket_policy": {"reuse"}, "reuse_hours": {"soon"}, "timezone": {"Europe/Moscow"},
				"call_api_url": {ringdesk.DefaultCallAPIURL}, "data_api_url": {ringdesk.DefaultDataAPIURL}},
			wantStatus: 400, wantIn: []string{"Enter the number of hours, at least 1."}},
	})

	// Create a channel.
	res := admin.PostForm(t, "/channels", url.Values{"name": {"UIS <main>"}, "app_secret": {" " + secret + " "},
		"call_api_url": {ringdesk.DefaultCallAPIURL}, "data_api_url": {ringdesk.DefaultDataAPIURL}, "timezone": {"Asia/Yekaterinburg"},
		"virtual_phone_number": {"+7 (495) 123-45-67"}, "recording_hosts": {"app.uiscom.ru\r\n\r\nMEDIA.uiscom.ru\r\n"},
		"ticket_policy": {"reuse"}, "reuse_hours": {"12"}})
	if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/channels/") {
		t.Fatalf("create: %d %s %.400s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	path := strings.TrimSuffix(res.Header.Get("Location"), "?flash=channel-created")
	chs, err := a.DB.ListChannels(t.Context())
	if err != nil || len(chs) != 1 {
		t.Fatalf("channels: %v %v", chs, err)
	}
	ch := chs[0]
	want := ringdesk.UISSettings{CallAPIURL: ringdesk.DefaultCallAPIURL, DataAPIURL: ringdesk.DefaultDataAPIURL, Timezone: "Asia/Yekaterinburg",
		VirtualPhoneNumber: "74951234567", RecordingHosts: []string{"app.uiscom.ru", "media.uiscom.ru"}, TicketPolicy: "reuse", ReuseHours: 12}
	if ch.Name != "UIS <main>" || !ch.Active || !ch.HasSecret || ch.UIS.Timezone != want.Timezone || ch.UIS.VirtualPhoneNumber != want.VirtualPhoneNumber ||
		strings.Join(ch.UIS.RecordingHosts, ",") != "app.uiscom.ru,media.uiscom.ru" || ch.UIS.TicketPolicy != "reuse" || ch.UIS.ReuseHours != 12 {
		t.Fatalf("channel = %+v", ch)
	}
	// The secret is sealed at rest and opens to what was typed.
	var stored string
	if err := a.DB.QueryRowForTest(context.Background(), `SELECT secret_enc FROM channels WHERE id = $1`, ch.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored == "" || strings.Contains(stored, secret) {
		t.Fatalf("secret stored as %q", stored)
	}
	if got, _ := a.Desk.AppSecret(t.Context(), ch.ID); got != secret {
		t.Fatalf("AppSecret = %q", got)
	}
	page := admin.Get(t, path)
	if page.StatusCode != 200 || strings.Contains(page.Body, secret) || !strings.Contains(page.Body, ">set<") ||
		!strings.Contains(page.Body, "UIS &lt;main&gt;") || !strings.Contains(page.Body, "Asia/Yekaterinburg") {
		t.Fatalf("edit page: %d %.2000s", page.StatusCode, page.Body)
	}

	// Saving with an empty App Secret keeps it; a new one replaces it; the
	// fields saved are the form's.
	form := url.Values{"name": {"UIS main"}, "app_secret": {""}, "call_api_url": {"https://callapi.example.com/v4.0"},
		"data_api_url": {ringdesk.DefaultDataAPIURL}, "timezone": {"Europe/Moscow"}, "virtual_phone_number": {"74997654321"},
		"recording_hosts": {"app.uiscom.ru"}, "ticket_policy": {"new"}, "reuse_hours": {"24"}, "active": {"on"}}
	if res := admin.PostForm(t, path, form); res.StatusCode != 303 {
		t.Fatalf("update: %d %.400s", res.StatusCode, res.Body)
	}
	if got, _ := a.Desk.AppSecret(t.Context(), ch.ID); got != secret {
		t.Fatalf("empty input changed the secret to %q", got)
	}
	ch, _ = a.DB.ChannelByID(t.Context(), ch.ID)
	if ch.Name != "UIS main" || ch.UIS.CallAPIURL != "https://callapi.example.com/v4.0" || ch.UIS.TicketPolicy != "new" || ch.UIS.VirtualPhoneNumber != "74997654321" {
		t.Fatalf("after update: %+v", ch)
	}
	form.Set("app_secret", "second-secret")
	admin.PostForm(t, path, form)
	if got, _ := a.Desk.AppSecret(t.Context(), ch.ID); got != "second-secret" {
		t.Fatalf("new secret not saved: %q", got)
	}
	form.Set("timezone", "Nowhere")
	if res := admin.PostForm(t, path, form); res.StatusCode != 400 || strings.Contains(res.Body, "second-secret") || !strings.Contains(res.Body, "Unknown time zone") {
		t.Fatalf("bad update: %d %.600s", res.StatusCode, res.Body)
	}

	// A token is shown once, stored only as a hash, and works for webhooks.
	res = admin.PostForm(t, path+"/tokens", url.Values{"label": {"UIS main"}})
	tok := tokenRE.FindString(res.Body)
	if res.StatusCode != 201 || tok == "" || !strings.Contains(res.Body, "shown only once") {
		t.Fatalf("create token: %d %.600s", res.StatusCode, res.Body)
	}
	if page := admin.Get(t, path); strings.Contains(page.Body, tok) || !strings.Contains(page.Body, "…"+tok[len(tok)-4:]) {
		t.Fatalf("token shown again, or its hint missing")
	}
	var n int
	a.DB.QueryRowForTest(context.Background(), `SELECT COUNT(*) FROM channel_tokens WHERE token_hash = $1 OR hint = $1 OR label = $1`, tok).Scan(&n)
	if n != 0 {
		t.Fatal("token stored in plaintext")
	}
	if st := postWebhook(t, a, uissim.EventIncomingCallStarted, seedBody(tok, uissim.EventIncomingCallStarted, "5001")); st != 200 {
		t.Fatalf("webhook with the new token: %d", st)
	}
	list := admin.Get(t, "/channels")
	if !strings.Contains(list.Body, "UIS main") || !regexp.MustCompile(`<td class="num"[^>]*>1</td>`).MatchString(list.Body) ||
		regexp.MustCompile(`<td[^>]*><span class="muted">never`).MatchString(list.Body) {
		t.Fatalf("list: %.2000s", list.Body)
	}
	toks, _ := a.DB.ListChannelTokens(t.Context(), ch.ID)
	if len(toks) != 1 || toks[0].LastUsedAt == nil || toks[0].Label != "UIS main" {
		t.Fatalf("tokens = %+v", toks)
	}

	// Revoking stops it at once.
	if res := admin.PostForm(t, path+"/tokens/"+itoa(toks[0].ID)+"/revoke", nil); res.StatusCode != 303 {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if st := postWebhook(t, a, uissim.EventIncomingCallStarted, seedBody(tok, uissim.EventIncomingCallStarted, "5002")); st != 401 {
		t.Fatalf("webhook with a revoked token: %d, want 401", st)
	}
	if page := admin.Get(t, path); !strings.Contains(page.Body, "revoked") {
		t.Error("revoked token not marked")
	}

	// Disabling the channel refuses its webhooks.
	res = admin.PostForm(t, path+"/tokens", url.Values{"label": {"second"}})
	tok2 := tokenRE.FindString(res.Body)
	form.Set("timezone", "Europe/Moscow")
	form.Del("active")
	if res := admin.PostForm(t, path, form); res.StatusCode != 303 {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if st := postWebhook(t, a, uissim.EventIncomingCallStarted, seedBody(tok2, uissim.EventIncomingCallStarted, "5003")); st != 401 {
		t.Fatalf("webhook to a disabled channel: %d, want 401", st)
	}
	if list := admin.Get(t, "/channels"); !strings.Contains(list.Body, "Disabled") {
		t.Error("list does not show the channel disabled")
	}
}

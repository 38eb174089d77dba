package web_test

import (
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

type channelOut struct {
	ID                 int64    `json:"id"`
	Type               string   `json:"type"`
	Name               string   `json:"name"`
	Active             bool     `json:"active"`
	AppSecretSet       bool     `json:"app_secret_set"`
	CallAPIURL         string   `json:"call_api_url"`
	DataAPIURL         string   `json:"data_api_url"`
	TimeZone           string   `json:"time_zone"`
	VirtualPhoneNumber string   `json:"virtual_phone_number"`
	RecordingHosts     []string `json:"recording_hosts"`
	TicketPolicy       string   `json:"ticket_policy"`
	ReuseHours         int      `json:"reuse_hours"`
	ArchiveRecordings  bool     `json:"archive_recordings"`
}

func TestChannelsAPI(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	me, _, err := a.DB.AgentCredentials(t.Context(), apptest.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	api := a.TokenClient(t, me)
	agentAPI := a.TokenClient(t, a.CreateAgent(t, ringdesk.AgentCreate{Email: "agent@example.com", Role: ringdesk.RoleAgent}))
	const secret = "uis-secret-abcdef"
	runScenarios(t, a, map[string]*apptest.Client{"admintoken": api, "token": agentAPI}, []scenario{
		{name: "agents may not list channels", as: "token", method: "GET", path: "/api/v1/channels", wantStatus: 403},
		{name: "agents may not create channels", as: "token", method: "POST", path: "/api/v1/channels", json: map[string]any{"name": "x"}, wantStatus: 403},
		{name: "no login", method: "GET", path: "/api/v1/channels", wantStatus: 401},
		{name: "invalid fields", as: "admintoken", method: "POST", path: "/api/v1/channels",
			json:       map[string]any{"type": "sip", "name": "", "call_api_url": "nope", "time_zone": "Atlantis/Nowhere", "ticket_policy": "sometimes"},
			wantStatus: 400, wantIn: []string{`"type"`, `"name"`, `"call_api_url"`, `"time_zone"`, `"ticket_policy"`, `"code":"invalid"`}},
		{name: "unknown field", as: "admintoken", method: "POST", path: "/api/v1/channels", json: map[string]any{"name": "x", "secret": "y"}, wantStatus: 400},
		{name: "missing channel", as: "admintoken", method: "GET", path: "/api/v1/channels/999", wantStatus: 404},
	})

	// Create with the body of issue 5.
	res := api.JSON(t, "POST", "/api/v1/channels", map[string]any{"type": "uis", "name": "UIS", "app_secret": secret,
		"call_api_url": "https://callapi.uiscom.ru/v4.0", "data_api_url": "https://dataapi.uiscom.ru/v2.0",
		"virtual_phone_number": "74951234567", "recording_hosts": []string{"app.uiscom.ru"}, "time_zone": "Asia/Novosibirsk",
		"ticket_policy": "reuse", "reuse_hours": 6})
	var ch channelOut
	res.JSON(t, &ch)
	if res.StatusCode != 201 || strings.Contains(res.Body, secret) || !strings.Contains(res.Body, `"app_secret_set":true`) ||
		ch.TimeZone != "Asia/Novosibirsk" || ch.TicketPolicy != "reuse" || ch.ReuseHours != 6 || len(ch.RecordingHosts) != 1 || !ch.Active {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	if got, _ := a.Desk.AppSecret(t.Context(), ch.ID); got != secret {
		t.Fatalf("secret = %q", got)
	}
	path := "/api/v1/channels/" + itoa(ch.ID)
	// Defaults for what is left out.
	res = api.JSON(t, "POST", "/api/v1/channels", map[string]any{"name": "Defaults"})
	var def channelOut
	res.JSON(t, &def)
	if res.StatusCode != 201 || def.Type != "uis" || def.AppSecretSet || def.CallAPIURL != ringdesk.DefaultCallAPIURL ||
		def.DataAPIURL != ringdesk.DefaultDataAPIURL || def.TimeZone != "Europe/Moscow" || def.TicketPolicy != "new" ||
		strings.Join(def.RecordingHosts, ",") != "app.uiscom.ru,media.uiscom.ru,app.comagic.ru,media.comagic.ru" {
		t.Fatalf("defaults: %s", res.Body)
	}

	// PATCH changes only what it names; the secret is never returned.
	res = api.JSON(t, "PATCH", path, map[string]any{"name": "UIS main", "ticket_policy": "new"})
	var got channelOut
	res.JSON(t, &got)
	if res.StatusCode != 200 || got.Name != "UIS main" || got.TicketPolicy != "new" || got.TimeZone != "Asia/Novosibirsk" || !got.AppSecretSet ||
		got.VirtualPhoneNumber != "74951234567" {
		t.Fatalf("patch: %s", res.Body)
	}
	if s, _ := a.Desk.AppSecret(t.Context(), ch.ID); s != secret {
		t.Fatal("PATCH without app_secret changed it")
	}
	if res := api.JSON(t, "PATCH", path, map[string]any{"time_zone": "Bad/Zone"}); res.StatusCode != 400 {
		t.Fatalf("bad patch: %d", res.StatusCode)
	}
	if res := api.JSON(t, "PATCH", path, map[string]any{"type": "sip"}); res.StatusCode != 400 {
		t.Fatalf("type change: %d", res.StatusCode)
	}
	if res := api.Get(t, path); res.StatusCode != 200 || strings.Contains(res.Body, secret) || !strings.Contains(res.Body, `"name":"UIS main"`) {
		t.Fatalf("get: %s", res.Body)
	}
	res = api.Get(t, "/api/v1/channels")
	if res.StatusCode != 200 || strings.Count(res.Body, `"id":`) != 2 || strings.Contains(res.Body, secret) {
		t.Fatalf("list: %s", res.Body)
	}

	// Tokens: created with a label, the secret only in the 201 answer;
	// a revoked one is refused by the webhook at once.
	res = api.JSON(t, "POST", path+"/tokens", map[string]any{"label": "UIS main"})
	var tok struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
		Label string `json:"label"`
		Hint  string `json:"hint"`
	}
	res.JSON(t, &tok)
	if res.StatusCode != 201 || !strings.HasPrefix(tok.Token, "rdc_") || tok.Label != "UIS main" || tok.ID == 0 || !strings.HasSuffix(tok.Token, tok.Hint) {
		t.Fatalf("create token: %d %s", res.StatusCode, res.Body)
	}
	if res := api.JSON(t, "POST", path+"/tokens", map[string]any{"label": strings.Repeat("x", 101)}); res.StatusCode != 400 {
		t.Fatalf("long label: %d", res.StatusCode)
	}
	if st := postWebhook(t, a, uissim.EventIncomingCallStarted, seedBody(tok.Token, uissim.EventIncomingCallStarted, "9001")); st != 200 {
		t.Fatalf("webhook with the token: %d", st)
	}
	res = api.Get(t, path+"/tokens")
	if res.StatusCode != 200 || strings.Contains(res.Body, tok.Token) || !strings.Contains(res.Body, `"last_used_at":"`) {
		t.Fatalf("token list: %s", res.Body)
	}
	if res := agentAPI.Do(t, "DELETE", path+"/tokens/"+itoa(tok.ID), nil, nil); res.StatusCode != 403 {
		t.Fatalf("agent revoke: %d", res.StatusCode)
	}
	if res := api.Do(t, "DELETE", path+"/tokens/"+itoa(tok.ID), nil, nil); res.StatusCode != 204 {
		t.Fatalf("revoke: %d %s", res.StatusCode, res.Body)
	}
	if st := postWebhook(t, a, uissim.EventIncomingCallStarted, seedBody(tok.Token, uissim.EventIncomingCallStarted, "9002")); st != 401 {
		t.Fatalf("webhook with a revoked token: %d, want 401", st)
	}
	if res := api.Do(t, "DELETE", path+"/tokens/424242", nil, nil); res.StatusCode != 404 {
		t.Fatalf("revoke unknown: %d", res.StatusCode)
	}
	if res := api.Do(t, "DELETE", "/api/v1/channels/"+itoa(def.ID)+"/tokens/"+itoa(tok.ID), nil, nil); res.StatusCode != 404 {
		t.Fatalf("revoke through another channel: %d", res.StatusCode)
	}

	// Disabling through the API refuses webhooks; clearing the secret works.
	res = api.JSON(t, "POST", path+"/tokens", map[string]any{"label": "second"})
	res.JSON(t, &tok)
	if res := api.JSON(t, "PATCH", path, map[string]any{"active": false, "app_secret": ""}); res.StatusCode != 200 ||
		!strings.Contains(res.Body, `"active":false`) || !strings.Contains(res.Body, `"app_secret_set":false`) {
		t.Fatalf("disable: %s", res.Body)
	}
	if st := postWebhook(t, a, uissim.EventIncomingCallStarted, seedBody(tok.Token, uissim.EventIncomingCallStarted, "9003")); st != 401 {
		t.Fatalf("webhook to a disabled channel: %d, want 401", st)
	}
}

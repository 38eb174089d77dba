package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

type apiToken struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Token     string     `json:"token"`
	ExpiresAt *time.Time `json:"expires_at"`
	Expired   bool       `json:"expired"`
}

// TestAPITokensOpenOnlyTheAPI: a personal token authenticates /api/ and
// nothing else (no page, no event stream, no token form), and cannot make
// tokens, not even through the API; a browser session can.
func TestAPITokensOpenOnlyTheAPI(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Email: "agent@example.com", Role: ringdesk.RoleAgent})
	admin, _, err := a.DB.AgentCredentials(t.Context(), apptest.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	tok := a.TokenClient(t, agent)
	adminTok := a.TokenClient(t, admin)
	tokens := func() int {
		t.Helper()
		toks, err := a.DB.ListAPITokens(t.Context(), agent.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(toks)
	}
	if res := tok.Get(t, "/api/v1/me"); res.StatusCode != 200 {
		t.Fatalf("token on the API: %d", res.StatusCode)
	}
	for _, c := range []struct {
		client       *apptest.Client
		method, path string
	}{
		{tok, "GET", "/"}, {tok, "GET", "/tickets"}, {tok, "GET", "/profile"}, {tok, "GET", "/live"},
		{tok, "GET", "/calls"}, {adminTok, "GET", "/agents"}, {adminTok, "GET", "/channels/dead-letters"},
		{tok, "POST", "/profile/tokens"}, {tok, "POST", "/profile"}, {tok, "POST", "/logout"},
	} {
		var res *apptest.Response
		if c.method == "POST" {
			res = c.client.PostForm(t, c.path, url.Values{"name": {"minted"}})
		} else {
			res = c.client.Get(t, c.path)
		}
		if res.StatusCode != 401 || !strings.Contains(res.Body, "only the JSON API") {
			t.Errorf("%s %s with a token: %d %.300s; want 401 saying tokens open only the API", c.method, c.path, res.StatusCode, res.Body)
		}
	}
	// Nor through the API.
	res := tok.JSON(t, "POST", "/api/v1/me/tokens", map[string]any{"name": "minted"})
	if res.StatusCode != 403 || !strings.Contains(res.Body, "logged-in person") {
		t.Fatalf("token making a token through the API: %d %s", res.StatusCode, res.Body)
	}
	if n := tokens(); n != 1 {
		t.Fatalf("the agent has %d tokens after the refusals, want 1", n)
	}

	// A browser session makes one through the API, with an expiry.
	web := a.Login(t, agent.Email, "agent-password-1")
	res = web.JSON(t, "POST", "/api/v1/me/tokens", map[string]any{"name": "ci", "expires_in": "30d"})
	var made apiToken
	res.JSON(t, &made)
	if res.StatusCode != 201 || !strings.HasPrefix(made.Token, "rdt_") || made.Name != "ci" || made.ExpiresAt == nil ||
		made.ExpiresAt.Sub(time.Now()) < 29*24*time.Hour || made.Expired {
		t.Fatalf("session makes a token: %d %s", res.StatusCode, res.Body)
	}
	ci := a.Anon(t)
	ci.Token = made.Token
	if res := ci.Get(t, "/api/v1/me"); res.StatusCode != 200 || !strings.Contains(res.Body, agent.Email) {
		t.Fatalf("the new token: %d %s", res.StatusCode, res.Body)
	}
	var list struct{ Tokens []apiToken }
	tok.Get(t, "/api/v1/me/tokens").JSON(t, &list)
	if len(list.Tokens) != 2 || list.Tokens[0].ID != made.ID || list.Tokens[0].Token != "" || list.Tokens[0].ExpiresAt == nil || list.Tokens[1].ExpiresAt != nil {
		t.Fatalf("token list: %+v", list)
	}
	for _, bad := range []map[string]any{
		{"expires_in": "30"},
		{"expires_in": "1d", "expires_at": time.Now().Add(time.Hour)},
		{"expires_at": time.Now().Add(-time.Hour)},
		{"expires_at": time.Now().AddDate(11, 0, 0)},
		{"name": strings.Repeat("x", 101)},
	} {
		if res := web.JSON(t, "POST", "/api/v1/me/tokens", bad); res.StatusCode != 400 || !strings.Contains(res.Body, `"code":"invalid"`) {
			t.Errorf("POST /api/v1/me/tokens %v: %d %s", bad, res.StatusCode, res.Body)
		}
	}
	// A token may revoke itself, and is refused at once.
	if res := ci.Do(t, "DELETE", "/api/v1/me/tokens/"+strconv.FormatInt(made.ID, 10), nil, nil); res.StatusCode != 204 {
		t.Fatalf("revoke itself: %d %s", res.StatusCode, res.Body)
	}
	if res := ci.Get(t, "/api/v1/me"); res.StatusCode != 401 || !strings.Contains(res.Body, "invalid or revoked") {
		t.Fatalf("revoked token: %d %s", res.StatusCode, res.Body)
	}
	// Another agent's token is not found.
	if res := adminTok.Do(t, "DELETE", "/api/v1/me/tokens/"+strconv.FormatInt(list.Tokens[1].ID, 10), nil, nil); res.StatusCode != 404 {
		t.Fatalf("revoke another agent's token: %d", res.StatusCode)
	}
}

// TestAPITokenExpiry: a token made to expire works until then and is
// refused afterwards with a 401 that says so; the profile lists expiries.
func TestAPITokenExpiry(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Email: "agent@example.com", Role: ringdesk.RoleAgent, Lang: "ru"})
	web := a.Login(t, agent.Email, "agent-password-1")

	// The profile form: an expiry from the list, or a clear error.
	res := web.PostForm(t, "/profile/tokens", url.Values{"name": {"week"}, "expires": {"7d"}})
	if res.StatusCode != 201 || !strings.Contains(res.Body, "rdt_") || !strings.Contains(res.Body, "Истекает") {
		t.Fatalf("profile token with expiry: %d %.2000s", res.StatusCode, res.Body)
	}
	if res := web.PostForm(t, "/profile/tokens", url.Values{"name": {"bad"}, "expires": {"soon"}}); res.StatusCode != 400 || !strings.Contains(res.Body, "Срок действия: число дней") {
		t.Fatalf("profile token with a bad expiry: %d %.2000s", res.StatusCode, res.Body)
	}
	toks, _ := a.DB.ListAPITokens(t.Context(), agent.ID)
	if len(toks) != 1 || toks[0].Name != "week" || toks[0].ExpiresAt == nil {
		t.Fatalf("tokens = %+v", toks)
	}
	week := *toks[0].ExpiresAt
	if d := time.Until(week); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour+time.Minute {
		t.Fatalf("7d token expires in %v", d)
	}

	soon := time.Now().Add(time.Hour)
	secret, _, err := a.Desk.CreateAPIToken(context.Background(), agent, "hour", &soon)
	if err != nil {
		t.Fatal(err)
	}
	api := a.Anon(t)
	api.Token = secret
	if res := api.Get(t, "/api/v1/me"); res.StatusCode != 200 {
		t.Fatalf("before expiry: %d", res.StatusCode)
	}
	a.Desk.SetClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
	res = api.Get(t, "/api/v1/me")
	if res.StatusCode != 401 || !strings.Contains(res.Body, "expired at "+soon.UTC().Format(time.RFC3339)) || !strings.Contains(res.Body, `"code":"unauthorized"`) {
		t.Fatalf("after expiry: %d %s", res.StatusCode, res.Body)
	}
	page := web.Get(t, "/profile")
	if page.StatusCode != 200 || !strings.Contains(page.Body, "истёк") || !strings.Contains(page.Body, "hour") {
		t.Fatalf("profile lists the expired token: %d %.3000s", page.StatusCode, page.Body)
	}
	// The week token still works two hours on.
	secret, _, err = a.Desk.CreateAPIToken(context.Background(), agent, "later", &week)
	if err != nil {
		t.Fatal(err)
	}
	api.Token = secret
	if res := api.Get(t, "/api/v1/me"); res.StatusCode != 200 {
		t.Fatalf("a token expiring in a week: %d", res.StatusCode)
	}
}

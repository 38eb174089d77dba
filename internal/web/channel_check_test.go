package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// startSim runs a UIS simulator whose account is changed by edit and
// returns its base URL.
func startSim(t *testing.T, edit func(*uissim.Account)) string {
	t.Helper()
	acct := uissim.DefaultAccount()
	if edit != nil {
		edit(acct)
	}
	sim, err := uissim.New(uissim.Config{Account: acct, TimeScale: 0.001, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	u, err := sim.Start(ctx, "127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); sim.Close() })
	return u
}

// TestChannelCheckConnection presses "check connection" against simulated
// UIS accounts in every error state and checks the advice the admin gets.
func TestChannelCheckConnection(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	admin := a.Admin(t)
	a.CreateAgent(t, ringdesk.AgentCreate{Email: "ru-admin@example.com", Role: ringdesk.RoleAdmin, Lang: "ru"})
	ruAdmin := a.Login(t, "ru-admin@example.com", "agent-password-1")
	past := time.Now().Add(-24 * time.Hour)
	cases := []struct {
		name    string
		account func(*uissim.Account)
		secret  string // "" uses the simulator's key; "-" stores none
		apiURL  string // overrides both API URLs
		ru      bool
		want    []string
		notWant []string
	}{
		{name: "works", want: []string{"Connection works.", "ООО Рингдеск (симулятор)", "app_id 105932"}, notWant: []string{"The connection check failed.", "Time zone differs"}},
		{name: "no secret", secret: "-", want: []string{"The connection check failed.", "The channel has no App Secret. Create an API key"}},
		{name: "unknown key", secret: "not-a-uis-key", want: []string{"access_token_invalid", "UIS does not know this App Secret"}},
		{name: "unknown key in Russian", secret: "not-a-uis-key", ru: true, want: []string{"Проверка подключения не прошла", "UIS не знает этот App Secret"}},
		{name: "ip not whitelisted", account: func(ac *uissim.Account) { ac.IPWhitelist = []string{"192.0.2.10"} },
			want: []string{"ip_not_whitelisted", "add the public IP address this server reaches the internet from"}},
		{name: "ip not whitelisted in Russian", account: func(ac *uissim.Account) { ac.IPWhitelist = []string{"192.0.2.10"} }, ru: true,
			want: []string{"ip_not_whitelisted", "добавьте внешний IP-адрес, с которого этот сервер выходит в интернет"}},
		{name: "key expired", account: func(ac *uissim.Account) { ac.APIKeys[0].ExpiresAt = &past }, want: []string{"access_token_expired", "has expired"}},
		{name: "key blocked", account: func(ac *uissim.Account) { ac.APIKeys[0].Blocked = true }, want: []string{"access_token_blocked", "is blocked"}},
		{name: "account disabled", account: func(ac *uissim.Account) { ac.Disabled = true }, want: []string{"account_inactive", "The UIS account is disabled"}},
		{name: "data api option off", account: func(ac *uissim.Account) { ac.Components = map[string]bool{uissim.ComponentDataAPI: false} },
			want: []string{"method_component_disabled", "enable the API option"}},
		{name: "call management off is only a note", account: func(ac *uissim.Account) {
			ac.Components = map[string]bool{uissim.ComponentCallAPIManagement: false}
		}, want: []string{"Connection works.", "«Call management» option is not enabled"}},
		{name: "key without call api rights", account: func(ac *uissim.Account) { ac.APIKeys[0].APIs = []string{"data"} },
			want: []string{"The connection check failed.", "Data API:</strong> works", "forbidden", "no rights for this API"}},
		{name: "limit exceeded", account: func(ac *uissim.Account) { ac.Limits.MethodWeights = map[string]int{"get.account": 5000} },
			want: []string{"limit_exceeded", "request limit is used up"}},
		{name: "account in another time zone: the channel takes it", account: func(ac *uissim.Account) { ac.Timezone = "Asia/Yekaterinburg" },
			want: []string{"Connection works.", "Time zone taken from the UIS account:", "<code>Asia/Yekaterinburg</code>", "<code>Europe/Moscow</code>",
				`name="timezone" list="timezones" value="Asia/Yekaterinburg"`}},
		{name: "unreachable", apiURL: "http://127.0.0.1:1", want: []string{"UIS could not be reached"}},
		{name: "not a UIS API", apiURL: a.URL + "/healthz", want: []string{"answered, but not as the UIS API does"}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			call, data := tc.apiURL, tc.apiURL
			if tc.apiURL == "" {
				base := startSim(t, tc.account)
				call, data = base+"/v4.0", base+"/v2.0"
			}
			secret := tc.secret
			switch secret {
			case "":
				secret = uissim.DefaultAPIKey
			case "-":
				secret = ""
			}
			ch, err := a.Desk.CreateChannel(t.Context(), ringdesk.System, ringdesk.ChannelCreate{Name: "check " + itoa(int64(i)), AppSecret: secret,
				UIS: ringdesk.UISSettings{CallAPIURL: call, DataAPIURL: data}})
			if err != nil {
				t.Fatal(err)
			}
			c := admin
			if tc.ru {
				c = ruAdmin
			}
			res := c.PostForm(t, "/channels/"+itoa(ch.ID)+"/check", url.Values{})
			if res.StatusCode != 200 {
				t.Fatalf("check: %d %.300s", res.StatusCode, res.Body)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.Body, w) {
					i := strings.Index(res.Body, `id="check-result"`)
					t.Errorf("result lacks %q: %.1500s", w, res.Body[max(i, 0):])
				}
			}
			for _, w := range append(tc.notWant, uissim.DefaultAPIKey) {
				if strings.Contains(res.Body, w) {
					t.Errorf("result has %q", w)
				}
			}
		})
	}
	// Agents cannot run checks.
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Email: "agent@example.com", Role: ringdesk.RoleAgent})
	if res := a.Login(t, agent.Email, "agent-password-1").PostForm(t, "/channels/1/check", nil); res.StatusCode != 403 {
		t.Errorf("agent check: %d", res.StatusCode)
	}
}

package web_test

import (
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// ruAgent logs in a Russian-speaking agent.
func ruAgent(t *testing.T, a *apptest.App) *apptest.Client {
	t.Helper()
	ag := a.CreateAgent(t, ringdesk.AgentCreate{Email: "ru-ux@example.com", Role: ringdesk.RoleAgent, Lang: "ru"})
	return a.Login(t, ag.Email, "agent-password-1")
}

// The calls page's date filter reads as dates, not as phone numbers.
func TestCallsDateFilterRussian(t *testing.T) {
	a := apptest.New(t)
	res := ruAgent(t, a).Get(t, "/calls")
	if res.StatusCode != 200 {
		t.Fatalf("GET /calls: %d", res.StatusCode)
	}
	for _, want := range []string{">Дата с<", ">Дата по<", ">Обращения<"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("calls page lacks %q", want)
		}
	}
	for _, bad := range []string{"С номера", "На номер", "Заявки"} {
		if strings.Contains(res.Body, bad) {
			t.Errorf("calls page shows %q", bad)
		}
	}
}

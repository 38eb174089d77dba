package web_test

import (
	"fmt"
	"net/url"
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

// Error pages and form errors read in Russian, messages with values too.
func TestErrorsRussian(t *testing.T) {
	a := apptest.New(t)
	c := ruAgent(t, a)
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/tickets/999999", 404, "Обращение не найдено."},
		{"/calls/999999", 404, "Звонок не найден."},
		{"/calls/1/recordings/0", 404, "У звонка нет такой записи."},
		{"/tickets?status=zzz", 400, "Неизвестный статус: zzz"},
	} {
		res := c.Get(t, tc.path)
		if res.StatusCode != tc.status || !strings.Contains(res.Body, tc.want) {
			t.Errorf("GET %s: %d, want %d with %q", tc.path, res.StatusCode, tc.status, tc.want)
		}
	}
}

// A catalogue message on the client form's phone field reads in Russian
// (the form used to translate only messages carrying a value).
func TestClientFormPhonesErrorRussian(t *testing.T) {
	a := apptest.New(t)
	var phones []string
	for i := range 21 {
		phones = append(phones, fmt.Sprintf("+7926123%04d", i))
	}
	res := ruAgent(t, a).PostForm(t, "/clients", url.Values{"name": {"Много номеров"}, "phones": {strings.Join(phones, "\n")}})
	if res.StatusCode != 400 || !strings.Contains(res.Body, "Слишком много номеров: не более 20.") {
		t.Fatalf("POST /clients: %d, want 400 with the Russian message", res.StatusCode)
	}
}

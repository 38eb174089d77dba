package web_test

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// ruAgent logs in a Russian-speaking agent.
func ruAgent(t *testing.T, a *apptest.App) *apptest.Client {
	t.Helper()
	ag := a.CreateAgent(t, ringdesk.AgentCreate{Email: "ru-ux@example.com", Role: ringdesk.RoleAgent, Lang: "ru"})
	return a.Login(t, ag.Email, "agent-password-1")
}

// The calls page's date filter reads as dates, not as phone numbers.
func TestCallsDateFilterRussian(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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

// The call page formats the calling number, puts the UIS source into
// words and shows the UIS contact name only when it differs from the client's.
func TestCallPageWords(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	first := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79261234567", ContactName: "Анна Петрова", WaitSeconds: 5})
	c := ruAgent(t, a)
	res := c.Get(t, "/calls/"+strconv.FormatInt(first.ID, 10))
	if res.StatusCode != 200 {
		t.Fatalf("GET call: %d", res.StatusCode)
	}
	for _, want := range []string{"Номер звонящего</dt><dd>&#43;7 926 123-45-67</dd>", "Источник</dt><dd>Звонок через виртуальную АТС <span class=\"muted\">(va)</span>"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("call page lacks %q", want)
		}
	}
	for _, bad := range []string{">79261234567<", "имя в UIS"} {
		if strings.Contains(res.Body, bad) {
			t.Errorf("call page shows %q", bad)
		}
	}
	// UIS names the caller differently from the client card: both are shown.
	second := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79261234567", ContactName: "Петрова А.", WaitSeconds: 5})
	if second.ClientID != first.ClientID {
		t.Fatalf("the same number made another client")
	}
	res = c.Get(t, "/calls/"+strconv.FormatInt(second.ID, 10))
	if !strings.Contains(res.Body, "(имя в UIS: Петрова А.)") {
		t.Errorf("call page hides a different UIS name")
	}
	// Call tables mark a recording with words, not a bare note sign.
	if strings.Contains(res.Body, "♪") || !strings.Contains(res.Body, "<th>Запись</th>") {
		t.Errorf("call table recording column: %q", res.Body[strings.Index(res.Body, "<thead>"):][:300])
	}
}

// A phone ticket's reply form, with no mailbox set up, starts on an
// internal note and says a reply is only kept in the ticket.
func TestReplyFormHonest(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	call := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79265550177", WaitSeconds: 4})
	c := ruAgent(t, a)
	res := c.Get(t, "/tickets/"+strconv.FormatInt(call.TicketID, 10))
	if res.StatusCode != 200 {
		t.Fatalf("GET ticket: %d", res.StatusCode)
	}
	for _, want := range []string{`name="kind" value="note" checked`, "Ответ для истории (клиенту не отправляется)",
		"ответы остаются в обращении, интеграции могут прочитать их через API"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
	for _, bad := range []string{`name="kind" value="reply" checked`, "Ответ клиенту"} {
		if strings.Contains(res.Body, bad) {
			t.Errorf("ticket page shows %q", bad)
		}
	}
	// A failed reply keeps the kind the agent chose.
	res = c.PostForm(t, "/tickets/"+strconv.FormatInt(call.TicketID, 10)+"/comments", url.Values{"kind": {"reply"}, "body": {""}})
	if res.StatusCode != 400 || !strings.Contains(res.Body, `name="kind" value="reply" checked`) {
		t.Errorf("failed reply: %d, the reply kind not kept", res.StatusCode)
	}
	if ringdesk.DeliversReplies(ringdesk.ChannelTypeUIS) || ringdesk.DeliversReplies("") {
		t.Error("UIS (or no channel) delivers replies")
	}
}

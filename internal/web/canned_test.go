package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestCannedRepliesAPI: shared replies only administrators change,
// personal ones only their owner sees (another agent gets 404, not 403),
// validation names the field, shortcuts clash per scope, search, and the
// ticket's picker gets the replies filled for that ticket.
func TestCannedRepliesAPI(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	admin, _, err := a.DB.AgentCredentials(ctx, apptest.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	olga := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Ольга", Email: "olga@example.com", Role: ringdesk.RoleAgent})
	boris := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Борис", Email: "boris@example.com", Role: ringdesk.RoleAgent})
	client := seedClient(t, a, "Петров Иван", "+79261234567")
	tk, err := a.Desk.CreateTicket(ctx, olga, ringdesk.TicketCreate{Subject: "Счёт за май", ClientID: client})
	if err != nil {
		t.Fatal(err)
	}
	anon := seedClient(t, a, "+7 926 000-00-00", "+79260000000")
	tkAnon, err := a.Desk.CreateTicket(ctx, olga, ringdesk.TicketCreate{Subject: "Звонок", ClientID: anon})
	if err != nil {
		t.Fatal(err)
	}
	clients := map[string]*apptest.Client{"admintoken": a.TokenClient(t, admin), "token": a.TokenClient(t, olga), "boris": a.TokenClient(t, boris)}
	runScenarios(t, a, clients, []scenario{
		{name: "admin creates a shared reply", as: "admintoken", method: "POST", path: "/api/v1/canned_replies",
			json: map[string]any{"title": "Приветствие", "body": "Здравствуйте, {{client.name}}! Обращение №{{ticket.number}}. {{agent.name}}",
				"shortcut": "/Hello", "shared": true}, wantStatus: 201,
			wantIn: []string{`"id":1`, `"shortcut":"hello"`, `"shared":true`, `"owner_id":null`}},
		{name: "agent cannot create a shared one", as: "token", method: "POST", path: "/api/v1/canned_replies",
			json: map[string]any{"title": "X", "body": "Y", "shared": true}, wantStatus: 403, wantIn: []string{"Only administrators"}},
		{name: "agent creates a personal one", as: "token", method: "POST", path: "/api/v1/canned_replies",
			json: map[string]any{"title": "Мой счёт", "body": "Счёт по обращению «{{ticket.subject}}» отправлен.", "shortcut": "schet"}, wantStatus: 201,
			wantIn: []string{`"id":2`, `"shared":false`, `"owner_id":` + itoa(olga.ID)}},
		{name: "unknown placeholder", as: "token", method: "POST", path: "/api/v1/canned_replies",
			json: map[string]any{"title": "X", "body": "Ваш телефон {{client.phone}}"}, wantStatus: 400,
			wantIn: []string{`"code":"invalid"`, `"body":"Unknown placeholder {{client.phone}}. Use {{client.name}}, {{agent.name}}, {{ticket.number}}, {{ticket.subject}}."`}},
		{name: "unclosed placeholder", as: "token", method: "POST", path: "/api/v1/canned_replies",
			json: map[string]any{"title": "X", "body": "Привет, {{client.name"}, wantStatus: 400, wantIn: []string{`"body":"A placeholder is not closed with }}: {{client.name"`}},
		{name: "title and text required", as: "token", method: "POST", path: "/api/v1/canned_replies", json: map[string]any{}, wantStatus: 400,
			wantIn: []string{`"title":"Title is required."`, `"body":"Text is required."`}},
		{name: "bad shortcut", as: "token", method: "POST", path: "/api/v1/canned_replies",
			json: map[string]any{"title": "X", "body": "Y", "shortcut": "two words"}, wantStatus: 400, wantIn: []string{`"shortcut":"A shortcut is one word`}},
		{name: "same shortcut twice for one agent", as: "token", method: "POST", path: "/api/v1/canned_replies",
			json: map[string]any{"title": "Другой", "body": "Y", "shortcut": "SCHET"}, wantStatus: 409, wantIn: []string{`"shortcut":"This shortcut is taken`}},
		{name: "another agent may use the same shortcut", as: "boris", method: "POST", path: "/api/v1/canned_replies",
			json: map[string]any{"title": "Счёт Бориса", "body": "Самовывоз", "shortcut": "schet"}, wantStatus: 201, wantIn: []string{`"shortcut":"schet"`, `"owner_id":` + itoa(boris.ID)}},
		{name: "unknown field", as: "token", method: "POST", path: "/api/v1/canned_replies",
			json: map[string]any{"title": "X", "body": "Y", "owner_id": boris.ID}, wantStatus: 400},
		{name: "agent lists shared and own", as: "token", method: "GET", path: "/api/v1/canned_replies", wantStatus: 200,
			wantIn: []string{`"title":"Мой счёт"`, `"title":"Приветствие"`}, wantNotIn: []string{"Бориса"}},
		{name: "search", as: "token", method: "GET", path: "/api/v1/canned_replies?q=%D0%A1%D0%A7%D0%95%D0%A2", wantStatus: 200,
			wantIn: []string{`"title":"Мой счёт"`}, wantNotIn: []string{"Приветствие", "Бориса"}},
		{name: "shared only", as: "token", method: "GET", path: "/api/v1/canned_replies?scope=shared", wantStatus: 200,
			wantIn: []string{"Приветствие"}, wantNotIn: []string{"Мой счёт"}},
		{name: "bad scope", as: "token", method: "GET", path: "/api/v1/canned_replies?scope=all", wantStatus: 400, wantIn: []string{`"scope"`}},
		{name: "bad limit", as: "token", method: "GET", path: "/api/v1/canned_replies?limit=0", wantStatus: 400, wantIn: []string{`"limit"`}},
		{name: "another agent's personal reply is not found", as: "boris", method: "GET", path: "/api/v1/canned_replies/2", wantStatus: 404},
		{name: "nor can it be changed", as: "boris", method: "PATCH", path: "/api/v1/canned_replies/2", json: map[string]any{"title": "X"}, wantStatus: 404},
		{name: "nor deleted", as: "boris", method: "DELETE", path: "/api/v1/canned_replies/2", wantStatus: 404},
		{name: "nor by an administrator", as: "admintoken", method: "GET", path: "/api/v1/canned_replies/2", wantStatus: 404},
		{name: "agent reads a shared one", as: "token", method: "GET", path: "/api/v1/canned_replies/1", wantStatus: 200, wantIn: []string{`"title":"Приветствие"`}},
		{name: "agent cannot change a shared one", as: "token", method: "PATCH", path: "/api/v1/canned_replies/1", json: map[string]any{"title": "X"}, wantStatus: 403},
		{name: "agent cannot delete a shared one", as: "token", method: "DELETE", path: "/api/v1/canned_replies/1", wantStatus: 403},
		{name: "owner changes theirs", as: "token", method: "PATCH", path: "/api/v1/canned_replies/2",
			json: map[string]any{"title": "Счёт отправлен", "shared": false}, wantStatus: 200, wantIn: []string{`"title":"Счёт отправлен"`, `"shortcut":"schet"`}},
		{name: "a personal reply stays personal", as: "token", method: "PATCH", path: "/api/v1/canned_replies/2", json: map[string]any{"shared": true}, wantStatus: 400,
			wantIn: []string{`"shared"`}},
		{name: "a patch is validated", as: "token", method: "PATCH", path: "/api/v1/canned_replies/2", json: map[string]any{"body": "{{ticket.status}}"}, wantStatus: 400},
		{name: "admin changes a shared one", as: "admintoken", method: "PATCH", path: "/api/v1/canned_replies/1",
			json: map[string]any{"body": "Здравствуйте, {{client.name}}! Обращение №{{ticket.number}}. {{ agent.name }}"}, wantStatus: 200},
		{name: "filled for the ticket", as: "token", method: "GET", path: "/api/v1/tickets/" + itoa(tk.ID) + "/canned_replies", wantStatus: 200,
			wantIn: []string{`"text":"Здравствуйте, Петров Иван! Обращение №` + itoa(tk.ID) + `. Ольга"`,
				`"text":"Счёт по обращению «Счёт за май» отправлен."`}, wantNotIn: []string{"Бориса"}},
		{name: "shortcut first", as: "token", method: "GET", path: "/api/v1/tickets/" + itoa(tk.ID) + "/canned_replies?q=hello", wantStatus: 200,
			wantIn: []string{`"canned_replies":[{"id":1,`}},
		{name: "a client without a name", as: "token", method: "GET", path: "/api/v1/tickets/" + itoa(tkAnon.ID) + "/canned_replies?q=hello", wantStatus: 200,
			wantIn: []string{`"text":"Здравствуйте! Обращение №` + itoa(tkAnon.ID) + `. Ольга"`}},
		{name: "missing ticket", as: "token", method: "GET", path: "/api/v1/tickets/999/canned_replies", wantStatus: 404},
		{name: "owner deletes theirs", as: "token", method: "DELETE", path: "/api/v1/canned_replies/2", wantStatus: 204},
		{name: "gone", as: "token", method: "GET", path: "/api/v1/canned_replies/2", wantStatus: 404},
		{name: "admin deletes a shared one", as: "admintoken", method: "DELETE", path: "/api/v1/canned_replies/1", wantStatus: 204},
	})
}

// TestCannedRepliesPages: the Canned replies page for an agent (shared
// ones to use, their own to edit), the form's errors keep what was typed,
// and what an agent may not do with a shared reply or another agent's.
func TestCannedRepliesPages(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	olga := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Ольга", Email: "olga@example.com", Role: ringdesk.RoleAgent, Lang: "ru"})
	boris := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Борис", Email: "boris@example.com", Role: ringdesk.RoleAgent, Lang: "en"})
	title, body, shared := "Приветствие", "Здравствуйте, {{client.name}}!", true
	if _, err := a.Desk.CreateCannedReply(ctx, ringdesk.System, ringdesk.CannedInput{Title: &title, Body: &body, Shared: &shared}); err != nil {
		t.Fatal(err)
	}
	btitle, bbody := "Личное Бориса", "Самовывоз"
	bc, err := a.Desk.CreateCannedReply(ctx, boris, ringdesk.CannedInput{Title: &btitle, Body: &bbody})
	if err != nil {
		t.Fatal(err)
	}
	admin := a.Admin(t)
	agent := a.Login(t, "olga@example.com", "agent-password-1")
	borisWeb := a.Login(t, "boris@example.com", "agent-password-1")
	runScenarios(t, a, map[string]*apptest.Client{"admin": admin, "agent": agent, "boris": borisWeb}, []scenario{
		{name: "the page in Russian", as: "agent", method: "GET", path: "/canned-replies", wantStatus: 200,
			wantIn:    []string{`href="/canned-replies" aria-current="page"`, "Шаблоны ответов", "Приветствие", "1 шаблон<", "Открыть"},
			wantNotIn: []string{"Бориса", "Новый общий шаблон"}},
		{name: "the admin may make shared ones", as: "admin", method: "GET", path: "/canned-replies", wantStatus: 200,
			wantIn: []string{`href="/canned-replies/new?shared=1"`}, wantNotIn: []string{"Бориса"}},
		{name: "a bad placeholder keeps the text", as: "agent", method: "POST", path: "/canned-replies",
			form: url.Values{"title": {"Мой"}, "body": {"Телефон {{client.phone}} и ещё текст"}, "shortcut": {"moi"}}, wantStatus: 400,
			wantIn: []string{"Неизвестная подстановка {{client.phone}}", `aria-invalid="true"`, "Телефон {{client.phone}} и ещё текст", `value="moi"`}},
		{name: "an agent cannot make a shared one", as: "agent", method: "POST", path: "/canned-replies",
			form: url.Values{"title": {"Мой"}, "body": {"Текст"}, "shared": {"1"}}, wantStatus: 403},
		{name: "create", as: "agent", method: "POST", path: "/canned-replies",
			form: url.Values{"title": {"Мой ответ"}, "body": {"Спасибо, {{client.name}}!"}, "shortcut": {"spasibo"}, "shared": {"0"}}, wantStatus: 303},
		{name: "listed with the shared one", as: "agent", method: "GET", path: "/canned-replies", wantStatus: 200,
			wantIn: []string{"Мой ответ", "<code>/spasibo</code>", "Только вам", "Всем", "2 шаблона"}},
		{name: "search", as: "agent", method: "GET", path: "/canned-replies?q=spas", wantStatus: 200,
			wantIn: []string{"Мой ответ", "1 шаблон<"}, wantNotIn: []string{">Приветствие<"}},
		{name: "nothing found", as: "agent", method: "GET", path: "/canned-replies?q=zzz", wantStatus: 200, wantIn: []string{"Подходящих шаблонов нет."}},
		{name: "a shared one is read only for an agent", as: "agent", method: "GET", path: "/canned-replies/1", wantStatus: 200,
			wantIn: []string{"Общими шаблонами управляют администраторы.", "readonly", `href="/canned-replies/new?from=1"`}},
		{name: "a copy to make one's own", as: "agent", method: "GET", path: "/canned-replies/new?from=1", wantStatus: 200,
			wantIn: []string{`value="Приветствие"`, "Здравствуйте, {{client.name}}!"}},
		{name: "no copy of another agent's", as: "agent", method: "GET", path: "/canned-replies/new?from=" + itoa(bc.ID), wantStatus: 404},
		{name: "agent cannot save a shared one", as: "agent", method: "POST", path: "/canned-replies/1",
			form: url.Values{"title": {"X"}, "body": {"Y"}}, wantStatus: 403},
		{name: "agent cannot delete a shared one", as: "agent", method: "POST", path: "/canned-replies/1/delete", form: url.Values{}, wantStatus: 403},
		{name: "another agent's is not found", as: "agent", method: "GET", path: "/canned-replies/" + itoa(bc.ID), wantStatus: 404},
		{name: "nor saved", as: "agent", method: "POST", path: "/canned-replies/" + itoa(bc.ID), form: url.Values{"title": {"X"}, "body": {"Y"}}, wantStatus: 404},
		{name: "admin edits a shared one", as: "admin", method: "GET", path: "/canned-replies/1", wantStatus: 200,
			wantIn: []string{`action="/canned-replies/1"`, "Delete canned reply"}, wantNotIn: []string{"readonly"}},
		{name: "an edit is validated", as: "admin", method: "POST", path: "/canned-replies/1",
			form: url.Values{"title": {""}, "body": {"Здравствуйте!"}}, wantStatus: 400, wantIn: []string{"Title is required.", "Здравствуйте!"}},
		{name: "admin saves", as: "admin", method: "POST", path: "/canned-replies/1",
			form: url.Values{"title": {"Привет"}, "body": {"Добрый день, {{client.name|коллеги}}!"}, "shortcut": {"hi"}}, wantStatus: 303},
		{name: "boris in English", as: "boris", method: "GET", path: "/canned-replies", wantStatus: 200,
			wantIn: []string{"Canned replies", "Личное Бориса", "Привет", "2 canned replies"}, wantNotIn: []string{"Мой ответ"}},
		{name: "admin deletes", as: "admin", method: "POST", path: "/canned-replies/1/delete", form: url.Values{}, wantStatus: 303},
		{name: "deleted", as: "agent", method: "GET", path: "/canned-replies?flash=canned_deleted", wantStatus: 200,
			wantIn: []string{"Шаблон удалён.", "1 шаблон<"}, wantNotIn: []string{"Привет"}},
	})
	// The ticket page has the picker under the reply box.
	client := seedClient(t, a, "Петров Иван", "+79261234567")
	tk, err := a.Desk.CreateTicket(ctx, olga, ringdesk.TicketCreate{Subject: "Счёт", ClientID: client})
	if err != nil {
		t.Fatal(err)
	}
	res := agent.Get(t, "/tickets/"+itoa(tk.ID))
	for _, want := range []string{`data-canned-picker data-url="/api/v1/tickets/` + itoa(tk.ID) + `/canned_replies"`, "Шаблон ответа", "в начале строки", "canned."} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
}

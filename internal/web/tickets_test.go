package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

type apiTicket struct {
	ID              int64      `json:"id"`
	Number          int64      `json:"number"`
	Subject         string     `json:"subject"`
	Status          string     `json:"status"`
	StatusID        int        `json:"status_id"`
	Priority        string     `json:"priority"`
	Type            string     `json:"type"`
	ChannelID       *int64     `json:"channel_id"`
	ClientID        int64      `json:"client_id"`
	AssigneeID      *int64     `json:"assignee_id"`
	Tags            []string   `json:"tags"`
	Missed          bool       `json:"missed"`
	FirstResponseAt *time.Time `json:"first_response_at"`
	SolvedAt        *time.Time `json:"solved_at"`
}

type apiTicketList struct {
	Tickets    []apiTicket `json:"tickets"`
	NextCursor string      `json:"next_cursor"`
}

type apiError struct {
	Error struct {
		Code   string            `json:"code"`
		Fields map[string]string `json:"fields"`
	} `json:"error"`
}

func seedClient(t *testing.T, a *apptest.App, name string, phones ...string) int64 {
	t.Helper()
	id, err := a.DB.SeedClient(context.Background(), name, phones, []string{strings.ToLower(strings.Fields(name)[0]) + "@example.ru"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestTicketAPI(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Ольга Смирнова", Email: "olga@example.com", Role: ringdesk.RoleAgent, Password: "password-123"})
	api := a.TokenClient(t, agent)
	client := seedClient(t, a, "Петров Иван", "+79261234567")

	res := api.JSON(t, "POST", "/api/v1/tickets", map[string]any{"subject": "Не приходит SMS", "client_id": client,
		"tags": []string{"SMS", "срочно"}, "body": "Код не приходит уже час"})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	var tk apiTicket
	res.JSON(t, &tk)
	if tk.Status != "new" || tk.StatusID != 8 || tk.Number != tk.ID || tk.Priority != "medium" || tk.Type != "question" ||
		strings.Join(tk.Tags, ",") != "sms,срочно" || tk.ClientID != client {
		t.Fatalf("created %+v", tk)
	}

	// Bad input: a clear field error each, and nothing written.
	tickets, events := countRows(t, a, "tickets"), countRows(t, a, "ticket_events")
	for _, c := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"unknown status", map[string]any{"subject": "x", "client_id": client, "status": "done"}, "status"},
		{"missing client", map[string]any{"subject": "x", "client_id": 999999, "body": "hello"}, "client_id"},
		{"no client", map[string]any{"subject": "x"}, "client_id"},
		{"long subject", map[string]any{"subject": strings.Repeat("я", 251), "client_id": client}, "subject"},
		{"empty subject", map[string]any{"subject": "  ", "client_id": client}, "subject"},
		{"odd tag", map[string]any{"subject": "x", "client_id": client, "tags": []string{"ok", "no spaces!"}}, "tags"},
		{"too many tags", map[string]any{"subject": "x", "client_id": client, "tags": strings.Split("a b c d e f g h i j k l m n o p q r s t u", " ")}, "tags"},
		{"unknown priority", map[string]any{"subject": "x", "client_id": client, "priority": "high"}, "priority"},
		{"missing assignee", map[string]any{"subject": "x", "client_id": client, "assignee_id": 424242}, "assignee_id"},
	} {
		res := api.JSON(t, "POST", "/api/v1/tickets", c.body)
		var e apiError
		res.JSON(t, &e)
		if res.StatusCode != http.StatusBadRequest || e.Error.Code != "invalid" || e.Error.Fields[c.field] == "" {
			t.Errorf("%s: %d %s", c.name, res.StatusCode, res.Body)
		}
	}
	if res := api.JSON(t, "POST", "/api/v1/tickets", map[string]any{"subject": "x", "client_id": client, "colour": "red"}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown field: %d", res.StatusCode)
	}
	if countRows(t, a, "tickets") != tickets || countRows(t, a, "ticket_events") != events {
		t.Fatal("a refused ticket left rows behind")
	}

	// A reply from the agent opens the ticket and is the first response.
	res = api.JSON(t, "POST", fmt.Sprintf("/api/v1/tickets/%d/comments", tk.ID), map[string]any{"body": "Проверьте, пожалуйста, номер"})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("comment: %d %s", res.StatusCode, res.Body)
	}
	if res := api.JSON(t, "POST", fmt.Sprintf("/api/v1/tickets/%d/comments", tk.ID), map[string]any{"body": " "}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("empty comment: %d", res.StatusCode)
	}
	res = api.JSON(t, "PATCH", fmt.Sprintf("/api/v1/tickets/%d", tk.ID), map[string]any{"status": "solved", "assignee_id": agent.ID,
		"priority": "urgent", "tags": []string{"sms"}})
	res.JSON(t, &tk)
	if res.StatusCode != http.StatusOK || tk.Status != "solved" || tk.StatusID != 2 || tk.SolvedAt == nil || tk.FirstResponseAt == nil ||
		tk.AssigneeID == nil || *tk.AssigneeID != agent.ID || len(tk.Tags) != 1 {
		t.Fatalf("patch: %d %s", res.StatusCode, res.Body)
	}
	for _, bad := range []map[string]any{{"status": "finished"}, {"subject": ""}, {"tags": []string{"a b"}}, {"client_id": 999999}} {
		if res := api.JSON(t, "PATCH", fmt.Sprintf("/api/v1/tickets/%d", tk.ID), bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("patch %v: %d %s", bad, res.StatusCode, res.Body)
		}
	}
	var tl struct {
		Events []struct {
			Kind       string         `json:"kind"`
			AuthorType string         `json:"author_type"`
			AuthorID   *int64         `json:"author_id"`
			Data       map[string]any `json:"data"`
		} `json:"events"`
	}
	api.Get(t, fmt.Sprintf("/api/v1/tickets/%d/events", tk.ID)).JSON(t, &tl)
	var kinds []string
	for _, e := range tl.Events {
		kinds = append(kinds, e.Kind)
	}
	if got := strings.Join(kinds, ","); got != "reply,status,reply,status,priority,assignee,tags" {
		t.Fatalf("timeline %s", got)
	}
	if st := tl.Events[3]; st.Data["from"] != "open" || st.Data["to"] != "solved" || st.AuthorID == nil || *st.AuthorID != agent.ID {
		t.Fatalf("status audit %+v", st)
	}

	// List filters as query parameters.
	other := seedClient(t, a, "Сидорова Анна", "+79035550011")
	api.JSON(t, "POST", "/api/v1/tickets", map[string]any{"subject": "Счёт для юрлица", "client_id": other, "status": "open"})
	list := func(q string) []int64 {
		t.Helper()
		res := api.Get(t, "/api/v1/tickets?"+q)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("list %s: %d %s", q, res.StatusCode, res.Body)
		}
		var l apiTicketList
		res.JSON(t, &l)
		var ids []int64
		for _, x := range l.Tickets {
			ids = append(ids, x.ID)
		}
		return ids
	}
	for q, want := range map[string]int{
		fmt.Sprintf("client_id=%d", client): 1, fmt.Sprintf("client_id=%d&status=open", client): 0, "status=open,solved": 2,
		"assignee=me": 1, "assignee=unassigned": 1, "tag=sms": 1, "view=solved": 1, "view=open": 1, "missed=true": 0,
		"q=" + url.QueryEscape("сидорова"): 1, "q=" + url.QueryEscape("8 (903) 555-00-11"): 1, "q=" + url.QueryEscape("номер"): 1,
		"q=" + url.QueryEscape("ivan@"): 0, "q=" + url.QueryEscape("петров@example"): 1, "sort=created&limit=1": 1,
	} {
		if got := list(q); len(got) != want {
			t.Errorf("list %s: %v, want %d", q, got, want)
		}
	}
	var page apiTicketList
	api.Get(t, "/api/v1/tickets?limit=1").JSON(t, &page)
	if page.NextCursor == "" {
		t.Fatal("no next cursor")
	}
	if ids := list("limit=1&cursor=" + page.NextCursor); len(ids) != 1 || ids[0] == page.Tickets[0].ID {
		t.Errorf("next page %v", ids)
	}
	for _, q := range []string{"status=done", "cursor=zz", "assignee=someone", "created_from=yesterday", "sort=name", "missed=maybe"} {
		if res := api.Get(t, "/api/v1/tickets?"+q); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, `"fields"`) {
			t.Errorf("bad filter %s: %d %s", q, res.StatusCode, res.Body)
		}
	}
	if res := api.Get(t, "/api/v1/tickets/999999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("missing ticket: %d", res.StatusCode)
	}
	if res := a.Anon(t).Get(t, "/api/v1/tickets"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", res.StatusCode)
	}
}

func TestTicketPages(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	web := a.Admin(t)
	client := seedClient(t, a, "Кузнецов <b>Пётр</b>", "+79261234567")

	if res := web.Get(t, "/"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/tickets" {
		t.Fatalf("home: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := web.Get(t, "/tickets/new?client_id="+fmt.Sprint(client)); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `name="subject"`) {
		t.Fatalf("new form: %d", res.StatusCode)
	}
	// Bad input re-renders the form with the field errors and keeps what was typed.
	res := web.PostForm(t, "/tickets", url.Values{"subject": {strings.Repeat("x", 251)}, "client_id": {"999999"}, "status": {"open"},
		"priority": {"medium"}, "type": {"question"}, "tags": {"ok, плохой тег!"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "Subject must be at most 250 characters.") ||
		!strings.Contains(res.Body, "плохой") {
		t.Fatalf("bad form: %d %s", res.StatusCode, res.Body)
	}
	res = web.PostForm(t, "/tickets", url.Values{"subject": {"Заказ <script>alert(1)</script>"}, "client_id": {"999999"}, "status": {"open"}, "priority": {"medium"}, "type": {"question"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "Client not found.") || strings.Contains(res.Body, "<script>alert") {
		t.Fatalf("missing client form: %d", res.StatusCode)
	}
	if n := countRows(t, a, "tickets"); n != 0 {
		t.Fatalf("%d tickets after refused forms", n)
	}
	res = web.PostForm(t, "/tickets", url.Values{"subject": {"Заказ <script>alert(1)</script>"}, "client_id": {fmt.Sprint(client)}, "status": {"open"},
		"priority": {"urgent"}, "type": {"problem"}, "tags": {"vip, доставка"}, "body": {"Курьер не приехал"}, "body_kind": {"reply"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	loc := res.Header.Get("Location")
	path := strings.SplitN(loc, "?", 2)[0]
	page := web.Get(t, loc)
	for _, want := range []string{"Ticket created.", "Заказ &lt;script&gt;", "Курьер не приехал", "&#43;7 926 123-45-67", "Кузнецов &lt;b&gt;Пётр&lt;/b&gt;", `value="vip, доставка"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
	if strings.Contains(page.Body, "<script>alert") || strings.Contains(page.Body, "<b>Пётр") {
		t.Fatal("client text not escaped")
	}
	// Reply and solve in one go; a note; change assignee and tags.
	if res := web.PostForm(t, path+"/comments", url.Values{"kind": {"reply"}, "body": {"Уже едет"}, "status": {"solved"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d %s", res.StatusCode, res.Body)
	}
	if res := web.PostForm(t, path+"/comments", url.Values{"kind": {"note"}, "body": {""}}); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "Write a message.") {
		t.Fatalf("empty note: %d", res.StatusCode)
	}
	res = web.PostForm(t, path, url.Values{"subject": {"Заказ не доставлен"}, "status": {"open"}, "assignee_id": {"1"}, "priority": {"urgent"}, "type": {"problem"}, "tags": {"vip"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d %s", res.StatusCode, res.Body)
	}
	if res := web.PostForm(t, path, url.Values{"status": {"finished"}, "tags": {"a b!"}}); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "Unknown status.") {
		t.Fatalf("bad update: %d", res.StatusCode)
	}
	page = web.Get(t, path)
	for _, want := range []string{"Уже едет", "changed status: Open → Solved", "changed status: Solved → Open", "changed assignee: nobody → Admin", "changed subject: Заказ &lt;script&gt;alert(1)&lt;/script&gt; → Заказ не доставлен", "changed tags: vip, доставка → vip"} {
		if !strings.Contains(strings.Join(strings.Fields(page.Body), " "), want) {
			t.Errorf("timeline lacks %q", want)
		}
	}

	// The list: views with counts, search, sort and the next page.
	list := web.Get(t, "/tickets")
	if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, "Заказ не доставлен") || !strings.Contains(list.Body, `id="tk-search"`) {
		t.Fatalf("list: %d", list.StatusCode)
	}
	if !strings.Contains(list.Body, "tickets.") || !strings.Contains(list.Body, ".js") {
		t.Error("list lacks its script")
	}
	for q, want := range map[string]bool{"?view=mine": true, "?view=solved": false, "?q=" + url.QueryEscape("пётр"): true, "?q=" + url.QueryEscape("+7 926 123 45 67"): true,
		"?q=nothing-like-this": false, "?view=unassigned": false, "?sort=created&view=all": true, "?tag=vip&status=open": true} {
		res := web.Get(t, "/tickets"+q)
		if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "Заказ не доставлен") != want {
			t.Errorf("list %s: %d, found %v", q, res.StatusCode, !want)
		}
	}
	if res := web.Get(t, "/tickets?status=done"); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "Unknown status") {
		t.Errorf("bad status filter: %d", res.StatusCode)
	}
	for i := range 55 {
		if res := web.PostForm(t, "/tickets", url.Values{"subject": {fmt.Sprintf("Ticket %d", i)}, "client_id": {fmt.Sprint(client)}, "status": {"open"}, "priority": {"low"}, "type": {"task"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create %d: %d", i, res.StatusCode)
		}
	}
	list = web.Get(t, "/tickets?view=open")
	i := strings.Index(list.Body, `rel="next"`)
	if i < 0 {
		t.Fatal("no next page link")
	}
	href := list.Body[strings.LastIndex(list.Body[:i], `href="`)+6 : i-2]
	next := web.Get(t, strings.ReplaceAll(href, "&amp;", "&"))
	if next.StatusCode != http.StatusOK || !strings.Contains(next.Body, "Ticket 0") || strings.Contains(next.Body, "Ticket 54<") {
		t.Errorf("next page: %d", next.StatusCode)
	}
	if !strings.Contains(list.Body, "<span>All open</span><span class=\"tk-count\">56</span>") {
		t.Errorf("view counts missing")
	}
}

func TestCallTicketInListSearchAndTimeline(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	web := a.Admin(t)
	answered := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79031112233", EmployeeIDs: []int64{petrova}, WaitSeconds: 5, TalkSeconds: 65})
	missed := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79031112244", WaitSeconds: 20})

	list := web.Get(t, "/tickets?view=all")
	if !strings.Contains(list.Body, fmt.Sprintf(`href="/tickets/%d"`, answered.TicketID)) || !strings.Contains(list.Body, fmt.Sprintf(`href="/tickets/%d"`, missed.TicketID)) {
		t.Fatalf("call tickets not listed: %s", list.Body)
	}
	for _, spelling := range []string{"8 (903) 111-22-33", "+7 903 111 22 33", "9031112233"} {
		res := web.Get(t, "/tickets?view=all&q="+url.QueryEscape(spelling))
		if !strings.Contains(res.Body, fmt.Sprintf(`href="/tickets/%d"`, answered.TicketID)) || strings.Contains(res.Body, fmt.Sprintf(`href="/tickets/%d"`, missed.TicketID)) {
			t.Errorf("search %q does not find just the caller's ticket", spelling)
		}
	}
	page := strings.Join(strings.Fields(web.Get(t, fmt.Sprintf("/tickets/%d", answered.TicketID)).Body), " ")
	for _, want := range []string{"Incoming call", "&#43;7 903 111-22-33", "to line &#43;7 495 123-45-67", "Answered by " + tel.Agents[petrova].Name, "talk 1:05"} {
		if !strings.Contains(page, want) {
			t.Errorf("call entry lacks %q", want)
		}
	}
	mv := web.Get(t, "/tickets?view=missed")
	if !strings.Contains(mv.Body, fmt.Sprintf(`href="/tickets/%d"`, missed.TicketID)) || strings.Contains(mv.Body, fmt.Sprintf(`href="/tickets/%d"`, answered.TicketID)) {
		t.Errorf("missed view: %s", mv.Body)
	}
	mp := strings.Join(strings.Fields(web.Get(t, fmt.Sprintf("/tickets/%d", missed.TicketID)).Body), " ")
	if !strings.Contains(mp, "Missed") || !strings.Contains(mp, "Nobody answered.") {
		t.Errorf("missed call entry: %s", mp)
	}
	var l apiTicketList
	a.TokenClient(t, tel.Agents[petrova]).Get(t, "/api/v1/tickets?missed=true").JSON(t, &l)
	if len(l.Tickets) != 1 || l.Tickets[0].ID != missed.TicketID || !l.Tickets[0].Missed {
		t.Errorf("api missed: %+v", l)
	}
}

// TestTicketTimelineMergeAndChannel: a client merge and changes of channel
// and client show in the moved ticket's timeline in words, in English and
// Russian.
func TestTicketTimelineMergeAndChannel(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	web := a.Admin(t)
	ru := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Ольга", Email: "olga@example.com", Role: ringdesk.RoleAdmin, Lang: ringdesk.LangRU, Password: "password-123"})
	ruWeb := a.Login(t, ru.Email, "password-123")
	ctx := context.Background()
	var channels []int64
	for _, name := range []string{"Sales line", "Support line"} {
		ch, err := a.Desk.CreateChannel(ctx, ringdesk.System, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeUIS, Name: name, AppSecret: "secret-123456",
			UIS: ringdesk.UISSettings{CallAPIURL: "https://callapi.uiscom.ru/v4.0", DataAPIURL: "https://dataapi.uiscom.ru/v2.0"}})
		if err != nil {
			t.Fatal(err)
		}
		channels = append(channels, ch.ID)
	}
	anna := seedClient(t, a, "Anna Smirnova", "+79261110000")
	dup := seedClient(t, a, "Annette <i>dup</i>", "+79262220000")
	res := web.PostForm(t, "/tickets", url.Values{"subject": {"Refund"}, "client_id": {fmt.Sprint(dup)}, "status": {"open"},
		"priority": {"medium"}, "type": {"question"}, "channel_id": {fmt.Sprint(channels[0])}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	path := strings.SplitN(res.Header.Get("Location"), "?", 2)[0]

	// The channel changes on the ticket page: one audit entry with names.
	res = web.PostForm(t, path, url.Values{"channel_id": {fmt.Sprint(channels[1])}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change channel: %d %s", res.StatusCode, res.Body)
	}
	if res := web.PostForm(t, path, url.Values{"channel_id": {"x"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad channel id: %d", res.StatusCode)
	}
	if res := web.PostForm(t, path, url.Values{"channel_id": {"999"}}); res.StatusCode == http.StatusSeeOther {
		t.Errorf("missing channel accepted")
	}
	res = web.PostForm(t, "/clients/"+fmt.Sprint(anna)+"/merge", url.Values{"other_id": {fmt.Sprint(dup)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("merge: %d %s", res.StatusCode, res.Body)
	}
	words := func(c *apptest.Client) string { return strings.Join(strings.Fields(c.Get(t, path).Body), " ") }
	en := words(web)
	for _, want := range []string{
		"Administrator changed channel: Sales line → Support line",
		fmt.Sprintf(`Client <strong>Annette &lt;i&gt;dup&lt;/i&gt;</strong> (#%d) was merged into <a href="/clients/%d">Anna Smirnova</a> (#%d) by Administrator`, dup, anna, anna),
		`<option value="` + fmt.Sprint(channels[1]) + `" selected>Support line</option>`,
	} {
		if !strings.Contains(en, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	if strings.Contains(en, "<i>dup") {
		t.Error("merged client name not escaped")
	}
	if n := strings.Count(en, "changed channel"); n != 1 {
		t.Errorf("%d channel entries, want 1 (refused changes write none)", n)
	}
	ruPage := words(ruWeb)
	for _, want := range []string{"Administrator изменил(а) канал: Sales line → Support line",
		fmt.Sprintf(`Клиент <strong>Annette &lt;i&gt;dup&lt;/i&gt;</strong> (#%d) объединён с клиентом <a href="/clients/%d">Anna Smirnova</a> (#%d) — объединил(а) Administrator`, dup, anna, anna)} {
		if !strings.Contains(ruPage, want) {
			t.Errorf("Russian timeline lacks %q", want)
		}
	}

	// A refused tag reads in Russian on the ticket page and on the new-ticket form.
	if res := ruWeb.PostForm(t, path, url.Values{"tags": {"ок тег!"}}); res.StatusCode != http.StatusBadRequest ||
		!strings.Contains(res.Body, "Тег «тег!»: только буквы, цифры, _ и -, не длиннее 50 символов.") {
		t.Errorf("bad tag on the ticket page: %d, no Russian message", res.StatusCode)
	}
	if res := ruWeb.PostForm(t, "/tickets", url.Values{"subject": {"x"}, "client_id": {fmt.Sprint(anna)}, "tags": {"тег!"}}); res.StatusCode != http.StatusBadRequest ||
		!strings.Contains(res.Body, "Тег «тег!»") || strings.Contains(res.Body, "use letters") {
		t.Errorf("bad tag on the new-ticket form: %d, no Russian message", res.StatusCode)
	}

	// The client changes through the API: the entry names both clients.
	api := a.TokenClient(t, ru)
	other := seedClient(t, a, "Boris Petrov", "+79263330000")
	if res := api.JSON(t, "PATCH", "/api/v1"+path, map[string]any{"client_id": other}); res.StatusCode != http.StatusOK {
		t.Fatalf("change client: %d %s", res.StatusCode, res.Body)
	}
	if want := fmt.Sprintf("Ольга changed client: Anna Smirnova (#%d) → Boris Petrov (#%d)", anna, other); !strings.Contains(words(web), want) {
		t.Errorf("timeline lacks %q", want)
	}
}

// TestNewTicketClientPicker: the new-ticket form picks its client by text
// without JavaScript: one match is taken, several come back as choices, none
// is a clear field error; a client card opens the form with its client.
func TestNewTicketClientPicker(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	web := a.Admin(t)
	petrov := seedClient(t, a, "Пётр Кузнецов", "+79261234567")
	ivan1 := seedClient(t, a, "Иван Смирнов", "+79261110001")
	ivan2, err := a.DB.SeedClient(context.Background(), "Иван Соколов", []string{"+79261110002"}, []string{"sokolov@example.ru"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	create := func(form url.Values) *apptest.Response {
		t.Helper()
		base := url.Values{"subject": {"Вопрос"}, "status": {"open"}, "priority": {"medium"}, "type": {"question"}}
		for k, v := range form {
			base[k] = v
		}
		return web.PostForm(t, "/tickets", base)
	}
	ticketClient := func(res *apptest.Response) int64 {
		t.Helper()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d %.3000s", res.StatusCode, res.Body)
		}
		var id int64
		fmt.Sscanf(res.Header.Get("Location"), "/tickets/%d", &id)
		return readTicket(t, a, id).clientID
	}

	// The client card's button opens the form with the client filled in.
	card := web.Get(t, fmt.Sprintf("/clients/%d", petrov))
	if !strings.Contains(card.Body, fmt.Sprintf(`href="/tickets/new?client_id=%d"`, petrov)) {
		t.Fatal("client card has no New ticket button")
	}
	form := web.Get(t, fmt.Sprintf("/tickets/new?client_id=%d", petrov))
	for _, want := range []string{`name="client" value="Пётр Кузнецов"`, fmt.Sprintf(`name="client_id" value="%d"`, petrov), "&#43;7 926 123-45-67"} {
		if !strings.Contains(form.Body, want) {
			t.Errorf("prefilled form lacks %q", want)
		}
	}
	if strings.Contains(form.Body, "Client ID") {
		t.Error("the form still asks for a client id")
	}

	// The prefilled choice is sent as is; one match by any part is taken.
	if got := ticketClient(create(url.Values{"client": {"Пётр Кузнецов"}, "client_id": {fmt.Sprint(petrov)}})); got != petrov {
		t.Errorf("prefilled: client %d, want %d", got, petrov)
	}
	for _, q := range []string{"кузнец", "8 926 123-45-67", "пётр@example", "Соколов"} {
		want := petrov
		if q == "Соколов" {
			want = ivan2
		}
		if got := ticketClient(create(url.Values{"client": {q}})); got != want {
			t.Errorf("text %q: client %d, want %d", q, got, want)
		}
	}
	// Retyped after a choice: the text wins over the stale id.
	if got := ticketClient(create(url.Values{"client": {"Иван Смирнов"}, "client_id": {fmt.Sprint(petrov)}})); got != ivan1 {
		t.Errorf("retyped: client %d, want %d", got, ivan1)
	}

	// Several matches: the form comes back with the choices and keeps the rest.
	res := create(url.Values{"client": {"иван"}, "tags": {"vip"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "Several clients match; choose one below.") ||
		!strings.Contains(res.Body, fmt.Sprintf(`name="client_choice" value="%d"`, ivan1)) || !strings.Contains(res.Body, fmt.Sprintf(`name="client_choice" value="%d"`, ivan2)) ||
		!strings.Contains(res.Body, `value="vip"`) || !strings.Contains(res.Body, `name="client" value="иван"`) {
		t.Fatalf("ambiguous: %d %.4000s", res.StatusCode, res.Body)
	}
	if got := ticketClient(create(url.Values{"client": {"иван"}, "client_choice": {fmt.Sprint(ivan2)}})); got != ivan2 {
		t.Errorf("chosen: client %d, want %d", got, ivan2)
	}
	before := countRows(t, a, "tickets")
	for q, want := range map[string]string{
		"":                 "Type a name, phone or email and choose a client.",
		"Никого такого":    "No client matches this search; check it or create the client first.",
		"+7 999 000-00-00": "No client matches this search; check it or create the client first.",
	} {
		res := create(url.Values{"client": {q}, "subject": {""}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, want) || !strings.Contains(res.Body, "Subject is required.") {
			t.Errorf("text %q: %d, want %q and the subject error", q, res.StatusCode, want)
		}
	}
	if res := create(url.Values{"client": {"x"}, "client_choice": {"999999"}}); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "Client not found.") {
		t.Errorf("missing chosen client: %d", res.StatusCode)
	}
	if n := countRows(t, a, "tickets"); n != before {
		t.Errorf("%d tickets written by refused forms", n-before)
	}
}

// TestDateFiltersUseAgentZone: a date filter is a day in the agent's own
// time zone. At 23:30 in Moscow it is already the next morning in
// Vladivostok, so an agent there finds the ticket under the next day.
func TestDateFiltersUseAgentZone(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	at := time.Date(2026, 11, 24, 20, 30, 0, 0, time.UTC) // 23:30 MSK, 06:30 on the 25th in Vladivostok
	a.Desk.SetClock(func() time.Time { return at })
	vlad := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Дальний", Email: "vlad@example.com", Role: ringdesk.RoleAgent, Password: "password-123"})
	zone := "Asia/Vladivostok"
	if _, err := a.Desk.UpdateAgent(context.Background(), ringdesk.System, vlad.ID, ringdesk.AgentUpdate{TimeZone: &zone}); err != nil {
		t.Fatal(err)
	}
	msk := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Московский", Email: "msk@example.com", Role: ringdesk.RoleAgent, Password: "password-123"})
	client := seedClient(t, a, "Петров Иван", "+79261234567")
	if res := a.TokenClient(t, msk).JSON(t, "POST", "/api/v1/tickets", map[string]any{"subject": "Поздний звонок", "client_id": client}); res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	count := func(agent *ringdesk.Agent, query string) int {
		res := a.TokenClient(t, agent).Get(t, "/api/v1/tickets?"+query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", query, res.StatusCode, res.Body)
		}
		return strings.Count(res.Body, "Поздний звонок")
	}
	for _, c := range []struct {
		agent *ringdesk.Agent
		query string
		want  int
	}{
		{vlad, "created_from=2026-11-25", 1},
		{vlad, "created_to=2026-11-24", 0},
		{vlad, "created_from=25.11.2026&created_to=25.11.2026", 1},
		{msk, "created_from=2026-11-24&created_to=2026-11-24", 1},
		{msk, "created_from=2026-11-25", 0},
	} {
		if got := count(c.agent, c.query); got != c.want {
			t.Errorf("%s as %s: %d tickets, want %d", c.query, c.agent.Email, got, c.want)
		}
	}
	if res := a.TokenClient(t, vlad).Get(t, "/api/v1/tickets?created_from=2026-99-99"); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "31.01.2026") {
		t.Errorf("bad date: %d %s", res.StatusCode, res.Body)
	}
}

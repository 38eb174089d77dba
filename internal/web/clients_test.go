package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// apiClient is a client as the API returns it.
type apiClient struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Company string   `json:"company"`
	Note    string   `json:"note"`
	Phones  []string `json:"phones"`
	Emails  []string `json:"emails"`
}

type apiClientList struct {
	Clients    []apiClient `json:"clients"`
	NextCursor string      `json:"next_cursor"`
}

type apiErr struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func createClient(t *testing.T, c *apptest.Client, body map[string]any) apiClient {
	t.Helper()
	res := c.JSON(t, "POST", "/api/v1/clients", body)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create client: %d %s", res.StatusCode, res.Body)
	}
	var out apiClient
	res.JSON(t, &out)
	return out
}

func clientByPhoneAPI(t *testing.T, c *apptest.Client, raw string) []apiClient {
	t.Helper()
	res := c.Get(t, "/api/v1/clients?phone="+url.QueryEscape(raw))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("?phone=%s: %d %s", raw, res.StatusCode, res.Body)
	}
	var l apiClientList
	res.JSON(t, &l)
	return l.Clients
}

func TestClientFoundByEverySpellingOfItsNumber(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	admin := a.Admin(t)
	api := a.TokenClient(t, a.CreateAgent(t, apptestAgent("api@example.com")))
	ivan := createClient(t, api, map[string]any{"name": "Ivan Petrov", "phones": []string{"8 (926) 123-45-67"}})
	createClient(t, api, map[string]any{"name": "Somebody Else", "phones": []string{"+7 903 111-22-33"}})
	if len(ivan.Phones) != 1 || ivan.Phones[0] != "+79261234567" {
		t.Fatalf("phones = %q, want E.164", ivan.Phones)
	}
	for _, spelling := range []string{"8 (926) 123-45-67", "+7 926 123 45 67", "79261234567", "9261234567", "89261234567"} {
		t.Run(spelling, func(t *testing.T) {
			got := clientByPhoneAPI(t, api, spelling)
			if len(got) != 1 || got[0].ID != ivan.ID {
				t.Errorf("API ?phone=: %+v, want only #%d", got, ivan.ID)
			}
			var l apiClientList
			api.Get(t, "/api/v1/clients?q="+url.QueryEscape(spelling)).JSON(t, &l)
			if len(l.Clients) != 1 || l.Clients[0].ID != ivan.ID {
				t.Errorf("API ?q=: %+v, want only #%d", l.Clients, ivan.ID)
			}
			page := admin.Get(t, "/clients?q="+url.QueryEscape(spelling))
			if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Ivan Petrov") || strings.Contains(page.Body, "Somebody Else") {
				t.Errorf("page search: %d, want Ivan only: %.2000s", page.StatusCode, page.Body)
			}
			// The number is shown for humans, carrying E.164 and the client for click-to-call.
			want := fmt.Sprintf(`<a class="phone" href="tel:&#43;79261234567" data-phone="&#43;79261234567" data-client-id="%d">&#43;7 926 123-45-67</a>`, ivan.ID)
			if !strings.Contains(page.Body, want) && !strings.Contains(page.Body, strings.ReplaceAll(want, "&#43;", "+")) {
				t.Errorf("page lacks the client-phone link %s", want)
			}
		})
	}
	if got := clientByPhoneAPI(t, api, "+7 926 000 00 00"); len(got) != 0 {
		t.Errorf("unknown number found %+v", got)
	}
	// An unknown number offers a new client with that number filled in.
	page := admin.Get(t, "/clients?q="+url.QueryEscape("8 926 000-00-00"))
	if !strings.Contains(page.Body, "/clients/new?phone=8%20926%20000-00-00") {
		t.Errorf("no-match page does not offer a new client with the number: %.2000s", page.Body)
	}
	if form := admin.Get(t, "/clients/new?phone="+url.QueryEscape("8 926 000-00-00")); !strings.Contains(form.Body, "8 926 000-00-00</textarea>") {
		t.Errorf("new form not prefilled")
	}
	res := api.Get(t, "/api/v1/clients?phone=12ab")
	var e apiErr
	res.JSON(t, &e)
	if res.StatusCode != http.StatusBadRequest || e.Error.Fields["phone"] == "" {
		t.Errorf("bad ?phone=: %d %s", res.StatusCode, res.Body)
	}
}

// apptestAgent is a plain agent with this email.
func apptestAgent(email string) ringdesk.AgentCreate {
	return ringdesk.AgentCreate{Email: email, Name: "Agent " + email, Role: ringdesk.RoleAgent}
}

func TestClientDuplicateNumberConflicts(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	admin := a.Admin(t)
	api := a.TokenClient(t, a.CreateAgent(t, apptestAgent("api@example.com")))
	ivan := createClient(t, api, map[string]any{"name": "Ivan Petrov", "phones": []string{"+79261234567"}, "emails": []string{"Ivan@Example.com"}})
	want := fmt.Sprintf("+7 926 123-45-67 already belongs to Ivan Petrov (#%d).", ivan.ID)

	res := api.JSON(t, "POST", "/api/v1/clients", map[string]any{"name": "Dup", "phones": []string{"8 926 123 45 67"}})
	var e apiErr
	res.JSON(t, &e)
	if res.StatusCode != http.StatusConflict || e.Error.Code != "conflict" || e.Error.Fields["phones"] != want {
		t.Errorf("API duplicate: %d %s, want 409 with %q", res.StatusCode, res.Body, want)
	}
	res = api.JSON(t, "POST", "/api/v1/clients", map[string]any{"name": "Dup", "emails": []string{"ivan@example.COM"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "ivan@example.com already belongs to Ivan Petrov") {
		t.Errorf("API duplicate email: %d %s", res.StatusCode, res.Body)
	}
	// The form re-renders with the message (in Russian for this admin) and what was typed.
	page := admin.PostForm(t, "/clients", url.Values{"name": {"Dup Person"}, "phones": {"9261234567"}})
	if page.StatusCode != http.StatusConflict || !strings.Contains(page.Body, "Ivan Petrov (#"+fmt.Sprint(ivan.ID)+")") ||
		!strings.Contains(page.Body, `value="Dup Person"`) || !strings.Contains(page.Body, "9261234567</textarea>") {
		t.Errorf("form duplicate: %d %.3000s", page.StatusCode, page.Body)
	}
	// Updating another client to own the number is refused the same way.
	other := createClient(t, api, map[string]any{"name": "Other"})
	res = api.JSON(t, "PATCH", fmt.Sprintf("/api/v1/clients/%d", other.ID), map[string]any{"phones": []string{"79261234567"}})
	res.JSON(t, &e)
	if res.StatusCode != http.StatusConflict || e.Error.Fields["phones"] != want {
		t.Errorf("PATCH duplicate: %d %s", res.StatusCode, res.Body)
	}
	// Two spellings of one number in one request are one number.
	twice := createClient(t, api, map[string]any{"name": "Twice", "phones": []string{"8 903 222 33 44", "+79032223344", " 79032223344 "}})
	if len(twice.Phones) != 1 || twice.Phones[0] != "+79032223344" {
		t.Errorf("phones = %q, want one E.164 number", twice.Phones)
	}
	// Its own number again is not a conflict.
	res = api.JSON(t, "PATCH", fmt.Sprintf("/api/v1/clients/%d", ivan.ID), map[string]any{"phones": []string{"89261234567", "+7 903 111 22 33"}})
	var got apiClient
	res.JSON(t, &got)
	if res.StatusCode != http.StatusOK || len(got.Phones) != 2 || got.Emails[0] != "ivan@example.com" {
		t.Errorf("PATCH own number: %d %s", res.StatusCode, res.Body)
	}
}

func TestClientBadInputStoresNothing(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	admin := a.Admin(t)
	api := a.TokenClient(t, a.CreateAgent(t, apptestAgent("api@example.com")))
	cases := []struct {
		name  string
		body  any
		field string
		text  string
	}{
		{"one bad phone of two", map[string]any{"name": "Half", "phones": []string{"+79031112233", "12a"}}, "phones", "12a"},
		{"no name", map[string]any{"phones": []string{"+79031112233"}}, "name", "required"},
		{"long name", map[string]any{"name": strings.Repeat("я", 201), "phones": []string{"+79031112233"}}, "name", "200"},
		{"bad email", map[string]any{"name": "X", "phones": []string{"+79031112233"}, "emails": []string{"not-an-email"}}, "emails", "not-an-email"},
		{"extension only", map[string]any{"name": "X", "phones": []string{"+79031112233", "105"}}, "phones", "105"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := api.JSON(t, "POST", "/api/v1/clients", c.body)
			var e apiErr
			res.JSON(t, &e)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(e.Error.Fields[c.field], c.text) {
				t.Errorf("status %d body %s, want 400 with %s naming %q", res.StatusCode, res.Body, c.field, c.text)
			}
			if got := clientByPhoneAPI(t, api, "+79031112233"); len(got) != 0 {
				t.Errorf("half-written client stored: %+v", got)
			}
		})
	}
	var n int
	if err := a.DB.QueryRowForTest(context.Background(), `SELECT COUNT(*) FROM clients`).Scan(&n); err != nil || n != 0 {
		t.Errorf("clients stored = %d, %v", n, err)
	}
	// Unknown fields and bad JSON are refused.
	if res := api.JSON(t, "POST", "/api/v1/clients", `{"name":"X","phone":"+79031112233"}`); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown field: %d", res.StatusCode)
	}
	// The form shows the bad number in its field error and keeps the input.
	page := admin.PostForm(t, "/clients", url.Values{"name": {"Half"}, "phones": {"+79031112233\n12a"}})
	if page.StatusCode != http.StatusBadRequest || !strings.Contains(page.Body, "12a") || !strings.Contains(page.Body, `class="field-error"`) {
		t.Errorf("form: %d %.3000s", page.StatusCode, page.Body)
	}
	if res := api.Get(t, "/api/v1/clients/999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("missing client: %d", res.StatusCode)
	}
}

func TestClientPagesCreateEditShow(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	admin := a.Admin(t)
	if res := a.Anon(t).Get(t, "/clients"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous /clients: %d", res.StatusCode)
	}
	if res := admin.Get(t, "/clients/new"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `name="phones"`) {
		t.Fatalf("new form: %d", res.StatusCode)
	}
	res := admin.PostForm(t, "/clients", url.Values{"name": {"Мария Иванова"}, "company": {"ООО Ромашка"},
		"phones": {"8 (926) 123-45-67\n+7 903 111 22 33"}, "emails": {"maria@example.com"}, "note": {"VIP"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, "/clients/") || !strings.Contains(loc, "flash=client-created") {
		t.Fatalf("redirect %q", loc)
	}
	card := admin.Get(t, loc)
	for _, s := range []string{"Мария Иванова", "ООО Ромашка", "+7 926 123-45-67", "+7 903 111-22-33", "maria@example.com", "VIP", "Client created."} {
		if !strings.Contains(html.UnescapeString(card.Body), s) {
			t.Errorf("card lacks %q", s)
		}
	}
	// A new client has no tickets and no calls: no headings over nothing.
	if strings.Contains(card.Body, `id="client-tickets"`) || strings.Contains(card.Body, `id="client-calls"`) || strings.Contains(card.Body, "No calls.") {
		t.Errorf("a new client's card shows empty sections: %.3000s", card.Body)
	}
	path := strings.Split(loc, "?")[0]
	id := strings.TrimPrefix(path, "/clients/")
	if res := admin.PostForm(t, "/tickets", url.Values{"subject": {"Доставка"}, "client_id": {id}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ticket: %d %.1000s", res.StatusCode, res.Body)
	}
	if card := admin.Get(t, path); !strings.Contains(card.Body, `id="client-tickets"`) || !strings.Contains(card.Body, "Доставка") {
		t.Errorf("the card does not list the client's ticket: %.3000s", card.Body)
	}
	edit := admin.Get(t, path+"/edit")
	if edit.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(edit.Body), "+7 926 123-45-67\n+7 903 111-22-33</textarea>") {
		t.Errorf("edit form: %d %.2000s", edit.StatusCode, edit.Body)
	}
	// An empty name re-renders the form with the error; nothing changes.
	res = admin.PostForm(t, path, url.Values{"name": {""}, "phones": {"+79261234567"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, `aria-invalid="true"`) {
		t.Errorf("empty name: %d", res.StatusCode)
	}
	res = admin.PostForm(t, path, url.Values{"name": {"Мария Петрова"}, "company": {""}, "phones": {"+79261234567"}, "emails": {""}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d %s", res.StatusCode, res.Body)
	}
	card = admin.Get(t, path)
	if !strings.Contains(card.Body, "Мария Петрова") || strings.Contains(html.UnescapeString(card.Body), "+7 903 111-22-33") || strings.Contains(card.Body, "maria@example.com") {
		t.Errorf("updated card: %.3000s", card.Body)
	}
	// Text search is case-insensitive in Cyrillic too.
	if list := admin.Get(t, "/clients?q="+url.QueryEscape("МАРИЯ")); !strings.Contains(list.Body, "Мария Петрова") {
		t.Errorf("cyrillic search missed")
	}
	if res := admin.Get(t, "/clients/12345"); res.StatusCode != http.StatusNotFound {
		t.Errorf("missing card: %d", res.StatusCode)
	}
}

func TestClientListPages(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	admin := a.Admin(t)
	api := a.TokenClient(t, a.CreateAgent(t, apptestAgent("api@example.com")))
	for i := range 7 {
		createClient(t, api, map[string]any{"name": fmt.Sprintf("Client %02d", i)})
	}
	seen := map[int64]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("too many pages")
		}
		var l apiClientList
		api.Get(t, "/api/v1/clients?limit=3&cursor="+url.QueryEscape(cursor)).JSON(t, &l)
		for _, c := range l.Clients {
			if seen[c.ID] {
				t.Errorf("client %d twice", c.ID)
			}
			seen[c.ID] = true
		}
		if l.NextCursor == "" {
			break
		}
		cursor = l.NextCursor
	}
	if len(seen) != 7 {
		t.Errorf("saw %d clients, want 7", len(seen))
	}
	if res := api.Get(t, "/api/v1/clients?limit=0"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("limit=0: %d", res.StatusCode)
	}
	if res := api.Get(t, "/api/v1/clients?cursor=zz"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad cursor: %d", res.StatusCode)
	}
	// The page links to the next page, which continues the list.
	page := admin.Get(t, "/clients")
	if !strings.Contains(page.Body, "Client 06") {
		t.Errorf("first page lacks clients")
	}
}

func TestClientNameIsEscaped(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	admin := a.Admin(t)
	api := a.TokenClient(t, a.CreateAgent(t, apptestAgent("api@example.com")))
	c := createClient(t, api, map[string]any{"name": `<script>alert(1)</script>`, "company": `"><img src=x>`, "note": "<b>hi</b>"})
	other := createClient(t, api, map[string]any{"name": "Plain"})
	for _, path := range []string{"/clients", fmt.Sprintf("/clients/%d", c.ID), fmt.Sprintf("/clients/%d/edit", c.ID),
		fmt.Sprintf("/clients/%d/merge?other=%d", other.ID, c.ID), fmt.Sprintf("/clients/%d/merge?q=script", other.ID)} {
		res := admin.Get(t, path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
		if strings.Contains(res.Body, "<script>alert") || strings.Contains(res.Body, "<img src=x>") || strings.Contains(res.Body, "<b>hi</b>") {
			t.Errorf("%s renders client text unescaped", path)
		}
		if !strings.Contains(res.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s lacks the escaped name", path)
		}
	}
}

func TestMergeMovesTicketsAndCalls(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	admin := a.Admin(t)
	api := a.TokenClient(t, tel.Agents[ivanov])
	known := createClient(t, api, map[string]any{"name": "Known Customer", "phones": []string{"+79261234567"}})

	// A call from a new number creates a client that is really Known Customer.
	call := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79031112233", WaitSeconds: 5})
	if call.ClientID == known.ID {
		t.Fatal("call went to the known client already")
	}
	callClient := call.ClientID
	if readTicket(t, a, call.TicketID).clientID != callClient {
		t.Fatal("ticket of the call has another client")
	}

	// The merge screen: search, then confirm with both shown.
	res := admin.Get(t, fmt.Sprintf("/clients/%d/merge?q=%s", known.ID, url.QueryEscape("8 903 111-22-33")))
	if !strings.Contains(res.Body, fmt.Sprintf("/clients/%d/merge?other=%d", known.ID, callClient)) {
		t.Fatalf("merge search does not offer the call's client: %.3000s", res.Body)
	}
	res = admin.Get(t, fmt.Sprintf("/clients/%d/merge?other=%d", known.ID, callClient))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Known Customer") || !strings.Contains(html.UnescapeString(res.Body), "+7 903 111-22-33") ||
		!strings.Contains(res.Body, fmt.Sprintf(`name="other_id" value="%d"`, callClient)) {
		t.Fatalf("confirm screen: %d %.3000s", res.StatusCode, res.Body)
	}
	res = admin.PostForm(t, fmt.Sprintf("/clients/%d/merge", known.ID), url.Values{"other_id": {fmt.Sprint(callClient)}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "flash=client-merged") {
		t.Fatalf("merge: %d %s", res.StatusCode, res.Body)
	}
	var moved int64
	if err := a.DB.QueryRowForTest(context.Background(), `SELECT client_id FROM calls WHERE id = $1`, call.ID).Scan(&moved); err != nil || moved != known.ID {
		t.Errorf("call client_id = %d (%v), want %d", moved, err, known.ID)
	}
	if got := readTicket(t, a, call.TicketID).clientID; got != known.ID {
		t.Errorf("ticket client_id = %d, want %d", got, known.ID)
	}
	var events int
	if err := a.DB.QueryRowForTest(context.Background(), `SELECT COUNT(*) FROM ticket_events WHERE ticket_id = $1 AND kind = 'client_merged' AND author_type = 'system'`,
		call.TicketID).Scan(&events); err != nil || events != 1 {
		t.Errorf("merge timeline entries = %d (%v), want 1", events, err)
	}
	if res := api.Get(t, fmt.Sprintf("/api/v1/clients/%d", callClient)); res.StatusCode != http.StatusNotFound {
		t.Errorf("merged client still there: %d", res.StatusCode)
	}
	got := clientByPhoneAPI(t, api, "89031112233")
	if len(got) != 1 || got[0].ID != known.ID || len(got[0].Phones) != 2 {
		t.Errorf("the call's number now belongs to %+v, want Known Customer with both numbers", got)
	}
	card := admin.Get(t, fmt.Sprintf("/clients/%d", known.ID))
	if !strings.Contains(card.Body, fmt.Sprintf(`href="/tickets/%d"`, call.TicketID)) {
		t.Errorf("card lacks the moved ticket")
	}
	// The next call from that number lands on the survivor.
	next := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79031112233", WaitSeconds: 5})
	if next.ClientID != known.ID {
		t.Errorf("next call's client = %d, want %d", next.ClientID, known.ID)
	}

	// The API merge returns the survivor; merging into itself or a missing client is refused.
	third := createClient(t, api, map[string]any{"name": "Third", "company": "ACME", "emails": []string{"t@example.com"}})
	res = api.JSON(t, "POST", fmt.Sprintf("/api/v1/clients/%d/merge", known.ID), map[string]any{"other_id": third.ID})
	var surv apiClient
	res.JSON(t, &surv)
	if res.StatusCode != http.StatusOK || surv.ID != known.ID || surv.Name != "Known Customer" || surv.Company != "ACME" || len(surv.Emails) != 1 {
		t.Errorf("API merge: %d %s", res.StatusCode, res.Body)
	}
	if res := api.JSON(t, "POST", fmt.Sprintf("/api/v1/clients/%d/merge", known.ID), map[string]any{"other_id": known.ID}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("self merge: %d", res.StatusCode)
	}
	if res := api.JSON(t, "POST", fmt.Sprintf("/api/v1/clients/%d/merge", known.ID), map[string]any{"other_id": third.ID}); res.StatusCode != http.StatusNotFound {
		t.Errorf("merge of a deleted client: %d", res.StatusCode)
	}
	if res := api.JSON(t, "POST", fmt.Sprintf("/api/v1/clients/%d/merge", known.ID), map[string]any{}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("merge without other_id: %d", res.StatusCode)
	}
}

func TestEditedClientNameSurvivesCalls(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	api := a.TokenClient(t, tel.Agents[ivanov])
	first := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79035556677", ContactName: "UIS Name", WaitSeconds: 5})
	res := api.JSON(t, "PATCH", fmt.Sprintf("/api/v1/clients/%d", first.ClientID), map[string]any{"name": "Сергей (бухгалтерия)"})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("rename: %d %s", res.StatusCode, res.Body)
	}
	second := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79035556677", ContactName: "Another UIS Name", WaitSeconds: 5})
	if second.ClientID != first.ClientID {
		t.Fatalf("second call made client %d, want %d", second.ClientID, first.ClientID)
	}
	var c apiClient
	api.Get(t, fmt.Sprintf("/api/v1/clients/%d", first.ClientID)).JSON(t, &c)
	if c.Name != "Сергей (бухгалтерия)" {
		t.Errorf("name after another call = %q", c.Name)
	}
	var edited bool
	if err := a.DB.QueryRowForTest(context.Background(), `SELECT name_edited FROM clients WHERE id = $1`, first.ClientID).Scan(&edited); err != nil || !edited {
		t.Errorf("name_edited = %v (%v)", edited, err)
	}
}

// TestCallerFoundByName: a client created by a call carries the name UIS
// knows and is found by any part of it, in the API and on the clients page;
// so it stays after a merge into it and after its name is edited.
func TestCallerFoundByName(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	admin := a.Admin(t)
	api := a.TokenClient(t, tel.Agents[ivanov])
	call := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79037778899", ContactName: "Анастасия Кудрявцева", WaitSeconds: 5})
	search := func(q string) []int64 {
		t.Helper()
		var list apiClientList
		res := api.Get(t, "/api/v1/clients?q="+url.QueryEscape(q))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("search %q: %d %s", q, res.StatusCode, res.Body)
		}
		res.JSON(t, &list)
		var ids []int64
		for _, c := range list.Clients {
			ids = append(ids, c.ID)
		}
		return ids
	}
	for _, q := range []string{"кудряв", "Анастасия", "АНАСТАСИЯ КУД"} {
		if got := search(q); len(got) != 1 || got[0] != call.ClientID {
			t.Errorf("search %q = %v, want the caller %d", q, got, call.ClientID)
		}
	}
	if page := admin.Get(t, "/clients?q="+url.QueryEscape("кудряв")); !strings.Contains(page.Body, fmt.Sprintf(`href="/clients/%d"`, call.ClientID)) {
		t.Errorf("clients page search lacks the caller: %.2000s", page.Body)
	}

	// The card lists the call with its line as people write it.
	if card := admin.Get(t, fmt.Sprintf("/clients/%d", call.ClientID)); !strings.Contains(card.Body, "&#43;7 495 123-45-67") || strings.Contains(card.Body, ">74951234567<") {
		t.Errorf("client card shows the line unformatted")
	}

	// Another client merged into the caller: the caller is still found by
	// its name and takes the other's company into the search.
	other := createClient(t, api, map[string]any{"name": "Дубль", "company": "Ромашка"})
	if res := api.JSON(t, "POST", fmt.Sprintf("/api/v1/clients/%d/merge", call.ClientID), map[string]any{"other_id": other.ID}); res.StatusCode != http.StatusOK {
		t.Fatalf("merge: %d %s", res.StatusCode, res.Body)
	}
	for _, q := range []string{"кудряв", "ромашка"} {
		if got := search(q); len(got) != 1 || got[0] != call.ClientID {
			t.Errorf("after merge, search %q = %v, want the caller %d", q, got, call.ClientID)
		}
	}

	// Edited: found by the new name only.
	if res := api.JSON(t, "PATCH", fmt.Sprintf("/api/v1/clients/%d", call.ClientID), map[string]any{"name": "Анастасия Орлова"}); res.StatusCode != http.StatusOK {
		t.Fatalf("rename: %d %s", res.StatusCode, res.Body)
	}
	if got := search("орлова"); len(got) != 1 || got[0] != call.ClientID {
		t.Errorf("after edit, search by the new name = %v, want %d", got, call.ClientID)
	}
	if got := search("кудряв"); len(got) != 0 {
		t.Errorf("after edit, search by the old name = %v, want none", got)
	}
}

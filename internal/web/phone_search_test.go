package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestPartialNumberSearch: part of a number, as an agent types what a
// caller dictates, finds the caller's ticket (search box and API), the
// client (list, API, and the picker of the new ticket form without
// JavaScript) and the call (Calls page filter and API), in every spelling;
// three digits find no number: a text search for tickets and clients, a
// clear message on the Calls filter.
func TestPartialNumberSearch(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	target := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79261234567", ContactName: "Анна Искомая", WaitSeconds: 5})
	other := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79035550000", ContactName: "Борис Лишний", WaitSeconds: 5})
	also := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "74958926100", ContactName: "Глеб Другой", WaitSeconds: 5})
	admin := a.Admin(t)
	api := a.TokenClient(t, tel.Agents[ivanov])

	ticketIDs := func(q string) []int64 {
		t.Helper()
		res := api.Get(t, "/api/v1/tickets?q="+url.QueryEscape(q))
		var body struct {
			Tickets []struct{ ID int64 } `json:"tickets"`
		}
		if res.StatusCode != 200 {
			t.Fatalf("API tickets %q: %d %s", q, res.StatusCode, res.Body)
		}
		res.JSON(t, &body)
		var ids []int64
		for _, tk := range body.Tickets {
			ids = append(ids, tk.ID)
		}
		slices.Sort(ids)
		return ids
	}
	clientIDs := func(q string) []int64 {
		t.Helper()
		res := api.Get(t, "/api/v1/clients?q="+url.QueryEscape(q))
		var body struct {
			Clients []struct{ ID int64 } `json:"clients"`
		}
		if res.StatusCode != 200 {
			t.Fatalf("API clients %q: %d %s", q, res.StatusCode, res.Body)
		}
		res.JSON(t, &body)
		var ids []int64
		for _, c := range body.Clients {
			ids = append(ids, c.ID)
		}
		return ids
	}
	callIDs := func(q string) []int64 {
		t.Helper()
		res := api.Get(t, "/api/v1/calls?phone="+url.QueryEscape(q))
		var body struct {
			Calls []struct{ ID int64 } `json:"calls"`
		}
		if res.StatusCode != 200 {
			t.Fatalf("API calls %q: %d %s", q, res.StatusCode, res.Body)
		}
		res.JSON(t, &body)
		var ids []int64
		for _, c := range body.Calls {
			ids = append(ids, c.ID)
		}
		return ids
	}
	ticketLink := func(id int64) string { return `href="/tickets/` + strconv.FormatInt(id, 10) + `"` }
	clientLink := func(id int64) string { return `href="/clients/` + strconv.FormatInt(id, 10) + `"` }
	callLink := func(id int64) string { return `href="/calls/` + strconv.FormatInt(id, 10) + `"` }
	page := func(path string) string {
		t.Helper()
		res := admin.Get(t, path)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, res.Body)
		}
		return res.Body
	}

	spellings := []string{"926123", "8926123", "+7 926 123", "123-45", "8 (926) 123-4"}
	for _, q := range spellings {
		t.Run(q, func(t *testing.T) {
			if got := ticketIDs(q); !slices.Equal(got, []int64{target.TicketID}) {
				t.Errorf("API tickets: %v, want [%d]", got, target.TicketID)
			}
			if body := page("/tickets?q=" + url.QueryEscape(q)); !strings.Contains(body, ticketLink(target.TicketID)) ||
				strings.Contains(body, ticketLink(other.TicketID)) {
				t.Errorf("ticket list does not list exactly the caller's ticket")
			}
			if got := clientIDs(q); !slices.Equal(got, []int64{target.ClientID}) {
				t.Errorf("API clients: %v, want [%d]", got, target.ClientID)
			}
			if body := page("/clients?q=" + url.QueryEscape(q)); !strings.Contains(body, clientLink(target.ClientID)) ||
				strings.Contains(body, clientLink(other.ClientID)) {
				t.Errorf("client list does not list exactly the caller")
			}
			if got := callIDs(q); !slices.Equal(got, []int64{target.ID}) {
				t.Errorf("API calls: %v, want [%d]", got, target.ID)
			}
			if body := page("/calls?phone=" + url.QueryEscape(q)); !strings.Contains(body, callLink(target.ID)) ||
				strings.Contains(body, callLink(other.ID)) {
				t.Errorf("Calls page does not list exactly the caller's call")
			}
		})
	}
	// The picker of the new ticket form, without JavaScript: the text typed
	// resolves to the one client (after the searches above, which expect
	// the caller's one ticket).
	for _, q := range spellings {
		// The picker of the new ticket form, without JavaScript: the text
		// typed resolves to the one client.
		res := admin.PostForm(t, "/tickets", url.Values{"subject": {"Перезвонить клиенту"}, "client": {q}, "status": {"open"},
			"priority": {"medium"}, "type": {"question"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("new ticket for client %q: %d %s", q, res.StatusCode, res.Body)
		}
		id, err := strconv.ParseInt(strings.TrimPrefix(strings.Split(res.Header.Get("Location"), "?")[0], "/tickets/"), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		tk, err := a.DB.TicketByID(t.Context(), id)
		if err != nil || tk.ClientID != target.ClientID {
			t.Errorf("the picker chose client %v (%v), want %d", tk, err, target.ClientID)
		}
	}
	// "8926…" typed as dictated finds +7926…, and also a number holding
	// the digits as typed.
	if got := callIDs("8926 1"); !slices.Equal(got, []int64{also.ID, target.ID}) {
		t.Errorf("8926 1: calls %v, want [%d %d]", got, also.ID, target.ID)
	}

	// Three digits are no part of a number: tickets and clients get a text
	// search ("234" is in the caller's number but starts no word of the
	// ticket's subject, "… (+7 926 123-45-67)"), the Calls filter says what
	// to type.
	if got := ticketIDs("234"); len(got) != 0 {
		t.Errorf("tickets for 3 digits: %v", got)
	}
	if got := ticketIDs("926"); !slices.Equal(got, []int64{target.TicketID}) {
		t.Errorf("3 digits that start a word of the subject: tickets %v, want [%d]", got, target.TicketID)
	}
	if got := clientIDs("234"); len(got) != 0 {
		t.Errorf("clients for 3 digits: %v", got)
	}
	if body := page("/clients?q=234"); strings.Contains(body, clientLink(target.ClientID)) {
		t.Error("client list matched 3 digits")
	}
	res := admin.Get(t, "/calls?phone=234")
	if res.StatusCode != 400 || !strings.Contains(res.Body, "Type at least 4 digits of the number.") || strings.Contains(res.Body, callLink(target.ID)) {
		t.Errorf("Calls page, 3 digits: %d", res.StatusCode)
	}
	res = api.Get(t, "/api/v1/calls?phone=234")
	var apiErr struct {
		Error struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	res.JSON(t, &apiErr)
	if res.StatusCode != 400 || apiErr.Error.Fields["phone"] != "Type at least 4 digits of the number." {
		t.Errorf("API calls, 3 digits: %d %s", res.StatusCode, res.Body)
	}
	res = admin.PostForm(t, "/tickets", url.Values{"subject": {"Три цифры"}, "client": {"234"}, "status": {"open"},
		"priority": {"medium"}, "type": {"question"}})
	if res.StatusCode != 400 || !strings.Contains(res.Body, "No client matches this search") {
		t.Errorf("picker, 3 digits: %d", res.StatusCode)
	}
	// In Russian.
	ru := a.CreateAgent(t, ringdesk.AgentCreate{Email: "ru-search@example.com", Role: ringdesk.RoleAgent, Lang: "ru"})
	res = a.Login(t, ru.Email, "agent-password-1").Get(t, "/calls?phone=92-6")
	if res.StatusCode != 400 || !strings.Contains(res.Body, "Введите не меньше 4 цифр номера.") {
		t.Errorf("Calls page, 3 digits, Russian: %d", res.StatusCode)
	}
	// Whole numbers stay exact; text is no number.
	if got := callIDs("8 (903) 555-00-00"); !slices.Equal(got, []int64{other.ID}) {
		t.Errorf("whole number: %v, want [%d]", got, other.ID)
	}
	if res := admin.Get(t, "/calls?phone=nonsense"); res.StatusCode != 400 || !strings.Contains(res.Body, "not a valid phone number") {
		t.Errorf("text in the number filter: %d", res.StatusCode)
	}
}

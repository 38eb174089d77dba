package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// employeesSetup is a channel on the simulator whose Smirnov is linked to
// nobody (his agent keeps his email) and has answered a call.
func employeesSetup(t *testing.T) (*apptest.App, *apptest.Telephony, string) {
	t.Helper()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	if _, err := a.Desk.UpdateAgent(t.Context(), ringdesk.System, tel.Agents[323403].ID, ringdesk.AgentUpdate{ClearOperatorID: true}); err != nil {
		t.Fatal(err)
	}
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79261230001", EmployeeIDs: []int64{323403}})
	return a, tel, "/channels/" + strconv.FormatInt(tel.Channel.ID, 10) + "/employees"
}

// TestChannelEmployeesPage: the page lists the account's employees from
// the simulator with their agents, suggests Smirnov's agent and flags him
// as seen in calls and linked to nobody; one click links them; refusals
// and UIS failures are said on the page (never a 500); agents may not look.
func TestChannelEmployeesPage(t *testing.T) {
	t.Parallel()
	a, tel, path := employeesSetup(t)
	admin := a.Admin(t)
	smirnov := tel.Agents[323403]

	page := admin.Get(t, path)
	for _, want := range []string{"Иванов Иван Петрович", "Петрова Анна Сергеевна", "Смирнов Алексей Викторович", "3 employees in UIS", "2 linked to agents",
		"1 seen in calls, linked to nobody", `id="employee-323403" class="unassigned"`, "suggested:", "same email", "ext. 103", "79161234504 (inactive)", "Продажи",
		`name="agent_id" value="` + strconv.FormatInt(smirnov.ID, 10) + `"`, "calls they answered stay unassigned"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if page.StatusCode != 200 || t.Failed() {
		t.Fatalf("%d %.4000s", page.StatusCode, page.Body)
	}
	if ch := admin.Get(t, "/channels/"+strconv.FormatInt(tel.Channel.ID, 10)); !strings.Contains(ch.Body, `href="`+path+`"`) {
		t.Errorf("the channel page does not lead to the employees")
	}

	// Refused: Ivanov's agent is linked to Ivanov already.
	res := admin.PostForm(t, path+"/323403/link", url.Values{"agent_id": {strconv.FormatInt(tel.Agents[323401].ID, 10)}})
	if res.StatusCode != 409 || !strings.Contains(res.Body, "is already linked to UIS employee 323401") || !strings.Contains(res.Body, `class="field-error"`) {
		t.Errorf("refused link: %d %.3000s", res.StatusCode, res.Body)
	}
	res = admin.PostForm(t, path+"/323403/link", url.Values{"agent_id": {""}})
	if res.StatusCode != 400 || !strings.Contains(res.Body, "Choose an agent.") {
		t.Errorf("no agent: %d", res.StatusCode)
	}

	// One click on the suggestion.
	res = admin.PostForm(t, path+"/323403/link", url.Values{"agent_id": {strconv.FormatInt(smirnov.ID, 10)}})
	if res.StatusCode != 303 || res.Header.Get("Location") != path+"?flash=linked#employee-323403" {
		t.Fatalf("link: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	page = admin.Get(t, path+"?flash=linked")
	if !strings.Contains(page.Body, "the calls this employee answers are assigned to the agent from now on") || strings.Contains(page.Body, "suggested:") ||
		!strings.Contains(page.Body, "3 linked to agents") {
		t.Errorf("after linking: %.3000s", page.Body)
	}

	// Refresh asks UIS again at once; a reload within 30 s does not.
	before := len(tel.Sim.Requests())
	admin.Get(t, path)
	if n := len(tel.Sim.Requests()); n != before {
		t.Errorf("a reload asked UIS again (%d requests, was %d)", n, before)
	}
	admin.Get(t, path+"?refresh=1")
	if n := len(tel.Sim.Requests()); n != before+1 {
		t.Errorf("Refresh: %d requests, want %d", n, before+1)
	}

	// Agents may not see or link.
	ag := a.Login(t, tel.Agents[323401].Email, "agent-password-1")
	if res := ag.Get(t, path); res.StatusCode != 403 {
		t.Errorf("agent GET: %d", res.StatusCode)
	}
	if res := ag.PostForm(t, path+"/323403/link", url.Values{"agent_id": {"1"}}); res.StatusCode != 403 {
		t.Errorf("agent POST: %d", res.StatusCode)
	}

	// UIS refuses: the page says what to do and still shows who was seen in calls.
	if err := tel.Sim.SetFaults(uissim.Faults{MethodErrors: map[string]string{"get.employees": "ip_not_whitelisted"}}); err != nil {
		t.Fatal(err)
	}
	a.Desk.SetClock(func() time.Time { return time.Now().Add(time.Minute) }) // past the list's cache
	page = admin.Get(t, path)
	if page.StatusCode != 200 || !strings.Contains(page.Body, `id="employees-error"`) || !strings.Contains(page.Body, "not on the API whitelist") ||
		!strings.Contains(page.Body, "Смирнов Алексей Викторович") {
		t.Errorf("UIS error page: %d %.3000s", page.StatusCode, page.Body)
	}
}

// TestChannelEmployeesRussian: Russian words and plural forms.
func TestChannelEmployeesRussian(t *testing.T) {
	t.Parallel()
	a, _, path := employeesSetup(t)
	ru := a.CreateAgent(t, ringdesk.AgentCreate{Email: "ru-admin@example.com", Role: ringdesk.RoleAdmin, Lang: "ru"})
	page := a.Login(t, ru.Email, "agent-password-1").Get(t, path)
	for _, want := range []string{"Сотрудники UIS", "3 сотрудника в UIS", "2 связаны с агентами", "1 был в звонках и ни с кем не связан", "похоже, это:", "доб. 103", "Связать"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("Russian page lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("%.4000s", page.Body)
	}
}

// TestChannelEmployeesAPI: the list and the link in the JSON API.
func TestChannelEmployeesAPI(t *testing.T) {
	t.Parallel()
	a, tel, _ := employeesSetup(t)
	admin, _, err := a.DB.AgentCredentials(t.Context(), apptest.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	api := a.TokenClient(t, admin)
	base := "/api/v1/channels/" + strconv.FormatInt(tel.Channel.ID, 10) + "/employees"
	var list struct {
		Employees []struct {
			ID         int64   `json:"id"`
			FullName   string  `json:"full_name"`
			Extension  string  `json:"extension"`
			Listed     bool    `json:"listed"`
			AgentID    *int64  `json:"agent_id"`
			Suggested  *int64  `json:"suggested_agent_id"`
			SuggBy     *string `json:"suggested_by"`
			Unassigned bool    `json:"unassigned"`
			Phones     []struct {
				Number string `json:"number"`
				Active bool   `json:"active"`
			} `json:"phone_numbers"`
			Groups []struct {
				Name string `json:"name"`
			} `json:"groups"`
		} `json:"employees"`
		FetchedAt *string         `json:"fetched_at"`
		UISError  *map[string]any `json:"uis_error"`
	}
	res := api.Get(t, base)
	res.JSON(t, &list)
	if res.StatusCode != 200 || len(list.Employees) != 3 || list.UISError != nil || list.FetchedAt == nil {
		t.Fatalf("list: %d %s", res.StatusCode, res.Body)
	}
	var s = list.Employees[0] // unassigned first
	if s.ID != 323403 || !s.Listed || s.AgentID != nil || s.Suggested == nil || *s.Suggested != tel.Agents[323403].ID || s.SuggBy == nil || *s.SuggBy != "email" ||
		!s.Unassigned || len(s.Phones) != 2 || s.Phones[1].Active || s.Groups[0].Name != "Продажи" || s.Extension != "103" {
		t.Errorf("Smirnov = %+v", s)
	}
	res = api.JSON(t, "POST", base+"/323403/link", map[string]any{"agent_id": tel.Agents[323403].ID})
	var ag struct {
		OperatorID *int64 `json:"operator_id"`
	}
	res.JSON(t, &ag)
	if res.StatusCode != 200 || ag.OperatorID == nil || *ag.OperatorID != 323403 {
		t.Errorf("link: %d %s", res.StatusCode, res.Body)
	}
	res = api.JSON(t, "POST", base+"/323402/link", map[string]any{"agent_id": tel.Agents[323403].ID})
	if res.StatusCode != 409 || !strings.Contains(res.Body, `"agent_id"`) {
		t.Errorf("agent linked elsewhere: %d %s", res.StatusCode, res.Body)
	}
	if res := a.TokenClient(t, tel.Agents[323401]).Get(t, base); res.StatusCode != 403 {
		t.Errorf("agent token: %d", res.StatusCode)
	}
	if err := tel.Sim.SetFaults(uissim.Faults{MethodErrors: map[string]string{"get.employees": "access_token_invalid"}}); err != nil {
		t.Fatal(err)
	}
	a.Desk.SetClock(func() time.Time { return time.Now().Add(time.Minute) })
	res = api.Get(t, base)
	list.UISError, list.Employees = nil, nil
	res.JSON(t, &list)
	if res.StatusCode != 200 || list.UISError == nil || (*list.UISError)["mnemonic"] != "access_token_invalid" || len(list.Employees) != 1 || list.Employees[0].Listed {
		t.Errorf("UIS error: %d %s", res.StatusCode, res.Body)
	}
}

package web_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

func TestCallsPages(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	transfer := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingTransfer, ContactNumber: "79035550101", ContactName: `<script>alert("x")</script>`,
		EmployeeIDs: []int64{ivanov, smirnov}, WaitSeconds: 3, TalkSeconds: 20, TransferTalkSeconds: 65})
	missed := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79035550102", WaitSeconds: 20})
	admin := a.Admin(t)

	res := admin.Get(t, "/calls")
	if res.StatusCode != 200 {
		t.Fatalf("GET /calls: %d %s", res.StatusCode, res.Body)
	}
	for _, want := range []string{`href="/calls/` + strconv.FormatInt(transfer.ID, 10) + `"`, `data-phone="&#43;79035550101"`,
		`data-client-id="` + strconv.FormatInt(transfer.ClientID, 10) + `"`, "Missed", "Answered", "/static/calls.", `href="/tickets/` + strconv.FormatInt(missed.TicketID, 10) + `"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("GET /calls lacks %s", want)
		}
	}
	if strings.Contains(res.Body, `<script>alert("x")`) {
		t.Fatal("a contact name from a webhook was not escaped")
	}
	res = admin.Get(t, "/calls?outcome=missed&phone=8-903-555-01-02")
	if res.StatusCode != 200 || !strings.Contains(res.Body, `/calls/`+strconv.FormatInt(missed.ID, 10)+`"`) || strings.Contains(res.Body, `/calls/`+strconv.FormatInt(transfer.ID, 10)+`"`) {
		t.Fatalf("filtered: %d", res.StatusCode)
	}
	if res := admin.Get(t, "/calls?phone=nonsense"); res.StatusCode != 400 || !strings.Contains(res.Body, "not a valid phone number") {
		t.Fatalf("bad filter: %d", res.StatusCode)
	}

	// Details: the admin sees the raw events without the channel token.
	res = admin.Get(t, "/calls/"+strconv.FormatInt(transfer.ID, 10))
	if res.StatusCode != 200 {
		t.Fatalf("GET /calls/{id}: %d %s", res.StatusCode, res.Body)
	}
	for _, want := range []string{"UIS events", "call_finished", "Transfer", "Yes", fmt.Sprintf("%d:%02d", transfer.TalkSeconds/60, transfer.TalkSeconds%60), "Recordings", "<audio", "/calls/" + strconv.FormatInt(transfer.ID, 10) + "/recordings/1",
		tel.Agents[ivanov].Name, tel.Agents[smirnov].Name, "&lt;script&gt;"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("call page lacks %q", want)
		}
	}
	if strings.Contains(res.Body, tel.Token) {
		t.Fatal("the channel token is shown in the raw events")
	}
	if strings.Contains(res.Body, `<script>alert("x")`) {
		t.Fatal("raw event not escaped")
	}
	// An agent sees no raw events; Russian agents read Russian.
	ru := a.CreateAgent(t, ringdesk.AgentCreate{Email: "ru-reader@example.com", Role: ringdesk.RoleAgent, Lang: "ru"})
	res = a.Login(t, ru.Email, "agent-password-1").Get(t, "/calls/"+strconv.FormatInt(missed.ID, 10))
	if res.StatusCode != 200 || strings.Contains(res.Body, "UIS events") || strings.Contains(res.Body, "События UIS") ||
		!strings.Contains(res.Body, "Входящий звонок") || !strings.Contains(res.Body, "Пропущен") {
		t.Fatalf("agent call page: %d", res.StatusCode)
	}
	if res := admin.Get(t, "/calls/999999"); res.StatusCode != 404 {
		t.Fatalf("unknown call: %d", res.StatusCode)
	}
	if res := a.Anon(t).Get(t, "/calls"); res.StatusCode != 303 {
		t.Fatalf("anonymous: %d", res.StatusCode)
	}
}

// An employee with no agent is shown by name as not linked.
func TestCallPageUnlinkedEmployee(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	if _, err := a.Desk.UpdateAgent(t.Context(), ringdesk.System, tel.Agents[petrova].ID, ringdesk.AgentUpdate{ClearOperatorID: true}); err != nil {
		t.Fatal(err)
	}
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79035550103", EmployeeIDs: []int64{petrova}, TalkSeconds: 5})
	res := a.Admin(t).Get(t, "/calls/"+strconv.FormatInt(c.ID, 10))
	if !strings.Contains(res.Body, "Петрова Анна Сергеевна") || !strings.Contains(res.Body, "not linked") {
		t.Fatalf("unlinked employee not shown: %d", res.StatusCode)
	}
}

package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

type apiCall struct {
	ID                 int64   `json:"id"`
	ChannelID          int64   `json:"channel_id"`
	CallSessionID      int64   `json:"call_session_id"`
	Direction          string  `json:"direction"`
	State              string  `json:"state"`
	ContactPhone       string  `json:"contact_phone"`
	VirtualPhoneNumber string  `json:"virtual_phone_number"`
	StartedAt          string  `json:"started_at"`
	AnsweredAt         *string `json:"answered_at"`
	FinishedAt         *string `json:"finished_at"`
	TalkSeconds        int64   `json:"talk_seconds"`
	TotalSeconds       int64   `json:"total_seconds"`
	IsLost             bool    `json:"is_lost"`
	FinishReason       string  `json:"finish_reason"`
	Outcome            string  `json:"outcome"`
	AgentID            *int64  `json:"agent_id"`
	EmployeeIDs        []int64 `json:"employee_ids"`
	TicketID           int64   `json:"ticket_id"`
	ClientID           int64   `json:"client_id"`
	ExternalID         string  `json:"external_id"`
	Recordings         []struct {
		N   int    `json:"n"`
		URL string `json:"url"`
	} `json:"recordings"`
}

type apiCallList struct {
	Calls      []apiCall `json:"calls"`
	NextCursor string    `json:"next_cursor"`
}

func TestCallsAPI(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	answered := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79031234501", EmployeeIDs: []int64{petrova}, WaitSeconds: 4, TalkSeconds: 30})
	missed := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79031234502", WaitSeconds: 20})
	busy := tel.Call(t, uissim.CallSpec{Kind: uissim.KindOutgoing, ContactNumber: "79031234503", EmployeeIDs: []int64{ivanov}, Outcome: uissim.OutcomeBusy})
	noAnswer := tel.Call(t, uissim.CallSpec{Kind: uissim.KindOutgoing, ContactNumber: "79031234501", EmployeeIDs: []int64{ivanov}, Outcome: uissim.OutcomeNoAnswer})
	api := a.TokenClient(t, a.CreateAgent(t, ringdesk.AgentCreate{Email: "reader@example.com", Role: ringdesk.RoleAgent}))

	list := func(q string) apiCallList {
		t.Helper()
		res := api.Get(t, "/api/v1/calls"+q)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /api/v1/calls%s: %d %s", q, res.StatusCode, res.Body)
		}
		var l apiCallList
		res.JSON(t, &l)
		return l
	}
	ids := func(l apiCallList) []int64 {
		out := []int64{}
		for _, c := range l.Calls {
			out = append(out, c.ID)
		}
		return out
	}
	same := func(name string, got []int64, want ...int64) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: got %v, want %v", name, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: got %v, want %v", name, got, want)
			}
		}
	}
	same("all, newest first", ids(list("")), noAnswer.ID, busy.ID, missed.ID, answered.ID)
	same("client", ids(list("?client_id="+strconv.FormatInt(answered.ClientID, 10))), noAnswer.ID, answered.ID)
	same("ticket", ids(list("?ticket_id="+strconv.FormatInt(missed.TicketID, 10))), missed.ID)
	same("direction out", ids(list("?direction=out")), noAnswer.ID, busy.ID)
	same("missed", ids(list("?missed=true")), missed.ID)
	same("not missed", ids(list("?missed=false")), noAnswer.ID, busy.ID, answered.ID)
	same("outcome answered", ids(list("?outcome=answered")), answered.ID)
	same("outcome busy", ids(list("?outcome=busy")), busy.ID)
	same("outcome no_answer", ids(list("?outcome=no_answer")), noAnswer.ID)
	same("agent", ids(list("?agent_id="+strconv.FormatInt(tel.Agents[ivanov].ID, 10))), noAnswer.ID, busy.ID)
	same("phone any spelling", ids(list("?phone="+"8%20(903)%20123-45-01")), noAnswer.ID, answered.ID)
	same("from the future", ids(list("?from=2999-01-01")), []int64{}...)
	same("to the past", ids(list("?to=2000-01-01")), []int64{}...)

	// Keyset paging.
	p1 := list("?limit=3")
	same("page 1", ids(p1), noAnswer.ID, busy.ID, missed.ID)
	if p1.NextCursor == "" {
		t.Fatal("no next cursor")
	}
	p2 := list("?limit=3&cursor=" + p1.NextCursor)
	same("page 2", ids(p2), answered.ID)
	if p2.NextCursor != "" {
		t.Fatalf("last page has a cursor %q", p2.NextCursor)
	}

	// One call in full.
	res := api.Get(t, "/api/v1/calls/"+strconv.FormatInt(answered.ID, 10))
	var c apiCall
	res.JSON(t, &c)
	if res.StatusCode != 200 || c.ID != answered.ID || c.Direction != "in" || c.State != "finished" || c.ContactPhone != "+79031234501" ||
		c.AnsweredAt == nil || c.FinishedAt == nil || c.TalkSeconds == 0 || c.TotalSeconds == 0 || c.Outcome != "answered" ||
		c.AgentID == nil || *c.AgentID != tel.Agents[petrova].ID || len(c.EmployeeIDs) == 0 || c.TicketID != answered.TicketID ||
		c.ClientID != answered.ClientID || c.VirtualPhoneNumber == "" || c.ChannelID != tel.Channel.ID {
		t.Fatalf("call: %d %s", res.StatusCode, res.Body)
	}
	if len(c.Recordings) == 0 || c.Recordings[0].N != 1 || c.Recordings[0].URL != "/api/v1/calls/"+strconv.FormatInt(c.ID, 10)+"/recordings/1" {
		t.Fatalf("recordings: %+v", c.Recordings)
	}
	// The token that read the call plays its recording through the API
	// (the page's URL needs a login: tokens do not open it).
	if res := api.Get(t, c.Recordings[0].URL); res.StatusCode != 200 || !strings.HasPrefix(res.Body, "RIFF") {
		t.Fatalf("recording through the API: %d %.200s", res.StatusCode, res.Body)
	}
	if res := api.Get(t, strings.TrimPrefix(c.Recordings[0].URL, "/api/v1")); res.StatusCode != 401 {
		t.Fatalf("recording page URL with a token: %d, want 401", res.StatusCode)
	}
	if res := api.Get(t, "/api/v1/calls/"+strconv.FormatInt(c.ID, 10)+"/recordings/9"); res.StatusCode != 404 || !strings.Contains(res.Body, `"code":"not_found"`) {
		t.Fatalf("no such recording through the API: %d %s", res.StatusCode, res.Body)
	}
	var m apiCall
	api.Get(t, "/api/v1/calls/"+strconv.FormatInt(missed.ID, 10)).JSON(t, &m)
	if !m.IsLost || m.Outcome != "missed" || m.AnsweredAt != nil {
		t.Fatalf("missed call: %+v", m)
	}

	// Bad input and unknown calls.
	for _, q := range []string{"?direction=sideways", "?missed=maybe", "?phone=abc", "?from=yesterday", "?cursor=zz", "?client_id=x", "?limit=1000", "?outcome=great"} {
		if res := api.Get(t, "/api/v1/calls"+q); res.StatusCode != http.StatusBadRequest {
			t.Errorf("GET /api/v1/calls%s: %d %s", q, res.StatusCode, res.Body)
		}
	}
	if res := api.Get(t, "/api/v1/calls/999999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown call: %d", res.StatusCode)
	}
	if res := a.Anon(t).Get(t, "/api/v1/calls"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", res.StatusCode)
	}
}

package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestReconcilePages: the channel page shows the last reconciliation and
// runs one on "Reconcile now"; calls known only from the calls report say
// so; a call unfinished for hours is "state unknown", an unfinished one is
// never "Answered".
func TestReconcilePages(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	admin := a.Admin(t)
	ctx := context.Background()
	page := fmt.Sprintf("/channels/%d", tel.Channel.ID)
	wantIn := func(t *testing.T, path string, want ...string) string {
		t.Helper()
		res := admin.Get(t, path)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		for _, w := range want {
			if !strings.Contains(res.Body, w) {
				t.Errorf("GET %s lacks %q", path, w)
			}
		}
		return res.Body
	}
	reconcileNow := func(t *testing.T) string {
		t.Helper()
		res := admin.PostForm(t, page+"/reconcile", url.Values{})
		if res.StatusCode != 303 || res.Header.Get("Location") != page+"?flash=reconciled#reconcile" {
			t.Fatalf("reconcile now: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		return wantIn(t, page+"?flash=reconciled", "Reconciled with the UIS calls report.", "Last reconciliation:")
	}
	wantIn(t, page, "Reconciliation with the UIS calls report", "Not run yet.", "Reconcile now")

	// One call with no notification at all, one without call_finished.
	if err := tel.Sim.SetFaults(uissim.Faults{DropEvents: []uissim.EventType{uissim.EventIncomingCallStarted,
		uissim.EventConversationStarted, uissim.EventCallFinished}}); err != nil {
		t.Fatal(err)
	}
	lost := tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79035550101", EmployeeIDs: []int64{petrova}, WaitSeconds: 4, TalkSeconds: 30})
	tel.Wait(t)
	if err := tel.Sim.SetFaults(uissim.Faults{DropEvents: []uissim.EventType{uissim.EventCallFinished}}); err != nil {
		t.Fatal(err)
	}
	open := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79035550102", EmployeeIDs: []int64{ivanov}, WaitSeconds: 2, TalkSeconds: 50})
	if open.State != ringdesk.CallTalking {
		t.Fatalf("call without call_finished: state %s", open.State)
	}
	calls := wantIn(t, "/calls", "In progress")
	if strings.Contains(calls, "Answered</span>") {
		t.Errorf("/calls shows an unfinished call as answered")
	}

	// UIS fails: the card says so, nothing is recovered.
	if err := tel.Sim.SetFaults(uissim.Faults{InternalErrorMethods: []string{"get.calls_report"}}); err != nil {
		t.Fatal(err)
	}
	body := reconcileNow(t)
	for _, w := range []string{"failed", "internal_error"} {
		if !strings.Contains(body, w) {
			t.Errorf("channel page after a failed reconciliation lacks %q", w)
		}
	}
	if strings.Contains(body, uissim.DefaultAPIKey) {
		t.Errorf("the channel page shows the App Secret")
	}
	// Hours later the unfinished call is of unknown state, not talking.
	a.Desk.SetClock(func() time.Time { return time.Now().Add(7 * time.Hour) })
	wantIn(t, "/calls", "State unknown")
	wantIn(t, fmt.Sprintf("/calls/%d", open.ID), "State unknown", "its state is unknown")
	wantIn(t, fmt.Sprintf("/tickets/%d", open.TicketID), "State unknown")
	wantIn(t, fmt.Sprintf("/api/v1/calls/%d", open.ID), `"state_unknown":true`, `"outcome":""`)
	a.Desk.SetClock(time.Now)

	// UIS answers again.
	if err := tel.Sim.SetFaults(uissim.Faults{}); err != nil {
		t.Fatal(err)
	}
	body = reconcileNow(t)
	if !strings.Contains(body, "2 calls checked, 1 recovered, 1 finished") {
		t.Errorf("channel page lacks the counts: %s", between(body, `id="reconcile"`, "</section>"))
	}
	rec, err := a.DB.CallBySession(ctx, tel.Channel.ID, lost)
	if err != nil {
		t.Fatal(err)
	}
	wantIn(t, fmt.Sprintf("/calls/%d", rec.ID), "Recovered from the UIS call report", "Answered")
	wantIn(t, fmt.Sprintf("/tickets/%d", rec.TicketID), "Recovered from the UIS call report")
	wantIn(t, fmt.Sprintf("/api/v1/calls/%d", rec.ID), `"recovered":"call"`, `"state_unknown":false`, `"outcome":"answered"`)
	wantIn(t, fmt.Sprintf("/api/v1/calls/%d", open.ID), `"recovered":"finish"`)
	wantIn(t, fmt.Sprintf("/calls/%d", open.ID), "Finished from the UIS call report", "0:50")

	// Agents may not run it.
	agent := a.Login(t, tel.Agents[ivanov].Email, "agent-password-1")
	if res := agent.PostForm(t, page+"/reconcile", url.Values{}); res.StatusCode != 403 {
		t.Errorf("agent reconcile: %d, want 403", res.StatusCode)
	}
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

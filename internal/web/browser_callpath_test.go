package web_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
)

// TestBrowserCallPathPagesFit looks at the pages an administrator uses to
// see what UIS sent and how the channel is set up, on a laptop (1280x800)
// and a phone (390x844): the call page with the card of values Ringdesk
// could not use (long unbroken values included), the channel page with its
// reconciliation card, the channel form with the reconciliation scope, the
// setup page with its five notifications, and dead letters. None may scroll
// sideways.
func TestBrowserCallPathPagesFit(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ctx := context.Background()
	long := strings.Repeat("x", 400) // one unbroken word
	body := fmt.Sprintf(`{"ud_channel_token":%q,"call_session_id":7100001,"contact_phone_number":"79265550101",`+
		`"contact_full_name":"ООО \"Ромашка\"","talk_time_duration":-5,"operator_rating":%q,"tp_project":{"id":1},`+
		`"start_time":"2026-11-20 10:00:00","finish_time":"2026-11-20 09:00:00"}`, tel.Token, long)
	if res := a.Anon(t).Do(t, "POST", "/telephony/uis/webhook/call_finished/", strings.NewReader(body), nil); res.StatusCode != 200 {
		t.Fatalf("webhook: %d %s", res.StatusCode, res.Body)
	}
	c, err := a.DB.CallBySession(ctx, tel.Channel.ID, 7100001)
	if err != nil || len(c.Details.Warnings) < 3 {
		t.Fatalf("call %v, warnings %v", err, c)
	}
	// A dead letter with a long unbroken body.
	if res := a.Anon(t).Do(t, "POST", "/telephony/uis/webhook/call_finished/",
		strings.NewReader(fmt.Sprintf(`{"ud_channel_token":%q,"call_session_id":"%s"`, tel.Token, long)), nil); res.StatusCode == 200 {
		t.Fatalf("a body without a session id was accepted")
	}
	if _, err := a.Desk.ReconcileChannel(ctx, tel.Channel.ID); err != nil {
		t.Fatalf("reconcile: %v", err)
	}
	ch := strconv.FormatInt(tel.Channel.ID, 10)
	pages := []struct{ path, shot, sel string }{
		{"/calls/" + strconv.FormatInt(c.ID, 10), "call-warnings", "#call-warnings"},
		{"/channels/" + ch, "channel", "textarea[name=virtual_numbers]"},
		{"/channels/" + ch + "/setup", "channel-setup", "main"},
		{"/channels/dead-letters", "dead-letters", "main"},
	}
	p := browsertest.New(t, a.URL)
	p.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	for _, pg := range pages {
		sweep(t, p, pg.path, pg.sel, "callpath-"+pg.shot)
	}
}

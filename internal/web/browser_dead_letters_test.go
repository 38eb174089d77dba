package web_test

import (
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestBrowserDeadLetterReasons: the dead letters page, its reasons in
// words and the parser's words opened, fits a laptop and a phone.
func TestBrowserDeadLetterReasons(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	tok := `{"ud_channel_token":"` + tel.Token + `"`
	for _, body := range []string{tok + `,"call_session_id":{{call_session_id}}}`, tok + `,"call_session_id":"abc"}`, tok + `}`} {
		if st := postWebhook(t, a, uissim.EventCallFinished, body); st != 400 {
			t.Fatalf("%s: %d", body, st)
		}
	}
	p := browsertest.New(t, a.URL)
	p.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	for _, vp := range []struct {
		w, h int64
		name string
	}{{1280, 800, "laptop"}, {390, 844, "phone"}} {
		p.Viewport(vp.w, vp.h)
		p.Go("/channels/dead-letters")
		if got := p.Count(".dl-why p"); got != 3 {
			t.Errorf("%s: %d reasons in words, want 3", vp.name, got)
		}
		p.Click(".dl-why summary")
		clickable(t, p, "dead letters on a "+vp.name, ".dl-why summary", `button[type=submit]`)
		p.Eval(`(scrollTo(0, 0), true)`)
		p.Screenshot("dead-letters-" + vp.name)
	}
}

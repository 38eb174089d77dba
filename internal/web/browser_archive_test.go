package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
)

// TestBrowserChannelArchiveSwitch: the channel page's archive switch says
// recordings go into Ringdesk's archive (the database on PostgreSQL, not
// only a data directory), in English and Russian, and the form fits a
// laptop and a phone.
func TestBrowserChannelArchiveSwitch(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	p := browsertest.New(t, a.URL)
	p.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	for _, vp := range []struct {
		w, h int64
		name string
	}{{1280, 800, "laptop"}, {390, 844, "phone"}} {
		p.Viewport(vp.w, vp.h)
		p.Go(fmt.Sprintf("/channels/%d", tel.Channel.ID))
		label := p.Text(`label:has(input[name=archive_recordings])`)
		if !strings.Contains(label, "copied into Ringdesk's archive") {
			t.Errorf("archive switch on a %s: %q", vp.name, label)
		}
		p.Eval(`document.querySelector("input[name=archive_recordings]").scrollIntoView({block: "center"}), true`)
		if over := p.Eval(`document.documentElement.scrollWidth - document.documentElement.clientWidth`); over != "0" {
			t.Errorf("channel page on a %s scrolls sideways by %s px", vp.name, over)
		}
		p.Screenshot("channel-archive-" + vp.name)
	}
	p.Go("/profile")
	p.Eval(`(() => { const s = document.querySelector("select[name=lang]"); s.value = "ru"; return true; })()`)
	p.Submit(`select[name=lang]`)
	p.Go(fmt.Sprintf("/channels/%d", tel.Channel.ID))
	if label := p.Text(`label:has(input[name=archive_recordings])`); !strings.Contains(label, "копируются в архив Ringdesk") {
		t.Errorf("archive switch in Russian: %q", label)
	}
}

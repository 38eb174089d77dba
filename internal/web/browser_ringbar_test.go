package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// ringThree starts three incoming calls that ring for minutes and waits
// until p shows all three; it returns the href of the newest call's ticket.
func ringThree(t *testing.T, tel *apptest.Telephony, p *browsertest.Page) string {
	t.Helper()
	names := []string{"Константин Константинопольский", "ООО «Северо-Западная логистическая компания»", "Анна Смирнова"}
	for i, name := range names {
		tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: fmt.Sprintf("7916000770%d", i),
			ContactName: name, WaitSeconds: 86_400})
		if got := waitEval(p, `document.querySelectorAll('.callpop[data-kind="ringing"]').length`, fmt.Sprint(i+1)); got != fmt.Sprint(i+1) {
			t.Fatalf("%s ringing pop-ups after %d calls", got, i+1)
		}
	}
	return p.Eval(`document.querySelector('.callpop[data-kind="ringing"] a.primary').getAttribute("href")`)
}

// clickable checks that each control can be clicked wherever the page is
// scrolled to show it: at the top of the viewport, in the middle and at the
// bottom (where a bar or a pop-up laid over the page would sit).
func clickable(t *testing.T, p *browsertest.Page, where string, sels ...string) {
	t.Helper()
	for _, sel := range sels {
		if !p.Exists(sel) {
			t.Errorf("%s: no %s", where, sel)
			continue
		}
		for _, block := range []string{"start", "center", "end"} {
			p.Eval(fmt.Sprintf(`(document.querySelector(%q).scrollIntoView({block: %q, inline: "nearest"}), true)`, sel, block))
			if got := p.Uncovered(sel); got != "" {
				t.Errorf("%s: %s scrolled to the %s of the viewport: %s", where, sel, block, got)
			}
		}
	}
	if got := p.Eval(`document.documentElement.scrollWidth + " <= " + document.documentElement.clientWidth`); !noOverflow(got) {
		t.Errorf("%s: the page is wider than the viewport: scrollWidth %s", where, got)
	}
}

func noOverflow(s string) bool {
	var w, c int
	if _, err := fmt.Sscanf(s, "%d <= %d", &w, &c); err != nil {
		return false
	}
	return w <= c
}

// TestBrowserRingingCallsHideNoControl: with three calls ringing, the
// ticket page's Status, Assignee and Save and the ticket list's last
// column stay clickable, and no page is wider than the screen, on a laptop
// (1280x800) and a phone (390x844).
func TestBrowserRingingCallsHideNoControl(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	p := browsertest.New(t, a.URL)
	p.Login(apptest.AdminEmail, apptest.AdminPassword)
	p.Go("/tickets")
	if waitEval(p, `window.ringdeskLive ? window.ringdeskLive.readyState : -1`, "1") != "1" {
		t.Fatal("the live stream did not open")
	}
	ticket := ringThree(t, tel, p)
	if !strings.HasPrefix(ticket, "/tickets/") {
		t.Fatalf("the pop-up's ticket link is %q", ticket)
	}
	for _, vp := range []struct{ w, h int64 }{{1280, 800}, {390, 844}} {
		size := fmt.Sprintf("%dx%d", vp.w, vp.h)
		p.Viewport(vp.w, vp.h)
		p.Go(ticket)
		waitEval(p, `document.querySelectorAll('.callpop[data-kind="ringing"]').length`, "3")
		p.Eval(`(scrollTo(0, 0), true)`)
		p.Screenshot("ringing-ticket-" + size)
		clickable(t, p, "ticket page at "+size, `.tk-side select[name="status"]`, `.tk-side select[name="assignee_id"]`,
			`.tk-side button[type="submit"]`)
		p.Go("/tickets")
		waitEval(p, `document.querySelectorAll('.callpop[data-kind="ringing"]').length`, "3")
		p.Eval(`(scrollTo(0, 0), true)`)
		p.Screenshot("ringing-tickets-" + size)
		clickable(t, p, "ticket list at "+size, `#tk-list thead th:last-child`, `#tk-list tbody tr:first-child td:last-child`)
	}
}

package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
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
		waitCount(t, p, `.callpop[data-kind="ringing"]`, i+1)
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
// column stay clickable wherever they are scrolled to, and no page is wider
// than the screen, on a laptop (1280x800) and a phone (390x844). The agent
// reads Russian: the count of the other calls takes its plural form.
func TestBrowserRingingCallsHideNoControl(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ru := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Мария Ковалёва", Email: "maria@example.com", Role: ringdesk.RoleAgent,
		Lang: "ru", Password: "agent-password-1"})
	p := browsertest.New(t, a.URL)
	p.SignIn(ru.Email, "agent-password-1")
	p.Go("/tickets")
	if waitEval(p, `window.ringdeskLive ? window.ringdeskLive.readyState : -1`, "1") != "1" {
		t.Fatal("the live stream did not open")
	}
	ticket := ringThree(t, tel, p)
	if !strings.HasPrefix(ticket, "/tickets/") {
		t.Fatalf("the pop-up's ticket link is %q", ticket)
	}
	if got := p.Text(".callmore"); got != "ещё 2 звонка" {
		t.Errorf("the count of the other calls reads %q, want «ещё 2 звонка»", got)
	}
	for _, vp := range []struct{ w, h int64 }{{1280, 800}, {390, 844}} {
		size := fmt.Sprintf("%dx%d", vp.w, vp.h)
		p.Viewport(vp.w, vp.h)
		p.Go(ticket)
		waitCount(t, p, `.callpop[data-kind="ringing"]`, 3)
		p.Eval(`(scrollTo(0, 0), true)`)
		p.Screenshot("ringing-ticket-" + size)
		clickable(t, p, "ticket page at "+size, `.tk-side select[name="status"]`, `.tk-side select[name="assignee_id"]`,
			`.tk-side button[type="submit"]`)
		p.Go("/tickets")
		waitCount(t, p, `.callpop[data-kind="ringing"]`, 3)
		p.Eval(`(scrollTo(0, 0), true)`)
		p.Screenshot("ringing-tickets-" + size)
		// The last column shown (a phone's list drops some columns).
		p.Eval(`(["#tk-list thead th", "#tk-list tbody tr:first-child td"].forEach((sel) => {
			const shown = Array.from(document.querySelectorAll(sel)).filter((c) => c.getBoundingClientRect().width > 0);
			shown[shown.length - 1].dataset.probe = sel.includes("th") ? "last-th" : "last-td"; }), true)`)
		clickable(t, p, "ticket list at "+size, `[data-probe="last-th"]`, `[data-probe="last-td"]`)
		// The open list of calls pushes the page down too.
		showAll(p)
		p.Screenshot("ringing-tickets-open-" + size)
		clickable(t, p, "ticket list with the calls' list open at "+size, `[data-probe="last-th"]`)
	}
}

// TestBrowserAnsweredCallLeavesOthers: when one agent answers a call that
// rings on two screens, it leaves the other agent's bar within a second of
// showing as answered on the first.
func TestBrowserAnsweredCallLeavesOthers(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	olga, boris := tel.Agents[323401], tel.Agents[323402]
	pa := browsertest.New(t, a.URL)
	pa.SignIn(olga.Email, "agent-password-1")
	pb := browsertest.New(t, a.URL)
	pb.SignIn(boris.Email, "agent-password-1")
	for _, p := range []*browsertest.Page{pa, pb} {
		p.Go("/tickets")
		if waitEval(p, `window.ringdeskLive ? window.ringdeskLive.readyState : -1`, "1") != "1" {
			t.Fatal("the live stream did not open")
		}
	}
	// 4 s of ringing (simulated 4000 s at 1/1000), then Boris talks.
	tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79160006677",
		EmployeeIDs: []int64{323402}, WaitSeconds: 4_000, TalkSeconds: 60_000})
	for _, p := range []*browsertest.Page{pa, pb} {
		waitCount(t, p, `.callpop[data-kind="ringing"]`, 1)
	}
	waitCount(t, pb, `.callpop[data-kind="talking"]`, 1)
	answered := time.Now()
	waitCount(t, pa, `.callpop`, 0)
	if d := time.Since(answered); d > time.Second {
		t.Errorf("the answered call left the other agent's bar %s after it showed as answered, want within a second", d)
	}
}

// TestBrowserRingingCallExpires: a ringing call with no news for two
// minutes leaves the bar on the page's own timer, without a word from the
// server; a page that opens later does not show it at all.
func TestBrowserRingingCallExpires(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	p := browsertest.New(t, a.URL)
	p.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	p.Go("/tickets")
	if waitEval(p, `window.ringdeskLive ? window.ringdeskLive.readyState : -1`, "1") != "1" {
		t.Fatal("the live stream did not open")
	}
	started := time.Now() // the call's last (only) event comes after this
	tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79160009900", WaitSeconds: 86_400})
	waitCount(t, p, `.callpop[data-kind="ringing"]`, 1)

	// The server's clock moves 1m55s ahead: a page that opens now gets the
	// call with what is left of its two minutes, five seconds after its
	// event by the real clock, and drops it when they run out, however
	// long the page took to load.
	a.Desk.SetClock(func() time.Time { return time.Now().Add(ringdesk.RingingQuiet - 5*time.Second) })
	p.Go("/tickets")
	waitCount(t, p, `.callpop[data-kind="ringing"]`, 1)
	waitCount(t, p, `.callpop`, 0)
	if d := time.Since(started); d < 5*time.Second || d > 15*time.Second {
		t.Errorf("the call left the bar %s after it started ringing, want about five seconds", d)
	}
	if got := p.Eval(`window.ringdeskLive.readyState`); got != "1" {
		t.Errorf("the live stream's state is %s: the call must go on the page's timer, not on a reconnect", got)
	}

	// Past the two minutes the server leaves it out.
	a.Desk.SetClock(func() time.Time { return time.Now().Add(ringdesk.RingingQuiet + time.Second) })
	p.Go("/tickets")
	if waitEval(p, `window.ringdeskLive ? window.ringdeskLive.readyState : -1`, "1") != "1" {
		t.Fatal("the live stream did not open")
	}
	time.Sleep(300 * time.Millisecond) // the snapshot has arrived with the stream; give it time to show
	if n := p.Count(".callpop"); n != 0 {
		t.Errorf("a call quiet for two minutes shows on a page opened later (%d items)", n)
	}
}

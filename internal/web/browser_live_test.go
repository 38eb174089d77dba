package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestBrowserCallsPopUp drives calls through the simulator while two agents
// sit on the ticket list: a ringing call shows in the ringing bar on both
// screens (the UIS caller name shown as text, never as HTML), an answered
// call stays only on the screen of the agent who took it (at the head of
// the bar), and a missed call leaves an item that survives a page load and
// a count in the top bar that leads to the Missed calls view.
func TestBrowserCallsPopUp(t *testing.T) {
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
		if got := p.Text("#missed-badge .count"); got != "0" {
			t.Fatalf("missed count on an empty desk: %q", got)
		}
		// The pop-ups come over /live; wait until the stream is open.
		if waitEval(p, `window.ringdeskLive ? window.ringdeskLive.readyState : -1`, "1") != "1" {
			t.Fatal("the live stream did not open")
		}
	}

	// Ringing (60 s of simulated wait: the call rings for the whole test).
	const hostile = `<img src=x>Ольга Петрова`
	tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79160001122", ContactName: hostile, WaitSeconds: 60_000})
	for _, p := range []*browsertest.Page{pa, pb} {
		p.WaitVisible(`.callpop[data-kind="ringing"]`)
		if got := p.WaitText(`.callpop[data-kind="ringing"] .who`, "Ольга"); got != hostile {
			t.Errorf("ringing pop-up shows %q, want the caller name as text %q", got, hostile)
		}
		if n := p.Count(".callpop img"); n != 0 {
			t.Errorf("the caller name became %d <img> element(s)", n)
		}
	}
	pa.Screenshot("call-ringing")

	// Boris answers a call and talks (60 s simulated): it stays on his
	// screen only, at the head of the bar.
	tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79160003344",
		EmployeeIDs: []int64{323402}, WaitSeconds: 1, TalkSeconds: 60_000})
	pb.WaitVisible(`.callpop[data-kind="talking"]`)
	pa.WaitGone(`.callpop[data-kind="talking"]`)

	// A missed call: an item on both screens, in the bar's list under the
	// ringing call, and the top bar count goes up.
	missedSession := tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79160005566", WaitSeconds: 3})
	for _, p := range []*browsertest.Page{pa, pb} {
		waitCount(t, p, `.callpop[data-kind="missed"]`, 1)
		p.WaitText("#missed-badge .count", "1")
		showAll(p)
		p.WaitVisible(`.callpop[data-kind="missed"]`)
	}
	pa.Screenshot("call-missed")
	// The still-ringing call stays on top of the newer missed call.
	if got := pa.Eval(`document.querySelector(".callpop:not([hidden])").dataset.kind`); got != "ringing" {
		t.Errorf("the first pop-up is %q, want the ringing call above missed ones", got)
	}

	// After a page load the missed item is still there, and the server's
	// count agrees; the count leads to the Missed calls view with the ticket.
	pa.Go("/clients")
	waitCount(t, pa, `.callpop[data-kind="missed"]`, 1)
	if got := pa.Text("#missed-badge .count"); got != "1" {
		t.Errorf("missed count after a page load: %q, want 1", got)
	}
	pa.ClickNav("#missed-badge")
	if !strings.Contains(pa.Location(), "view=missed") {
		t.Fatalf("the missed count leads to %s", pa.Location())
	}
	if got := strings.Join(pa.Texts("#tk-list tbody tr"), " | "); !strings.Contains(got, "916 000-55-66") && !strings.Contains(got, "79160005566") {
		t.Errorf("Missed calls view lists %q, want the missed caller's ticket", got)
	}
	// Dismissing the item removes it for good. The bar fills from the
	// stream after the page load, one call at a time: wait for both calls
	// (the ringing one folds the missed one under "more" when it comes)
	// before unfolding the list, or the list may unfold before it folds.
	waitCount(t, pa, `.callpop[data-kind="missed"]`, 1)
	waitCount(t, pa, `.callpop[data-kind="ringing"]`, 1)
	showAll(pa)
	pa.Click(`.callpop[data-kind="missed"] .close`)
	pa.WaitGone(`.callpop[data-kind="missed"]`)
	pa.Go("/tickets")
	if pa.Exists(`.callpop[data-kind="missed"]`) {
		t.Error("a dismissed missed-call item came back after a page load")
	}

	// A colleague solves the missed call's ticket: the count goes down on
	// open pages without a reload.
	mc, err := a.DB.CallBySession(context.Background(), tel.Channel.ID, missedSession)
	if err != nil {
		t.Fatal(err)
	}
	if res := a.TokenClient(t, boris).JSON(t, "PATCH", fmt.Sprintf("/api/v1/tickets/%d", mc.TicketID), map[string]any{"status": "solved"}); res.StatusCode != http.StatusOK {
		t.Fatalf("solve: %d %s", res.StatusCode, res.Body)
	}
	pa.WaitText("#missed-badge .count", "0")
}

// showAll opens the ringing bar's list when it holds more than one call.
func showAll(p *browsertest.Page) {
	if p.Eval(`(() => { const m = document.querySelector(".callmore"); return !!m && !m.hidden && m.getAttribute("aria-expanded") === "false"; })()`) == "true" {
		p.Click(".callmore")
		p.WaitVisible(`.callmore[aria-expanded="true"]`)
	}
}

// waitCount waits until n elements match sel (shown or not).
func waitCount(t *testing.T, p *browsertest.Page, sel string, n int) {
	t.Helper()
	if got := waitEval(p, fmt.Sprintf("document.querySelectorAll(%q).length", sel), strconv.Itoa(n)); got != strconv.Itoa(n) {
		t.Fatalf("%s elements match %s, want %d", got, sel, n)
	}
}

// TestBrowserTicketPlaysRecording: the call on a ticket's timeline has a
// player whose recording loads through Ringdesk (from the simulator's media
// host, allowed for the channel) and has a duration.
func TestBrowserTicketPlaysRecording(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79165550012",
		EmployeeIDs: []int64{323401}, WaitSeconds: 4, TalkSeconds: 30})
	p := browsertest.New(t, a.URL)
	p.SignIn(tel.Agents[323401].Email, "agent-password-1")
	p.Go(fmt.Sprintf("/tickets/%d", c.TicketID))
	p.WaitVisible(".tk-call .tk-rec audio")
	p.Eval(`(() => { const a = document.querySelector(".tk-call .tk-rec audio"); a.preload = "metadata"; a.load(); return true; })()`)
	deadline := time.Now().Add(browsertest.Timeout)
	for {
		d := p.Eval(`(() => { const a = document.querySelector(".tk-call .tk-rec audio"); return a.error ? "error " + a.error.code : (a.readyState >= 1 ? String(a.duration) : ""); })()`)
		if strings.HasPrefix(d, "error") {
			t.Fatalf("the recording does not play: media %s", d)
		}
		if d != "" {
			if sec, err := strconv.ParseFloat(d, 64); err != nil || sec <= 0 {
				t.Fatalf("recording duration %q", d)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the recording's metadata did not load")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if href, _ := p.Attr(".tk-call .tk-call-link", "href"); href != fmt.Sprintf("/calls/%d", c.ID) {
		t.Errorf("call details link %q", href)
	}
	p.Screenshot("ticket-call-recording")
}

// TestBrowserTicketKeyboard: on a ticket page, n starts an internal note and
// Ctrl+Enter sends it; r starts a public reply.
func TestBrowserTicketKeyboard(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79165550013", WaitSeconds: 9})
	p := browsertest.New(t, a.URL)
	p.SignIn(tel.Agents[323401].Email, "agent-password-1")
	p.Go(fmt.Sprintf("/tickets/%d", c.TicketID))
	p.WaitVisible(".tk-reply textarea")

	const composing = `document.activeElement.name + " " + document.querySelector('.tk-reply input[name="kind"]:checked').value`
	p.Press("n")
	if got := waitEval(p, composing, "body note"); got != "body note" {
		t.Fatalf("after n: focus and kind %q, want the message field and an internal note", got)
	}
	p.Press("Перезвонить после 15:00")
	p.PressCtrlNav("\r")
	if got := p.WaitText(".tk-timeline .tk-note .tk-body", "Перезвонить"); got != "Перезвонить после 15:00" {
		t.Errorf("note in the timeline: %q", got)
	}

	p.Press("r")
	if got := waitEval(p, composing, "body reply"); got != "body reply" {
		t.Errorf("after r: focus and kind %q, want the message field and a public reply", got)
	}

	// In the Russian layout the N key types "т": the shortcut still works.
	p.Eval(`(() => { document.activeElement.blur(); document.body.dispatchEvent(new KeyboardEvent("keydown", {key: "т", code: "KeyN", bubbles: true})); return true; })()`)
	if got := waitEval(p, composing, "body note"); got != "body note" {
		t.Errorf("after т on the N key: focus and kind %q, want the message field and an internal note", got)
	}
}

// waitEval evaluates expr until it gives want or browsertest.Timeout passes,
// and returns the last value.
func waitEval(p *browsertest.Page, expr, want string) string {
	deadline := time.Now().Add(browsertest.Timeout)
	for {
		got := p.Eval(expr)
		if got == want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
}

package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// keyByPlace presses a shortcut key as the Russian layout sends it: the
// character differs, the key's place (code) does not.
func keyByPlace(p *browsertest.Page, char, code string) {
	p.Eval(fmt.Sprintf(`(() => { document.activeElement.blur(); document.body.dispatchEvent(new KeyboardEvent("keydown", {key: %q, code: %q, bubbles: true})); return true; })()`, char, code))
}

// TestBrowserTicketsBulk: rows are selected with the mouse, "select all"
// or the x key (in the Russian layout too), and the bulk bar solves them;
// a long client name ends in an ellipsis instead of widening the table.
func TestBrowserTicketsBulk(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	long := "Общество с ограниченной ответственностью «Очень длинное название торгово-производственной компании Северо-Запад»"
	client := seedClient(t, a, long, "+79261234567")
	var ids []int64
	for i := range 3 {
		tk, err := a.Desk.CreateTicket(ctx, ringdesk.System, ringdesk.TicketCreate{Subject: fmt.Sprintf("Не проходит оплата по счёту %d", i), ClientID: client})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tk.ID)
	}
	p := browsertest.New(t, a.URL)
	p.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	if err := chromedp.Do(p.Context(), chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatal(err)
	}
	p.Go("/tickets?view=all")
	if got := p.Eval(`Math.round(document.getElementById("tk-list").getBoundingClientRect().right) <= document.documentElement.clientWidth`); got != "true" {
		t.Errorf("at 1366px the table runs off the screen (right edge %s)", p.Eval(`document.getElementById("tk-list").getBoundingClientRect().right`))
	}
	if got, _ := p.Attr("#tk-list td.tk-name a", "title"); got != long {
		t.Errorf("the client cell's title is %q", got)
	}
	if got := p.Eval(`(() => { const s = document.querySelector("#tk-list td.tk-subj"); const c = document.querySelector("#tk-list td.tk-name"); return s.getBoundingClientRect().width > c.getBoundingClientRect().width; })()`); got != "true" {
		t.Errorf("the subject is narrower than the client name")
	}
	p.Screenshot("tickets-long-client-1366")

	checked := `Array.from(document.querySelectorAll('#tk-list tbody input[name="id"]')).map((b) => b.checked ? 1 : 0).join("")`
	p.Press("j")
	keyByPlace(p, "ч", "KeyX") // x in the Russian layout
	if got := p.Eval(checked); got != "100" {
		t.Errorf("after j, x: selection %s, want 100", got)
	}
	if got := p.Text("#tk-bulk-count"); !strings.HasSuffix(got, "1") {
		t.Errorf("count reads %q", got)
	}
	p.Click("#tk-all")
	if got := p.Eval(checked); got != "111" {
		t.Errorf("after select all: %s", got)
	}
	p.Click("#tk-all")
	if got := p.Eval(checked); got != "000" {
		t.Errorf("after unselecting all: %s", got)
	}
	p.Eval(`document.activeElement.blur()`) // shortcuts do not fire in a field
	p.Press("j")
	p.Press("x")
	p.Press("j")
	p.Press("x")
	if got := p.Eval(checked); got != "011" {
		t.Fatalf("after j x j x: %s", got)
	}
	if got := p.Eval(`document.getElementById("tk-all").indeterminate`); got != "true" {
		t.Errorf("select all is not shown as partly selected")
	}
	p.Fill(`#tk-bulk select[name=status]`, "solved")
	p.Screenshot("tickets-bulk-bar")
	p.Submit(`#tk-bulk select[name=status]`)
	if got := p.Text(".flash"); got != "2 tickets updated." {
		t.Errorf("flash = %q", got)
	}
	for i, id := range ids {
		tk, err := a.DB.TicketByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		// The list is sorted newest first: rows 2 and 3 are tickets 1 and 0.
		if want := i < 2; (tk.Status == "solved") != want {
			t.Errorf("ticket %d is %s", i, tk.Status)
		}
	}
}

// TestBrowserReplyDraft: text typed in the reply box survives Save in the
// side panel, a trip to another page and a reload, and is gone once sent.
func TestBrowserReplyDraft(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	client := seedClient(t, a, "Петров Иван", "+79261234567")
	tk, err := a.Desk.CreateTicket(context.Background(), ringdesk.System, ringdesk.TicketCreate{Subject: "Не приходит SMS", ClientID: client})
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.Desk.CreateTicket(context.Background(), ringdesk.System, ringdesk.TicketCreate{Subject: "Другое", ClientID: client})
	if err != nil {
		t.Fatal(err)
	}
	p := browsertest.New(t, a.URL)
	p.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	path := fmt.Sprintf("/tickets/%d", tk.ID)
	p.Go(path)
	const text = "Здравствуйте! Проверьте, пожалуйста, номер"
	p.Fill("form.tk-reply textarea[name=body]", text)
	p.Click(`form.tk-reply input[name=kind][value=note]`)

	p.Submit("aside input[name=subject]") // the side panel's Save
	if got := p.Text(".flash"); got != "Saved." {
		t.Fatalf("flash after Save: %q", got)
	}
	if got := p.Value("form.tk-reply textarea[name=body]"); got != text {
		t.Errorf("after Save the reply box holds %q", got)
	}
	if got := p.Eval(`document.querySelector("form.tk-reply input[name=kind]:checked").value`); got != "note" {
		t.Errorf("after Save the kind is %q", got)
	}
	// Another ticket has its own (empty) box; coming back restores this one.
	p.Go(fmt.Sprintf("/tickets/%d", other.ID))
	if got := p.Value("form.tk-reply textarea[name=body]"); got != "" {
		t.Errorf("another ticket's box holds %q", got)
	}
	p.Go(path)
	if got := p.Value("form.tk-reply textarea[name=body]"); got != text {
		t.Errorf("back on the ticket the box holds %q", got)
	}
	// Sending clears the draft.
	p.Submit("form.tk-reply textarea[name=body]")
	if got := p.Text(".flash"); got != "Comment added." {
		t.Fatalf("flash after send: %q", got)
	}
	if got := p.Value("form.tk-reply textarea[name=body]"); got != "" {
		t.Errorf("after sending the box still holds %q", got)
	}
	p.Go(path)
	if got := p.Value("form.tk-reply textarea[name=body]"); got != "" {
		t.Errorf("after sending and reloading the box holds %q", got)
	}
	if got := p.Eval(`Object.keys(localStorage).filter((k) => k.startsWith("ringdesk:draft:")).length`); got != "0" {
		t.Errorf("%s drafts left in localStorage", got)
	}
	if got := timelineText(p); !strings.Contains(got, text) {
		t.Errorf("the sent note is not in the timeline")
	}
	// Logging out forgets unsent drafts.
	p.Fill("form.tk-reply textarea[name=body]", "Черновик")
	if got := p.Eval(`Object.keys(localStorage).filter((k) => k.startsWith("ringdesk:draft:")).length`); got != "1" {
		t.Fatalf("%s drafts kept while typing, want 1", got)
	}
	p.Submit(`form[action="/logout"] button`)
	if got := p.Eval(`Object.keys(localStorage).filter((k) => k.startsWith("ringdesk:draft:")).length`); got != "0" {
		t.Errorf("%s drafts left after logging out", got)
	}
}

// notificationStub replaces window.Notification, before any page script
// runs, with one that records what it shows (headless Chromium shows
// nothing) and grants permission when asked, as a user clicking "Allow"
// would; the grant lasts for the tab, like the browser's own.
const notificationStub = `(() => {
  window.__notes = [];
  const N = class {
    constructor(title, opts) { this.title = title; this.body = opts.body; this.closed = false; window.__notes.push(this); }
    close() { this.closed = true; }
    static get permission() { return sessionStorage.getItem("__perm") || "default"; }
    static requestPermission() {
      sessionStorage.setItem("__asked", String(Number(sessionStorage.getItem("__asked") || 0) + 1));
      sessionStorage.setItem("__perm", "granted");
      return Promise.resolve("granted");
    }
  };
  Object.defineProperty(window, "Notification", { configurable: true, value: N });
})()`

// TestBrowserCallNotification: after the agent enables desktop
// notifications in the profile (permission asked on that click only), a
// call ringing while the tab is hidden shows one with the caller's name as
// text; clicking it opens the call's ticket. A visible tab gets the pop-up
// only.
func TestBrowserCallNotification(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	olga := tel.Agents[323401]
	p := browsertest.New(t, a.URL)
	if err := chromedp.Do(p.Context(), func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: notificationStub})
		return chromedp.Void{}, err
	}); err != nil {
		t.Fatal(err)
	}
	p.SignIn(olga.Email, "agent-password-1")

	p.Go("/profile")
	if got := p.Text("#notify-state"); got != "Desktop notifications are off." {
		t.Errorf("before enabling the state reads %q", got)
	}
	if got := p.Eval(`sessionStorage.getItem("__asked") || "0"`); got != "0" {
		t.Fatalf("permission was asked %s times before any click", got)
	}
	p.Click("#notify-toggle")
	if got := waitEval(p, `document.getElementById("notify-state").textContent`, "Desktop notifications are on in this browser."); got != "Desktop notifications are on in this browser." {
		t.Errorf("after enabling the state reads %q", got)
	}
	if got := p.Text("#notify-toggle"); got != "Disable desktop notifications" {
		t.Errorf("after enabling the button reads %q", got)
	}
	p.Screenshot("profile-notifications")

	p.Go("/tickets")
	if waitEval(p, `window.ringdeskLive ? window.ringdeskLive.readyState : -1`, "1") != "1" {
		t.Fatal("the live stream did not open")
	}
	ringing := func(number, name string) {
		tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: number, ContactName: name, WaitSeconds: 60_000})
		p.WaitText(".callpop .who", name)
	}
	// A visible tab: the pop-up, no notification.
	ringing("79160001111", "Иван Видимый")
	if got := p.Eval(`window.__notes.length`); got != "0" {
		t.Errorf("a visible tab showed %s notifications", got)
	}
	// A hidden tab: a notification with the caller as text.
	p.Eval(`(Object.defineProperty(document, "hidden", { configurable: true, get: () => true }), true)`)
	const hostile = `<b>Ольга</b> Петрова`
	ringing("79160002222", hostile)
	if got := waitEval(p, `window.__notes.length`, "1"); got != "1" {
		t.Fatalf("%s notifications for a call ringing in a hidden tab", got)
	}
	if got := p.Eval(`window.__notes[0].title`); got != "Incoming call" {
		t.Errorf("notification title %q", got)
	}
	if got := p.Eval(`window.__notes[0].body`); !strings.HasPrefix(got, hostile+"\n") || !strings.Contains(got, "916 000-22-22") {
		t.Errorf("notification body %q", got)
	}
	ticket := p.Eval(`Array.from(document.querySelectorAll(".callpop")).find((c) => c.querySelector(".who").textContent.includes("Петрова")).querySelector("a.primary").getAttribute("href")`)
	p.Eval(`(window.__notes[0].onclick(), true)`)
	if got := waitEval(p, `location.pathname`, ticket); got != ticket || !strings.HasPrefix(ticket, "/tickets/") {
		t.Errorf("clicking the notification opened %s, want %s", got, ticket)
	}
}

// TestBrowserCallNotificationGranted: the same journey with Chromium's own
// Notification, the permission granted through the DevTools protocol as a
// user's "Allow" would; a proxy only records the notifications made.
func TestBrowserCallNotificationGranted(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	olga := tel.Agents[323401]
	p := browsertest.New(t, a.URL)
	_, err := chromedp.CallBrowser(p.Context(), cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
		Permission: &cdpbrowser.PermissionDescriptor{Name: "notifications"}, Setting: cdpbrowser.PermissionSettingGranted,
		Origin: a.URL, BrowserContextID: chromedp.FromContext(p.Context()).BrowserContextID})
	if err != nil {
		t.Skipf("Chromium cannot grant notifications here: %v", err)
	}
	p.SignIn(olga.Email, "agent-password-1")
	p.Go("/profile")
	if got := p.Eval(`window.Notification ? Notification.permission : "none"`); got != "granted" {
		t.Skipf("Notification.permission is %q after the grant", got)
	}
	if got := p.Text("#notify-state"); got != "Desktop notifications are off." {
		t.Errorf("permission alone turned notifications on: %q", got)
	}
	p.Click("#notify-toggle")
	if got := waitEval(p, `document.getElementById("notify-state").textContent`, "Desktop notifications are on in this browser."); got != "Desktop notifications are on in this browser." {
		t.Fatalf("after enabling the state reads %q", got)
	}

	p.Go("/tickets")
	if waitEval(p, `window.ringdeskLive ? window.ringdeskLive.readyState : -1`, "1") != "1" {
		t.Fatal("the live stream did not open")
	}
	p.Eval(`(() => { window.__notes = []; window.Notification = new Proxy(window.Notification, { construct(T, args) { const n = new T(...args); window.__notes.push(n); return n; } });
		Object.defineProperty(document, "hidden", { configurable: true, get: () => true }); return true; })()`)
	tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79160003333", ContactName: "Пётр Фоновый", WaitSeconds: 60_000})
	p.WaitText(".callpop .who", "Пётр Фоновый")
	if got := waitEval(p, `window.__notes.length`, "1"); got != "1" {
		t.Fatalf("%s notifications for a call ringing in a hidden tab", got)
	}
	if got := p.Eval(`window.__notes[0].title + " / " + window.__notes[0].body.split("\n")[0]`); got != "Incoming call / Пётр Фоновый" {
		t.Errorf("notification reads %q", got)
	}
	ticket := p.Eval(`document.querySelector(".callpop a.primary").getAttribute("href")`)
	p.Eval(`(window.__notes[0].dispatchEvent(new Event("click")), true)`)
	if got := waitEval(p, `location.pathname`, ticket); got != ticket {
		t.Errorf("clicking the notification opened %s, want %s", got, ticket)
	}
}

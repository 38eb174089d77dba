// Package browsertest drives Ringdesk's UI in a real headless Chromium
// (Debian package `chromium`) through the DevTools protocol (chromedp).
//
// # Writing a journey
//
// A journey is an ordinary test in package web_test that starts the app with
// apptest and walks through pages like a user. The package needs one TestMain
// that shares a browser between its tests:
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
//
// Then each test opens a Page, which is a fresh incognito browser context (no
// cookies from other tests) with a 1400x900 viewport (Viewport(w, h) changes
// it, for example to 390x844 for a phone):
//
//	func TestBrowserTicketReply(t *testing.T) {
//		a := apptest.New(t)
//		p := browsertest.New(t, a.URL)
//		p.Login(apptest.AdminEmail, apptest.AdminPassword)
//		p.Go("/tickets/1")
//		p.Fill("#reply textarea[name=body]", "Hello")
//		p.Submit("#reply textarea[name=body]") // submits the form, waits for the next page
//		p.WaitVisible(".flash")
//		if got := p.Text(".flash"); got != "Reply sent." { t.Errorf(...) }
//		p.Screenshot("ticket-reply")
//	}
//
// Selectors are CSS selectors (DOM.querySelector: the helpers act on the
// first match). Every helper fails the test (t.Fatal) when the
// element does not appear within the action timeout, so a journey reads as a
// list of steps without error handling. Helpers that load a new page (Go,
// Submit, ClickNav, PressNav) return after the load event and the first
// painted frame. Use Click for in-page behaviour (JS) and then WaitVisible or
// WaitText for its effect; never sleep. Keyboard journeys use Press("\t")
// and Focused(), which describes the focused element as `tag#id.class
// [name=x] "text"`.
//
// Assert on what a user sees: Text (visible text, white space collapsed),
// Texts (every match, for table rows), Value, Attr (aria-current,
// aria-invalid), Exists/Count, Path (where a redirect ended). Prefer stable
// hooks (name=, href=, aria-*, landmark classes like .topbar, .flash, .alert,
// .field-error, table.grid) over layout details.
//
// A journey that is not about signing in starts with p.SignIn(email,
// password) instead of Login: the same login endpoint called from the test,
// its session cookie handed to the tab, two page loads fewer; then p.Go.
//
// Two people in one journey (an admin assigns, an agent sees it) are two
// Pages: each is its own incognito context with its own cookies, and every
// tab behaves as the focused one. Server-side setup that is not the point of
// the journey (seeding tickets, clients, calls) is faster through apptest or
// the desk than through the UI. Journeys may call t.Parallel(); each Page is
// its own tab of the shared browser.
//
// Every page the test visits is watched for console errors: uncaught
// exceptions, console.error calls, Content-Security-Policy violations and
// failed sub-resource loads (a missing stylesheet, a 404 script). They fail
// the test at its end; call p.NoConsoleErrors() to check at a given point.
// A deliberate error status of the page itself (a 404 page, a 401 login
// error) is not a console error.
//
// Screenshot(name) writes name.png to $RINGDESK_SCREENSHOTS when that is set
// (and does nothing otherwise), so `RINGDESK_SCREENSHOTS=/tmp/shots go test
// -run Browser ./internal/web/` gives pictures of every page to look at.
//
// # JavaScript and the Content-Security-Policy
//
// Ringdesk sends `Content-Security-Policy: default-src 'self'; script-src
// 'self'; style-src 'self' ...` (securityHeaders in internal/web/middleware.go).
// Inline <script> blocks, onclick="..." attributes, javascript: URLs and
// style="..." attributes are refused by the browser, and the refusal is a
// console error that fails the journey. Keep behaviour in the static file
// internal/web/static/app.js (or another file under static/, loaded with
// <script src="{{asset "x.js"}}" defer>), bind it with event delegation on
// data-* attributes (see data-copy in app.js), pass values to scripts in
// data-* attributes rather than inline JSON, and put styles in app.css.
//
// # Without Chromium
//
// Tests use $RINGDESK_CHROMIUM when set, else the first found of
// chromium-headless-shell (Debian package `chromium-headless-shell`: the
// same engine at a third of the CPU), headless-shell, chromium,
// chromium-browser and google-chrome. When none is found, New skips the
// test with a message saying so, unless RINGDESK_BROWSER_REQUIRED=1 is set, in which case the
// test fails: CI (.ci/run) sets it so browser tests never silently vanish.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ringdesk/ringdesk/internal/testmain"
)

// Viewport is the size of every page's viewport, and of its screenshots.
const (
	ViewportWidth  = 1400
	ViewportHeight = 900
)

// MinParallel is how many tests of a package using Main run at once by
// default (see Main): six, measured best on the two-core machine (the web
// package: 58 s at four, 46 s at six, 49 s at eight, where the tabs of the
// one Chromium start to queue for the CPU). Under the race detector every
// page action costs several times the CPU, and testmain.Parallel keeps it
// at four there, as for every package.
var MinParallel = 6

// Timeout bounds one action (a navigation, waiting for an element). It is
// generous because CI machines are small and shared.
var Timeout = 20 * time.Second

// browser is the one Chromium of the test package, started on first use.
var browser struct {
	once    sync.Once
	path    string // executable; empty when none was found
	ctx     context.Context
	cancel  func()
	err     error
	started bool
}

// Main runs the package's tests and stops the shared browser afterwards. Call
// it from TestMain.
//
// Journeys spend most of their time waiting for the browser and the app, not
// on a CPU, so unless -test.parallel is given Main lets at least
// MinParallel of them run at once even on a two-core machine.
func Main(m *testing.M) {
	testmain.Parallel(MinParallel)
	code := m.Run()
	if browser.cancel != nil {
		browser.cancel()
	}
	os.Exit(code)
}

// ExecPath returns the Chromium executable that tests use, or "" when none is
// installed.
func ExecPath() string {
	if p := os.Getenv("RINGDESK_CHROMIUM"); p != "" {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
		return ""
	}
	// The headless shell first: Chromium's engine (Blink, V8, the same
	// version in Debian) without the browser's UI layer, it takes about a
	// third of the CPU per page of the full browser in headless mode, and
	// the journeys are most of the test suite's time. Debian's
	// /usr/bin/chromium-headless-shell is a shell script that does not exec
	// the binary, so the binary itself comes before it: killing the script
	// would leave the browser running.
	for _, name := range []string{"/usr/lib/chromium/chromium-headless-shell", "chromium-headless-shell", "headless-shell",
		"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return ""
}

// Required reports whether a missing browser fails tests instead of
// skipping them (RINGDESK_BROWSER_REQUIRED=1).
func Required() bool { return os.Getenv("RINGDESK_BROWSER_REQUIRED") == "1" }

func startBrowser() {
	browser.path = ExecPath()
	if browser.path == "" {
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser.path),
		chromedp.Flag("headless", "new"),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-search-engine-choice-screen", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("lang", "ru-RU"),
		chromedp.WindowSize(ViewportWidth, ViewportHeight),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	browser.ctx = ctx
	browser.cancel = func() { cancelCtx(); cancelAlloc() }
	// The first run starts the process; it must not have a timeout of its
	// own, so a watchdog cancels it if the start hangs.
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			cancelCtx()
		}
	}()
	browser.err = chromedp.Do(ctx)
	close(done)
	if browser.err != nil {
		browser.err = fmt.Errorf("browsertest: start %s: %w", browser.path, browser.err)
		return
	}
	browser.started = true
}

// Page is one incognito browser tab bound to a test and to the base URL of
// the app under test.
type Page struct {
	t    testing.TB
	ctx  context.Context
	base string

	mu       sync.Mutex
	problems []string        // console errors seen so far, not yet reported
	docs     map[string]bool // URLs of documents the tab loaded
	allowed  []string        // substrings of console errors the test expects
}

// New opens a fresh incognito context on the shared browser. base is the
// app's URL (apptest.App.URL); Go takes paths relative to it. The tab closes,
// and unreported console errors fail the test, when the test ends.
func New(t testing.TB, base string) *Page {
	t.Helper()
	browser.once.Do(startBrowser)
	if browser.path == "" {
		msg := "browsertest: no Chromium found (install the Debian package `chromium`, or set RINGDESK_CHROMIUM)"
		if Required() {
			t.Fatal(msg + "; RINGDESK_BROWSER_REQUIRED=1 makes this a failure")
		}
		t.Skip(msg + "; skipping the browser test (set RINGDESK_BROWSER_REQUIRED=1 to fail instead)")
	}
	if !browser.started {
		t.Fatalf("%v", browser.err)
	}
	ctx, cancel := chromedp.NewContext(browser.ctx, chromedp.WithNewBrowserContext())
	p := &Page{t: t, ctx: ctx, base: strings.TrimRight(base, "/"), docs: map[string]bool{}}
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("browsertest: open a tab: %v", err)
	}
	// chromedp enables the CSS domain for its style helpers, which these
	// pages never use; with it on, the renderer reports every stylesheet of
	// every page to the client (a tenth of the browser's CPU in a run).
	if err := chromedp.Do(ctx, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, css.Disable, cdp.Empty{})
		return chromedp.Void{}, err
	}); err != nil {
		cancel()
		t.Fatalf("browsertest: turn the CSS domain off: %v", err)
	}
	if err := chromedp.Listen(ctx, p.observe); err != nil {
		cancel()
		t.Fatalf("browsertest: listen: %v", err)
	}
	t.Cleanup(func() {
		if !t.Failed() {
			p.NoConsoleErrors()
		}
		cancel()
	})
	// Every tab behaves as the focused one, so autofocus and Tab work in a
	// test that has several pages open.
	p.run("set the viewport", chromedp.EmulateViewport(ViewportWidth, ViewportHeight),
		func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
			return chromedp.Void{}, err
		})
	return p
}

// observe records console errors. It runs in the tab's event loop, so it
// only appends under a lock.
func (p *Page) observe(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		problem = fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, text)
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			if a.Value != nil {
				parts = append(parts, strings.Trim(string(a.Value), `"`))
			} else {
				parts = append(parts, a.Description)
			}
		}
		problem = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
	case *log.EventEntryAdded:
		e := ev.Entry
		if e.Level != log.EntryLevelError {
			return
		}
		if e.Source == log.EntrySourceNetwork {
			// The page's own error status (a 404 page) is deliberate, and
			// /favicon.ico is the browser's guess, not the page's request.
			p.mu.Lock()
			doc := p.docs[e.URL]
			p.mu.Unlock()
			if doc || strings.HasSuffix(e.URL, "/favicon.ico") {
				return
			}
		}
		problem = fmt.Sprintf("%s error: %s %s", e.Source, e.Text, e.URL)
	case *network.EventResponseReceived:
		if ev.Type == network.ResourceTypeDocument && ev.Response != nil {
			p.mu.Lock()
			p.docs[ev.Response.URL] = true
			p.mu.Unlock()
		}
		return
	default:
		return
	}
	p.mu.Lock()
	p.problems = append(p.problems, problem)
	p.mu.Unlock()
}

// AllowConsoleError makes console errors that contain substr expected: they
// no longer fail the test.
func (p *Page) AllowConsoleError(substr string) {
	p.mu.Lock()
	p.allowed = append(p.allowed, substr)
	p.mu.Unlock()
}

// NoConsoleErrors fails the test if the pages visited so far logged a JS
// error, a console.error, a CSP violation or a failed sub-resource load.
// Each error is reported once.
func (p *Page) NoConsoleErrors() {
	p.t.Helper()
	// A round trip through the tab makes sure that every event sent before
	// it has reached observe.
	p.Eval("1")
	p.mu.Lock()
	problems, allowed := p.problems, p.allowed
	p.problems = nil
	p.mu.Unlock()
	for _, pr := range problems {
		ok := false
		for _, a := range allowed {
			if strings.Contains(pr, a) {
				ok = true
			}
		}
		if !ok {
			p.t.Errorf("browsertest: console error on %s: %s", p.Location(), pr)
		}
	}
}

// Context returns the chromedp context of the tab, for actions the helpers
// do not cover: chromedp.Run(p.Context(), chromedp.Title()).
func (p *Page) Context() context.Context { return p.ctx }

// run runs one action with the action timeout and fails the test on error.
func run[T any](p *Page, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("timed out after %s", Timeout)
		}
		p.t.Fatalf("browsertest: %s (on %s): %v", what, p.location(), err)
	}
	return v
}

func (p *Page) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	run(p, what, chromedp.Steps(actions...))
}

// location is the URL for messages; it never fails the test.
func (p *Page) location() string {
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	return loc
}

// URL turns a path into an absolute URL of the app.
func (p *Page) URL(path string) string {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return p.base + path
}

// Go loads path (relative to the app, or an absolute URL) and waits for it.
func (p *Page) Go(path string) {
	p.t.Helper()
	p.run("go to "+path, front(), chromedp.Navigate(p.URL(path)), painted())
}

// painted waits until the page has rendered a frame: the browser applies
// autofocus and other rendering-time work then, and a user cannot type
// into a page before they see it.
func painted() chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))`, chromedp.EvalAwaitPromise)
}

// front makes the tab the active one, so that focus (autofocus, Tab) works
// in it when a test has several pages open.
func front() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, page.BringToFront, cdp.Empty{})
		return chromedp.Void{}, err
	}
}

// Viewport resizes the tab's viewport to width x height CSS pixels (a
// desktop browser window of that size, scale 1, no touch: layouts answer
// to the width through media queries as on a phone held upright). It
// applies to the page shown and to every page loaded after it; screenshots
// take its size.
func (p *Page) Viewport(width, height int64) {
	p.t.Helper()
	opt := chromedp.EmulateLandscape
	if height > width {
		opt = chromedp.EmulatePortrait
	}
	p.run(fmt.Sprintf("set the viewport to %dx%d", width, height), chromedp.EmulateViewport(width, height, opt), painted())
}

// Uncovered reports whether the element matching sel can be clicked where
// it is: the point at the centre of its box, if inside the viewport, hits
// the element itself or one of its descendants, not something laid over it
// (a sticky bar, a pop-up). It returns "" when it can, otherwise what is
// hit there or why it cannot be clicked. It does not scroll.
func (p *Page) Uncovered(sel string) string {
	p.t.Helper()
	return p.Eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return "no element";
		const r = e.getBoundingClientRect(); if (!r.width || !r.height) return "not displayed";
		const x = r.left + r.width / 2, y = r.top + r.height / 2;
		if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return "centre " + Math.round(x) + "," + Math.round(y) + " outside the viewport";
		const h = document.elementFromPoint(x, y); if (h && (h === e || e.contains(h))) return "";
		if (!h) return "nothing at the centre";
		let d = h.tagName.toLowerCase(); if (h.id) d += "#" + h.id; if (typeof h.className === "string" && h.className) d += "." + h.className.trim().split(/\s+/).join(".");
		return "covered at " + Math.round(x) + "," + Math.round(y) + " by " + d; })()`, sel))
}

// Location returns the current URL.
func (p *Page) Location() string {
	p.t.Helper()
	return run(p, "read the location", chromedp.Location())
}

// Path returns the path and query of the current URL, without the base.
func (p *Page) Path() string {
	p.t.Helper()
	return strings.TrimPrefix(p.Location(), p.base)
}

// Title returns the document title.
func (p *Page) Title() string {
	p.t.Helper()
	return run(p, "read the title", chromedp.Title())
}

// WaitVisible waits until the element is visible.
func (p *Page) WaitVisible(sel string) {
	p.t.Helper()
	p.run("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// WaitGone waits until no element matches sel.
func (p *Page) WaitGone(sel string) {
	p.t.Helper()
	p.run("wait for "+sel+" to go", chromedp.WaitNotPresent(chromedp.CSS(sel)))
}

// Exists reports whether an element matches sel now, without waiting.
func (p *Page) Exists(sel string) bool {
	p.t.Helper()
	return run(p, "look for "+sel, chromedp.Evaluate[bool](fmt.Sprintf("document.querySelector(%q) !== null", sel)))
}

// Count returns how many elements match sel now.
func (p *Page) Count(sel string) int {
	p.t.Helper()
	return run(p, "count "+sel, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
}

// Fill replaces the value of an input, select or textarea with text, typing
// it like a user (so input events fire). For a <select>, text is the value
// of the option to choose.
func (p *Page) Fill(sel, text string) {
	p.t.Helper()
	p.WaitVisible(sel)
	if p.Eval(fmt.Sprintf("document.querySelector(%q).tagName", sel)) == "SELECT" {
		p.run("choose "+text+" in "+sel, chromedp.SetValue(chromedp.CSS(sel), text),
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).dispatchEvent(new Event("change", {bubbles: true}))`, sel)))
		return
	}
	// The live value is emptied (chromedp.Clear empties the value attribute,
	// which no longer shows once the field was typed into), then the text
	// goes in the way a keyboard's IME commits it: one Input.insertText,
	// which fires beforeinput and input like typing does, instead of three
	// protocol round trips per character. Journeys about keys use Press.
	p.run("fill "+sel, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.focus(); el.value = ""; })()`, sel)),
		func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
			return chromedp.Void{}, err
		})
}

// Click clicks the element with the mouse. It does not wait for a new page:
// use ClickNav for links and buttons that load one.
func (p *Page) Click(sel string) {
	p.t.Helper()
	p.run("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// ClickNav clicks the element and waits for the page it loads.
func (p *Page) ClickNav(sel string) {
	p.t.Helper()
	p.WaitVisible(sel)
	p.navigation("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// Submit submits the form that contains sel (or that sel is) as if the user
// pressed its submit button, with the browser's own validation, and waits for
// the page the server answers with.
func (p *Page) Submit(sel string) {
	p.t.Helper()
	p.WaitVisible(sel)
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); const f = el.form || el.closest("form");
		const b = f.querySelector("button[type=submit], button:not([type]), input[type=submit]");
		f.requestSubmit(b || undefined); })()`, sel)
	p.navigation("submit "+sel, chromedp.Evaluate[chromedp.Void](js))
}

// Press sends keys to the focused element, for example "\t" (Tab) or "\r"
// (Enter). It does not wait for a page load.
func (p *Page) Press(keys string) {
	p.t.Helper()
	p.run("press keys", front(), chromedp.KeyEvent(keys))
}

// PressNav sends keys and waits for the page they load (Enter on a link).
func (p *Page) PressNav(keys string) {
	p.t.Helper()
	p.navigation("press keys", chromedp.KeyEvent(keys))
}

// PressCtrlNav sends keys with Ctrl held (Ctrl+Enter submitting a form)
// and waits for the page they load.
func (p *Page) PressCtrlNav(keys string) {
	p.t.Helper()
	p.navigation("press Ctrl+keys", chromedp.KeyEvent(keys, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
}

// navigation runs a that starts loading a page and waits for its load event.
func (p *Page) navigation(what string, a chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	loaded := chromedp.Events(ctx, page.LoadEventFired)
	if err := chromedp.Do(ctx, front(), a); err != nil {
		p.t.Fatalf("browsertest: %s (on %s): %v", what, p.location(), err)
	}
	for _, err := range loaded {
		if err != nil {
			p.t.Fatalf("browsertest: %s: no page loaded (on %s): %v", what, p.location(), err)
		}
		break
	}
	// Wait until the new document is ready to query.
	p.run("wait for the page", chromedp.WaitReady(chromedp.CSS("body")), painted())
}

// Text returns the visible text of the first element matching sel, with
// runs of white space collapsed, waiting for it to appear.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	p.WaitVisible(sel)
	s := run(p, "read the text of "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	return strings.Join(strings.Fields(s), " ")
}

// WaitText waits until the text of the first element matching sel contains
// want (for in-page changes made by JS), and returns the text.
func (p *Page) WaitText(sel, want string) string {
	p.t.Helper()
	deadline := time.Now().Add(Timeout)
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.innerText.trim().split(/\s+/).join(" ") : ""; })()`, sel)
	for {
		got := p.Eval(js)
		if strings.Contains(got, want) {
			return got
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("browsertest: the text of %s is %q after %s, want it to contain %q", sel, got, Timeout, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Texts returns the text of every element matching sel, collapsed as Text
// does, without waiting.
func (p *Page) Texts(sel string) []string {
	p.t.Helper()
	got := run(p, "read the texts of "+sel, chromedp.Evaluate[[]string](
		fmt.Sprintf(`Array.from(document.querySelectorAll(%q), e => e.innerText.trim().split(/\s+/).join(" "))`, sel)))
	return got
}

// Value returns the value of an input, select or textarea.
func (p *Page) Value(sel string) string {
	p.t.Helper()
	p.WaitVisible(sel)
	return run(p, "read the value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// Attr returns an attribute of the first element matching sel, and whether
// it is present.
func (p *Page) Attr(sel, name string) (string, bool) {
	p.t.Helper()
	p.run("wait for "+sel, chromedp.WaitReady(chromedp.CSS(sel)))
	r := run(p, "read "+name+" of "+sel, chromedp.AttributeValue(chromedp.CSS(sel), name))
	return r.Value, r.Exists
}

// Eval evaluates a JavaScript expression in the page and returns its value
// as a string (String(value)).
func (p *Page) Eval(expr string) string {
	p.t.Helper()
	return run(p, "evaluate "+expr, chromedp.Evaluate[string]("String(("+expr+"))"))
}

// Focused describes the focused element like a selector: tag, #id,
// [name=...] and its text, for example `a.skip "Skip to content"`.
func (p *Page) Focused() string {
	p.t.Helper()
	return p.Eval(`(() => { const e = document.activeElement; if (!e || e === document.body) return "body";
		let s = e.tagName.toLowerCase(); if (e.id) s += "#" + e.id; if (e.className && typeof e.className === "string") s += "." + e.className.trim().split(/\s+/).join(".");
		if (e.name) s += "[name=" + e.name + "]"; const txt = (e.innerText || e.value || e.getAttribute("aria-label") || "").trim().split(/\s+/).join(" ");
		return txt ? s + " " + JSON.stringify(txt.slice(0, 40)) : s; })()`)
}

// Screenshot saves the viewport as name.png in $RINGDESK_SCREENSHOTS, when
// that is set.
func (p *Page) Screenshot(name string) {
	p.t.Helper()
	dir := os.Getenv("RINGDESK_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := run(p, "take a screenshot", chromedp.CaptureScreenshot())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// Login signs in through Ringdesk's login form and waits for the page after
// it.
func (p *Page) Login(email, password string) {
	p.t.Helper()
	p.Go("/login")
	p.Fill("input[name=email]", email)
	p.Fill("input[name=password]", password)
	p.Submit("input[name=password]")
}

// SignIn signs in as Login does, through the same login endpoint, but over
// HTTP from the test instead of in the tab, and gives the session's cookies
// to the tab: two page loads fewer (the form and the page after it), for
// journeys that are not about signing in. The tab loads nothing; the
// journey's next step is Go.
func (p *Page) SignIn(email, password string) {
	p.t.Helper()
	c := &http.Client{Timeout: Timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(p.base+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		p.t.Fatalf("browsertest: sign in as %s: %v", email, err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) == 0 {
		p.t.Fatalf("browsertest: sign in as %s: status %d, %d cookies", email, res.StatusCode, len(res.Cookies()))
	}
	var cookies []*network.CookieParam
	for _, ck := range res.Cookies() {
		cp := &network.CookieParam{Name: ck.Name, Value: ck.Value, URL: p.base, Path: ck.Path, HTTPOnly: ck.HttpOnly, Secure: ck.Secure}
		switch ck.SameSite {
		case http.SameSiteStrictMode:
			cp.SameSite = network.CookieSameSiteStrict
		case http.SameSiteLaxMode:
			cp.SameSite = network.CookieSameSiteLax
		case http.SameSiteNoneMode:
			cp.SameSite = network.CookieSameSiteNone
		}
		cookies = append(cookies, cp)
	}
	p.run("give the tab the session", func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, network.SetCookies, network.SetCookiesParams{Cookies: cookies})
		return chromedp.Void{}, err
	})
}

// Cookies returns the names of the cookies the tab holds for the app.
func (p *Page) Cookies() []string {
	p.t.Helper()
	cs := run(p, "read cookies", func(ctx context.Context, t *chromedp.Target) ([]*network.Cookie, error) {
		r, err := cdp.Call(ctx, t, network.GetCookies, network.GetCookiesParams{URLs: []string{p.base}})
		if err != nil {
			return nil, err
		}
		return r.Cookies, nil
	})
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	return names
}

package web_test

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestBrowserReports is the supervisor's morning: the reports page of a
// desk with calls shows the figures and the three charts, a click on a
// missed-calls bar lands on the Calls page listing exactly those calls, the
// CSV downloads, and nothing scrolls sideways on a laptop or a phone.
func TestBrowserReports(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	// The simulated UIS runs a few minutes behind (still today in Moscow,
	// the supervisor's zone), so the call back comes minutes after the miss
	// and reconciliation's first window covers every call.
	msk, _ := time.LoadLocation("Europe/Moscow")
	now := time.Now().In(msk)
	back := min(4*time.Minute, now.Sub(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, msk))-time.Second)
	clock := &simClock{now: now.Add(-back).Truncate(time.Second)}
	tel := apptest.NewTelephony(t, a, func(c *uissim.Config) { c.Now = clock.Now })
	for i, s := range []uissim.CallSpec{
		{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770001", EmployeeIDs: []int64{petrova}, WaitSeconds: 12, TalkSeconds: 90},
		{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770002", EmployeeIDs: []int64{ivanov}, WaitSeconds: 25, TalkSeconds: 40},
		{Kind: uissim.KindIncomingMissed, ContactNumber: "79037770003", WaitSeconds: 30},
		{Kind: uissim.KindIncomingMissed, ContactNumber: "79037770004", WaitSeconds: 3},
		{Kind: uissim.KindOutgoing, ContactNumber: "79037770003", EmployeeIDs: []int64{ivanov}, Outcome: uissim.OutcomeAnswered, WaitSeconds: 4, TalkSeconds: 20},
	} {
		if i == 4 {
			clock.Add(back * 3 / 4)
		}
		tel.Call(t, s)
	}
	// Reconciliation reads UIS's own time to call back onto the missed call.
	reconcileOK(t, a, tel)
	a.CreateAgent(t, ringdesk.AgentCreate{Name: "Лидия Руководитель", Email: "lead@example.com", Role: ringdesk.RoleSupervisor, Lang: "ru"})
	api := a.TokenClient(t, a.CreateAgent(t, ringdesk.AgentCreate{Name: "API", Email: "api@example.com", Role: ringdesk.RoleSupervisor}))
	uisCB := uisReport(t, api, url.Values{"period": {"today"}, "tz": {"Europe/Moscow"}})
	if uisCB.UISReported != 1 || uisCB.UISMedianSeconds == nil {
		t.Fatalf("UIS's time to call back: %+v", uisCB)
	}
	p := browsertest.New(t, a.URL)
	p.Viewport(1280, 800)
	p.SignIn("lead@example.com", "agent-password-1")
	p.Go("/reports")
	if got := p.Text("#fig-missed dd"); got != "2" {
		t.Errorf("missed today: %q, want 2", got)
	}
	if got := p.Text("#fig-called_back dd"); !strings.HasPrefix(got, "1 (50") {
		t.Errorf("called back: %q, want 1 (50 %%)", got)
	}
	if got := p.Text("#fig-service_level dd"); got != "33,3 %" { // 12 s within 20 s / (12 s, 25 s, the 30 s miss; the 3 s one is short)
		t.Errorf("service level: %q, want 33,3 %%", got)
	}
	// Each figure says what it means.
	if tip, _ := p.Attr("#fig-service_level .help", "data-tip"); !strings.Contains(tip, "T") {
		t.Errorf("service level definition: %q", tip)
	}
	// UIS's own time to call back, beside ours, with its definition.
	uisWant := "медиана " + durationText(*uisCB.UISMedianSeconds) + ", p90 " + durationText(*uisCB.UISP90Seconds) + " (1 звонок)"
	if got := p.Text("#fig-uis_median_seconds dd"); got != uisWant {
		t.Errorf("UIS's time to call back: %q, want %q", got, uisWant)
	}
	if tip, _ := p.Attr("#fig-uis_median_seconds .help", "data-tip"); !strings.Contains(tip, "lost_call_processing_duration") || !strings.Contains(tip, "сверка") {
		t.Errorf("UIS figure's definition: %q", tip)
	}
	for _, sel := range []string{"#chart-hours svg a.bar.ans", "#chart-hours svg a.bar.miss", "#chart-days svg a.bar", "#chart-heat svg a.bar"} {
		if p.Count(sel) == 0 {
			t.Errorf("no %s", sel)
		}
	}
	if p.Count("#agents tbody tr") != 2 {
		t.Errorf("agents table: %d rows", p.Count("#agents tbody tr"))
	}
	noSideways(t, p, "reports 1280")
	p.Screenshot("reports-1280")
	p.Eval(`document.getElementById("chart-days").scrollIntoView()`)
	p.Screenshot("reports-1280-charts")

	// The CSV of the agents table, as the link downloads it.
	href, _ := p.Attr(`#agents .chart-head a[download]`, "href")
	// Decoded keeping the byte-order mark (r.text() drops it), which Excel
	// needs to read the file as UTF-8.
	p.Eval(`fetch(` + strconv.Quote(href) + `).then(r => r.arrayBuffer()).then(b => { window.__csv = new TextDecoder("utf-8", {ignoreBOM: true}).decode(b); }), 0`)
	got := waitEvalPrefix(p, `window.__csv || ""`, "\ufeffАгент")
	if !strings.HasPrefix(got, "\ufeffАгент") || !strings.Contains(got, tel.Agents[petrova].Name+",1,0,0,90") {
		t.Errorf("agents CSV:\n%s", got)
	}

	// A click on the missed bar of the hour lands on exactly its calls.
	bar := `#chart-hours svg a.bar.miss`
	title := p.Eval(`document.querySelector("` + bar + ` title").textContent`)
	n, _ := strconv.Atoi(title[strings.LastIndex(title, " ")+1:])
	p.ClickNav(bar)
	if !strings.HasPrefix(p.Path(), "/calls") || !strings.Contains(p.Location(), "metric=missed") {
		t.Fatalf("the bar led to %s", p.Location())
	}
	if rows, missed := p.Count("table.calls tbody tr"), p.Count("table.calls tbody tr.missed"); rows != n || missed != n || n == 0 {
		t.Errorf("the bar says %d missed; the page lists %d calls, %d of them missed", n, rows, missed)
	}
	if !strings.Contains(p.Text("#report-selection"), strconv.Itoa(n)) {
		t.Errorf("selection line: %q", p.Text("#report-selection"))
	}
	p.Screenshot("reports-calls-of-bar")

	// A phone.
	p.Viewport(390, 844)
	p.Go("/reports")
	noSideways(t, p, "reports 390")
	p.Screenshot("reports-390")
	p.Eval(`document.getElementById("fig-uis_median_seconds").scrollIntoView()`)
	p.Screenshot("reports-390-callbacks")
	// The UIS line fits its card: it wraps rather than overflowing.
	if over := p.Eval(`(() => { const d = document.querySelector("#fig-uis_median_seconds dd"), c = d.closest("section");
		return String(Math.max(0, Math.ceil(d.getBoundingClientRect().right - c.getBoundingClientRect().right))); })()`); over != "0" {
		t.Errorf("the UIS figure overflows its card by %s px on a phone", over)
	}
	p.Eval(`document.getElementById("chart-hours").scrollIntoView()`)
	p.Screenshot("reports-390-charts")
	p.Eval(`document.getElementById("agents").scrollIntoView()`)
	p.Screenshot("reports-390-agents")
}

// TestBrowserWallboard: the TV page updates while calls come in, from the
// webhook through the live stream, with no page load.
func TestBrowserWallboard(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79038880001", WaitSeconds: 30})
	a.CreateAgent(t, ringdesk.AgentCreate{Name: "Lead", Email: "lead@example.com", Role: ringdesk.RoleSupervisor})
	p := browsertest.New(t, a.URL)
	p.Viewport(1920, 1080)
	p.SignIn("lead@example.com", "agent-password-1")
	p.Go("/wallboard")
	if p.Exists(".topbar") {
		t.Error("the wallboard has the top bar")
	}
	if got := p.Text(`[data-k="ringing"]`); got != "0" {
		t.Fatalf("ringing on a quiet desk: %q", got)
	}
	// The clock tells the time where "today" is counted (the supervisor's
	// zone, Moscow), on 24 hours, not the browser's own zone (UTC here).
	msk, _ := time.LoadLocation("Europe/Moscow")
	before := time.Now().In(msk).Format("15:04")
	clock := p.Eval(`document.getElementById("wb-clock").textContent`)
	if after := time.Now().In(msk).Format("15:04"); clock != before && clock != after {
		t.Errorf("the wallboard's clock says %q; want the time in Moscow, %s", clock, after)
	}
	if got := p.Text(`[data-k="today_missed"]`); got != "1" {
		t.Errorf("missed today: %q", got)
	}
	// The stream is open once the page has had its first answer; the
	// server subscribed it to the desk's events before answering.
	waitEval(p, `document.getElementById("wb-live").classList.contains("off") ? "off" : "on"`, "on")
	// A call rings (for the whole test): the board shows it without a reload.
	tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79038880002", WaitSeconds: 60_000})
	if got := waitEval(p, `document.querySelector('[data-k="ringing"]').textContent`, "1"); got != "1" {
		t.Fatalf("the wallboard shows %s ringing, want 1", got)
	}
	// A missed call comes and goes: today's missed count goes up.
	tel.CallOnly(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79038880003", WaitSeconds: 10})
	if got := waitEval(p, `document.querySelector('[data-k="today_missed"]').textContent`, "2"); got != "2" {
		t.Errorf("missed today after a miss: %s, want 2", got)
	}
	noSideways(t, p, "wallboard 1920")
	p.Screenshot("wallboard-1920")
	p.Viewport(390, 844)
	noSideways(t, p, "wallboard 390")
	p.Screenshot("wallboard-390")
	p.Viewport(1280, 800)
	p.Screenshot("wallboard-1280")
}

// sweep loads path in p once and looks at it on a laptop (1280x800) and
// then a phone (390x844), changing the viewport of the loaded page as a
// rotated tablet does, instead of loading the page again at each size: the
// layouts are CSS media queries and live.js follows a resize, and a page
// load is what a journey's CPU goes to. It waits for ready, checks that the
// page does not scroll sideways, and saves the screenshot shot-<width>. The
// tab is left at the phone's size.
func sweep(t *testing.T, p *browsertest.Page, path, ready, shot string) {
	t.Helper()
	p.Viewport(1280, 800)
	p.Go(path)
	p.WaitVisible(ready)
	for _, size := range []struct{ w, h int64 }{{1280, 800}, {390, 844}} {
		if size.w != 1280 {
			p.Viewport(size.w, size.h)
			p.WaitVisible(ready) // still shown at this size
		}
		noSideways(t, p, fmt.Sprintf("%s at %dx%d", path, size.w, size.h))
		p.Screenshot(fmt.Sprintf("%s-%d", shot, size.w))
	}
}

func noSideways(t *testing.T, p *browsertest.Page, where string) {
	t.Helper()
	if over := p.Eval(`document.documentElement.scrollWidth - document.documentElement.clientWidth`); over != "0" {
		t.Errorf("%s scrolls sideways by %s px", where, over)
	}
}

// durationText is a duration as the reports page writes it (m:ss, h:mm:ss).
func durationText(sec int64) string {
	if sec <= 0 {
		return "0:00"
	}
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}

// waitEvalPrefix waits until expr's value starts with prefix.
func waitEvalPrefix(p *browsertest.Page, expr, prefix string) string {
	deadline := time.Now().Add(browsertest.Timeout)
	for {
		got := p.Eval(expr)
		if strings.HasPrefix(got, prefix) || time.Now().After(deadline) {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
}

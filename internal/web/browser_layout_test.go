package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// longClient is a client name that a column of fixed width truncates.
const longClient = "ООО «Северо-Западная логистическая компания»"

// workspace is a desk with what makes lists wide: call tickets (missed,
// answered, outgoing, one from a number alone) from clients with long
// names, typed tickets with long subjects, tags set one by one and by a
// bulk action, a group with a long name and an assignee.
type workspace struct {
	app     *apptest.App
	admin   *ringdesk.Agent
	missed  []int64 // tickets of missed calls, newest last
	tagged  int64   // a typed ticket with tags, a group and an assignee
	callTkt int64   // the missed call ticket the ticket page shows
	// callClient is that ticket's client, with two calls.
	callClient int64
}

func seedWorkspace(t *testing.T) *workspace {
	t.Helper()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ctx := context.Background()
	w := &workspace{app: a}
	w.admin = a.CreateAgent(t, ringdesk.AgentCreate{Name: "Екатерина Александровна Преображенская", Email: "admin-ru@example.com",
		Role: ringdesk.RoleAdmin, Lang: "ru", Password: "admin-password-1"})
	// The long-named client called before and was answered: their card
	// lists two calls.
	w.callClient = tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79161234501", ContactName: longClient,
		EmployeeIDs: []int64{smirnov}, WaitSeconds: 6, TalkSeconds: 200}).ClientID
	for _, c := range []uissim.CallSpec{
		{Kind: uissim.KindIncomingMissed, ContactNumber: "79161234501", ContactName: longClient, WaitSeconds: 20},
		{Kind: uissim.KindIncomingMissed, ContactNumber: "79161234502", ContactName: "Константин Константинопольский", WaitSeconds: 9},
		{Kind: uissim.KindIncomingMissed, ContactNumber: "79161234503", WaitSeconds: 5},
	} {
		w.missed = append(w.missed, tel.Call(t, c).TicketID)
	}
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79161234504", ContactName: "Анна Смирнова",
		EmployeeIDs: []int64{petrova}, WaitSeconds: 4, TalkSeconds: 95})
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindOutgoing, ContactNumber: "79161234505",
		ContactName: "Индивидуальный предприниматель Константинопольская Александра Валерьевна", EmployeeIDs: []int64{ivanov},
		Outcome: "answered", WaitSeconds: 3, TalkSeconds: 40})
	w.callTkt = w.missed[0]

	name := "Отдел по работе с ключевыми клиентами"
	group, err := a.Desk.CreateGroup(ctx, ringdesk.System, ringdesk.GroupInput{Name: &name, AgentIDs: &[]int64{tel.Agents[petrova].ID}})
	if err != nil {
		t.Fatal(err)
	}
	client := seedClient(t, a, "Общество с ограниченной ответственностью «Торговый дом Приволжский»", "+79161234599")
	assignee := tel.Agents[petrova].ID
	tk, err := a.Desk.CreateTicket(ctx, ringdesk.System, ringdesk.TicketCreate{
		Subject:  "Не проходит оплата по счёту № 2026-1187 от 14 ноября: банк возвращает платёж с пометкой «неверные реквизиты получателя»",
		ClientID: client, Priority: "urgent", GroupID: &group.ID, AssigneeID: &assignee, Tags: []string{"оплата", "счета", "vip"}})
	if err != nil {
		t.Fatal(err)
	}
	w.tagged = tk.ID
	if _, err := a.Desk.CreateTicket(ctx, ringdesk.System, ringdesk.TicketCreate{Subject: "Возврат", ClientID: client}); err != nil {
		t.Fatal(err)
	}
	// Tags from a bulk action on every missed call ticket.
	if _, err := a.Desk.BulkUpdateTickets(ctx, w.admin, w.missed, ringdesk.TicketUpdate{AddTags: []string{"перезвонить", "ключевой-клиент"}}); err != nil {
		t.Fatal(err)
	}
	return w
}

// scrollsSideways lists the page and the boxes in it that scroll sideways
// (a table in a scrolling box does not widen the page but still hides
// its right part).
func scrollsSideways(p *browsertest.Page) string {
	return p.Eval(`(() => { const out = [];
		const d = document.documentElement; if (d.scrollWidth > d.clientWidth) out.push("page " + d.scrollWidth + " > " + d.clientWidth);
		for (const e of document.querySelectorAll("body *")) {
			const s = getComputedStyle(e); if (!/(auto|scroll)/.test(s.overflowX) || e.tagName === "TEXTAREA" || e.tagName === "PRE") continue;
			if (e.scrollWidth > e.clientWidth + 1) out.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).trim().split(/\s+/).join(".") : "") + " " + e.scrollWidth + " > " + e.clientWidth);
		}
		return out.join("; "); })()`)
}

// fits checks that neither the page nor a box in it scrolls sideways and
// that each control is clickable (clickable scrolls it to the top, the
// middle and the bottom of the viewport).
func fits(t *testing.T, p *browsertest.Page, where string, sels ...string) {
	t.Helper()
	if got := scrollsSideways(p); got != "" {
		t.Errorf("%s scrolls sideways: %s", where, got)
	}
	clickable(t, p, where, sels...)
}

// shown reports whether every element matching sel is laid out inside its
// table cell and the viewport: not clipped by an ellipsis or the cell.
func shown(p *browsertest.Page, sel string) string {
	return p.Eval(fmt.Sprintf(`(() => { const bad = []; const all = document.querySelectorAll(%q); if (!all.length) return "none";
		for (const e of all) { const r = e.getBoundingClientRect(); const c = (e.closest("td") || document.body).getBoundingClientRect();
			if (!r.width || !r.height) { bad.push(e.textContent + " not displayed"); continue; }
			if (r.left < c.left - 1 || r.right > c.right + 1 || r.right > document.documentElement.clientWidth) bad.push(e.textContent + " outside its cell");
			let p = e; while (p && p.tagName !== "TD") { if (p.scrollWidth > p.clientWidth + 1 && getComputedStyle(p).overflowX !== "visible") { bad.push(e.textContent + " clipped"); break; } p = p.parentElement; }
		} return bad.join("; "); })()`, sel))
}

// TestBrowserWorkspaceFits: the agent's workspace (the ticket list, the
// Missed calls view, a ticket, the Calls page and the top bar) fits a
// laptop (1280x800) and a phone (390x844) with long client names, long
// subjects and tags: nothing scrolls sideways, the main controls are
// visible and clickable, call tickets show a direction icon and who
// called instead of the repeated subject, and tags set by a bulk action
// are not hidden behind a truncated subject.
func TestBrowserWorkspaceFits(t *testing.T) {
	t.Parallel()
	w := seedWorkspace(t)
	p := browsertest.New(t, w.app.URL)
	p.SignIn(w.admin.Email, "admin-password-1")
	// A laptop and a phone, and a tablet's two ways between them: each
	// page is loaded once and resized, as a browser window is.
	sizes := []struct{ w, h int64 }{{1280, 800}, {1024, 768}, {768, 1024}, {390, 844}}
	each := func(path string, check func(size string, vp struct{ w, h int64 })) {
		p.Viewport(sizes[0].w, sizes[0].h)
		p.Go(path)
		for _, vp := range sizes {
			p.Viewport(vp.w, vp.h)
			p.Eval(`(scrollTo(0, 0), true)`)
			check(fmt.Sprintf("%dx%d", vp.w, vp.h), vp)
		}
	}
	each("/tickets?view=all", func(size string, vp struct{ w, h int64 }) {
		// The top bar: the missed-calls count and the availability switch
		// are in it at every size; on a phone the links are in its menu.
		p.Screenshot("layout-list-" + size)
		fits(t, p, "the top bar at "+size, "#missed-badge", ".avail-switch")
		if vp.w > 1100 {
			// An administrator's every link, the switch and a long name
			// side by side: none drawn over another.
			overlap := `(() => { const r = s => document.querySelector(s).getBoundingClientRect();
				const last = [...document.querySelectorAll(".mainnav a")].pop().getBoundingClientRect();
				return String(last.right <= r(".avail").left && r(".avail").right <= r(".me").left && r(".me").right <= innerWidth) })()`
			if got := p.Eval(overlap); got != "true" {
				t.Errorf("at %s the top bar's links run into the availability switch or the name", size)
			}
		}
		if vp.w <= 1100 { // the links are in a menu
			if p.Exists(`.mainnav a[href="/calls"]`) && p.Uncovered(`.mainnav a[href="/calls"]`) == "" {
				t.Errorf("at %s the menu's links show before the menu is opened", size)
			}
			p.Click(".navbtn")
			if got := waitEval(p, `document.querySelector(".navbtn").getAttribute("aria-expanded")`, "true"); got != "true" {
				t.Errorf("the open menu's button says aria-expanded=%q", got)
			}
			p.Screenshot("layout-menu-" + size)
			fits(t, p, "the open menu at "+size, `.mainnav a[href="/calls"]`, `.mainnav a[href="/channels"]`, "#missed-badge", ".avail-switch",
				`.me a[href="/profile"]`, `.me button[type="submit"]`)
			p.Eval(`document.querySelector(".navbtn").focus()`)
			p.Press("\x1b") // Escape closes the menu, focus stays on its button
			if got := waitEval(p, `document.querySelector(".navbtn").getAttribute("aria-expanded")`, "false"); got != "false" || !strings.HasPrefix(p.Focused(), "summary.navbtn") {
				t.Errorf("after Escape the menu's button says aria-expanded=%q and focus is on %s", got, p.Focused())
			}
		} else if p.Exists(".navbtn") && p.Uncovered(".navbtn") == "" {
			t.Errorf("at %s the top bar shows a menu button", size)
		}

		fits(t, p, "the ticket list at "+size, `#tk-list tbody tr:first-child a[href^="/tickets/"]`,
			`#tk-list tbody tr:first-child input[name="id"]`, "#tk-search")
		// Filters beyond the common ones are in a menu; selecting a ticket
		// brings the bulk bar, whose controls are clickable too.
		p.Click(".tk-more > summary")
		p.WaitVisible(`.tk-more-panel input[name="tag"]`)
		p.Screenshot("layout-filters-" + size)
		fits(t, p, "the list's filters at "+size, `.tk-more-panel input[name="tag"]`, `.tk-more-panel select[name="sort"]`)
		p.Click(".tk-more > summary")
		p.WaitGone(`.tk-more[open]`)
		p.Click(`#tk-list tbody tr:first-child input[name="id"]`)
		p.WaitVisible(".tk-bulkbar")
		if got := p.Text("#tk-bulk-count"); !strings.HasSuffix(got, "1") {
			t.Errorf("the bulk bar at %s counts %q", size, got)
		}
		p.Eval(`(scrollTo(0, 0), true)`)
		p.Screenshot("layout-bulk-" + size)
		fits(t, p, "the bulk bar at "+size, `.tk-bulkbar select[name="status"]`, `.tk-bulkbar input[name="tag"]`, `.tk-bulkbar button[type="submit"]`)
		p.Click(`#tk-list tbody tr:first-child input[name="id"]`)
		if got := waitEval(p, `getComputedStyle(document.querySelector(".tk-bulkbar")).display`, "none"); got != "none" {
			t.Errorf("with nothing selected the bulk bar at %s shows (display %s)", size, got)
		}

		if vp.w <= 900 { // the views are a menu
			p.Click(".tk-views-btn")
			p.Screenshot("layout-views-" + size)
		}
		fits(t, p, "the ticket list's views at "+size, `.tk-views a[href="/tickets?view=missed"]`)
		if got := shown(p, "#tk-list .tk-tag"); got != "" {
			t.Errorf("tags in the list at %s: %s", size, got)
		}
		if n := p.Count("#tk-list .tk-tag"); n != 3+2*len(w.missed) {
			t.Errorf("the list at %s shows %d tags, want %d", size, n, 3+2*len(w.missed))
		}
		// Call tickets: a direction icon with a label and who called.
		if got := p.Eval(`Array.from(document.querySelectorAll("#tk-list .call-dir"), (e) => e.getAttribute("aria-label")).sort().join(",")`); got != "Входящий звонок,Входящий звонок,Входящий звонок,Входящий звонок,Входящий звонок,Исходящий звонок" {
			t.Errorf("the call icons at %s are labelled %s", size, got)
		}
		if got := shown(p, "#tk-list .call-dir"); got != "" {
			t.Errorf("call icons at %s: %s", size, got)
		}
		row := fmt.Sprintf(`#tk-list tr[data-href="/tickets/%d"]`, w.callTkt)
		if got := p.Text(row + " .tk-who"); got != "+7 916 123-45-01" {
			t.Errorf("the missed call's row at %s names %q", size, got)
		}
		if got := p.Text(row + " .tk-subj"); strings.Contains(got, "Входящий звонок") || !strings.Contains(got, "Пропущен") {
			t.Errorf("the missed call's row at %s reads %q: want who called and the missed mark, not the subject", size, got)
		}
		if got := shown(p, row+" .tk-who"); got != "" {
			t.Errorf("who called at %s: %s", size, got)
		}
		if vp.w >= 1280 {
			// The long name is shown whole (in two lines).
			if got := p.Eval(`(() => { const a = document.querySelector(` + "`" + row + ` td.tk-client a` + "`" + `); return a.scrollHeight <= a.clientHeight && a.scrollWidth <= a.clientWidth; })()`); got != "true" {
				t.Errorf("the client's name at %s is cut", size)
			}
		}
		if vp.w <= 900 {
			p.Click(".tk-views-btn") // the views menu closed for the next size
		}
	})

	each("/tickets?view=missed", func(size string, vp struct{ w, h int64 }) {
		p.Screenshot("layout-missed-" + size)
		var buttons []string
		for _, id := range w.missed {
			buttons = append(buttons, fmt.Sprintf(`button.tk-callback[data-ticket-id="%d"]`, id))
		}
		fits(t, p, "the Missed calls view at "+size, buttons...)
		if got := shown(p, "#tk-list button.tk-callback"); got != "" {
			t.Errorf("call back buttons at %s: %s", size, got)
		}
		if got := shown(p, "#tk-list .tk-tag"); got != "" {
			t.Errorf("tags in the Missed calls view at %s: %s", size, got)
		}
	})

	each(fmt.Sprintf("/tickets/%d", w.callTkt), func(size string, vp struct{ w, h int64 }) {
		p.Screenshot("layout-ticket-" + size)
		fits(t, p, "the call ticket at "+size, `textarea[name="body"]`, `.tk-side select[name="status"]`,
			`.tk-side button[type="submit"]`, `button.tk-callback`)
		p.Eval(`(document.querySelector("form.tk-reply").scrollIntoView({block: "start"}), true)`)
		p.Screenshot("layout-ticket-reply-" + size)
		p.Eval(`(scrollTo(0, document.documentElement.scrollHeight), true)`)
		p.Screenshot("layout-ticket-end-" + size)
	})

	each(fmt.Sprintf("/tickets/%d", w.tagged), func(size string, vp struct{ w, h int64 }) {
		p.Screenshot("layout-ticket-typed-" + size)
		fits(t, p, "the typed ticket at "+size, `textarea[name="body"]`, `.tk-side select[name="status"]`, `.tk-side button[type="submit"]`)
	})

	each(fmt.Sprintf("/clients/%d", w.callClient), func(size string, vp struct{ w, h int64 }) {
		// The client's card lists their calls in a narrower box.
		p.Screenshot("layout-client-" + size)
		fits(t, p, "the client's card at "+size, `table.calls tbody tr:first-child a[href^="/calls/"]`)
	})

	each("/calls", func(size string, vp struct{ w, h int64 }) {
		p.Screenshot("layout-calls-" + size)
		if vp.w <= 720 { // the filters fold under a button
			p.Click(".calls-more > summary")
			p.Screenshot("layout-calls-filters-" + size)
		}
		fits(t, p, "the Calls page at "+size, `table.calls tbody tr:first-child a[href^="/calls/"]`,
			`.calls-filters select[name="direction"]`, `.calls-filters button[type="submit"]`)
	})
}

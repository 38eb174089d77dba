package web_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestBrowserCannedReplies: an agent opens a ticket, types "/" at the
// start of a line of the message, filters by a shortcut, presses Enter,
// and the reply filled for this ticket replaces the "/..."; Esc closes the
// picker and leaves the "/" typed; Ctrl+/ opens it with a search field and
// inserts at the cursor; the mouse works too; the message goes out with
// Ctrl+Enter. Then the agent writes a personal reply on the Canned replies
// page. Every page and the picker are looked at on a laptop (1280x800)
// and a phone (390x844), and none scrolls sideways.
func TestBrowserCannedReplies(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	olga := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Ольга Смирнова", Email: "olga@example.com", Role: ringdesk.RoleAgent, Lang: "en"})
	canned := func(actor *ringdesk.Agent, shared bool, title, shortcut, body string) {
		t.Helper()
		in := ringdesk.CannedInput{Title: &title, Body: &body, Shortcut: &shortcut, Shared: &shared}
		if _, err := a.Desk.CreateCannedReply(ctx, actor, in); err != nil {
			t.Fatal(err)
		}
	}
	canned(ringdesk.System, true, "Приветствие", "hello", "Здравствуйте, {{client.name}}!\nВаше обращение №{{ticket.number}} принято.")
	canned(ringdesk.System, true, "Реквизиты для оплаты счёта", "rekv", "Реквизиты во вложении. Назначение платежа: оплата по обращению №{{ticket.number}}.")
	canned(ringdesk.System, true, "Перезвоним", "", "Мы перезвоним вам в течение часа.")
	canned(olga, false, "Подпись", "sign", "С уважением, {{agent.name}}, служба поддержки")
	client := seedClient(t, a, "Петров Иван", "+79261234567")
	tk, err := a.Desk.CreateTicket(ctx, olga, ringdesk.TicketCreate{Subject: "Не пришёл счёт за май", ClientID: client})
	if err != nil {
		t.Fatal(err)
	}
	ticket := "/tickets/" + strconv.FormatInt(tk.ID, 10)
	num := strconv.FormatInt(tk.Number, 10)
	body := "form.tk-reply textarea[name=body]"
	value := func(p *browsertest.Page) string {
		return p.Eval(`document.querySelector("form.tk-reply textarea[name=body]").value`)
	}
	waitValue := func(p *browsertest.Page, want string) string {
		t.Helper()
		for range 200 {
			if v := value(p); strings.Contains(v, want) {
				return v
			}
			p.Eval(`new Promise(r => setTimeout(() => r(""), 25))`)
		}
		t.Fatalf("the message is %q, want it to hold %q", value(p), want)
		return ""
	}

	p := browsertest.New(t, a.URL)
	p.SignIn("olga@example.com", "agent-password-1")
	p.Go(ticket)
	p.Click(`form.tk-reply input[name=kind][value=reply]`)
	p.Click(body)
	p.Press("Добрый день.\n/he")
	p.WaitVisible(".cn-pop .cn-list [role=option]")
	if got, _ := p.Attr(body, "aria-expanded"); got != "true" {
		t.Errorf("the message's aria-expanded = %q with the picker open", got)
	}
	p.Press("l")
	p.WaitText(".cn-list [aria-selected=true]", "Приветствие")
	if got := p.Texts(".cn-list [role=option]"); len(got) != 1 {
		t.Errorf("options for /hel: %q", got)
	}
	p.Screenshot("canned-picker-slash")
	p.Press(kb.Enter)
	p.WaitGone(".cn-list [role=option]")
	got := waitValue(p, "Петров Иван")
	if want := "Добрый день.\nЗдравствуйте, Петров Иван!\nВаше обращение №" + num + " принято."; got != want {
		t.Fatalf("after Enter the message is %q, want %q", got, want)
	}
	if f := p.Focused(); !strings.HasPrefix(f, "textarea[name=body]") {
		t.Errorf("focus after inserting: %s", f)
	}

	// Esc closes the picker, keeps the "/" and the focus in the message.
	p.Press("\n/")
	p.WaitVisible(".cn-list [role=option]")
	p.Press(kb.Escape)
	p.WaitGone(".cn-list [role=option]")
	if f := p.Focused(); !strings.HasPrefix(f, "textarea[name=body]") {
		t.Errorf("focus after Esc: %s", f)
	}
	if v := value(p); !strings.HasSuffix(v, "\n/") {
		t.Errorf("after Esc the message ends %q", v[max(0, len(v)-10):])
	}
	p.Press(kb.Backspace)

	// Ctrl+/ opens the picker with a search field; the reply goes in at the cursor.
	if _, err := chromedp.Run(p.Context(), chromedp.KeyEvent("/", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
		t.Fatal(err)
	}
	p.WaitVisible(".cn-q")
	if f := p.Focused(); !strings.HasPrefix(f, "input.cn-q") {
		t.Fatalf("Ctrl+/ focused %s", f)
	}
	p.Screenshot("canned-picker-search")
	p.Fill(".cn-q", "реквизиты оплаты")
	p.WaitText(".cn-list [aria-selected=true]", "Реквизиты для оплаты счёта")
	p.Press(kb.Enter)
	p.WaitGone(".cn-list [role=option]")
	waitValue(p, "Назначение платежа: оплата по обращению №"+num+".")
	if p.Path() != ticket {
		t.Fatalf("Enter in the search field left the page: %s", p.Path())
	}

	// And with the mouse: the button, then a click on the personal reply.
	p.Press("\n")
	p.Click(".cn-open")
	p.WaitVisible(".cn-list [role=option]")
	if got := p.Texts(".cn-list [role=option] strong"); len(got) != 4 || got[0] != "Подпись" {
		t.Errorf("without a query: %q, want the agent's own first", got)
	}
	p.Click(".cn-list [role=option]:first-child")
	got = waitValue(p, "С уважением, Ольга Смирнова, служба поддержки")
	if strings.Contains(got, "{{") || strings.Contains(got, "/hel") {
		t.Errorf("the message holds a placeholder or the query: %q", got)
	}
	p.PressCtrlNav("\r")
	p.WaitVisible(".flash")
	if tl := timelineText(p); !strings.Contains(tl, "Здравствуйте, Петров Иван!") || !strings.Contains(tl, "С уважением, Ольга Смирнова") {
		t.Errorf("the sent reply is not in the timeline: %q", tl)
	}
	events, err := a.DB.TicketEvents(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := events[len(events)-1]; last.Kind != ringdesk.EventReply || !strings.HasPrefix(strings.ReplaceAll(last.Body, "\r\n", "\n"), "Добрый день.\nЗдравствуйте, Петров Иван!") {
		t.Errorf("the last event is %s %q", last.Kind, last.Body)
	}

	// The Canned replies page: a personal reply with an error first.
	p.ClickNav(`.mainnav a[href="/canned-replies"]`)
	p.ClickNav(`a[href="/canned-replies/new"]`)
	p.Fill("input[name=title]", "Жду ответа")
	p.Fill("textarea[name=body]", "{{client.name}}, жду вашего ответа по {{ticket.id}}.")
	p.Submit("input[name=title]")
	if got := p.Text(".cn-form .field-error"); !strings.Contains(got, "Unknown placeholder {{ticket.id}}") {
		t.Errorf("field error: %q", got)
	}
	if got := p.Value("input[name=title]"); got != "Жду ответа" {
		t.Errorf("the title was lost: %q", got)
	}
	p.Fill("textarea[name=body]", "{{client.name}}, жду вашего ответа по обращению №{{ticket.number}}.")
	p.Fill("input[name=shortcut]", "/wait")
	p.Submit("input[name=title]")
	p.WaitVisible(".flash")
	if rows := p.Texts("#canned tbody tr"); len(rows) != 5 {
		t.Errorf("rows: %q", rows)
	}
	p.Fill("input[name=q]", "wait")
	p.Submit("input[name=q]")
	if rows := p.Texts("#canned tbody tr"); len(rows) != 1 || !strings.Contains(rows[0], "Жду ответа") || !strings.Contains(rows[0], "/wait") {
		t.Errorf("search: %q", rows)
	}

	// An administrator who reads Russian: shared replies to edit.
	a.CreateAgent(t, ringdesk.AgentCreate{Name: "Анна Администратор", Email: "anna@example.com", Role: ringdesk.RoleAdmin, Lang: "ru"})
	admin := browsertest.New(t, a.URL)
	admin.SignIn("anna@example.com", "agent-password-1")
	pages := []struct {
		p               *browsertest.Page
		path, shot, sel string
	}{
		{p, "/canned-replies", "list", "#canned"},
		{p, "/canned-replies/new", "new", "form.cn-form"},
		{p, "/canned-replies/1", "shared", "form.cn-form"},
		{p, "/canned-replies/4", "own", "form.cn-form"},
		{p, ticket, "picker", ".cn-open"},
		{admin, "/canned-replies", "admin-list", "#canned"},
		{admin, "/canned-replies/1", "admin-shared", "form.cn-form"},
		{admin, ticket, "admin-picker", ".cn-open"},
	}
	for _, pg := range pages {
		if !strings.HasSuffix(pg.shot, "picker") {
			sweep(t, pg.p, pg.path, pg.sel, "canned-"+pg.shot)
		}
	}
	// The picker is opened afresh at each size, on a page loaded at that
	// size: where it opens depends on the size it is opened at.
	for _, size := range []struct{ w, h int64 }{{1280, 800}, {390, 844}} {
		for _, pg := range pages {
			if !strings.HasSuffix(pg.shot, "picker") {
				continue
			}
			pg.p.Viewport(size.w, size.h)
			pg.p.Go(pg.path)
			pg.p.WaitVisible(pg.sel)
			pg.p.Eval(`document.querySelector("form.tk-reply textarea[name=body]").value = ""`) // the draft of the larger size
			pg.p.Click(body)
			pg.p.Press("/")
			pg.p.WaitVisible(".cn-list [role=option]")
			noSideways(t, pg.p, fmt.Sprintf("%s at %dx%d", pg.path, size.w, size.h))
			pg.p.Screenshot(fmt.Sprintf("canned-%s-%d", pg.shot, size.w))
		}
	}
}

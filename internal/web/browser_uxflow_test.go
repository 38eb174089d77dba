package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
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
	a := apptest.New(t)
	ctx := context.Background()
	long := "Общество с ограниченной ответственностью «Очень длинное название торгово-производственной компании Северо-Запад»"
	client := seedClient(t, a, long, "+79261234567")
	var ids []int64
	for i := range 3 {
		tk, err := a.Desk.CreateTicket(ctx, nil, ringdesk.TicketCreate{Subject: fmt.Sprintf("Не проходит оплата по счёту %d", i), ClientID: client})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tk.ID)
	}
	p := browsertest.New(t, a.URL)
	p.Login(apptest.AdminEmail, apptest.AdminPassword)
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
	if got := p.Text(".flash"); got != "Selected tickets updated." {
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
	a := apptest.New(t)
	client := seedClient(t, a, "Петров Иван", "+79261234567")
	tk, err := a.Desk.CreateTicket(context.Background(), nil, ringdesk.TicketCreate{Subject: "Не приходит SMS", ClientID: client})
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.Desk.CreateTicket(context.Background(), nil, ringdesk.TicketCreate{Subject: "Другое", ClientID: client})
	if err != nil {
		t.Fatal(err)
	}
	p := browsertest.New(t, a.URL)
	p.Login(apptest.AdminEmail, apptest.AdminPassword)
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
	if got := p.Text(".tk-timeline"); !strings.Contains(got, text) {
		t.Errorf("the sent note is not in the timeline")
	}
}

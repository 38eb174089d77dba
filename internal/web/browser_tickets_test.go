package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestBrowserNewTicketClientPicker: the new-ticket form finds the client as
// the agent types, by keyboard alone, and a client card opens the form with
// its client chosen.
func TestBrowserNewTicketClientPicker(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	seed := func(name, phone, email string) int64 {
		id, err := a.DB.SeedClient(ctx, name, []string{phone}, []string{email}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	smirnov := seed("Иван Смирнов", "+79261110001", "smirnov@example.ru")
	sokolov := seed("Иван Соколов", "+79261110002", "sokolov@example.ru")
	kuznetsov := seed("Пётр Кузнецов", "+79261234567", "petr@example.ru")
	p := browsertest.New(t, a.URL)
	p.SignIn(apptest.AdminEmail, apptest.AdminPassword)

	p.Go("/tickets/new")
	p.Fill("input[name=subject]", "Не проходит оплата")
	p.Fill("#tk-client", "иван")
	p.WaitVisible("#tk-client-list [role=option]")
	if got := p.Texts("#tk-client-list [role=option]"); len(got) != 2 || !strings.HasPrefix(got[0], "Иван Смирнов") || !strings.HasPrefix(got[1], "Иван Соколов") {
		t.Fatalf("suggestions for %q: %q", "иван", got)
	}
	if got, _ := p.Attr("#tk-client", "aria-expanded"); got != "true" {
		t.Errorf("aria-expanded = %q with suggestions open", got)
	}
	p.Screenshot("ticket-new-picker")
	p.Press(kb.ArrowDown)
	if got, _ := p.Attr("#tk-client", "aria-activedescendant"); got != fmt.Sprintf("tk-client-opt-%d", sokolov) {
		t.Errorf("after ArrowDown the active suggestion is %q, want Иван Соколов", got)
	}
	p.Press(kb.ArrowUp)
	p.Press(kb.ArrowUp) // wraps to the last
	p.Press(kb.Enter)
	p.WaitGone("#tk-client-list [role=option]")
	if got := p.Value("#tk-client"); got != "Иван Соколов" {
		t.Errorf("after Enter the field holds %q", got)
	}
	if got := p.Eval(`document.querySelector("input[name=client_id]").value`); got != fmt.Sprint(sokolov) {
		t.Errorf("client_id = %q, want %d", got, sokolov)
	}
	if got := p.Path(); got != "/tickets/new" {
		t.Fatalf("Enter on a suggestion sent the form: now on %s", got)
	}
	if got := p.Text("#tk-client-chosen"); !strings.Contains(got, "+7 926 111-00-02") {
		t.Errorf("the chosen client's details read %q", got)
	}

	// Typing again forgets the choice; Escape closes the list, ArrowDown
	// opens it again.
	p.Fill("#tk-client", "кузн")
	p.WaitText("#tk-client-list", "Пётр Кузнецов")
	if got := p.Eval(`document.querySelector("input[name=client_id]").value`); got != "" {
		t.Errorf("client_id after retyping = %q, want empty", got)
	}
	p.Press(kb.Escape)
	p.WaitGone("#tk-client-list [role=option]")
	p.Press(kb.ArrowDown)
	p.WaitText("#tk-client-list", "Пётр Кузнецов")
	p.Press(kb.Enter)
	p.WaitGone("#tk-client-list [role=option]")
	p.Fill("#tk-client", "никого-нет")
	p.WaitText("#tk-client-list", "No clients found.")
	p.Fill("#tk-client", "petr@exa")
	p.WaitText("#tk-client-list", "Пётр Кузнецов")
	p.Press(kb.Enter)
	p.Submit("input[name=subject]")
	if got := p.Text(fmt.Sprintf(`.tk-client a[href="/clients/%d"]`, kuznetsov)); got != "Пётр Кузнецов" {
		t.Errorf("the new ticket's client panel names %q", got)
	}

	// From a client card.
	p.Go(fmt.Sprintf("/clients/%d", smirnov))
	p.ClickNav(fmt.Sprintf(`a[href="/tickets/new?client_id=%d"]`, smirnov))
	if got := p.Value("#tk-client"); got != "Иван Смирнов" {
		t.Errorf("the form opened from the card holds %q", got)
	}
	p.Fill("input[name=subject]", "Перезвонить")
	p.Submit("input[name=subject]")
	if got := p.Text(".tk-client"); !strings.Contains(got, "Иван Смирнов") {
		t.Errorf("the card's ticket has client %q", got)
	}
	p.NoConsoleErrors()
}

// TestBrowserCallPopupsAreCapped: many calls ringing at once take one line
// of the ringing bar, the newest call and a count of the rest, which opens
// the list of all (Escape closes it), by mouse or keyboard; a call
// dismissed stays dismissed in this tab across page loads.
func TestBrowserCallPopupsAreCapped(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a, func(c *uissim.Config) { c.TimeScale = 1 })
	p := browsertest.New(t, a.URL)
	p.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	p.Go("/tickets")
	for i := range 5 {
		tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: fmt.Sprintf("7903111220%d", i), WaitSeconds: 60})
		waitCount(t, p, ".callpop", i+1)
	}
	p.WaitText(".callmore", "4 more calls")
	if n := p.Count(".callpop:not([hidden])"); n != 1 {
		t.Errorf("%d pop-ups shown, want 1", n)
	}
	if got := p.Text(".callpop:not([hidden]) .who"); got != "+7 903 111-22-04" {
		t.Errorf("the bar shows %q, want the newest call", got)
	}
	p.Screenshot("call-popups-capped")

	// By keyboard: after the top bar come the call's links, its dismiss
	// button and the count, which opens the list; Escape closes it.
	p.Eval(`(document.querySelector(".topbar form[action=\"/logout\"] button").focus(), true)`)
	for _, want := range []string{`a.button.primary "Open ticket"`, `a.button "Client"`, `button.close "×"`, `button.callmore "4 more calls"`} {
		p.Press("\t")
		if got := p.Focused(); got != want {
			t.Errorf("Tab reached %s, want %s", got, want)
		}
	}
	p.Press("\r")
	p.WaitVisible(`.callmore[aria-expanded="true"]`)
	if n := p.Count(".callpop:not([hidden])"); n != 5 {
		t.Errorf("the open list shows %d calls, want 5", n)
	}
	if got := p.Text(".callmore"); got != "Collapse" {
		t.Errorf("the open list's button reads %q", got)
	}
	p.Screenshot("call-popups-open")
	p.Press(kb.Escape)
	p.WaitVisible(`.callmore[aria-expanded="false"]`)
	if got := p.Focused(); got != `button.callmore "4 more calls"` {
		t.Errorf("after Escape the focus is on %s", got)
	}

	p.Click(".callpop:not([hidden]) .close")
	p.WaitText(".callmore", "3 more calls")
	if n := p.Count(".callpop:not([hidden])"); n != 1 {
		t.Errorf("after dismissing one, %d pop-ups shown, want 1", n)
	}
	p.Go("/tickets")
	p.WaitText(".callmore", "3 more calls")
	if n := p.Count(".callpop"); n != 4 {
		t.Errorf("after a page load %d calls in the bar, want 4 (one dismissed)", n)
	}
}

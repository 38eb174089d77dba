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
	"github.com/ringdesk/ringdesk/internal/mail"
	"github.com/ringdesk/ringdesk/internal/mailtest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// clientMail is a message from the client to the mailbox.
func clientMail(id, subject, body string, extra ...string) []byte {
	h := []string{`From: "Анна Петрова" <anna@client.example>`, "To: support@example.com", "Subject: " + subject,
		"Message-ID: <" + id + ">", "Date: " + time.Now().Format(time.RFC1123Z), "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"}
	return []byte(strings.Join(append(h, extra...), "\r\n") + "\r\n\r\n" + body + "\r\n")
}

// inboundTicket waits until the message with Message-ID id is on a ticket.
func inboundTicket(t *testing.T, a *apptest.App, id string) int64 {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var ticket *int64
		err := a.DB.QueryRowForTest(context.Background(), `SELECT ticket_id FROM email_inbound WHERE message_key = $1`, id).Scan(&ticket)
		if err == nil && ticket != nil {
			return *ticket
		}
	}
	t.Fatalf("message %s did not reach a ticket", id)
	return 0
}

// TestBrowserEmailJourney: an administrator sets up a mailbox (Dovecot for
// IMAP, Mailpit for SMTP) and checks it; an email to the mailbox becomes a
// ticket; the agent's reply from the page, a canned reply inserted and
// sent with the keyboard, arrives in the client's mailbox threaded under
// the original; the client's answer reopens the same ticket
// and shows up on the open page; a reply sent while SMTP is down shows
// queued, then reaches the client once the server is back.
func TestBrowserEmailJourney(t *testing.T) {
	t.Parallel()
	dc := mailtest.StartDovecot(t)
	mp := mailtest.StartMailpit(t)
	a := apptest.New(t)
	ctx := context.Background()
	p := browsertest.New(t, a.URL)
	p.SignIn(apptest.AdminEmail, apptest.AdminPassword)

	// The mailbox, through the admin pages.
	p.Go("/channels")
	p.ClickNav("#new-mailbox")
	for sel, v := range map[string]string{"input[name=name]": "Поддержка", "input[name=address]": "support@example.com",
		"input[name=display_name]": "Support", "input[name=imap_host]": dc.Host, "input[name=imap_port]": fmt.Sprint(dc.Port),
		"select[name=imap_tls]": "none", "input[name=imap_user]": dc.Username, "input[name=imap_password]": dc.Password,
		"input[name=smtp_host]": mp.Host, "input[name=smtp_port]": fmt.Sprint(mp.SMTPPort), "select[name=smtp_tls]": "none",
		"input[name=smtp_user]": "support", "input[name=smtp_password]": "secret"} {
		p.Fill(sel, v)
	}
	p.Submit("input[name=address]")
	if got := p.Text(".flash"); !strings.Contains(got, "Channel created.") {
		t.Fatalf("after creating the mailbox: %q", got)
	}
	if p.Value("input[name=imap_password]") != "" || strings.Contains(p.Eval("document.body.innerHTML"), dc.Password) {
		t.Fatal("the IMAP password is shown back")
	}
	p.ClickNav("#mail-check")
	if got := p.Text("#check-result"); !strings.Contains(got, "Connection works.") {
		t.Fatalf("check connection: %q", got)
	}
	for _, vp := range []struct {
		w, h int64
		name string
	}{{1280, 800, "wide"}, {390, 844, "phone"}} {
		p.Viewport(vp.w, vp.h)
		if got := scrollsSideways(p); got != "" {
			t.Errorf("mailbox page (%s) scrolls sideways: %s", vp.name, got)
		}
		p.Screenshot("email-mailbox-" + vp.name)
	}
	p.Go("/channels")
	if got := p.Text("table.grid"); !strings.Contains(got, "support@example.com") {
		t.Errorf("the channel list shows %q", got)
	}
	for _, vp := range []struct {
		w, h int64
		name string
	}{{1280, 800, "wide"}, {390, 844, "phone"}} {
		p.Viewport(vp.w, vp.h)
		if got := scrollsSideways(p); got != "" {
			t.Errorf("channel list (%s) scrolls sideways: %s", vp.name, got)
		}
		p.Screenshot("email-channels-" + vp.name)
	}
	p.Viewport(1280, 800)

	// An email to the mailbox becomes a ticket.
	dc.Deliver(t, clientMail("first@client.example", "Не пришёл счёт", "Здравствуйте! Счёт за март не пришёл."))
	tid := inboundTicket(t, a, "first@client.example")
	p.Go(fmt.Sprintf("/tickets/%d", tid))
	p.WaitText(".tk-email .tk-body", "Счёт за март не пришёл")
	if got := p.Text(".tk-email .tk-mail-from"); got != "anna@client.example" {
		t.Errorf("sender shown as %q", got)
	}
	if got := p.Value("input[name=to]"); got != "anna@client.example" {
		t.Errorf("the reply goes to %q", got)
	}

	// The agent answers with a canned reply, with the keyboard only: "/"
	// and the shortcut, Enter inserts it filled for this ticket, Ctrl+Enter
	// sends. The reply reaches the client's mailbox threaded under the
	// original.
	title, shortcut, shared := "Счёт отправлен", "schet", true
	cannedBody := "{{client.name}}, отправили счёт ещё раз. Обращение №{{ticket.number}}."
	if _, err := a.Desk.CreateCannedReply(ctx, ringdesk.System, ringdesk.CannedInput{Title: &title, Body: &cannedBody, Shortcut: &shortcut, Shared: &shared}); err != nil {
		t.Fatal(err)
	}
	tk, err := a.DB.TicketByID(ctx, tid)
	if err != nil {
		t.Fatal(err)
	}
	wantReply := fmt.Sprintf("Анна Петрова, отправили счёт ещё раз. Обращение №%d.", tk.Number)
	p.Click("textarea[name=body]")
	p.Press("/sch")
	p.WaitText(".cn-list [aria-selected=true]", "Счёт отправлен")
	p.Press(kb.Enter)
	p.WaitGone(".cn-list [role=option]")
	for deadline := time.Now().Add(10 * time.Second); p.Value("textarea[name=body]") != wantReply && time.Now().Before(deadline); {
		time.Sleep(25 * time.Millisecond)
	}
	if got := p.Value("textarea[name=body]"); got != wantReply {
		t.Fatalf("after the canned reply the message is %q, want %q", got, wantReply)
	}
	p.PressCtrlNav("\r")
	if got := p.Text(".flash"); !strings.Contains(got, "queued") {
		t.Errorf("after sending: %q", got)
	}
	if got := p.Value("textarea[name=body]"); got != "" {
		t.Errorf("the reply box still holds %q after sending", got)
	}
	p.WaitText(".tk-delivery.d-sent", "Sent to anna@client.example")
	msgs := mp.WaitMessages(t, 1, 10*time.Second)
	sent, err := mail.Parse(mp.Raw(t, msgs[0].ID))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(sent.Text) != wantReply {
		t.Errorf("the client received %q, want the canned reply %q", sent.Text, wantReply)
	}
	if sent.InReplyTo != "first@client.example" || len(sent.References) == 0 || sent.References[0] != "first@client.example" ||
		sent.Subject != fmt.Sprintf("Re: Не пришёл счёт [#%d]", tid) || msgs[0].To[0].Address != "anna@client.example" {
		t.Fatalf("the reply as sent: subject %q, in-reply-to %q, references %v, to %v", sent.Subject, sent.InReplyTo, sent.References, msgs[0].To)
	}
	for _, vp := range []struct {
		w, h int64
		name string
	}{{1280, 800, "wide"}, {390, 844, "phone"}} {
		p.Viewport(vp.w, vp.h)
		if got := scrollsSideways(p); got != "" {
			t.Errorf("ticket page (%s) scrolls sideways: %s", vp.name, got)
		}
		p.Screenshot("email-ticket-" + vp.name)
	}
	p.Viewport(1280, 800)

	// The ticket is solved; the client's answer reopens it and appears on
	// the open page without a reload.
	p.Fill("textarea[name=body]", "")
	solved := ringdesk.StatusSolved
	if _, err := a.Desk.UpdateTicket(ctx, ringdesk.System, tid, ringdesk.TicketUpdate{Status: &solved}); err != nil {
		t.Fatal(err)
	}
	p.Go(fmt.Sprintf("/tickets/%d", tid))
	p.Eval(`window.__stay = 1`)
	dc.Deliver(t, clientMail("second@client.example", "Re: "+sent.Subject, "Спасибо, получила. Но сумма неверная.",
		"In-Reply-To: <"+sent.MessageID+">", "References: <first@client.example> <"+sent.MessageID+">"))
	if got := inboundTicket(t, a, "second@client.example"); got != tid {
		t.Fatalf("the client's answer went to ticket %d, want %d", got, tid)
	}
	p.WaitText(".tk-timeline", "Но сумма неверная")
	p.WaitText(".tk-head", "Open")
	if p.Eval(`String(window.__stay)`) != "1" {
		t.Error("the page reloaded instead of taking the new entry in place")
	}
	if tk, _ := a.DB.TicketByID(ctx, tid); tk.Status != ringdesk.StatusOpen {
		t.Fatalf("the answer left the ticket %s", tk.Status)
	}

	// SMTP is down: the reply shows queued, then sent once it is back.
	mp.Stop()
	p.Fill("textarea[name=body]", "Исправили сумму, счёт в приложении.")
	p.Submit("textarea[name=body]")
	p.WaitText(".tk-delivery.d-queued", "Queued for sending to anna@client.example")
	p.WaitText(".tk-delivery.d-queued", "the last attempt failed, retrying")
	// The timeline is read as rendered, in one step in the page (a live
	// update may be replacing it at the moment of a read): the one with the
	// queued reply in it.
	timeline := timelineText(p)
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(timeline, "Queued for sending to anna@client.example") &&
		time.Now().Before(deadline); timeline = timelineText(p) {
		time.Sleep(20 * time.Millisecond)
	}
	if p.Exists(".tk-delivery.d-sent ~ .tk-delivery.d-sent") || strings.Count(timeline, "Sent to") != 1 {
		t.Fatalf("a reply is shown as sent while the server is down: %q", timeline)
	}
	p.Screenshot("email-ticket-queued")
	mp.Start(t)
	a.Desk.SetClock(func() time.Time { return time.Now().Add(time.Hour) }) // the retry is due
	p.WaitText(".tk-timeline", "Sent to anna@client.example")
	for deadline := time.Now().Add(10 * time.Second); strings.Count(timelineText(p), "Sent to") < 2 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if n := strings.Count(timelineText(p), "Sent to"); n != 2 {
		t.Fatalf("%d replies shown as sent, want 2", n)
	}
	msgs = mp.WaitMessages(t, 2, 10*time.Second)
	if len(msgs) != 2 {
		t.Fatalf("mailpit holds %d messages, want 2", len(msgs))
	}
	p.NoConsoleErrors()
}

// timelineText reads the ticket's timeline text in one evaluation in the
// page: a live update replaces the timeline's node, and reading it by node
// (find, then read) can fail in between.
func timelineText(p *browsertest.Page) string {
	return p.Eval(`(() => { const t = document.querySelector(".tk-timeline"); return t ? t.innerText : ""; })()`)
}

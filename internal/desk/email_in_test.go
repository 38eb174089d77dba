package desk_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// mailbox creates a mailbox whose servers are closed ports on 127.0.0.1:
// these tests hand messages to the desk themselves.
func mailbox(t *testing.T, a *apptest.App) *ringdesk.Channel {
	t.Helper()
	ch, err := a.Desk.CreateChannel(context.Background(), ringdesk.System, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeEmail,
		Name: "Support", Email: ringdesk.EmailSettings{Address: "support@example.com", DisplayName: "Support",
			IMAPHost: "127.0.0.1", IMAPPort: 1, IMAPTLS: ringdesk.TLSNone, SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPTLS: ringdesk.TLSNone}})
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// msg is a raw message; extra header lines go before the body.
func msg(from, id, subject, body string, extra ...string) []byte {
	h := []string{"From: " + from, "To: support@example.com", "Subject: " + subject, "Message-ID: <" + id + ">",
		"Date: Mon, 02 Mar 2026 10:00:00 +0300", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"}
	h = append(h, extra...)
	return []byte(strings.Join(h, "\r\n") + "\r\n\r\n" + body + "\r\n")
}

type inbox struct {
	t   *testing.T
	a   *apptest.App
	ch  *ringdesk.Channel
	uid uint32
}

// receive hands a message to the desk as the fetcher would.
func (b *inbox) receive(raw []byte) bool {
	b.t.Helper()
	b.uid++
	dup, err := b.a.Desk.ReceiveEmail(context.Background(), b.ch.ID, store.EmailCursor{UIDValidity: 1, LastUID: b.uid}, raw)
	if err != nil {
		b.t.Fatal(err)
	}
	return dup
}

// ticketOf returns the ticket the message with Message-ID id went to (0: none).
func (b *inbox) ticketOf(id string) int64 {
	b.t.Helper()
	var ticket *int64
	err := b.a.DB.QueryRowForTest(context.Background(), `SELECT ticket_id FROM email_inbound WHERE message_key = $1`, id).Scan(&ticket)
	if err != nil {
		b.t.Fatalf("message %s: %v", id, err)
	}
	if ticket == nil {
		return 0
	}
	return *ticket
}

func (b *inbox) state(id string) (state, reason string) {
	b.t.Helper()
	if err := b.a.DB.QueryRowForTest(context.Background(), `SELECT state, reason FROM email_inbound WHERE message_key = $1`, id).Scan(&state, &reason); err != nil {
		b.t.Fatal(err)
	}
	return
}

func newInbox(t *testing.T) *inbox {
	a := apptest.New(t)
	return &inbox{t: t, a: a, ch: mailbox(t, a)}
}

// TestIncomingMailThreads: a new message makes a ticket for a new client
// named from the From header; the client's reply (In-Reply-To) joins it,
// and after the ticket is solved, the next reply reopens it. A forged
// In-Reply-To or ticket number from somebody else makes their own ticket.
func TestIncomingMailThreads(t *testing.T) {
	t.Parallel()
	b := newInbox(t)
	ctx := context.Background()
	b.receive(msg(`"Анна Петрова" <Anna@Client.example>`, "m1@client.example", "Printer broken", "It does not print."))
	t1 := b.ticketOf("m1@client.example")
	if t1 == 0 {
		t.Fatal("no ticket for a new message")
	}
	tk, err := b.a.DB.TicketByID(ctx, t1)
	if err != nil || tk.Subject != "Printer broken" || tk.ChannelID == nil || *tk.ChannelID != b.ch.ID || tk.Status != ringdesk.StatusNew {
		t.Fatalf("ticket %+v %v", tk, err)
	}
	client, _ := b.a.DB.ClientByID(ctx, tk.ClientID)
	if client.Name != "Анна Петрова" || len(client.Emails) != 1 || client.Emails[0] != "anna@client.example" {
		t.Fatalf("client %+v", client)
	}
	b.receive(msg("anna@client.example", "m2@client.example", "Re: Printer broken", "Still broken.", "In-Reply-To: <m1@client.example>",
		"References: <m1@client.example>"))
	if got := b.ticketOf("m2@client.example"); got != t1 {
		t.Fatalf("reply went to %d, want %d", got, t1)
	}
	solved := ringdesk.StatusSolved
	if _, err := b.a.Desk.UpdateTicket(ctx, ringdesk.System, t1, ringdesk.TicketUpdate{Status: &solved}); err != nil {
		t.Fatal(err)
	}
	// Threaded by the ticket number alone (a client that drops headers).
	b.receive(msg("anna@client.example", "m3@client.example", "Re: Printer broken [#"+fmt.Sprint(t1)+"]", "Broken again."))
	if got := b.ticketOf("m3@client.example"); got != t1 {
		t.Fatalf("subject reference went to %d, want %d", got, t1)
	}
	if tk, _ := b.a.DB.TicketByID(ctx, t1); tk.Status != ringdesk.StatusOpen {
		t.Fatalf("a client's reply to a solved ticket left it %s", tk.Status)
	}
	// Somebody else forges the thread headers and the number.
	b.receive(msg("mallory@evil.example", "x1@evil.example", "Re: Printer broken [#"+fmt.Sprint(t1)+"]", "Give me the data.",
		"In-Reply-To: <m1@client.example>", "References: <m1@client.example> <m2@client.example>"))
	forged := b.ticketOf("x1@evil.example")
	if forged == 0 || forged == t1 {
		t.Fatalf("forged reply went to %d (the victim's ticket is %d)", forged, t1)
	}
	evs, _ := b.a.DB.TicketEvents(ctx, t1)
	for _, e := range evs {
		if strings.Contains(e.Body, "Give me the data") {
			t.Fatal("the forged message is in the victim's timeline")
		}
	}
}

// TestIncomingDuplicateAndMachineMail: a Message-ID seen before is skipped;
// an auto-reply joins its ticket without reopening it and one to no
// ticket makes none; mail from the mailbox itself is only kept.
func TestIncomingDuplicateAndMachineMail(t *testing.T) {
	t.Parallel()
	b := newInbox(t)
	ctx := context.Background()
	b.receive(msg("anna@client.example", "d1@client.example", "Invoice", "Please send the invoice."))
	if !b.receive(msg("anna@client.example", "d1@client.example", "Invoice", "Please send the invoice.")) {
		t.Fatal("the same Message-ID was not a duplicate")
	}
	t1 := b.ticketOf("d1@client.example")
	evs, _ := b.a.DB.TicketEvents(ctx, t1)
	if len(evs) != 1 {
		t.Fatalf("%d timeline entries after a duplicate, want 1", len(evs))
	}
	closed := ringdesk.StatusClosed
	if _, err := b.a.Desk.UpdateTicket(ctx, ringdesk.System, t1, ringdesk.TicketUpdate{Status: &closed}); err != nil {
		t.Fatal(err)
	}
	b.receive(msg("anna@client.example", "auto1@client.example", "Out of office: Invoice", "I am away until Monday.",
		"In-Reply-To: <d1@client.example>", "Auto-Submitted: auto-replied"))
	if got := b.ticketOf("auto1@client.example"); got != t1 {
		t.Fatalf("auto-reply went to %d, want %d", got, t1)
	}
	if tk, _ := b.a.DB.TicketByID(ctx, t1); tk.Status != ringdesk.StatusClosed {
		t.Fatalf("an auto-reply reopened the ticket: %s", tk.Status)
	}
	b.receive(msg("bob@client.example", "auto2@client.example", "Automatic reply", "I am away.", "Auto-Submitted: auto-replied"))
	if st, _ := b.state("auto2@client.example"); st != ringdesk.InboundIgnored || b.ticketOf("auto2@client.example") != 0 {
		t.Fatalf("an auto-reply to nothing: state %s, ticket %d", st, b.ticketOf("auto2@client.example"))
	}
	b.receive(msg("Support <support@example.com>", "loop@example.com", "Re: Invoice [#1]", "Our own reply."))
	if st, _ := b.state("loop@example.com"); st != ringdesk.InboundIgnored {
		t.Fatalf("mail from the mailbox itself: %s", st)
	}
}

// TestIncomingHostileContent: a client's name with a header injection is
// one line; HTML with scripts is stored sanitised; a windows-1251 message
// reads right; a message without a Message-ID is still deduplicated.
func TestIncomingHostileContent(t *testing.T) {
	t.Parallel()
	b := newInbox(t)
	ctx := context.Background()
	b.receive(msg("=?utf-8?q?Eve=0D=0ABcc=3A_victim=40example=2Ecom?= <eve@client.example>", "h1@client.example", "Hi", "hello"))
	tk, _ := b.a.DB.TicketByID(ctx, b.ticketOf("h1@client.example"))
	c, _ := b.a.DB.ClientByID(ctx, tk.ClientID)
	if strings.ContainsAny(c.Name, "\r\n") {
		t.Fatalf("client name %q keeps a line break", c.Name)
	}
	html := []byte(strings.Join([]string{"From: html@client.example", "To: support@example.com", "Subject: Look",
		"Message-ID: <html1@client.example>", "MIME-Version: 1.0", "Content-Type: text/html; charset=utf-8"}, "\r\n") +
		"\r\n\r\n<p onclick=\"steal()\">Hello <b>there</b></p><script>alert(1)</script><img src=\"https://tracker.example/p.gif\"><form action=\"https://evil.example\"><input name=x></form>\r\n")
	b.receive(html)
	tid := b.ticketOf("html1@client.example")
	stored, err := b.a.DB.InboundHTML(ctx, tid)
	if err != nil || len(stored) != 1 {
		t.Fatalf("html %v %v", stored, err)
	}
	for _, h := range stored {
		for _, bad := range []string{"<script", "onclick", "tracker.example", "<form", "<input"} {
			if strings.Contains(h, bad) {
				t.Errorf("stored HTML keeps %s: %s", bad, h)
			}
		}
		if !strings.Contains(h, "<b>there</b>") {
			t.Errorf("stored HTML lost the text: %s", h)
		}
	}
	evs, _ := b.a.DB.TicketEvents(ctx, tid)
	if len(evs) != 1 || !strings.Contains(evs[0].Body, "Hello there") || !strings.Contains(evs[0].Data, `"remote_images":true`) {
		t.Fatalf("html message entry %+v", evs)
	}
	cp, _ := charmap.Windows1251.NewEncoder().String("Добрый день! Не приходит счёт.")
	subj, _ := charmap.Windows1251.NewEncoder().String("Счёт")
	name, _ := charmap.Windows1251.NewEncoder().String("Иван")
	b64 := base64.StdEncoding.EncodeToString
	raw := []byte(strings.Join([]string{"From: =?windows-1251?b?" + b64([]byte(name)) + "?= <ivan@client.example>", "To: support@example.com",
		"Subject: =?windows-1251?b?" + b64([]byte(subj)) + "?=", "Message-ID: <cp1251@client.example>", "MIME-Version: 1.0",
		"Content-Type: text/plain; charset=windows-1251", "Content-Transfer-Encoding: 8bit"}, "\r\n") + "\r\n\r\n" + cp + "\r\n")
	b.receive(raw)
	tk, _ = b.a.DB.TicketByID(ctx, b.ticketOf("cp1251@client.example"))
	c, _ = b.a.DB.ClientByID(ctx, tk.ClientID)
	evs, _ = b.a.DB.TicketEvents(ctx, tk.ID)
	if tk.Subject != "Счёт" || c.Name != "Иван" || len(evs) != 1 || evs[0].Body != "Добрый день! Не приходит счёт." {
		t.Fatalf("windows-1251: subject %q, name %q, body %q", tk.Subject, c.Name, evs[0].Body)
	}
	noID := []byte("From: noid@client.example\r\nTo: support@example.com\r\nSubject: No id\r\n\r\nbody\r\n")
	b.receive(noID)
	if !b.receive(noID) {
		t.Fatal("a message without Message-ID was stored twice")
	}
}

// TestBounceMarksReplyFailed: a delivery-status report about one of our
// replies marks that reply failed with the server's reason, and makes no
// ticket.
func TestBounceMarksReplyFailed(t *testing.T) {
	t.Parallel()
	b := newInbox(t)
	ctx := context.Background()
	b.receive(msg("anna@client.example", "b1@client.example", "Question", "How much?"))
	t1 := b.ticketOf("b1@client.example")
	agent := b.a.CreateAgent(t, ringdesk.AgentCreate{Name: "Olga", Email: "olga@example.com", Role: ringdesk.RoleAgent})
	ev, err := b.a.Desk.AddComment(ctx, agent, t1, ringdesk.CommentCreate{Kind: ringdesk.EventReply, Body: "100 roubles."})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := b.a.Desk.TicketDeliveries(ctx, t1)
	if d[ev.ID] == nil || d[ev.ID].Status != ringdesk.DeliveryQueued || d[ev.ID].To[0] != "anna@client.example" {
		t.Fatalf("delivery after a reply: %+v", d[ev.ID])
	}
	// The outbox worker records the Message-ID before its first attempt
	// (the SMTP server here is a closed port, so the reply stays queued).
	var sentID string
	for deadline := time.Now().Add(10 * time.Second); sentID == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		d, _ = b.a.Desk.TicketDeliveries(ctx, t1)
		sentID = d[ev.ID].MessageID
	}
	if sentID == "" {
		t.Fatal("the outbox recorded no Message-ID")
	}
	bounce := strings.Join([]string{"From: MAILER-DAEMON@mx.client.example", "To: support@example.com", "Subject: Undelivered Mail Returned to Sender",
		"Message-ID: <bounce1@mx.client.example>", "Auto-Submitted: auto-replied", "MIME-Version: 1.0",
		`Content-Type: multipart/report; report-type=delivery-status; boundary="B"`, "", "--B", "Content-Type: text/plain", "",
		"Your message could not be delivered.", "--B", "Content-Type: message/delivery-status", "",
		"Reporting-MTA: dns; mx.client.example", "", "Final-Recipient: rfc822; anna@client.example", "Action: failed", "Status: 5.1.1",
		"Diagnostic-Code: smtp; 550 5.1.1 User unknown", "", "--B", "Content-Type: text/rfc822-headers", "",
		"Message-ID: <" + sentID + ">", "Subject: Re: Question [#1]", "", "--B--", ""}, "\r\n")
	b.receive([]byte(bounce))
	if st, _ := b.state("bounce1@mx.client.example"); st != ringdesk.InboundIgnored {
		t.Fatalf("bounce state %s", st)
	}
	d, _ = b.a.Desk.TicketDeliveries(ctx, t1)
	if d[ev.ID].Status != ringdesk.DeliveryFailed || !strings.Contains(d[ev.ID].Error, "User unknown") {
		t.Fatalf("after the bounce: %+v", d[ev.ID])
	}
}

package desk_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/mail"
	"github.com/ringdesk/ringdesk/internal/mailtest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// smtpMailbox creates a mailbox that sends through the SMTP server at
// port on 127.0.0.1 (reading is the closed port 1: these tests hand
// incoming mail to the desk themselves).
func smtpMailbox(t *testing.T, a *apptest.App, port int) *ringdesk.Channel {
	t.Helper()
	ch, err := a.Desk.CreateChannel(context.Background(), ringdesk.System, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeEmail,
		Name: "Support", SMTPSecret: "any", Email: ringdesk.EmailSettings{Address: "support@example.com", DisplayName: "Support",
			IMAPHost: "127.0.0.1", IMAPPort: 1, IMAPTLS: ringdesk.TLSNone, SMTPHost: "127.0.0.1", SMTPPort: port, SMTPTLS: ringdesk.TLSNone,
			SMTPUser: "support"}})
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// waitDelivery waits until the reply's delivery has status.
func waitDelivery(t *testing.T, a *apptest.App, ticketID, eventID int64, status string, timeout time.Duration) *ringdesk.Delivery {
	t.Helper()
	var d *ringdesk.Delivery
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(25 * time.Millisecond) {
		all, err := a.Desk.TicketDeliveries(context.Background(), ticketID)
		if err != nil {
			t.Fatal(err)
		}
		if d = all[eventID]; d != nil && d.Status == status {
			return d
		}
	}
	t.Fatalf("reply %d: delivery %+v, want %s", eventID, d, status)
	return nil
}

// TestReplyEmailedThreaded: an agent's reply to an email ticket reaches
// the client's mailbox from "Agent via Support", threaded under the
// client's message and with the ticket reference; its entry says sent.
func TestReplyEmailedThreaded(t *testing.T) {
	t.Parallel()
	mp := mailtest.StartMailpit(t)
	a := apptest.New(t)
	b := &inbox{t: t, a: a, ch: smtpMailbox(t, a, mp.SMTPPort)}
	ctx := context.Background()
	b.receive(msg(`"Анна" <anna@client.example>`, "q1@client.example", "Где мой заказ?", "Заказ 123 не пришёл."))
	tid := b.ticketOf("q1@client.example")
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Ольга\r\nBcc: evil@example.com", Email: "olga@example.com", Role: ringdesk.RoleAgent})
	ev, err := a.Desk.AddComment(ctx, agent, tid, ringdesk.CommentCreate{Kind: ringdesk.EventReply, Body: "Заказ уже в пути."})
	if err != nil {
		t.Fatal(err)
	}
	d := waitDelivery(t, a, tid, ev.ID, ringdesk.DeliverySent, 15*time.Second)
	if len(d.To) != 1 || d.To[0] != "anna@client.example" || d.SentAt == nil || d.MessageID == "" {
		t.Fatalf("delivery %+v", d)
	}
	msgs := mp.WaitMessages(t, 1, 5*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("mailpit holds %d messages, want 1", len(msgs))
	}
	got, err := mail.Parse(mp.Raw(t, msgs[0].ID))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("Re: Где мой заказ? [#%d]", tid)
	if got.Subject != want || got.InReplyTo != "q1@client.example" || len(got.References) == 0 || got.References[0] != "q1@client.example" ||
		got.From.Email != "support@example.com" || !strings.HasSuffix(got.From.Name, " via Support") || strings.ContainsAny(got.From.Name, "\r\n") ||
		!strings.Contains(got.Text, "Заказ уже в пути.") || got.MessageID != d.MessageID {
		t.Fatalf("sent message: subject %q in-reply-to %q refs %v from %+v id %q (want %q) text %q", got.Subject, got.InReplyTo, got.References,
			got.From, got.MessageID, d.MessageID, got.Text)
	}
	if len(msgs[0].Bcc) != 0 || len(msgs[0].To) != 1 {
		t.Fatalf("recipients: to %v bcc %v", msgs[0].To, msgs[0].Bcc)
	}
	// The client's answer to the reply joins the ticket through its Message-ID.
	solved := ringdesk.StatusSolved
	if _, err := a.Desk.UpdateTicket(ctx, agent, tid, ringdesk.TicketUpdate{Status: &solved}); err != nil {
		t.Fatal(err)
	}
	b.receive(msg("anna@client.example", "q2@client.example", "Re: "+want, "Спасибо, но он не пришёл.", "In-Reply-To: <"+d.MessageID+">"))
	if got := b.ticketOf("q2@client.example"); got != tid {
		t.Fatalf("the answer went to %d, want %d", got, tid)
	}
	if tk, _ := a.DB.TicketByID(ctx, tid); tk.Status != ringdesk.StatusOpen {
		t.Fatalf("the answer left the ticket %s", tk.Status)
	}
}

// TestReplyWaitsForSMTP: a reply sent while the SMTP server is down stays
// queued with the reason and reaches the client once the server is back;
// a refusal fails the reply with the server's words, and Retry queues it
// again.
func TestReplyWaitsForSMTP(t *testing.T) {
	t.Parallel()
	mp := mailtest.StartMailpit(t)
	a := apptest.New(t)
	b := &inbox{t: t, a: a, ch: smtpMailbox(t, a, mp.SMTPPort)}
	ctx := context.Background()
	b.receive(msg("anna@client.example", "w1@client.example", "Invoice", "Where is it?"))
	tid := b.ticketOf("w1@client.example")
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Olga", Email: "olga@example.com", Role: ringdesk.RoleAgent})
	mp.Stop()
	ev, err := a.Desk.AddComment(ctx, agent, tid, ringdesk.CommentCreate{Kind: ringdesk.EventReply, Body: "Sent yesterday."})
	if err != nil {
		t.Fatal(err)
	}
	var d *ringdesk.Delivery
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(25 * time.Millisecond) {
		all, _ := a.Desk.TicketDeliveries(ctx, tid)
		if d = all[ev.ID]; d.Attempts > 0 {
			break
		}
	}
	if d.Status != ringdesk.DeliveryQueued || d.Attempts != 1 || d.Error == "" || d.NextAttemptAt.IsZero() {
		t.Fatalf("while SMTP is down: %+v", d)
	}
	mp.Start(t)
	// The retry is due after the backoff: move the desk's clock past it.
	a.Desk.SetClock(func() time.Time { return time.Now().Add(ringdesk.OutboxBackoff(1) + time.Second) })
	d = waitDelivery(t, a, tid, ev.ID, ringdesk.DeliverySent, 15*time.Second)
	if d.Attempts != 2 || d.Error != "" {
		t.Fatalf("after the server came back: %+v", d)
	}
	if n := len(mp.WaitMessages(t, 1, 5*time.Second)); n != 1 {
		t.Fatalf("mailpit holds %d messages, want 1", n)
	}
	// A refusal is permanent: the reply fails with the server's reason.
	mp.Refuse(t, mailtest.Refusal{Recipient: 550})
	ev2, err := a.Desk.AddComment(ctx, agent, tid, ringdesk.CommentCreate{Kind: ringdesk.EventReply, Body: "Here it is again."})
	if err != nil {
		t.Fatal(err)
	}
	d = waitDelivery(t, a, tid, ev2.ID, ringdesk.DeliveryFailed, 15*time.Second)
	if !strings.Contains(d.Error, "550") {
		t.Fatalf("failed reply's reason %q", d.Error)
	}
	mp.Refuse(t, mailtest.Refusal{})
	if err := a.Desk.RetryReply(ctx, agent, tid, ev2.ID); err != nil {
		t.Fatal(err)
	}
	waitDelivery(t, a, tid, ev2.ID, ringdesk.DeliverySent, 15*time.Second)
	if err := a.Desk.RetryReply(ctx, agent, tid, ev2.ID); ringdesk.ErrorCode(err) != ringdesk.ECONFLICT {
		t.Fatalf("retrying a sent reply: %v", err)
	}
}

// TestOutboxSurvivesRestart: replies queued while the SMTP server is down
// and a message stored but not applied when Ringdesk stops are sent and
// applied by the next start, once each.
func TestOutboxSurvivesRestart(t *testing.T) {
	t.Parallel()
	mp := mailtest.StartMailpit(t)
	dir := t.TempDir()
	var dsn string
	keep := func(c *app.Config, _ *app.Options) {
		c.DataDir = dir
		if dsn != "" {
			c.DB = dsn
		}
	}
	a := apptest.New(t, keep)
	dsn = a.Config.DB
	b := &inbox{t: t, a: a, ch: smtpMailbox(t, a, mp.SMTPPort)}
	ctx := context.Background()
	b.receive(msg("anna@client.example", "r1@client.example", "Refund", "Please refund."))
	tid := b.ticketOf("r1@client.example")
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Olga", Email: "olga@example.com", Role: ringdesk.RoleAgent})
	mp.Stop()
	var events []int64
	for i := range 3 {
		ev, err := a.Desk.AddComment(ctx, agent, tid, ringdesk.CommentCreate{Kind: ringdesk.EventReply, Body: fmt.Sprint("Refund step ", i)})
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, ev.ID)
	}
	// Stored raw, then the process stops before applying it.
	if _, _, err := a.DB.StoreInbound(ctx, b.ch.ID, "r2@client.example", storeCursor(1, 99),
		msg("anna@client.example", "r2@client.example", "Re: Refund", "Any news?", "In-Reply-To: <r1@client.example>"), time.Now()); err != nil {
		t.Fatal(err)
	}
	a.Stop()
	mp.Start(t)
	a2 := apptest.New(t, keep)
	a2.Desk.SetClock(func() time.Time { return time.Now().Add(time.Hour) }) // every retry is due
	for _, id := range events {
		waitDelivery(t, a2, tid, id, ringdesk.DeliverySent, 20*time.Second)
	}
	msgs := mp.WaitMessages(t, 3, 5*time.Second)
	ids := map[string]bool{}
	for _, m := range msgs {
		ids[m.MessageID] = true
	}
	if len(msgs) != 3 || len(ids) != 3 {
		t.Fatalf("mailpit holds %d messages with %d Message-IDs, want 3 each", len(msgs), len(ids))
	}
	b2 := &inbox{t: t, a: a2, ch: b.ch}
	for deadline := time.Now().Add(10 * time.Second); b2.ticketOf("r2@client.example") == 0 && time.Now().Before(deadline); {
		time.Sleep(25 * time.Millisecond)
	}
	if got := b2.ticketOf("r2@client.example"); got != tid {
		t.Fatalf("the stored message went to %d after the restart, want %d", got, tid)
	}
}

// TestTwoSendersSendOnce: two Ringdesk instances on one database send
// each queued reply exactly once.
func TestTwoSendersSendOnce(t *testing.T) {
	t.Parallel()
	mp := mailtest.StartMailpit(t)
	dir := t.TempDir()
	var dsn string
	keep := func(c *app.Config, _ *app.Options) {
		c.DataDir = dir
		if dsn != "" {
			c.DB = dsn
		}
	}
	a := apptest.New(t, keep)
	dsn = a.Config.DB
	b := &inbox{t: t, a: a, ch: smtpMailbox(t, a, mp.SMTPPort)}
	ctx := context.Background()
	b.receive(msg("anna@client.example", "s1@client.example", "Many", "Many answers please."))
	tid := b.ticketOf("s1@client.example")
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Olga", Email: "olga@example.com", Role: ringdesk.RoleAgent})
	a2 := apptest.New(t, keep)
	const n = 20
	var wg sync.WaitGroup
	events := make([]int64, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			desk := a.Desk
			if i%2 == 1 {
				desk = a2.Desk
			}
			ev, err := desk.AddComment(ctx, agent, tid, ringdesk.CommentCreate{Kind: ringdesk.EventReply, Body: fmt.Sprint("Answer ", i)})
			if err != nil {
				t.Error(err)
				return
			}
			events[i] = ev.ID
		}()
	}
	wg.Wait()
	for _, id := range events {
		waitDelivery(t, a, tid, id, ringdesk.DeliverySent, 30*time.Second)
	}
	time.Sleep(500 * time.Millisecond) // a double send would land by now
	msgs := mp.Messages(t)
	ids := map[string]int{}
	for _, m := range msgs {
		ids[m.MessageID]++
	}
	if len(msgs) != n || len(ids) != n {
		t.Fatalf("mailpit holds %d messages with %d distinct Message-IDs, want %d", len(msgs), len(ids), n)
	}
}

func storeCursor(validity, uid uint32) store.EmailCursor {
	return store.EmailCursor{UIDValidity: validity, LastUID: uid}
}

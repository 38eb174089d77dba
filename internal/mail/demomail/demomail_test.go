package demomail_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/ringdesk/ringdesk/internal/mail"
	"github.com/ringdesk/ringdesk/internal/mail/demomail"
)

func TestDemoMailRoundTrip(t *testing.T) {
	dir := t.TempDir()
	got := make(chan demomail.OutboxMessage, 4)
	s, err := demomail.Start(demomail.Options{Mailbox: "support@demo.example", Password: "demo", Dir: dir,
		OnOutbox: func(m demomail.OutboxMessage) { got <- m }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	if problems := mail.Check(ctx, s.IMAPConfig(), s.SMTPConfig()); len(problems) != 0 {
		t.Fatalf("Check = %v", problems)
	}

	// A client writes to the mailbox over SMTP; Ringdesk fetches it.
	clientMsg, clientID, err := mail.Compose(mail.Outgoing{From: mail.Address{Name: "Ольга", Email: "olga@client.example"},
		To: []mail.Address{{Email: "support@demo.example"}}, Subject: "Не приходит счёт", Text: "Помогите"})
	if err != nil {
		t.Fatal(err)
	}
	if err := mail.Send(ctx, mail.SMTPConfig{Host: s.Host, Port: s.SMTPPort, TLS: mail.TLSNone}, "olga@client.example",
		[]string{"support@demo.example"}, clientMsg); err != nil {
		t.Fatal(err)
	}
	f := mail.NewFetcher(s.IMAPConfig(), nil)
	defer f.Close()
	var fetched []*mail.Message
	handle := func(_ uint32, raw []byte) error {
		m, err := mail.Parse(raw)
		fetched = append(fetched, m)
		return err
	}
	cur, err := f.Fetch(ctx, mail.Cursor{}, 0, handle)
	if err != nil || len(fetched) != 1 || fetched[0].MessageID != clientID || fetched[0].Subject != "Не приходит счёт" {
		t.Fatalf("fetch: %v, %d messages", err, len(fetched))
	}

	// The helpdesk replies: the reply goes to the client outbox, not the INBOX.
	reply, replyID, err := mail.Compose(mail.Outgoing{From: mail.Address{Name: "Anna via Support", Email: "support@demo.example"},
		To: []mail.Address{{Email: "olga@client.example"}}, Subject: "Re: Не приходит счёт", TicketRef: "[#1]",
		Text: "Отправили", InReplyTo: clientID})
	if err != nil {
		t.Fatal(err)
	}
	if err := mail.Send(ctx, s.SMTPConfig(), "support@demo.example", []string{"olga@client.example"}, reply); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-got:
		pm, _ := mail.Parse(m.Raw)
		if pm.MessageID != replyID || pm.InReplyTo != clientID || len(m.To) != 1 || m.To[0] != "olga@client.example" {
			t.Errorf("outbox got %+v (id %q in-reply-to %q)", m.To, pm.MessageID, pm.InReplyTo)
		}
	case <-ctx.Done():
		t.Fatal("the reply never reached the client outbox")
	}

	// IDLE wakes on the client's answer, delivered directly.
	go func() {
		time.Sleep(200 * time.Millisecond)
		answer, _, _ := mail.Compose(mail.Outgoing{From: mail.Address{Email: "olga@client.example"},
			To: []mail.Address{{Email: "support@demo.example"}}, Subject: "Re: Не приходит счёт [#1]", Text: "Спасибо", InReplyTo: replyID})
		if err := s.Deliver(answer); err != nil {
			t.Error(err)
		}
	}()
	if err := f.WaitNew(ctx, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if cur, err = f.Fetch(ctx, cur, 0, handle); err != nil || len(fetched) != 2 || fetched[1].InReplyTo != replyID {
		t.Fatalf("fetch after IDLE: %v, %d messages", err, len(fetched))
	}
	f.Close()

	// Restarted with the same Dir: same messages, same UIDs, so the cursor
	// still says "nothing new"; new mail comes after it.
	s.Close()
	s2, err := demomail.Start(demomail.Options{Mailbox: "support@demo.example", Password: "demo", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n := len(s2.Outbox()); n != 1 {
		t.Errorf("outbox after restart holds %d messages", n)
	}
	f2 := mail.NewFetcher(s2.IMAPConfig(), nil)
	defer f2.Close()
	if next, err := f2.Fetch(ctx, cur, 0, handle); err != nil || next != cur || len(fetched) != 2 {
		t.Errorf("fetch after restart: %+v (was %+v) %v, %d messages", next, cur, err, len(fetched))
	}
	if err := s2.Deliver([]byte("From: x@client.example\r\nSubject: third\r\nMessage-ID: <third@x>\r\n\r\nhi\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := f2.Fetch(ctx, cur, 0, handle); err != nil || len(fetched) != 3 || fetched[2].MessageID != "third@x" {
		t.Errorf("new mail after restart: %v, %d messages", err, len(fetched))
	}
}

func TestDemoMailRefusesBadInput(t *testing.T) {
	if _, err := demomail.Start(demomail.Options{Mailbox: "support@demo.example", Password: "x", IMAPAddr: "0.0.0.0:0"}); err == nil {
		t.Error("listening beyond loopback was allowed")
	}
	if _, err := demomail.Start(demomail.Options{Mailbox: "not an address", Password: "x"}); !errors.Is(err, mail.ErrInvalidAddress) {
		t.Errorf("bad mailbox: %v", err)
	}
	s, err := demomail.Start(demomail.Options{Mailbox: "support@demo.example", Password: "right"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cfg := s.SMTPConfig()
	cfg.Password = "wrong"
	problems := mail.CheckSMTP(context.Background(), cfg)
	if len(problems) != 1 || problems[0].Code != mail.ProblemSMTPAuth {
		t.Errorf("CheckSMTP with a wrong password = %v", problems)
	}
	icfg := s.IMAPConfig()
	icfg.Password = "wrong"
	problems = mail.CheckIMAP(context.Background(), icfg)
	if len(problems) != 1 || problems[0].Code != mail.ProblemLogin || !strings.Contains(strings.ToLower(problems[0].Detail), "auth") {
		t.Errorf("CheckIMAP with a wrong password = %v", problems)
	}
}

// TestDemoMailClosesQuietly: stopping the demo cuts the helpdesk's IDLE
// session, which is the stop itself, not a problem worth a warning in the
// demo's log.
func TestDemoMailClosesQuietly(t *testing.T) {
	var logged bytes.Buffer
	s, err := demomail.Start(demomail.Options{Mailbox: "support@demo.example", Password: "demo", Dir: t.TempDir(),
		Logger: slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatal(err)
	}
	c, err := imapclient.DialInsecure(net.JoinHostPort(s.Host, strconv.Itoa(s.IMAPPort)), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("support@demo.example", "demo").Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	idle, err := c.Idle() // returns once the server is idling
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_ = idle.Wait() // the server hung up
	if strings.Contains(logged.String(), "level=WARN") {
		t.Errorf("stopping the demo mail server logged a warning:\n%s", logged.String())
	}
}

package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/mail"
	"github.com/ringdesk/ringdesk/internal/mail/demomail"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// The demo mailbox: an in-process mail provider (demomail) whose INBOX
// Ringdesk reads over IMAP and whose SMTP server takes Ringdesk's replies.
// Simulated clients write to it now and then and answer a reply once, so
// email tickets arrive, replies are delivered and threads reopen without
// any configuration.
const (
	MailboxName     = "Почта (демо)"
	MailboxAddress  = "support@ringdesk.demo"
	mailboxPassword = "demo-mail"
	// mailEvery is how often a demo client writes a new message.
	mailEvery = 3 * time.Minute
	// answerAfter is how long a demo client takes to answer a reply.
	answerAfter = 20 * time.Second
)

// demoWriter is a simulated client who writes to support.
type demoWriter struct {
	Name, Email string
}

var demoWriters = []demoWriter{
	{"Ольга Морозова", "olga.morozova@client.demo"},
	{"Сергей Кузнецов", "s.kuznetsov@client.demo"},
	{"Марина Лебедева", "marina@shop.demo"},
}

// demoLetters are the messages demo clients write: subject and body.
var demoLetters = [][2]string{
	{"Не пришёл счёт за март", "Здравствуйте!\n\nМы до сих пор не получили счёт за март. Пришлите его, пожалуйста, ещё раз.\n\nСпасибо."},
	{"Как сменить тариф?", "Добрый день. Хотим перейти на тариф побольше с начала месяца. Что для этого нужно?"},
	{"Не работает переадресация", "Со вчерашнего дня звонки на номер поддержки не переводятся на мобильный. Посмотрите, пожалуйста."},
	{"Запрос закрывающих документов", "Прошу направить акт сверки за первый квартал. Реквизиты прежние."},
}

// mailDemo is the running demo mailbox.
type mailDemo struct {
	srv     *demomail.Server
	channel *ringdesk.Channel
	log     interface{ Warn(string, ...any) }

	mu       sync.Mutex
	answered map[string]bool // threads a demo client answered
	stopped  bool            // run has ended: no more answers
	next     int
	timers   sync.WaitGroup
	closing  chan struct{}
}

// startMail starts the demo mail provider and creates or updates the demo
// mailbox channel to point at it.
func (dm *Demo) startMail(ctx context.Context, d *desk.Desk, db *store.DB) error {
	m := &mailDemo{answered: map[string]bool{}, closing: make(chan struct{}), log: dm.log}
	opts := demomail.Options{Mailbox: MailboxAddress, Password: mailboxPassword, Logger: dm.log, OnOutbox: m.onReply}
	if dm.cfg.DataDir != "" {
		opts.Dir = filepath.Join(dm.cfg.DataDir, "demo-mail")
	}
	srv, err := demomail.Start(opts)
	if err != nil {
		return fmt.Errorf("demo: mail server: %w", err)
	}
	m.srv = srv
	settings := ringdesk.EmailSettings{Address: MailboxAddress, DisplayName: "Поддержка", IMAPHost: srv.Host, IMAPPort: srv.IMAPPort,
		IMAPTLS: ringdesk.TLSNone, SMTPHost: srv.Host, SMTPPort: srv.SMTPPort, SMTPTLS: ringdesk.TLSNone, SMTPUser: MailboxAddress, PollSeconds: 10}
	channels, err := db.ListChannels(ctx)
	if err != nil {
		srv.Close()
		return err
	}
	for _, ch := range channels {
		if ch.Name == MailboxName && ch.Type == ringdesk.ChannelTypeEmail {
			m.channel = ch
		}
	}
	pass := mailboxPassword
	if m.channel == nil {
		m.channel, err = d.CreateChannel(ctx, ringdesk.System, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeEmail, Name: MailboxName,
			AppSecret: pass, SMTPSecret: pass, Email: settings})
		if err == nil {
			// The first run: a client has written already.
			err = m.write(0)
		}
	} else {
		active := true
		m.channel, err = d.UpdateChannel(ctx, ringdesk.System, m.channel.ID, ringdesk.ChannelUpdate{Email: &settings,
			AppSecret: &pass, SMTPSecret: &pass, Active: &active})
	}
	if err != nil {
		srv.Close()
		return fmt.Errorf("demo: mailbox: %w", err)
	}
	dm.mail = m
	return nil
}

// write delivers demo letter i from a demo client to the mailbox.
func (m *mailDemo) write(i int) error {
	w := demoWriters[i%len(demoWriters)]
	l := demoLetters[i%len(demoLetters)]
	raw, _, err := mail.Compose(mail.Outgoing{From: mail.Address{Name: w.Name, Email: w.Email},
		To: []mail.Address{{Name: "Поддержка", Email: MailboxAddress}}, Subject: l[0], Text: l[1], MessageIDDomain: "client.demo"})
	if err != nil {
		return err
	}
	return m.srv.Deliver(raw)
}

// onReply has the demo client answer a reply once per thread, a little
// later, threaded under it: the ticket reopens if it was solved.
func (m *mailDemo) onReply(out demomail.OutboxMessage) {
	msg, err := mail.Parse(out.Raw)
	if err != nil || msg.MessageID == "" || len(out.To) == 0 {
		return
	}
	n, ok := ringdesk.SubjectTicketNumber(msg.Subject)
	key := fmt.Sprint(n)
	m.mu.Lock()
	if !ok || m.answered[key] || m.stopped {
		m.mu.Unlock()
		return
	}
	m.answered[key] = true
	m.timers.Add(1)
	m.mu.Unlock()
	go func() {
		defer m.timers.Done()
		select {
		case <-m.closing:
			return
		case <-time.After(answerAfter):
		}
		name := strings.TrimSpace(msg.To[0].Name)
		if name == "" {
			name = out.To[0]
		}
		refs := append(append([]string{}, msg.References...), msg.MessageID)
		raw, _, err := mail.Compose(mail.Outgoing{From: mail.Address{Name: name, Email: out.To[0]},
			To: []mail.Address{{Email: MailboxAddress}}, Subject: "Re: " + msg.Subject,
			Text: "Спасибо за ответ! Уточню ещё: когда ждать решения?", InReplyTo: msg.MessageID, References: refs,
			MessageIDDomain: "client.demo"})
		if err == nil {
			err = m.srv.Deliver(raw)
		}
		if err != nil {
			m.log.Warn("demo: a client's answer was not delivered", "err", err)
		}
	}()
}

// run has a demo client write every mailEvery until ctx ends.
func (m *mailDemo) run(ctx context.Context) {
	defer func() {
		// No answer starts after this (timers.Add must not race Wait).
		m.mu.Lock()
		m.stopped = true
		m.mu.Unlock()
		close(m.closing)
		m.timers.Wait()
		m.srv.Close()
	}()
	m.next = 1 + rand.IntN(len(demoLetters))
	t := time.NewTicker(mailEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := m.write(m.next); err != nil {
				m.log.Warn("demo: a client's message was not delivered", "err", err)
			}
			m.next++
		}
	}
}

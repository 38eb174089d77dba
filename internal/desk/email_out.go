package desk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"time"

	"github.com/ringdesk/ringdesk/internal/mail"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// ReplyTarget is where an agent's public reply on a ticket goes: the
// mailbox it is sent from and the default recipients. Without a mailbox
// or without an address the reply is kept in the ticket only, and Reason
// says why.
type ReplyTarget struct {
	Mailbox *ringdesk.Channel
	To      []string
	// Reason is "no_mailbox" or "no_address" when the reply cannot be sent.
	Reason string
}

// Sends reports whether a reply would be emailed.
func (t ReplyTarget) Sends() bool { return t.Reason == "" }

// Reasons a reply cannot be emailed.
const (
	ReplyNoMailbox = "no_mailbox"
	ReplyNoAddress = "no_address"
)

// ReplyTarget says where a public reply on t would go.
func (d *Desk) ReplyTarget(ctx context.Context, t *ringdesk.Ticket) (ReplyTarget, error) {
	channels, err := d.db.ListChannels(ctx)
	if err != nil {
		return ReplyTarget{}, err
	}
	box := ringdesk.ReplyMailbox(t.ChannelID, channels)
	if box == nil {
		return ReplyTarget{Reason: ReplyNoMailbox}, nil
	}
	client, err := d.db.ClientByID(ctx, t.ClientID)
	if err != nil {
		return ReplyTarget{}, err
	}
	last, err := d.db.LastInboundFrom(ctx, t.ID)
	if err != nil {
		return ReplyTarget{}, err
	}
	rt := ReplyTarget{Mailbox: box, To: ringdesk.ReplyRecipients(client.Emails, last)}
	if len(rt.To) == 0 {
		rt.Reason = ReplyNoAddress
	}
	return rt, nil
}

// replyOutbox returns the outbox row for an agent's public reply, or nil
// when the reply is kept in the ticket only (no mailbox, no address).
func (d *Desk) replyOutbox(ctx context.Context, actor *ringdesk.Agent, ticketID int64, to []string) (*store.OutboxCreate, error) {
	t, err := d.db.TicketByID(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	target, err := d.ReplyTarget(ctx, t)
	if err != nil {
		return nil, err
	}
	if to != nil {
		if target.Mailbox == nil && len(to) > 0 {
			return nil, ringdesk.NewFieldError(ringdesk.EINVALID, "to", ringdesk.T("No mailbox is set up to send email from."))
		}
		target.To = to
	}
	if target.Mailbox == nil || len(target.To) == 0 {
		return nil, nil
	}
	ids, err := d.db.TicketMessageIDs(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	inReplyTo, err := d.db.LastInboundMessageID(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	box := target.Mailbox
	name := box.Email.DisplayName
	if name == "" {
		name = box.Name
	}
	return &store.OutboxCreate{ChannelID: box.ID, To: target.To, FromName: ringdesk.ReplyFromName(actor.Name, name),
		Subject: ringdesk.ReplySubject(t.SubjectIn(d.cfg.Lang), t.Number), InReplyTo: inReplyTo, Refs: ids}, nil
}

// RetryReply queues a failed emailed reply again.
func (d *Desk) RetryReply(ctx context.Context, actor *ringdesk.Agent, ticketID, eventID int64) error {
	if err := requireAgent(actor); err != nil {
		return err
	}
	ok, err := d.db.RetryOutbox(ctx, ticketID, eventID, d.Now())
	if err != nil {
		return err
	}
	if !ok {
		return ringdesk.Errorf(ringdesk.ECONFLICT, "This reply has not failed: there is nothing to retry.")
	}
	d.log.Info("email: reply queued again", "ticket_id", ticketID, "event_id", eventID, "by", actorID(actor))
	d.wakeOutbox()
	d.publishTicket(ctx, ticketID)
	return nil
}

// TicketDeliveries returns how each emailed reply of a ticket went.
func (d *Desk) TicketDeliveries(ctx context.Context, ticketID int64) (map[int64]*ringdesk.Delivery, error) {
	return d.db.TicketDeliveries(ctx, ticketID)
}

// Outbox worker timing.
const (
	outboxClaimFor = 2 * time.Minute  // a claim outlives any one send
	outboxIdle     = 2 * time.Second  // how often to look for due replies without a wake-up
	smtpTimeout    = 60 * time.Second // one send, connection included
)

func (d *Desk) wakeOutbox() {
	select {
	case d.outboxWake <- struct{}{}:
	default:
	}
}

// instanceID names this process in claims and leases: the configured
// instance id, else a one-off one.
func (d *Desk) instanceID() string {
	if d.cfg.InstanceID != "" {
		return d.cfg.InstanceID
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	host, _ := os.Hostname()
	return host + "-" + hex.EncodeToString(b)
}

// RunOutbox sends queued replies until ctx ends: it claims due rows (one
// instance sends each), composes each once (its Message-ID is recorded
// before the first attempt), sends it over SMTP, and marks it sent, or
// retries a temporary failure with backoff, or fails a permanent one with
// the server's reason. State is in the database, so retries survive
// restarts.
func (d *Desk) RunOutbox(ctx context.Context) error {
	owner := d.instanceID()
	for ctx.Err() == nil {
		n, err := d.SendDueReplies(ctx, owner)
		if err != nil && ctx.Err() == nil {
			d.log.Warn("email: outbox", "err", err)
		}
		if n > 0 {
			continue
		}
		select {
		case <-ctx.Done():
		case <-d.outboxWake:
		case <-time.After(outboxIdle):
		}
	}
	return nil
}

// SendDueReplies claims and sends the replies due now; it returns how many
// it tried.
func (d *Desk) SendDueReplies(ctx context.Context, owner string) (int, error) {
	now := d.Now()
	items, err := d.db.ClaimOutbox(ctx, owner, 10, now.Add(outboxClaimFor), now)
	if err != nil {
		return 0, err
	}
	for _, it := range items {
		d.sendReply(ctx, owner, it)
	}
	return len(items), nil
}

func (d *Desk) sendReply(ctx context.Context, owner string, it *store.OutboxItem) {
	defer d.publishTicket(ctx, it.TicketID)
	fail := func(reason string, temporary bool) {
		now := d.Now()
		next, giveUp := ringdesk.OutboxRetry(temporary, it.Attempts+1, it.CreatedAt, now)
		var err error
		if giveUp {
			err = d.db.MarkOutboxFailed(ctx, it.ID, reason, now)
			d.log.Warn("email: reply failed", "outbox_id", it.ID, "ticket_id", it.TicketID, "reason", reason)
		} else {
			err = d.db.MarkOutboxRetry(ctx, it.ID, reason, next, now)
			d.log.Info("email: reply will be retried", "outbox_id", it.ID, "ticket_id", it.TicketID, "at", next, "reason", reason)
		}
		if err != nil && ctx.Err() == nil {
			d.log.Warn("email: outbox state not saved", "outbox_id", it.ID, "err", err)
		}
	}
	ch, err := d.db.ChannelByID(ctx, it.ChannelID)
	if err != nil {
		fail("The mailbox cannot be read: "+err.Error(), true)
		return
	}
	if ch.Type != ringdesk.ChannelTypeEmail {
		fail("The channel is not a mailbox.", false)
		return
	}
	if !ch.Active {
		fail("The mailbox is switched off.", true)
		return
	}
	_, smtpCfg, err := d.mailConfigs(ctx, ch)
	if err != nil {
		fail(err.Error(), true)
		return
	}
	raw := it.Raw
	if it.MessageID == "" {
		out := mail.Outgoing{From: mail.Address{Name: it.FromName, Email: ch.Email.Address}, Subject: it.Subject, Text: it.Body,
			InReplyTo: it.InReplyTo, References: it.Refs, TicketRef: ringdesk.TicketRef(it.TicketID),
			MessageIDDomain: ringdesk.MessageIDDomain(ch.Email.Address)}
		for _, a := range it.To {
			out.To = append(out.To, mail.Address{Email: a})
		}
		var id string
		raw, id, err = mail.Compose(out)
		if err != nil {
			fail("The reply could not be composed: "+err.Error(), false)
			return
		}
		// Recorded before the first attempt: a crash between the send and
		// marking it sent resends this same message, never another one.
		if err := d.db.RecordOutboxMessage(ctx, it.ID, owner, ringdesk.NormalizeMessageID(id), raw, d.Now()); err != nil {
			d.log.Warn("email: reply not recorded; not sent now", "outbox_id", it.ID, "err", err)
			return
		}
	} else if err := d.db.MarkOutboxSending(ctx, it.ID, owner, d.Now()); err != nil {
		// Recorded and committed before the session: a crash from here on
		// leaves the row marked, and the restart says it may be a resend.
		d.log.Warn("email: reply attempt not recorded; not sent now", "outbox_id", it.ID, "err", err)
		return
	}
	sctx, cancel := context.WithTimeout(ctx, smtpTimeout)
	err = mail.Send(sctx, smtpCfg, ch.Email.Address, it.To, raw)
	cancel()
	if err == nil {
		if err := d.db.MarkOutboxSent(context.WithoutCancel(ctx), it.ID, d.Now()); err != nil {
			d.log.Warn("email: sent reply not marked sent", "outbox_id", it.ID, "err", err)
		}
		d.log.Info("email: reply sent", "outbox_id", it.ID, "ticket_id", it.TicketID)
		return
	}
	var se *mail.SendError
	if errors.As(err, &se) {
		fail(se.Error(), se.Temporary)
		return
	}
	fail(err.Error(), true)
}

package desk

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ringdesk/ringdesk/internal/mail"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// MaxInboundBytes is the largest message Ringdesk stores; a bigger one is
// stored cut to this size (the IMAP server keeps the original) and marked.
const MaxInboundBytes = 40 << 20

// ReceiveEmail stores a message fetched from a mailbox at cur (the cursor
// with the message's UID) and applies it (see ReceiveEmails).
func (d *Desk) ReceiveEmail(ctx context.Context, channelID int64, cur store.EmailCursor, raw []byte) (dup bool, err error) {
	dups, err := d.ReceiveEmails(ctx, channelID, cur.UIDValidity, []FetchedMail{{UID: cur.LastUID, Raw: raw}})
	return dups == 1, err
}

// FetchedMail is a message as the fetcher read it.
type FetchedMail struct {
	UID uint32
	Raw []byte
}

// ReceiveEmails stores messages fetched from a mailbox and applies them.
// The raw bytes are stored first, in one transaction that also moves the
// mailbox's cursor, so a crash after that loses nothing: the messages are
// applied at the next start. A Message-ID seen before on the mailbox is a
// duplicate and changes nothing; dups counts them. Each message is then
// applied in a transaction of its own; one that cannot be applied stays
// stored, marked failed, and is tried again later.
func (d *Desk) ReceiveEmails(ctx context.Context, channelID int64, validity uint32, batch []FetchedMail) (dups int, err error) {
	in := make([]store.InboundRaw, len(batch))
	for i, m := range batch {
		raw := m.Raw
		if len(raw) > MaxInboundBytes {
			raw = raw[:MaxInboundBytes]
		}
		in[i] = store.InboundRaw{Key: ringdesk.InboundKey(headerMessageID(raw), raw), UID: m.UID, Raw: raw}
	}
	ids, err := d.db.StoreInbounds(ctx, channelID, validity, in, d.Now())
	if err != nil {
		return 0, err
	}
	ch, err := d.db.ChannelByID(ctx, channelID)
	for i, id := range ids {
		if id == 0 {
			dups++
			continue
		}
		if err == nil {
			err = d.applyInbound(ctx, ch, id, in[i].Raw)
		}
		if err != nil {
			d.log.Warn("email: stored message not applied; will try again", "inbound_id", id, "err", err)
			err = nil
		}
	}
	return dups, nil
}

// headerMessageID reads the Message-ID header for deduplication without
// parsing the whole message (the store keys on it before anything else).
func headerMessageID(raw []byte) string {
	end := len(raw)
	for _, sep := range []string{"\r\n\r\n", "\n\n"} {
		if i := strings.Index(string(raw[:min(len(raw), 256<<10)]), sep); i >= 0 && i < end {
			end = i
		}
	}
	lines := strings.Split(strings.ReplaceAll(string(raw[:end]), "\r\n", "\n"), "\n")
	for i, l := range lines {
		if len(l) > 11 && strings.EqualFold(l[:11], "message-id:") {
			v := strings.TrimSpace(l[11:])
			if v == "" && i+1 < len(lines) && strings.HasPrefix(lines[i+1], " ") || v == "" && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\t") {
				v = strings.TrimSpace(lines[i+1])
			}
			return v
		}
	}
	return ""
}

// ApplyPendingEmail applies stored messages not applied yet (after a crash
// or a failure), oldest first; failed ones too when retryFailed.
func (d *Desk) ApplyPendingEmail(ctx context.Context, retryFailed bool) error {
	ids, err := d.db.PendingInbound(ctx, 200, retryFailed)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := d.ApplyInbound(ctx, id); err != nil && ctx.Err() == nil {
			d.log.Warn("email: stored message not applied", "inbound_id", id, "err", err)
		}
	}
	return nil
}

// ApplyInbound parses a stored message and puts it where it belongs: a
// client (found by address or created), a ticket (joined when the message
// answers one of that client's tickets, else new, reopened when solved),
// a timeline entry with its attachments. Machine mail never makes loops;
// a bounce marks the reply it bounced as failed.
func (d *Desk) ApplyInbound(ctx context.Context, inboundID int64) error {
	in, err := d.db.InboundByID(ctx, inboundID)
	if err != nil {
		return err
	}
	if in.State == ringdesk.InboundApplied || in.State == ringdesk.InboundIgnored {
		return nil
	}
	ch, err := d.db.ChannelByID(ctx, in.ChannelID)
	if err != nil {
		return err
	}
	return d.applyInbound(ctx, ch, inboundID, in.Raw)
}

// applyInbound applies the stored message inboundID of mailbox ch, whose
// bytes are raw.
func (d *Desk) applyInbound(ctx context.Context, ch *ringdesk.Channel, inboundID int64, raw []byte) error {
	msg, perr := mail.Parse(raw)
	if msg == nil {
		reason := "unreadable message"
		if perr != nil {
			reason = perr.Error()
		}
		return d.db.FailInbound(ctx, inboundID, reason, d.Now())
	}
	a, err := d.decideInbound(ctx, ch, inboundID, msg)
	if err != nil {
		_ = d.db.FailInbound(ctx, inboundID, err.Error(), d.Now())
		return err
	}
	res, already, err := d.db.ApplyInbound(ctx, a, d.Now())
	if err != nil {
		_ = d.db.FailInbound(ctx, inboundID, err.Error(), d.Now())
		return err
	}
	if already {
		return nil
	}
	if res.TicketID != 0 {
		d.forgetViewCounts()
		d.publishTicket(ctx, res.TicketID)
		d.log.Info("email applied", "inbound_id", inboundID, "ticket_id", res.TicketID, "new_ticket", res.NewTicket, "machine", a.Meta.Machine)
	}
	if res.BouncedTicket != 0 {
		d.publishTicket(ctx, res.BouncedTicket)
		d.log.Info("email: reply bounced", "outbox_id", a.BounceOutboxID, "ticket_id", res.BouncedTicket)
	}
	if a.State == ringdesk.InboundIgnored {
		d.log.Info("email kept, not applied", "inbound_id", inboundID, "reason", a.Reason)
	}
	return nil
}

// decideInbound turns a parsed message into what to write.
func (d *Desk) decideInbound(ctx context.Context, ch *ringdesk.Channel, inboundID int64, msg *mail.Message) (store.InboundApply, error) {
	a := store.InboundApply{InboundID: inboundID, ChannelID: ch.ID, State: ringdesk.InboundApplied}
	from := ringdesk.NormalizeEmail(msg.From.Email)
	if !ringdesk.ValidEmail(from) {
		a.State, a.Reason = ringdesk.InboundIgnored, "no valid sender address"
		return a, nil
	}
	machine := string(msg.Machine)
	senderClient, err := d.db.ClientIDByEmail(ctx, from)
	if err != nil {
		return a, err
	}
	ids := ringdesk.ThreadMessageIDs(msg.InReplyTo, msg.References)
	subjN, _ := ringdesk.SubjectTicketNumber(msg.Subject)
	refs, err := d.db.ThreadRefs(ctx, ids, subjN)
	if err != nil {
		return a, err
	}
	thread := ringdesk.ChooseThread(ringdesk.ThreadInput{SenderClientID: senderClient, Refs: refs})
	var bounced int64
	if msg.Machine == mail.MachineBounce {
		cands := ids
		if msg.Bounce != nil && msg.Bounce.OriginalMessageID != "" {
			cands = append([]string{ringdesk.NormalizeMessageID(msg.Bounce.OriginalMessageID)}, ids...)
		}
		for _, id := range cands {
			if bounced, err = d.db.OutboxByMessageID(ctx, id); err != nil {
				return a, err
			} else if bounced != 0 {
				break
			}
		}
		if msg.Bounce != nil && !msg.Bounce.Permanent() {
			bounced = 0 // a delay warning: the server keeps trying
		}
	}
	act := ringdesk.DecideInbound(ringdesk.InboundInput{Machine: machine, FromMailbox: from == ch.Email.Address,
		Thread: thread, BouncedReply: bounced != 0})
	switch {
	case act.MarkBounce:
		a.State, a.Reason = ringdesk.InboundIgnored, "bounce"
		a.BounceOutboxID, a.BounceReason = bounced, bounceReason(msg.Bounce)
		return a, nil
	case act.Ignore:
		a.State, a.Reason = ringdesk.InboundIgnored, act.Reason
		return a, nil
	}
	a.FromEmail, a.FromName = from, oneLine(msg.From.Name)
	if act.NewTicket {
		a.NewSubject = ringdesk.InboundSubject(msg.Subject)
	} else {
		a.JoinTicketID = thread.TicketID
		a.Status, a.Reopen = ringdesk.ClientReplyStatus(thread.Status, machine)
	}
	a.Body = strings.TrimSpace(msg.Text)
	if utf8.RuneCountInString(a.Body) > ringdesk.MaxBodyLen {
		a.Body = string([]rune(a.Body)[:ringdesk.MaxBodyLen])
	}
	a.MessageID = ringdesk.NormalizeMessageID(msg.MessageID)
	a.Meta = ringdesk.EmailMeta{From: from, FromName: a.FromName, Subject: oneLine(msg.Subject), MessageID: a.MessageID,
		Machine: machine, HasHTML: msg.HTML != "", Remote: msg.HasRemoteImages}
	for _, t := range msg.To {
		a.Meta.To = append(a.Meta.To, ringdesk.NormalizeEmail(t.Email))
	}
	for _, p := range msg.Problems {
		if len(a.Meta.Problems) < 5 {
			a.Meta.Problems = append(a.Meta.Problems, oneLine(p.Error()))
		}
	}
	cids := map[string]string{}
	for i, f := range msg.Attachments {
		att := ringdesk.EmailAttachment{Index: i, Name: f.Filename, ContentType: f.ContentType, Size: int64(len(f.Data)),
			Inline: f.Inline, ContentID: f.ContentID}
		a.Attachments = append(a.Attachments, store.InboundAttachment{EmailAttachment: att, Data: f.Data})
		a.Meta.Attachments = append(a.Meta.Attachments, att)
		if f.ContentID != "" {
			cids[f.ContentID] = AttachmentURL(inboundID, i)
		}
	}
	a.HTML = ringdesk.RewriteCIDs(msg.HTML, cids)
	return a, nil
}

// AttachmentURL is where agents download an incoming message's attachment.
func AttachmentURL(inboundID int64, idx int) string {
	return fmt.Sprintf("/mail/%d/attachments/%d", inboundID, idx)
}

func bounceReason(b *mail.Bounce) string {
	if b == nil {
		return "The message bounced."
	}
	parts := []string{}
	for _, p := range []string{b.Status, b.Diagnostic} {
		if p = oneLine(p); p != "" {
			parts = append(parts, p)
		}
	}
	reason := strings.Join(parts, " ")
	if b.Recipient != "" {
		reason = b.Recipient + ": " + reason
	}
	if reason == "" {
		return "The message bounced."
	}
	return "Bounced: " + reason
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// RemoteImagesHTML returns an incoming message's HTML with remote images
// shown, for an agent who asked to see them (parsed again from the raw
// message, which is kept).
func (d *Desk) RemoteImagesHTML(ctx context.Context, inboundID int64) (string, error) {
	in, err := d.db.InboundByID(ctx, inboundID)
	if err != nil {
		return "", err
	}
	msg, _ := mail.ParseWithOptions(in.Raw, mail.ParseOptions{AllowRemoteImages: true})
	if msg == nil {
		return "", nil
	}
	cids := map[string]string{}
	for i, f := range msg.Attachments {
		if f.ContentID != "" {
			cids[f.ContentID] = AttachmentURL(inboundID, i)
		}
	}
	return ringdesk.RewriteCIDs(msg.HTML, cids), nil
}

package desk

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/ringdesk/ringdesk/internal/auth"
	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// WebhookResult is what a webhook did, for the response and live updates.
type WebhookResult struct {
	ChannelID int64
	Duplicate bool
	NewCall   bool // the event made the call (and its ticket)
	CallID    int64
	TicketID  int64
}

// channelForToken authorises a webhook body by its ud_channel_token.
func (d *Desk) channelForToken(ctx context.Context, token string) (*ringdesk.Channel, error) {
	if token == "" {
		return nil, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "The body has no ud_channel_token; copy the notification body from the channel's setup page.")
	}
	hash := auth.HashSecret(token)
	ch, err := d.db.ChannelByTokenHash(ctx, hash)
	if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND {
		return nil, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "The channel token is unknown or revoked.")
	} else if err != nil {
		return nil, err
	}
	// The lookup is by hash; compare once more in constant time for form.
	if subtle.ConstantTimeCompare([]byte(hash), []byte(auth.HashSecret(token))) != 1 {
		return nil, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "The channel token is unknown or revoked.")
	}
	d.touchChannelToken(ctx, hash)
	return ch, nil
}

// HandleWebhook authorises, parses, stores and applies one UIS
// notification. It returns only after the event is durable. A body with a
// valid token that cannot be understood goes to the dead-letter list and
// the error is EINVALID.
//
// ip is the sender's address, for the record of refused notifications.
func (d *Desk) HandleWebhook(ctx context.Context, kind uis.EventKind, body []byte, ip string) (*WebhookResult, error) {
	token, err := uis.Token(body)
	if err != nil {
		err = ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "The body is not a JSON object with a ud_channel_token.")
		d.noteRejected(kind, err, "", ip)
		return nil, err
	}
	ch, err := d.channelForToken(ctx, token)
	if err != nil {
		if ringdesk.ErrorCode(err) == ringdesk.EUNAUTHORIZED {
			d.noteRejected(kind, err, token, ip)
		}
		return nil, err
	}
	loc := ch.UIS.Location()
	ev, err := uis.ParseEvent(kind, body, loc)
	if err == nil && ev.Token != token {
		err = &uis.ParseError{Field: "ud_channel_token", Reason: "appears more than once with different values"}
	}
	if err != nil {
		if derr := d.db.AddDeadLetter(ctx, ch.ID, string(kind), body, err.Error(), d.Now()); derr != nil {
			return nil, derr
		}
		d.log.Warn("webhook not understood; kept as a dead letter", "channel_id", ch.ID, "kind", kind, "err", err)
		return nil, ringdesk.Errorf(ringdesk.EINVALID, "The notification could not be understood (%s); it was kept for an administrator to inspect and replay.", err)
	}
	return d.applyEvent(ctx, ch, kind, ev.CallSessionID, body, "")
}

// noteRejected remembers a notification refused for its token and logs it
// (at most once a minute; never the token).
func (d *Desk) noteRejected(kind uis.EventKind, err error, token, ip string) {
	msg := ringdesk.ErrorMessage(err)
	if d.rejected.note(d.Now(), string(kind), msg, token, ip) {
		d.log.Warn("webhook refused: no valid channel token", "kind", kind, "ip", ip, "reason", msg)
	}
}

// applyEvent stores and folds an event that parsed. dedupe "" keys the
// event by its body, so only a byte-identical copy is a duplicate.
func (d *Desk) applyEvent(ctx context.Context, ch *ringdesk.Channel, kind uis.EventKind, session int64, body []byte, dedupe string) (*WebhookResult, error) {
	if dedupe == "" {
		sum := sha256.Sum256(body)
		dedupe = fmt.Sprintf("%d:%d:%s:%s", ch.ID, session, kind, hex.EncodeToString(sum[:16]))
	}
	loc := ch.UIS.Location()
	region := d.cfg.PhoneRegion
	in := &store.CallEventIn{
		ChannelID:     ch.ID,
		Kind:          string(kind),
		Stage:         kind.Stage(),
		CallSessionID: session,
		DedupeKey:     dedupe,
		Raw:           body,
		ReceivedAt:    d.Now(),
		Fold: func(events []store.StoredEvent) (ringdesk.CallFacts, error) {
			fe := make([]FoldEvent, 0, len(events))
			for _, e := range events {
				ev, err := uis.ParseStoredEvent(uis.EventKind(e.Kind), e.Raw, loc)
				if err != nil {
					return ringdesk.CallFacts{}, fmt.Errorf("re-parse stored %s event: %w", e.Kind, err)
				}
				fe = append(fe, FoldEvent{Event: ev, Key: e.Key})
			}
			return FoldCall(fe, region), nil
		},
		Policy: d.callPolicy(ch),
	}
	res, err := d.db.IngestCallEvent(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &WebhookResult{ChannelID: ch.ID, Duplicate: res.Duplicate, NewCall: res.NewCall, CallID: res.CallID, TicketID: res.TicketID}
	if !res.Duplicate {
		d.publishCall(res)
	}
	return out, nil
}

// callPolicy turns a channel's settings into the store's policy.
func (d *Desk) callPolicy(ch *ringdesk.Channel) store.CallPolicy {
	p := store.CallPolicy{Subject: d.callSubject, ClientName: callClientName}
	if ch.UIS.TicketPolicy == ringdesk.PolicyReuseTicket {
		p.ReuseWithin = time.Duration(ch.UIS.ReuseHours) * time.Hour
	}
	return p
}

// callSubject is the subject of a ticket made from a call, in the
// server's default language (tickets are shared by agents of both).
func (d *Desk) callSubject(f ringdesk.CallFacts) string {
	who := displayNumber(f.ContactPhone)
	if f.ContactName != "" {
		who = f.ContactName + " (" + who + ")"
	}
	switch {
	case d.cfg.Lang == ringdesk.LangEN && f.Direction == ringdesk.DirectionOut:
		return "Outgoing call to " + who
	case d.cfg.Lang == ringdesk.LangEN:
		return "Incoming call from " + who
	case f.Direction == ringdesk.DirectionOut:
		return "Исходящий звонок: " + who
	}
	return "Входящий звонок: " + who
}

// callClientName is the name of a client first seen on a call.
func callClientName(f ringdesk.CallFacts) string {
	if f.ContactName != "" {
		return f.ContactName
	}
	return displayNumber(f.ContactPhone)
}

func displayNumber(p string) string {
	switch {
	case p == "":
		return "—"
	case p[0] == '+':
		return phone.Format(p)
	}
	return p
}

// publishCall tells live subscribers about a call, after commit.
func (d *Desk) publishCall(res *store.CallEventResult) {
	if res.Facts.IsLost {
		// A missed call: the top bar's count must show it on the next page.
		d.forgetMissedCount()
		d.publishMissedCount()
	}
	d.queueLive(res.CallID)
}

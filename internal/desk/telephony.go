package desk

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sync"
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
	// Missed says the call is a missed incoming call.
	Missed bool
	// CalledBack counts the tickets whose wait for a call back this event
	// ended.
	CalledBack int
}

// channelCacheTTL is how long a channel found by its token is trusted
// without reading it again. Revoking a token or changing a channel on this
// instance takes effect at once; other instances sharing a PostgreSQL
// database see it within this time.
const channelCacheTTL = 2 * time.Second

// channelCache maps token hashes to the channels they open.
type channelCache struct {
	mu sync.Mutex
	m  map[string]cachedChannel
}

type cachedChannel struct {
	ch *ringdesk.Channel
	at time.Time
}

func (c *channelCache) get(hash string, now time.Time) *ringdesk.Channel {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[hash]; ok && now.Sub(e.at) < channelCacheTTL && !now.Before(e.at) {
		return e.ch
	}
	return nil
}

func (c *channelCache) put(hash string, ch *ringdesk.Channel, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 1000 {
		c.m = map[string]cachedChannel{}
	}
	c.m[hash] = cachedChannel{ch: ch, at: now}
}

// forget empties the cache: a channel or token changed.
func (c *channelCache) forget() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// channelForToken authorises a webhook body by its ud_channel_token: the
// lookup is by the token's SHA-256, so no secret is ever compared.
func (d *Desk) channelForToken(ctx context.Context, token string) (*ringdesk.Channel, error) {
	if token == "" {
		return nil, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "The body has no ud_channel_token; copy the notification body from the channel's setup page.")
	}
	hash := auth.HashSecret(token)
	now := d.Now()
	if ch := d.channels.get(hash, now); ch != nil {
		return ch, nil
	}
	ch, err := d.db.ChannelByTokenHash(ctx, hash)
	if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND {
		return nil, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "The channel token is unknown or revoked.")
	} else if err != nil {
		return nil, err
	}
	d.channels.put(hash, ch, now)
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
	ev, err := uis.ParseEvent(kind, body, ch.UIS.Location())
	if err == nil && ev.Token != token {
		err = &uis.ParseError{Field: "ud_channel_token", Problem: ringdesk.ProblemConflict, Reason: "appears more than once with different values"}
	}
	if err != nil {
		if derr := d.db.AddDeadLetter(ctx, ch.ID, string(kind), body, deadLetterReason(err), d.Now()); derr != nil {
			return nil, derr
		}
		d.cfg.Metrics.DeadLetter("webhook")
		d.log.Warn("webhook not understood; kept as a dead letter", "channel_id", ch.ID, "kind", kind,
			"err", string(uis.MaskSecrets([]byte(err.Error()))))
		return nil, ringdesk.Errorf(ringdesk.EINVALID, "The notification could not be understood (%s); it was kept for an administrator to inspect and replay.", err)
	}
	return d.ingest(ctx, ch, ev, body, "")
}

// noteRejected remembers a notification refused for its token and logs it
// (at most once a minute; never the token).
func (d *Desk) noteRejected(kind uis.EventKind, err error, token, ip string) {
	msg := ringdesk.ErrorMessage(err)
	if d.rejected.note(d.Now(), string(kind), msg, token, ip) {
		d.log.Warn("webhook refused: no valid channel token", "kind", kind, "ip", ip, "reason", msg)
	}
}

// callIngest is one parsed event on its way into the store.
type callIngest struct {
	ch     *ringdesk.Channel
	kind   uis.EventKind
	event  ringdesk.CallEvent
	raw    []byte
	dedupe string
	now    time.Time
}

// ingest stores and folds an event that parsed, in one group-committed
// transaction, and publishes it after the commit. dedupe "" keys the event
// by its body, so only a byte-identical copy is a duplicate.
func (d *Desk) ingest(ctx context.Context, ch *ringdesk.Channel, ev uis.Event, raw []byte, dedupe string) (*WebhookResult, error) {
	sum := sha256.Sum256(raw)
	return d.ingestCall(ctx, ch, ev.Kind, ev.CallSessionID, ev.CallEvent(binary.BigEndian.Uint64(sum[:8]), d.cfg.PhoneRegion), raw, dedupe)
}

// ingestCall is ingest for an event already in the domain's terms.
func (d *Desk) ingestCall(ctx context.Context, ch *ringdesk.Channel, kind uis.EventKind, session int64, e ringdesk.CallEvent, raw []byte, dedupe string) (*WebhookResult, error) {
	if dedupe == "" {
		sum := sha256.Sum256(raw)
		dedupe = fmt.Sprintf("%d:%d:%s:%s", ch.ID, session, kind, hex.EncodeToString(sum[:16]))
	}
	in := &callIngest{ch: ch, kind: kind, event: e, raw: raw, dedupe: dedupe, now: d.Now()}
	var res *WebhookResult
	err := d.db.InCallTx(ctx, ch.ID, session, func(ctx context.Context, tx *store.CallTx) error {
		var err error
		res, err = d.applyCallEvent(ctx, tx, session, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !res.Duplicate {
		d.publishCall(res)
		if kind == uis.RecordingReady {
			// UIS says the file is there: archive it now rather than when due.
			if err := d.db.RecordingsDueNow(ctx, res.CallID, in.now); err != nil {
				d.log.Warn("recording ready: archive not hurried", "call_id", res.CallID, "err", err)
			}
		}
	}
	return res, nil
}

// applyCallEvent folds one event into its call and writes the outcome: the
// domain decides (ringdesk.CallFold, PlaceCall, TicketAfterCall); the store
// reads and writes.
func (d *Desk) applyCallEvent(ctx context.Context, tx *store.CallTx, session int64, in *callIngest) (*WebhookResult, error) {
	res := &WebhookResult{ChannelID: in.ch.ID}
	dup, cur, err := tx.Lookup(ctx, in.ch.ID, session, in.dedupe)
	if err != nil || dup {
		res.Duplicate = dup
		return res, err
	}
	fold, err := d.callFold(ctx, tx, in.ch, cur)
	if err != nil {
		return nil, err
	}
	if !fold.Apply(in.event) {
		res.Duplicate = true // the same event under another key: nothing to add
		return res, nil
	}
	facts := fold.Facts()
	switch {
	case !facts.StartedAt.IsZero():
	case cur != nil:
		facts.StartedAt = cur.StartedAt
	default:
		facts.StartedAt = in.now // UIS sent no time at all
	}
	foldJSON, err := ringdesk.MarshalFold(fold)
	if err != nil {
		return nil, err
	}
	agent, err := d.linkAgents(ctx, &facts)
	if err != nil {
		return nil, err
	}
	w := &store.CallWrite{ChannelID: in.ch.ID, CallSessionID: session, Call: cur, Facts: facts, Fold: foldJSON, AgentID: agent,
		Kind: string(in.kind), Stage: in.event.Kind.Stage(), DedupeKey: in.dedupe, Raw: in.raw, Now: in.now}
	if cur == nil {
		if w.Place, w.TicketBefore, err = d.placeCall(ctx, tx, in.ch, facts, in.now); err != nil {
			return nil, err
		}
	} else {
		w.TicketBefore = cur.Ticket
	}
	group, err := d.routeCall(ctx, in.ch, facts)
	if err != nil {
		return nil, err
	}
	w.Ticket = ringdesk.TicketAfterCall(w.TicketBefore, facts, agent, group)
	if cur != nil {
		w.ShownTo = cur.ShownTo
		if prev := cur.Ticket.HeldGroup; w.ShownTo == nil && !sameGroup(prev, group) {
			// Routed elsewhere by what this event told: whoever the call
			// showed to first still hears how it ends.
			var was int64 // every agent
			if prev != nil {
				was = *prev
			}
			w.ShownTo = &was
		}
	}
	saved, err := tx.SaveCall(ctx, w)
	if err != nil {
		return nil, err
	}
	d.folds.put(saved.CallID, foldJSON, fold)
	res.NewCall, res.CallID, res.TicketID = cur == nil, saved.CallID, saved.TicketID
	res.Missed = facts.IsLost && facts.Direction == ringdesk.DirectionIn
	if w.Ticket.CalledBack != nil {
		res.CalledBack++
	}
	// The moment a call is answered it also ends the wait of the client's
	// other missed tickets (a call back placed outside Ringdesk, or the
	// client calling again on a channel that does not reuse tickets).
	answeredNow := facts.AnsweredAt != nil && !facts.IsLost && (cur == nil || !cur.Answered)
	knownClient := cur != nil || w.Place.ClientID != 0
	if answeredNow && knownClient {
		others, err := tx.MissedTicketsOf(ctx, saved.ClientID, saved.TicketID)
		if err != nil {
			return nil, err
		}
		for id, t := range others {
			if cb := ringdesk.CallBackAfter(t, facts, agent); cb != nil {
				if err := tx.EndMissed(ctx, id, saved.CallID, t, cb, in.now); err != nil {
					return nil, err
				}
				res.CalledBack++
			}
		}
	}
	return res, nil
}

// callFold returns the stored call's fold, or an empty one for a new call.
// A call stored before folds were kept has its events folded once here.
func (d *Desk) callFold(ctx context.Context, tx *store.CallTx, ch *ringdesk.Channel, cur *store.CallState) (*ringdesk.CallFold, error) {
	switch {
	case cur == nil:
		return &ringdesk.CallFold{}, nil
	case len(cur.Fold) > 0:
		if f := d.folds.take(cur.ID, cur.Fold); f != nil {
			return f, nil
		}
		return ringdesk.UnmarshalFold(cur.Fold)
	}
	evs, err := tx.RawEvents(ctx, cur.ID)
	if err != nil {
		return nil, err
	}
	f := &ringdesk.CallFold{}
	for _, e := range evs {
		ev, err := uis.ParseStoredEvent(uis.EventKind(e.Kind), e.Raw, ch.UIS.Location())
		if err != nil {
			return nil, fmt.Errorf("re-parse stored %s event: %w", e.Kind, err)
		}
		sum := sha256.Sum256(e.Raw)
		f.Apply(ev.CallEvent(binary.BigEndian.Uint64(sum[:8]), d.cfg.PhoneRegion))
	}
	return f, nil
}

// operatorCacheTTL is how long the agents' Operator IDs (which agent each
// UIS employee id is) are trusted without reading them again.
const operatorCacheTTL = 2 * time.Second

// linkAgents fills the agent of each employee of the call from the
// Operator IDs and returns the agent of the responsible employee.
func (d *Desk) linkAgents(ctx context.Context, f *ringdesk.CallFacts) (*int64, error) {
	if len(f.Details.Employees) == 0 && f.EmployeeID == nil {
		return nil, nil
	}
	agents, err := d.operators.get(d.Now(), operatorCacheTTL, func() (map[int64]int64, error) { return d.db.OperatorAgents(ctx) })
	if err != nil {
		return nil, err
	}
	for i := range f.Details.Employees {
		if a, ok := agents[f.Details.Employees[i].ID]; ok {
			f.Details.Employees[i].AgentID = &a
		}
	}
	if f.EmployeeID != nil {
		if a, ok := agents[*f.EmployeeID]; ok {
			return &a, nil
		}
	}
	return nil, nil
}

// placeCall gathers what ringdesk.PlaceCall needs for a new call and
// returns its decision with the state of the ticket the call joins (a new
// ticket's, when it makes one).
func (d *Desk) placeCall(ctx context.Context, tx *store.CallTx, ch *ringdesk.Channel, f ringdesk.CallFacts, now time.Time) (ringdesk.CallPlacement, ringdesk.CallTicket, error) {
	in := ringdesk.CallPlaceInput{Facts: f, ContactDisplay: phone.Display(f.ContactPhone), Lang: d.cfg.Lang}
	var err error
	if f.ExternalID != "" {
		if in.Request, err = tx.CallRequest(ctx, ch.ID, f.ExternalID); err != nil {
			return ringdesk.CallPlacement{}, ringdesk.CallTicket{}, err
		}
	}
	r := in.Request
	var client int64
	switch {
	case r != nil && r.TicketID != nil:
	case r != nil && r.ClientID != nil:
		client = *r.ClientID
	default:
		if p := ringdesk.CallLookupPhone(f); p != "" {
			if in.PhoneClient, err = tx.ClientByPhone(ctx, p); err != nil {
				return ringdesk.CallPlacement{}, ringdesk.CallTicket{}, err
			}
		}
		client = in.PhoneClient
	}
	if since, reuse := callPolicy(ch).ReuseSince(now); reuse && client != 0 {
		if in.OpenTicket, err = tx.OpenTicket(ctx, client, since); err != nil {
			return ringdesk.CallPlacement{}, ringdesk.CallTicket{}, err
		}
	}
	p := ringdesk.PlaceCall(in)
	before := ringdesk.CallTicket{Status: ringdesk.StatusNew}
	if p.TicketID != 0 {
		before, err = tx.Ticket(ctx, p.TicketID)
	}
	return p, before, err
}

// callPolicy is the channel's ticket policy for calls.
func callPolicy(ch *ringdesk.Channel) ringdesk.CallPolicy {
	var p ringdesk.CallPolicy
	if ch.UIS.TicketPolicy == ringdesk.PolicyReuseTicket {
		p.ReuseWithin = time.Duration(ch.UIS.ReuseHours) * time.Hour
	}
	return p
}

// publishCall tells live subscribers about a call, after commit.
func (d *Desk) publishCall(res *WebhookResult) {
	if res.Missed || res.CalledBack > 0 {
		// A missed call, or one called back: the top bar's count must show
		// it on the next page.
		d.forgetMissedCount()
		d.publishMissedCount()
	}
	d.queueLive(res.CallID)
}

func sameGroup(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

package desk

import (
	"context"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// agentRef returns the actor's id for audit entries; nil for the system.
func agentRef(a *ringdesk.Agent) *int64 {
	if a == nil || a.IsSystem() {
		return nil
	}
	id := a.ID
	return &id
}

// CreateTicket validates and stores a new ticket. An agent creating a
// ticket is acting on it, so a ticket created by an agent with status new
// starts open.
func (d *Desk) CreateTicket(ctx context.Context, actor *ringdesk.Agent, in ringdesk.TicketCreate) (*ringdesk.Ticket, error) {
	if err := requireAgent(actor); err != nil {
		return nil, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	t, err := d.db.CreateTicket(ctx, in, agentRef(actor), d.Now())
	if err != nil {
		return nil, err
	}
	d.forgetViewCounts()
	d.log.Info("ticket created", "ticket_id", t.ID, "by", actorID(actor))
	return t, nil
}

// UpdateTicket changes a ticket and writes an audit entry per change. Any
// agent action on a new ticket makes it open.
func (d *Desk) UpdateTicket(ctx context.Context, actor *ringdesk.Agent, id int64, u ringdesk.TicketUpdate) (*ringdesk.Ticket, error) {
	if err := requireAgent(actor); err != nil {
		return nil, err
	}
	u.Normalize()
	if err := u.Validate(); err != nil {
		return nil, err
	}
	t, err := d.db.UpdateTicket(ctx, id, u, agentRef(actor), !actor.IsSystem(), d.Now())
	if err == nil {
		d.forgetViewCounts()
		if t.Missed {
			d.publishMissedCount()
		}
	}
	return t, err
}

// AddComment adds a reply or a note by actor (an agent). A reply from an
// agent is the first response if none came before.
func (d *Desk) AddComment(ctx context.Context, actor *ringdesk.Agent, ticketID int64, c ringdesk.CommentCreate) (*ringdesk.TicketEvent, error) {
	if err := requireAgent(actor); err != nil {
		return nil, err
	}
	if c.AuthorType == "" {
		c.AuthorType = ringdesk.AuthorAgent
		if actor.IsSystem() {
			c.AuthorType = ringdesk.AuthorSystem
		}
	}
	if !actor.IsSystem() && c.AuthorType != ringdesk.AuthorAgent && c.AuthorType != ringdesk.AuthorClient {
		return nil, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "Agents write as agent or on behalf of the client.",
			Fields: map[string]string{"author_type": "Author must be agent or client."}}
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	author := agentRef(actor)
	if c.AuthorType != ringdesk.AuthorAgent {
		author = nil
	}
	// An agent's public reply goes to the client by email when there is a
	// mailbox and an address: queued with the entry, sent by RunOutbox, so
	// the agent never waits for the mail server.
	var out *store.OutboxCreate
	if c.Kind == ringdesk.EventReply && c.AuthorType == ringdesk.AuthorAgent && !actor.IsSystem() {
		var err error
		if out, err = d.replyOutbox(ctx, actor, ticketID, c.To); err != nil {
			return nil, err
		}
	}
	e, err := d.db.AddComment(ctx, ticketID, c, author, !actor.IsSystem(), d.Now(), out)
	if err == nil {
		d.forgetViewCounts()
		if out != nil {
			d.wakeOutbox()
			d.publishTicket(ctx, ticketID)
		}
	}
	return e, err
}

// ListTickets returns a page of tickets. A search text that reads as a phone
// number (in any spelling) also finds the tickets of the client with it,
// and one that reads as part of a number (PhoneSearch) the tickets of the
// clients with a number matching it. Either way the text search looks for
// its digits as one word (an order number typed in groups, a number written
// in a message), not for each group as a word of its own: "8 926 123" would
// otherwise look for every word starting with 8, a ninth of the numbers in
// every subject and message.
func (d *Desk) ListTickets(ctx context.Context, f ringdesk.TicketFilter) ([]*ringdesk.TicketRow, string, error) {
	f.Q = strings.TrimSpace(f.Q)
	if f.Q != "" {
		if e164, part, err := d.PhoneSearch(f.Q); err == nil {
			if e164 != "" {
				f.Phones = append(f.Phones, e164)
			} else {
				f.PhonePart = part
			}
			f.Q = digitsOf(f.Q)
		}
	}
	for _, s := range f.Statuses {
		if !ringdesk.ValidStatus(s) {
			e := &ringdesk.Error{Code: ringdesk.EINVALID, Message: "Unknown status."}
			e.AddField("status", ringdesk.T("Unknown status: %s", s))
			return nil, "", e
		}
	}
	if f.Sort != "" && f.Sort != "updated" && f.Sort != "created" {
		return nil, "", &ringdesk.Error{Code: ringdesk.EINVALID, Message: "Sort by updated or created.",
			Fields: map[string]string{"sort": "Sort by updated or created."}}
	}
	return d.db.ListTickets(ctx, f)
}

// viewCountsTTL is how long the shared view counts are reused: counting
// hundreds of thousands of open tickets on every list page would cost more
// than the page itself, and a count a few seconds old is fine in a sidebar.
const viewCountsTTL = 10 * time.Second

type viewCounts struct {
	mu     sync.Mutex
	at     time.Time
	counts map[string]int64
}

// TicketViewCounts returns the ticket counts of the saved views for agent:
// the shared ones at most viewCountsTTL old, the agent's own ("mine") live.
func (d *Desk) TicketViewCounts(ctx context.Context, agentID int64) (map[string]int64, error) {
	c := &d.viewCounts
	c.mu.Lock()
	counts := c.counts
	fresh := counts != nil && time.Since(c.at) < viewCountsTTL
	c.mu.Unlock()
	if !fresh {
		var err error
		if counts, err = d.db.TicketViewCounts(ctx); err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.counts, c.at = counts, time.Now()
		c.mu.Unlock()
	}
	out := maps.Clone(counts)
	mine, err := d.db.MyOpenCount(ctx, agentID)
	if err != nil {
		return nil, err
	}
	out["mine"] = mine
	if err := d.groupCounts(ctx, agentID, out); err != nil {
		return nil, err
	}
	// The same count, from the same cache, as the top bar's.
	if out["missed"], err = d.MissedOpenCount(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// missedCountTTL bounds how often the top bar's missed-call count is
// counted: every page shows it, and live updates keep open pages current
// between loads.
const missedCountTTL = 2 * time.Second

type missedCount struct {
	mu sync.Mutex
	at time.Time
	n  int64
}

// MissedOpenCount returns the number of open tickets of missed calls, at
// most missedCountTTL old.
func (d *Desk) MissedOpenCount(ctx context.Context) (int64, error) {
	c := &d.missedCount
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < missedCountTTL {
		return c.n, nil
	}
	n, err := d.db.MissedOpenCount(ctx)
	if err != nil {
		return 0, err
	}
	c.n, c.at = n, time.Now()
	return n, nil
}

// forgetViewCounts makes the next list page count afresh after a change.
func (d *Desk) forgetViewCounts() {
	d.viewCounts.mu.Lock()
	d.viewCounts.counts = nil
	d.viewCounts.mu.Unlock()
	d.forgetMissedCount()
}

// forgetMissedCount makes the next page count missed-call tickets afresh.
func (d *Desk) forgetMissedCount() {
	d.missedCount.mu.Lock()
	d.missedCount.at = time.Time{}
	d.missedCount.mu.Unlock()
}

// MarkMissedHandled ends a missed ticket's wait for a call back without a
// call: an agent says why (the client wrote instead, a wrong number). The
// reason goes into the timeline.
func (d *Desk) MarkMissedHandled(ctx context.Context, actor *ringdesk.Agent, ticketID int64, reason string) error {
	if err := requireAgent(actor); err != nil {
		return err
	}
	if actor.IsSystem() {
		return ringdesk.Errorf(ringdesk.EFORBIDDEN, "Only an agent can mark a missed call handled.")
	}
	reason, err := ringdesk.HandledReason(reason)
	if err != nil {
		return err
	}
	if _, err := d.db.TicketByID(ctx, ticketID); err != nil {
		return err
	}
	done, err := d.db.MarkMissedHandled(ctx, ticketID, actor.ID, reason, d.Now())
	if err != nil {
		return err
	}
	if !done {
		return ringdesk.Errorf(ringdesk.ECONFLICT, "This ticket is not waiting for a call back.")
	}
	d.forgetViewCounts()
	d.forgetMissedCount()
	d.publishMissedCount()
	return nil
}

// CallBackClaim returns who is calling a missed ticket's client back now
// (nil: nobody, or the claim has lapsed).
func (d *Desk) CallBackClaim(ctx context.Context, ticketID int64) (*ringdesk.CallBackClaim, error) {
	c, err := d.db.CallBackClaim(ctx, ticketID)
	if err != nil || !c.Active(d.Now()) {
		return nil, err
	}
	return c, nil
}

// digitsOf returns the digits of s.
func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

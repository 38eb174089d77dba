package desk

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/live"
	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// Live updates: after a call event commits, its call id is queued; RunLive
// batches the ids and either delivers them to this instance's broker
// (SQLite: one instance) or sends them through PostgreSQL NOTIFY, which
// every instance hears (ListenLive) and delivers to its own broker. Only
// ids travel; receivers re-read the calls, so what a browser sees is always
// what is committed. Webhook latency never waits for any of this.

// liveQueue is how many call ids may wait for delivery; beyond it updates
// are dropped (browsers catch up on their next event or page load).
const liveQueue = 4096

// EnableLive turns on live updates through b.
func (d *Desk) EnableLive(b *live.Broker) {
	d.live = b
	d.liveQ = make(chan int64, liveQueue)
	d.missedQ = make(chan struct{}, 1)
}

// Live returns the broker, or nil when live updates are off.
func (d *Desk) Live() *live.Broker { return d.live }

func (d *Desk) queueLive(callID int64) {
	if d.live == nil {
		return
	}
	select {
	case d.liveQ <- callID:
	default:
		d.log.Debug("live: queue full, update dropped", "call_id", callID)
	}
}

// liveEvery is how often RunLive delivers call ids while they keep coming:
// a burst costs one re-read of its calls per liveEvery, not one per event,
// and an event after a quiet spell is delivered at once.
const liveEvery = 20 * time.Millisecond

// RunLive forwards queued call ids until ctx ends.
func (d *Desk) RunLive(ctx context.Context) error {
	if d.live == nil {
		return nil
	}
	pg := d.db.Dialect() == store.Postgres
	var batch []int64
	var flushed time.Time
	flush := func() {
		if len(batch) == 0 {
			return
		}
		flushed = time.Now()
		ids := dedupe(batch)
		batch = batch[:0]
		if !pg {
			d.deliverLive(ctx, ids)
			return
		}
		// A NOTIFY payload must stay under 8000 bytes.
		for len(ids) > 0 {
			n := min(len(ids), 400)
			if err := d.db.Notify(ctx, joinIDs(ids[:n])); err != nil && ctx.Err() == nil {
				d.log.Warn("live: notify failed", "err", err)
			}
			ids = ids[n:]
		}
	}
	// due fires liveEvery after the last delivery when ids wait for it.
	due := time.NewTimer(time.Hour)
	due.Stop()
	armed := false
	defer due.Stop()
	// The missed count waits missedPublishDelay after the first request, in
	// this goroutine, so shutdown waits for it like for everything else.
	var missedTimer *time.Timer
	var missedDue <-chan time.Time
	defer func() {
		if missedTimer != nil {
			missedTimer.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case id := <-d.liveQ:
			batch = append(batch, id)
			// The first id after a quiet spell goes out at once; ids
			// arriving within liveEvery of a delivery go out together
			// liveEvery after it.
			if wait := liveEvery - time.Since(flushed); len(batch) >= 256 || wait <= 0 {
				flush()
			} else if !armed {
				due.Reset(wait)
				armed = true
			}
		case <-due.C:
			armed = false
			flush()
		case <-d.missedQ:
			if missedDue == nil {
				missedTimer = time.NewTimer(missedPublishDelay)
				missedDue = missedTimer.C
			}
		case <-missedDue:
			missedTimer, missedDue = nil, nil
			d.sendMissedCount(ctx)
		}
	}
}

// ListenLive delivers call ids that any instance sent through PostgreSQL,
// reconnecting until ctx ends. ready, if not nil, is called each time the
// listener is in place.
func (d *Desk) ListenLive(ctx context.Context, ready func()) error {
	if d.live == nil || d.db.Dialect() != store.Postgres {
		return nil
	}
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := d.db.Listen(ctx, ready, func(payload string) {
			backoff = 100 * time.Millisecond
			if payload == liveTeamsChanged {
				d.resyncTeams(ctx)
				return
			}
			if ids, ok := liveTicketPayload(payload); ok {
				d.deliverTickets(ids)
				return
			}
			d.deliverLive(ctx, parseIDs(payload))
		})
		if ctx.Err() != nil {
			break
		}
		d.log.Warn("live: listener lost its connection; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 10*time.Second)
	}
	return nil
}

// CallView is a call as browsers receive it. The durations are measured
// on the server's clock when the view is made, so a page counts on from
// them with its own clock and no two clocks need to agree.
type CallView struct {
	ID             int64      `json:"id"`
	Direction      string     `json:"direction"`
	State          string     `json:"state"`
	Missed         bool       `json:"missed"`
	ContactPhone   string     `json:"contact_phone"`
	ContactDisplay string     `json:"contact_display"`
	ContactName    string     `json:"contact_name"`
	Line           string     `json:"line"`
	AgentID        *int64     `json:"agent_id"`
	TicketID       int64      `json:"ticket_id"`
	TicketSubject  string     `json:"ticket_subject"`
	ClientID       int64      `json:"client_id"`
	ClientName     string     `json:"client_name"`
	StartedAt      time.Time  `json:"started_at"`
	AnsweredAt     *time.Time `json:"answered_at"`
	FinishedAt     *time.Time `json:"finished_at"`
	LastEventAt    time.Time  `json:"last_event_at"`
	// ElapsedMS is how long the call has been ringing (the caller's wait)
	// or, once answered, talking.
	ElapsedMS int64 `json:"elapsed_ms"`
	// RingingLeftMS is how much longer a ringing call stays on screen
	// without news (ringdesk.RingingLeft); 0 when it is not ringing.
	RingingLeftMS int64 `json:"ringing_left_ms"`
}

// ToCallView converts the store's live call as it stands at now.
func ToCallView(c *ringdesk.CallLive, now time.Time) CallView {
	v := CallView{ID: c.ID, Direction: c.Direction, State: c.State,
		Missed:       c.IsLost && c.Direction == ringdesk.DirectionIn,
		ContactPhone: c.ContactPhone, ContactDisplay: phone.Display(c.ContactPhone), ContactName: c.ContactName,
		Line: phone.Display(c.VirtualNumber), AgentID: c.AgentID, TicketID: c.TicketID, TicketSubject: c.TicketSubject,
		ClientID: c.ClientID, ClientName: c.ClientName, StartedAt: c.StartedAt, AnsweredAt: c.AnsweredAt, FinishedAt: c.FinishedAt,
		LastEventAt: c.LastEventAt}
	switch {
	case c.State == ringdesk.CallRinging:
		v.ElapsedMS = max(now.Sub(c.StartedAt), 0).Milliseconds()
		v.RingingLeftMS = ringdesk.RingingLeft(c.LastEventAt, now).Milliseconds()
	case c.State == ringdesk.CallTalking && c.AnsweredAt != nil:
		v.ElapsedMS = max(now.Sub(*c.AnsweredAt), 0).Milliseconds()
	}
	return v
}

// activeCalls returns the calls ringing or talking now, for a page that
// has just opened (or reconnected): calls talking that started within the
// last hour, and calls ringing with news within ringdesk.RingingQuiet. A
// call still "ringing" with no event for longer lost its notifications
// (Ringdesk was down when it ended, say): it must not pop up on every
// screen after a restart; the reconciliation with the UIS calls report
// settles it.
func (d *Desk) activeCalls(ctx context.Context) ([]*ringdesk.CallLive, error) {
	now := d.Now()
	// Up to 200 of the desk's calls, so that after each agent sees only
	// their groups' there are still their own.
	list, err := d.db.ActiveCalls(ctx, now.Add(-time.Hour), ringdesk.RingingSince(now), 200)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, c := range list {
		if c.State == ringdesk.CallRinging && !ringdesk.RingingShown(c.State, c.LastEventAt, now) {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

func (d *Desk) deliverLive(ctx context.Context, ids []int64) {
	if d.live.Subscribers() == 0 || len(ids) == 0 {
		return
	}
	calls, err := d.db.CallsLive(ctx, ids)
	if err != nil {
		d.log.Warn("live: read calls", "err", err)
		return
	}
	t, err := d.teams(ctx)
	if err != nil {
		// Better every agent than nobody: a call must never go unseen.
		d.log.Warn("live: read groups; the calls go to every agent", "err", err)
		t = ringdesk.Teams{}
	}
	missed := false
	now := d.Now()
	if len(calls) > 0 {
		d.publishBoard()
	}
	for _, c := range calls {
		v := ToCallView(c, now)
		missed = missed || v.Missed
		data, err := json.Marshal(v)
		if err != nil {
			continue
		}
		// A call goes to the agents who can take it (its group's, or
		// everyone's); the page decides what to show of it.
		d.live.Publish(live.Event{Name: "call", Data: data, Agents: callAudience(t, c)})
	}
	if missed {
		// Also for calls whose webhooks reached another instance.
		d.forgetMissedCount()
		d.publishMissedCount()
	}
}

func dedupe(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func joinIDs(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}

func parseIDs(s string) []int64 {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

// missedPublishDelay coalesces the count updates of a burst of changes (a
// bulk solve, a busy line) into one.
const missedPublishDelay = 300 * time.Millisecond

// publishMissedCount asks RunLive to send every page the number of open
// missed-call tickets shortly after a change that may have moved it, so the
// top bar's count goes down when a colleague handles a missed call, not
// only up. Requests within missedPublishDelay are one update.
func (d *Desk) publishMissedCount() {
	if d.live == nil {
		return
	}
	select {
	case d.missedQ <- struct{}{}:
	default: // one is pending already
	}
}

// sendMissedCount publishes the current count of open missed-call tickets.
func (d *Desk) sendMissedCount(ctx context.Context) {
	if d.live.Subscribers() == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	d.forgetMissedCount()
	n, err := d.MissedOpenCount(ctx)
	if err != nil {
		if ctx.Err() == nil {
			d.log.Warn("live: missed call count", "err", err)
		}
		return
	}
	data, _ := json.Marshal(map[string]int64{"open": n})
	d.live.Publish(live.Event{Name: "missed", Data: data})
}

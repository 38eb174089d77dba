package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// Applying a call event is one item of a group-committed transaction (see
// batch.go). The desk runs it through InCallTx: it reads what it needs
// through CallTx, lets the domain decide (ringdesk.CallFold,
// ringdesk.PlaceCall, ringdesk.TicketAfterCall) and writes the outcome with
// CallTx.SaveCall. Nothing here decides anything about calls or tickets.

// StoredEvent is a call event as kept in call_events.
type StoredEvent struct {
	Kind string
	Key  string // dedupe key
	Raw  []byte
}

// CallTx is one call's share of a group-committed transaction.
type CallTx struct {
	tx      cachedTx
	rollups *rollupDeltas
}

// InCallTx runs fn as one item of the next group commit, serialised with
// every other item of the same call (channel and UIS session), and returns
// once the transaction has committed (nil) or failed. An error from fn
// undoes fn's writes only.
func (db *DB) InCallTx(ctx context.Context, channelID, callSessionID int64, fn func(ctx context.Context, tx *CallTx) error) error {
	err := db.inBatch(ctx, lockKey(channelID, callSessionID), func(ctx context.Context, tx *sql.Tx) error {
		rollups := rollupsFrom(ctx)
		if rollups == nil {
			return errors.New("store: a call written outside a batch")
		}
		return fn(ctx, &CallTx{tx: db.cached(tx), rollups: rollups})
	})
	return wrap("ingest call event", err)
}

// CallState is a stored call as applying an event to it needs it.
type CallState struct {
	ID, TicketID, ClientID int64
	StartedAt              time.Time
	// Answered says the stored call was answered already.
	Answered bool
	// ShownTo is the group the call showed to before routing moved it (0:
	// every agent); nil while it never moved.
	ShownTo *int64
	// Fold is the call's folded events; empty for calls stored before
	// folds were kept (RawEvents has their events then).
	Fold   []byte
	Ticket ringdesk.CallTicket
	// report is the stored call as a report reads it, whose contribution to
	// the rollups the write replaces.
	report *ringdesk.ReportCall
	// contactPhone is the stored contact_phone (see updateCall).
	contactPhone string
}

// lookupCall reads whether an event was stored ($1, its dedupe key) and the
// state of its call ($2 channel, $3 UIS session), through UNIQUE
// (channel_id, call_session_id). On PostgreSQL a generic plan cached while
// the calls table is young may use calls_channel_idx instead, until the
// table's first ANALYZE (docs/benchmarks.md, "Seventh pass").
const lookupCall = `SELECT EXISTS (SELECT 1 FROM call_events WHERE dedupe_key = $1),
		c.id, c.ticket_id, c.client_id, c.started_at, c.answered_at, c.assigned_agent_id, c.fold, t.status, t.assignee_id, t.missed,
		t.missed_since, t.group_id, c.group_id, c.shown_to,
		c.channel_id, c.direction, c.state, c.finished_at, c.wait_seconds, c.talk_seconds, c.total_seconds, c.is_lost,
		c.agent_id, c.postprocess_seconds, c.virtual_phone_number, c.contact_phone
		FROM (SELECT 1 AS one) AS x
		LEFT JOIN calls c ON c.channel_id = $2 AND c.call_session_id = $3
		LEFT JOIN tickets t ON t.id = c.ticket_id`

// Lookup reads in one round trip whether the event with dedupeKey was
// stored already and, if the call exists, its state (nil otherwise).
func (t *CallTx) Lookup(ctx context.Context, channelID, callSessionID int64, dedupeKey string) (dup bool, cur *CallState, err error) {
	var id, ticketID, clientID, started, answered, held, assignee, since, group, heldGroup, shown sql.NullInt64
	var status sql.NullString
	var missed sql.NullBool
	var fold []byte
	var finished, agent, channel, wait, talk, total, post sql.NullInt64
	var direction, state, line, contact sql.NullString
	var lost sql.NullBool
	err = t.tx.queryRow(ctx, lookupCall, dedupeKey, channelID, callSessionID).
		Scan(&dup, &id, &ticketID, &clientID, &started, &answered, &held, &fold, &status, &assignee, &missed, &since, &group, &heldGroup, &shown,
			&channel, &direction, &state, &finished, &wait, &talk, &total, &lost, &agent, &post, &line, &contact)
	if err != nil || dup || !id.Valid {
		return dup, nil, err
	}
	rc := ringdesk.ReportCall{ID: id.Int64, ChannelID: channel.Int64, ClientID: clientID.Int64, Direction: direction.String,
		State: state.String, StartedAt: fromMicros(started.Int64), AnsweredAt: fromNullMicros(answered),
		FinishedAt: fromNullMicros(finished), WaitSeconds: wait.Int64, TalkSeconds: talk.Int64, TotalSeconds: total.Int64,
		IsLost: lost.Bool, AgentID: nullIDPtr(agent), PostprocessSeconds: post.Int64, VirtualNumber: line.String,
		GroupID: heldGroup.Int64}
	cur = &CallState{ID: id.Int64, TicketID: ticketID.Int64, ClientID: clientID.Int64, StartedAt: fromMicros(started.Int64),
		Answered: answered.Valid, Fold: fold, ShownTo: nullIDPtr(shown), report: &rc, contactPhone: contact.String,
		Ticket: ringdesk.CallTicket{Status: status.String, Assignee: nullIDPtr(assignee), Missed: missed.Bool, Held: nullIDPtr(held),
			MissedSince: nullTimePtr(since), Group: nullIDPtr(group), HeldGroup: nullIDPtr(heldGroup)}}
	return false, cur, nil
}

// RawEvents returns a call's stored events in arrival order.
func (t *CallTx) RawEvents(ctx context.Context, callID int64) ([]StoredEvent, error) {
	rows, err := t.tx.query(ctx, `SELECT kind, dedupe_key, raw FROM call_events WHERE call_id = $1 ORDER BY id`, callID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StoredEvent
	for rows.Next() {
		var e StoredEvent
		if err := rows.Scan(&e.Kind, &e.Key, &e.Raw); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CallRequest returns the click-to-call request with externalID on the
// channel, or nil.
func (t *CallTx) CallRequest(ctx context.Context, channelID int64, externalID string) (*ringdesk.CallRequestRef, error) {
	var id int64
	var client, ticket, ticketClient sql.NullInt64
	err := t.tx.queryRow(ctx, `SELECT r.id, r.client_id, r.ticket_id, t.client_id FROM call_requests r
		LEFT JOIN tickets t ON t.id = r.ticket_id WHERE r.external_id = $1 AND r.channel_id = $2`,
		externalID, channelID).Scan(&id, &client, &ticket, &ticketClient)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &ringdesk.CallRequestRef{ID: id, ClientID: nullIDPtr(client), TicketID: nullIDPtr(ticket), TicketClientID: ticketClient.Int64}, nil
}

// ClientByPhone returns the client with the E.164 number, or 0.
func (t *CallTx) ClientByPhone(ctx context.Context, e164 string) (int64, error) {
	var id int64
	err := t.tx.queryRow(ctx, `SELECT client_id FROM client_phones WHERE phone = $1`, e164).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// OpenTicket returns the client's most recently updated active ticket
// updated at or after since, or 0.
func (t *CallTx) OpenTicket(ctx context.Context, clientID int64, since time.Time) (int64, error) {
	var id int64
	err := t.tx.queryRow(ctx, `SELECT id FROM tickets WHERE client_id = $1 AND status IN `+activeStatuses+`
		AND updated_at >= $2 ORDER BY updated_at DESC, id DESC LIMIT 1`, clientID, micros(since)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// Ticket returns the state of a ticket a new call joins.
func (t *CallTx) Ticket(ctx context.Context, id int64) (ringdesk.CallTicket, error) {
	var s ringdesk.CallTicket
	var assignee, since, group sql.NullInt64
	err := t.tx.queryRow(ctx, `SELECT status, assignee_id, missed, missed_since, group_id FROM tickets WHERE id = $1`, id).
		Scan(&s.Status, &assignee, &s.Missed, &since, &group)
	s.Assignee, s.MissedSince, s.Group = nullIDPtr(assignee), nullTimePtr(since), nullIDPtr(group)
	return s, err
}

// OperatorAgents maps every Operator ID to its agent.
func (db *DB) OperatorAgents(ctx context.Context) (map[int64]int64, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT operator_id, id FROM agents WHERE operator_id IS NOT NULL`)
	if err != nil {
		return nil, wrap("operator agents", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var emp, agent int64
		if err := rows.Scan(&emp, &agent); err != nil {
			return nil, wrap("operator agents", err)
		}
		out[emp] = agent
	}
	return out, wrap("operator agents", rows.Err())
}

// CallWrite is everything applying one call event writes.
type CallWrite struct {
	ChannelID, CallSessionID int64
	// Call is the stored call, or nil for a new call placed by Place.
	Call  *CallState
	Place ringdesk.CallPlacement
	Facts ringdesk.CallFacts
	Fold  []byte
	// AgentID is the agent of Facts.EmployeeID.
	AgentID *int64
	// ShownTo: see CallState.ShownTo.
	ShownTo *int64
	// TicketBefore and Ticket are the ticket before and after the event.
	TicketBefore ringdesk.CallTicket
	Ticket       ringdesk.CallTicketChange
	// The event itself, kept verbatim.
	Kind      string
	Stage     int
	DedupeKey string
	Raw       []byte
	Now       time.Time
}

// CallSaved says where a call event went.
type CallSaved struct {
	CallID, TicketID, ClientID int64
}

// SaveCall writes what applying a call event decided: for a new call its
// client, ticket, row and timeline entry; the ticket's status, assignee and
// missed mark with their audit entries; the call's facts and fold; and the
// raw event.
func (t *CallTx) SaveCall(ctx context.Context, w *CallWrite) (*CallSaved, error) {
	s := &CallSaved{}
	var err error
	if w.Call == nil {
		err = t.insertCall(ctx, w, s)
	} else {
		s.CallID, s.TicketID, s.ClientID = w.Call.ID, w.Call.TicketID, w.Call.ClientID
		if w.Ticket.Changed(w.TicketBefore) {
			err = t.updateTicket(ctx, s.TicketID, w)
		}
		if err == nil {
			err = t.updateCall(ctx, s.CallID, w)
		}
	}
	if err != nil {
		return nil, err
	}
	if cb := w.Ticket.CalledBack; cb != nil {
		if err := addCalledBack(ctx, t.tx, s.TicketID, s.CallID, cb, w.Now); err != nil {
			return nil, err
		}
	}
	if _, err := t.tx.exec(ctx, `INSERT INTO call_events (call_id, kind, stage, dedupe_key, raw, received_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, s.CallID, w.Kind, w.Stage, w.DedupeKey, w.Raw, micros(w.Now)); err != nil {
		return nil, err
	}
	if err := t.reportAfterWrite(ctx, w, s); err != nil {
		return nil, err
	}
	return s, seenEmployees(ctx, t.tx, w.ChannelID, w.Facts, w.Now)
}

// reportAfterWrite keeps the report rollups and call-back columns in step
// with the call just written (report_rollups.go).
func (t *CallTx) reportAfterWrite(ctx context.Context, w *CallWrite, s *CallSaved) error {
	f := &w.Facts
	// As the row reads back: times in whole microseconds.
	norm := func(p *time.Time) *time.Time {
		if p == nil {
			return nil
		}
		v := fromMicros(micros(*p))
		return &v
	}
	c := &ringdesk.ReportCall{ID: s.CallID, ChannelID: w.ChannelID, ClientID: s.ClientID, Direction: f.Direction, State: f.State,
		StartedAt: fromMicros(micros(f.StartedAt)), AnsweredAt: norm(f.AnsweredAt), FinishedAt: norm(f.FinishedAt),
		WaitSeconds: f.WaitSeconds, TalkSeconds: f.TalkSeconds, TotalSeconds: f.TotalSeconds, IsLost: f.IsLost,
		AgentID: w.AgentID, PostprocessSeconds: f.Details.PostprocessSeconds, VirtualNumber: f.VirtualPhoneNumber}
	if w.Ticket.HeldGroup != nil {
		c.GroupID = *w.Ticket.HeldGroup
	}
	var old *ringdesk.ReportCall
	if w.Call != nil {
		old = w.Call.report
	}
	if err := t.rollups.change(ctx, t.tx, old, c); err != nil {
		return err
	}
	return callBacksAfterWrite(ctx, t.tx, old, c)
}

// insertCall writes a new call: its client and ticket when they are new,
// then the call row with its facts, its timeline entry and the request it
// fulfils.
func (t *CallTx) insertCall(ctx context.Context, w *CallWrite, s *CallSaved) error {
	tx, p, now := t.tx, w.Place, w.Now
	s.ClientID, s.TicketID = p.ClientID, p.TicketID
	if s.ClientID == 0 {
		id, err := insertClient(ctx, tx, newClient{Name: p.ClientName}, now)
		if err != nil {
			return err
		}
		if p.ClientPhone != "" {
			if _, err := tx.exec(ctx, `INSERT INTO client_phones (client_id, phone, created_at) VALUES ($1, $2, $3)`,
				id, p.ClientPhone, micros(now)); err != nil {
				return err
			}
		}
		s.ClientID = id
	}
	if s.TicketID == 0 {
		id, err := insertCallTicket(ctx, tx, w, s.ClientID)
		if err != nil {
			return err
		}
		s.TicketID = id
		if err := t.auditTicket(ctx, id, w); err != nil {
			return err
		}
	} else if err := t.updateTicket(ctx, s.TicketID, w); err != nil {
		return err
	}
	f := &w.Facts
	details, recordings, err := callJSON(f)
	if err != nil {
		return err
	}
	err = tx.queryRow(ctx, `INSERT INTO calls (channel_id, call_session_id, direction, state, stage, contact_phone, contact_name,
		virtual_phone_number, started_at, answered_at, finished_at, wait_seconds, talk_seconds, total_seconds, is_lost,
		finish_reason, lost_reason, is_transfer, employee_id, agent_id, assigned_agent_id, details, recordings, external_id,
		fold, ticket_id, client_id, created_at, updated_at, group_id, postprocess_seconds)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24,
		$25, $26, $27, $28, $28, $29, $30) RETURNING id`,
		w.ChannelID, w.CallSessionID, f.Direction, f.State, f.Stage, f.ContactPhone, f.ContactName, f.VirtualPhoneNumber,
		micros(f.StartedAt), nullMicros(f.AnsweredAt), nullMicros(f.FinishedAt), f.WaitSeconds, f.TalkSeconds, f.TotalSeconds,
		f.IsLost, f.FinishReason, f.LostReason, f.IsTransfer, nullInt(f.EmployeeID), nullInt(w.AgentID), nullInt(w.Ticket.Held),
		details, recordings, f.ExternalID, string(w.Fold), s.TicketID, s.ClientID, micros(now), nullInt(w.Ticket.HeldGroup),
		f.Details.PostprocessSeconds).Scan(&s.CallID)
	if err != nil {
		return err
	}
	data, _ := json.Marshal(map[string]int64{"call_id": s.CallID})
	if _, err := tx.exec(ctx, `INSERT INTO ticket_events (ticket_id, kind, author_type, body, data, created_at)
		VALUES ($1, 'call', 'system', '', $2, $3)`, s.TicketID, string(data), micros(f.StartedAt)); err != nil {
		return err
	}
	if p.RequestID != 0 {
		_, err = tx.exec(ctx, `UPDATE call_requests SET status = 'started', call_session_id = $1, updated_at = $2 WHERE id = $3`,
			w.CallSessionID, micros(now), p.RequestID)
	}
	return err
}

// insertCallTicket makes the ticket of a new call as the call leaves it.
func insertCallTicket(ctx context.Context, tx cachedTx, w *CallWrite, clientID int64) (int64, error) {
	var id int64
	c := w.Ticket
	err := tx.queryRow(ctx, `INSERT INTO tickets (subject, status, priority, type, channel_id, client_id, assignee_id, missed,
		missed_since, created_at, updated_at, group_id, subject_call, subject_who)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13) RETURNING id`,
		w.Place.Subject, c.Status, ringdesk.DefaultPriority, ringdesk.DefaultTicketType, w.ChannelID, clientID,
		nullInt(c.Assignee), c.Missed, nullMicros(c.MissedSince), micros(w.Now), nullInt(c.Group),
		w.Place.AutoSubject.Direction, w.Place.AutoSubject.Who).Scan(&id)
	if err != nil {
		return 0, err
	}
	if tx.db.dialect == SQLite { // indexed when the transaction ends (search_pending.go)
		_, err = tx.exec(ctx, `INSERT INTO search_pending (idx, del, row_id, v) VALUES ($1, 0, $2, $3)`, searchTicketIdx, id, w.Place.Subject)
	}
	return id, err
}

// updateTicket writes the ticket after a call event and audits the
// changes. A new call on an existing ticket moves its updated_at forward
// even when nothing else changed (the call is activity on it); a later
// event of the call writes the ticket only when it changes it, since every
// write of updated_at rewrites the ticket list's indexes.
func (t *CallTx) updateTicket(ctx context.Context, id int64, w *CallWrite) error {
	c := w.Ticket
	if err := writeCallTicket(ctx, t.tx, id, c.CallTicket, w.Now); err != nil {
		return err
	}
	return t.auditTicket(ctx, id, w)
}

// writeCallTicket writes what a call changes on a ticket. A ticket no
// longer missed loses its call-back claim too.
func writeCallTicket(ctx context.Context, tx cachedTx, id int64, c ringdesk.CallTicket, now time.Time) error {
	_, err := tx.exec(ctx, `UPDATE tickets SET status = $1, assignee_id = $2, missed = $3, missed_since = $4,
		callback_agent_id = CASE WHEN $3 THEN callback_agent_id END, callback_at = CASE WHEN $3 THEN callback_at END,
		updated_at = CASE WHEN updated_at > $5 THEN updated_at ELSE $5 END, group_id = $7 WHERE id = $6`,
		c.Status, nullInt(c.Assignee), c.Missed, nullMicros(c.MissedSince), micros(now), id, nullInt(c.Group))
	return err
}

// MissedTicketsOf returns the client's other active tickets waiting for a
// call back, as a call's effect on them depends on it.
func (t *CallTx) MissedTicketsOf(ctx context.Context, clientID, except int64) (map[int64]ringdesk.CallTicket, error) {
	rows, err := t.tx.query(ctx, `SELECT id, status, assignee_id, missed_since, group_id FROM tickets
		WHERE client_id = $1 AND missed = TRUE AND id <> $2 AND status IN `+activeStatuses, clientID, except)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]ringdesk.CallTicket{}
	for rows.Next() {
		var id int64
		var assignee, since, group sql.NullInt64
		c := ringdesk.CallTicket{Missed: true}
		if err := rows.Scan(&id, &c.Status, &assignee, &since, &group); err != nil {
			return nil, err
		}
		c.Assignee, c.MissedSince, c.Group = nullIDPtr(assignee), nullTimePtr(since), nullIDPtr(group)
		out[id] = c
	}
	return out, rows.Err()
}

// EndMissed records that a call ended ticket id's wait for a call back:
// the missed mark goes and the timeline says who talked and after how long.
func (t *CallTx) EndMissed(ctx context.Context, id, callID int64, c ringdesk.CallTicket, cb *ringdesk.CallBack, now time.Time) error {
	c.Missed, c.MissedSince = false, nil
	if err := writeCallTicket(ctx, t.tx, id, c, now); err != nil {
		return err
	}
	return addCalledBack(ctx, t.tx, id, callID, cb, now)
}

func addCalledBack(ctx context.Context, tx cachedTx, ticketID, callID int64, cb *ringdesk.CallBack, now time.Time) error {
	data, err := json.Marshal(map[string]any{"call_id": callID, "agent_id": cb.AgentID, "direction": cb.Direction,
		"after_seconds": int64(cb.After / time.Second)})
	if err != nil {
		return err
	}
	return addEventTx(ctx, tx, ticketID, ringdesk.EventCalledBack, ringdesk.AuthorSystem, nil, "", string(data), now)
}

// auditTicket records telephony's changes of a ticket, by System.
func (t *CallTx) auditTicket(ctx context.Context, id int64, w *CallWrite) error {
	c := w.Ticket
	if c.StatusFrom != "" {
		author := ringdesk.AuthorSystem
		if c.StatusBy != nil {
			author = ringdesk.AuthorAgent
		}
		if err := addEventTx(ctx, t.tx, id, ringdesk.EventStatus, author, c.StatusBy, "",
			audit(c.StatusFrom, c.Status), w.Now); err != nil {
			return err
		}
	}
	if c.GroupChanged && (w.Call != nil || w.Place.TicketID != 0) {
		// A new ticket's group is where it was made; only a move is news.
		if err := addEventTx(ctx, t.tx, id, ringdesk.EventGroup, ringdesk.AuthorSystem, nil, "",
			audit(c.GroupFrom, c.Group), w.Now); err != nil {
			return err
		}
	}
	if !c.AssigneeChanged {
		return nil
	}
	return addEventTx(ctx, t.tx, id, ringdesk.EventAssignee, ringdesk.AuthorSystem, nil, "", audit(c.AssigneeFrom, c.Assignee), w.Now)
}

// updateCall writes a stored call's facts and fold. SQLite rewrites an
// index whenever the SET list names one of its columns, changed or not
// (docs/indexes.md), and the columns that place a call in its lists (when
// it started, its direction, the caller's number, the line) are in every
// full index of calls; they are the same in nearly every event after the
// first. So they, and the agent, are set only when they change. The SQL
// comes in four fixed variants, so the statement cache stays small.
func (t *CallTx) updateCall(ctx context.Context, id int64, w *CallWrite) error {
	f := &w.Facts
	details, recordings, err := callJSON(f)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(`UPDATE calls SET state = $1, stage = $2, contact_name = $3, answered_at = $4, finished_at = $5,
		wait_seconds = $6, talk_seconds = $7, total_seconds = $8, is_lost = $9, finish_reason = $10, lost_reason = $11,
		is_transfer = $12, employee_id = $13, assigned_agent_id = $14, details = $15, recordings = $16, external_id = $17,
		fold = $18, updated_at = $19, group_id = $20, shown_to = $21, postprocess_seconds = $22`)
	args := []any{f.State, f.Stage, f.ContactName, nullMicros(f.AnsweredAt), nullMicros(f.FinishedAt), f.WaitSeconds,
		f.TalkSeconds, f.TotalSeconds, f.IsLost, f.FinishReason, f.LostReason, f.IsTransfer, nullInt(f.EmployeeID),
		nullInt(w.Ticket.Held), details, recordings, f.ExternalID, string(w.Fold), micros(w.Now), nullInt(w.Ticket.HeldGroup),
		nullInt(w.ShownTo), f.Details.PostprocessSeconds}
	set := func(col string, v any) {
		args = append(args, v)
		b.WriteString(", " + col + " = $" + strconv.Itoa(len(args)))
	}
	old := w.Call.report
	if old == nil || old.Direction != f.Direction || micros(old.StartedAt) != micros(f.StartedAt) ||
		old.VirtualNumber != f.VirtualPhoneNumber || w.Call.contactPhone != f.ContactPhone {
		set("direction", f.Direction)
		set("started_at", micros(f.StartedAt))
		set("virtual_phone_number", f.VirtualPhoneNumber)
		set("contact_phone", f.ContactPhone)
	}
	if old == nil || !sameID(old.AgentID, w.AgentID) {
		set("agent_id", nullInt(w.AgentID))
	}
	args = append(args, id)
	b.WriteString(" WHERE id = $" + strconv.Itoa(len(args)))
	_, err = t.tx.exec(ctx, b.String(), args...)
	return err
}

func callJSON(f *ringdesk.CallFacts) (details, recordings string, err error) {
	d, err := json.Marshal(f.Details)
	if err != nil {
		return "", "", err
	}
	recs := f.Recordings
	if recs == nil {
		recs = []string{}
	}
	r, err := json.Marshal(recs)
	return string(d), string(r), err
}

// nullIDPtr turns a nullable id into the *int64 audit entries hold.
func nullTimePtr(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}

func nullIDPtr(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

// seenEmployeeEvery is how stale an employee's last_seen_at may get
// before an event writes it again.
const seenEmployeeEvery = time.Minute

// seenEmployees remembers UIS employees by name so unlinked ones can be
// shown. The same few employees are in every call, so a write per event
// would make their rows the one hot spot of ingestion: on PostgreSQL the
// row lock is held until the batch commits and the parallel batchers queue
// behind each other (or deadlock, when two calls name the same employees
// in a different order). So the row is read without a lock first and
// written only when new, renamed, or last seen over a minute ago; and on
// PostgreSQL a row another transaction is writing is skipped, not waited
// for: that transaction is recording the same sighting.
func seenEmployees(ctx context.Context, tx cachedTx, channelID int64, f ringdesk.CallFacts, now time.Time) error {
	// Sightings this process wrote within the minute need no reading at
	// all: most events name employees seen moments ago. (A memo of a write
	// whose batch was then rolled back delays that sighting by a minute.)
	var todo []ringdesk.CallEmployee
	for _, e := range f.Details.Employees {
		if v, ok := tx.db.seen.Load([2]int64{channelID, e.ID}); ok {
			s := v.(seenMemo)
			if (e.Name == "" || e.Name == s.name) && s.at > micros(now.Add(-seenEmployeeEvery)) && s.at <= micros(now) {
				continue
			}
		}
		todo = append(todo, e)
	}
	if len(todo) == 0 {
		return nil
	}
	f.Details.Employees = todo
	type seen struct {
		name string
		at   int64
	}
	known := map[int64]seen{}
	ids := make([]int64, len(f.Details.Employees))
	for i, e := range f.Details.Employees {
		ids[i] = e.ID
	}
	in, args := inInt64s([]any{channelID}, ids)
	rows, err := tx.query(ctx, `SELECT employee_id, full_name, last_seen_at FROM uis_employees
		WHERE channel_id = $1 AND employee_id IN (`+in+`)`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var s seen
		if err := rows.Scan(&id, &s.name, &s.at); err != nil {
			rows.Close()
			return err
		}
		known[id] = s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, e := range f.Details.Employees {
		k, ok := known[e.ID]
		switch {
		case !ok:
			_, err = tx.exec(ctx, `INSERT INTO uis_employees (channel_id, employee_id, full_name, last_seen_at)
				VALUES ($1, $2, $3, $4) ON CONFLICT (channel_id, employee_id) DO NOTHING`, channelID, e.ID, e.Name, micros(now))
			known[e.ID] = seen{e.Name, micros(now)}
			tx.db.seen.Store([2]int64{channelID, e.ID}, seenMemo{e.Name, micros(now)})
		case (e.Name == "" || e.Name == k.name) && k.at > micros(now.Add(-seenEmployeeEvery)):
			// Seen recently under this name: nothing to write.
			tx.db.seen.Store([2]int64{channelID, e.ID}, seenMemo{k.name, k.at})
		default:
			if e.Name == "" {
				e.Name = k.name
			}
			q := `UPDATE uis_employees SET full_name = $1, last_seen_at = CASE WHEN last_seen_at > $2 THEN last_seen_at ELSE $2 END
				WHERE channel_id = $3 AND employee_id = $4`
			if tx.db.dialect == Postgres {
				q += ` AND (channel_id, employee_id) IN (SELECT channel_id, employee_id FROM uis_employees
					WHERE channel_id = $3 AND employee_id = $4 FOR UPDATE SKIP LOCKED)`
			}
			_, err = tx.exec(ctx, q, e.Name, micros(now), channelID, e.ID)
			known[e.ID] = seen{e.Name, micros(now)}
			tx.db.seen.Store([2]int64{channelID, e.ID}, seenMemo{e.Name, micros(now)})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// seenMemo is what this process last knew of a UIS employee's row.
type seenMemo struct {
	name string
	at   int64
}

// inInt64s appends the distinct ids to args and returns their placeholders
// for an IN list.
func inInt64s(args []any, ids []int64) (string, []any) {
	ph := make([]string, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		args = append(args, id)
		ph = append(ph, "$"+strconv.Itoa(len(args)))
	}
	return strings.Join(ph, ", "), args
}

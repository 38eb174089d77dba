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

// StoredEvent is a call event as kept in call_events, for folding.
type StoredEvent struct {
	Kind string
	Key  string // dedupe key: orders equal-stage events independently of arrival
	Raw  []byte
}

// CallPolicy is what the desk decides for calls: ticket reuse and the
// words used for tickets and clients made from calls.
type CallPolicy struct {
	ReuseWithin time.Duration // 0: one new ticket per call
	Subject     func(f ringdesk.CallFacts) string
	ClientName  func(f ringdesk.CallFacts) string
}

// CallEventIn is one accepted webhook to store and apply.
type CallEventIn struct {
	ChannelID     int64
	Kind          string
	Stage         int
	CallSessionID int64
	DedupeKey     string
	Raw           []byte
	ReceivedAt    time.Time
	// Fold computes the call's facts from all its events (pure).
	Fold   func(events []StoredEvent) (ringdesk.CallFacts, error)
	Policy CallPolicy
}

// CallEventResult says what applying an event did.
type CallEventResult struct {
	Duplicate bool
	NewCall   bool
	CallID    int64
	TicketID  int64
	ClientID  int64
	AgentID   *int64
	Facts     ringdesk.CallFacts
}

// IngestCallEvent stores the raw event and applies it to its call, client
// and ticket in one group-committed transaction. It returns only after the
// commit, so a nil error means the event is durable.
func (db *DB) IngestCallEvent(ctx context.Context, in *CallEventIn) (*CallEventResult, error) {
	var res *CallEventResult
	err := db.inBatch(ctx, lockKey(in.ChannelID, in.CallSessionID), func(ctx context.Context, tx *sql.Tx) error {
		var err error
		res, err = applyCallEvent(ctx, db.cached(tx), in)
		return err
	})
	if err != nil {
		return nil, wrap("ingest call event", err)
	}
	return res, nil
}

// callRow is the part of a stored call that applying needs.
type callRow struct {
	id, ticketID, clientID int64
	assigned               sql.NullInt64
	ticket                 *ticketState // read with the call, or nil
}

// ticketState is what applying a call event reads of its ticket.
type ticketState struct {
	status   string
	assignee sql.NullInt64
	missed   bool
}

// lookupCall reads in one round trip whether the event is a duplicate and,
// if its call exists, the call and its ticket's state.
func lookupCall(ctx context.Context, tx cachedTx, in *CallEventIn) (dup, exists bool, cur callRow, err error) {
	var id, ticketID, clientID sql.NullInt64
	var status sql.NullString
	var missed sql.NullBool
	var t ticketState
	err = tx.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM call_events WHERE dedupe_key = $1),
		c.id, c.ticket_id, c.client_id, c.assigned_agent_id, t.status, t.assignee_id, t.missed
		FROM (SELECT 1 AS one) AS x
		LEFT JOIN calls c ON c.channel_id = $2 AND c.call_session_id = $3
		LEFT JOIN tickets t ON t.id = c.ticket_id`, in.DedupeKey, in.ChannelID, in.CallSessionID).
		Scan(&dup, &id, &ticketID, &clientID, &cur.assigned, &status, &t.assignee, &missed)
	if err != nil || dup || !id.Valid {
		return dup, false, callRow{}, err
	}
	cur.id, cur.ticketID, cur.clientID = id.Int64, ticketID.Int64, clientID.Int64
	if status.Valid {
		t.status, t.missed = status.String, missed.Bool
		cur.ticket = &t
	}
	return false, true, cur, nil
}

func applyCallEvent(ctx context.Context, tx cachedTx, in *CallEventIn) (*CallEventResult, error) {
	dup, exists, cur, err := lookupCall(ctx, tx, in)
	if err != nil {
		return nil, err
	} else if dup {
		return &CallEventResult{Duplicate: true}, nil
	}
	events := []StoredEvent{{Kind: in.Kind, Key: in.DedupeKey, Raw: in.Raw}}
	if exists {
		prior, err := callEvents(ctx, tx, cur.id)
		if err != nil {
			return nil, err
		}
		events = append(prior, events...)
	}
	facts, err := in.Fold(events)
	if err != nil {
		return nil, err
	}
	now := in.ReceivedAt
	res := &CallEventResult{NewCall: !exists, Facts: facts}
	if !exists {
		if cur, err = createCall(ctx, tx, in, facts, now); err != nil {
			return nil, err
		}
	}
	res.CallID, res.TicketID, res.ClientID = cur.id, cur.ticketID, cur.clientID
	agents, err := mapEmployees(ctx, tx, &facts)
	if err != nil {
		return nil, err
	}
	if facts.EmployeeID != nil {
		if a, ok := agents[*facts.EmployeeID]; ok {
			res.AgentID = &a
		}
	}
	assigned, err := applyToTicket(ctx, tx, cur, facts, res.AgentID, now)
	if err != nil {
		return nil, err
	}
	if err := updateCall(ctx, tx, cur.id, facts, res.AgentID, assigned, now); err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO call_events (call_id, kind, stage, dedupe_key, raw, received_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, cur.id, in.Kind, in.Stage, in.DedupeKey, string(in.Raw), micros(now)); err != nil {
		return nil, err
	}
	return res, seenEmployees(ctx, tx, in.ChannelID, facts, now)
}

func callEvents(ctx context.Context, tx cachedTx, callID int64) ([]StoredEvent, error) {
	rows, err := tx.query(ctx, `SELECT kind, dedupe_key, raw FROM call_events WHERE call_id = $1 ORDER BY id`, callID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StoredEvent
	for rows.Next() {
		var e StoredEvent
		var raw string
		if err := rows.Scan(&e.Kind, &e.Key, &raw); err != nil {
			return nil, err
		}
		e.Raw = []byte(raw)
		out = append(out, e)
	}
	return out, rows.Err()
}

// createCall makes the call's ticket (or attaches it to the clicked or the
// reusable one), its client, the call row and the call's timeline entry.
func createCall(ctx context.Context, tx cachedTx, in *CallEventIn, f ringdesk.CallFacts, now time.Time) (callRow, error) {
	var reqID, reqClient, reqTicket sql.NullInt64
	if f.ExternalID != "" {
		err := tx.queryRow(ctx, `SELECT id, client_id, ticket_id FROM call_requests WHERE external_id = $1 AND channel_id = $2`,
			f.ExternalID, in.ChannelID).Scan(&reqID, &reqClient, &reqTicket)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return callRow{}, err
		}
	}
	var row callRow
	var err error
	switch {
	case reqTicket.Valid:
		row.ticketID = reqTicket.Int64
		err = tx.queryRow(ctx, `SELECT client_id FROM tickets WHERE id = $1`, row.ticketID).Scan(&row.clientID)
	case reqClient.Valid:
		row.clientID = reqClient.Int64
	default:
		row.clientID, err = callClient(ctx, tx, f, in.Policy, now)
	}
	if err != nil {
		return callRow{}, err
	}
	if row.ticketID == 0 && in.Policy.ReuseWithin > 0 {
		err := tx.queryRow(ctx, `SELECT id FROM tickets WHERE client_id = $1 AND status IN ('new', 'open', 'pending', 'on_hold')
			AND updated_at >= $2 ORDER BY updated_at DESC, id DESC LIMIT 1`, row.clientID, micros(now.Add(-in.Policy.ReuseWithin))).Scan(&row.ticketID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return callRow{}, err
		}
	}
	if row.ticketID == 0 {
		if row.ticketID, err = insertCallTicket(ctx, tx, in.ChannelID, row.clientID, in.Policy.Subject(f), now); err != nil {
			return callRow{}, err
		}
		row.ticket = &ticketState{status: ringdesk.StatusNew} // as just inserted: nobody can have changed it
	}
	err = tx.queryRow(ctx, `INSERT INTO calls (channel_id, call_session_id, direction, state, stage, started_at,
		ticket_id, client_id, external_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
		in.ChannelID, in.CallSessionID, f.Direction, f.State, f.Stage, micros(f.StartedAt), row.ticketID, row.clientID,
		f.ExternalID, micros(now)).Scan(&row.id)
	if err != nil {
		return callRow{}, err
	}
	data, _ := json.Marshal(map[string]int64{"call_id": row.id})
	if _, err := tx.exec(ctx, `INSERT INTO ticket_events (ticket_id, kind, author_type, body, data, created_at)
		VALUES ($1, 'call', 'system', '', $2, $3)`, row.ticketID, string(data), micros(f.StartedAt)); err != nil {
		return callRow{}, err
	}
	if reqID.Valid {
		_, err = tx.exec(ctx, `UPDATE call_requests SET status = 'started', call_session_id = $1, updated_at = $2 WHERE id = $3`,
			in.CallSessionID, micros(now), reqID.Int64)
	}
	return row, err
}

// callClient finds the client by the contact's number or creates one with
// the name UIS knows.
func callClient(ctx context.Context, tx cachedTx, f ringdesk.CallFacts, p CallPolicy, now time.Time) (int64, error) {
	e164 := ""
	if strings.HasPrefix(f.ContactPhone, "+") {
		e164 = f.ContactPhone
	}
	if e164 != "" {
		var id int64
		err := tx.queryRow(ctx, `SELECT client_id FROM client_phones WHERE phone = $1`, e164).Scan(&id)
		if err == nil {
			return id, nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
	}
	id, err := insertClient(ctx, tx, newClient{Name: p.ClientName(f)}, now)
	if err != nil {
		return 0, err
	}
	if e164 != "" {
		if _, err := tx.exec(ctx, `INSERT INTO client_phones (client_id, phone, created_at) VALUES ($1, $2, $3)`,
			id, e164, micros(now)); err != nil {
			return 0, err
		}
	}
	return id, nil
}

func insertCallTicket(ctx context.Context, tx cachedTx, channelID, clientID int64, subject string, now time.Time) (int64, error) {
	return createTicketTx(ctx, tx, ringdesk.TicketCreate{Subject: subject, Status: ringdesk.StatusNew,
		Priority: ringdesk.DefaultPriority, Type: ringdesk.DefaultTicketType, ChannelID: &channelID, ClientID: clientID}, now)
}

// mapEmployees fills each employee's agent id from the Operator IDs and
// returns employee -> agent.
func mapEmployees(ctx context.Context, tx cachedTx, f *ringdesk.CallFacts) (map[int64]int64, error) {
	out := map[int64]int64{}
	ids := f.EmployeeIDs()
	if f.EmployeeID != nil {
		ids = append(ids, *f.EmployeeID)
	}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inInt64s(nil, ids)
	rows, err := tx.query(ctx, `SELECT operator_id, id FROM agents WHERE operator_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var emp, agent int64
		if err := rows.Scan(&emp, &agent); err != nil {
			return nil, err
		}
		out[emp] = agent
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range f.Details.Employees {
		if a, ok := out[f.Details.Employees[i].ID]; ok {
			f.Details.Employees[i].AgentID = &a
		}
	}
	return out, nil
}

// applyToTicket assigns the ticket to the call's agent, or marks it missed,
// without overriding an assignee an agent chose: telephony only moves an
// assignment it made itself. It returns the assignment telephony holds.
func applyToTicket(ctx context.Context, tx cachedTx, c callRow, f ringdesk.CallFacts, agent *int64, now time.Time) (sql.NullInt64, error) {
	if c.ticket == nil {
		var t ticketState
		if err := tx.queryRow(ctx, `SELECT status, assignee_id, missed FROM tickets WHERE id = $1`, c.ticketID).
			Scan(&t.status, &t.assignee, &t.missed); err != nil {
			return sql.NullInt64{}, err
		}
		c.ticket = &t
	}
	status, assignee, missed := c.ticket.status, c.ticket.assignee, c.ticket.missed
	ours := !assignee.Valid || (c.assigned.Valid && assignee.Int64 == c.assigned.Int64)
	held, was := c.assigned, assignee
	switch {
	case f.IsLost && f.Direction == ringdesk.DirectionIn:
		missed = true
		if ours {
			assignee, held = sql.NullInt64{}, sql.NullInt64{}
		}
	case agent != nil && ours:
		assignee = sql.NullInt64{Int64: *agent, Valid: true}
		held = assignee
	}
	wasStatus := status
	if status == "new" && (f.Stage >= 2 || f.IsLost) {
		status = "open"
	}
	_, err := tx.exec(ctx, `UPDATE tickets SET status = $1, assignee_id = $2, missed = $3,
		updated_at = CASE WHEN updated_at > $4 THEN updated_at ELSE $4 END WHERE id = $5`,
		status, assignee, missed, micros(now), c.ticketID)
	if err != nil {
		return held, err
	}
	if status != wasStatus {
		if err := addEventTx(ctx, tx, c.ticketID, ringdesk.EventStatus, ringdesk.AuthorSystem, nil, "",
			audit(wasStatus, status), now); err != nil {
			return held, err
		}
	}
	if was == assignee {
		return held, nil
	}
	// The timeline shows telephony's assignments like an agent's, by System.
	return held, addEventTx(ctx, tx, c.ticketID, ringdesk.EventAssignee, ringdesk.AuthorSystem, nil, "",
		audit(nullIDPtr(was), nullIDPtr(assignee)), now)
}

// nullIDPtr turns a nullable id into the *int64 audit entries hold.
func nullIDPtr(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

func updateCall(ctx context.Context, tx cachedTx, id int64, f ringdesk.CallFacts, agent *int64, assigned sql.NullInt64, now time.Time) error {
	details, err := json.Marshal(f.Details)
	if err != nil {
		return err
	}
	recs := f.Recordings
	if recs == nil {
		recs = []string{}
	}
	recordings, err := json.Marshal(recs)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE calls SET direction = $1, state = $2, stage = $3, contact_phone = $4, contact_name = $5,
		virtual_phone_number = $6, started_at = $7, answered_at = $8, finished_at = $9, wait_seconds = $10, talk_seconds = $11,
		total_seconds = $12, is_lost = $13, finish_reason = $14, lost_reason = $15, is_transfer = $16, employee_id = $17,
		agent_id = $18, assigned_agent_id = $19, details = $20, recordings = $21, external_id = $22, updated_at = $23 WHERE id = $24`,
		f.Direction, f.State, f.Stage, f.ContactPhone, f.ContactName, f.VirtualPhoneNumber, micros(f.StartedAt),
		nullMicros(f.AnsweredAt), nullMicros(f.FinishedAt), f.WaitSeconds, f.TalkSeconds, f.TotalSeconds, f.IsLost,
		f.FinishReason, f.LostReason, f.IsTransfer, nullInt(f.EmployeeID), nullInt(agent), assigned, string(details),
		string(recordings), f.ExternalID, micros(now), id)
	return err
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
	if len(f.Details.Employees) == 0 {
		return nil
	}
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
		case (e.Name == "" || e.Name == k.name) && k.at > micros(now.Add(-seenEmployeeEvery)):
			// Seen recently under this name: nothing to write.
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
		}
		if err != nil {
			return err
		}
	}
	return nil
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

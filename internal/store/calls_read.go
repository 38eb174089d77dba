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

const callColumns = `id, channel_id, call_session_id, direction, state, stage, contact_phone, contact_name,
	virtual_phone_number, started_at, answered_at, finished_at, wait_seconds, talk_seconds, total_seconds, is_lost,
	finish_reason, lost_reason, is_transfer, employee_id, agent_id, details, recordings, external_id, ticket_id,
	client_id, created_at, updated_at`

func scanCall(s rowScanner) (*ringdesk.Call, error) {
	var c ringdesk.Call
	var started, created, updated int64
	var answered, finished, emp, agent sql.NullInt64
	var details, recs string
	err := s.Scan(&c.ID, &c.ChannelID, &c.CallSessionID, &c.Direction, &c.State, &c.Stage, &c.ContactPhone, &c.ContactName,
		&c.VirtualPhoneNumber, &started, &answered, &finished, &c.WaitSeconds, &c.TalkSeconds, &c.TotalSeconds, &c.IsLost,
		&c.FinishReason, &c.LostReason, &c.IsTransfer, &emp, &agent, &details, &recs, &c.ExternalID, &c.TicketID,
		&c.ClientID, &created, &updated)
	if err != nil {
		return nil, err
	}
	c.StartedAt, c.CreatedAt, c.UpdatedAt = fromMicros(started), fromMicros(created), fromMicros(updated)
	c.AnsweredAt, c.FinishedAt = fromNullMicros(answered), fromNullMicros(finished)
	if emp.Valid {
		c.EmployeeID = &emp.Int64
	}
	if agent.Valid {
		c.AgentID = &agent.Int64
	}
	if err := json.Unmarshal([]byte(details), &c.Details); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(recs), &c.Recordings); err != nil {
		return nil, err
	}
	return &c, nil
}

// CallByID returns one call.
func (db *DB) CallByID(ctx context.Context, id int64) (*ringdesk.Call, error) {
	c, err := scanCall(db.r.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Call")
	}
	return c, wrap("call by id", err)
}

// CallBySession returns the call of a UIS session on a channel.
func (db *DB) CallBySession(ctx context.Context, channelID, session int64) (*ringdesk.Call, error) {
	c, err := scanCall(db.r.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE channel_id = $1 AND call_session_id = $2`, channelID, session))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Call")
	}
	return c, wrap("call by session", err)
}

// CallFilter is ringdesk.CallFilter.
type CallFilter = ringdesk.CallFilter

// ListCalls returns calls newest first, one page, with the cursor of the
// next page ("" at the end). Keyset paging on (started_at, id) keeps every
// page as fast as the first.
func (db *DB) ListCalls(ctx context.Context, f CallFilter) ([]*ringdesk.Call, string, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		n := "$" + strconv.Itoa(len(args))
		where = append(where, strings.ReplaceAll(cond, "?", n))
	}
	if f.ClientID != 0 {
		add("client_id = ?", f.ClientID)
	}
	if f.TicketID != 0 {
		add("ticket_id = ?", f.TicketID)
	}
	if f.ChannelID != 0 {
		add("channel_id = ?", f.ChannelID)
	}
	if f.AgentID != 0 {
		add("agent_id = ?", f.AgentID)
	}
	if f.Direction != "" {
		add("direction = ?", f.Direction)
	}
	// Missed means a lost incoming call (what marks a ticket missed); an
	// unanswered outgoing call is busy or no_answer instead.
	// Written with literals, not parameters, so that PostgreSQL's cached
	// plans can use the partial indexes (calls_missed_idx, calls_busy_idx).
	const missed = "(is_lost = TRUE AND direction = 'in')"
	if f.Missed != nil {
		if *f.Missed {
			where = append(where, missed)
		} else {
			where = append(where, "NOT "+missed)
		}
	}
	switch {
	case f.Phone != "":
		add("contact_phone = ?", f.Phone)
	case !f.PhonePart.IsZero():
		if !f.PhonePart.Valid() {
			return nil, "", partError("phone")
		}
		// The matching numbers first (call_numbers, indexed), then their
		// calls through calls_phone_idx: no index answers a substring of
		// contact_phone in the calls themselves.
		numbers, ok, err := db.callNumbers(ctx, f.PhonePart)
		if err != nil {
			return nil, "", wrap("list calls", err)
		}
		if !ok {
			const msg = "Too many numbers contain these digits; type more of the number."
			return nil, "", &ringdesk.Error{Code: ringdesk.EINVALID, Message: msg, Fields: map[string]string{"phone": msg}}
		}
		switch len(numbers) {
		case 0:
			return nil, "", nil
		case 1:
			// The page straight from calls_phone_idx in order, however
			// many calls the number has.
			add("contact_phone = ?", numbers[0])
		default:
			// Each number's calls from calls_phone_idx, then sorted: the
			// cost grows with the calls of the matching numbers.
			where = append(where, "contact_phone IN ("+db.stringList(numbers, func(v any) string {
				args = append(args, v)
				return "$" + strconv.Itoa(len(args))
			})+")")
		}
	}
	switch f.Outcome {
	case "answered":
		add("state = 'finished' AND answered_at IS NOT NULL AND is_lost = ?", false)
	case "missed":
		where = append(where, missed)
	case "busy":
		where = append(where, "state = 'finished' AND finish_reason = 'subscriber_busy' AND answered_at IS NULL AND NOT "+missed)
	case "no_answer":
		where = append(where, "state = 'finished' AND answered_at IS NULL AND finish_reason <> 'subscriber_busy' AND NOT "+missed)
	}
	if !f.From.IsZero() {
		add("started_at >= ?", micros(f.From))
	}
	if !f.To.IsZero() {
		add("started_at < ?", micros(f.To))
	}
	if f.Cursor != "" {
		at, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		args = append(args, at, id)
		n := len(args)
		// A row-value comparison: both databases turn it into one index
		// range, where the equivalent OR makes PostgreSQL filter the rows.
		where = append(where, "(started_at, id) < ($"+strconv.Itoa(n-1)+", $"+strconv.Itoa(n)+")")
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	q := `SELECT ` + callColumns + ` FROM calls`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY started_at DESC, id DESC LIMIT " + strconv.Itoa(limit+1)
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, "", wrap("list calls", err)
	}
	defer rows.Close()
	var out []*ringdesk.Call
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, "", wrap("list calls", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, "", wrap("list calls", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = encodeCursor(micros(last.StartedAt), last.ID)
	}
	return out, next, nil
}

// encodeCursor and decodeCursor make an opaque keyset cursor "micros.id".
func encodeCursor(at, id int64) string {
	return strconv.FormatInt(at, 36) + "." + strconv.FormatInt(id, 36)
}

func decodeCursor(c string) (int64, int64, error) {
	a, b, ok := strings.Cut(c, ".")
	at, err1 := strconv.ParseInt(a, 36, 64)
	id, err2 := strconv.ParseInt(b, 36, 64)
	if !ok || err1 != nil || err2 != nil {
		return 0, 0, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "The page cursor is not valid.", Fields: map[string]string{"cursor": "The page cursor is not valid."}}
	}
	return at, id, nil
}

// CallEvents returns the raw events of a call in arrival order, for admins.
func (db *DB) CallEvents(ctx context.Context, callID int64) ([]StoredEvent, []time.Time, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT kind, dedupe_key, raw, received_at FROM call_events WHERE call_id = $1 ORDER BY id`, callID)
	if err != nil {
		return nil, nil, wrap("call events", err)
	}
	defer rows.Close()
	var evs []StoredEvent
	var times []time.Time
	for rows.Next() {
		var e StoredEvent
		var raw string
		var at int64
		if err := rows.Scan(&e.Kind, &e.Key, &raw, &at); err != nil {
			return nil, nil, wrap("call events", err)
		}
		e.Raw = []byte(raw)
		evs = append(evs, e)
		times = append(times, fromMicros(at))
	}
	return evs, times, wrap("call events", rows.Err())
}

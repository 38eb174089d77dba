package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// ListChannelSummaries returns every channel by name with its live token
// count and when it last received a webhook.
func (db *DB) ListChannelSummaries(ctx context.Context) ([]*ringdesk.ChannelSummary, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+channelColumns+`,
		(SELECT COUNT(*) FROM channel_tokens t WHERE t.channel_id = channels.id AND t.revoked_at IS NULL),
		(SELECT MAX(t.last_used_at) FROM channel_tokens t WHERE t.channel_id = channels.id)
		FROM channels ORDER BY name, id`)
	if err != nil {
		return nil, wrap("list channel summaries", err)
	}
	defer rows.Close()
	var out []*ringdesk.ChannelSummary
	for rows.Next() {
		var sum ringdesk.ChannelSummary
		var last sql.NullInt64
		sum.Channel, err = scanChannel(scanFunc(func(dest ...any) error {
			return rows.Scan(append(dest, &sum.ActiveTokens, &last)...)
		}))
		if err != nil {
			return nil, wrap("list channel summaries", err)
		}
		sum.LastEventAt = fromNullMicros(last)
		out = append(out, &sum)
	}
	return out, wrap("list channel summaries", rows.Err())
}

// scanFunc adapts a function to rowScanner, to scan extra columns after a
// shared column list.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// TouchChannelToken records that a live token was just used.
func (db *DB) TouchChannelToken(ctx context.Context, hash string, now time.Time) error {
	return wrap("touch channel token", db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE channel_tokens SET last_used_at = $1 WHERE token_hash = $2`, micros(now), hash)
		return err
	}))
}

const deadLetterColumns = `id, channel_id, kind, raw, error, received_at, replayed_at, replay_error`

func scanDeadLetter(s rowScanner) (*ringdesk.DeadLetter, error) {
	var d ringdesk.DeadLetter
	var received int64
	var replayed sql.NullInt64
	if err := s.Scan(&d.ID, &d.ChannelID, &d.Kind, &d.Raw, &d.Error, &received, &replayed, &d.ReplayError); err != nil {
		return nil, err
	}
	d.ReceivedAt, d.ReplayedAt = fromMicros(received), fromNullMicros(replayed)
	return &d, nil
}

// ListDeadLetters returns one page of dead letters, newest first, and the
// cursor of the next page ("" on the last). cursor is "" for the first
// page; limit is 1 to 200 (50 otherwise).
func (db *DB) ListDeadLetters(ctx context.Context, cursor string, limit int) ([]*ringdesk.DeadLetter, string, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	q := `SELECT ` + deadLetterColumns + ` FROM webhook_dead_letters`
	args := []any{limit + 1}
	if cursor != "" {
		at, id, err := decodeCursor(cursor)
		if err != nil {
			return nil, "", err
		}
		// A row-value comparison, one index range on both databases.
		q += ` WHERE (received_at, id) < ($2, $3)`
		args = append(args, at, id)
	}
	rows, err := db.r.QueryContext(ctx, q+` ORDER BY received_at DESC, id DESC LIMIT $1`, args...)
	if err != nil {
		return nil, "", wrap("list dead letters", err)
	}
	defer rows.Close()
	var out []*ringdesk.DeadLetter
	for rows.Next() {
		d, err := scanDeadLetter(rows)
		if err != nil {
			return nil, "", wrap("list dead letters", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, "", wrap("list dead letters", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = encodeCursor(micros(last.ReceivedAt), last.ID)
	}
	return out, next, nil
}

// DeadLetterByID returns one dead letter.
func (db *DB) DeadLetterByID(ctx context.Context, id int64) (*ringdesk.DeadLetter, error) {
	d, err := scanDeadLetter(db.r.QueryRowContext(ctx, `SELECT `+deadLetterColumns+` FROM webhook_dead_letters WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Dead letter")
	}
	return d, wrap("dead letter by id", err)
}

// SetDeadLetterReplay records a replay's outcome: replayed (and the error
// cleared) when reason is empty, else the reason it still fails.
func (db *DB) SetDeadLetterReplay(ctx context.Context, id int64, reason string, now time.Time) error {
	return wrap("set dead letter replay", db.tx(ctx, func(tx *sql.Tx) error {
		var res sql.Result
		var err error
		if reason == "" {
			res, err = tx.ExecContext(ctx, `UPDATE webhook_dead_letters SET replayed_at = $1, replay_error = '' WHERE id = $2`, micros(now), id)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE webhook_dead_letters SET replay_error = $1 WHERE id = $2`, reason, id)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Dead letter")
		}
		return nil
	}))
}

// UnlinkedEmployees returns the UIS employees seen in calls that no agent
// has as Operator ID, most recently seen first.
func (db *DB) UnlinkedEmployees(ctx context.Context) ([]*ringdesk.UISEmployee, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT e.channel_id, e.employee_id, e.full_name, e.last_seen_at FROM uis_employees e
		WHERE NOT EXISTS (SELECT 1 FROM agents a WHERE a.operator_id = e.employee_id)
		ORDER BY e.last_seen_at DESC, e.employee_id LIMIT 500`)
	if err != nil {
		return nil, wrap("unlinked employees", err)
	}
	defer rows.Close()
	var out []*ringdesk.UISEmployee
	for rows.Next() {
		var e ringdesk.UISEmployee
		var seen int64
		if err := rows.Scan(&e.ChannelID, &e.EmployeeID, &e.FullName, &seen); err != nil {
			return nil, wrap("unlinked employees", err)
		}
		e.LastSeenAt = fromMicros(seen)
		out = append(out, &e)
	}
	return out, wrap("unlinked employees", rows.Err())
}

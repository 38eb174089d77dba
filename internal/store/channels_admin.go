package store

import (
	"context"
	"database/sql"
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

// ChannelEmployees returns the UIS employees seen in the channel's calls,
// by employee id (at most 5000: an account's staff, not its calls).
func (db *DB) ChannelEmployees(ctx context.Context, channelID int64) ([]*ringdesk.UISEmployee, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT channel_id, employee_id, full_name, last_seen_at FROM uis_employees
		WHERE channel_id = $1 ORDER BY employee_id LIMIT 5000`, channelID)
	if err != nil {
		return nil, wrap("channel employees", err)
	}
	defer rows.Close()
	var out []*ringdesk.UISEmployee
	for rows.Next() {
		var e ringdesk.UISEmployee
		var seen int64
		if err := rows.Scan(&e.ChannelID, &e.EmployeeID, &e.FullName, &seen); err != nil {
			return nil, wrap("channel employees", err)
		}
		e.LastSeenAt = fromMicros(seen)
		out = append(out, &e)
	}
	return out, wrap("channel employees", rows.Err())
}

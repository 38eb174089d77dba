package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// ClaimCallBack records that agentID is calling the missed ticket's client
// back, unless another agent's claim younger than cutoff holds it. When it
// did not claim, it returns the ticket's claim as it stands (nil when the
// ticket is not missed): ringdesk.CallBackClaim.Holds says whether it stops
// the agent.
func (db *DB) ClaimCallBack(ctx context.Context, ticketID, agentID int64, now, cutoff time.Time) (*ringdesk.CallBackClaim, error) {
	res, err := db.w.ExecContext(ctx, `UPDATE tickets SET callback_agent_id = $1, callback_at = $2
		WHERE id = $3 AND missed = TRUE AND (callback_agent_id IS NULL OR callback_agent_id = $1 OR callback_at < $4)`,
		agentID, micros(now), ticketID, micros(cutoff))
	if err != nil {
		return nil, wrap("claim call back", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return nil, wrap("claim call back", err)
	}
	// Not missed (any more), or the claim lapsed meanwhile: the caller
	// asks the claim whether it holds.
	return db.CallBackClaim(ctx, ticketID)
}

// CallBackClaim returns the last call-back claim of a missed ticket (nil
// when it has none or is not missed).
func (db *DB) CallBackClaim(ctx context.Context, ticketID int64) (*ringdesk.CallBackClaim, error) {
	var c ringdesk.CallBackClaim
	var at int64
	err := db.r.QueryRowContext(ctx, `SELECT t.callback_agent_id, a.name, t.callback_at FROM tickets t
		JOIN agents a ON a.id = t.callback_agent_id WHERE t.id = $1 AND t.missed = TRUE`, ticketID).Scan(&c.AgentID, &c.AgentName, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("call back claim", err)
	}
	c.At = fromMicros(at)
	return &c, nil
}

// MarkMissedHandled ends a missed ticket's wait without a call back: the
// mark and any claim go, and the timeline keeps the agent's reason. It
// reports false when the ticket was not missed.
func (db *DB) MarkMissedHandled(ctx context.Context, ticketID, agentID int64, reason string, now time.Time) (bool, error) {
	done := false
	err := db.tx(ctx, func(sqlTx *sql.Tx) error {
		tx := db.cached(sqlTx)
		res, err := tx.exec(ctx, `UPDATE tickets SET missed = FALSE, missed_since = NULL, callback_agent_id = NULL, callback_at = NULL,
			updated_at = $1 WHERE id = $2 AND missed = TRUE`, micros(now), ticketID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		done = true
		return addEventTx(ctx, tx, ticketID, ringdesk.EventMissedHandled, ringdesk.AuthorAgent, &agentID, reason, "{}", now)
	})
	return done, wrap("mark missed handled", err)
}

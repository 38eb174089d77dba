package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// ReconcileState returns how far a channel's calls report has been read
// and how the last run went; ENOTFOUND before the first run.
func (db *DB) ReconcileState(ctx context.Context, channelID int64) (*ringdesk.ReconcileState, error) {
	var s ringdesk.ReconcileState
	var synced sql.NullInt64
	var ran int64
	err := db.r.QueryRowContext(ctx, `SELECT channel_id, synced_until, last_run_at, last_status, last_error,
		checked, recovered, finished, skipped, failures, uis_timezone FROM channel_reconcile WHERE channel_id = $1`, channelID).
		Scan(&s.ChannelID, &synced, &ran, &s.Status, &s.Error, &s.Checked, &s.Recovered, &s.Finished, &s.Skipped, &s.Failures, &s.UISTimezone)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Reconciliation")
	} else if err != nil {
		return nil, wrap("reconcile state", err)
	}
	if synced.Valid {
		s.SyncedUntil = fromMicros(synced.Int64)
	}
	s.LastRunAt = fromMicros(ran)
	return &s, nil
}

// SaveReconcileRun records a successful run: the report is read up to
// syncedUntil and the failure count starts over.
func (db *DB) SaveReconcileRun(ctx context.Context, s ringdesk.ReconcileState) error {
	return wrap("save reconcile run", db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO channel_reconcile (channel_id, synced_until, last_run_at, last_status,
			last_error, checked, recovered, finished, skipped, failures, uis_timezone) VALUES ($1, $2, $3, 'ok', '', $4, $5, $6, $7, 0, $8)
			ON CONFLICT (channel_id) DO UPDATE SET synced_until = excluded.synced_until, last_run_at = excluded.last_run_at,
			last_status = 'ok', last_error = '', checked = excluded.checked, recovered = excluded.recovered,
			finished = excluded.finished, skipped = excluded.skipped, failures = 0, uis_timezone = excluded.uis_timezone`,
			s.ChannelID, micros(s.SyncedUntil), micros(s.LastRunAt), s.Checked, s.Recovered, s.Finished, s.Skipped, s.UISTimezone)
		return err
	}))
}

// SaveReconcileFailure records a failed run without moving how far the
// report was read, so the next run covers the same window. uisTimezone is
// the account's zone if the run learnt it ("" keeps the last one known).
func (db *DB) SaveReconcileFailure(ctx context.Context, channelID int64, reason, uisTimezone string, now time.Time) error {
	return wrap("save reconcile failure", db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO channel_reconcile (channel_id, last_run_at, last_status, last_error, failures, uis_timezone)
			VALUES ($1, $2, 'error', $3, 1, $4) ON CONFLICT (channel_id) DO UPDATE SET last_run_at = excluded.last_run_at,
			last_status = 'error', last_error = excluded.last_error, failures = channel_reconcile.failures + 1,
			uis_timezone = CASE WHEN excluded.uis_timezone = '' THEN channel_reconcile.uis_timezone ELSE excluded.uis_timezone END`,
			channelID, micros(now), reason, uisTimezone)
		return err
	}))
}

// CallStage returns the highest event stage applied to a call (3: finished)
// and whether Ringdesk has the call at all.
func (db *DB) CallStage(ctx context.Context, channelID, callSessionID int64) (int, bool, error) {
	var stage int
	err := db.r.QueryRowContext(ctx, `SELECT stage FROM calls WHERE channel_id = $1 AND call_session_id = $2`,
		channelID, callSessionID).Scan(&stage)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, wrap("call stage", err)
	}
	return stage, true, nil
}

// OldestUnfinishedCall returns the start of the channel's oldest call that
// started at or after since and has not finished, if there is one.
func (db *DB) OldestUnfinishedCall(ctx context.Context, channelID int64, since time.Time) (time.Time, bool, error) {
	var oldest sql.NullInt64
	err := db.r.QueryRowContext(ctx, `SELECT MIN(started_at) FROM calls WHERE channel_id = $1 AND started_at >= $2
		AND state <> 'finished'`, channelID, micros(since)).Scan(&oldest)
	if err != nil {
		return time.Time{}, false, wrap("oldest unfinished call", err)
	}
	if !oldest.Valid {
		return time.Time{}, false, nil
	}
	return fromMicros(oldest.Int64), true, nil
}

// SetCallUISLostSeconds records UIS's own time to call a call back
// (lost_call_processing_duration) on the channel's call of that session,
// if Ringdesk has it and the value differs; it reports whether it wrote.
// The column is no rollup's (calls_uis_lost_idx serves the report), so
// the rollups stay as they are.
func (db *DB) SetCallUISLostSeconds(ctx context.Context, channelID, callSessionID, seconds int64) (bool, error) {
	if seconds < 0 {
		return false, ringdesk.Errorf(ringdesk.EINVALID, "UIS's time to call back cannot be negative.")
	}
	// Most rows repeat what the call holds: read first, on the read pool,
	// so they cost no write transaction.
	var have sql.NullInt64
	err := db.r.QueryRowContext(ctx, `SELECT uis_lost_seconds FROM calls WHERE channel_id = $1 AND call_session_id = $2`,
		channelID, callSessionID).Scan(&have)
	if errors.Is(err, sql.ErrNoRows) || err == nil && have.Valid && have.Int64 == seconds {
		return false, nil
	} else if err != nil {
		return false, wrap("set call uis lost seconds", err)
	}
	var n int64
	err = db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE calls SET uis_lost_seconds = $3 WHERE channel_id = $1 AND call_session_id = $2
			AND (uis_lost_seconds IS NULL OR uis_lost_seconds <> $3)`, channelID, callSessionID, seconds)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n > 0, wrap("set call uis lost seconds", err)
}

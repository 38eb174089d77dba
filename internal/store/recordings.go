package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// ArchiveItem is a recording waiting to be copied into the data dir.
type ArchiveItem struct {
	CallID    int64
	ChannelID int64
	N         int
	URL       string
	Attempts  int
	// FinishedAt is when the call ended (when the recording was queued, if
	// the call has no end time).
	FinishedAt time.Time
}

// EnqueueRecordings queues the recordings of finished calls of the given
// channels updated at or after since (microseconds), at most limit calls,
// oldest update first. It returns the largest updated_at seen, so the next
// pass continues there, and how many recordings it queued. Queuing a
// recording twice does nothing.
func (db *DB) EnqueueRecordings(ctx context.Context, channelIDs []int64, since int64, limit int, now time.Time) (int64, int, error) {
	if len(channelIDs) == 0 {
		return since, 0, nil
	}
	args := []any{since}
	ph := make([]string, len(channelIDs))
	for i, id := range channelIDs {
		args = append(args, id)
		ph[i] = "$" + strconv.Itoa(len(args))
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, recordings, updated_at FROM calls WHERE updated_at >= $1 AND channel_id IN (`+
		strings.Join(ph, ", ")+`) AND state = 'finished' ORDER BY updated_at LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return since, 0, wrap("enqueue recordings", err)
	}
	type found struct {
		id   int64
		urls []string
	}
	var calls []found
	last := since
	for rows.Next() {
		var f found
		var raw string
		var at int64
		if err := rows.Scan(&f.id, &raw, &at); err != nil {
			rows.Close()
			return since, 0, wrap("enqueue recordings", err)
		}
		last = max(last, at)
		if json.Unmarshal([]byte(raw), &f.urls) == nil && len(f.urls) > 0 {
			calls = append(calls, f)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return since, 0, wrap("enqueue recordings", err)
	}
	n := 0
	err = db.tx(ctx, func(tx *sql.Tx) error {
		for _, c := range calls {
			for i, u := range c.urls {
				res, err := tx.ExecContext(ctx, `INSERT INTO call_recordings (call_id, n, url, state, next_attempt_at, created_at, updated_at)
					VALUES ($1, $2, $3, 'pending', $4, $4, $4) ON CONFLICT (call_id, n) DO NOTHING`, c.id, i+1, u, micros(now))
				if err != nil {
					return err
				}
				k, _ := res.RowsAffected()
				n += int(k)
			}
		}
		return nil
	})
	if err != nil {
		return since, 0, wrap("enqueue recordings", err)
	}
	// With a full page, continue at the last timestamp (>=, so calls sharing
	// it are read again rather than skipped); otherwise just after it.
	if len(calls) < limit && last > since {
		last++
	}
	return last, n, nil
}

// DueRecordings returns pending recordings whose next attempt is due.
func (db *DB) DueRecordings(ctx context.Context, now time.Time, limit int) ([]ArchiveItem, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT r.call_id, c.channel_id, r.n, r.url, r.attempts, COALESCE(c.finished_at, r.created_at)
		FROM call_recordings r JOIN calls c ON c.id = r.call_id WHERE r.state = 'pending' AND r.next_attempt_at <= $1
		ORDER BY r.next_attempt_at LIMIT `+strconv.Itoa(limit), micros(now))
	if err != nil {
		return nil, wrap("due recordings", err)
	}
	defer rows.Close()
	var out []ArchiveItem
	for rows.Next() {
		var it ArchiveItem
		var finished int64
		if err := rows.Scan(&it.CallID, &it.ChannelID, &it.N, &it.URL, &it.Attempts, &finished); err != nil {
			return nil, wrap("due recordings", err)
		}
		it.FinishedAt = fromMicros(finished)
		out = append(out, it)
	}
	return out, wrap("due recordings", rows.Err())
}

// RecordingArchived marks a recording copied to path (absolute).
func (db *DB) RecordingArchived(ctx context.Context, callID int64, n int, path, contentType string, size int64, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE call_recordings SET state = 'done', path = $1, content_type = $2, size = $3,
			attempts = attempts + 1, error = '', updated_at = $4 WHERE call_id = $5 AND n = $6`, path, contentType, size, micros(now), callID, n)
		return wrap("recording archived", err)
	})
}

// RecordingAttemptFailed records a failed download: retried at next, or
// given up (state failed) when next is zero.
func (db *DB) RecordingAttemptFailed(ctx context.Context, callID int64, n int, reason string, next time.Time, now time.Time) error {
	state, at := "pending", micros(next)
	if next.IsZero() {
		state, at = "failed", micros(now)
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE call_recordings SET state = $1, next_attempt_at = $2, attempts = attempts + 1, error = $3,
			updated_at = $4 WHERE call_id = $5 AND n = $6`, state, at, reason, micros(now), callID, n)
		return wrap("recording attempt failed", err)
	})
}

// ArchivedRecording returns the local copy of a recording, if there is one.
func (db *DB) ArchivedRecording(ctx context.Context, callID int64, n int) (path, contentType string, ok bool, err error) {
	err = db.r.QueryRowContext(ctx, `SELECT path, content_type FROM call_recordings WHERE call_id = $1 AND n = $2 AND state = 'done'`,
		callID, n).Scan(&path, &contentType)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, wrap("archived recording", err)
	}
	return path, contentType, true, nil
}

// RecordingArchiveState returns the archive state of a recording ("" when
// it is not queued), for tests and admins.
func (db *DB) RecordingArchiveState(ctx context.Context, callID int64, n int) (state string, attempts int, err error) {
	err = db.r.QueryRowContext(ctx, `SELECT state, attempts FROM call_recordings WHERE call_id = $1 AND n = $2`, callID, n).Scan(&state, &attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil
	}
	return state, attempts, wrap("recording archive state", err)
}

// RecordingsDueNow makes a call's pending archive downloads due at now, so
// the archiver's next pass tries them at once (e.g. when UIS says a
// recording is ready) instead of waiting out their backoff.
func (db *DB) RecordingsDueNow(ctx context.Context, callID int64, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE call_recordings SET next_attempt_at = $1, updated_at = $1
			WHERE call_id = $2 AND state = 'pending' AND next_attempt_at > $1`, micros(now), callID)
		return wrap("recordings due now", err)
	})
}

// RecordingArchiveReason returns why the last download of a recording
// failed ("" when it did not, or it is not queued), for tests and admins.
func (db *DB) RecordingArchiveReason(ctx context.Context, callID int64, n int) (string, error) {
	var reason string
	err := db.r.QueryRowContext(ctx, `SELECT error FROM call_recordings WHERE call_id = $1 AND n = $2`, callID, n).Scan(&reason)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return reason, wrap("recording archive reason", err)
}

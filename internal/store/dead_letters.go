package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// bodySum is the key of a dead letter's body: hex SHA-256 of its bytes.
func bodySum(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// AddDeadLetter keeps a webhook that had a valid token but could not be
// understood. The body is stored as bytes, exactly as received, on both
// databases. The same body on the same channel and kind is kept once: a
// repeat (UIS retrying) counts one more arrival, moves its last-received
// time and takes the newest reason.
func (db *DB) AddDeadLetter(ctx context.Context, channelID int64, kind string, raw []byte, reason ringdesk.DeadLetterReason, now time.Time) error {
	if raw == nil {
		raw = []byte{} // NOT NULL: an empty body is still a body
	}
	return wrap("add dead letter", db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO webhook_dead_letters
			(channel_id, kind, raw, body_sha256, error, problem, problem_field, received_at, last_received_at, received_count)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1)
			ON CONFLICT (channel_id, kind, body_sha256) DO UPDATE SET
				received_count = webhook_dead_letters.received_count + 1,
				last_received_at = CASE WHEN excluded.last_received_at > webhook_dead_letters.last_received_at
					THEN excluded.last_received_at ELSE webhook_dead_letters.last_received_at END,
				error = excluded.error, problem = excluded.problem, problem_field = excluded.problem_field`,
			channelID, kind, raw, bodySum(raw), reason.Text, reason.Problem, reason.Field, micros(now))
		return err
	}))
}

const deadLetterColumns = `id, channel_id, kind, raw, error, problem, problem_field, received_at, last_received_at, received_count,
	replayed_at, replay_error, replay_problem, replay_problem_field`

func scanDeadLetter(s rowScanner) (*ringdesk.DeadLetter, error) {
	var d ringdesk.DeadLetter
	var received, last int64
	var replayed sql.NullInt64
	if err := s.Scan(&d.ID, &d.ChannelID, &d.Kind, &d.Raw, &d.Error, &d.Problem, &d.Field, &received, &last, &d.Count,
		&replayed, &d.ReplayError, &d.ReplayProblem, &d.ReplayField); err != nil {
		return nil, err
	}
	d.ReceivedAt, d.LastReceivedAt, d.ReplayedAt = fromMicros(received), fromMicros(last), fromNullMicros(replayed)
	return &d, nil
}

// ListDeadLetters returns one page of dead letters, most recently received
// first, and the cursor of the next page ("" on the last). cursor is "" for
// the first page; limit is 1 to 200 (50 otherwise).
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
		q += ` WHERE (last_received_at, id) < ($2, $3)`
		args = append(args, at, id)
	}
	rows, err := db.r.QueryContext(ctx, q+` ORDER BY last_received_at DESC, id DESC LIMIT $1`, args...)
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
		next = encodeCursor(micros(last.LastReceivedAt), last.ID)
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
// cleared) when failure is nil, else the reason it still fails.
func (db *DB) SetDeadLetterReplay(ctx context.Context, id int64, failure *ringdesk.DeadLetterReason, now time.Time) error {
	return wrap("set dead letter replay", db.tx(ctx, func(tx *sql.Tx) error {
		var res sql.Result
		var err error
		if failure == nil {
			res, err = tx.ExecContext(ctx, `UPDATE webhook_dead_letters SET replayed_at = $1, replay_error = '',
				replay_problem = '', replay_problem_field = '' WHERE id = $2`, micros(now), id)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE webhook_dead_letters SET replay_error = $1, replay_problem = $2,
				replay_problem_field = $3 WHERE id = $4`, failure.Text, failure.Problem, failure.Field, id)
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

// legacyDeadLetterPrefix marks the body_sha256 of dead letters kept before
// migration 0013, which SQL alone could not hash on SQLite.
const legacyDeadLetterPrefix = "legacy-"

// backfillDeadLetterSums replaces the placeholder body_sha256 of dead
// letters kept before migration 0013 with the hash of their body, merging
// copies of one body into the oldest row (counts added, last-received time
// the latest). It runs at start and does nothing once every row has a hash.
func (db *DB) backfillDeadLetterSums(ctx context.Context) error {
	type row struct {
		id, channelID, received, last, count int64
		kind                                 string
		raw                                  []byte
	}
	var todo []row
	rows, err := db.w.QueryContext(ctx, `SELECT id, channel_id, kind, raw, received_at, last_received_at, received_count
		FROM webhook_dead_letters WHERE body_sha256 LIKE $1 ORDER BY id`, legacyDeadLetterPrefix+"%")
	if err != nil {
		return wrap("backfill dead letters", err)
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.channelID, &r.kind, &r.raw, &r.received, &r.last, &r.count); err != nil {
			rows.Close()
			return wrap("backfill dead letters", err)
		}
		todo = append(todo, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(todo) == 0 {
		return wrap("backfill dead letters", err)
	}
	merged := 0
	err = db.tx(ctx, func(tx *sql.Tx) error {
		for _, r := range todo {
			sum := bodySum(r.raw)
			var keep int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM webhook_dead_letters WHERE channel_id = $1 AND kind = $2 AND body_sha256 = $3`,
				r.channelID, r.kind, sum).Scan(&keep)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				_, err = tx.ExecContext(ctx, `UPDATE webhook_dead_letters SET body_sha256 = $1 WHERE id = $2`, sum, r.id)
			case err == nil:
				merged++
				_, err = tx.ExecContext(ctx, `UPDATE webhook_dead_letters SET received_count = received_count + $1,
					last_received_at = CASE WHEN last_received_at > $2 THEN last_received_at ELSE $2 END,
					received_at = CASE WHEN received_at < $3 THEN received_at ELSE $3 END WHERE id = $4`,
					r.count, r.last, r.received, keep)
				if err == nil {
					_, err = tx.ExecContext(ctx, `DELETE FROM webhook_dead_letters WHERE id = $1`, r.id)
				}
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return wrap("backfill dead letters", err)
	}
	db.log.Info("hashed dead letters kept before migration 0013", "rows", len(todo), "merged", merged)
	return nil
}

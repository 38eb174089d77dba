package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// OutboxCreate is a reply to send by email, queued with its timeline entry.
type OutboxCreate struct {
	ChannelID int64
	To        []string
	FromName  string
	Subject   string
	InReplyTo string
	Refs      []string
}

func enqueueOutboxTx(ctx context.Context, tx cachedTx, ticketID, eventID int64, o *OutboxCreate, now time.Time) error {
	to, err := json.Marshal(o.To)
	if err != nil {
		return err
	}
	refs, err := json.Marshal(append([]string{}, o.Refs...))
	if err != nil {
		return err
	}
	var body string
	if err := tx.queryRow(ctx, `SELECT body FROM ticket_events WHERE id = $1`, eventID).Scan(&body); err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO email_outbox (channel_id, ticket_id, event_id, to_addrs, from_name, subject, body, in_reply_to, refs,
		next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10)`,
		o.ChannelID, ticketID, eventID, string(to), o.FromName, o.Subject, body, o.InReplyTo, string(refs), micros(now))
	return err
}

// OutboxItem is a claimed reply to send.
type OutboxItem struct {
	ID        int64
	ChannelID int64
	TicketID  int64
	EventID   int64
	To        []string
	FromName  string
	Subject   string
	Body      string
	InReplyTo string
	Refs      []string
	MessageID string
	Raw       []byte
	Attempts  int
	CreatedAt time.Time
}

const outboxItemColumns = `id, channel_id, ticket_id, event_id, to_addrs, from_name, subject, body, in_reply_to, refs, message_id, raw, attempts, created_at`

func scanOutbox(s rowScanner) (*OutboxItem, error) {
	var o OutboxItem
	var to, refs string
	var created int64
	if err := s.Scan(&o.ID, &o.ChannelID, &o.TicketID, &o.EventID, &to, &o.FromName, &o.Subject, &o.Body, &o.InReplyTo, &refs,
		&o.MessageID, &o.Raw, &o.Attempts, &created); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(to), &o.To); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(refs), &o.Refs); err != nil {
		return nil, err
	}
	o.CreatedAt = fromMicros(created)
	return &o, nil
}

// ClaimOutbox claims up to limit queued replies that are due and not
// claimed by a live claim, for owner until until. Each row goes to one
// claimer: on PostgreSQL the rows are locked with FOR UPDATE SKIP LOCKED
// and the claim condition is checked again in the UPDATE; SQLite has one
// writer.
func (db *DB) ClaimOutbox(ctx context.Context, owner string, limit int, until, now time.Time) ([]*OutboxItem, error) {
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []*OutboxItem
	err := db.tx(ctx, func(sqlTx *sql.Tx) error {
		tx := db.cached(sqlTx)
		rows, err := tx.query(ctx, `SELECT id FROM email_outbox WHERE status = 'queued' AND next_attempt_at <= $1
			AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY next_attempt_at, id LIMIT $2`+lock, micros(now), limit)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			o, err := scanOutbox(tx.queryRow(ctx, `UPDATE email_outbox SET claimed_until = $1, claimed_by = $2, updated_at = $3
				WHERE id = $4 AND status = 'queued' AND (claimed_until IS NULL OR claimed_until < $3) RETURNING `+outboxItemColumns,
				micros(until), owner, micros(now), id))
			if errors.Is(err, sql.ErrNoRows) {
				continue
			} else if err != nil {
				return err
			}
			out = append(out, o)
		}
		return nil
	})
	return out, wrap("claim outbox", err)
}

// RecordOutboxMessage records the composed message and its Message-ID
// before it is first sent (and the Message-ID for threading the client's
// answer), while owner still holds the claim; it also marks the first
// attempt begun (see MarkOutboxSending).
func (db *DB) RecordOutboxMessage(ctx context.Context, id int64, owner, messageID string, raw []byte, now time.Time) error {
	err := db.tx(ctx, func(sqlTx *sql.Tx) error {
		tx := db.cached(sqlTx)
		var ticketID, eventID int64
		err := tx.queryRow(ctx, `UPDATE email_outbox SET message_id = $1, raw = $2, updated_at = $3, sending_at = $3
			WHERE id = $4 AND claimed_by = $5 AND status = 'queued' RETURNING ticket_id, event_id`, messageID, raw, micros(now), id, owner).Scan(&ticketID, &eventID)
		if errors.Is(err, sql.ErrNoRows) {
			return ringdesk.Errorf(ringdesk.ECONFLICT, "The reply was claimed by another sender.")
		} else if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO email_message_ids (message_id, ticket_id, event_id, outgoing) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, messageID, ticketID, eventID, true)
		return err
	})
	return wrap("record outbox message", err)
}

// MarkOutboxSending records, while owner still holds the claim, that an
// attempt to send a row whose message is recorded begins now. Committed
// before the SMTP session: a process that dies before the attempt's
// outcome is stored leaves it set, and ReleaseInstance reports the row as
// possibly sent.
func (db *DB) MarkOutboxSending(ctx context.Context, id int64, owner string, now time.Time) error {
	res, err := db.w.ExecContext(ctx, `UPDATE email_outbox SET sending_at = $1, updated_at = $1
		WHERE id = $2 AND claimed_by = $3 AND claimed_until IS NOT NULL AND status = 'queued'`, micros(now), id, owner)
	if err != nil {
		return wrap("mark outbox sending", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return wrap("mark outbox sending", err)
	} else if n == 0 {
		return ringdesk.Errorf(ringdesk.ECONFLICT, "The reply was claimed by another sender.")
	}
	return nil
}

// MarkOutboxSent records that the server accepted the reply.
func (db *DB) MarkOutboxSent(ctx context.Context, id int64, now time.Time) error {
	_, err := db.w.ExecContext(ctx, `UPDATE email_outbox SET status = 'sent', sent_at = $1, updated_at = $1, attempts = attempts + 1,
		claimed_until = NULL, sending_at = NULL, last_error = '' WHERE id = $2 AND status = 'queued'`, micros(now), id)
	return wrap("mark outbox sent", err)
}

// MarkOutboxRetry records a temporary failure: the reply is tried again at next.
func (db *DB) MarkOutboxRetry(ctx context.Context, id int64, reason string, next, now time.Time) error {
	_, err := db.w.ExecContext(ctx, `UPDATE email_outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2,
		claimed_until = NULL, sending_at = NULL, updated_at = $3 WHERE id = $4 AND status = 'queued'`, trimReason(reason), micros(next), micros(now), id)
	return wrap("mark outbox retry", err)
}

// MarkOutboxFailed records that the reply will not be sent, and why.
func (db *DB) MarkOutboxFailed(ctx context.Context, id int64, reason string, now time.Time) error {
	_, err := db.w.ExecContext(ctx, `UPDATE email_outbox SET status = 'failed', attempts = attempts + 1, last_error = $1,
		claimed_until = NULL, sending_at = NULL, updated_at = $2 WHERE id = $3 AND status = 'queued'`, trimReason(reason), micros(now), id)
	return wrap("mark outbox failed", err)
}

// RetryOutbox queues a failed reply of a ticket again, now; it reports
// whether there was one to retry.
func (db *DB) RetryOutbox(ctx context.Context, ticketID, eventID int64, now time.Time) (bool, error) {
	res, err := db.w.ExecContext(ctx, `UPDATE email_outbox SET status = 'queued', next_attempt_at = $1, created_at = $1, updated_at = $1,
		claimed_until = NULL, sending_at = NULL WHERE ticket_id = $2 AND event_id = $3 AND status = 'failed'`, micros(now), ticketID, eventID)
	if err != nil {
		return false, wrap("retry outbox", err)
	}
	n, err := res.RowsAffected()
	return n > 0, wrap("retry outbox", err)
}

// TicketDeliveries returns how each emailed reply of a ticket went, by
// timeline entry id.
func (db *DB) TicketDeliveries(ctx context.Context, ticketID int64) (map[int64]*ringdesk.Delivery, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, event_id, status, last_error, to_addrs, attempts, next_attempt_at, sent_at, message_id
		FROM email_outbox WHERE ticket_id = $1`, ticketID)
	if err != nil {
		return nil, wrap("ticket deliveries", err)
	}
	defer rows.Close()
	out := map[int64]*ringdesk.Delivery{}
	for rows.Next() {
		var d ringdesk.Delivery
		var eventID, next int64
		var sent sql.NullInt64
		var to string
		if err := rows.Scan(&d.OutboxID, &eventID, &d.Status, &d.Error, &to, &d.Attempts, &next, &sent, &d.MessageID); err != nil {
			return nil, wrap("ticket deliveries", err)
		}
		if err := json.Unmarshal([]byte(to), &d.To); err != nil {
			return nil, wrap("ticket deliveries", err)
		}
		d.NextAttemptAt, d.SentAt = fromMicros(next), fromNullMicros(sent)
		out[eventID] = &d
	}
	return out, wrap("ticket deliveries", rows.Err())
}

// OutboxCounts returns how many replies are queued and failed, for the
// channels page and metrics.
func (db *DB) OutboxCounts(ctx context.Context, channelID int64) (queued, failed int64, err error) {
	err = db.r.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) FROM email_outbox WHERE channel_id = $1`, channelID).Scan(&queued, &failed)
	return queued, failed, wrap("outbox counts", err)
}

// trimReason keeps a server's reason short enough to store and show.
func trimReason(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 1000 {
		s = s[:1000]
	}
	return s
}

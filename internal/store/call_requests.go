package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

const callRequestColumns = `id, external_id, channel_id, agent_id, client_id, ticket_id, phone, status, call_session_id,
	error, created_at, updated_at`

func scanCallRequest(s rowScanner) (*ringdesk.CallRequestRecord, error) {
	var r ringdesk.CallRequestRecord
	var client, ticket, session sql.NullInt64
	var created, updated int64
	if err := s.Scan(&r.ID, &r.ExternalID, &r.ChannelID, &r.AgentID, &client, &ticket, &r.Phone, &r.Status, &session,
		&r.Error, &created, &updated); err != nil {
		return nil, err
	}
	r.ClientID, r.TicketID, r.CallSessionID = ptrInt(client), ptrInt(ticket), ptrInt(session)
	r.CreatedAt, r.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &r, nil
}

func ptrInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

// CallRequestIn is a click-to-call request to store.
type CallRequestIn struct {
	ChannelID int64
	AgentID   int64
	ClientID  int64 // 0: none
	TicketID  int64 // 0: none
	Phone     string
}

// errRecentRequest rolls back a request that lost the double-click race.
var errRecentRequest = errors.New("store: a recent request exists")

// CreateCallRequest stores a pending click-to-call request with a fresh
// external_id ("rd-<id>-<random>"). If the same agent asked for the same
// number within window, nothing is stored and the earlier request is
// returned with created false: the check and the insert are one
// transaction serialised on the (agent, phone) lock row, so concurrent
// double clicks dial once on either database.
func (db *DB) CreateCallRequest(ctx context.Context, in CallRequestIn, window time.Duration, now time.Time) (*ringdesk.CallRequestRecord, bool, error) {
	var rec *ringdesk.CallRequestRecord
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO call_requests (external_id, channel_id, agent_id, client_id, ticket_id, phone,
			status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			"tmp-"+randomHex(12), in.ChannelID, in.AgentID, nullID(in.ClientID), nullID(in.TicketID), in.Phone,
			ringdesk.CallRequestPending, micros(now)).Scan(&id)
		if err != nil {
			return err
		}
		ext := "rd-" + strconv.FormatInt(id, 10) + "-" + randomHex(6)
		if _, err := tx.ExecContext(ctx, `UPDATE call_requests SET external_id = $1 WHERE id = $2`, ext, id); err != nil {
			return err
		}
		var got int64
		err = tx.QueryRowContext(ctx, `INSERT INTO call_request_locks (agent_id, phone, request_id, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (agent_id, phone) DO UPDATE SET request_id = excluded.request_id, created_at = excluded.created_at
			WHERE call_request_locks.created_at <= $5 RETURNING request_id`,
			in.AgentID, in.Phone, id, micros(now), micros(now.Add(-window))).Scan(&got)
		if errors.Is(err, sql.ErrNoRows) {
			return errRecentRequest
		} else if err != nil {
			return err
		}
		rec, err = scanCallRequest(tx.QueryRowContext(ctx, `SELECT `+callRequestColumns+` FROM call_requests WHERE id = $1`, id))
		return err
	})
	if errors.Is(err, errRecentRequest) {
		rec, err := scanCallRequest(db.w.QueryRowContext(ctx, `SELECT `+prefixed("r.", callRequestColumns)+` FROM call_request_locks l
			JOIN call_requests r ON r.id = l.request_id WHERE l.agent_id = $1 AND l.phone = $2`, in.AgentID, in.Phone))
		return rec, false, wrap("create call request", err)
	}
	if err != nil {
		return nil, false, wrap("create call request", err)
	}
	return rec, true, nil
}

// FinishCallRequest records UIS's answer to a request: started with a
// call session, or failed with the reason.
func (db *DB) FinishCallRequest(ctx context.Context, id int64, status string, session int64, reason string, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE call_requests SET status = $1, call_session_id = COALESCE(call_session_id, $2),
			error = $3, updated_at = $4 WHERE id = $5`, status, nullID(session), reason, micros(now), id)
		if err != nil {
			return wrap("finish call request", err)
		}
		if status == ringdesk.CallRequestFailed {
			// A failed click must not block the agent's retry.
			_, err = tx.ExecContext(ctx, `DELETE FROM call_request_locks WHERE request_id = $1`, id)
		}
		return wrap("finish call request", err)
	})
}

// CallRequestByID returns one click-to-call request.
func (db *DB) CallRequestByID(ctx context.Context, id int64) (*ringdesk.CallRequestRecord, error) {
	r, err := scanCallRequest(db.r.QueryRowContext(ctx, `SELECT `+callRequestColumns+` FROM call_requests WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Call request")
	}
	return r, wrap("call request by id", err)
}

// ClientOfTicket returns the client a ticket belongs to.
func (db *DB) ClientOfTicket(ctx context.Context, ticketID int64) (int64, error) {
	var id int64
	err := db.r.QueryRowContext(ctx, `SELECT client_id FROM tickets WHERE id = $1`, ticketID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("Ticket")
	}
	return id, wrap("client of ticket", err)
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// prefixed qualifies each column of a column list with p.
func prefixed(p, cols string) string {
	out := []byte(p)
	for i := 0; i < len(cols); i++ {
		out = append(out, cols[i])
		if cols[i] == ',' {
			for i+1 < len(cols) && (cols[i+1] == ' ' || cols[i+1] == '\n' || cols[i+1] == '\t') {
				i++
				out = append(out, cols[i])
			}
			out = append(out, p...)
		}
	}
	return string(out)
}

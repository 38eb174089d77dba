package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// CallLive is ringdesk.CallLive.
type CallLive = ringdesk.CallLive

const callLiveSelect = `SELECT c.id, c.direction, c.state, c.contact_phone, c.contact_name, c.virtual_phone_number,
	c.is_lost, c.agent_id, c.ticket_id, t.subject, c.client_id, cl.name, c.started_at, c.answered_at, c.finished_at, c.updated_at,
	c.group_id, c.shown_to, c.details
	FROM calls c JOIN tickets t ON t.id = c.ticket_id JOIN clients cl ON cl.id = c.client_id`

func scanCallLive(rows *sql.Rows) (*CallLive, error) {
	var c CallLive
	var agent, answered, finished, group, shown sql.NullInt64
	var started, updated int64
	var details []byte
	if err := rows.Scan(&c.ID, &c.Direction, &c.State, &c.ContactPhone, &c.ContactName, &c.VirtualNumber, &c.IsLost,
		&agent, &c.TicketID, &c.TicketSubject, &c.ClientID, &c.ClientName, &started, &answered, &finished, &updated,
		&group, &shown, &details); err != nil {
		return nil, err
	}
	c.GroupID, c.ShownTo = nullIDPtr(group), nullIDPtr(shown)
	var d struct {
		Employees []struct {
			AgentID *int64 `json:"agent_id"`
		} `json:"employees"`
	}
	if len(details) > 0 && json.Unmarshal(details, &d) == nil {
		for _, e := range d.Employees {
			if e.AgentID != nil {
				c.Offered = append(c.Offered, *e.AgentID)
			}
		}
	}
	c.StartedAt, c.LastEventAt = fromMicros(started), fromMicros(updated)
	if agent.Valid {
		c.AgentID = &agent.Int64
	}
	if answered.Valid {
		t := fromMicros(answered.Int64)
		c.AnsweredAt = &t
	}
	if finished.Valid {
		t := fromMicros(finished.Int64)
		c.FinishedAt = &t
	}
	return &c, nil
}

func (db *DB) callsLive(ctx context.Context, where string, args ...any) ([]*CallLive, error) {
	rows, err := db.r.QueryContext(ctx, callLiveSelect+` WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*CallLive
	for rows.Next() {
		c, err := scanCallLive(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CallsLive returns the live view of the given calls (unknown ids are skipped).
func (db *DB) CallsLive(ctx context.Context, ids []int64) ([]*CallLive, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i] = fmt.Sprintf("$%d", i+1)
		args[i] = id
	}
	out, err := db.callsLive(ctx, `c.id IN (`+strings.Join(ph, ",")+`) ORDER BY c.id`, args...)
	return out, wrap("calls live", err)
}

// ActiveCalls returns the calls still ringing or talking that started
// after since, ringing ones only if their last event came after
// ringingSince, oldest first (a page that opens shows them at once). A
// call's updated_at is the time its last event was applied.
func (db *DB) ActiveCalls(ctx context.Context, since, ringingSince time.Time, limit int) ([]*CallLive, error) {
	out, err := db.callsLive(ctx, `c.started_at >= $1 AND c.state <> 'finished'
		AND (c.state <> 'ringing' OR c.updated_at > $2) ORDER BY c.started_at, c.id LIMIT $3`,
		micros(since), micros(ringingSince), limit)
	return out, wrap("active calls", err)
}

// The live channel is per schema, so deployments (and tests) sharing one
// PostgreSQL database in different schemas do not hear each other.
var notSafe = regexp.MustCompile(`[^a-z0-9_]`)

// liveChannelName returns the live channel's name, read once it could be
// read: a failure (the database was down) is not remembered.
func (db *DB) liveChannelName(ctx context.Context) (string, error) {
	db.liveMu.Lock()
	defer db.liveMu.Unlock()
	if db.liveName != "" {
		return db.liveName, nil
	}
	name, err := db.liveChannel(ctx)
	if err == nil {
		db.liveName = name
	}
	return name, err
}

func (db *DB) liveChannel(ctx context.Context) (string, error) {
	var schema string
	if err := db.w.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return "", err
	}
	name := "ringdesk_live_" + notSafe.ReplaceAllString(strings.ToLower(schema), "_")
	if len(name) > 63 {
		name = name[:63]
	}
	return name, nil
}

// Notify sends payload to every instance listening on this database
// (PostgreSQL only; SQLite has a single instance and needs no bus).
func (db *DB) Notify(ctx context.Context, payload string) error {
	if db.dialect != Postgres {
		return nil
	}
	name, err := db.liveChannelName(ctx)
	if err != nil {
		return wrap("notify", err)
	}
	_, err = db.w.ExecContext(ctx, `SELECT pg_notify($1, $2)`, name, payload)
	return wrap("notify", err)
}

// Listen calls fn with every payload sent by Notify from any instance,
// until ctx ends or the connection fails (the caller reconnects). ready is
// called once the LISTEN is in place.
func (db *DB) Listen(ctx context.Context, ready func(), fn func(payload string)) error {
	if db.dialect != Postgres {
		return errors.New("store: listen needs PostgreSQL")
	}
	name, err := db.liveChannelName(ctx)
	if err != nil {
		return wrap("listen", err)
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return wrap("listen", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		if _, err := pc.Exec(ctx, `LISTEN `+name); err != nil {
			return err
		}
		if ready != nil {
			ready()
		}
		for {
			n, err := pc.WaitForNotification(ctx)
			if err != nil {
				// The connection is mid-wait or broken: never hand it back
				// to the pool still listening.
				return fmt.Errorf("%w: %v", driver.ErrBadConn, err)
			}
			fn(n.Payload)
		}
	})
}

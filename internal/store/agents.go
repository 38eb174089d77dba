package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

const agentColumns = `id, name, email, role, active, lang, time_zone, operator_id, available, created_at, updated_at`

type rowScanner interface{ Scan(dest ...any) error }

func scanAgent(s rowScanner, extra ...any) (*ringdesk.Agent, error) {
	var a ringdesk.Agent
	var role string
	var op sql.NullInt64
	var created, updated int64
	dest := append([]any{&a.ID, &a.Name, &a.Email, &role, &a.Active, &a.Lang, &a.TimeZone, &op, &a.Available, &created, &updated}, extra...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	a.Role = ringdesk.Role(role)
	if op.Valid {
		a.OperatorID = &op.Int64
	}
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &a, nil
}

func nullInt(p *int64) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: *p, Valid: true}
}

// agentConflict names the field behind a unique violation on agents.
func agentConflict(err error) error {
	if strings.Contains(uniqueConstraint(err), "operator_id") {
		return &ringdesk.Error{Code: ringdesk.ECONFLICT, Message: "Another agent already has this Operator ID.",
			Fields: map[string]string{"operator_id": "Another agent already has this Operator ID."}}
	}
	return &ringdesk.Error{Code: ringdesk.ECONFLICT, Message: "An agent with this email already exists.",
		Fields: map[string]string{"email": "An agent with this email already exists."}}
}

// CreateAgent inserts an agent with an already hashed password.
func (db *DB) CreateAgent(ctx context.Context, c ringdesk.AgentCreate, passwordHash string, now time.Time) (*ringdesk.Agent, error) {
	var a *ringdesk.Agent
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = scanAgent(tx.QueryRowContext(ctx, `INSERT INTO agents
			(name, email, role, active, lang, operator_id, password_hash, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING `+agentColumns,
			c.Name, c.Email, string(c.Role), true, c.Lang, nullInt(c.OperatorID), passwordHash, micros(now)))
		if isUnique(err) {
			return agentConflict(err)
		} else if err != nil {
			return err
		}
		return setAgentGroupsTx(ctx, tx, a.ID, c.GroupIDs)
	})
	return a, wrap("create agent", err)
}

// AgentByID returns one agent.
func (db *DB) AgentByID(ctx context.Context, id int64) (*ringdesk.Agent, error) {
	a, err := scanAgent(db.r.QueryRowContext(ctx, `SELECT `+agentColumns+` FROM agents WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Agent")
	}
	return a, wrap("agent by id", err)
}

// AgentByOperatorID returns the agent whose Operator ID is opID.
func (db *DB) AgentByOperatorID(ctx context.Context, opID int64) (*ringdesk.Agent, error) {
	a, err := scanAgent(db.r.QueryRowContext(ctx, `SELECT `+agentColumns+` FROM agents WHERE operator_id = $1`, opID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Agent")
	}
	return a, wrap("agent by operator id", err)
}

// AgentCredentials returns the agent with this (normalised) email and its password hash.
func (db *DB) AgentCredentials(ctx context.Context, email string) (*ringdesk.Agent, string, error) {
	var hash string
	a, err := scanAgent(db.r.QueryRowContext(ctx, `SELECT `+agentColumns+`, password_hash FROM agents WHERE email = $1`, email), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", notFound("Agent")
	}
	return a, hash, wrap("agent credentials", err)
}

// AgentPasswordHash returns the stored password hash of an agent.
func (db *DB) AgentPasswordHash(ctx context.Context, id int64) (string, error) {
	var hash string
	err := db.r.QueryRowContext(ctx, `SELECT password_hash FROM agents WHERE id = $1`, id).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("Agent")
	}
	return hash, wrap("agent password", err)
}

// ListAgents returns every agent, active ones first, then by name.
func (db *DB) ListAgents(ctx context.Context) ([]*ringdesk.Agent, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+agentColumns+` FROM agents ORDER BY active DESC, name, id`)
	if err != nil {
		return nil, wrap("list agents", err)
	}
	defer rows.Close()
	var out []*ringdesk.Agent
	for rows.Next() {
		a, err := scanAgent(rows)
		if err != nil {
			return nil, wrap("list agents", err)
		}
		out = append(out, a)
	}
	return out, wrap("list agents", rows.Err())
}

// CountAgents returns how many agents exist.
func (db *DB) CountAgents(ctx context.Context) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM agents`).Scan(&n)
	return n, wrap("count agents", err)
}

// CountActiveAdmins returns how many active admins exist.
func (db *DB) CountActiveAdmins(ctx context.Context) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM agents WHERE role = 'admin' AND active = $1`, true).Scan(&n)
	return n, wrap("count admins", err)
}

// UpdateAgent applies u to agent id. Deactivating an agent deletes their
// sessions and tokens stop working (they are checked against active).
func (db *DB) UpdateAgent(ctx context.Context, id int64, u ringdesk.AgentUpdate, now time.Time) (*ringdesk.Agent, error) {
	var a *ringdesk.Agent
	err := db.tx(ctx, func(tx *sql.Tx) error {
		cur, err := scanAgent(tx.QueryRowContext(ctx, `SELECT `+agentColumns+` FROM agents WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Agent")
		} else if err != nil {
			return err
		}
		if u.Name != nil {
			cur.Name = *u.Name
		}
		if u.Email != nil {
			cur.Email = *u.Email
		}
		if u.Role != nil {
			cur.Role = *u.Role
		}
		if u.Active != nil {
			cur.Active = *u.Active
		}
		if u.Lang != nil {
			cur.Lang = *u.Lang
		}
		if u.TimeZone != nil {
			cur.TimeZone = *u.TimeZone
		}
		if u.ClearOperatorID {
			cur.OperatorID = nil
		} else if u.OperatorID != nil {
			cur.OperatorID = u.OperatorID
		}
		if u.Available != nil {
			cur.Available = *u.Available
		}
		a, err = scanAgent(tx.QueryRowContext(ctx, `UPDATE agents SET name = $1, email = $2, role = $3, active = $4,
			lang = $5, operator_id = $6, updated_at = $7, time_zone = $8, available = $9 WHERE id = $10 RETURNING `+agentColumns,
			cur.Name, cur.Email, string(cur.Role), cur.Active, cur.Lang, nullInt(cur.OperatorID), micros(now), cur.TimeZone,
			cur.Available, id))
		if isUnique(err) {
			return agentConflict(err)
		} else if err != nil {
			return err
		}
		if u.GroupIDs != nil {
			if err := setAgentGroupsTx(ctx, tx, id, *u.GroupIDs); err != nil {
				return err
			}
		}
		if !a.Active {
			_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE agent_id = $1`, id)
		}
		return err
	})
	return a, wrap("update agent", err)
}

// SetAgentPassword stores a new password hash and ends every session of the
// agent except keepSessionID (0 ends them all).
func (db *DB) SetAgentPassword(ctx context.Context, id int64, hash string, keepSessionID int64, now time.Time) error {
	return wrap("set password", db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE agents SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, micros(now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Agent")
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE agent_id = $1 AND id <> $2`, id, keepSessionID)
		return err
	}))
}

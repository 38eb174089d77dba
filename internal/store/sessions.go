package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// CreateSession stores a session for agentID under the hash of its secret.
func (db *DB) CreateSession(ctx context.Context, agentID int64, secretHash, ip, ua string, now, expires time.Time) (*ringdesk.Session, error) {
	s := &ringdesk.Session{AgentID: agentID, CreatedAt: now.UTC(), LastSeenAt: now.UTC(), ExpiresAt: expires.UTC(), IP: ip, UserAgent: ua}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO sessions (agent_id, secret_hash, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES ($1, $2, $3, $3, $4, $5, $6) RETURNING id`,
			agentID, secretHash, micros(now), micros(expires), ip, ua).Scan(&s.ID)
	})
	return s, wrap("create session", err)
}

// SessionByHash returns a session and its agent, if the session exists.
// Expiry is the caller's decision.
func (db *DB) SessionByHash(ctx context.Context, secretHash string) (*ringdesk.Session, *ringdesk.Agent, error) {
	var s ringdesk.Session
	var created, seen, expires int64
	a, err := scanAgent(db.r.QueryRowContext(ctx, `SELECT a.id, a.name, a.email, a.role, a.active, a.lang, a.time_zone, a.operator_id, a.available,
		a.created_at, a.updated_at, s.id, s.created_at, s.last_seen_at, s.expires_at
		FROM sessions s JOIN agents a ON a.id = s.agent_id WHERE s.secret_hash = $1`, secretHash),
		&s.ID, &created, &seen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("Session")
	} else if err != nil {
		return nil, nil, wrap("session by hash", err)
	}
	s.AgentID = a.ID
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromMicros(created), fromMicros(seen), fromMicros(expires)
	return &s, a, nil
}

// TouchSession records activity on a session.
func (db *DB) TouchSession(ctx context.Context, id int64, now time.Time) error {
	return wrap("touch session", db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id = $2`, micros(now), id)
		return err
	}))
}

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, id int64) error {
	return wrap("delete session", db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, id)
		return err
	}))
}

// DeleteExpired removes sessions past their absolute expiry or idle since
// idleBefore, and login failures older than failuresBefore.
func (db *DB) DeleteExpired(ctx context.Context, now, idleBefore, failuresBefore time.Time) error {
	return wrap("delete expired", db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2`,
			micros(now), micros(idleBefore)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at < $1`, micros(failuresBefore))
		return err
	}))
}

// CreateAPIToken stores a token for agentID under the hash of its secret;
// expires nil means it never expires.
func (db *DB) CreateAPIToken(ctx context.Context, agentID int64, name, tokenHash string, now time.Time, expires *time.Time) (*ringdesk.APIToken, error) {
	t := &ringdesk.APIToken{AgentID: agentID, Name: name, CreatedAt: now.UTC()}
	if expires != nil {
		e := expires.UTC()
		t.ExpiresAt = &e
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO api_tokens (agent_id, name, token_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, agentID, name, tokenHash, micros(now), nullMicros(expires)).Scan(&t.ID)
	})
	return t, wrap("create api token", err)
}

// AgentByTokenHash returns the token and its agent. Expiry is the caller's
// decision.
func (db *DB) AgentByTokenHash(ctx context.Context, tokenHash string) (*ringdesk.APIToken, *ringdesk.Agent, error) {
	var t ringdesk.APIToken
	var created int64
	var used, expires sql.NullInt64
	a, err := scanAgent(db.r.QueryRowContext(ctx, `SELECT a.id, a.name, a.email, a.role, a.active, a.lang, a.time_zone, a.operator_id, a.available,
		a.created_at, a.updated_at, t.id, t.name, t.created_at, t.last_used_at, t.expires_at
		FROM api_tokens t JOIN agents a ON a.id = t.agent_id WHERE t.token_hash = $1`, tokenHash),
		&t.ID, &t.Name, &created, &used, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("Token")
	} else if err != nil {
		return nil, nil, wrap("token by hash", err)
	}
	t.AgentID, t.CreatedAt, t.LastUsedAt, t.ExpiresAt = a.ID, fromMicros(created), fromNullMicros(used), fromNullMicros(expires)
	return &t, a, nil
}

// TouchAPIToken records use of a token.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, now time.Time) error {
	return wrap("touch token", db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, micros(now), id)
		return err
	}))
}

// ListAPITokens returns an agent's tokens, newest first.
func (db *DB) ListAPITokens(ctx context.Context, agentID int64) ([]*ringdesk.APIToken, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, agent_id, name, created_at, last_used_at, expires_at FROM api_tokens
		WHERE agent_id = $1 ORDER BY id DESC`, agentID)
	if err != nil {
		return nil, wrap("list tokens", err)
	}
	defer rows.Close()
	var out []*ringdesk.APIToken
	for rows.Next() {
		var t ringdesk.APIToken
		var created int64
		var used, expires sql.NullInt64
		if err := rows.Scan(&t.ID, &t.AgentID, &t.Name, &created, &used, &expires); err != nil {
			return nil, wrap("list tokens", err)
		}
		t.CreatedAt, t.LastUsedAt, t.ExpiresAt = fromMicros(created), fromNullMicros(used), fromNullMicros(expires)
		out = append(out, &t)
	}
	return out, wrap("list tokens", rows.Err())
}

// DeleteAPIToken revokes a token of agentID.
func (db *DB) DeleteAPIToken(ctx context.Context, agentID, id int64) error {
	return wrap("delete token", db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = $1 AND agent_id = $2`, id, agentID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Token")
		}
		return nil
	}))
}

// LoginCounts are the failed logins in a window: for one account from one
// IP, for the account from anywhere, and from the IP for any account, each
// with its oldest failure (zero when there is none).
type LoginCounts struct {
	Pair, Email, IP                   int
	PairOldest, EmailOldest, IPOldest time.Time
}

// LoginLimits are the failure counts that stop further attempts: Pair for
// one account from one IP, Wide for the account from anywhere and for the
// IP on any account.
type LoginLimits struct {
	Pair, Wide int
}

// Reached reports whether c has reached a limit of l.
func (l LoginLimits) Reached(c LoginCounts) bool {
	return c.Pair >= l.Pair || c.Email >= l.Wide || c.IP >= l.Wide
}

// ReserveLoginAttempt lets one login attempt for (email, ip) go ahead, or
// not, atomically: it counts the failures since since and, unless a limit
// is reached, records a failure at now before the password is checked.
// That failure is the attempt's reservation: it stays if the password is
// wrong and goes (ReleaseLoginAttempt, ClearLoginFailures) if it is right,
// so however many attempts run at once, at most the limit get their
// password checked. It returns the reservation's id, or 0 when a limit is
// reached, with the counts before this attempt.
//
// SQLite serialises it on its one writer connection; on PostgreSQL,
// transaction-scoped advisory locks on the account and on the IP (always in
// that order, so two attempts never wait for each other in a circle)
// serialise attempts on either across every instance.
func (db *DB) ReserveLoginAttempt(ctx context.Context, email, ip string, since, now time.Time, l LoginLimits) (int64, LoginCounts, error) {
	var c LoginCounts
	var id int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if db.dialect == Postgres {
			for _, key := range []string{"ringdesk login account " + email, "ringdesk login ip " + ip} {
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, key); err != nil {
					return err
				}
			}
		}
		var err error
		if c, err = loginFailures(ctx, tx, email, ip, since); err != nil || l.Reached(c) {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO login_failures (email, ip, at) VALUES ($1, $2, $3) RETURNING id`,
			email, ip, micros(now)).Scan(&id)
	})
	if err != nil {
		return 0, c, wrap("reserve login attempt", err)
	}
	return id, c, nil
}

// ReleaseLoginAttempt withdraws a reservation whose attempt ended without a
// password check (the database failed, say): it was not a failure.
func (db *DB) ReleaseLoginAttempt(ctx context.Context, id int64) error {
	return wrap("release login attempt", db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE id = $1`, id)
		return err
	}))
}

// loginFailures counts failures since since for the (email, IP) pair, the
// email and the IP.
func loginFailures(ctx context.Context, tx *sql.Tx, email, ip string, since time.Time) (LoginCounts, error) {
	var c LoginCounts
	var oldP, oldE, oldI sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM login_failures WHERE email = $1 AND ip = $2 AND at >= $3),
		(SELECT MIN(at) FROM login_failures WHERE email = $1 AND ip = $2 AND at >= $3),
		(SELECT COUNT(*) FROM login_failures WHERE email = $1 AND at >= $3),
		(SELECT MIN(at) FROM login_failures WHERE email = $1 AND at >= $3),
		(SELECT COUNT(*) FROM login_failures WHERE ip = $2 AND at >= $3),
		(SELECT MIN(at) FROM login_failures WHERE ip = $2 AND at >= $3)`, email, ip, micros(since)).
		Scan(&c.Pair, &oldP, &c.Email, &oldE, &c.IP, &oldI)
	if err != nil {
		return c, err
	}
	for _, o := range []struct {
		src sql.NullInt64
		dst *time.Time
	}{{oldP, &c.PairOldest}, {oldE, &c.EmailOldest}, {oldI, &c.IPOldest}} {
		if o.src.Valid {
			*o.dst = fromMicros(o.src.Int64)
		}
	}
	return c, nil
}

// ClearLoginFailures forgets an account's failures after a successful login.
func (db *DB) ClearLoginFailures(ctx context.Context, email string) error {
	return wrap("clear login failures", db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE email = $1`, email)
		return err
	}))
}

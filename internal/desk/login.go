package desk

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/ringdesk/ringdesk/internal/auth"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// SessionPrefix marks session secrets, TokenPrefix API tokens, so a leaked
// string says what it is.
const (
	SessionPrefix = "rds_"
	TokenPrefix   = "rdt_"
)

// loginWideFactor multiplies LoginMaxFailures for the limits per account
// (from any IP) and per IP (for any account).
const loginWideFactor = 5

// touchEvery limits last-seen writes to one per session per minute.
const touchEvery = time.Minute

// Login checks a password and opens a session, refusing with ETOOMANY after
// too many recent failures. It returns the session secret for the cookie.
//
// Failures count per account and IP together (LoginMaxFailures), so one
// person's typos or one attacker lock neither the account for everyone nor
// an office behind one address; per account from anywhere and per IP for any
// account the limit is loginWideFactor times higher, against guessing spread
// over many addresses or many accounts.
//
// The count is atomic: each attempt reserves its failure before the
// password is checked (store.ReserveLoginAttempt), so with any number of
// attempts at once, on any number of instances, at most the limit get as far
// as the password check.
func (d *Desk) Login(ctx context.Context, email, password, ip, userAgent string) (string, *ringdesk.Session, *ringdesk.Agent, error) {
	email = ringdesk.NormalizeEmail(email)
	now := d.Now()
	limits := store.LoginLimits{Pair: d.cfg.LoginMaxFailures, Wide: d.cfg.LoginMaxFailures * loginWideFactor}
	attempt, c, err := d.db.ReserveLoginAttempt(ctx, email, ip, now.Add(-d.cfg.LoginWindow), now, limits)
	if err != nil {
		return "", nil, nil, err
	}
	if attempt == 0 {
		return "", nil, nil, d.throttled(c, limits, now, ip)
	}
	a, hash, err := d.db.AgentCredentials(ctx, email)
	if err != nil && ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		d.releaseLoginAttempt(ctx, attempt)
		return "", nil, nil, err
	}
	ok := false
	if a == nil {
		auth.DummyCheck(d.cfg.PasswordCost)
	} else {
		ok = auth.CheckPassword(hash, password) && a.Active
	}
	if !ok { // the reservation stays: it is this failure
		msg := "Wrong email or password."
		if a != nil && !a.Active && auth.CheckPassword(hash, password) {
			msg = "This account is deactivated. Ask an administrator."
		}
		return "", nil, nil, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "%s", msg)
	}
	// The account's failures go, this attempt's reservation with them.
	if err := d.db.ClearLoginFailures(ctx, email); err != nil {
		return "", nil, nil, err
	}
	secret := auth.NewSecret(SessionPrefix)
	s, err := d.db.CreateSession(ctx, a.ID, auth.HashSecret(secret), ip, truncate(userAgent, 300), now, now.Add(d.cfg.SessionMax))
	if err != nil {
		return "", nil, nil, err
	}
	d.log.Info("login", "agent_id", a.ID, "ip", ip)
	return secret, s, a, nil
}

// throttled is the ETOOMANY for counts that reached a limit, saying when
// the oldest failure that counts leaves the window.
func (d *Desk) throttled(c store.LoginCounts, l store.LoginLimits, now time.Time, ip string) error {
	var oldest time.Time
	switch {
	case c.Pair >= l.Pair:
		oldest = c.PairOldest
	case c.Email >= l.Wide:
		oldest = c.EmailOldest
	default:
		oldest = c.IPOldest
	}
	wait := oldest.Add(d.cfg.LoginWindow).Sub(now)
	mins := max(1, int(math.Ceil(wait.Minutes())))
	d.log.Warn("login throttled", "ip", ip, "failures_pair", c.Pair, "failures_account", c.Email, "failures_ip", c.IP)
	return ringdesk.Errorf(ringdesk.ETOOMANY, "Too many failed logins. Try again in %d min.", mins)
}

// releaseLoginAttempt withdraws a reservation when the attempt ended
// without a password check; if that fails too, it stays and counts as a
// failure, which errs on the safe side.
func (d *Desk) releaseLoginAttempt(ctx context.Context, id int64) {
	if err := d.db.ReleaseLoginAttempt(context.WithoutCancel(ctx), id); err != nil {
		d.log.Debug("login reservation not released", "err", err)
	}
}

// SessionAgent returns the live session and agent for a cookie secret, or
// EUNAUTHORIZED when it is unknown, expired (idle or absolute) or the agent
// is deactivated.
func (d *Desk) SessionAgent(ctx context.Context, secret string) (*ringdesk.Session, *ringdesk.Agent, error) {
	s, a, err := d.db.SessionByHash(ctx, auth.HashSecret(secret))
	if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND {
		return nil, nil, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "Please log in.")
	} else if err != nil {
		return nil, nil, err
	}
	now := d.Now()
	if !a.Active || now.After(s.ExpiresAt) || now.Sub(s.LastSeenAt) > d.cfg.SessionIdle {
		_ = d.db.DeleteSession(ctx, s.ID)
		return nil, nil, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "Your session has expired; please log in again.")
	}
	if now.Sub(s.LastSeenAt) > touchEvery {
		if err := d.db.TouchSession(ctx, s.ID, now); err != nil {
			d.log.Warn("touch session", "err", err)
		}
	}
	return s, a, nil
}

// Logout ends a session.
func (d *Desk) Logout(ctx context.Context, sessionID int64) error {
	return d.db.DeleteSession(ctx, sessionID)
}

// CreateAPIToken issues a personal token for agent; the secret is returned
// once and only its hash is kept. expires, when set, is when the token stops
// working: in the future and within ringdesk.MaxTokenLifetime. Only a
// logged-in person may call it (the profile page, a browser session on the
// API, or the command line), never a request authenticated by a token:
// the HTTP layer sees to that.
func (d *Desk) CreateAPIToken(ctx context.Context, agent *ringdesk.Agent, name string, expires *time.Time) (string, *ringdesk.APIToken, error) {
	if name == "" {
		name = "API token"
	}
	now := d.Now()
	switch {
	case len([]rune(name)) > 100:
		return "", nil, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "Token name is too long: at most 100 characters.",
			Fields: map[string]string{"name": "Token name is too long: at most 100 characters."}}
	case expires != nil && !expires.After(now):
		return "", nil, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "The expiry must be in the future.",
			Fields: map[string]string{"expires": "The expiry must be in the future."}}
	case expires != nil && expires.After(now.Add(ringdesk.MaxTokenLifetime)):
		return "", nil, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "The expiry must be within 10 years.",
			Fields: map[string]string{"expires": "The expiry must be within 10 years."}}
	}
	secret := auth.NewSecret(TokenPrefix)
	t, err := d.db.CreateAPIToken(ctx, agent.ID, name, auth.HashSecret(secret), now, expires)
	if err != nil {
		return "", nil, err
	}
	d.log.Info("api token created", "agent_id", agent.ID, "token_id", t.ID, "expires_at", t.ExpiresAt)
	return secret, t, nil
}

// DeleteAPIToken revokes one of the agent's tokens.
func (d *Desk) DeleteAPIToken(ctx context.Context, agent *ringdesk.Agent, id int64) error {
	return d.db.DeleteAPIToken(ctx, agent.ID, id)
}

// TokenAgent authenticates a bearer token: one SHA-256 and an indexed lookup.
func (d *Desk) TokenAgent(ctx context.Context, secret string) (*ringdesk.Agent, error) {
	t, a, err := d.db.AgentByTokenHash(ctx, auth.HashSecret(secret))
	if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND {
		return nil, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "The API token is invalid or revoked.")
	} else if err != nil {
		return nil, err
	}
	if !a.Active {
		return nil, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "The token's agent is deactivated.")
	}
	now := d.Now()
	if t.Expired(now) {
		return nil, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "The API token expired at %s; create a new one on your profile page.",
			t.ExpiresAt.UTC().Format(time.RFC3339))
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > touchEvery {
		if err := d.db.TouchAPIToken(ctx, t.ID, now); err != nil {
			d.log.Warn("touch token", "err", err)
		}
	}
	return a, nil
}

// EnsureFirstAdmin creates the first admin on an empty database. With an
// empty password it generates one and returns it so the caller can print it
// once. It returns a nil agent when agents already exist.
func (d *Desk) EnsureFirstAdmin(ctx context.Context, email, password, lang string) (*ringdesk.Agent, string, error) {
	n, err := d.db.CountAgents(ctx)
	if err != nil || n > 0 {
		return nil, "", err
	}
	if email == "" {
		email = "admin@example.com"
	}
	generated := ""
	if password == "" {
		password = auth.NewPassword()
		generated = password
	}
	a, err := d.CreateAgent(ctx, ringdesk.System, ringdesk.AgentCreate{Name: "Administrator", Email: email, Role: ringdesk.RoleAdmin, Lang: lang, Password: password})
	if err != nil {
		if ringdesk.ErrorCode(err) == ringdesk.ECONFLICT {
			return nil, "", nil // another instance created it first
		}
		return nil, "", fmt.Errorf("create first admin: %w", err)
	}
	return a, generated, nil
}

// Cleanup deletes expired sessions and old login failures and keeps the
// database's planner statistics current.
func (d *Desk) Cleanup(ctx context.Context) error {
	now := d.Now()
	if err := d.db.DeleteExpired(ctx, now, now.Add(-d.cfg.SessionIdle), now.Add(-d.cfg.LoginWindow)); err != nil {
		return err
	}
	return d.db.Optimize(ctx)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

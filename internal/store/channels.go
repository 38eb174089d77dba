package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

const channelColumns = `id, type, name, active, settings, secret_enc <> '', smtp_secret_enc <> '', created_at, updated_at`

func scanChannel(s rowScanner) (*ringdesk.Channel, error) {
	var c ringdesk.Channel
	var settings string
	var created, updated int64
	if err := s.Scan(&c.ID, &c.Type, &c.Name, &c.Active, &settings, &c.HasSecret, &c.HasSMTPSecret, &created, &updated); err != nil {
		return nil, err
	}
	if c.Type == ringdesk.ChannelTypeEmail {
		if err := json.Unmarshal([]byte(settings), &c.Email); err != nil {
			return nil, err
		}
		c.Email = c.Email.WithDefaults()
	} else {
		if err := json.Unmarshal([]byte(settings), &c.UIS); err != nil {
			return nil, err
		}
		c.UIS = c.UIS.WithDefaults()
	}
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &c, nil
}

// channelSettings is the settings JSON of a channel of type typ.
func channelSettings(typ string, uis ringdesk.UISSettings, email ringdesk.EmailSettings) (string, error) {
	var b []byte
	var err error
	if typ == ringdesk.ChannelTypeEmail {
		b, err = json.Marshal(email)
	} else {
		b, err = json.Marshal(uis)
	}
	return string(b), err
}

// CreateChannel stores a channel; the secrets are already sealed
// (sealedSMTP: an email channel's SMTP password).
func (db *DB) CreateChannel(ctx context.Context, c ringdesk.ChannelCreate, sealedSecret string, now time.Time, sealedSMTP ...string) (*ringdesk.Channel, error) {
	settings, err := channelSettings(c.Type, c.UIS, c.Email)
	if err != nil {
		return nil, err
	}
	smtp := ""
	if len(sealedSMTP) > 0 {
		smtp = sealedSMTP[0]
	}
	var ch *ringdesk.Channel
	err = db.tx(ctx, func(tx *sql.Tx) error {
		ch, err = scanChannel(tx.QueryRowContext(ctx, `INSERT INTO channels (type, name, active, settings, secret_enc, smtp_secret_enc, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING `+channelColumns, c.Type, c.Name, true, settings, sealedSecret, smtp, micros(now)))
		return err
	})
	return ch, wrap("create channel", err)
}

// ChannelByID returns one channel.
func (db *DB) ChannelByID(ctx context.Context, id int64) (*ringdesk.Channel, error) {
	c, err := scanChannel(db.r.QueryRowContext(ctx, `SELECT `+channelColumns+` FROM channels WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Channel")
	}
	return c, wrap("channel by id", err)
}

// ListChannels returns every channel by name.
func (db *DB) ListChannels(ctx context.Context) ([]*ringdesk.Channel, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+channelColumns+` FROM channels ORDER BY name, id`)
	if err != nil {
		return nil, wrap("list channels", err)
	}
	defer rows.Close()
	var out []*ringdesk.Channel
	for rows.Next() {
		c, err := scanChannel(rows)
		if err != nil {
			return nil, wrap("list channels", err)
		}
		out = append(out, c)
	}
	return out, wrap("list channels", rows.Err())
}

// ChannelSecret returns the sealed App Secret of a channel.
func (db *DB) ChannelSecret(ctx context.Context, id int64) (string, error) {
	var s string
	err := db.r.QueryRowContext(ctx, `SELECT secret_enc FROM channels WHERE id = $1`, id).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("Channel")
	}
	return s, wrap("channel secret", err)
}

// ChannelSMTPSecret returns the sealed SMTP password of an email channel.
func (db *DB) ChannelSMTPSecret(ctx context.Context, id int64) (string, error) {
	var s string
	err := db.r.QueryRowContext(ctx, `SELECT smtp_secret_enc FROM channels WHERE id = $1`, id).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("Channel")
	}
	return s, wrap("channel smtp secret", err)
}

// UpdateChannel applies u; sealedSecret replaces the secret when u.AppSecret
// is set, sealedSMTP the SMTP password when u.SMTPSecret is.
func (db *DB) UpdateChannel(ctx context.Context, id int64, u ringdesk.ChannelUpdate, sealedSecret string, now time.Time, sealedSMTP ...string) (*ringdesk.Channel, error) {
	var ch *ringdesk.Channel
	err := db.tx(ctx, func(tx *sql.Tx) error {
		cur, err := scanChannel(tx.QueryRowContext(ctx, `SELECT `+channelColumns+` FROM channels WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Channel")
		} else if err != nil {
			return err
		}
		if u.Name != nil {
			cur.Name = *u.Name
		}
		if u.Active != nil {
			cur.Active = *u.Active
		}
		thBefore := cur.UIS.Thresholds()
		if u.UIS != nil {
			cur.UIS = *u.UIS
		}
		if u.Email != nil {
			cur.Email = *u.Email
		}
		settings, err := channelSettings(cur.Type, cur.UIS, cur.Email)
		if err != nil {
			return err
		}
		if u.SMTPSecret != nil && len(sealedSMTP) > 0 {
			if _, err = tx.ExecContext(ctx, `UPDATE channels SET smtp_secret_enc = $1 WHERE id = $2`, sealedSMTP[0], id); err != nil {
				return err
			}
		}
		if u.AppSecret != nil {
			_, err = tx.ExecContext(ctx, `UPDATE channels SET secret_enc = $1 WHERE id = $2`, sealedSecret, id)
			if err != nil {
				return err
			}
		}
		ch, err = scanChannel(tx.QueryRowContext(ctx, `UPDATE channels SET name = $1, active = $2, settings = $3, updated_at = $4
			WHERE id = $5 RETURNING `+channelColumns, cur.Name, cur.Active, settings, micros(now), id))
		if err != nil || cur.UIS.Thresholds() == thBefore {
			return err
		}
		// T and S are in the rollups' answered-within and short-abandon
		// counts: rebuild the channel's (the calls written meanwhile wait
		// for this transaction: see channelThresholds).
		return rebuildRollups(ctx, db.cached(tx), id)
	})
	return ch, wrap("update channel", err)
}

// CreateChannelToken stores a webhook token's hash.
func (db *DB) CreateChannelToken(ctx context.Context, channelID int64, label, hash, hint string, now time.Time) (*ringdesk.ChannelToken, error) {
	t := &ringdesk.ChannelToken{ChannelID: channelID, Label: label, Hint: hint, CreatedAt: now.UTC()}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM channels WHERE id = $1`, channelID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return notFound("Channel")
		} else if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO channel_tokens (channel_id, label, token_hash, hint, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, channelID, label, hash, hint, micros(now)).Scan(&t.ID)
	})
	return t, wrap("create channel token", err)
}

// ListChannelTokens returns a channel's tokens, newest first.
func (db *DB) ListChannelTokens(ctx context.Context, channelID int64) ([]*ringdesk.ChannelToken, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, channel_id, label, hint, created_at, revoked_at, last_used_at FROM channel_tokens
		WHERE channel_id = $1 ORDER BY id DESC`, channelID)
	if err != nil {
		return nil, wrap("list channel tokens", err)
	}
	defer rows.Close()
	var out []*ringdesk.ChannelToken
	for rows.Next() {
		var t ringdesk.ChannelToken
		var created int64
		var revoked, used sql.NullInt64
		if err := rows.Scan(&t.ID, &t.ChannelID, &t.Label, &t.Hint, &created, &revoked, &used); err != nil {
			return nil, wrap("list channel tokens", err)
		}
		t.CreatedAt, t.RevokedAt, t.LastUsedAt = fromMicros(created), fromNullMicros(revoked), fromNullMicros(used)
		out = append(out, &t)
	}
	return out, wrap("list channel tokens", rows.Err())
}

// RevokeChannelToken stops a token at once.
func (db *DB) RevokeChannelToken(ctx context.Context, channelID, tokenID int64, now time.Time) error {
	return wrap("revoke channel token", db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE channel_tokens SET revoked_at = COALESCE(revoked_at, $1)
			WHERE id = $2 AND channel_id = $3`, micros(now), tokenID, channelID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Token")
		}
		return nil
	}))
}

// ChannelByTokenHash returns the active channel a live token belongs to.
func (db *DB) ChannelByTokenHash(ctx context.Context, hash string) (*ringdesk.Channel, error) {
	c, err := scanChannel(db.r.QueryRowContext(ctx, `SELECT c.id, c.type, c.name, c.active, c.settings, c.secret_enc <> '', c.smtp_secret_enc <> '',
		c.created_at, c.updated_at FROM channel_tokens t JOIN channels c ON c.id = t.channel_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND c.active = $2`, hash, true))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Channel token")
	}
	return c, wrap("channel by token", err)
}

package desk

import (
	"context"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/auth"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// ChannelTokenPrefix marks webhook channel tokens.
const ChannelTokenPrefix = "rdc_"

// CreateChannel creates a channel, sealing its App Secret.
func (d *Desk) CreateChannel(ctx context.Context, actor *ringdesk.Agent, c ringdesk.ChannelCreate) (*ringdesk.Channel, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	c.AppSecret = strings.TrimSpace(c.AppSecret)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Type == ringdesk.ChannelTypeUIS {
		if err := d.checkRoutingGroups(ctx, c.UIS, nil); err != nil {
			return nil, err
		}
	}
	ch, err := d.db.CreateChannel(ctx, c, d.seal(c.AppSecret), d.Now(), d.seal(c.SMTPSecret))
	if err != nil {
		return nil, err
	}
	d.forgetMailboxes()
	d.log.Info("channel created", "channel_id", ch.ID, "type", ch.Type, "by", actorID(actor)) // never the secret
	return ch, nil
}

// UpdateChannel changes a channel; a non-nil AppSecret replaces the stored one.
func (d *Desk) UpdateChannel(ctx context.Context, actor *ringdesk.Agent, id int64, u ringdesk.ChannelUpdate) (*ringdesk.Channel, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	var v ringdesk.Validation
	if u.Name != nil {
		*u.Name = strings.TrimSpace(*u.Name)
		v.Check(*u.Name != "" && len([]rune(*u.Name)) <= 100, "name", "Name is required (at most 100 characters).")
	}
	if u.UIS != nil {
		s := u.UIS.WithDefaults()
		s.Validate(&v)
		u.UIS = &s
	}
	if u.Email != nil {
		s := u.Email.WithDefaults()
		s.Validate(&v)
		u.Email = &s
	}
	sealed, sealedSMTP := "", ""
	if u.AppSecret != nil {
		*u.AppSecret = strings.TrimSpace(*u.AppSecret)
		v.Check(len(*u.AppSecret) <= 500, "app_secret", "App Secret is too long.")
		sealed = d.seal(*u.AppSecret)
	}
	if u.SMTPSecret != nil {
		v.Check(len(*u.SMTPSecret) <= 500, "smtp_password", "The password is too long.")
		sealedSMTP = d.seal(*u.SMTPSecret)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if u.UIS != nil {
		cur, err := d.db.ChannelByID(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := d.checkRoutingGroups(ctx, *u.UIS, &cur.UIS); err != nil {
			return nil, err
		}
	}
	ch, err := d.db.UpdateChannel(ctx, id, u, sealed, d.Now(), sealedSMTP)
	d.channels.forget() // even on an error: the write may have happened
	d.forgetMailboxes()
	if err != nil {
		return nil, err
	}
	d.log.Info("channel updated", "channel_id", id, "secret_changed", u.AppSecret != nil, "by", actorID(actor))
	return ch, nil
}

// AppSecret returns a channel's UIS API key for calling UIS.
func (d *Desk) AppSecret(ctx context.Context, channelID int64) (string, error) {
	sealed, err := d.db.ChannelSecret(ctx, channelID)
	if err != nil {
		return "", err
	}
	if d.cfg.Secrets == nil {
		return "", ringdesk.Errorf(ringdesk.EINTERNAL, "No secret key is configured.")
	}
	plain, err := d.cfg.Secrets.Open(sealed)
	if err != nil {
		return "", ErrSecretUnreadable
	}
	return plain, nil
}

func (d *Desk) seal(secret string) string {
	if secret == "" || d.cfg.Secrets == nil {
		return ""
	}
	return d.cfg.Secrets.Seal(secret)
}

// CreateChannelToken issues a webhook token for a channel; the secret is
// returned once.
func (d *Desk) CreateChannelToken(ctx context.Context, actor *ringdesk.Agent, channelID int64, label string) (string, *ringdesk.ChannelToken, error) {
	if err := requireAdmin(actor); err != nil {
		return "", nil, err
	}
	label = strings.TrimSpace(label)
	if len([]rune(label)) > 100 {
		return "", nil, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "Label is too long: at most 100 characters.",
			Fields: map[string]string{"label": "Label is too long: at most 100 characters."}}
	}
	secret := auth.NewSecret(ChannelTokenPrefix)
	t, err := d.db.CreateChannelToken(ctx, channelID, label, auth.HashSecret(secret), secret[len(secret)-4:], d.Now())
	if err != nil {
		return "", nil, err
	}
	d.log.Info("channel token created", "channel_id", channelID, "token_id", t.ID, "by", actorID(actor))
	return secret, t, nil
}

// RevokeChannelToken stops a token at once.
func (d *Desk) RevokeChannelToken(ctx context.Context, actor *ringdesk.Agent, channelID, tokenID int64) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	err := d.db.RevokeChannelToken(ctx, channelID, tokenID, d.Now())
	d.channels.forget()
	if err != nil {
		return err
	}
	d.log.Info("channel token revoked", "channel_id", channelID, "token_id", tokenID, "by", actorID(actor))
	return nil
}

// tokenUseResolution is how often a channel token's last use is written.
const tokenUseResolution = time.Minute

// touchChannelToken records that a token was used, at most once per
// tokenUseResolution per token; a failure only loses that information.
func (d *Desk) touchChannelToken(ctx context.Context, hash string) {
	now := d.Now()
	if last, ok := d.tokenUse.Load(hash); ok && now.Sub(last.(time.Time)) < tokenUseResolution {
		return
	}
	d.tokenUse.Store(hash, now)
	if err := d.db.TouchChannelToken(ctx, hash, now); err != nil {
		d.tokenUse.Delete(hash)
		d.log.Warn("channel token use not recorded", "err", err)
	}
}

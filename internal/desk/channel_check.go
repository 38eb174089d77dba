package desk

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// checkTimeout bounds each probe of "check connection".
const checkTimeout = 10 * time.Second

// ChannelCheck is the outcome of checking a channel's connection to UIS.
type ChannelCheck struct {
	// Account is the UIS account the App Secret belongs to (Data API get.account).
	Account uis.Account
	// DataErr and CallErr are the Data API and Call API failures, nil when
	// that API answered; pass them to UISAdvice.
	DataErr error
	CallErr error
	// CallManagementOff: the Call API accepted the key but the account lacks
	// the "Call management" option list.calls needs. Click-to-call needs only
	// the basic set, so this is a note, not a failure.
	CallManagementOff bool
	// TimezoneFrom is the channel's previous time zone when the check took
	// the account's (Account.Timezone) instead; "" when they agreed.
	TimezoneFrom string
}

// OK reports whether both APIs accepted the App Secret.
func (c *ChannelCheck) OK() bool { return c.DataErr == nil && c.CallErr == nil }

// CheckChannel calls UIS with the channel's App Secret using two harmless
// methods: Data API get.account and Call API list.calls (a call in
// progress is not touched). A missing secret
// is reported as ErrNoAppSecret in both results.
func (d *Desk) CheckChannel(ctx context.Context, actor *ringdesk.Agent, channelID int64) (*ChannelCheck, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	ch, err := d.db.ChannelByID(ctx, channelID)
	if err != nil {
		return nil, err
	}
	res := &ChannelCheck{}
	if !ch.HasSecret {
		res.DataErr, res.CallErr = ErrNoAppSecret, ErrNoAppSecret
		return res, nil
	}
	secret, err := d.AppSecret(ctx, channelID)
	if errors.Is(err, ErrSecretUnreadable) {
		res.DataErr, res.CallErr = err, err
		return res, nil
	} else if err != nil {
		return nil, err
	}
	c := d.uisClient(ch.UIS.CallAPIURL, ch.UIS.DataAPIURL, &http.Client{Timeout: checkTimeout})
	c.Location = ch.UIS.Location()
	// Both probes run at once so a UIS that does not answer costs one
	// timeout, not two.
	var wg sync.WaitGroup
	wg.Go(func() { res.Account, res.DataErr = c.GetAccount(ctx, secret) })
	wg.Go(func() { _, res.CallErr = c.ListCalls(ctx, secret) })
	wg.Wait()
	if uis.IsMnemonic(res.CallErr, "component_disabled") {
		// UIS checks the key, the IP and the account before components.
		res.CallErr, res.CallManagementOff = nil, true
	}
	if err := d.takeAccountTimezone(ctx, ch, res); err != nil {
		return nil, err
	}
	d.log.Info("channel connection checked", "channel_id", channelID, "data_api_err", errText(res.DataErr),
		"call_api_err", errText(res.CallErr), "by", actorID(actor))
	return res, nil
}

// takeAccountTimezone makes the channel's time zone the UIS account's:
// UIS writes every time in it, so any other zone shifts calls and the
// reconciliation window.
func (d *Desk) takeAccountTimezone(ctx context.Context, ch *ringdesk.Channel, res *ChannelCheck) error {
	tz := res.Account.Timezone
	if res.DataErr != nil || tz == "" || tz == ch.UIS.Timezone {
		return nil
	}
	if _, ok := ringdesk.LoadLocation(tz); !ok {
		d.log.Warn("UIS account time zone unknown here; channel keeps its own", "channel_id", ch.ID, "timezone", tz)
		return nil
	}
	s := ch.UIS
	s.Timezone = tz
	_, err := d.db.UpdateChannel(ctx, ch.ID, ringdesk.ChannelUpdate{UIS: &s}, "", d.Now())
	d.channels.forget()
	if err != nil {
		return err
	}
	res.TimezoneFrom = ch.UIS.Timezone
	d.log.Info("channel time zone taken from the UIS account", "channel_id", ch.ID, "from", ch.UIS.Timezone, "to", tz)
	return nil
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

package desk

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// ImportPastCall applies a UIS notification body of a call that ended in
// the past as if it had arrived at at, through the same parsing and fold as
// a webhook, and sends no live update: the demo seeds a few days of history
// so, for its reports to have figures.
func (d *Desk) ImportPastCall(ctx context.Context, actor *ringdesk.Agent, ch *ringdesk.Channel, kind uis.EventKind, body []byte, at time.Time) error {
	if !actor.CanAdminister() {
		return ringdesk.Errorf(ringdesk.EFORBIDDEN, "Only administrators can do this.")
	}
	ev, err := uis.ParseEvent(kind, body, ch.UIS.Location())
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	in := &callIngest{ch: ch, kind: kind, event: ev.CallEvent(binary.BigEndian.Uint64(sum[:8]), d.cfg.PhoneRegion), raw: body,
		dedupe: fmt.Sprintf("%d:%d:%s:%s", ch.ID, ev.CallSessionID, kind, hex.EncodeToString(sum[:16])), now: at.UTC()}
	return d.db.InCallTx(ctx, ch.ID, ev.CallSessionID, func(ctx context.Context, tx *store.CallTx) error {
		_, err := d.applyCallEvent(ctx, tx, ev.CallSessionID, in)
		return err
	})
}

package desk

import (
	"context"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// ReplayDeadLetter runs a dead letter through the webhook path again, for
// the channel it arrived on: parse in the channel's time zone, store and
// apply. On success it is marked replayed; otherwise the reason is kept on
// it and returned as EINVALID (or the storage error as it is).
func (d *Desk) ReplayDeadLetter(ctx context.Context, actor *ringdesk.Agent, id int64) (*WebhookResult, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	dl, err := d.db.DeadLetterByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if dl.ReplayedAt != nil {
		return nil, ringdesk.Errorf(ringdesk.ECONFLICT, "This notification was already replayed.")
	}
	ch, err := d.db.ChannelByID(ctx, dl.ChannelID)
	if err != nil {
		return nil, err
	}
	kind, ok := uis.ParseEventKind(dl.Kind)
	if dl.Kind == string(uis.ReportFinished) {
		kind, ok = uis.ReportFinished, true
	}
	if !ok {
		return nil, d.replayFailed(ctx, id, "unknown notification kind "+dl.Kind)
	}
	body := dl.Raw
	ev, err := uis.ParseStoredEvent(kind, body, ch.UIS.Location())
	if err != nil {
		return nil, d.replayFailed(ctx, id, err.Error())
	}
	dedupe := ""
	if kind == uis.ReportFinished {
		dedupe = reportKey(ch.ID, ev.CallSessionID)
	}
	res, err := d.ingest(ctx, ch, ev, body, dedupe)
	if err != nil {
		if ringdesk.ErrorCode(err) == ringdesk.EINVALID {
			return nil, d.replayFailed(ctx, id, ringdesk.ErrorMessage(err))
		}
		return nil, err
	}
	if err := d.db.SetDeadLetterReplay(ctx, id, "", d.Now()); err != nil {
		return nil, err
	}
	d.log.Info("dead letter replayed", "dead_letter_id", id, "channel_id", ch.ID, "call_id", res.CallID, "by", actorID(actor))
	return res, nil
}

func (d *Desk) replayFailed(ctx context.Context, id int64, reason string) error {
	if err := d.db.SetDeadLetterReplay(ctx, id, reason, d.Now()); err != nil {
		return err
	}
	return ringdesk.Errorf(ringdesk.EINVALID, "The notification still cannot be understood: %s.", reason)
}

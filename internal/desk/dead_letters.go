package desk

import (
	"context"
	"errors"
	"time"

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
		return nil, d.replayFailed(ctx, id, ringdesk.DeadLetterReason{Problem: ringdesk.ProblemUnknownKind, Field: "kind",
			Text: "unknown notification kind " + dl.Kind})
	}
	body := dl.Raw
	ev, err := uis.ParseStoredEvent(kind, body, ch.UIS.Location())
	if err != nil {
		return nil, d.replayFailed(ctx, id, deadLetterReason(err))
	}
	dedupe := ""
	if kind == uis.ReportFinished {
		dedupe = reportKey(ch.ID, ev.CallSessionID)
	}
	res, err := d.ingest(ctx, ch, ev, body, dedupe)
	if err != nil {
		if ringdesk.ErrorCode(err) == ringdesk.EINVALID {
			return nil, d.replayFailed(ctx, id, deadLetterReason(err))
		}
		return nil, err
	}
	if err := d.db.SetDeadLetterReplay(ctx, id, nil, d.Now()); err != nil {
		return nil, err
	}
	d.log.Info("dead letter replayed", "dead_letter_id", id, "channel_id", ch.ID, "call_id", res.CallID, "by", actorID(actor))
	return res, nil
}

// replayFailed keeps why a replay failed on the dead letter; the page
// shows it in the dead letter's row.
func (d *Desk) replayFailed(ctx context.Context, id int64, reason ringdesk.DeadLetterReason) error {
	if err := d.db.SetDeadLetterReplay(ctx, id, &reason, d.Now()); err != nil {
		return err
	}
	return ringdesk.Errorf(ringdesk.EINVALID, "The notification still cannot be understood; its row below says why.")
}

// deadLetterReason is why a body was not understood, as kept with it: a
// *uis.ParseError's problem and field, or, for a body that was understood
// but whose call was refused, ProblemNotStored and the refusal.
func deadLetterReason(err error) ringdesk.DeadLetterReason {
	var pe *uis.ParseError
	if errors.As(err, &pe) {
		return ringdesk.DeadLetterReason{Problem: pe.Problem, Field: pe.Field, Text: pe.Error()}
	}
	return ringdesk.DeadLetterReason{Problem: ringdesk.ProblemNotStored, Text: "could not be stored: " + ringdesk.ErrorMessage(err)}
}

// DeadLetterReason returns why a dead letter was not understood. One kept
// by a Ringdesk that did not record the problem (migration 0021) has its
// body parsed again, which tells the problem as well: the parser reads a
// stored body the same way every time. A body this version reads is
// ProblemReadableNow, with the old words kept.
func DeadLetterReason(dl *ringdesk.DeadLetter) ringdesk.DeadLetterReason {
	if dl.Problem != "" {
		return dl.Reason()
	}
	old := dl.Reason()
	kind, ok := uis.ParseEventKind(dl.Kind)
	if dl.Kind == string(uis.ReportFinished) {
		kind, ok = uis.ReportFinished, true
	}
	if !ok {
		return ringdesk.DeadLetterReason{Problem: ringdesk.ProblemUnknownKind, Field: "kind", Text: old.Text}
	}
	if _, err := uis.ParseStoredEvent(kind, dl.Raw, time.UTC); err != nil {
		r := deadLetterReason(err)
		r.Text = old.Text
		return r
	}
	return ringdesk.DeadLetterReason{Problem: ringdesk.ProblemReadableNow, Text: old.Text}
}

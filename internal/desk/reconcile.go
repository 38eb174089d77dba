package desk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// Reconciliation reads the UIS calls report (Data API get.calls_report) and
// applies what notifications failed to bring: a call Ringdesk never heard
// of gets its call, client and ticket; a call whose call_finished was lost
// is finished. Each report row is stored as an event of kind
// uis.ReportFinished and folded with the call's other events, so the fold
// stays the one source of truth and a late real notification still wins.
const (
	// reconcileFirst is the window of a channel's first run.
	reconcileFirst = time.Hour
	// reconcileOverlap re-reads the end of the last window: the report is
	// about start times but lists a call only once it has finished, so a
	// call ongoing at the last run shows up later with an older start. An
	// hour covers all but the longest calls at the price of a re-read
	// (one Data API point per 1000 calls).
	reconcileOverlap = time.Hour
	// reconcileUnfinished: a window also reaches back to the oldest call
	// left unfinished within this long, so a lost call_finished of a call
	// longer than the overlap is still found.
	reconcileUnfinished = 24 * time.Hour
	// reconcileLookback bounds the window after a long outage (UIS allows
	// three months per request; a week of rows is plenty to page through).
	reconcileLookback = 7 * 24 * time.Hour
	// reconcileMaxBackoff caps the wait after failed runs.
	reconcileMaxBackoff = time.Hour
	// reconcileTimeout bounds each Data API request.
	reconcileTimeout = 30 * time.Second
	// lostLookback is how far back a look-back reads lost calls (lookBack):
	// UIS's time to call back appears when the call back is made, which
	// may be long after the call left the run's window.
	lostLookback = 24 * time.Hour
	// lostLookbackEvery is how often a channel's look-back runs by default
	// (Config.ReconcileLookbackEvery).
	lostLookbackEvery = 10 * time.Minute
)

// ReconcileNow runs one reconciliation pass of a channel for an
// administrator ("Reconcile now" on the channel page) and returns its
// result; a UIS failure is a result, not an error.
func (d *Desk) ReconcileNow(ctx context.Context, actor *ringdesk.Agent, channelID int64) (*ringdesk.ReconcileState, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	d.log.Info("reconciliation requested", "channel_id", channelID, "by", actorID(actor))
	return d.ReconcileChannel(ctx, channelID)
}

// ReconcileChannel reads the channel's calls report from where the last
// successful run stopped (less an overlap; the last hour on the first run)
// up to now, and applies every call Ringdesk lacks or has not finished. It
// is idempotent: a call is recovered once, and a finished call is left as
// it is. A UIS failure is recorded on the channel and returned in the
// state, leaving how far the report was read unchanged; the calls applied
// before the failure stay, each complete.
func (d *Desk) ReconcileChannel(ctx context.Context, channelID int64) (*ringdesk.ReconcileState, error) {
	ch, err := d.db.ChannelByID(ctx, channelID)
	if err != nil {
		return nil, err
	}
	if ch.Type != ringdesk.ChannelTypeUIS {
		return nil, ringdesk.Errorf(ringdesk.EINVALID, "Only UIS channels have a calls report to reconcile with.")
	}
	d.reconcileMu.Lock()
	defer d.reconcileMu.Unlock()
	now := d.Now()
	st, err := d.db.ReconcileState(ctx, channelID)
	if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND {
		st, err = &ringdesk.ReconcileState{ChannelID: channelID}, nil
	}
	if err != nil {
		return nil, err
	}
	from := now.Add(-reconcileFirst)
	if !st.SyncedUntil.IsZero() {
		from = st.SyncedUntil.Add(-reconcileOverlap)
	}
	if oldest, ok, err := d.db.OldestUnfinishedCall(ctx, channelID, now.Add(-reconcileUnfinished)); err != nil {
		return nil, err
	} else if ok && oldest.Before(from) {
		from = oldest.Truncate(time.Second)
	}
	from = maxTime(from, now.Add(-reconcileLookback))
	run := ringdesk.ReconcileState{ChannelID: channelID, SyncedUntil: now, LastRunAt: now, Status: ringdesk.ReconcileOK}
	if err := d.readReport(ctx, ch, from, now, &run); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err() // shutting down: not the channel's failure
		}
		reason := reconcileReason(err)
		// Neither UIS nor store errors carry the App Secret.
		d.log.Warn("reconciliation with the UIS calls report failed", "channel_id", channelID, "err", err,
			"recovered", run.Recovered, "finished", run.Finished)
		d.cfg.Metrics.ReconcileRun(false, run.Recovered, run.Finished)
		if err := d.db.SaveReconcileFailure(ctx, channelID, reason, run.UISTimezone, now); err != nil {
			return nil, err
		}
		return d.db.ReconcileState(ctx, channelID)
	}
	if err := d.db.SaveReconcileRun(ctx, run); err != nil {
		return nil, err
	}
	d.cfg.Metrics.ReconcileRun(true, run.Recovered, run.Finished)
	if run.Recovered > 0 || run.Finished > 0 || run.Skipped > 0 {
		d.log.Info("reconciled with the UIS calls report", "channel_id", channelID, "checked", run.Checked,
			"recovered", run.Recovered, "finished", run.Finished, "skipped", run.Skipped)
	}
	return &run, nil
}

// ErrTimezoneDiffers stops reconciliation while the UIS account's time zone
// differs from the channel's: the report's times, and the window asked
// for, would be shifted by the difference.
var ErrTimezoneDiffers = ringdesk.Errorf(ringdesk.EINVALID, "The UIS account's time zone differs from the channel's; check the connection on the channel page to take the account's.")

// readReport checks the account's time zone, then pages through the calls
// report of [from, till] of the channel's numbers and sources, oldest
// first, and applies each row; it counts into run.
func (d *Desk) readReport(ctx context.Context, ch *ringdesk.Channel, from, till time.Time, run *ringdesk.ReconcileState) error {
	if !ch.HasSecret {
		return ErrNoAppSecret
	}
	secret, err := d.AppSecret(ctx, ch.ID)
	if err != nil {
		return err
	}
	c := d.uisClient(ch.UIS.CallAPIURL, ch.UIS.DataAPIURL, &http.Client{Timeout: reconcileTimeout})
	c.Location = ch.UIS.Location()
	acct, err := c.GetAccount(ctx, secret)
	if err != nil {
		return err
	}
	run.UISTimezone = acct.Timezone
	if acct.Timezone != "" && acct.Timezone != ch.UIS.Timezone {
		return ErrTimezoneDiffers
	}
	// The report's bounds are whole seconds and, by how production sync
	// jobs read them, may exclude both ends: ask one second wider on each
	// side (a row read twice is applied once).
	now := till
	from = from.Truncate(time.Second).Add(-time.Second)
	till = till.Truncate(time.Second).Add(2 * time.Second)
	if err := d.readWindow(ctx, c, secret, ch, from, till, run); err != nil {
		return err
	}
	return d.lookBack(ctx, c, secret, ch, from, now)
}

// lookBack reads UIS's time to call back of the channel's lost calls that
// started in the last day before the run's window (from): the run reads a
// call only while its start is inside the window, but UIS's figure appears
// when the call back is made, hours later maybe. It runs at most once per
// Config.ReconcileLookbackEvery per channel (the process remembers;
// reconcileMu held), asks only for lost calls (is_lost = true, or every
// row, skipping the answered ones, when the account refuses that filter)
// and only for LostFields, one request per page. A UIS failure stops it
// with a log line and leaves the run a success (the next look-back reads
// the day again); only a store failure is returned.
func (d *Desk) lookBack(ctx context.Context, c *uis.Client, secret string, ch *ringdesk.Channel, from, now time.Time) error {
	every := d.cfg.ReconcileLookbackEvery
	if every <= 0 {
		every = lostLookbackEvery
	}
	if last, ok := d.lookbackAt[ch.ID]; d.noLostField[ch.ID] || (ok && now.Before(last.Add(every))) {
		return nil
	}
	d.lookbackAt[ch.ID] = now
	lbFrom := now.Add(-lostLookback).Truncate(time.Second)
	lbTill := from.Add(2 * time.Second) // the run's window read the rest
	if !lbTill.After(lbFrom) {
		return nil // the run's window already reached back a day
	}
	page := d.cfg.ReconcilePage
	if page <= 0 {
		page = 1000
	}
	q := uis.ReportQuery{From: lbFrom, Till: lbTill, Filter: lostFilter(ch.UIS, !d.noLostFilter[ch.ID]),
		Fields: uis.LostFields, SortByStart: true, Limit: page}
	read, updated := 0, 0
	for {
		rep, err := c.GetCallsReport(ctx, secret, q)
		if err != nil && !d.noLostFilter[ch.ID] && uis.RefusesReportFilter(err, "is_lost") {
			refusal := err
			q.Filter = lostFilter(ch.UIS, false)
			if rep, err = c.GetCallsReport(ctx, secret, q); err == nil {
				d.noLostFilter[ch.ID] = true
				d.log.Warn("the UIS calls report refuses a filter by is_lost; the look-back for UIS's time to call back reads every call of the day",
					"channel_id", ch.ID, "err", refusal)
			}
		}
		if err != nil {
			// A refusal naming the fields is not taken as a refusal of
			// lost_call_processing_duration here (it may name another of
			// the look-back's fields): the run's own request, retried
			// without the field, decides that (noLostField).
			if ctx.Err() != nil {
				return ctx.Err()
			}
			d.log.Warn("look-back for UIS's time to call back stopped: the UIS calls report failed; the next look-back reads the day again",
				"channel_id", ch.ID, "offset", q.Offset, "read", read, "updated", updated, "err", err)
			return nil
		}
		for _, raw := range rep.Rows {
			l, err := uis.ParseReportLost(raw)
			if err != nil || !l.IsLost || l.Seconds == nil {
				continue // an unusable row is the run's to keep as a dead letter, when its window reads it
			}
			read++
			wrote, err := d.db.SetCallUISLostSeconds(ctx, ch.ID, l.CallSessionID, *l.Seconds)
			if err != nil {
				return err
			}
			if wrote {
				updated++
			}
		}
		q.Offset += len(rep.Rows)
		if len(rep.Rows) < page || int64(q.Offset) >= rep.TotalItems {
			break
		}
		if q.Offset+page > uis.MaxReportOffset {
			d.log.Warn("look-back for UIS's time to call back stopped at the calls report's paging limit",
				"channel_id", ch.ID, "offset", q.Offset, "total", rep.TotalItems)
			break
		}
	}
	if updated > 0 {
		d.log.Info("look-back recorded UIS's time to call back", "channel_id", ch.ID, "with_time", read, "updated", updated)
	}
	return nil
}

// lostFilter is the look-back's filter: the channel's report filter, and
// lost calls only when lost is set.
func lostFilter(s ringdesk.UISSettings, lost bool) *uis.Filter {
	f := reportFilter(s)
	if !lost {
		return f
	}
	isLost := uis.Filter{Field: "is_lost", Operator: "=", Value: true}
	if f == nil {
		return &isLost
	}
	if f.Condition == "and" {
		and := *f
		and.Filters = append(slices.Clip(f.Filters), isLost)
		return &and
	}
	return &uis.Filter{Condition: "and", Filters: []uis.Filter{*f, isLost}}
}

// readWindow applies the rows of one window, splitting it in two when it
// holds more rows than the report lets one page through (MaxReportOffset).
func (d *Desk) readWindow(ctx context.Context, c *uis.Client, secret string, ch *ringdesk.Channel, from, till time.Time, run *ringdesk.ReconcileState) error {
	page := d.cfg.ReconcilePage
	if page <= 0 {
		page = 1000
	}
	q := uis.ReportQuery{From: from, Till: till, Filter: reportFilter(ch.UIS), Fields: d.reportFields(ch.ID), SortByStart: true, Limit: page}
	for {
		rep, err := c.GetCallsReport(ctx, secret, q)
		if err != nil && len(q.Fields) > len(uis.ReportFields) && uis.RefusesReportField(err, uis.LostProcessingField) {
			// An account whose report does not know UIS's own time to call
			// back is read without it (reports then show no UIS figure),
			// if that is what it refused.
			refusal := err
			q.Fields = uis.ReportFields
			if rep, err = c.GetCallsReport(ctx, secret, q); err == nil {
				d.noLostField[ch.ID] = true
				d.log.Warn("the UIS calls report refuses lost_call_processing_duration; reconciling without UIS's time to call back",
					"channel_id", ch.ID, "err", refusal)
			}
		}
		if err != nil {
			return err
		}
		if q.Offset == 0 && rep.TotalItems > int64(uis.MaxReportOffset) && till.Sub(from) > 2*time.Second {
			mid := from.Add(till.Sub(from) / 2).Truncate(time.Second)
			if err := d.readWindow(ctx, c, secret, ch, from, mid.Add(time.Second), run); err != nil {
				return err
			}
			return d.readWindow(ctx, c, secret, ch, mid.Add(-time.Second), till, run)
		}
		sent := false
		for _, raw := range rep.Rows {
			run.Checked++
			got, err := d.reconcileCall(ctx, ch, raw, run)
			if err != nil {
				return err
			}
			sent = sent || got
		}
		if len(rep.Rows) > 0 && !sent && !d.noLostField[ch.ID] && !d.silentLost[ch.ID] {
			d.silentLost[ch.ID] = true
			d.log.Info("the UIS calls report leaves out lost_call_processing_duration though asked; reports show no UIS time to call back",
				"channel_id", ch.ID)
		}
		q.Offset += len(rep.Rows)
		if len(rep.Rows) < page || int64(q.Offset) >= rep.TotalItems || q.Offset+page > uis.MaxReportOffset {
			return nil
		}
	}
}

// reportFields are the fields reconciliation asks the channel's calls
// report for: uis.ReportFields, and UIS's own time to call back unless
// the channel's report refused it (the process remembers; reconcileMu held).
func (d *Desk) reportFields(channelID int64) []string {
	if d.noLostField[channelID] {
		return uis.ReportFields
	}
	return append(slices.Clip(uis.ReportFields), uis.LostProcessingField)
}

// reportFilter limits the report to the channel's virtual numbers and call
// sources, when it names them: an account may be shared with other
// departments or businesses, and its auto-dialler, informer or SIP calls
// are not this channel's.
func reportFilter(s ringdesk.UISSettings) *uis.Filter {
	anyOf := func(field string, values []string) *uis.Filter {
		if len(values) == 0 {
			return nil
		}
		f := &uis.Filter{Condition: "or"}
		for _, v := range values {
			f.Filters = append(f.Filters, uis.Filter{Field: field, Operator: "=", Value: v})
		}
		if len(f.Filters) == 1 {
			return &f.Filters[0]
		}
		return f
	}
	nums, srcs := anyOf("virtual_phone_number", s.VirtualNumbers), anyOf("source", s.ReportSources)
	switch {
	case nums == nil:
		return srcs
	case srcs == nil:
		return nums
	}
	return &uis.Filter{Condition: "and", Filters: []uis.Filter{*nums, *srcs}}
}

// reconcileCall applies one report row unless Ringdesk already has the
// call finished, then records UIS's own time to call the call back when
// the row has one (it appears, and may change, after the call ended, so
// every row seen counts, repaired or not). The row's dedupe key is the
// call's, so however often the report lists a call it is stored once. A
// row that cannot be applied is kept as a dead letter with its reason and
// counted as skipped, so one bad row never stops the pass; only the
// database being down does. It reports whether the row had the field.
func (d *Desk) reconcileCall(ctx context.Context, ch *ringdesk.Channel, raw []byte, run *ringdesk.ReconcileState) (bool, error) {
	ev, err := uis.ParseReportCall(raw, ch.UIS.Location())
	if err != nil {
		return false, d.skipReportRow(ctx, ch, raw, deadLetterReason(err), run)
	}
	if ev.FinishTime.IsZero() {
		return ev.LostCallProcessingSent, nil // still in progress: nothing to apply yet
	}
	stage, exists, err := d.db.CallStage(ctx, ch.ID, ev.CallSessionID)
	if err != nil {
		return false, err
	}
	if !exists || stage < uis.CallFinished.Stage() {
		res, err := d.ingest(ctx, ch, ev, raw, reportKey(ch.ID, ev.CallSessionID))
		switch {
		case err == nil:
		case ringdesk.ErrorCode(err) == ringdesk.EUNAVAILABLE || ctx.Err() != nil:
			return false, err
		default:
			d.log.Error("calls report row not applied; kept as a dead letter", "channel_id", ch.ID,
				"call_session_id", ev.CallSessionID, "err", err)
			return false, d.skipReportRow(ctx, ch, raw, deadLetterReason(err), run)
		}
		switch {
		case res.Duplicate:
		case res.NewCall:
			run.Recovered++
		default:
			run.Finished++
		}
	}
	if v := ev.LostCallProcessing; v != nil {
		if _, err := d.db.SetCallUISLostSeconds(ctx, ch.ID, ev.CallSessionID, *v); err != nil {
			return false, err
		}
	}
	return ev.LostCallProcessingSent, nil
}

// reportKey is the dedupe key of a calls report row: one per call.
func reportKey(channelID, session int64) string {
	return fmt.Sprintf("%d:%d:%s", channelID, session, uis.ReportFinished)
}

// skipReportRow keeps a report row that could not be applied as a dead
// letter and counts it.
func (d *Desk) skipReportRow(ctx context.Context, ch *ringdesk.Channel, raw []byte, reason ringdesk.DeadLetterReason, run *ringdesk.ReconcileState) error {
	run.Skipped++
	d.log.Warn("calls report row skipped; kept as a dead letter", "channel_id", ch.ID, "problem", reason.Problem,
		"field", reason.Field, "reason", string(uis.MaskSecrets([]byte(reason.Text))))
	if err := d.db.AddDeadLetter(ctx, ch.ID, string(uis.ReportFinished), raw, reason, d.Now()); err != nil {
		return err
	}
	d.cfg.Metrics.DeadLetter("calls_report")
	return nil
}

// reconcileReason puts a failure in words for the channel page and the
// log; it never holds the App Secret (UIS errors never carry it).
func reconcileReason(err error) string {
	var ue *uis.Error
	var te *uis.TransportError
	var re *ringdesk.Error
	switch {
	case errors.As(err, &ue), errors.As(err, &te):
		return err.Error()
	case errors.As(err, &re) && re.Code != ringdesk.EINTERNAL:
		return re.Message
	}
	return "internal error"
}

// ReconcileDue runs a pass for each channel that is due (the app runs it
// every ReconcileEvery, on one instance at a time: internal/jobs): active, UIS, with
// an App Secret, not reconciled within half an interval (by this or another
// instance sharing the database) and not backing off after failures.
func (d *Desk) ReconcileDue(ctx context.Context) error {
	chans, err := d.db.ListChannels(ctx)
	if err != nil {
		return err
	}
	for _, ch := range chans {
		if ch.Type != ringdesk.ChannelTypeUIS || !ch.Active || !ch.HasSecret {
			continue
		}
		st, err := d.db.ReconcileState(ctx, ch.ID)
		if err == nil && d.Now().Before(st.LastRunAt.Add(reconcileWait(d.cfg.ReconcileEvery, st.Failures))) {
			continue
		}
		if _, err := d.ReconcileChannel(ctx, ch.ID); err != nil {
			return err
		}
	}
	return nil
}

// reconcileWait is how long after a run the next is due: half an interval
// after a success (so instances sharing a database take turns), and twice
// as long after each failure in a row, up to reconcileMaxBackoff.
func reconcileWait(every time.Duration, failures int) time.Duration {
	if failures == 0 {
		return every / 2
	}
	b := every
	for i := 0; i < failures && b < reconcileMaxBackoff; i++ {
		b *= 2
	}
	return min(b, reconcileMaxBackoff)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

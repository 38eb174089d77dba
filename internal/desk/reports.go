package desk

import (
	"context"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// Call reports: the desk reads the period's calls, the call backs of its
// missed calls and the channels' thresholds, and the domain computes every
// figure (ringdesk.BuildCallReport) or picks the calls behind one
// (ringdesk.SelectReportCalls), so a number and the calls it links to
// never disagree.

func canSeeReports(actor *ringdesk.Agent) error {
	if !actor.CanSeeReports() {
		return ringdesk.Errorf(ringdesk.EFORBIDDEN, "Only supervisors and administrators can see reports.")
	}
	return nil
}

// CallReport computes the figures of q for actor (a supervisor or an
// administrator). It sums the per-hour rollups and reads the call-back
// columns of the missed calls when the period's days are whole UTC hours
// (ringdesk.RollupExpressible); in zones whose offset is not whole hours
// (Asia/Kolkata, Asia/Kathmandu, ...) a UTC hour straddles two local hours
// or days, so it reads the calls (CallReportFromCalls). Every filter the
// report offers (channel, line, group, agent, direction) is a rollup key.
func (d *Desk) CallReport(ctx context.Context, actor *ringdesk.Agent, q ringdesk.ReportQuery) (*ringdesk.CallFigures, error) {
	if err := canSeeReports(actor); err != nil {
		return nil, err
	}
	if !ringdesk.RollupExpressible(q.Period) {
		return d.CallReportFromCalls(ctx, actor, q)
	}
	in := ringdesk.RollupInput{Period: q.Period}
	var err error
	from, to := q.Period.Start(), q.Period.End()
	if in.Hours, in.Agents, err = d.db.ReportRollups(ctx, from, to, q.Filter); err != nil {
		return nil, err
	}
	if in.Backs, err = d.db.ReportCallBacks(ctx, from, to, q.Filter); err != nil {
		return nil, err
	}
	if in.UISBacks, err = d.db.ReportUISCallBacks(ctx, from, to, q.Filter); err != nil {
		return nil, err
	}
	if in.Solved, err = d.solvedTickets(ctx, q); err != nil {
		return nil, err
	}
	return ringdesk.BuildRollupReport(in), nil
}

// CallReportFromCalls computes the figures of q from the period's calls,
// as ringdesk.BuildCallReport defines them: the reference the rollups are
// tested against, and the report of zones the rollups cannot serve.
func (d *Desk) CallReportFromCalls(ctx context.Context, actor *ringdesk.Agent, q ringdesk.ReportQuery) (*ringdesk.CallFigures, error) {
	if err := canSeeReports(actor); err != nil {
		return nil, err
	}
	in, err := d.reportInput(ctx, q, true)
	if err != nil {
		return nil, err
	}
	return ringdesk.BuildCallReport(in), nil
}

// ReportCallIDs returns the ids of the calls behind one figure of q's
// report, newest first.
func (d *Desk) ReportCallIDs(ctx context.Context, actor *ringdesk.Agent, q ringdesk.ReportQuery, s ringdesk.ReportSlice) ([]int64, error) {
	if err := canSeeReports(actor); err != nil {
		return nil, err
	}
	if s.Metric == ringdesk.MetricCallBacksMade && q.Filter.AgentID != 0 {
		// The agent who called back is not the missed call's: the missed
		// calls are read for everyone, their call backs kept for the agent.
		s.ByAgent, q.Filter.AgentID = q.Filter.AgentID, 0
	}
	in, err := d.reportInput(ctx, q, false)
	if err != nil {
		return nil, err
	}
	return ringdesk.SelectReportCalls(in, s), nil
}

func (d *Desk) reportInput(ctx context.Context, q ringdesk.ReportQuery, solved bool) (ringdesk.ReportInput, error) {
	in := ringdesk.ReportInput{Period: q.Period, Thresholds: map[int64]ringdesk.Thresholds{}}
	channels, err := d.db.ListChannels(ctx)
	if err != nil {
		return in, err
	}
	for _, c := range channels {
		in.Thresholds[c.ID] = c.UIS.Thresholds()
	}
	if in.Calls, err = d.db.ReportCalls(ctx, q.Period.Start(), q.Period.End(), q.Filter); err != nil {
		return in, err
	}
	links, err := d.db.MissedCallBacks(ctx, q.Period.Start(), q.Period.End(), q.Filter)
	if err != nil {
		return in, err
	}
	var ids []int64
	for _, l := range links {
		if l.AnsweredID != 0 {
			ids = append(ids, l.AnsweredID)
		}
	}
	backs, err := d.db.ReportCallsByIDs(ctx, ids)
	if err != nil {
		return in, err
	}
	byID := make(map[int64]*ringdesk.ReportCall, len(backs))
	for _, c := range backs {
		byID[c.ID] = c
	}
	var missed []*ringdesk.ReportCall
	for _, c := range in.Calls {
		if c.Missed() {
			missed = append(missed, c)
		}
	}
	in.Backs = ringdesk.CallBacksFromLinks(missed, links, byID)
	if solved {
		in.Solved, err = d.solvedTickets(ctx, q)
	}
	return in, err
}

// solvedTickets counts the tickets solved in q's period per assignee, of
// those its filters keep (store.SolvedTickets says how).
func (d *Desk) solvedTickets(ctx context.Context, q ringdesk.ReportQuery) (map[int64]int, error) {
	return d.db.SolvedTickets(ctx, q.Period.Start(), q.Period.End(), q.Filter)
}

// CompactReports folds the report rollups' shards of past hours together
// (store.CompactReportShards): a periodic job.
func (d *Desk) CompactReports(ctx context.Context) error {
	return d.db.CompactReportShards(ctx, d.Now())
}

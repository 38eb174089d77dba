package desk

import (
	"context"
	"time"

	"github.com/ringdesk/ringdesk/internal/live"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// Wallboard is the live wallboard's state at At.
type Wallboard struct {
	ringdesk.Board
	// Today is today's report (in the wallboard's zone), every channel.
	Today *ringdesk.CallFigures
	// MissedWaiting counts open tickets of missed calls still waiting for a
	// call back.
	MissedWaiting int64
	At            time.Time
}

// Wallboard reads the wallboard for actor (a supervisor or an
// administrator), today being the day in zone.
func (d *Desk) Wallboard(ctx context.Context, actor *ringdesk.Agent, zone *time.Location) (*Wallboard, error) {
	if err := canSeeReports(actor); err != nil {
		return nil, err
	}
	now := d.Now()
	calls, err := d.activeCalls(ctx)
	if err != nil {
		return nil, err
	}
	agents, err := d.db.ListAgents(ctx)
	if err != nil {
		return nil, err
	}
	from, to, _ := ringdesk.PresetPeriod(ringdesk.PeriodToday, now, zone)
	period, err := ringdesk.NewReportPeriod(from, to, zone)
	if err != nil {
		return nil, err
	}
	today, err := d.CallReport(ctx, actor, ringdesk.ReportQuery{Period: period})
	if err != nil {
		return nil, err
	}
	missed, err := d.db.MissedOpenCount(ctx)
	if err != nil {
		return nil, err
	}
	return &Wallboard{Board: ringdesk.BuildBoard(calls, agents, now), Today: today, MissedWaiting: missed, At: now}, nil
}

// publishBoard tells open wallboards that calls changed; they read the
// board again.
func (d *Desk) publishBoard() {
	d.live.Publish(live.Event{Name: "board", Data: []byte("{}"), Agents: []int64{live.Wallboard}})
}

package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/demo"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestDemoHasReports: a fresh demo imports a week of calls, so its
// supervisor's reports for the last 7 days have figures: missed calls,
// most of them called back, a service level; a restarted demo imports
// nothing again.
func TestDemoHasReports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dsn := storetest.DSN(t)
	r := startRun(t, dir, dsn)
	ctx := context.Background()
	count := func() int {
		var n int
		r.app.DB.QueryRowForTest(ctx, `SELECT COUNT(*) FROM calls`).Scan(&n)
		return n
	}
	select {
	case <-r.dm.HistorySeeded():
	case <-time.After(2 * time.Minute):
		t.Fatalf("the history was not imported within 2 minutes (%d calls)", count())
	}
	seeded := count()
	sup, _, err := r.app.DB.AgentCredentials(ctx, demo.SupervisorEmail)
	if err != nil || sup.Role != ringdesk.RoleSupervisor {
		t.Fatalf("the demo's supervisor: %+v, %v", sup, err)
	}
	msk, _ := ringdesk.LoadLocation("Europe/Moscow")
	from, to, _ := ringdesk.PresetPeriod(ringdesk.PeriodLast7, r.app.Desk.Now(), msk)
	p, _ := ringdesk.NewReportPeriod(from, to, msk)
	rep, err := r.app.Desk.CallReport(ctx, sup, ringdesk.ReportQuery{Period: p})
	if err != nil {
		t.Fatal(err)
	}
	cb := rep.CallBacks
	if rep.Inbound.Offered < 150 || rep.Inbound.Missed == 0 || rep.Inbound.ServiceLevel == nil || cb.CalledBack == 0 ||
		cb.Never == 0 || cb.FirstAttempt == 0 || cb.FirstAttempt == cb.CalledBack || rep.Outbound.Attempts == 0 || len(rep.Agents) != 3 {
		t.Errorf("the demo's last 7 days: inbound %+v, call backs %+v, outbound %+v, %d agents", rep.Inbound, cb, rep.Outbound, len(rep.Agents))
	}
	r.stop()
	r2 := startRun(t, dir, dsn)
	time.Sleep(500 * time.Millisecond)
	r2.stop()
	var n int
	r2.app.DB.QueryRowForTest(ctx, `SELECT COUNT(*) FROM calls`).Scan(&n)
	if n > seeded+5 {
		t.Errorf("a restarted demo imported its history again: %d calls, %d before", n, seeded)
	}
}

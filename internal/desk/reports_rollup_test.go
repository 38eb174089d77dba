package desk_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/ringdesk/foldtest"
	"github.com/ringdesk/ringdesk/internal/store"
)

// TestRollupReportEqualsCallsReport: random calls on two channels with
// different thresholds, two lines, a group and two agents (events lost, duplicated,
// shuffled, transfers, report rows, missed calls and their call backs)
// ingested concurrently through the real pipeline; the report summed from
// the rollups and call-back columns equals the report read from the calls,
// for periods, zones and filters, on SQLite and PostgreSQL; and still does
// after a threshold change (which rebuilds the channel's rollups), a merge
// of two clients (which moves call backs) and `reports rebuild`.
func TestRollupReportEqualsCallsReport(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	var chans []*ringdesk.Channel
	for _, name := range []string{"UIS one", "UIS two"} {
		ch, err := a.Desk.CreateChannel(ctx, ringdesk.System, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeUIS, Name: name})
		if err != nil {
			t.Fatal(err)
		}
		chans = append(chans, ch)
	}
	name := "Продажи"
	group, err := a.Desk.CreateGroup(ctx, ringdesk.System, ringdesk.GroupInput{Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	t10, s3 := int64(10), int64(3)
	st := chans[1].UIS
	st.AnswerWithin, st.ShortAbandon = &t10, &s3
	// The second line's calls on the second channel go to the group.
	st.RoutingRules = []ringdesk.RoutingRule{{VirtualPhoneNumber: "74957654321", GroupID: group.ID}}
	if chans[1], err = a.Desk.UpdateChannel(ctx, ringdesk.System, chans[1].ID, ringdesk.ChannelUpdate{UIS: &st}); err != nil {
		t.Fatal(err)
	}
	var agents []int64
	for i, op := range []int64{101, 102} {
		ag, err := a.Desk.CreateAgent(ctx, ringdesk.System, ringdesk.AgentCreate{Name: "Agent", Email: []string{"r1@x.test", "r2@x.test"}[i],
			Role: ringdesk.RoleAgent, OperatorID: &op, Password: "long-enough-password"})
		if err != nil {
			t.Fatal(err)
		}
		agents = append(agents, ag.ID)
	}
	rng := rand.New(rand.NewPCG(18, 60))
	calls := foldtest.Calls(rng, 400)
	type job struct {
		ch      *ringdesk.Channel
		session int64
		event   ringdesk.CallEvent
	}
	var jobs []job
	for i, evs := range calls {
		ch, line := chans[rng.IntN(2)], []string{"74951234567", "74957654321"}[rng.IntN(2)]
		for _, e := range evs {
			e.VirtualNumber = line
			jobs = append(jobs, job{ch, int64(7000 + i), e})
		}
	}
	rng.Shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })
	ingest := func(jobs []job) {
		work := make(chan job)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range work {
					raw, _ := json.Marshal(j.event)
					if _, err := a.Desk.IngestEventForTest(ctx, j.ch, j.session, j.event, raw); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		for _, j := range jobs {
			work <- j
		}
		close(work)
		wg.Wait()
	}
	// The last events arrive after the shards are folded (below).
	late := jobs[len(jobs)*85/100:]
	ingest(jobs[:len(jobs)*85/100])
	// UIS's own time to call back (lost_call_processing_duration), as
	// reconciliation records it: on some calls, missed or not (only the
	// missed ones count), before and after the rollups were written.
	for i := range calls {
		if rng.IntN(3) == 0 {
			continue
		}
		for _, ch := range chans {
			if _, err := a.DB.SetCallUISLostSeconds(ctx, ch.ID, int64(7000+i), rng.Int64N(4*3600)); err != nil {
				t.Fatal(err)
			}
		}
	}

	zones := []string{"UTC", "Europe/Moscow", "Asia/Novosibirsk"}
	filters := []ringdesk.ReportFilter{{}, {ChannelID: chans[1].ID}, {VirtualNumber: "74957654321"}, {Direction: "in"},
		{Direction: "out"}, {AgentID: agents[0]}, {GroupID: group.ID}, {ChannelID: chans[0].ID, Direction: "in", VirtualNumber: "74951234567"}}
	compare := func(stage string) {
		t.Helper()
		for _, zone := range zones {
			loc, ok := ringdesk.LoadLocation(zone)
			if !ok {
				t.Fatal(zone)
			}
			for _, days := range [][2]int{{1, 30}, {3, 3}, {10, 16}, {28, 30}} {
				p, err := ringdesk.NewReportPeriod(time.Date(2026, 11, days[0], 0, 0, 0, 0, loc), time.Date(2026, 11, days[1], 0, 0, 0, 0, loc), loc)
				if err != nil {
					t.Fatal(err)
				}
				if !ringdesk.RollupExpressible(p) {
					t.Fatalf("%s: not whole hours", zone)
				}
				for _, f := range filters {
					q := ringdesk.ReportQuery{Period: p, Filter: f}
					got, err := a.Desk.CallReport(ctx, ringdesk.System, q)
					if err != nil {
						t.Fatal(err)
					}
					want, err := a.Desk.CallReportFromCalls(ctx, ringdesk.System, q)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s, %s days %v, %+v: the rollup report differs from the calls report\nrollups %s\ncalls   %s",
							stage, zone, days, f, reportJSON(got), reportJSON(want))
					}
				}
			}
		}
	}
	compare("ingested")
	if a.DB.Dialect() == store.Postgres {
		// The parallel batch writers added to their own shards; folding
		// the past hours' shards together changes no figure.
		shardRows := func() (n int) {
			if err := a.DB.QueryRowForTest(ctx, `SELECT COUNT(*) FROM call_report_hours WHERE shard <> 0`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if shardRows() == 0 {
			t.Fatal("no rollup row outside shard 0: the writers did not shard")
		}
		if err := a.DB.CompactReportShards(ctx, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if n := shardRows(); n != 0 {
			t.Fatalf("%d rollup rows outside shard 0 after folding", n)
		}
		compare("after folding the shards")
	}
	// Late events change calls whose figures are in shard 0 now, through
	// writers adding to other shards (missed calls leaving their bucket:
	// the longest wait is recomputed across shards).
	// On PostgreSQL the folding job runs all the while (it locks as the
	// writers do: a deadlock would fail an ingest or a fold).
	stop, folded := make(chan struct{}), make(chan int)
	go func() {
		n := 0
		defer func() { folded <- n }()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := a.DB.CompactReportShards(ctx, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Error(err)
				return
			}
			n++
		}
	}()
	ingest(late)
	close(stop)
	if n := <-folded; n == 0 {
		t.Error("the shards were never folded during the late events")
	}
	compare("late events")
	// The sample has what the figures count.
	loc, _ := ringdesk.LoadLocation("UTC")
	p, _ := ringdesk.NewReportPeriod(time.Date(2026, 11, 1, 0, 0, 0, 0, loc), time.Date(2026, 11, 30, 0, 0, 0, 0, loc), loc)
	all, err := a.Desk.CallReport(ctx, ringdesk.System, ringdesk.ReportQuery{Period: p})
	if err != nil {
		t.Fatal(err)
	}
	in, cb := all.Inbound, all.CallBacks
	grouped, err := a.Desk.CallReport(ctx, ringdesk.System, ringdesk.ReportQuery{Period: p, Filter: ringdesk.ReportFilter{GroupID: group.ID}})
	if err != nil || grouped.Inbound.Offered == 0 || grouped.Inbound.Offered == in.Offered {
		t.Fatalf("the group's calls: %v, %v", grouped, err)
	}
	if in.Answered == 0 || in.Missed == 0 || in.ShortAbandoned == 0 || in.AnsweredWithin == 0 || all.Outbound.Answered == 0 ||
		cb.CalledBack == 0 || cb.Never == 0 || cb.FirstAttempt == 0 || len(all.Agents) == 0 ||
		cb.UISReported == 0 || cb.UISReported == cb.Missed || cb.UISMedianSeconds == nil || cb.UISP90Seconds == nil {
		t.Fatalf("the sample lacks a case: %s", reportJSON(all))
	}

	t25 := int64(25)
	st.AnswerWithin = &t25
	if _, err := a.Desk.UpdateChannel(ctx, ringdesk.System, chans[1].ID, ringdesk.ChannelUpdate{UIS: &st}); err != nil {
		t.Fatal(err)
	}
	compare("after a threshold change")

	var lo, hi int64
	if err := a.DB.QueryRowForTest(ctx, `SELECT MIN(client_id), MAX(client_id) FROM calls`).Scan(&lo, &hi); err != nil || lo == hi {
		t.Fatalf("clients %d..%d, %v", lo, hi, err)
	}
	if _, err := a.Desk.MergeClients(ctx, ringdesk.System, lo, hi); err != nil {
		t.Fatal(err)
	}
	compare("after a merge")

	before, err := a.Desk.CallReport(ctx, ringdesk.System, ringdesk.ReportQuery{Period: p})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.DB.RebuildReports(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := a.Desk.CallReport(ctx, ringdesk.System, ringdesk.ReportQuery{Period: p})
	if err != nil || !reflect.DeepEqual(before, after) {
		t.Errorf("rebuild changed the report (%v)\nbefore %s\nafter  %s", err, reportJSON(before), reportJSON(after))
	}
	compare("after a rebuild")

	kolkata, _ := ringdesk.LoadLocation("Asia/Kolkata")
	pk, _ := ringdesk.NewReportPeriod(time.Date(2026, 11, 1, 0, 0, 0, 0, kolkata), time.Date(2026, 11, 30, 0, 0, 0, 0, kolkata), kolkata)
	if ringdesk.RollupExpressible(pk) {
		t.Error("Asia/Kolkata's half hours are whole hours to the rollups")
	}
}

func reportJSON(r *ringdesk.CallFigures) string {
	b, _ := json.Marshal(r)
	return string(b)
}

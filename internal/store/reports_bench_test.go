package store_test

import (
	"context"
	"os"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// BenchmarkCallReport times the call report (every section: the figures,
// call backs, per hour, per day, heat map, agents) through the desk, on
// the seed of BenchmarkCallsList (RINGDESK_BENCH_CALLS calls, one every
// 10 s from 1 January 2024, so 3,000,000 calls span 347 days): a day, 30
// days and the whole year 2024, with and without a filter. It reports
// p50/p95 in ms.
func BenchmarkCallReport(b *testing.B) {
	n := 200_000
	if v, err := strconv.Atoi(os.Getenv(envBenchCalls)); err == nil && v > 0 {
		n = v
	}
	db := callsBenchDB(b, n)
	d := desk.New(db, nil, desk.DefaultConfig())
	msk, _ := ringdesk.LoadLocation("Europe/Moscow")
	day := func(m time.Month, dd int) time.Time { return time.Date(2024, m, dd, 0, 0, 0, 0, msk) }
	// The last month the seed fills.
	last := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * 10 * time.Second).In(msk)
	end := time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, msk).AddDate(0, 0, -1)
	cases := []struct {
		name     string
		from, to time.Time
		f        ringdesk.ReportFilter
	}{
		{"1_day", end, end, ringdesk.ReportFilter{}},
		{"30_days", end.AddDate(0, 0, -29), end, ringdesk.ReportFilter{}},
		{"30_days_agent", end.AddDate(0, 0, -29), end, ringdesk.ReportFilter{AgentID: 1005}},
		{"30_days_in", end.AddDate(0, 0, -29), end, ringdesk.ReportFilter{Direction: "in"}},
		{"year", day(1, 1), day(12, 31), ringdesk.ReportFilter{}},
	}
	for _, c := range cases {
		p, err := ringdesk.NewReportPeriod(c.from, c.to, msk)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			var times, cpu []time.Duration
			offered := 0
			for b.Loop() {
				t0, c0 := time.Now(), cpuTime()
				r, err := d.CallReport(ctx, ringdesk.System, ringdesk.ReportQuery{Period: p, Filter: c.f})
				times = append(times, time.Since(t0))
				cpu = append(cpu, cpuTime()-c0)
				if err != nil {
					b.Fatal(err)
				}
				offered = r.Inbound.Offered + r.Outbound.Attempts
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(offered), "calls")
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
			// The process's CPU time (SQLite works in it; PostgreSQL's
			// server does not count): what the report costs on an idle
			// core, whatever the machine's load.
			sort.Slice(cpu, func(i, j int) bool { return cpu[i] < cpu[j] })
			b.ReportMetric(float64(cpu[len(cpu)/2].Microseconds())/1000, "cpu-p50-ms")
		})
	}
}

// cpuTime is the CPU time the process has used (user + system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

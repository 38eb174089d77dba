package store

import (
	"context"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestRollupShardsKeepTheLongestWait: the longest wait of a bucket whose
// rows several writers keep (shards) follows its missed calls when a call
// added by one writer is taken back by another, before and after the
// shards are folded together; the sums stay the calls'.
func TestRollupShardsKeepTheLongestWait(t *testing.T) {
	t.Parallel()
	db := openBatchTestDB(t)
	ctx := context.Background()
	ch, err := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: "uis", Name: "shards", UIS: ringdesk.UISSettings{}.WithDefaults()}, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.w.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%v: %.200s", err, q)
		}
	}
	exec(`INSERT INTO clients (id, name, search, created_at, updated_at) VALUES (1, 'C', 'c', 1, 1)`)
	exec(`INSERT INTO tickets (id, subject, status, priority, type, channel_id, client_id, created_at, updated_at)
		VALUES (1, 'Call', 'open', 'medium', 'question', $1, 1, 1, 1)`, ch.ID)
	hour := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	// Two missed calls of one hour: X waited 50 s, Y 30 s.
	for i, wait := range []int{50, 30} {
		started := hour.Add(time.Duration(i+1) * time.Minute).UnixMicro()
		exec(`INSERT INTO calls (id, channel_id, call_session_id, direction, state, stage, contact_phone, virtual_phone_number,
			started_at, finished_at, wait_seconds, talk_seconds, total_seconds, is_lost, ticket_id, client_id, created_at, updated_at)
			VALUES ($1, $2, $1, 'in', 'finished', 3, '+79260000001', '74950000001', $3, $4, $5, 0, $5, TRUE, 1, 1, $3, $3)`,
			i+1, ch.ID, started, started+int64(wait)*1e6, wait)
	}
	read := func(id int64) *ringdesk.ReportCall {
		t.Helper()
		tx, err := db.w.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		c, err := reportCallTx(ctx, db.cached(tx), id)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// write adds c in place of old (nil: new) as writer shard does.
	write := func(shard int, old, c *ringdesk.ReportCall) {
		t.Helper()
		tx, err := db.w.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		a := newRollupDeltas(shard)
		if err := a.change(ctx, db.cached(tx), old, c); err != nil {
			t.Fatal(err)
		}
		if err := a.flush(ctx, db.cached(tx)); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	answer := func(id int64) {
		exec(`UPDATE calls SET is_lost = FALSE, answered_at = started_at + wait_seconds * 1000000, talk_seconds = 20 WHERE id = $1`, id)
	}
	check := func(stage string, longest, missed, calls int64) {
		t.Helper()
		for _, table := range []string{"call_report_hours", "call_report_hour_totals", "call_report_days"} {
			var l, m, c int64
			if err := db.w.QueryRowContext(ctx, `SELECT COALESCE(MAX(max_wait_missed), 0), COALESCE(SUM(missed), 0),
				COALESCE(SUM(calls), 0) FROM `+table+` WHERE channel_id = $1`, ch.ID).Scan(&l, &m, &c); err != nil {
				t.Fatal(err)
			}
			if l != longest || m != missed || c != calls {
				t.Errorf("%s, %s: longest wait %d, missed %d, calls %d; want %d, %d, %d", stage, table, l, m, c, longest, missed, calls)
			}
		}
	}
	x, y := read(1), read(2)
	write(1, nil, x)
	write(2, nil, y)
	check("two missed calls by two writers", 50, 2, 2)

	answer(1)
	write(3, x, read(1)) // X taken back by a third writer
	check("X answered", 30, 1, 2)

	sharded := func(table string) (n int) {
		t.Helper()
		if err := db.w.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE shard <> 0`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Four hours on, the hour is folded; its day, still being written,
	// is not. (SQLite's one writer writes only shard 0: nothing to fold.)
	if err := db.CompactReportShards(ctx, hour.Add(4*time.Hour)); err != nil {
		t.Fatal(err)
	}
	check("the hour folded", 30, 1, 2)
	if db.dialect == Postgres && (sharded("call_report_hours") != 0 || sharded("call_report_days") == 0) {
		t.Fatalf("after folding the hour: %d hour rows and %d day rows outside shard 0",
			sharded("call_report_hours"), sharded("call_report_days"))
	}
	if err := db.CompactReportShards(ctx, hour.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	check("folded", 30, 1, 2)
	for _, table := range []string{"call_report_hours", "call_report_hour_totals", "call_report_days"} {
		if n := sharded(table); db.dialect == Postgres && n != 0 {
			t.Fatalf("%s: %d rows outside shard 0 after folding", table, n)
		}
	}
	answer(2)
	write(1, y, read(2)) // Y, in shard 0 now, taken back by writer 1
	check("Y answered after folding", 0, 0, 2)
}

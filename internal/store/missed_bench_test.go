package store_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// BenchmarkMissedView measures the Missed calls view's page as the web
// layer reads it: the page of missed tickets waiting for a call back, then
// their latest missed call, the wait, the call-back attempts and the claim
// (MissedCalls). RINGDESK_BENCH_MISSED sets how many missed calls to seed
// (default 2,000; the figure is 100,000): half the seeded tickets
// are missed, every third with an unanswered call-back. On PostgreSQL when
// RINGDESK_TEST_POSTGRES is set.
func BenchmarkMissedView(b *testing.B) {
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("RINGDESK_BENCH_MISSED")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	o := store.Options{DataDir: b.TempDir()}
	if dsn := os.Getenv(storetest.EnvPostgres); dsn != "" {
		o = store.Options{DSN: storetest.NewSchema(b, dsn)}
	}
	db, err := store.Open(ctx, o)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Seed(ctx, store.SeedOptions{Clients: n / 2, Tickets: 2 * n, MissedEvery: 2, Seed: 2}, time.Now().UTC()); err != nil {
		b.Fatal(err)
	}
	var missed int
	if err := db.QueryRowForTest(ctx, `SELECT COUNT(*) FROM calls WHERE is_lost = TRUE AND direction = 'in'`).Scan(&missed); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d missed calls", missed)
	yes := true
	page := func(f store.TicketFilter) (string, error) {
		rows, next, err := db.ListTickets(ctx, f)
		if err != nil {
			return "", err
		}
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		_, err = db.MissedCalls(ctx, ids)
		return next, err
	}
	f := store.TicketFilter{Active: true, Missed: &yes}
	b.Run("first_page", func(b *testing.B) {
		timed(b, func(int) error { _, err := page(f); return err })
	})
	b.Run("20th_page", func(b *testing.B) {
		g := f
		for range 19 {
			next, err := page(g)
			if err != nil {
				b.Fatal(err)
			}
			g.Cursor = next
		}
		timed(b, func(int) error { _, err := page(g); return err })
	})
}

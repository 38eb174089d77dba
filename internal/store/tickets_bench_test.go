package store_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// The ticket benchmarks run against a database seeded once per run. Set
// RINGDESK_BENCH_DB to a data directory made by
// "ringdesk dev seed --data DIR --tickets 1000000 --clients 300000" (or to a
// postgres:// URL of a seeded database) to measure at full size; otherwise a
// small database is seeded in a temporary directory.
const envBenchDB = "RINGDESK_BENCH_DB"

var bench struct {
	once sync.Once
	db   *store.DB
	err  error
	dir  string
}

func benchDB(b *testing.B) *store.DB {
	b.Helper()
	bench.once.Do(func() {
		ctx := context.Background()
		if src := os.Getenv(envBenchDB); src != "" {
			o := store.Options{DataDir: src}
			if store.IsPostgresDSN(src) {
				o = store.Options{DSN: src}
			}
			bench.db, bench.err = store.Open(ctx, o)
			return
		}
		if bench.dir, bench.err = os.MkdirTemp("", "ringdesk-bench-"); bench.err != nil {
			return
		}
		o := store.Options{DataDir: bench.dir}
		if dsn := os.Getenv(storetest.EnvPostgres); dsn != "" {
			o = store.Options{DSN: storetest.NewSchema(b, dsn)}
		}
		if bench.db, bench.err = store.Open(ctx, o); bench.err == nil {
			bench.err = bench.db.Seed(ctx, store.SeedOptions{Clients: 6000, Tickets: 20000, Seed: 1}, time.Now().UTC())
		}
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.db
}

// TestMain removes the temporary benchmark database.
func TestMain(m *testing.M) {
	code := m.Run()
	if bench.db != nil {
		bench.db.Close()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// timed runs fn b.N times and reports the median and 95th percentile.
func timed(b *testing.B, fn func(i int) error) {
	b.Helper()
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := fn(i); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durs)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(durs[len(durs)/2]), "p50-ms")
	b.ReportMetric(ms(durs[min(len(durs)-1, len(durs)*95/100)]), "p95-ms")
}

func benchAgent(b *testing.B, db *store.DB) int64 {
	var id int64
	if err := db.QueryRowForTest(context.Background(), `SELECT MIN(assignee_id) FROM tickets WHERE assignee_id IS NOT NULL`).Scan(&id); err != nil {
		b.Fatal(err)
	}
	return id
}

func BenchmarkTicketList(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	agent := benchAgent(b, db)
	yes := true
	for _, c := range []struct {
		name string
		f    store.TicketFilter
	}{
		{"all", store.TicketFilter{}},
		{"all_by_created", store.TicketFilter{Sort: "created"}},
		{"view_open", store.TicketFilter{Active: true}},
		{"view_mine", store.TicketFilter{Active: true, AssigneeID: agent}},
		{"view_unassigned", store.TicketFilter{Active: true, Unassigned: true}},
		{"view_missed", store.TicketFilter{Active: true, Missed: &yes}},
		{"view_open_by_created", store.TicketFilter{Active: true, Sort: "created"}},
		{"view_mine_by_created", store.TicketFilter{Active: true, AssigneeID: agent, Sort: "created"}},
		{"status_pending", store.TicketFilter{Statuses: []string{"pending"}}},
		{"tag", store.TicketFilter{Tag: "vip"}},
		{"tag_and_status", store.TicketFilter{Tag: "b2b", Statuses: []string{"open"}}},
		{"updated_range", store.TicketFilter{UpdatedFrom: time.Now().AddDate(0, -2, 0), UpdatedTo: time.Now().AddDate(0, -1, 0)}},
	} {
		b.Run(c.name, func(b *testing.B) {
			timed(b, func(int) error {
				_, _, err := db.ListTickets(ctx, c.f)
				return err
			})
		})
		b.Run(c.name+"/next_page", func(b *testing.B) {
			// The 20th page: keyset paging keeps it as fast as the first.
			f := c.f
			for range 19 {
				_, next, err := db.ListTickets(ctx, f)
				if err != nil {
					b.Fatal(err)
				}
				if next == "" {
					b.Skip("fewer than 20 pages")
				}
				f.Cursor = next
			}
			timed(b, func(int) error {
				_, _, err := db.ListTickets(ctx, f)
				return err
			})
		})
	}
	// The Missed calls view's page: its tickets, then the latest missed
	// call of each in one more query.
	b.Run("view_missed_page_with_calls", func(b *testing.B) {
		timed(b, func(int) error {
			rows, _, err := db.ListTickets(ctx, store.TicketFilter{Active: true, Missed: &yes})
			if err != nil {
				return err
			}
			ids := make([]int64, len(rows))
			for i, r := range rows {
				ids[i] = r.ID
			}
			_, err = db.MissedCalls(ctx, ids)
			return err
		})
	})
	b.Run("my_open_count", func(b *testing.B) {
		timed(b, func(int) error {
			_, err := db.MyOpenCount(ctx, agent)
			return err
		})
	})
	b.Run("view_counts", func(b *testing.B) {
		timed(b, func(int) error {
			_, err := db.TicketViewCounts(ctx)
			return err
		})
	})
}

func BenchmarkClientByPhone(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	var lo, hi int64
	if err := db.QueryRowForTest(ctx, `SELECT MIN(id), MAX(id) FROM client_phones`).Scan(&lo, &hi); err != nil {
		b.Fatal(err)
	}
	phones := make([]string, 0, 512)
	for i := range int64(512) {
		var p string
		if err := db.QueryRowForTest(ctx, `SELECT phone FROM client_phones WHERE id >= $1 ORDER BY id LIMIT 1`, lo+(hi-lo)*i/512).Scan(&p); err != nil {
			b.Fatal(err)
		}
		phones = append(phones, p)
	}
	timed(b, func(i int) error {
		var id int64
		if err := db.QueryRowForTest(ctx, `SELECT client_id FROM client_phones WHERE phone = $1`, phones[i%len(phones)]).Scan(&id); err != nil {
			return err
		}
		_, err := db.ClientByID(ctx, id)
		return err
	})
}

func BenchmarkTicketSearch(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	var name, email, ph string
	if err := db.QueryRowForTest(ctx, `SELECT c.name, p.phone FROM clients c JOIN client_phones p ON p.client_id = c.id ORDER BY c.id DESC LIMIT 1`).Scan(&name, &ph); err != nil {
		b.Fatal(err)
	}
	if err := db.QueryRowForTest(ctx, `SELECT email FROM client_emails ORDER BY id DESC LIMIT 1`).Scan(&email); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    store.TicketFilter
	}{
		{"common_word", store.TicketFilter{Q: "заказ"}},
		{"two_words", store.TicketFilter{Q: "возврат денег"}},
		{"rare_word", store.TicketFilter{Q: "компенсацию"}},
		{"order_number", store.TicketFilter{Q: "512345"}},
		{"no_match", store.TicketFilter{Q: "абракадабра"}},
		{"client_name", store.TicketFilter{Q: name}},
		{"client_email", store.TicketFilter{Q: email}},
		{"client_phone", store.TicketFilter{Phones: []string{ph}}},
		{"word_in_open", store.TicketFilter{Q: "курьер", Active: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			timed(b, func(int) error {
				_, _, err := db.ListTickets(ctx, c.f)
				return err
			})
		})
	}
	b.Run("next_page", func(b *testing.B) {
		f := store.TicketFilter{Q: "заказ"}
		_, next, err := db.ListTickets(ctx, f)
		if err != nil || next == "" {
			b.Skip("one page only")
		}
		f.Cursor = next
		timed(b, func(int) error {
			_, _, err := db.ListTickets(ctx, f)
			return err
		})
	})
}

// partSpellings are the ways agents type part of the Russian number n
// (E.164) into a search box, from what a caller dictates.
func partSpellings(n string) []struct{ name, typed string } {
	nsn := n[2:] // the ten digits after +7
	return []struct{ name, typed string }{
		{"6_digits", nsn[2:8]},                          // "612345"
		{"8_prefixed", "8 " + nsn[:3] + " " + nsn[3:6]}, // "8 926 123"
		{"plus7", "+7 " + nsn[:3] + " " + nsn[3:6]},     // "+7 926 123"
		{"5_digits", nsn[5:8] + "-" + nsn[8:10]},        // "345-67"
		{"4_digits", nsn[6:8] + "-" + nsn[8:10]},        // "45-67"
		{"plus7_code", "+7 " + nsn[:3]},                 // "+7 926": every number of the code
	}
}

// partOf reads typed as the desk does (phone.Partial, region RU).
func partOf(b *testing.B, typed string) ringdesk.PartialPhone {
	b.Helper()
	p, err := phone.Partial(typed, "RU")
	if err != nil {
		b.Fatalf("%q: %v", typed, err)
	}
	return ringdesk.PartialPhone{Digits: p.Digits, Prefix: p.Prefix}
}

// benchPhones samples n client numbers spread over the seed.
func benchPhones(b *testing.B, db *store.DB, n int) []string {
	b.Helper()
	ctx := context.Background()
	var lo, hi int64
	if err := db.QueryRowForTest(ctx, `SELECT MIN(id), MAX(id) FROM client_phones`).Scan(&lo, &hi); err != nil {
		b.Fatal(err)
	}
	out := make([]string, 0, n)
	for i := range int64(n) {
		var p string
		if err := db.QueryRowForTest(ctx, `SELECT phone FROM client_phones WHERE id >= $1 AND phone LIKE '+79%' ORDER BY id LIMIT 1`, lo+(hi-lo)*i/int64(n)).Scan(&p); err != nil {
			b.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// BenchmarkPhonePartSearch is partial-number search as agents use it, each
// run a different client's number: the ticket search box (the text search
// of the digits typed, as the desk does, plus the tickets of the clients
// with a matching number) and the client list (and picker).
func BenchmarkPhonePartSearch(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	phones := benchPhones(b, db, 64)
	for j, sp := range partSpellings(phones[0]) {
		typed := make([]string, len(phones))
		parts := make([]ringdesk.PartialPhone, len(phones))
		for i, p := range phones {
			parts[i] = partOf(b, partSpellings(p)[j].typed)
			// The desk searches the text for the digits as one word.
			typed[i] = strings.Map(func(r rune) rune {
				if r < '0' || r > '9' {
					return -1
				}
				return r
			}, partSpellings(p)[j].typed)
		}
		b.Run("tickets/"+sp.name, func(b *testing.B) {
			timed(b, func(i int) error {
				_, _, err := db.ListTickets(ctx, store.TicketFilter{Q: typed[i%len(typed)], PhonePart: parts[i%len(parts)]})
				return err
			})
		})
		b.Run("tickets_open/"+sp.name, func(b *testing.B) { // the list's default view
			timed(b, func(i int) error {
				_, _, err := db.ListTickets(ctx, store.TicketFilter{Q: typed[i%len(typed)], PhonePart: parts[i%len(parts)], Active: true})
				return err
			})
		})
		b.Run("clients/"+sp.name, func(b *testing.B) {
			timed(b, func(i int) error {
				_, _, err := db.ListClients(ctx, store.ClientFilter{PhonePart: parts[i%len(parts)]})
				return err
			})
		})
	}
}

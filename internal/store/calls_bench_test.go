package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// Scale and caching of BenchmarkCallsList:
//
//	RINGDESK_BENCH_CALLS=3000000          calls to seed (default 200000)
//	RINGDESK_BENCH_DATA_DIR=/tmp/calls3m  SQLite data dir kept between runs
//
// With RINGDESK_TEST_POSTGRES set, the seed lives in the schema
// bench_calls_<N>, kept between runs (drop it by hand).
const (
	envBenchCalls = "RINGDESK_BENCH_CALLS"
	envBenchDir   = "RINGDESK_BENCH_DATA_DIR"
	heavyClient   = 1    // the client with 5,000 calls
	heavyCalls    = 5000 // calls of the heavy client
)

func callsBenchDB(b *testing.B, n int) *store.DB {
	ctx := context.Background()
	opts := store.Options{DataDir: os.Getenv(envBenchDir)}
	if base := os.Getenv(storetest.EnvPostgres); base != "" {
		schema := "bench_calls_" + strconv.Itoa(n)
		admin, err := sql.Open("pgx", base)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := admin.Exec(`CREATE SCHEMA IF NOT EXISTS ` + schema); err != nil {
			b.Fatal(err)
		}
		admin.Close()
		u, _ := url.Parse(base)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		opts.DSN = u.String()
	} else if opts.DataDir == "" {
		opts.DataDir = b.TempDir()
	}
	db, err := store.Open(ctx, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	var have int
	if err := db.QueryRowForTest(ctx, `SELECT COUNT(*) FROM calls`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have >= n {
		return db
	}
	if have != 0 {
		b.Fatalf("the cached bench database holds %d calls, not %d; remove it", have, n)
	}
	start := time.Now()
	seedCalls(b, db, n)
	b.Logf("seeded %d calls in %s", n, time.Since(start).Round(time.Second))
	// The seed writes calls directly: build their report rollups and
	// call-back columns as `ringdesk reports rebuild` does.
	start = time.Now()
	if err := db.RebuildReports(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("rebuilt the report rollups in %s", time.Since(start).Round(time.Second))
	// UIS's own time to call back, as reconciliation records it: on four
	// in five missed calls, up to 4 hours (no rollup holds it).
	if _, err := db.ExecForTest(ctx, `UPDATE calls SET uis_lost_seconds = (call_session_id * 7919) % 14400
		WHERE is_lost = TRUE AND direction = 'in' AND call_session_id % 5 <> 0`); err != nil {
		b.Fatal(err)
	}
	return db
}

// seedCalls fills an empty database with n calls over ~n/30 clients, one
// ticket per client, 20 agents; client 1 has 5,000 calls.
func seedCalls(b *testing.B, db *store.DB, n int) {
	ctx := context.Background()
	exec := func(q string) {
		if _, err := db.ExecForTest(ctx, q); err != nil {
			b.Fatalf("seed: %v: %.200s", err, q)
		}
	}
	ch, err := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: "uis", Name: "bench", UIS: ringdesk.UISSettings{}.WithDefaults()}, "", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	sb.WriteString(`INSERT INTO agents (id, name, email, role, operator_id, password_hash, created_at, updated_at) VALUES `)
	for i := 1; i <= 20; i++ {
		if i > 1 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, "(%d, 'Agent %d', 'a%d@bench', 'agent', %d, 'x', 1, 1)", 1000+i, i, i, 900000+i)
	}
	exec(sb.String())
	clients := max(n/30, 100)
	// 2,000 rows a statement, 50 statements a transaction.
	batch := func(total int, row func(sb *strings.Builder, i int), head string) {
		const per, perTx = 2000, 100_000
		for txLo := 1; txLo <= total; txLo += perTx {
			err := db.TxForTest(ctx, func(exec func(string) error) error {
				for lo := txLo; lo < txLo+perTx && lo <= total; lo += per {
					sb.Reset()
					sb.WriteString(head)
					for i := lo; i < lo+per && i <= total; i++ {
						if i > lo {
							sb.WriteString(",")
						}
						row(&sb, i)
					}
					if err := exec(sb.String()); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatalf("seed: %v", err)
			}
		}
	}
	batch(clients, func(sb *strings.Builder, i int) { fmt.Fprintf(sb, "(%d, 'Client %d', 'client %d', 1, 1)", i, i, i) },
		`INSERT INTO clients (id, name, search, created_at, updated_at) VALUES `)
	batch(clients, func(sb *strings.Builder, i int) {
		fmt.Fprintf(sb, "(%d, 'Call', 'open', 'medium', 'question', %d, %d, 1, 1)", i, ch.ID, i)
	}, `INSERT INTO tickets (id, subject, status, priority, type, channel_id, client_id, created_at, updated_at) VALUES `)
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	every := max(n/heavyCalls, 1)
	batch(n, func(sb *strings.Builder, i int) {
		client := 2 + rng.IntN(clients-1)
		if i%every == 0 && i/every <= heavyCalls {
			client = heavyClient
		}
		dir := "in"
		if rng.IntN(3) == 0 {
			dir = "out"
		}
		lost := rng.IntN(10) == 0
		agent, answered, reason := strconv.Itoa(1001+rng.IntN(20)), "", "subscriber_disconnects"
		busy := dir == "out" && rng.IntN(20) == 0
		started := base + int64(i)*10_000_000 + rng.Int64N(5_000_000)
		if busy {
			answered, reason = "NULL", "subscriber_busy"
		} else if lost {
			agent, answered = "NULL", "NULL"
		} else {
			answered = strconv.FormatInt(started+5_000_000, 10)
		}
		lostV := "false"
		if lost {
			lostV = "true"
		}
		fmt.Fprintf(sb, "(%d, %d, '%s', 'finished', 3, '+7926%07d', '74951234567', %d, %s, %d, 5, 60, 65, %s, '%s', %s, %d, %d, %d, %d)",
			ch.ID, i, dir, client, started, answered, started+65_000_000, lostV, reason, agent, client, client, started, started)
	}, `INSERT INTO calls (channel_id, call_session_id, direction, state, stage, contact_phone, virtual_phone_number, started_at,
		answered_at, finished_at, wait_seconds, talk_seconds, total_seconds, is_lost, finish_reason, agent_id, ticket_id, client_id,
		created_at, updated_at) VALUES `)
	exec(`ANALYZE`)
}

// BenchmarkCallsList measures the Calls page and a client card's calls:
// first page and the next one. It reports p50/p95 per query in ms.
func BenchmarkCallsList(b *testing.B) {
	n := 200_000
	if v, err := strconv.Atoi(os.Getenv(envBenchCalls)); err == nil && v > 0 {
		n = v
	}
	db := callsBenchDB(b, n)
	ctx := context.Background()
	missed := true
	// A client three quarters up, its number's last 7 digits.
	field := fmt.Sprintf("%07d", max(n/30, 100)*3/4+7)
	cases := []struct {
		name string
		f    store.CallFilter
	}{
		{"calls_page", store.CallFilter{}},
		{"calls_page_out", store.CallFilter{Direction: "out"}},
		{"calls_page_missed", store.CallFilter{Missed: &missed}},
		{"calls_page_agent", store.CallFilter{AgentID: 1005}},
		{"calls_page_busy", store.CallFilter{Outcome: "busy"}},
		{"calls_page_phone", store.CallFilter{Phone: fmt.Sprintf("+7926%07d", heavyClient)}},
		{"client_5000", store.CallFilter{ClientID: heavyClient}},
		// Part of a number (numbers are +7926 and the client id in 7
		// digits): one number; 100 numbers from "8 926 00x xx" (as typed
		// and +7926…); 10 from "+7 926 00x xxx"; those holding four digits
		// (about 20 at 3,000,000 calls); the 5,000-call number from
		// "0000001".
		{"calls_page_part_6_digits", store.CallFilter{PhonePart: ringdesk.PartialPhone{Digits: field[1:]}}},
		{"calls_page_part_8_prefixed", store.CallFilter{PhonePart: ringdesk.PartialPhone{Digits: "8926" + field[:5], Prefix: "+7926" + field[:5]}}},
		{"calls_page_part_plus7", store.CallFilter{PhonePart: ringdesk.PartialPhone{Prefix: "+7926" + field[:6]}}},
		{"calls_page_part_4_digits", store.CallFilter{PhonePart: ringdesk.PartialPhone{Digits: "1234"}}},
		{"calls_page_part_heavy", store.CallFilter{PhonePart: ringdesk.PartialPhone{Digits: "0000001"}}},
	}
	// A cursor half way down the list, for a deep page.
	mid := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n/2) * 10 * time.Second)
	_, deep, err := db.ListCalls(ctx, store.CallFilter{To: mid})
	if err != nil || deep == "" {
		b.Fatalf("deep cursor: %v", err)
	}
	b.Run("calls_page/deep", func(b *testing.B) { benchList(b, db, store.CallFilter{Cursor: deep}) })
	for _, c := range cases {
		_, next, err := db.ListCalls(ctx, c.f)
		if err != nil {
			b.Fatal(err)
		}
		for _, page := range []string{"first", "next"} {
			f := c.f
			if page == "next" {
				f.Cursor = next
			}
			b.Run(c.name+"/"+page, func(b *testing.B) { benchList(b, db, f) })
		}
	}
}

// benchList times one page query and reports its p50 and p95 in ms.
func benchList(b *testing.B, db *store.DB, f store.CallFilter) {
	ctx := context.Background()
	var times []time.Duration
	for b.Loop() {
		t0 := time.Now()
		calls, _, err := db.ListCalls(ctx, f)
		times = append(times, time.Since(t0))
		if err != nil || len(calls) == 0 {
			b.Fatalf("%d calls, %v", len(calls), err)
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// benchClients is how many clients the client benchmarks run against.
const benchClients = 300_000

var (
	benchMu  sync.Mutex
	benchDBs = map[string]*DB{}
)

// benchClientDB returns a database holding benchClients seeded clients. The
// seeded database is kept between runs (a file under the temp directory for
// SQLite, the schema bench_clients_300000 on PostgreSQL when
// RINGDESK_TEST_POSTGRES is set) and within a run, so only the first run
// pays for seeding.
func benchClientDB(b *testing.B) *DB {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	dsn := os.Getenv("RINGDESK_TEST_POSTGRES")
	if db := benchDBs[dsn]; db != nil {
		return db
	}
	ctx := context.Background()
	opts := Options{DataDir: filepath.Join(os.TempDir(), fmt.Sprintf("ringdesk-bench-clients-%d", benchClients))}
	if dsn != "" {
		schema := fmt.Sprintf("bench_clients_%d", benchClients)
		admin, err := Open(ctx, Options{DSN: dsn})
		if err != nil {
			b.Fatal(err)
		}
		_, err = admin.w.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+schema)
		admin.Close()
		if err != nil {
			b.Fatal(err)
		}
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		opts.DSN = dsn + sep + "search_path=" + schema
	}
	db, err := Open(ctx, opts)
	if err != nil {
		b.Fatal(err)
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM clients`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	if n != benchClients {
		start := time.Now()
		if err := seedBenchClients(ctx, db, benchClients); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d clients on %s in %v", benchClients, db.dialect, time.Since(start).Round(time.Millisecond))
	}
	if db.dialect == Postgres {
		// As autovacuum would after a bulk load: the visibility map lets
		// the covering index answer without reading the table.
		for _, t := range []string{"clients", "client_phones", "client_emails"} {
			if _, err := db.w.ExecContext(ctx, `VACUUM ANALYZE `+t); err != nil {
				b.Fatal(err)
			}
		}
	}
	benchDBs[dsn] = db
	return db
}

var (
	benchFirst = []string{"Иван", "Пётр", "Анна", "Мария", "Сергей", "Ольга", "Алексей", "Елена", "Дмитрий", "Наталья", "John", "Emma"}
	benchLast  = []string{"Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов", "Smith", "Brown"}
	benchCo    = []string{"", "", "ООО Ромашка", "АО Вектор", "ИП Сидоров", "Acme Ltd", "ООО Техносервис"}
)

// benchPhone is the number of seeded client i: two per client, all valid
// Russian mobile numbers.
func benchPhone(i, k int) string { return fmt.Sprintf("+79%d%08d", 2+k*1, i) }

// seedBenchClients replaces every client with n generated ones (two phones
// each, an email for every other) using multi-row INSERTs.
func seedBenchClients(ctx context.Context, db *DB, n int) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		for _, t := range []string{"client_emails", "client_phones", "clients"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
				return err
			}
		}
		now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		const batch = 500
		for lo := 1; lo <= n; lo += batch {
			hi := min(lo+batch-1, n)
			var cl, ph, em strings.Builder
			var ca, pa, ea []any
			for i := lo; i <= hi; i++ {
				name := benchFirst[i%len(benchFirst)] + " " + benchLast[(i/len(benchFirst))%len(benchLast)] + " " + strconv.Itoa(i)
				co := benchCo[i%len(benchCo)]
				at := now.Add(time.Duration(i) * time.Minute)
				ca = append(ca, i, name, co, true, clientSearch(name, co), micros(at))
				fmt.Fprintf(&cl, "%s($%d, $%d, $%d, $%d, $%d, $%d, $%d)", sepIf(i > lo), len(ca)-5, len(ca)-4, len(ca)-3, len(ca)-2, len(ca)-1, len(ca), len(ca))
				for k := range 2 {
					pa = append(pa, i, benchPhone(i, k), micros(at))
					fmt.Fprintf(&ph, "%s($%d, $%d, $%d)", sepIf(ph.Len() > 0), len(pa)-2, len(pa)-1, len(pa))
				}
				if i%2 == 0 {
					ea = append(ea, i, fmt.Sprintf("client%d@example%d.ru", i, i%100), micros(at))
					fmt.Fprintf(&em, "%s($%d, $%d, $%d)", sepIf(em.Len() > 0), len(ea)-2, len(ea)-1, len(ea))
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO clients (id, name, company, name_edited, search, created_at, updated_at) VALUES `+cl.String(), ca...); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO client_phones (client_id, phone, created_at) VALUES `+ph.String(), pa...); err != nil {
				return err
			}
			if em.Len() > 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO client_emails (client_id, email, created_at) VALUES `+em.String(), ea...); err != nil {
					return err
				}
			}
		}
		if db.dialect == Postgres {
			// Identity columns continue after the explicit ids.
			for _, t := range []string{"clients", "client_phones", "client_emails"} {
				if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), (SELECT COALESCE(MAX(id), 1) FROM `+t+`))`); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `ANALYZE`)
			return err
		}
		_, err := tx.ExecContext(ctx, `ANALYZE`)
		return err
	})
}

func sepIf(b bool) string {
	if b {
		return ", "
	}
	return ""
}

// reportLatency adds the median and p95 of the measured operations.
func reportLatency(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds()), "median-µs")
	b.ReportMetric(float64(d[len(d)*95/100].Microseconds()), "p95-µs")
}

// BenchmarkClientByPhone looks clients up by a number spelled as agents
// type it ("8 (926) 000-12-34"): normalise, then find the owner.
func BenchmarkClientByPhone(b *testing.B) {
	db := benchClientDB(b)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		i := 1 + rng.IntN(benchClients)
		e := benchPhone(i, i%2)
		raw := "8 (" + e[2:5] + ") " + e[5:8] + "-" + e[8:10] + "-" + e[10:]
		start := time.Now()
		e164, err := phone.Normalize(raw, "RU")
		if err != nil {
			b.Fatal(err)
		}
		c, err := db.ClientByPhone(ctx, e164)
		if err != nil || c.ID != int64(i) {
			b.Fatalf("phone %s: %+v, %v", raw, c, err)
		}
		lat = append(lat, time.Since(start))
	}
	reportLatency(b, lat)
}

// benchPart reads typed as the desk does.
func benchPart(b *testing.B, typed string) ringdesk.PartialPhone {
	b.Helper()
	p, err := phone.Partial(typed, "RU")
	if err != nil {
		b.Fatal(err)
	}
	return ringdesk.PartialPhone{Digits: p.Digits, Prefix: p.Prefix}
}

// BenchmarkClientSearch runs the client list searches agents use.
func BenchmarkClientSearch(b *testing.B) {
	db := benchClientDB(b)
	ctx := context.Background()
	first, next, err := db.ListClients(ctx, ClientFilter{Query: "иван"})
	if err != nil || len(first) == 0 || next == "" {
		b.Fatalf("first page: %d, %q, %v", len(first), next, err)
	}
	cases := []struct {
		name string
		f    ClientFilter
	}{
		{"first page", ClientFilter{}},
		{"next page", ClientFilter{Cursor: encodeNameCursor("Мария Козлов 150000", 150000)}},
		{"common name", ClientFilter{Query: "иван"}},
		{"common name next page", ClientFilter{Query: "иван", Cursor: next}},
		{"company", ClientFilter{Query: "вектор"}},
		{"exact name", ClientFilter{Query: "Ольга Петров 123461"}},
		{"email", ClientFilter{Query: "client4242@"}},
		{"no match", ClientFilter{Query: "zzzz"}},
		{"phone", ClientFilter{Phone: benchPhone(123456, 0)}},
		{"phone digits", ClientFilter{PhonePart: ringdesk.PartialPhone{Digits: "0123456"}}},
		// Part of a number as typed (phone.Partial), each matching a few
		// or a few hundred of the 600,000 numbers +792/+793 and 8 digits.
		{"part 6 digits", ClientFilter{PhonePart: benchPart(b, "123456")}},         // 2 numbers
		{"part 8 prefixed", ClientFilter{PhonePart: benchPart(b, "8 920 012 34")}}, // 100 numbers
		{"part plus7", ClientFilter{PhonePart: benchPart(b, "+7 920 012 345")}},    // 10 numbers
		{"part 4 digits", ClientFilter{PhonePart: benchPart(b, "34-56")}},          // a few hundred numbers
		{"part 4 digits common", ClientFilter{PhonePart: benchPart(b, "+7 920")}},  // 300,000 numbers
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, _, err := db.ListClients(ctx, c.f); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			reportLatency(b, lat)
		})
	}
}

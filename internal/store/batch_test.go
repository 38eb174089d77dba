package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// openBatchTestDB opens a fresh database: SQLite in a temporary directory,
// or a new PostgreSQL schema when RINGDESK_TEST_POSTGRES is set (this
// in-package test cannot use storetest, which imports store).
func openBatchTestDB(t testing.TB) *DB {
	t.Helper()
	ctx := context.Background()
	opts := Options{DataDir: t.TempDir()}
	if dsn := os.Getenv("RINGDESK_TEST_POSTGRES"); dsn != "" {
		schema := fmt.Sprintf("t_batch_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9)
		admin, err := Open(ctx, Options{DSN: dsn})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := admin.w.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
			admin.Close()
			t.Fatal(err)
		}
		t.Cleanup(func() {
			admin.w.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
			admin.Close()
		})
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		opts.DSN = dsn + sep + "search_path=" + schema
	}
	db, err := Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestBatchItemFailureIsConfined: an item that fails after writing leaves
// no trace, and the items before and after it in the same transaction
// commit (on PostgreSQL through the rerun with savepoints).
func TestBatchItemFailureIsConfined(t *testing.T) {
	t.Parallel()
	db := openBatchTestDB(t)
	ctx := context.Background()
	insert := func(name string, fail bool) *batchItem {
		return &batchItem{ctx: ctx, key: int64(len(name)), errc: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO clients (name, created_at, updated_at) VALUES ($1, 1, 1)`, name); err != nil {
				return err
			}
			if fail {
				// A statement the database rejects, as a unique violation would be.
				_, err := tx.ExecContext(ctx, `INSERT INTO clients (id, name, created_at, updated_at) SELECT id, name, 1, 1 FROM clients WHERE name = $1`, name)
				if err == nil {
					return errors.New("the duplicate id was accepted")
				}
				return err
			}
			return nil
		}}
	}
	items := []*batchItem{insert("first", false), insert("broken", true), insert("third", false)}
	errs := make([]error, len(items))
	if err := db.runBatch(ctx, 0, items, errs); err != nil {
		t.Fatalf("batch: %v", err)
	}
	if errs[0] != nil || errs[1] == nil || errs[2] != nil {
		t.Fatalf("item errors = %v", errs)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT name FROM clients ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	if got := strings.Join(names, ","); got != "first,third" {
		t.Fatalf("committed clients = %q, want first,third", got)
	}

	// A batch without failures commits every item.
	items = []*batchItem{insert("fourth", false), insert("fifth", false)}
	errs = make([]error, len(items))
	if err := db.runBatch(ctx, 0, items, errs); err != nil || errs[0] != nil || errs[1] != nil {
		t.Fatalf("clean batch: %v %v", err, errs)
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM clients`).Scan(&n); err != nil || n != 4 {
		t.Fatalf("clients = %d, %v", n, err)
	}
}

// TestBatchIgnoresCallersThatHangUp: a caller whose request is cancelled
// while its item runs (the sender hung up) must not fail the batch: its
// item completes on the batch's own context and the others commit. Before,
// the cancellation reached the shared transaction (modernc.org/sqlite
// interrupts the connection, PostgreSQL cancels the query) and rolled back
// everyone's work.
func TestBatchIgnoresCallersThatHangUp(t *testing.T) {
	t.Parallel()
	db := openBatchTestDB(t)
	ctx := context.Background()
	insert := func(ictx context.Context, name string, before func(context.Context, *sql.Tx) error) *batchItem {
		return &batchItem{ctx: ictx, key: int64(len(name)), errc: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
			if before != nil {
				if err := before(ctx, tx); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO clients (name, created_at, updated_at) VALUES ($1, 1, 1)`, name)
			return err
		}}
	}
	hangup, cancel := context.WithCancel(ctx)
	defer cancel()
	slow := func(ctx context.Context, tx *sql.Tx) error {
		// The caller hangs up while its item runs, before the item's next
		// statement: a statement run on the caller's context would fail at
		// once (database/sql checks it; the SQLite driver would interrupt
		// the shared connection). A statement that runs long enough to be
		// cancelled midway took minutes under the race detector.
		cancel()
		var n int64
		return tx.QueryRowContext(ctx, `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000)
			SELECT COUNT(*) FROM c`).Scan(&n)
	}
	items := []*batchItem{insert(ctx, "first", nil), insert(hangup, "impatient", slow), insert(ctx, "third", nil)}
	errs := make([]error, len(items))
	if err := db.runBatch(ctx, 0, items, errs); err != nil {
		t.Fatalf("batch: %v", err)
	}
	if hangup.Err() == nil {
		t.Fatal("the caller did not hang up while its item ran; make the statement slower")
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("item %d: %v", i, err)
		}
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM clients`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("clients = %d, %v; want all 3 committed", n, err)
	}
}

// TestBatchRerunAfterDeadlock: a batch PostgreSQL ends to break a deadlock
// is rolled back whole and run again; every item's work commits once.
func TestBatchRerunAfterDeadlock(t *testing.T) {
	t.Parallel()
	db := openBatchTestDB(t)
	ctx := context.Background()
	runs := 0
	items := []*batchItem{
		{ctx: ctx, key: 1, errc: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO clients (name, created_at, updated_at) VALUES ('first', 1, 1)`)
			return err
		}},
		{ctx: ctx, key: 2, errc: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
			runs++
			if runs == 1 {
				return &pgconn.PgError{Code: "40P01", Message: "deadlock detected"}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO clients (name, created_at, updated_at) VALUES ('second', 1, 1)`)
			return err
		}},
	}
	errs := make([]error, len(items))
	if err := db.runBatch(ctx, 0, items, errs); err != nil || errs[0] != nil || errs[1] != nil {
		t.Fatalf("batch: %v, items: %v", err, errs)
	}
	var n int
	if err := db.w.QueryRowContext(ctx, `SELECT COUNT(*) FROM clients WHERE name IN ('first', 'second')`).Scan(&n); err != nil || n != 2 || runs != 2 {
		t.Fatalf("%d clients after %d runs (%v); want 2 after 2", n, runs, err)
	}
	// A conflict every time ends the batch after maxBatchAttempts runs.
	runs = 0
	items = items[1:]
	items[0].fn = func(ctx context.Context, tx *sql.Tx) error {
		runs++
		return &pgconn.PgError{Code: "40P01", Message: "deadlock detected"}
	}
	if err := db.runBatch(ctx, 0, items, errs[:1]); !isConflict(err) || runs != maxBatchAttempts {
		t.Fatalf("after %d runs: %v", runs, err)
	}
}

// TestBatchItemRerunAfterUniqueViolation: an item whose insert lost a race
// for a unique row to another batch (two calls of one new client in two
// writers) is run once more, and then finds the row; an item that keeps
// failing so fails alone, once retried.
func TestBatchItemRerunAfterUniqueViolation(t *testing.T) {
	t.Parallel()
	db := openBatchTestDB(t)
	ctx := context.Background()
	runs := 0
	lost := &batchItem{ctx: ctx, key: 1, errc: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
		runs++
		if runs <= 2 { // the first pass, then the first try with savepoints
			return &pgconn.PgError{Code: "23505", Message: `duplicate key value violates unique constraint "client_phones_phone_key"`}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO clients (name, created_at, updated_at) VALUES ('found', 1, 1)`)
		return err
	}}
	always := 0
	stuck := &batchItem{ctx: ctx, key: 2, errc: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
		always++
		return &pgconn.PgError{Code: "23505", Message: "duplicate key value"}
	}}
	errs := make([]error, 2)
	if err := db.runBatch(ctx, 0, []*batchItem{lost, stuck}, errs); err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || runs != 3 {
		t.Fatalf("the item that lost the race: %v after %d runs, want success after 3", errs[0], runs)
	}
	// The first pass stopped at the first failed item, before this one: it
	// ran with a savepoint, and once more.
	if !isUniqueViolation(errs[1]) || always != 2 {
		t.Fatalf("the item that always fails: %v after %d runs, want its violation after 2", errs[1], always)
	}
	var n int
	if err := db.w.QueryRowContext(ctx, `SELECT COUNT(*) FROM clients WHERE name = 'found'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d clients written (%v), want 1", n, err)
	}
}

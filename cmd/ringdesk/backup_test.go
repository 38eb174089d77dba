package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/store"
)

// dumpTable reads every row of table, in rowid order, as text.
func dumpTable(t *testing.T, path, table string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT * FROM " + table + " ORDER BY rowid")
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals...))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// restore puts a backup where a fresh data dir's database goes, as
// docs/backup.md says, and checks Ringdesk opens it.
func restore(t *testing.T, backup string) string {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ringdesk.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, env(nil), "user", "list", "--data", dir); err != nil || !strings.Contains(out, "admin@example.com") {
		t.Fatalf("ringdesk user list on the restored data: %v\n%s", err, out)
	}
	return filepath.Join(dir, "ringdesk.db")
}

// TestBackupUnderWrites: "ringdesk backup" copies a SQLite database while
// another connection keeps writing; the copy is a consistent snapshot (each
// row it has equals the live row, none is torn) and, restored into a data
// dir, opens as Ringdesk's database. A copy taken after the writes equals
// the live database row for row.
func TestBackupUnderWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	if out, err := runCmd(t, env(map[string]string{"RINGDESK_ADMIN_EMAIL": "admin@example.com", "RINGDESK_ADMIN_PASSWORD": "admin-password-1"}),
		"user", "create", "--email", "admin@example.com", "--role", "admin", "--password", "admin-password-1", "--data", dir); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	db, err := store.Open(ctx, store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	wg.Go(func() {
		for i := uint64(1); ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := db.Seed(ctx, store.SeedOptions{Clients: 10, Tickets: 40, Seed: i}, time.Now().UTC()); err != nil {
				writeErr = err
				return
			}
		}
	})
	live := filepath.Join(dir, "ringdesk.db")
	// Back up once some tickets are in and more are coming.
	for deadline := time.Now().Add(time.Minute); len(dumpTable(t, live, "tickets")) < 40; {
		if time.Now().After(deadline) {
			t.Fatal("no tickets written within a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
	during := filepath.Join(t.TempDir(), "during.db")
	if out, err := runCmd(t, env(nil), "backup", "--out", during, "--data", dir); err != nil || !strings.Contains(out, "backed up to") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if out, err := runCmd(t, env(nil), "backup", "--out", during, "--data", dir); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a second backup over the first: %v %s; want it refused", err, out)
	}
	// Writes go on after the copy.
	for n, deadline := len(dumpTable(t, live, "tickets")), time.Now().Add(time.Minute); len(dumpTable(t, live, "tickets")) <= n; {
		if time.Now().After(deadline) {
			t.Fatal("no tickets written after the backup within a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("writes: %v", writeErr)
	}
	if st, err := os.Stat(during); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v; want mode 0600", st, err)
	}
	restoredDuring := restore(t, during)
	for _, table := range []string{"tickets", "clients", "client_phones"} {
		snap, now := dumpTable(t, restoredDuring, table), dumpTable(t, live, table)
		if len(snap) == 0 || len(snap) >= len(now) {
			t.Fatalf("%s: %d rows in the backup taken under writes, %d live; want some and fewer", table, len(snap), len(now))
		}
		for i := range snap {
			if snap[i] != now[i] {
				t.Fatalf("%s row %d differs:\nbackup %s\nlive   %s", table, i, snap[i], now[i])
			}
		}
	}

	after := filepath.Join(t.TempDir(), "after.db")
	if out, err := runCmd(t, env(nil), "backup", "--out", after, "--data", dir); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	restoredAfter := restore(t, after)
	for _, table := range []string{"tickets", "clients", "client_phones", "agents", "ticket_events"} {
		got, want := dumpTable(t, restoredAfter, table), dumpTable(t, live, table)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: the restored backup has %d rows, the live database %d, or they differ", table, len(got), len(want))
		}
	}
}

// TestBackupNoDatabase: a backup of a data dir with no database says so and
// creates neither a database there nor the output file.
func TestBackupNoDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(t.TempDir(), "copy.db")
	if got, err := runCmd(t, env(nil), "backup", "--out", out, "--data", dir); err == nil || !strings.Contains(err.Error(), "no database") {
		t.Fatalf("backup of an empty data dir: %v %s; want \"no database\"", err, got)
	}
	for _, p := range []string{filepath.Join(dir, "ringdesk.db"), out} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was created", p)
		}
	}
}

// TestBackupPostgresSaysPgDump: on PostgreSQL the command points at pg_dump.
func TestBackupPostgresSaysPgDump(t *testing.T) {
	t.Parallel()
	if os.Getenv("RINGDESK_TEST_POSTGRES") == "" {
		t.Skip("RINGDESK_TEST_POSTGRES not set")
	}
	out, err := runCmd(t, env(nil), "backup", "--out", filepath.Join(t.TempDir(), "x"), "--data", t.TempDir(), "--db", os.Getenv("RINGDESK_TEST_POSTGRES"))
	if err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("backup on PostgreSQL: %v %s; want a pointer to pg_dump", err, out)
	}
}

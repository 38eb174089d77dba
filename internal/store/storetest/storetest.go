// Package storetest opens a fresh database for a test: SQLite in a temporary
// directory, or, when RINGDESK_TEST_POSTGRES holds a DSN, a new schema in that
// PostgreSQL database, dropped when the test ends. The same tests therefore
// run on both dialects.
//
// On SQLite a test does not migrate its own database: the first test of the
// process migrates one (the real migrations, through store.Open) and every
// test gets a copy of that file (SeedDataDir). Migrating costs about 100 ms
// of CPU per database, and the web tests alone start a few hundred apps.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/store"
)

// EnvPostgres names the variable holding the test PostgreSQL DSN.
const EnvPostgres = "RINGDESK_TEST_POSTGRES"

var seq atomic.Int64

// DSN returns the DSN a test should pass as --db: "" for SQLite, or a
// postgres URL whose search_path is a fresh schema (dropped at cleanup).
func DSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		return ""
	}
	return NewSchema(tb, base)
}

// NewSchema creates a uniquely named schema in the database at base and
// returns base with search_path set to it.
func NewSchema(tb testing.TB, base string) string {
	tb.Helper()
	name := fmt.Sprintf("t_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, seq.Add(1))
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("storetest: open %s: %v", EnvPostgres, err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + name); err != nil {
		tb.Fatalf("storetest: create schema: %v", err)
	}
	tb.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		if _, err := a.Exec(`DROP SCHEMA ` + name + ` CASCADE`); err != nil {
			tb.Logf("storetest: drop schema %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("storetest: parse %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a migrated, empty database closed at the end of the test.
func Open(tb testing.TB) *store.DB {
	tb.Helper()
	dsn, dir := DSN(tb), tb.TempDir()
	if dsn == "" {
		SeedDataDir(tb, dir)
	}
	db, err := store.Open(context.Background(), store.Options{DSN: dsn, DataDir: dir})
	if err != nil {
		tb.Fatalf("storetest: open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Dialect names the dialect tests run on, for messages.
func Dialect() string {
	if strings.TrimSpace(os.Getenv(EnvPostgres)) != "" {
		return "postgres"
	}
	return "sqlite"
}

// migrated is the SQLite database file every migration has been applied to,
// made once per test process.
var migrated struct {
	once sync.Once
	body []byte
	err  error
}

// SeedDataDir puts a copy of a freshly migrated, empty SQLite database into
// the data directory dir (which must not hold one yet), so that store.Open
// on dir finds every migration applied and has nothing to do. On
// PostgreSQL (RINGDESK_TEST_POSTGRES set) it does nothing: each test
// migrates its own schema. Tests about migrations themselves do not call it.
func SeedDataDir(tb testing.TB, dir string) {
	tb.Helper()
	if Dialect() != "sqlite" {
		return
	}
	migrated.once.Do(migrateTemplate)
	if migrated.err != nil {
		tb.Fatalf("storetest: migrate the template database: %v", migrated.err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	// O_EXCL: never overwrite a database a test already made.
	f, err := os.OpenFile(filepath.Join(dir, store.SQLiteFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		tb.Fatalf("storetest: seed %s: %v", dir, err)
	}
	_, err = f.Write(migrated.body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tb.Fatalf("storetest: seed %s: %v", dir, err)
	}
}

// migrateTemplate migrates a database in a directory of its own and keeps
// the file's bytes. Closing the last connection checkpoints the WAL into the
// file, so the file alone is the whole database.
func migrateTemplate() {
	dir, err := os.MkdirTemp("", "ringdesk-storetest-")
	if err != nil {
		migrated.err = err
		return
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(context.Background(), store.Options{DataDir: dir})
	if err != nil {
		migrated.err = err
		return
	}
	if err := db.Close(); err != nil {
		migrated.err = err
		return
	}
	if _, err := os.Stat(filepath.Join(dir, store.SQLiteFile+"-wal")); err == nil {
		migrated.err = fmt.Errorf("the WAL was not checkpointed on close")
		return
	}
	migrated.body, migrated.err = os.ReadFile(filepath.Join(dir, store.SQLiteFile))
}

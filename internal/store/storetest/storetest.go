// Package storetest opens a fresh database for a test: SQLite in a temporary
// directory, or, when RINGDESK_TEST_POSTGRES holds a DSN, a new schema in that
// PostgreSQL database, dropped when the test ends. The same tests therefore
// run on both dialects.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
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
	db, err := store.Open(context.Background(), store.Options{DSN: DSN(tb), DataDir: tb.TempDir()})
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

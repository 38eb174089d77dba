package store_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

func TestDialectsHaveSameTablesAndColumns(t *testing.T) {
	t.Parallel()
	base := os.Getenv(storetest.EnvPostgres)
	if base == "" {
		t.Skip("set " + storetest.EnvPostgres + " to compare with PostgreSQL")
	}
	ctx := context.Background()
	lite, err := store.Open(ctx, store.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := store.Open(ctx, store.Options{DSN: storetest.NewSchema(t, base)})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	got, err := lite.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := pg.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 5 {
		t.Fatalf("sqlite has only %d tables: %v", len(got), got)
	}
	for name, cols := range want {
		if !reflect.DeepEqual(got[name], cols) {
			t.Errorf("table %s: sqlite columns %v, postgres %v", name, got[name], cols)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("table %s exists on sqlite only", name)
		}
	}
}

func TestMigrateTwiceIsNoop(t *testing.T) {
	t.Parallel()
	dsn := storetest.DSN(t)
	dir := t.TempDir()
	for i := 0; i < 2; i++ {
		db, err := store.Open(context.Background(), store.Options{DSN: dsn, DataDir: dir})
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		db.Close()
	}
}

func TestAgentRoundTripAndConflicts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Date(2026, 3, 1, 10, 20, 30, 123456000, time.FixedZone("MSK", 3*3600))
	op := int64(42)
	a, err := db.CreateAgent(ctx, ringdesk.AgentCreate{Name: "Анна", Email: "anna@example.com", Role: ringdesk.RoleAdmin, Lang: "ru", OperatorID: &op}, "hash", now)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.AgentByID(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.CreatedAt.Equal(now) || got.CreatedAt.Location() != time.UTC {
		t.Errorf("created_at = %v (%v), want %v in UTC", got.CreatedAt, got.CreatedAt.Location(), now)
	}
	if got.OperatorID == nil || *got.OperatorID != 42 || !got.Active || got.Role != ringdesk.RoleAdmin {
		t.Errorf("agent = %+v", got)
	}
	_, err = db.CreateAgent(ctx, ringdesk.AgentCreate{Name: "B", Email: "anna@example.com", Role: ringdesk.RoleAgent}, "h", now)
	if ringdesk.ErrorCode(err) != ringdesk.ECONFLICT || ringdesk.ErrorFields(err)["email"] == "" {
		t.Errorf("duplicate email: err = %v, want conflict on email", err)
	}
	_, err = db.CreateAgent(ctx, ringdesk.AgentCreate{Name: "C", Email: "c@example.com", Role: ringdesk.RoleAgent, OperatorID: &op}, "h", now)
	if ringdesk.ErrorCode(err) != ringdesk.ECONFLICT || ringdesk.ErrorFields(err)["operator_id"] == "" {
		t.Errorf("duplicate operator id: err = %v, want conflict on operator_id", err)
	}
	// Agents without an Operator ID do not clash with each other.
	for _, e := range []string{"d@example.com", "e@example.com"} {
		if _, err := db.CreateAgent(ctx, ringdesk.AgentCreate{Name: "X", Email: e, Role: ringdesk.RoleAgent}, "h", now); err != nil {
			t.Errorf("create %s: %v", e, err)
		}
	}
	if _, err := db.AgentByID(ctx, 9999); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("missing agent: err = %v", err)
	}
}

func TestPingFailsWhenClosed(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	db.Close()
	if err := db.Ping(context.Background()); ringdesk.ErrorCode(err) != ringdesk.EUNAVAILABLE {
		t.Errorf("ping on closed db: %v, want unavailable", err)
	}
}

func TestUnreachablePostgresFailsClearly(t *testing.T) {
	t.Parallel()
	start := time.Now()
	_, err := store.Open(context.Background(), store.Options{DSN: "postgres://u:secretpw@127.0.0.1:1/x?connect_timeout=1", ConnectTimeout: time.Second})
	if err == nil || !strings.Contains(err.Error(), "unreachable") || strings.Contains(err.Error(), "secretpw") {
		t.Fatalf("err = %v, want a clear unreachable error without the password", err)
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("gave up after %v", d)
	}
}

// TestSQLiteFilesPrivate: the database and its WAL files are readable by
// their owner only, whatever the umask.
func TestSQLiteFilesPrivate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, err := store.Open(context.Background(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, name := range []string{"ringdesk.db", "ringdesk.db-wal", "ringdesk.db-shm"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want no access for group and others", name, fi.Mode().Perm())
		}
	}
}

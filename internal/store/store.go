// Package store holds all SQL: hand-written, with $N placeholders that serve
// both SQLite (modernc.org/sqlite) and PostgreSQL (pgx stdlib).
//
// SQLite runs with one writer connection and a read pool, WAL and
// synchronous=FULL; PostgreSQL uses one pool for both. Times are stored as
// BIGINT microseconds since the Unix epoch in UTC on both dialects, so they
// round-trip exactly, compare as integers and index the same way.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ringdesk/ringdesk/internal/metrics"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the SQL database in use.
type Dialect string

// Dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the handle every store method hangs off.
type DB struct {
	dialect Dialect
	w       *sql.DB // writes (SQLite: exactly one connection)
	r       *sql.DB // reads (SQLite: a query_only pool; Postgres: same as w)
	log     *slog.Logger
	path    string

	batchOnce sync.Once
	closeOnce sync.Once
	closeErr  error
	batch     []*batcher
	stmts     stmtCache
	ckStop    func() // ends the background WAL checkpoints (SQLite)

	liveMu   sync.Mutex
	liveName string

	// seen remembers the uis_employees rows this process wrote or read
	// lately ([channel, employee] -> seenMemo), see seenEmployees.
	seen sync.Map

	// metrics records group-commit batch sizes (nil: nothing).
	metrics *metrics.Metrics

	// search overrides searchCap and searchWindow when non-zero (tests
	// exercise the id windows with a few hundred tickets).
	search struct{ cap, window int64 }
}

// Options configures Open.
type Options struct {
	// DSN is empty for SQLite in DataDir, or a postgres:// URL.
	DSN     string
	DataDir string
	Logger  *slog.Logger
	// ConnectTimeout bounds how long an unreachable PostgreSQL is retried.
	ConnectTimeout time.Duration
	// Metrics receives group-commit batch sizes and watches the connection
	// pools; nil records nothing.
	Metrics *metrics.Metrics
}

// SQLiteFile is the name of the SQLite database file in the data directory.
const SQLiteFile = "ringdesk.db"

// IsPostgresDSN reports whether dsn selects PostgreSQL.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database named by opts and runs migrations.
func Open(ctx context.Context, opts Options) (*DB, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	var db *DB
	var err error
	switch {
	case opts.DSN == "":
		db, err = openSQLite(opts)
	case IsPostgresDSN(opts.DSN):
		db, err = openPostgres(ctx, opts)
	default:
		return nil, fmt.Errorf("store: --db must be empty (SQLite) or a postgres:// URL")
	}
	if err != nil {
		return nil, err
	}
	db.metrics = opts.Metrics
	if db.dialect == SQLite {
		opts.Metrics.WatchDB("write", db.w)
		opts.Metrics.WatchDB("read", db.r)
	} else {
		opts.Metrics.WatchDB("pool", db.w)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.backfillClientSearch(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.backfillDeadLetterSums(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.rebuildPendingReports(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.Optimize(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Optimize keeps the query planner's statistics current. PostgreSQL's
// autovacuum does this itself; SQLite gathers them only when asked, and
// without them some plans read every lost call or every call of a channel.
// PRAGMA optimize analyses only the tables that need it (0x10002: also
// those never analysed, with a row limit so it stays fast). The cleanup job
// runs it hourly.
func (db *DB) Optimize(ctx context.Context) error {
	if db.dialect != SQLite {
		return nil
	}
	_, err := db.w.ExecContext(ctx, `PRAGMA optimize=0x10002`)
	return wrap("optimize", err)
}

func openSQLite(opts Options) (*DB, error) {
	if err := os.MkdirAll(opts.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("store: create data dir: %w", err)
	}
	path := filepath.Join(opts.DataDir, SQLiteFile)
	// The database holds clients' numbers and encrypted secrets: readable by
	// its owner only. SQLite gives its -wal and -shm files the same mode.
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: create %s: %w", path, err)
	}
	f.Close()
	// busy_timeout must come before journal_mode: switching to WAL takes a lock.
	base := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)&_txlock=immediate"
	w, err := sql.Open("sqlite", base+"&_pragma=wal_autocheckpoint("+strconv.Itoa(walBackstopPages)+")")
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.Ping(); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite reader: %w", err)
	}
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	ck, err := sql.Open("sqlite", base)
	if err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("store: open sqlite checkpointer: %w", err)
	}
	ck.SetMaxOpenConns(1)
	ck.SetMaxIdleConns(1)
	db := &DB{dialect: SQLite, w: w, r: r, log: opts.Logger, path: path}
	db.startCheckpointer(ck)
	return db, nil
}

func openPostgres(ctx context.Context, opts Options) (*DB, error) {
	p, err := sql.Open("pgx", opts.DSN)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	p.SetMaxOpenConns(32)
	p.SetMaxIdleConns(16)
	p.SetConnMaxIdleTime(5 * time.Minute)
	timeout := opts.ConnectTimeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	deadline := time.Now().Add(timeout)
	for attempt := 1; ; attempt++ {
		pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		err = p.PingContext(pctx)
		cancel()
		if err == nil {
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			p.Close()
			return nil, fmt.Errorf("store: PostgreSQL at %s is unreachable after %d attempts: %w", redactDSN(opts.DSN), attempt, err)
		}
		opts.Logger.Warn("PostgreSQL not reachable yet, retrying", "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(500 * time.Millisecond):
		}
	}
	return &DB{dialect: Postgres, w: p, r: p, log: opts.Logger}, nil
}

// redactDSN hides the password of a connection URL for messages.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the configured database"
	}
	return u.Redacted()
}

// Dialect reports which database is in use.
func (db *DB) Dialect() Dialect { return db.dialect }

// Close closes every connection; closing again does nothing.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.stopBatchers()
		if db.ckStop != nil {
			db.ckStop()
		}
		db.stmts.close()
		db.closeErr = db.w.Close()
		if db.r != db.w {
			db.closeErr = errors.Join(db.closeErr, db.r.Close())
		}
	})
	return db.closeErr
}

// Ping checks that the database answers; /readyz and the outage watcher
// use it. On SQLite it also writes a row: on a full or failing disk reads
// still work while every write fails, and a desk that cannot store a
// webhook is not ready.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.r.PingContext(ctx); err != nil {
		return unavailable(err)
	}
	var one int
	if err := db.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return unavailable(err)
	}
	if db.dialect != SQLite {
		return nil
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO ready_probe (id, checked_at) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`, micros(time.Now()))
	if err != nil && ctx.Err() == nil {
		return unavailable(err)
	}
	return mapErr(err)
}

// Tx runs fn in a write transaction, committing when fn returns nil.
// Exported store methods use it so that each is one transaction.
func (db *DB) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := flushSearch(ctx, db.cached(tx)); err != nil {
		return mapErr(err)
	}
	return mapErr(tx.Commit())
}

// micros converts t to stored form: microseconds since the epoch, UTC.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros converts a stored time back to a UTC time.Time.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// nullMicros converts an optional time to its stored form.
func nullMicros(t *time.Time) sql.NullInt64 {
	if t == nil || t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

// fromNullMicros converts an optional stored time back.
func fromNullMicros(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromMicros(n.Int64)
	return &t
}

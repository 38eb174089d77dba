package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationsFS embed.FS

// migrationLockKey is the Postgres advisory lock that serialises instances
// starting together.
const migrationLockKey = 0x52494e47 // "RING"

type migration struct {
	version int
	name    string
	sql     string
}

func (db *DB) migrations() ([]migration, error) {
	dir := "migrations/" + string(db.dialect)
	entries, err := fs.ReadDir(migrationsFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("store: migration %s: name must start with a number and _", e.Name())
		}
		b, err := fs.ReadFile(migrationsFS, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies every migration not yet recorded, each in its own
// transaction, forward only.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := db.migrations()
	if err != nil {
		return fmt.Errorf("store: read migrations: %w", err)
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return wrap("migrate", err)
	}
	defer conn.Close()
	if db.dialect == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
			return wrap("migrate: lock", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at BIGINT NOT NULL)`); err != nil {
		return wrap("migrate: create schema_migrations", err)
	}
	applied := map[int]bool{}
	rows, err := conn.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return wrap("migrate: list", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return wrap("migrate: list", err)
		}
		applied[v] = true
	}
	rows.Close()
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		if err := db.applyMigration(ctx, conn, m); err != nil {
			return err
		}
		db.log.Info("applied migration", "name", m.name, "dialect", db.dialect)
	}
	return nil
}

// rebuildMarker in a SQLite migration says it rebuilds a table other
// tables refer to (the only way SQLite changes a CHECK constraint): it runs
// with foreign keys off, as SQLite's documented procedure asks (dropping
// the old table would otherwise cascade its deletes), and the keys are
// checked before it commits.
const rebuildMarker = "-- ringdesk: rebuilds a table (foreign keys off)"

func (db *DB) applyMigration(ctx context.Context, conn *sql.Conn, m migration) error {
	rebuild := strings.Contains(m.sql, rebuildMarker)
	if rebuild {
		// PRAGMA foreign_keys is a no-op inside a transaction.
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return wrap("migrate: foreign keys off", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return wrap("migrate: begin", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	if rebuild {
		var table string
		err := tx.QueryRowContext(ctx, "SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1").Scan(&table)
		if err == nil {
			return fmt.Errorf("store: migration %s: leaves a broken foreign key in %s", m.name, table)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: migration %s: check foreign keys: %w", m.name, err)
		}
	}
	if db.dialect == SQLite {
		// A migration that changes indexed rows leaves their index changes
		// in the log (search_pending.go), once the log exists: asked of the
		// schema, not by version, as migrations may apply out of order.
		var logged bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_pending')`).Scan(&logged); err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		if logged {
			if err := flushSearch(ctx, db.cached(tx)); err != nil {
				return fmt.Errorf("store: migration %s: %w", m.name, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
		m.version, m.name, micros(time.Now())); err != nil {
		return fmt.Errorf("store: record migration %s: %w", m.name, err)
	}
	return tx.Commit()
}

// Tables returns every application table with its columns, sorted; the
// dialect test compares SQLite and Postgres with it.
func (db *DB) Tables(ctx context.Context) (map[string][]string, error) {
	var q string
	if db.dialect == Postgres {
		q = `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() ORDER BY table_name, column_name`
	} else {
		q = `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.sql NOT LIKE 'CREATE VIRTUAL%'
			AND m.name NOT LIKE '%_fts_%' AND m.name <> 'search_pending' ORDER BY m.name, p.name`
	}
	rows, err := db.r.QueryContext(ctx, q)
	if err != nil {
		return nil, wrap("tables", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return nil, wrap("tables", err)
		}
		out[t] = append(out[t], c)
	}
	return out, wrap("tables", rows.Err())
}

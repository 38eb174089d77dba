package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps prepared statements for the SQLite writer connection, so
// hot paths (webhook ingestion) do not re-parse their SQL for every event:
// parsing was the largest single CPU cost there. PostgreSQL's pgx driver
// caches prepared statements per connection by itself.
//
// SQLite has a single writer connection, held by the open transaction, so a
// statement cannot be prepared on the pool while a transaction runs: an
// unknown statement runs unprepared and is noted, and prepareWanted
// prepares the noted ones before the next transaction begins.
type stmtCache struct {
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	wanted map[string]bool
}

// cachedTx runs statements of a transaction through the cache.
type cachedTx struct {
	*sql.Tx
	db *DB
}

func (db *DB) cached(tx *sql.Tx) cachedTx { return cachedTx{Tx: tx, db: db} }

func (t cachedTx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if t.db.dialect != SQLite {
		return nil, nil
	}
	c := &t.db.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.m[q]; ok {
		return t.StmtContext(ctx, s), nil
	}
	if c.wanted == nil {
		c.wanted = map[string]bool{}
	}
	c.wanted[q] = true
	return nil, nil
}

// prepareWanted prepares the statements noted since the last call. It must
// run while no transaction holds the writer connection.
func (c *stmtCache) prepareWanted(ctx context.Context, w *sql.DB) {
	c.mu.Lock()
	wanted := c.wanted
	c.wanted = nil
	c.mu.Unlock()
	// Prepare without holding mu: another transaction may own the writer
	// connection and need the cache before it lets go.
	for q := range wanted {
		s, err := w.PrepareContext(ctx, q)
		if err != nil {
			continue // runs unprepared; the error shows when it runs
		}
		c.mu.Lock()
		if c.m == nil {
			c.m = map[string]*sql.Stmt{}
		}
		if _, dup := c.m[q]; dup {
			s.Close()
		} else {
			c.m[q] = s
		}
		c.mu.Unlock()
	}
}

func (t cachedTx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	s, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	} else if s == nil {
		return t.ExecContext(ctx, q, args...)
	}
	return s.ExecContext(ctx, args...)
}

func (t cachedTx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	s, err := t.stmt(ctx, q)
	if err != nil || s == nil {
		return t.QueryRowContext(ctx, q, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

func (t cachedTx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	} else if s == nil {
		return t.QueryContext(ctx, q, args...)
	}
	return s.QueryContext(ctx, args...)
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.m {
		s.Close()
	}
	c.m = nil
}

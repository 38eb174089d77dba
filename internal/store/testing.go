package store

import (
	"context"
	"database/sql"
)

// QueryRowForTest runs a read query; tests use it to check stored state
// without a store method for every assertion.
func (db *DB) QueryRowForTest(ctx context.Context, q string, args ...any) *sql.Row {
	return db.r.QueryRowContext(ctx, q, args...)
}

// ExecForTest runs a write statement; tests use it to set up states no
// use case produces (a client without phones, a broken row).
func (db *DB) ExecForTest(ctx context.Context, q string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = tx.ExecContext(ctx, q, args...)
		return err
	})
	return res, err
}

// TxForTest runs statements in one write transaction; benchmarks seed
// millions of rows with it.
func (db *DB) TxForTest(ctx context.Context, fn func(exec func(q string) error) error) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		return fn(func(q string) error { _, err := tx.ExecContext(ctx, q); return err })
	})
}

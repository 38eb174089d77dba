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

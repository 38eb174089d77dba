package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Lease is a job_leases row: who runs a periodic job, and until when.
type Lease struct {
	Name       string
	Holder     string
	AcquiredAt time.Time
	ExpiresAt  time.Time
}

// TakeLease makes holder the holder of the named lease until expires: it
// takes a lease nobody holds or whose holder let it expire (before now),
// and renews one holder already has. It reports whether holder holds the
// lease now. One statement, so two instances racing for a free lease
// cannot both win.
func (db *DB) TakeLease(ctx context.Context, name, holder string, now, expires time.Time) (bool, error) {
	var held bool
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO job_leases (name, holder, acquired_at, expires_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
				acquired_at = CASE WHEN job_leases.holder = excluded.holder THEN job_leases.acquired_at ELSE excluded.acquired_at END
			WHERE job_leases.holder = excluded.holder OR job_leases.expires_at < excluded.acquired_at`,
			name, holder, micros(now), micros(expires))
		if err != nil {
			return wrap("take lease", err)
		}
		n, err := res.RowsAffected()
		held = n == 1
		return wrap("take lease", err)
	})
	return held, err
}

// ReleaseLease gives up holder's lease, so another instance may take it at
// once. Releasing a lease one does not hold does nothing.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM job_leases WHERE name = $1 AND holder = $2`, name, holder)
		return wrap("release lease", err)
	})
}

// LeaseByName returns the named lease; ok is false when nobody holds it.
func (db *DB) LeaseByName(ctx context.Context, name string) (l Lease, ok bool, err error) {
	var acq, exp int64
	err = db.r.QueryRowContext(ctx, `SELECT name, holder, acquired_at, expires_at FROM job_leases WHERE name = $1`, name).
		Scan(&l.Name, &l.Holder, &acq, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return Lease{}, false, nil
	}
	if err != nil {
		return Lease{}, false, wrap("lease", err)
	}
	l.AcquiredAt, l.ExpiresAt = fromMicros(acq), fromMicros(exp)
	return l, true, nil
}

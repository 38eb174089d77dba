package store

import (
	"context"
	"strconv"
	"strings"
)

// ClientNames returns the names of the given clients, for lists of calls.
func (db *DB) ClientNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	ph := make([]string, 0, len(ids))
	args := make([]any, 0, len(ids))
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		args = append(args, id)
		ph = append(ph, "$"+strconv.Itoa(len(args)))
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, name FROM clients WHERE id IN (`+strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return nil, wrap("client names", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, wrap("client names", err)
		}
		out[id] = name
	}
	return out, wrap("client names", rows.Err())
}

// ArchivedRecordings reports which recordings of a call (by 1-based n) have
// a local copy.
func (db *DB) ArchivedRecordings(ctx context.Context, callID int64) (map[int]bool, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT n FROM call_recordings WHERE call_id = $1 AND state = 'done'`, callID)
	if err != nil {
		return nil, wrap("archived recordings", err)
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, wrap("archived recordings", err)
		}
		out[n] = true
	}
	return out, wrap("archived recordings", rows.Err())
}

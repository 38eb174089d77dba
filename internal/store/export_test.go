package store

import (
	"context"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// SetSearchLimits makes full-text search consider at most capN matches per
// source, looking for them in id windows starting at window ids, so tests
// reach the windowed paths with a few hundred tickets.
func (db *DB) SetSearchLimits(capN, window int64) {
	db.search.cap, db.search.window = capN, window
}

// ListClientsPlain is ListClients without the trigram indexes: the exact
// query tests compare the indexed one with.
func (db *DB) ListClientsPlain(ctx context.Context, f ClientFilter) ([]*ringdesk.Client, string, error) {
	return db.listClients(ctx, f, false)
}

// SetClientSearchCap sets how many trigram candidates a client text search
// narrows to at most (above it the name-ordered walk is used) and returns
// the previous value.
func SetClientSearchCap(n int) int {
	old := clientSearchCap
	clientSearchCap = n
	return old
}

// BackfillDeadLetterSums runs the start-up pass that hashes dead letters
// kept before migration 0013.
func (db *DB) BackfillDeadLetterSums(ctx context.Context) error {
	return db.backfillDeadLetterSums(ctx)
}

// SetCallNumberCap sets how many contact numbers a partial number may match
// on the Calls page and returns the previous value.
func SetCallNumberCap(n int) int {
	old := callNumberCap
	callNumberCap = n
	return old
}

// SetPhoneCandidateCap sets how many clients with a matching number the
// client list sorts itself (above it, it walks the names) and returns the
// previous value.
func SetPhoneCandidateCap(n int) int {
	old := phoneCandidateCap
	phoneCandidateCap = n
	return old
}

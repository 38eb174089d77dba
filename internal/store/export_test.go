package store

// SetSearchLimits makes full-text search consider at most capN matches per
// source, looking for them in id windows starting at window ids, so tests
// reach the windowed paths with a few hundred tickets.
func (db *DB) SetSearchLimits(capN, window int64) {
	db.search.cap, db.search.window = capN, window
}

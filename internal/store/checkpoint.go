package store

import (
	"context"
	"database/sql"
	"time"
)

// WAL checkpoints on SQLite run off the writer's path. By default SQLite
// checkpoints inside the commit that takes the log past 1,000 pages, so
// one webhook batch in every few paid for copying the log back into the
// database file (8 % of the writer's time under sustained ingestion). A
// goroutine on its own connection now checkpoints every checkpointEvery
// (PASSIVE: it never blocks the writer or readers and never waits), and
// the writer's own automatic checkpoint stays as a backstop at
// walBackstopPages (40 MB of log) should the goroutine fall behind.
const (
	checkpointEvery  = 250 * time.Millisecond
	walBackstopPages = 10000
)

// startCheckpointer runs the background checkpoints until stopCheckpointer.
func (db *DB) startCheckpointer(ck *sql.DB) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	db.ckStop = func() { cancel(); <-done; ck.Close() }
	go func() {
		defer close(done)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		var failed bool
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			var busy, logPages, copied int
			err := ck.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logPages, &copied)
			switch {
			case err != nil && ctx.Err() == nil && !failed:
				// Logged once per failure spell: the writer's backstop
				// checkpoints meanwhile.
				db.log.Warn("background WAL checkpoint failed", "err", err)
				failed = true
			case err == nil:
				failed = false
			}
		}
	}()
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// Group commit: webhook writes are queued to a writer goroutine that runs
// up to maxBatch of them in one transaction and commits once. Every caller
// waits for its batch's commit, so an answer of 200 still means "durable";
// one fsync then covers many events (see PERFORMANCE.md).
//
// The batch runs on its own context: a caller that hangs up before its item
// runs withdraws it; one that hangs up later only loses the answer (the
// sender retries, and the retry is a duplicate). A request's cancellation
// must never reach the shared transaction: modernc.org/sqlite interrupts
// the connection on a cancelled context, which would roll back everyone's
// work.
const (
	maxBatch     = 256
	maxBatchWait = 200 * time.Microsecond
)

type batchItem struct {
	ctx  context.Context
	key  int64 // serialisation key (channel, call): an advisory lock on Postgres
	fn   func(ctx context.Context, tx *sql.Tx) error
	errc chan error
}

type batcher struct {
	db *DB
	// n is the writer's number: its shard of the report rollups.
	n    int
	in   chan *batchItem
	stop chan struct{}
	done chan struct{}
}

// batchers lazily starts the writers: one for SQLite (one writer anyway),
// several for Postgres, sharded by key so one call's events stay in order.
func (db *DB) batchers() []*batcher {
	db.batchOnce.Do(func() {
		n := 1
		if db.dialect == Postgres {
			n = 4
		}
		for i := range n {
			b := &batcher{db: db, n: i, in: make(chan *batchItem, maxBatch*4), stop: make(chan struct{}), done: make(chan struct{})}
			db.batch = append(db.batch, b)
			go b.run()
		}
	})
	return db.batch
}

// stopBatchers ends the writers after they finish queued work.
func (db *DB) stopBatchers() {
	for _, b := range db.batch {
		close(b.stop)
		<-b.done
	}
	db.batch = nil
}

// inBatch runs fn in the next group-committed transaction and returns once
// that transaction has committed (nil) or failed.
func (db *DB) inBatch(ctx context.Context, key int64, fn func(ctx context.Context, tx *sql.Tx) error) error {
	bs := db.batchers()
	it := &batchItem{ctx: ctx, key: key, fn: fn, errc: make(chan error, 1)}
	b := bs[uint64(key)%uint64(len(bs))]
	select {
	case b.in <- it:
	case <-ctx.Done():
		return ctx.Err()
	case <-b.stop:
		return unavailable(errors.New("the store is shutting down"))
	}
	select {
	case err := <-it.errc:
		return err
	case <-ctx.Done():
		// The item may still commit; the caller answers 5xx and the sender
		// retries, which dedupes.
		return ctx.Err()
	}
}

func (b *batcher) run() {
	defer close(b.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		var items []*batchItem
		select {
		case it := <-b.in:
			items = append(items, it)
		case <-b.stop:
			b.drain()
			return
		}
		timer.Reset(maxBatchWait)
	collect:
		for len(items) < maxBatch {
			select {
			case it := <-b.in:
				items = append(items, it)
			case <-timer.C:
				break collect
			}
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		b.commit(items)
	}
}

func (b *batcher) drain() {
	for {
		select {
		case it := <-b.in:
			b.commit([]*batchItem{it})
		default:
			return
		}
	}
}

// commit runs items in one transaction and reports to each.
func (b *batcher) commit(items []*batchItem) {
	live := items[:0]
	for _, it := range items {
		if it.ctx.Err() != nil {
			it.errc <- it.ctx.Err()
			continue
		}
		live = append(live, it)
	}
	if len(live) == 0 {
		return
	}
	ctx := context.Background() // never a caller's: see the top of this file
	errs := make([]error, len(live))
	err := b.db.runBatch(ctx, b.n, live, errs)
	if err == nil {
		b.db.metrics.BatchCommitted(len(live))
	}
	for i, it := range live {
		if err != nil {
			it.errc <- err
		} else {
			it.errc <- errs[i]
		}
	}
}

// runBatch runs items in one transaction, each item's failure confined to
// it. Items rarely fail, and a savepoint per item is not free (two round
// trips on PostgreSQL; on SQLite a journal of every page the item touches,
// and a flush of the full-text indexes), so the batch first runs without
// them; if an item fails (which aborts a PostgreSQL transaction and leaves
// a SQLite one half-done) the batch is rolled back and run again with a
// savepoint per item.
func (db *DB) runBatch(ctx context.Context, shard int, items []*batchItem, errs []error) error {
	if db.dialect == SQLite {
		db.stmts.prepareWanted(ctx, db.w)
	}
	savepoints := false
	for attempt := 1; ; attempt++ {
		err := db.runBatchTx(ctx, shard, items, errs, savepoints)
		switch {
		case errors.Is(err, errItemFailed) && !savepoints:
			savepoints = true
		case isConflict(err) && attempt < maxBatchAttempts:
			// PostgreSQL ended the batch to break a deadlock (two batches
			// updating the same tickets or calls in a different order:
			// two calls of one client) or a serialization conflict; it
			// was rolled back whole, so it is run again.
		default:
			return err
		}
		clear(errs)
	}
}

// maxBatchAttempts is how many times a batch PostgreSQL ends to break a
// deadlock is run.
const maxBatchAttempts = 3

// isConflict reports a PostgreSQL deadlock or serialization failure: the
// transaction was rolled back and may simply be run again.
func isConflict(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// isUniqueViolation reports a PostgreSQL unique violation.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// errItemFailed ends a batch run without savepoints at its first failed item.
var errItemFailed = errors.New("store: a batch item failed")

func (db *DB) runBatchTx(ctx context.Context, shard int, items []*batchItem, errs []error, savepoints bool) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback()
	if db.dialect == Postgres {
		if err := lockKeys(ctx, tx, items); err != nil {
			return mapErr(err)
		}
	}
	rollups := newRollupDeltas(shard)
	for i, it := range items {
		var before map[ringdesk.ReportKey]rollupDelta
		if savepoints {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT item`); err != nil {
				return mapErr(err)
			}
			before = rollups.snapshot()
		}
		err := it.fn(withRollups(context.WithoutCancel(it.ctx), rollups), tx)
		if err != nil && savepoints && isUniqueViolation(err) {
			// Another batch committed the same new row first (two calls of
			// one new client in two writers: both looked the number up,
			// found nobody, and inserted it). That batch has committed, or
			// this insert would not have failed: run the item once more,
			// and it finds the row.
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT item`); err != nil {
				return mapErr(err)
			}
			rollups.restore(before)
			err = it.fn(withRollups(context.WithoutCancel(it.ctx), rollups), tx)
		}
		switch {
		case err == nil:
		case isUnavailable(err):
			return mapErr(err)
		case !savepoints:
			return errItemFailed
		default:
			errs[i] = err
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT item`); err != nil {
				return mapErr(err)
			}
			rollups.restore(before)
		}
		if savepoints {
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT item`); err != nil {
				return mapErr(err)
			}
		}
	}
	// The report rollups the items changed, once per batch (report_rollups.go).
	if err := rollups.flush(ctx, db.cached(tx)); err != nil {
		return mapErr(err)
	}
	if err := flushSearch(ctx, db.cached(tx)); err != nil {
		return mapErr(err)
	}
	if err := tx.Commit(); err != nil {
		return mapErr(fmt.Errorf("store: group commit: %w", err))
	}
	return nil
}

// lockKeys serialises work on the same call across instances with one
// advisory lock per key, all taken in one round trip and in key order
// (the sorted subquery feeds the function row by row), which rules out
// deadlocks between batches.
func lockKeys(ctx context.Context, tx *sql.Tx, items []*batchItem) error {
	keys := make([]int64, 0, len(items))
	for _, it := range items {
		keys = append(keys, it.key)
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT k FROM unnest($1::bigint[]) AS u(k) ORDER BY k) AS s`, keys)
	return err
}

// lockKey hashes a channel and call into a serialisation key.
func lockKey(channelID, callSessionID int64) int64 {
	h := fnv.New64a()
	var b [16]byte
	for i := range 8 {
		b[i] = byte(channelID >> (8 * i))
		b[8+i] = byte(callSessionID >> (8 * i))
	}
	h.Write(b[:])
	return int64(h.Sum64() & 0x7fffffffffffffff)
}

package store

import (
	"context"
	"fmt"
)

// Search index writes on SQLite wait for the end of their transaction: the
// triggers of migration 0090 log each change of a trigram index (and the
// call path logs a new ticket's subject) in search_pending, and flushSearch
// replays the log into the FTS5 indexes just before the transaction
// commits. Written as each row changed, FTS5 wrote a separate one-row
// segment for every row of a batch (see the migration); replayed at the
// end, each index gets one segment per transaction. The log is replayed in
// the order it was written, with the values the triggers saw, so the
// indexes end exactly as the triggers used to leave them.

// searchReplay is the statement that replays the log of one index.
var searchReplay = map[int]string{
	1: `INSERT INTO clients_name_fts (clients_name_fts, rowid, name)
		SELECT CASE del WHEN 1 THEN 'delete' END, row_id, v FROM search_pending WHERE idx = 1 ORDER BY id`,
	2: `INSERT INTO clients_search_fts (clients_search_fts, rowid, search)
		SELECT CASE del WHEN 1 THEN 'delete' END, row_id, v FROM search_pending WHERE idx = 2 ORDER BY id`,
	3: `INSERT INTO client_emails_fts (client_emails_fts, rowid, email)
		SELECT CASE del WHEN 1 THEN 'delete' END, row_id, v FROM search_pending WHERE idx = 3 ORDER BY id`,
	4: `INSERT INTO client_phones_fts (client_phones_fts, rowid, phone)
		SELECT CASE del WHEN 1 THEN 'delete' END, row_id, v FROM search_pending WHERE idx = 4 ORDER BY id`,
	5: `INSERT INTO call_numbers_fts (call_numbers_fts, rowid, phone)
		SELECT CASE del WHEN 1 THEN 'delete' END, row_id, v FROM search_pending WHERE idx = 5 ORDER BY id`,
	// ticket_fts has its own content: the log only adds new call tickets.
	6: `INSERT INTO ticket_fts (rowid, subject, body) SELECT row_id, v, '' FROM search_pending WHERE idx = 6 AND del = 0 ORDER BY id`,
}

// searchTicketIdx is the log's number for ticket_fts.
const searchTicketIdx = 6

// flushSearch replays the transaction's search log into the indexes and
// empties it. SQLite only; every write transaction calls it before it
// commits, and a statement that reads or changes an FTS5 row directly
// calls it first.
func flushSearch(ctx context.Context, tx cachedTx) error {
	if tx.db.dialect != SQLite {
		return nil
	}
	rows, err := tx.query(ctx, `SELECT DISTINCT idx FROM search_pending`)
	if err != nil {
		return fmt.Errorf("store: search log: %w", err)
	}
	var idxs []int
	for rows.Next() {
		var i int
		if err := rows.Scan(&i); err != nil {
			rows.Close()
			return fmt.Errorf("store: search log: %w", err)
		}
		idxs = append(idxs, i)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: search log: %w", err)
	}
	if len(idxs) == 0 {
		return nil
	}
	for _, i := range idxs {
		q, ok := searchReplay[i]
		if !ok {
			return fmt.Errorf("store: search log: unknown index %d", i)
		}
		if _, err := tx.exec(ctx, q); err != nil {
			return fmt.Errorf("store: search log: replay index %d: %w", i, err)
		}
	}
	if _, err := tx.exec(ctx, `DELETE FROM search_pending`); err != nil {
		return fmt.Errorf("store: search log: %w", err)
	}
	return nil
}

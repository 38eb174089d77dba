package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// clientOwnedTables lists every table with a client_id column: merging two
// clients moves their rows to the survivor. A test fails when a migration
// adds such a table without adding it here, so a merge never leaves rows
// pointing at a deleted client.
var clientOwnedTables = []string{
	"call_requests",
	"calls",
	"client_emails",
	"client_phones",
	"tickets",
}

// ClientOwnedTables returns the tables whose client_id a merge moves.
func ClientOwnedTables() []string { return slices.Clone(clientOwnedTables) }

// MergeClients moves everything of client other (tickets, calls, call
// requests, phones, emails) to survivor in one transaction, fills the
// survivor's empty company and note from other, records a system entry in
// the timeline of each moved ticket and deletes other. byAgent is who merged.
func (db *DB) MergeClients(ctx context.Context, survivorID, otherID, byAgent int64, now time.Time) (*ringdesk.Client, error) {
	if survivorID == otherID {
		return nil, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "A client cannot be merged into itself.",
			Fields: map[string]string{"other_id": "A client cannot be merged into itself."}}
	}
	var c *ringdesk.Client
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if db.dialect == Postgres {
			// Lock both clients first, so a ticket or call inserted
			// meanwhile for the other client waits for the merge (and then
			// fails its foreign key) rather than making the merge's final
			// DELETE fail after all the work.
			if _, err := tx.ExecContext(ctx, `SELECT id FROM clients WHERE id IN ($1, $2) ORDER BY id FOR UPDATE`, survivorID, otherID); err != nil {
				return err
			}
		}
		survivor, err := findClientByID(ctx, tx, survivorID)
		if err != nil {
			return err
		}
		other, err := findClientByID(ctx, tx, otherID)
		if err != nil {
			return err
		}
		tickets, err := int64sOf(ctx, tx, `SELECT id FROM tickets WHERE client_id = $1 ORDER BY id`, otherID)
		if err != nil {
			return err
		}
		data, err := json.Marshal(map[string]any{"from_client_id": other.ID, "from_client_name": other.Name,
			"to_client_id": survivor.ID, "to_client_name": survivor.Name, "agent_id": byAgent})
		if err != nil {
			return err
		}
		for _, t := range tickets {
			if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_events (ticket_id, kind, author_type, author_id, body, data, created_at)
				VALUES ($1, $2, 'system', NULL, '', $3, $4)`, t, ringdesk.EventClientMerged, string(data), micros(now)); err != nil {
				return err
			}
		}
		for _, table := range clientOwnedTables {
			if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET client_id = $1 WHERE client_id = $2`, survivorID, otherID); err != nil {
				return err
			}
		}
		// The merged calls are one client's now: a call of one may call
		// back a missed call of the other.
		missed, err := int64sOf(ctx, tx, `SELECT id FROM calls WHERE client_id = $1 AND state = 'finished' AND is_lost = TRUE
			AND direction = 'in' ORDER BY id`, survivorID)
		if err != nil {
			return err
		}
		if err := recomputeCallBacks(ctx, db.cached(tx), missed); err != nil {
			return err
		}
		if survivor.Company == "" {
			survivor.Company = other.Company
		}
		if survivor.Note == "" {
			survivor.Note = other.Note
		}
		if _, err := tx.ExecContext(ctx, `UPDATE clients SET company = $1, note = $2, search = $3, updated_at = $4 WHERE id = $5`,
			survivor.Company, survivor.Note, clientSearch(survivor.Name, survivor.Company), micros(now), survivorID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM clients WHERE id = $1`, otherID); err != nil {
			return err
		}
		c, err = findClientByID(ctx, tx, survivorID)
		return err
	})
	return c, wrap("merge clients", err)
}

// int64sOf runs a one-column integer query.
func int64sOf(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

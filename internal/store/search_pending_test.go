package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestSearchLogKeepsIndexesExact: the search indexes are written from the
// log at the end of each transaction (search_pending.go), yet they end
// exactly as the triggers used to leave them. One group-committed batch
// creates clients, phones and call numbers, renames a client it created,
// moves a phone, and has an item that fails after writing (its log rows
// must go with it); ordinary transactions then create, edit and merge
// clients. FTS5's integrity check compares every external-content index
// with its table, and searches find what they should.
func TestSearchLogKeepsIndexesExact(t *testing.T) {
	t.Parallel()
	db := openBatchTestDB(t)
	if db.dialect != SQLite {
		t.Skip("the search log is SQLite's (PostgreSQL indexes the tables themselves)")
	}
	ctx := context.Background()
	item := func(fn func(ctx context.Context, tx *sql.Tx) error) *batchItem {
		return &batchItem{ctx: ctx, errc: make(chan error, 1), fn: fn}
	}
	exec := func(ctx context.Context, tx *sql.Tx, q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	var items []*batchItem
	for i := range 20 {
		items = append(items, item(func(ctx context.Context, tx *sql.Tx) error {
			var id int64
			name := fmt.Sprintf("Клиент %d", i)
			if err := tx.QueryRowContext(ctx, `INSERT INTO clients (name, search, created_at, updated_at) VALUES ($1, $2, 1, 1) RETURNING id`,
				name, clientSearch(name, "")).Scan(&id); err != nil {
				return err
			}
			if err := exec(ctx, tx, `INSERT INTO client_phones (client_id, phone, created_at) VALUES ($1, $2, 1)`, id, fmt.Sprintf("+7916555%04d", i)); err != nil {
				return err
			}
			if err := exec(ctx, tx, `INSERT INTO call_numbers (phone) VALUES ($1)`, fmt.Sprintf("+7495111%04d", i)); err != nil {
				return err
			}
			if i%4 == 0 { // renamed in the same transaction, before its index row exists
				renamed := fmt.Sprintf("Renamed %d", i)
				if err := exec(ctx, tx, `UPDATE clients SET name = $1, search = $2 WHERE id = $3`, renamed, clientSearch(renamed, ""), id); err != nil {
					return err
				}
			}
			if i%5 == 0 {
				if err := exec(ctx, tx, `UPDATE client_phones SET phone = $1 WHERE client_id = $2`, fmt.Sprintf("+7903777%04d", i), id); err != nil {
					return err
				}
			}
			return nil
		}))
	}
	items = append(items, item(func(ctx context.Context, tx *sql.Tx) error {
		if err := exec(ctx, tx, `INSERT INTO clients (name, search, created_at, updated_at) VALUES ('Ghost', 'ghost', 1, 1)`); err != nil {
			return err
		}
		return errors.New("this item fails after writing")
	}))
	errs := make([]error, len(items))
	if err := db.runBatch(ctx, 0, items, errs); err != nil {
		t.Fatal(err)
	}
	for i, err := range errs[:20] {
		if err != nil {
			t.Fatalf("item %d: %v", i, err)
		}
	}
	if errs[20] == nil {
		t.Fatal("the failing item succeeded")
	}

	now := time.Now()
	a, err := db.CreateClient(ctx, ringdesk.ClientInput{Name: "Anna Smith", Company: "Northwind", Emails: []string{"anna@northwind.test"},
		Phones: []string{"+79160000001"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.CreateClient(ctx, ringdesk.ClientInput{Name: "Boris Lee", Emails: []string{"boris@lee.test"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	name, emails := "Anna Quill", []string{"quill@northwind.test"}
	if _, err := db.UpdateClient(ctx, a.ID, ringdesk.ClientUpdate{Name: &name, Emails: &emails}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MergeClients(ctx, a.ID, b.ID, 0, now); err != nil {
		t.Fatal(err)
	}

	for _, fts := range []string{"clients_name_fts", "clients_search_fts", "client_emails_fts", "client_phones_fts", "call_numbers_fts"} {
		if _, err := db.w.ExecContext(ctx, `INSERT INTO `+fts+` (`+fts+`, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Errorf("%s does not match its table: %v", fts, err)
		}
	}
	var pending int
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_pending`).Scan(&pending); err != nil || pending != 0 {
		t.Fatalf("search log holds %d rows after commit (%v)", pending, err)
	}
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.r.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		q    string
		want int
	}{
		{`SELECT COUNT(*) FROM clients_name_fts WHERE clients_name_fts MATCH 'renamed'`, 5},
		{`SELECT COUNT(*) FROM clients_search_fts WHERE clients_search_fts MATCH 'клиент'`, 15},
		{`SELECT COUNT(*) FROM clients_search_fts WHERE clients_search_fts MATCH 'ghost'`, 0},
		{`SELECT COUNT(*) FROM clients_search_fts WHERE clients_search_fts MATCH 'quill'`, 1},
		{`SELECT COUNT(*) FROM clients_search_fts WHERE clients_search_fts MATCH 'boris'`, 0},
		{`SELECT COUNT(*) FROM client_emails_fts WHERE client_emails_fts MATCH '"anna@north"'`, 0},
		{`SELECT COUNT(*) FROM client_emails_fts WHERE client_emails_fts MATCH '"boris@lee"'`, 1},
		{`SELECT COUNT(*) FROM client_phones_fts WHERE client_phones_fts MATCH '7903777'`, 4},
		{`SELECT COUNT(*) FROM client_phones_fts WHERE client_phones_fts MATCH '7916555'`, 16},
		{`SELECT COUNT(*) FROM call_numbers_fts WHERE call_numbers_fts MATCH '7495111'`, 20},
	} {
		if got := count(c.q); got != c.want {
			t.Errorf("%s = %d, want %d", c.q, got, c.want)
		}
	}
}

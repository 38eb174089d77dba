package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// querier is what both *sql.DB and *sql.Tx offer, so read helpers serve
// inside and outside transactions.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const clientColumns = `id, name, company, note, name_edited, created_at, updated_at`

func scanClient(s rowScanner) (*ringdesk.Client, error) {
	var c ringdesk.Client
	var created, updated int64
	if err := s.Scan(&c.ID, &c.Name, &c.Company, &c.Note, &c.NameEdited, &created, &updated); err != nil {
		return nil, err
	}
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &c, nil
}

// ClientByID returns a client with its phones and emails.
func (db *DB) ClientByID(ctx context.Context, id int64) (*ringdesk.Client, error) {
	c, err := findClientByID(ctx, db.r, id)
	return c, wrap("client by id", err)
}

func findClientByID(ctx context.Context, q querier, id int64) (*ringdesk.Client, error) {
	c, err := scanClient(q.QueryRowContext(ctx, `SELECT `+clientColumns+` FROM clients WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Client")
	} else if err != nil {
		return nil, err
	}
	if c.Phones, err = stringsOf(ctx, q, `SELECT phone FROM client_phones WHERE client_id = $1 ORDER BY id`, id); err != nil {
		return nil, err
	}
	if c.Emails, err = stringsOf(ctx, q, `SELECT email FROM client_emails WHERE client_id = $1 ORDER BY id`, id); err != nil {
		return nil, err
	}
	return c, nil
}

// stringsOf runs a one-column query.
func stringsOf(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

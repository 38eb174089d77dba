package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// clientSearch is the text a client search matches: name and company,
// lower-cased in Go so every alphabet folds (SQL lower() folds only ASCII).
// Every statement that writes a client's name or company writes search from
// it too; insertClient does so for every new client.
func clientSearch(name, company string) string {
	return strings.ToLower(strings.TrimSpace(name + " " + company))
}

// newClient is one client row to insert.
type newClient struct {
	Name, Company, Note string
	NameEdited          bool
}

// insertClient inserts a client row with its search text and returns its id.
// Every path that creates a client (agents, telephony, seeds) goes through
// here, so no client is left out of the text search.
func insertClient(ctx context.Context, tx cachedTx, c newClient, now time.Time) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO clients (name, company, note, name_edited, search, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
		c.Name, c.Company, c.Note, c.NameEdited, clientSearch(c.Name, c.Company), micros(now)).Scan(&id)
	return id, err
}

// backfillClientSearch fills the search text of clients written before every
// path filled it (telephony and seeds once left it empty). It runs at start
// after the migrations and does nothing once every client has it.
func (db *DB) backfillClientSearch(ctx context.Context) error {
	type row struct {
		id            int64
		name, company string
	}
	var todo []row
	rows, err := db.w.QueryContext(ctx, `SELECT id, name, company FROM clients WHERE search = '' AND (name <> '' OR company <> '')`)
	if err != nil {
		return wrap("backfill client search", err)
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.name, &r.company); err != nil {
			rows.Close()
			return wrap("backfill client search", err)
		}
		todo = append(todo, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(todo) == 0 {
		return wrap("backfill client search", err)
	}
	for chunk := range slices.Chunk(todo, 500) {
		err := db.tx(ctx, func(tx *sql.Tx) error {
			for _, r := range chunk {
				if _, err := tx.ExecContext(ctx, `UPDATE clients SET search = $1 WHERE id = $2`, clientSearch(r.name, r.company), r.id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return wrap("backfill client search", err)
		}
	}
	db.log.Info("filled client search text", "clients", len(todo))
	return nil
}

// CreateClient inserts a validated client with its phones and emails in one
// transaction. A phone or email that already belongs to another client is an
// ECONFLICT naming that client; nothing is written then.
func (db *DB) CreateClient(ctx context.Context, in ringdesk.ClientInput, now time.Time) (*ringdesk.Client, error) {
	var c *ringdesk.Client
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := clientConflicts(ctx, tx, 0, in.Phones, in.Emails); err != nil {
			return err
		}
		id, err := insertClient(ctx, db.cached(tx), newClient{Name: in.Name, Company: in.Company, Note: in.Note, NameEdited: true}, now)
		if err != nil {
			return err
		}
		if err := addClientPhones(ctx, tx, id, in.Phones, now); err != nil {
			return err
		}
		if err := addClientEmails(ctx, tx, id, in.Emails, now); err != nil {
			return err
		}
		c, err = findClientByID(ctx, tx, id)
		return err
	})
	return c, wrap("create client", err)
}

// UpdateClient applies a validated update. Setting a different name marks
// the name as edited, so telephony never replaces it. Phones and emails, when
// given, replace the client's lists.
func (db *DB) UpdateClient(ctx context.Context, id int64, u ringdesk.ClientUpdate, now time.Time) (*ringdesk.Client, error) {
	var c *ringdesk.Client
	err := db.tx(ctx, func(tx *sql.Tx) error {
		cur, err := findClientByID(ctx, tx, id)
		if err != nil {
			return err
		}
		var phones, emails []string
		if u.Phones != nil {
			phones = *u.Phones
		}
		if u.Emails != nil {
			emails = *u.Emails
		}
		if err := clientConflicts(ctx, tx, id, phones, emails); err != nil {
			return err
		}
		if u.Name != nil && *u.Name != cur.Name {
			cur.Name, cur.NameEdited = *u.Name, true
		}
		if u.Company != nil {
			cur.Company = *u.Company
		}
		if u.Note != nil {
			cur.Note = *u.Note
		}
		if _, err := tx.ExecContext(ctx, `UPDATE clients SET name = $1, company = $2, note = $3, name_edited = $4, search = $5,
			updated_at = $6 WHERE id = $7`, cur.Name, cur.Company, cur.Note, cur.NameEdited, clientSearch(cur.Name, cur.Company),
			micros(now), id); err != nil {
			return err
		}
		if u.Phones != nil {
			if err := deleteStrings(ctx, tx, "client_phones", "phone", id, cur.Phones, phones); err != nil {
				return err
			}
			if err := addClientPhones(ctx, tx, id, missing(phones, cur.Phones), now); err != nil {
				return err
			}
		}
		if u.Emails != nil {
			if err := deleteStrings(ctx, tx, "client_emails", "email", id, cur.Emails, emails); err != nil {
				return err
			}
			if err := addClientEmails(ctx, tx, id, missing(emails, cur.Emails), now); err != nil {
				return err
			}
		}
		c, err = findClientByID(ctx, tx, id)
		return err
	})
	return c, wrap("update client", err)
}

// missing returns the entries of want that are not in have.
func missing(want, have []string) []string {
	var out []string
	for _, w := range want {
		if !slices.Contains(have, w) {
			out = append(out, w)
		}
	}
	return out
}

// deleteStrings deletes the rows of table (client_phones or client_emails)
// whose value is in have but not in want.
func deleteStrings(ctx context.Context, tx *sql.Tx, table, col string, id int64, have, want []string) error {
	for _, h := range missing(have, want) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE client_id = $1 AND `+col+` = $2`, id, h); err != nil {
			return err
		}
	}
	return nil
}

func addClientPhones(ctx context.Context, tx *sql.Tx, id int64, phones []string, now time.Time) error {
	for _, p := range phones {
		if _, err := tx.ExecContext(ctx, `INSERT INTO client_phones (client_id, phone, created_at) VALUES ($1, $2, $3)`, id, p, micros(now)); err != nil {
			if isUnique(err) {
				return ringdesk.NewFieldError(ringdesk.ECONFLICT, "phones", ringdesk.T("%s already belongs to another client.", phone.Format(p)))
			}
			return err
		}
	}
	return nil
}

func addClientEmails(ctx context.Context, tx *sql.Tx, id int64, emails []string, now time.Time) error {
	for _, e := range emails {
		if _, err := tx.ExecContext(ctx, `INSERT INTO client_emails (client_id, email, created_at) VALUES ($1, $2, $3)`, id, e, micros(now)); err != nil {
			if isUnique(err) {
				return ringdesk.NewFieldError(ringdesk.ECONFLICT, "emails", ringdesk.T("%s already belongs to another client.", e))
			}
			return err
		}
	}
	return nil
}

// clientConflicts reports, as one ECONFLICT, every phone and email that
// belongs to a client other than id, naming that client:
// "+7 926 123-45-67 already belongs to Ivan Petrov (#12)."
func clientConflicts(ctx context.Context, q querier, id int64, phones, emails []string) error {
	conflict := &ringdesk.Error{Code: ringdesk.ECONFLICT}
	check := func(field, query, value, shown string) error {
		var owner int64
		var name string
		err := q.QueryRowContext(ctx, query, value, id).Scan(&owner, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		conflict.AddField(field, ringdesk.T("%s already belongs to %s (#%d).", shown, name, owner))
		return nil
	}
	for _, p := range phones {
		if err := check("phones", `SELECT c.id, c.name FROM client_phones p JOIN clients c ON c.id = p.client_id
			WHERE p.phone = $1 AND p.client_id <> $2`, p, phone.Format(p)); err != nil {
			return err
		}
	}
	for _, e := range emails {
		if err := check("emails", `SELECT c.id, c.name FROM client_emails e JOIN clients c ON c.id = e.client_id
			WHERE e.email = $1 AND e.client_id <> $2`, e, e); err != nil {
			return err
		}
	}
	if len(conflict.Fields) == 0 {
		return nil
	}
	return conflict
}

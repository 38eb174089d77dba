package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// ClientFilter is ringdesk.ClientFilter.
type ClientFilter = ringdesk.ClientFilter

// ClientByPhone returns the client owning an E.164 number.
func (db *DB) ClientByPhone(ctx context.Context, e164 string) (*ringdesk.Client, error) {
	var id int64
	err := db.r.QueryRowContext(ctx, `SELECT client_id FROM client_phones WHERE phone = $1`, e164).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Client")
	} else if err != nil {
		return nil, wrap("client by phone", err)
	}
	c, err := findClientByID(ctx, db.r, id)
	return c, wrap("client by phone", err)
}

// likePattern makes s a LIKE pattern matching it anywhere, with \ as escape.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// ListClients returns one page of clients ordered by name, with their
// phones and emails, and the cursor of the next page ("" at the end).
// Keyset paging on (name, id) keeps every page as fast as the first.
func (db *DB) ListClients(ctx context.Context, f ClientFilter) ([]*ringdesk.Client, string, error) {
	return db.listClients(ctx, f, true)
}

// clientSearchCap is how many trigram candidates a text search narrows to
// at most. A term with more is common: walking the clients in name order
// fills a page sooner than sorting all the candidates would.
var clientSearchCap = 2000

// clientSearchCandidates returns the ids of the clients whose search text
// or an email may contain low (lower-cased, three characters or more), from
// the trigram indexes, and false when there are more than clientSearchCap
// of either kind. The caller still applies the exact test.
func (db *DB) clientSearchCandidates(ctx context.Context, low string) ([]int64, bool, error) {
	var qs []string
	var arg any
	limit := strconv.Itoa(clientSearchCap + 1)
	if db.dialect == Postgres {
		// clients_search_trgm_idx and client_emails_email_trgm_idx (pg_trgm)
		// answer these; a lone LIKE with a LIMIT keeps the index in the
		// generic plan too.
		arg = likePattern(low)
		qs = []string{`SELECT id FROM clients WHERE search LIKE $1 ESCAPE '\' LIMIT ` + limit,
			`SELECT client_id FROM client_emails WHERE email LIKE $1 ESCAPE '\' LIMIT ` + limit}
	} else {
		// clients_search_fts and client_emails_fts (trigram, case-folded).
		arg = `"` + strings.ReplaceAll(low, `"`, `""`) + `"`
		qs = []string{`SELECT rowid FROM clients_search_fts WHERE clients_search_fts MATCH $1 LIMIT ` + limit,
			`SELECT client_id FROM client_emails WHERE id IN (SELECT rowid FROM client_emails_fts WHERE client_emails_fts MATCH $1 LIMIT ` + limit + `)`}
	}
	seen := map[int64]bool{}
	var ids []int64
	for _, q := range qs {
		rows, err := db.r.QueryContext(ctx, q, arg)
		if err != nil {
			return nil, false, wrap("client search candidates", err)
		}
		n := 0
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, false, wrap("client search candidates", err)
			}
			n++
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, false, wrap("client search candidates", err)
		}
		if n > clientSearchCap {
			return nil, false, nil
		}
	}
	return ids, true, nil
}

// listClients is ListClients; trigram says whether a text search may use
// the trigram indexes (tests compare it with the plain query).
func (db *DB) listClients(ctx context.Context, f ClientFilter, trigram bool) ([]*ringdesk.Client, string, error) {
	var r querier = db.r
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	switch {
	case f.Phone != "":
		where = append(where, "id IN (SELECT client_id FROM client_phones WHERE phone = "+arg(f.Phone)+")")
	case !f.PhonePart.IsZero():
		if !f.PhonePart.Valid() {
			return nil, "", partError("phone")
		}
		// Both steps stop early (LIMIT), where PostgreSQL's parallel
		// workers would take longer to start than the read.
		var done func()
		var err error
		if r, done, err = db.serialReads(ctx); err != nil {
			return nil, "", wrap("list clients", err)
		}
		defer done()
		ids, ok, err := db.phoneCandidates(ctx, r, f.PhonePart)
		if err != nil {
			return nil, "", wrap("list clients", err)
		}
		if ok && len(ids) == 0 {
			return nil, "", nil
		}
		if ok {
			// A few clients: the page is picked from them. Left to itself,
			// PostgreSQL may walk every client in name order instead,
			// misjudging how many match (800 ms for four digits).
			where = append(where, "id IN ("+db.idList(ids, arg)+")")
			break
		}
		// Many: walking the clients in name order, testing each one's
		// numbers, fills a page soon. Given the list of matches instead,
		// SQLite fetches and sorts them all (1.2 s for "+7 920", all
		// 300,000 clients of the benchmark).
		where = append(where, "EXISTS (SELECT 1 FROM client_phones p WHERE p.client_id = clients.id AND "+
			db.numberTest("p.phone", f.PhonePart, arg)+")")
	case strings.TrimSpace(f.Query) != "":
		low := strings.ToLower(strings.TrimSpace(f.Query))
		if trigram && utf8.RuneCountInString(low) >= 3 {
			ids, ok, err := db.clientSearchCandidates(ctx, low)
			if err != nil {
				return nil, "", err
			}
			if ok && len(ids) == 0 {
				return nil, "", nil
			}
			if ok {
				// A rare term: only the candidates are tested, each
				// email by its client, instead of every client.
				p := arg(likePattern(low))
				where = append(where, "id IN ("+db.idList(ids, arg)+")", "(search LIKE "+p+` ESCAPE '\'`+
					" OR EXISTS (SELECT 1 FROM client_emails e WHERE e.client_id = clients.id AND e.email LIKE "+p+` ESCAPE '\'))`)
				break
			}
		}
		p := arg(likePattern(low))
		where = append(where, "(search LIKE "+p+` ESCAPE '\'`+
			" OR id IN (SELECT client_id FROM client_emails WHERE email LIKE "+p+` ESCAPE '\'))`)
	}
	if f.Cursor != "" {
		name, id, err := decodeNameCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		n, i := arg(name), arg(id)
		// A row-value comparison: both databases turn it into an index range.
		where = append(where, "(name, id) > ("+n+", "+i+")")
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	q := `SELECT ` + clientColumns + ` FROM clients`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY name, id LIMIT " + strconv.Itoa(limit+1)
	rows, err := r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, "", wrap("list clients", err)
	}
	var out []*ringdesk.Client
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			rows.Close()
			return nil, "", wrap("list clients", err)
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", wrap("list clients", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = encodeNameCursor(last.Name, last.ID)
	}
	if err := fillContacts(ctx, r, out); err != nil {
		return nil, "", wrap("list clients", err)
	}
	return out, next, nil
}

// fillContacts loads the phones and emails of a page of clients in two queries.
func fillContacts(ctx context.Context, q querier, list []*ringdesk.Client) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*ringdesk.Client, len(list))
	marks := make([]string, len(list))
	args := make([]any, len(list))
	for i, c := range list {
		byID[c.ID] = c
		c.Phones, c.Emails = []string{}, []string{}
		marks[i] = "$" + strconv.Itoa(i+1)
		args[i] = c.ID
	}
	in := "(" + strings.Join(marks, ", ") + ")"
	for _, t := range []struct {
		query string
		add   func(c *ringdesk.Client, v string)
	}{
		{`SELECT client_id, phone FROM client_phones WHERE client_id IN ` + in + ` ORDER BY id`,
			func(c *ringdesk.Client, v string) { c.Phones = append(c.Phones, v) }},
		{`SELECT client_id, email FROM client_emails WHERE client_id IN ` + in + ` ORDER BY id`,
			func(c *ringdesk.Client, v string) { c.Emails = append(c.Emails, v) }},
	} {
		rows, err := q.QueryContext(ctx, t.query, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return err
			}
			t.add(byID[id], v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// encodeNameCursor and decodeNameCursor make an opaque keyset cursor
// "base64(name).id".
func encodeNameCursor(name string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(name)) + "." + strconv.FormatInt(id, 36)
}

func decodeNameCursor(c string) (string, int64, error) {
	a, b, ok := strings.Cut(c, ".")
	name, err1 := base64.RawURLEncoding.DecodeString(a)
	id, err2 := strconv.ParseInt(b, 36, 64)
	if !ok || err1 != nil || err2 != nil {
		return "", 0, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "The page cursor is not valid.", Fields: map[string]string{"cursor": "The page cursor is not valid."}}
	}
	return string(name), id, nil
}

// ClientTicket is ringdesk.ClientTicket.
type ClientTicket = ringdesk.ClientTicket

// LatestOpenTicket returns the client's active ticket updated most
// recently, or 0 when it has none.
func (db *DB) LatestOpenTicket(ctx context.Context, clientID int64) (int64, error) {
	var id int64
	err := db.r.QueryRowContext(ctx, `SELECT id FROM tickets WHERE client_id = $1 AND status IN `+activeStatuses+`
		ORDER BY updated_at DESC, id DESC LIMIT 1`, clientID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, wrap("latest open ticket", err)
}

// ClientTickets returns a client's tickets, most recently updated first.
func (db *DB) ClientTickets(ctx context.Context, clientID int64, limit int) ([]ClientTicket, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, subject, subject_call, subject_who, status, updated_at FROM tickets WHERE client_id = $1
		ORDER BY updated_at DESC, id DESC LIMIT `+strconv.Itoa(limit), clientID)
	if err != nil {
		return nil, wrap("client tickets", err)
	}
	defer rows.Close()
	out := []ClientTicket{}
	for rows.Next() {
		var t ClientTicket
		var updated int64
		var dir, who string
		if err := rows.Scan(&t.ID, &t.Subject, &dir, &who, &t.Status, &updated); err != nil {
			return nil, wrap("client tickets", err)
		}
		t.AutoSubject = autoSubject(dir, who)
		t.UpdatedAt = fromMicros(updated)
		out = append(out, t)
	}
	return out, wrap("client tickets", rows.Err())
}

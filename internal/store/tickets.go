package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

const ticketColumns = `t.id, t.subject, t.status, t.priority, t.type, t.channel_id, t.client_id, t.assignee_id,
	t.group_id, t.missed, t.created_at, t.updated_at, t.first_response_at, t.solved_at, t.subject_call, t.subject_who`

func scanTicket(s rowScanner, extra ...any) (*ringdesk.Ticket, error) {
	var t ringdesk.Ticket
	var channel, assignee, group, first, solved sql.NullInt64
	var created, updated int64
	var subjCall, subjWho string
	dest := append([]any{&t.ID, &t.Subject, &t.Status, &t.Priority, &t.Type, &channel, &t.ClientID, &assignee,
		&group, &t.Missed, &created, &updated, &first, &solved, &subjCall, &subjWho}, extra...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	t.AutoSubject = autoSubject(subjCall, subjWho)
	t.Number = t.ID
	if channel.Valid {
		t.ChannelID = &channel.Int64
	}
	if assignee.Valid {
		t.AssigneeID = &assignee.Int64
	}
	if group.Valid {
		t.GroupID = &group.Int64
	}
	t.CreatedAt, t.UpdatedAt = fromMicros(created), fromMicros(updated)
	t.FirstResponseAt, t.SolvedAt = fromNullMicros(first), fromNullMicros(solved)
	t.Tags = []string{}
	return &t, nil
}

// autoSubject reads the subject_call and subject_who columns.
func autoSubject(dir, who string) *ringdesk.CallSubject {
	if dir == "" {
		return nil
	}
	return &ringdesk.CallSubject{Direction: dir, Who: who}
}

// fieldErr is a validation error on one field.
func fieldErr(field, msg string) error {
	return &ringdesk.Error{Code: ringdesk.EINVALID, Message: msg, Fields: map[string]string{field: msg}}
}

// checkRefs verifies that the client, channel, assignee and group a ticket
// points at exist (the group in use), so a bad id is a field error rather
// than a foreign-key failure.
func checkRefs(ctx context.Context, tx cachedTx, clientID, channelID, assigneeID, groupID *int64) error {
	var one int
	if groupID != nil {
		if err := tx.queryRow(ctx, `SELECT 1 FROM agent_groups WHERE id = $1 AND deleted_at IS NULL`, *groupID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return fieldErr("group_id", "Group not found.")
		} else if err != nil {
			return err
		}
	}
	if clientID != nil {
		if err := tx.queryRow(ctx, `SELECT 1 FROM clients WHERE id = $1`, *clientID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return fieldErr("client_id", "Client not found.")
		} else if err != nil {
			return err
		}
	}
	if channelID != nil {
		if err := tx.queryRow(ctx, `SELECT 1 FROM channels WHERE id = $1`, *channelID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return fieldErr("channel_id", "Channel not found.")
		} else if err != nil {
			return err
		}
	}
	if assigneeID != nil {
		var active bool
		if err := tx.queryRow(ctx, `SELECT active FROM agents WHERE id = $1`, *assigneeID).Scan(&active); errors.Is(err, sql.ErrNoRows) {
			return fieldErr("assignee_id", "Agent not found.")
		} else if err != nil {
			return err
		} else if !active {
			return fieldErr("assignee_id", "This agent is deactivated.")
		}
	}
	return nil
}

// CreateTicket stores a new ticket (validated by the caller) with its tags,
// its first message and its search entry, in one transaction.
func (db *DB) CreateTicket(ctx context.Context, in ringdesk.TicketCreate, authorID *int64, now time.Time) (*ringdesk.Ticket, error) {
	var id int64
	err := db.tx(ctx, func(sqlTx *sql.Tx) error {
		tx := db.cached(sqlTx)
		if err := checkRefs(ctx, tx, &in.ClientID, in.ChannelID, in.AssigneeID, in.GroupID); err != nil {
			return err
		}
		var err error
		id, err = createTicketTx(ctx, tx, in, now)
		if err != nil || in.Body == "" {
			return err
		}
		author := ringdesk.AuthorClient
		if in.BodyKind == ringdesk.EventNote {
			author = ringdesk.AuthorAgent
		}
		return addEventTx(ctx, tx, id, in.BodyKind, author, authorID, in.Body, "{}", now)
	})
	if err != nil {
		return nil, wrap("create ticket", err)
	}
	return db.TicketByID(ctx, id)
}

// createTicketTx inserts a ticket, its tags and its search entry inside tx.
// Every path that makes tickets (the API, pages, telephony) goes through it
// so they all get the same treatment.
func createTicketTx(ctx context.Context, tx cachedTx, in ringdesk.TicketCreate, now time.Time) (int64, error) {
	var id int64
	var solved sql.NullInt64
	if in.Status == ringdesk.StatusSolved || in.Status == ringdesk.StatusClosed {
		solved = sql.NullInt64{Int64: micros(now), Valid: true}
	}
	err := tx.queryRow(ctx, `INSERT INTO tickets (subject, status, priority, type, channel_id, client_id, assignee_id,
		group_id, created_at, updated_at, solved_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id`,
		in.Subject, in.Status, in.Priority, in.Type, nullInt(in.ChannelID), in.ClientID, nullInt(in.AssigneeID),
		nullInt(in.GroupID), micros(now), solved).Scan(&id)
	if err != nil {
		return 0, err
	}
	for _, tag := range in.Tags {
		if _, err := tx.exec(ctx, `INSERT INTO ticket_tags (ticket_id, tag) VALUES ($1, $2)`, id, tag); err != nil {
			return 0, err
		}
	}
	if tx.db.dialect == SQLite {
		if _, err := tx.exec(ctx, `INSERT INTO ticket_fts (rowid, subject, body) VALUES ($1, $2, '')`, id, in.Subject); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// addEventTx appends a timeline entry; replies and notes also go into the
// search index.
func addEventTx(ctx context.Context, tx cachedTx, ticketID int64, kind, authorType string, authorID *int64, body, data string, now time.Time) error {
	if _, err := tx.exec(ctx, `INSERT INTO ticket_events (ticket_id, kind, author_type, author_id, body, data, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, ticketID, kind, authorType, nullInt(authorID), body, data, micros(now)); err != nil {
		return err
	}
	return indexEventTx(ctx, tx, ticketID, kind, body)
}

// addEventIDTx is addEventTx returning the new entry's id.
func addEventIDTx(ctx context.Context, tx cachedTx, ticketID int64, kind, authorType string, authorID *int64, body, data string, now time.Time) (int64, error) {
	var id int64
	if err := tx.queryRow(ctx, `INSERT INTO ticket_events (ticket_id, kind, author_type, author_id, body, data, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, ticketID, kind, authorType, nullInt(authorID), body, data, micros(now)).Scan(&id); err != nil {
		return 0, err
	}
	return id, indexEventTx(ctx, tx, ticketID, kind, body)
}

// indexEventTx adds a reply's or note's text to the ticket's search entry.
func indexEventTx(ctx context.Context, tx cachedTx, ticketID int64, kind, body string) error {
	if tx.db.dialect == SQLite && body != "" && (kind == ringdesk.EventReply || kind == ringdesk.EventNote) {
		if err := flushSearch(ctx, tx); err != nil { // the ticket's row may still be in the log
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE ticket_fts SET body = body || ' ' || $1 WHERE rowid = $2`, body, ticketID); err != nil {
			return err
		}
	}
	return nil
}

// TicketByID returns a ticket with its tags.
func (db *DB) TicketByID(ctx context.Context, id int64) (*ringdesk.Ticket, error) {
	t, err := findTicket(ctx, db.r, id)
	return t, wrap("ticket by id", err)
}

func findTicket(ctx context.Context, q querier, id int64) (*ringdesk.Ticket, error) {
	t, err := scanTicket(q.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM tickets t WHERE t.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Ticket")
	} else if err != nil {
		return nil, err
	}
	t.Tags, err = stringsOf(ctx, q, `SELECT tag FROM ticket_tags WHERE ticket_id = $1 ORDER BY tag`, id)
	return t, err
}

// UpdateTicket applies u (validated by the caller) and writes one audit
// entry per changed field, by actorID (nil: the system). With openIfNew, a
// ticket in status new becomes open unless u sets a status itself: any
// agent action on a new ticket opens it.
func (db *DB) UpdateTicket(ctx context.Context, id int64, u ringdesk.TicketUpdate, actorID *int64, openIfNew bool, now time.Time) (*ringdesk.Ticket, error) {
	err := db.tx(ctx, func(sqlTx *sql.Tx) error {
		tx := db.cached(sqlTx)
		cur, err := lockTicket(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkRefs(ctx, tx, u.ClientID, u.ChannelID, u.AssigneeID, u.GroupID); err != nil {
			return err
		}
		if u.Status == nil && openIfNew && cur.Status == ringdesk.StatusNew {
			open := ringdesk.StatusOpen
			u.Status = &open
		}
		return updateTicketTx(ctx, tx, cur, u, actorID, now)
	})
	if err != nil {
		return nil, wrap("update ticket", err)
	}
	return db.TicketByID(ctx, id)
}

// lockTicket reads a ticket for change. On PostgreSQL the row is locked
// first, so concurrent edits write audit entries with the right "from";
// SQLite has one writer at a time anyway.
func lockTicket(ctx context.Context, tx cachedTx, id int64) (*ringdesk.Ticket, error) {
	if tx.db.dialect == Postgres {
		var one int64
		err := tx.queryRow(ctx, `SELECT id FROM tickets WHERE id = $1 FOR UPDATE`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("Ticket")
		} else if err != nil {
			return nil, err
		}
	}
	return findTicket(ctx, tx.Tx, id)
}

// activeStatuses is ringdesk.ActiveStatuses as an SQL list, spelled as the
// partial indexes of migration 0003 spell it so their predicates match.
var activeStatuses = func() string {
	q := make([]string, len(ringdesk.ActiveStatuses))
	for i, s := range ringdesk.ActiveStatuses {
		q[i] = "'" + s + "'"
	}
	return "(" + strings.Join(q, ", ") + ")"
}()

func audit(from, to any) string {
	b, _ := json.Marshal(map[string]any{"from": from, "to": to})
	return string(b)
}

func updateTicketTx(ctx context.Context, tx cachedTx, cur *ringdesk.Ticket, u ringdesk.TicketUpdate, actorID *int64, now time.Time) error {
	next := *cur
	author := ringdesk.AuthorSystem
	if actorID != nil {
		author = ringdesk.AuthorAgent
	}
	var events [][2]string // kind, data
	if u.Subject != nil && !cur.SameSubject(*u.Subject) {
		next.Subject = *u.Subject
		events = append(events, [2]string{ringdesk.EventSubject, audit(cur.Subject, next.Subject)})
	}
	if u.Status != nil && *u.Status != cur.Status {
		next.Status = *u.Status
		events = append(events, [2]string{ringdesk.EventStatus, audit(cur.Status, next.Status)})
		switch {
		case next.Status == ringdesk.StatusSolved || next.Status == ringdesk.StatusClosed:
			if next.SolvedAt == nil {
				next.SolvedAt = &now
			}
		case ringdesk.StatusIsActive(next.Status):
			next.SolvedAt = nil
		}
	}
	if u.Priority != nil && *u.Priority != cur.Priority {
		next.Priority = *u.Priority
		events = append(events, [2]string{ringdesk.EventPriority, audit(cur.Priority, next.Priority)})
	}
	if u.Type != nil && *u.Type != cur.Type {
		next.Type = *u.Type
		events = append(events, [2]string{ringdesk.EventType, audit(cur.Type, next.Type)})
	}
	if u.ClientID != nil && *u.ClientID != cur.ClientID {
		next.ClientID = *u.ClientID
		events = append(events, [2]string{ringdesk.EventClient, audit(cur.ClientID, next.ClientID)})
	}
	if u.ChannelID != nil && (cur.ChannelID == nil || *u.ChannelID != *cur.ChannelID) {
		next.ChannelID = u.ChannelID
		events = append(events, [2]string{ringdesk.EventChannel, audit(cur.ChannelID, next.ChannelID)})
	}
	newAssignee := cur.AssigneeID
	if u.ClearAssignee {
		newAssignee = nil
	} else if u.AssigneeID != nil {
		newAssignee = u.AssigneeID
	}
	if !sameID(newAssignee, cur.AssigneeID) {
		next.AssigneeID = newAssignee
		events = append(events, [2]string{ringdesk.EventAssignee, audit(cur.AssigneeID, newAssignee)})
	}
	newGroup := cur.GroupID
	if u.ClearGroup {
		newGroup = nil
	} else if u.GroupID != nil {
		newGroup = u.GroupID
	}
	if !sameID(newGroup, cur.GroupID) {
		next.GroupID = newGroup
		events = append(events, [2]string{ringdesk.EventGroup, audit(cur.GroupID, newGroup)})
	}
	if len(u.AddTags) > 0 {
		merged := ringdesk.NormalizeTags(append(slices.Clone(cur.Tags), u.AddTags...))
		if u.Tags != nil {
			merged = ringdesk.NormalizeTags(append(slices.Clone(*u.Tags), u.AddTags...))
		}
		if len(merged) > ringdesk.MaxTags {
			return ringdesk.NewFieldError(ringdesk.EINVALID, "tags", ringdesk.T("At most %d tags.", ringdesk.MaxTags))
		}
		u.Tags = &merged
	}
	tagsChanged := u.Tags != nil && !sameTags(*u.Tags, cur.Tags)
	if tagsChanged {
		events = append(events, [2]string{ringdesk.EventTags, audit(cur.Tags, *u.Tags)})
	}
	if len(events) == 0 {
		return nil
	}
	if _, err := tx.exec(ctx, `UPDATE tickets SET subject = $1, status = $2, priority = $3, type = $4, client_id = $5,
		channel_id = $6, assignee_id = $7, solved_at = $8, updated_at = $9, group_id = $10,
		subject_call = CASE WHEN $1 = subject THEN subject_call ELSE '' END WHERE id = $11`,
		next.Subject, next.Status, next.Priority, next.Type, next.ClientID, nullInt(next.ChannelID), nullInt(next.AssigneeID),
		nullMicros(next.SolvedAt), micros(now), nullInt(next.GroupID), cur.ID); err != nil {
		return err
	}
	if tagsChanged {
		if _, err := tx.exec(ctx, `DELETE FROM ticket_tags WHERE ticket_id = $1`, cur.ID); err != nil {
			return err
		}
		for _, tag := range *u.Tags {
			if _, err := tx.exec(ctx, `INSERT INTO ticket_tags (ticket_id, tag) VALUES ($1, $2)`, cur.ID, tag); err != nil {
				return err
			}
		}
	}
	if next.Subject != cur.Subject && tx.db.dialect == SQLite {
		if err := flushSearch(ctx, tx); err != nil { // the ticket's row may still be in the log
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE ticket_fts SET subject = $1 WHERE rowid = $2`, next.Subject, cur.ID); err != nil {
			return err
		}
	}
	for _, e := range events {
		if err := addEventTx(ctx, tx, cur.ID, e[0], author, actorID, "", e[1], now); err != nil {
			return err
		}
	}
	return nil
}

func sameID(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

func sameTags(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// AddComment adds a reply or a note (validated by the caller). An agent's
// first reply sets first_response_at; with openIfNew a new ticket opens.
// With out, the reply is also queued to be sent by email, in the same
// transaction, so it is never written without its outbox row nor queued
// without its timeline entry.
func (db *DB) AddComment(ctx context.Context, ticketID int64, c ringdesk.CommentCreate, authorID *int64, openIfNew bool, now time.Time, out ...*OutboxCreate) (*ringdesk.TicketEvent, error) {
	var ev *ringdesk.TicketEvent
	err := db.tx(ctx, func(sqlTx *sql.Tx) error {
		tx := db.cached(sqlTx)
		cur, err := lockTicket(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		if openIfNew && cur.Status == ringdesk.StatusNew {
			open := ringdesk.StatusOpen
			if err := updateTicketTx(ctx, tx, cur, ringdesk.TicketUpdate{Status: &open}, authorID, now); err != nil {
				return err
			}
		}
		data := "{}"
		if len(out) > 0 && out[0] != nil {
			data = `{"email":true}`
		}
		eventID, err := addEventIDTx(ctx, tx, ticketID, c.Kind, c.AuthorType, authorID, c.Body, data, now)
		if err != nil {
			return err
		}
		if len(out) > 0 && out[0] != nil {
			if err := enqueueOutboxTx(ctx, tx, ticketID, eventID, out[0], now); err != nil {
				return err
			}
		}
		first := cur.FirstResponseAt
		if first == nil && c.Kind == ringdesk.EventReply && c.AuthorType == ringdesk.AuthorAgent {
			first = &now
		}
		if _, err := tx.exec(ctx, `UPDATE tickets SET updated_at = $1, first_response_at = $2 WHERE id = $3`,
			micros(now), nullMicros(first), ticketID); err != nil {
			return err
		}
		ev = &ringdesk.TicketEvent{ID: eventID, TicketID: ticketID, Kind: c.Kind, AuthorType: c.AuthorType, AuthorID: authorID,
			Body: c.Body, Data: data, CreatedAt: now}
		return nil
	})
	return ev, wrap("add comment", err)
}

// TicketEvents returns a ticket's timeline, oldest first.
func (db *DB) TicketEvents(ctx context.Context, ticketID int64) ([]*ringdesk.TicketEvent, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, ticket_id, kind, author_type, author_id, body, data, created_at
		FROM ticket_events WHERE ticket_id = $1 ORDER BY created_at, id`, ticketID)
	if err != nil {
		return nil, wrap("ticket events", err)
	}
	defer rows.Close()
	out := []*ringdesk.TicketEvent{}
	for rows.Next() {
		var e ringdesk.TicketEvent
		var author sql.NullInt64
		var at int64
		if err := rows.Scan(&e.ID, &e.TicketID, &e.Kind, &e.AuthorType, &author, &e.Body, &e.Data, &at); err != nil {
			return nil, wrap("ticket events", err)
		}
		if author.Valid {
			e.AuthorID = &author.Int64
		}
		e.CreatedAt = fromMicros(at)
		out = append(out, &e)
	}
	return out, wrap("ticket events", rows.Err())
}

// TicketFilter is ringdesk.TicketFilter.
type TicketFilter = ringdesk.TicketFilter

// TicketRow is ringdesk.TicketRow.
type TicketRow = ringdesk.TicketRow

// ListTickets returns one page of tickets, newest first by updated (or
// created) time, and the cursor of the next page ("" at the end).
func (db *DB) ListTickets(ctx context.Context, f TicketFilter) ([]*TicketRow, string, error) {
	col := "t.updated_at"
	if f.Sort == "created" {
		col = "t.created_at"
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	// The status conditions, also without the table's alias for a search's
	// page (searchSet.page), which can test them in the index.
	var statusIn []string
	if len(f.Statuses) > 0 {
		ph := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			ph[i] = arg(s)
		}
		statusIn = append(statusIn, "("+strings.Join(ph, ", ")+")")
	}
	if f.Active {
		statusIn = append(statusIn, activeStatuses)
	}
	for _, in := range statusIn {
		where = append(where, "t.status IN "+in)
	}
	if f.Unassigned {
		where = append(where, "t.assignee_id IS NULL")
	} else if f.AssigneeID != 0 {
		where = append(where, "t.assignee_id = "+arg(f.AssigneeID))
	}
	switch {
	case f.NoGroup:
		where = append(where, "t.group_id IS NULL")
	case f.GroupID != 0:
		where = append(where, "t.group_id = "+arg(f.GroupID))
	}
	if f.MemberID != 0 {
		where = append(where, "t.group_id IN (SELECT group_id FROM group_members WHERE agent_id = "+arg(f.MemberID)+")")
	}
	if f.ChannelID != 0 {
		where = append(where, "t.channel_id = "+arg(f.ChannelID))
	}
	if f.ClientID != 0 {
		where = append(where, "t.client_id = "+arg(f.ClientID))
	}
	if f.Tag != "" {
		where = append(where, "EXISTS (SELECT 1 FROM ticket_tags g WHERE g.ticket_id = t.id AND g.tag = "+arg(strings.ToLower(f.Tag))+")")
	}
	switch {
	case f.Missed == nil:
	case *f.Missed: // a literal, so cached plans can use tickets_missed_active_idx
		where = append(where, "t.missed = TRUE")
	default:
		where = append(where, "t.missed = FALSE")
	}
	if !f.CreatedFrom.IsZero() {
		where = append(where, "t.created_at >= "+arg(micros(f.CreatedFrom)))
	}
	if !f.CreatedTo.IsZero() {
		where = append(where, "t.created_at < "+arg(micros(f.CreatedTo)))
	}
	if !f.UpdatedFrom.IsZero() {
		where = append(where, "t.updated_at >= "+arg(micros(f.UpdatedFrom)))
	}
	if !f.UpdatedTo.IsZero() {
		where = append(where, "t.updated_at < "+arg(micros(f.UpdatedTo)))
	}
	q := strings.TrimSpace(f.Q)
	searching := q != "" || len(f.Phones) > 0 || !f.PhonePart.IsZero()
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	paged := false // the search chose the page itself
	if searching {
		if !f.PhonePart.Valid() {
			return nil, "", partError("q")
		}
		if len(where) == len(statusIn) && f.Sort != "created" {
			// Nothing but the status filters: choose the page from the
			// index.
			s, err := db.searchSources(ctx, q, f.Phones, f.PhonePart, arg)
			if err != nil {
				return nil, "", wrap("search tickets", err)
			}
			at, id := int64(-1), int64(0)
			if f.Cursor != "" {
				if at, id, err = decodeCursor(f.Cursor); err != nil {
					return nil, "", err
				}
			}
			where, paged = append(where, s.page(limit+1, at, id, statusIn, arg)), true
		} else {
			cond, err := db.searchCond(ctx, q, f.Phones, f.PhonePart, arg)
			if err != nil {
				return nil, "", wrap("search tickets", err)
			}
			where = append(where, cond)
		}
	}
	if f.Cursor != "" && !paged {
		at, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		a, b := arg(at), arg(id)
		where = append(where, "("+col+" < "+a+" OR ("+col+" = "+a+" AND t.id < "+b+"))")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	order := " ORDER BY " + col + " DESC, t.id DESC LIMIT " + strconv.Itoa(limit+1)
	from := "tickets t" + db.ticketIndexHint(f)
	if searching {
		// A search yields thousands of candidate tickets to sort: pick the
		// page first, then join the names of its rows only.
		from, cond = "(SELECT t.* FROM "+from+cond+order+") t", ""
	}
	query := `SELECT ` + ticketColumns + `, c.name, COALESCE(a.name, ''), COALESCE(g.name, '') FROM ` + from + `
		JOIN clients c ON c.id = t.client_id LEFT JOIN agents a ON a.id = t.assignee_id
		LEFT JOIN agent_groups g ON g.id = t.group_id` + cond + order
	rows, err := db.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", wrap("list tickets", err)
	}
	defer rows.Close()
	var out []*TicketRow
	for rows.Next() {
		var r TicketRow
		t, err := scanTicket(rows, &r.ClientName, &r.AssigneeName, &r.GroupName)
		if err != nil {
			return nil, "", wrap("list tickets", err)
		}
		r.Ticket = t
		out = append(out, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", wrap("list tickets", err)
	}
	rows.Close()
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		at := last.UpdatedAt
		if f.Sort == "created" {
			at = last.CreatedAt
		}
		next = encodeCursor(micros(at), last.ID)
	}
	if err := db.loadTags(ctx, out); err != nil {
		return nil, "", wrap("list tickets", err)
	}
	return out, next, nil
}

// ticketIndexHint names the index SQLite must use for the open views. Its
// planner, seeing status IN (four values), prefers the status indexes and
// then sorts hundreds of thousands of rows; the partial indexes of open
// tickets give the first page in order at once. PostgreSQL picks them itself.
func (db *DB) ticketIndexHint(f TicketFilter) string {
	if db.dialect != SQLite || !f.Active || len(f.Statuses) > 0 || f.ClientID != 0 ||
		f.ChannelID != 0 || f.Missed != nil || f.Q != "" || len(f.Phones) > 0 || !f.PhonePart.IsZero() {
		return ""
	}
	if f.MemberID != 0 || f.NoGroup {
		// The planner weighs the groups' share of open tickets itself.
		return ""
	}
	if f.GroupID != 0 {
		// A group's tickets, newest first, straight from its index.
		return " INDEXED BY tickets_group_idx"
	}
	if f.Sort == "created" {
		// About half of all tickets are open: walking the newest first
		// fills a page after a few dozen rows.
		return " INDEXED BY tickets_created_idx"
	}
	if f.AssigneeID != 0 || f.Unassigned {
		return " INDEXED BY tickets_active_assignee_idx"
	}
	return " INDEXED BY tickets_active_updated_idx"
}

// loadTags fills the tags of a page of tickets with one query.
func (db *DB) loadTags(ctx context.Context, list []*TicketRow) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*ringdesk.Ticket, len(list))
	ph := make([]string, len(list))
	args := make([]any, len(list))
	for i, r := range list {
		byID[r.ID] = r.Ticket
		ph[i] = "$" + strconv.Itoa(i+1)
		args[i] = r.ID
	}
	rows, err := db.r.QueryContext(ctx, `SELECT ticket_id, tag FROM ticket_tags WHERE ticket_id IN (`+strings.Join(ph, ", ")+`) ORDER BY tag`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return err
		}
		byID[id].Tags = append(byID[id].Tags, tag)
	}
	return rows.Err()
}

// searchCond is the WHERE condition of a search: tickets whose subject or
// messages contain every word (as a prefix), or tickets of clients whose
// name contains q, whose email starts with q, who have one of phones, or a
// number matching part.
// Every source yields ticket ids into one IN list, so the database looks up
// a bounded set of tickets by primary key instead of testing every ticket.
func (db *DB) searchCond(ctx context.Context, q string, phones []string, part ringdesk.PartialPhone, arg func(any) string) (string, error) {
	s, err := db.searchSources(ctx, q, phones, part, arg)
	if err != nil {
		return "", err
	}
	var ids []string
	if s.text != "" {
		ids = append(ids, s.text)
	}
	if s.clients != "" {
		ids = append(ids, "SELECT id FROM tickets WHERE client_id IN ("+s.clients+")")
	}
	if len(ids) == 0 {
		return "1 = 0", nil
	}
	return "t.id IN (" + strings.Join(ids, " UNION ALL ") + ")", nil
}

// searchSet is what a search matches: ticket ids from full-text search
// (text) and clients (clients), each a query ("" for none).
type searchSet struct{ text, clients string }

// page returns a condition choosing the page of limit tickets of s whose
// status is in every one of statusIn ("(...)" lists), newest updated first,
// after the cursor at, id (at < 0: the first page), from (id, updated_at)
// pairs alone: a client's tickets come from the index (client_id,
// updated_at, id, status) without reading them, so only the page's rows
// are read, not the thousands of tickets a broad search matches.
func (s searchSet) page(limit int, at, id int64, statusIn []string, arg func(any) string) string {
	status := ""
	for _, in := range statusIn {
		status += " AND status IN " + in
	}
	var pairs []string
	if s.text != "" {
		pairs = append(pairs, "SELECT id, updated_at FROM tickets WHERE id IN ("+s.text+")"+status)
	}
	if s.clients != "" {
		pairs = append(pairs, "SELECT id, updated_at FROM tickets WHERE client_id IN ("+s.clients+")"+status)
	}
	if len(pairs) == 0 {
		return "1 = 0"
	}
	after := ""
	if at >= 0 {
		a, b := arg(at), arg(id)
		after = " WHERE (c.updated_at < " + a + " OR (c.updated_at = " + a + " AND c.id < " + b + "))"
	}
	return "t.id IN (SELECT c.id FROM (" + strings.Join(pairs, " UNION ") + ") c" + after +
		" ORDER BY c.updated_at DESC, c.id DESC LIMIT " + strconv.Itoa(limit) + ")"
}

// searchSources returns the queries of what a search matches: tickets
// whose subject or messages contain every word (as a prefix), and clients
// whose name contains q, whose email starts with q, who have one of
// phones, or a number matching part (at most clientCap of them).
func (db *DB) searchSources(ctx context.Context, q string, phones []string, part ringdesk.PartialPhone, arg func(any) string) (searchSet, error) {
	var set searchSet
	var clients []string
	if q != "" {
		found, err := db.textMatches(ctx, q)
		if err != nil {
			return set, err
		}
		if len(found) > 0 {
			set.text = db.idList(found, arg)
		}
		low := strings.ToLower(q)
		var names []string
		if db.dialect == Postgres {
			// clients_lower_name_trgm_idx (pg_trgm) answers this without
			// reading every name when q has three characters or more.
			names = []string{"lower(name) LIKE " + arg("%"+escapeLike(low)+"%") + ` ESCAPE '\'`}
		} else {
			// SQLite's LIKE folds ASCII case only: try the spellings people
			// type a Cyrillic name in.
			// instr is a plain substring test, cheaper than LIKE per row.
			for _, v := range nameSpellings(q) {
				names = append(names, "instr(name, "+arg(v)+") > 0")
			}
			if utf8.RuneCountInString(q) >= 3 {
				// The trigram index (clients_name_fts, case-folded) narrows
				// the names to test to those containing q in any case.
				names = []string{"id IN (SELECT rowid FROM clients_name_fts WHERE clients_name_fts MATCH " +
					arg(`"`+strings.ReplaceAll(q, `"`, `""`)+`"`) + ") AND (" + strings.Join(names, " OR ") + ")"}
			}
		}
		clients = append(clients, "SELECT id FROM clients WHERE "+strings.Join(names, " OR "),
			"SELECT client_id FROM client_emails WHERE email >= "+arg(low)+" AND email < "+arg(low+"\uffff"))
	}
	if len(phones) > 0 {
		ph := make([]string, len(phones))
		for i, p := range phones {
			ph[i] = arg(p)
		}
		clients = append(clients, "SELECT client_id FROM client_phones WHERE phone IN ("+strings.Join(ph, ", ")+")")
	}
	if !part.IsZero() {
		clients = append(clients, db.numberMatches("client_phones", "client_id", part, arg))
	}
	if len(clients) > 0 {
		set.clients = "SELECT * FROM (" + strings.Join(clients, " UNION ") + ") mc LIMIT " + strconv.Itoa(clientCap)
	}
	return set, nil
}

// searchCap bounds how many matching tickets full-text search considers
// per source (the newest ones), so a common word stays fast at millions of
// tickets.
const searchCap = 5000

// searchWindow is the first id window full-text search looks in (see
// newestMatches).
const searchWindow = 32768

// textSource is one full-text index: a query returning matching ticket ids,
// newest first, with $1 the match expression and, when windowed, $2 the id
// the window starts above.
type textSource struct {
	all, windowed string
	match         string
}

// textSources returns the full-text queries of q: on SQLite the one FTS5
// table (subject and messages of a ticket in one row); on PostgreSQL the GIN
// indexes of subjects and of message bodies, each capped on its own.
func (db *DB) textSources(q string) []textSource {
	limit := " LIMIT " + strconv.FormatInt(db.searchLimit(), 10)
	if db.dialect == SQLite {
		m := ftsQuery(q)
		if m == "" {
			return nil
		}
		base := "SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH $1"
		return []textSource{{all: base + " ORDER BY rowid DESC" + limit,
			windowed: base + " AND rowid > $2 ORDER BY rowid DESC" + limit, match: m}}
	}
	m := tsQuery(q)
	if m == "" {
		return nil
	}
	subject := "SELECT id FROM tickets WHERE to_tsvector('simple', subject) @@ to_tsquery('simple', $1)"
	body := "SELECT ticket_id FROM ticket_events WHERE kind IN ('reply', 'note') AND to_tsvector('simple', body) @@ to_tsquery('simple', $1)"
	return []textSource{
		{all: subject + " ORDER BY id DESC" + limit, windowed: subject + " AND id > $2 ORDER BY id DESC" + limit, match: m},
		{all: body + " ORDER BY ticket_id DESC" + limit, windowed: body + " AND ticket_id > $2 ORDER BY ticket_id DESC" + limit, match: m},
	}
}

func (db *DB) searchLimit() int64 {
	if db.search.cap > 0 {
		return db.search.cap
	}
	return searchCap
}

// textMatches returns the ids of the tickets whose subject or messages
// match q: the newest searchCap of every text source.
func (db *DB) textMatches(ctx context.Context, q string) ([]int64, error) {
	srcs := db.textSources(q)
	if len(srcs) == 0 {
		return nil, nil
	}
	// A probe reads a few thousand rows at most: starting parallel workers
	// for it costs more than they save (30-40 ms for a word that matches
	// nothing, on a busy 2-core machine).
	r, done, err := db.serialReads(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	var top sql.NullInt64
	if err := r.QueryRowContext(ctx, `SELECT MAX(id) FROM tickets`).Scan(&top); err != nil {
		return nil, err
	}
	var found []int64
	for _, src := range srcs {
		ids, err := db.newestMatches(ctx, r, src, top.Int64)
		if err != nil {
			return nil, err
		}
		found = append(found, ids...)
	}
	return found, nil
}

// serialReads returns where to run reads that stop after a few thousand
// rows, and a function to call when they are done. On PostgreSQL that is a
// read-only transaction without parallel workers: the planner starts them
// for scans it expects to be long, and on a busy machine starting them
// costs more than such a read (6-10 ms on the 2-core box, 30-40 ms when it
// is loaded); on SQLite it is the read pool.
func (db *DB) serialReads(ctx context.Context) (querier, func(), error) {
	if db.dialect != Postgres {
		return db.r, func() {}, nil
	}
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	if _, err := tx.ExecContext(ctx, `SET LOCAL max_parallel_workers_per_gather = 0`); err != nil {
		tx.Rollback()
		return nil, nil, err
	}
	return tx, func() { tx.Rollback() }, nil
}

// newestMatches returns the ids of the newest searchCap matches of src;
// top is the highest ticket id.
// Lists show the newest tickets first, and a common word fills the cap
// within the newest few thousand tickets: asking the index for matches above
// max(id) - window reads only those, where the plain query would fetch and
// sort every one of 100,000+ matches. A window that yields fewer than the
// cap grows until it does or covers every ticket, so the result is
// exactly what the plain query returns. A rare word costs one cheap probe
// more than the plain query.
func (db *DB) newestMatches(ctx context.Context, r querier, src textSource, top int64) ([]int64, error) {
	window := int64(searchWindow)
	if db.search.window > 0 {
		window = db.search.window
	}
	limit := db.searchLimit()
	for {
		from := top - window
		var ids []int64
		var err error
		if from <= 0 {
			ids, err = int64sOf(ctx, r, src.all, src.match)
		} else {
			ids, err = int64sOf(ctx, r, src.windowed, src.match, from)
		}
		n := int64(len(ids))
		if err != nil || from <= 0 || n >= limit {
			return ids, err
		}
		// Grow to where the density seen so far fills the cap, with a
		// quarter to spare, at least fourfold. A window that would span
		// more than half of the tickets gains nothing over the plain query
		// (and bounding it by id costs more than it saves), so take that.
		next := window * 4
		if n == 0 {
			next = top
		} else if est := window * limit / n * 5 / 4; est > next {
			next = est
		}
		if next > top/2 {
			next = top
		}
		window = next
	}
}

// idList is a subquery yielding ids, passed as one parameter.
func (db *DB) idList(ids []int64, arg func(any) string) string {
	if db.dialect == Postgres {
		return "SELECT unnest(" + arg(ids) + "::bigint[])"
	}
	b := make([]byte, 0, len(ids)*8)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	b = append(b, ']')
	return "SELECT value FROM json_each(" + arg(string(b)) + ")"
}

// clientCap bounds how many matching clients a search looks at.
const clientCap = 1000

// nameSpellings returns q as typed, in lower case and with every word
// capitalised, without duplicates.
func nameSpellings(q string) []string {
	low := strings.ToLower(q)
	words := strings.Fields(low)
	for i, w := range words {
		r := []rune(w)
		words[i] = strings.ToUpper(string(r[:1])) + string(r[1:])
	}
	out := []string{q}
	for _, v := range []string{low, strings.Join(words, " ")} {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// searchWords splits a query into words of letters and digits.
func searchWords(q string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r > 127 && isWordRune(r))
	}) {
		w = strings.Trim(w, "-_")
		if w != "" && len(out) < 8 {
			out = append(out, w)
		}
	}
	return out
}

func isWordRune(r rune) bool {
	return r != '\u00a0' && r != '«' && r != '»' && r != '—' && r != '–' && r != '№'
}

// ftsQuery makes an FTS5 query: every word quoted, as a prefix.
func ftsQuery(q string) string {
	words := searchWords(q)
	for i, w := range words {
		words[i] = `"` + strings.ReplaceAll(w, `"`, "") + `"*`
	}
	return strings.Join(words, " ")
}

// tsQuery makes a PostgreSQL tsquery: every word as a prefix.
func tsQuery(q string) string {
	words := searchWords(q)
	for i, w := range words {
		w = strings.NewReplacer("'", "", "\\", "", ":", "", "&", "", "|", "", "!", "", "(", "", ")", "", "<", "", ">", "").Replace(w)
		words[i] = "'" + w + "':*"
	}
	return strings.Join(words, " & ")
}

// TicketViewCounts counts the tickets of the shared saved views
// (unassigned, open, solved, and each group's open tickets under
// GroupViewKey; the missed count is MissedOpenCount).
func (db *DB) TicketViewCounts(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	queries := map[string][]any{
		"unassigned": {`SELECT COUNT(*) FROM tickets WHERE assignee_id IS NULL AND status IN ` + activeStatuses},
		"open":       {`SELECT COUNT(*) FROM tickets WHERE status IN ` + activeStatuses},
		"solved":     {`SELECT COUNT(*) FROM tickets WHERE status = 'solved'`},
	}
	for name, q := range queries {
		var n int64
		if err := db.r.QueryRowContext(ctx, q[0].(string), q[1:]...).Scan(&n); err != nil {
			return nil, wrap("ticket view counts", err)
		}
		out[name] = n
	}
	groups, err := db.GroupOpenCounts(ctx)
	if err != nil {
		return nil, err
	}
	for g, n := range groups {
		out[GroupViewKey(g)] = n
	}
	return out, nil
}

// GroupViewKey is the key of a group's open count in TicketViewCounts.
func GroupViewKey(groupID int64) string { return "group:" + strconv.FormatInt(groupID, 10) }

// MissedOpenCount counts the open tickets of missed calls: the number the
// top bar shows on every page, so nobody overlooks a missed call.
func (db *DB) MissedOpenCount(ctx context.Context) (int64, error) {
	var n int64
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE missed = TRUE
		AND status IN `+activeStatuses).Scan(&n)
	return n, wrap("missed open count", err)
}

// MyOpenCount counts the open tickets assigned to agentID.
func (db *DB) MyOpenCount(ctx context.Context, agentID int64) (int64, error) {
	var n int64
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE assignee_id = $1
		AND status IN `+activeStatuses, agentID).Scan(&n)
	return n, wrap("my open count", err)
}

// ClientTicketRows returns a client's latest tickets as list rows (the
// ticket page's client panel).
func (db *DB) ClientTicketRows(ctx context.Context, clientID int64, limit int) ([]*TicketRow, error) {
	list, _, err := db.ListTickets(ctx, TicketFilter{ClientID: clientID, Limit: limit})
	return list, err
}

// MissedCall is ringdesk.MissedCall.
type MissedCall = ringdesk.MissedCall

// MissedCalls returns the latest lost incoming call of each of the tickets
// (one query for a page), keyed by ticket id; tickets without one are absent.
func (db *DB) MissedCalls(ctx context.Context, ticketIDs []int64) (map[int64]MissedCall, error) {
	out := map[int64]MissedCall{}
	if len(ticketIDs) == 0 {
		return out, nil
	}
	in, args := inInt64s(nil, ticketIDs)
	rows, err := db.r.QueryContext(ctx, `SELECT c.ticket_id, c.contact_phone, c.started_at, c.wait_seconds, m.n
		FROM (SELECT ticket_id, MAX(started_at) AS at, COUNT(*) AS n FROM calls
			WHERE ticket_id IN (`+in+`) AND is_lost = TRUE AND direction = 'in' GROUP BY ticket_id) m
		JOIN calls c ON c.ticket_id = m.ticket_id AND c.started_at = m.at
		WHERE c.is_lost = TRUE AND c.direction = 'in'
		ORDER BY c.id`, args...)
	if err != nil {
		return nil, wrap("missed calls", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, at, wait int64
		var m MissedCall
		if err := rows.Scan(&id, &m.Phone, &at, &wait, &m.Count); err != nil {
			return nil, wrap("missed calls", err)
		}
		m.At, m.Wait = fromMicros(at), time.Duration(wait)*time.Second
		out[id] = m // the last of equal start times wins
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("missed calls", err)
	}
	return out, wrap("missed calls", db.missedWaits(ctx, in, args, out))
}

// missedWaits adds to each missed call of out its ticket's wait for a call
// back: since when, the call-back attempts since then, and the last claim.
func (db *DB) missedWaits(ctx context.Context, in string, args []any, out map[int64]MissedCall) error {
	rows, err := db.r.QueryContext(ctx, `SELECT t.id, t.missed_since, t.callback_agent_id, a.name, t.callback_at,
			(SELECT COUNT(*) FROM calls o WHERE o.ticket_id = t.id AND o.direction = 'out'
				AND o.started_at >= COALESCE(t.missed_since, 0))
		FROM tickets t LEFT JOIN agents a ON a.id = t.callback_agent_id
		WHERE t.id IN (`+in+`) AND t.missed = TRUE`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var since, claimer, claimAt sql.NullInt64
		var name sql.NullString
		var attempts int
		if err := rows.Scan(&id, &since, &claimer, &name, &claimAt, &attempts); err != nil {
			return err
		}
		m, ok := out[id]
		if !ok {
			continue
		}
		m.Since, m.Attempts = nullTimePtr(since), attempts
		if claimer.Valid && claimAt.Valid {
			m.Claim = &ringdesk.CallBackClaim{AgentID: claimer.Int64, AgentName: name.String, At: fromMicros(claimAt.Int64)}
		}
		out[id] = m
	}
	return rows.Err()
}

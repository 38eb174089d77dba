package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// EmailCursor is where a mailbox's IMAP reading stands.
type EmailCursor struct {
	UIDValidity uint32
	LastUID     uint32
}

// EmailCursor returns a mailbox's cursor (zero before the first message).
func (db *DB) EmailCursor(ctx context.Context, channelID int64) (EmailCursor, error) {
	var c EmailCursor
	var v, u int64
	err := db.r.QueryRowContext(ctx, `SELECT uidvalidity, last_uid FROM email_cursors WHERE channel_id = $1`, channelID).Scan(&v, &u)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	c.UIDValidity, c.LastUID = uint32(v), uint32(u)
	return c, wrap("email cursor", err)
}

func saveCursorTx(ctx context.Context, tx cachedTx, channelID int64, c EmailCursor, now time.Time) error {
	_, err := tx.exec(ctx, `INSERT INTO email_cursors (channel_id, uidvalidity, last_uid, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (channel_id) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`,
		channelID, int64(c.UIDValidity), int64(c.LastUID), micros(now))
	return err
}

// SaveEmailCursor moves a mailbox's cursor (a UIDVALIDITY change with no
// message stored yet).
func (db *DB) SaveEmailCursor(ctx context.Context, channelID int64, c EmailCursor, now time.Time) error {
	return wrap("save email cursor", db.tx(ctx, func(tx *sql.Tx) error {
		return saveCursorTx(ctx, db.cached(tx), channelID, c, now)
	}))
}

// InboundRaw is a fetched message to store: its dedup key, its UID and
// its bytes.
type InboundRaw struct {
	Key string
	UID uint32
	Raw []byte
}

// StoreInbound stores one incoming message (see StoreInbounds).
func (db *DB) StoreInbound(ctx context.Context, channelID int64, key string, cur EmailCursor, raw []byte, now time.Time) (id int64, dup bool, err error) {
	ids, err := db.StoreInbounds(ctx, channelID, cur.UIDValidity, []InboundRaw{{Key: key, UID: cur.LastUID, Raw: raw}}, now)
	if err != nil {
		return 0, false, err
	}
	return ids[0], ids[0] == 0, nil
}

// StoreInbounds stores fetched messages' raw bytes under their keys and
// moves the mailbox's cursor to the last one's UID, in one transaction:
// the cursor never passes a message that is not stored, and a batch costs
// one commit. A key seen before is a duplicate: its id is 0 and nothing is
// stored for it.
func (db *DB) StoreInbounds(ctx context.Context, channelID int64, validity uint32, msgs []InboundRaw, now time.Time) ([]int64, error) {
	ids := make([]int64, len(msgs))
	if len(msgs) == 0 {
		return ids, nil
	}
	db.prepare(ctx)
	err := db.tx(ctx, func(sqlTx *sql.Tx) error {
		tx := db.cached(sqlTx)
		for i, m := range msgs {
			err := tx.queryRow(ctx, `INSERT INTO email_inbound (channel_id, message_key, uidvalidity, uid, received_at)
				VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel_id, message_key) DO NOTHING RETURNING id`,
				channelID, m.Key, int64(validity), int64(m.UID), micros(now)).Scan(&ids[i])
			if errors.Is(err, sql.ErrNoRows) {
				ids[i] = 0
				continue
			} else if err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO email_inbound_raw (inbound_id, raw) VALUES ($1, $2)`, ids[i], m.Raw); err != nil {
				return err
			}
		}
		last := msgs[len(msgs)-1].UID
		if last == 0 {
			return nil
		}
		return saveCursorTx(ctx, tx, channelID, EmailCursor{UIDValidity: validity, LastUID: last}, now)
	})
	return ids, wrap("store inbound", err)
}

// prepare readies the SQLite statements noted since the last call (see
// stmtCache); it runs outside any transaction of the caller.
func (db *DB) prepare(ctx context.Context) {
	if db.dialect == SQLite {
		db.stmts.prepareWanted(ctx, db.w)
	}
}

// Inbound is a stored incoming message.
type Inbound struct {
	ID        int64
	ChannelID int64
	Raw       []byte
	State     string
	Reason    string
	TicketID  *int64
}

// InboundByID returns one stored message with its raw bytes.
func (db *DB) InboundByID(ctx context.Context, id int64) (*Inbound, error) {
	var in Inbound
	var ticket sql.NullInt64
	err := db.r.QueryRowContext(ctx, `SELECT i.id, i.channel_id, r.raw, i.state, i.reason, i.ticket_id
		FROM email_inbound i JOIN email_inbound_raw r ON r.inbound_id = i.id WHERE i.id = $1`, id).
		Scan(&in.ID, &in.ChannelID, &in.Raw, &in.State, &in.Reason, &ticket)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Message")
	}
	if ticket.Valid {
		in.TicketID = &ticket.Int64
	}
	return &in, wrap("inbound by id", err)
}

// PendingInbound returns the ids of stored messages not applied yet, oldest
// first (failed ones too when withFailed).
func (db *DB) PendingInbound(ctx context.Context, limit int, withFailed bool) ([]int64, error) {
	q := `SELECT id FROM email_inbound WHERE state = 'pending' ORDER BY id LIMIT $1`
	if withFailed {
		q = `SELECT id FROM email_inbound WHERE state IN ('pending', 'failed') ORDER BY id LIMIT $1`
	}
	rows, err := db.r.QueryContext(ctx, q, limit)
	if err != nil {
		return nil, wrap("pending inbound", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, wrap("pending inbound", err)
		}
		out = append(out, id)
	}
	return out, wrap("pending inbound", rows.Err())
}

// ThreadRefs finds the tickets an incoming message may belong to: those
// with mail of the given Message-IDs (in the order given) and the ticket
// numbered subjectTicket (0: none).
func (db *DB) ThreadRefs(ctx context.Context, messageIDs []string, subjectTicket int64) ([]ringdesk.ThreadRef, error) {
	var out []ringdesk.ThreadRef
	for i, id := range messageIDs {
		via := "references"
		if i == 0 {
			via = "in-reply-to"
		}
		rows, err := db.r.QueryContext(ctx, `SELECT t.id, t.client_id, t.status FROM email_message_ids m
			JOIN tickets t ON t.id = m.ticket_id WHERE m.message_id = $1 ORDER BY t.id`, id)
		if err != nil {
			return nil, wrap("thread refs", err)
		}
		for rows.Next() {
			r := ringdesk.ThreadRef{Via: via}
			if err := rows.Scan(&r.TicketID, &r.ClientID, &r.Status); err != nil {
				rows.Close()
				return nil, wrap("thread refs", err)
			}
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, wrap("thread refs", err)
		}
	}
	if subjectTicket > 0 {
		r := ringdesk.ThreadRef{Via: "subject", TicketID: subjectTicket}
		err := db.r.QueryRowContext(ctx, `SELECT client_id, status FROM tickets WHERE id = $1`, subjectTicket).Scan(&r.ClientID, &r.Status)
		if err == nil {
			out = append(out, r)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, wrap("thread refs", err)
		}
	}
	return out, nil
}

// ClientIDByEmail returns the client with the address (0: nobody).
func (db *DB) ClientIDByEmail(ctx context.Context, email string) (int64, error) {
	var id int64
	err := db.r.QueryRowContext(ctx, `SELECT client_id FROM client_emails WHERE email = $1`, ringdesk.NormalizeEmail(email)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, wrap("client by email", err)
}

// OutboxByMessageID returns the outbox row that sent a Message-ID (0: none).
func (db *DB) OutboxByMessageID(ctx context.Context, messageID string) (int64, error) {
	var id int64
	err := db.r.QueryRowContext(ctx, `SELECT id FROM email_outbox WHERE message_id = $1 AND message_id <> '' ORDER BY id LIMIT 1`, messageID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, wrap("outbox by message id", err)
}

// InboundAttachment is a file of an incoming message to keep.
type InboundAttachment struct {
	ringdesk.EmailAttachment
	Data []byte
}

// InboundApply is what the desk decided for a stored incoming message;
// ApplyInbound writes it.
type InboundApply struct {
	InboundID int64
	ChannelID int64
	// State is applied or ignored; Reason says why a message is ignored.
	State  string
	Reason string
	// FromEmail and FromName find (or make) the client.
	FromEmail, FromName string
	// JoinTicketID is the ticket the message joins; 0 makes a ticket with
	// NewSubject.
	JoinTicketID int64
	NewSubject   string
	// Reopen sets the joined ticket's status to Status.
	Reopen bool
	Status string
	Body   string
	// Meta is the timeline entry's "email" object (InboundID filled in).
	Meta        ringdesk.EmailMeta
	HTML        string
	Attachments []InboundAttachment
	MessageID   string
	// BounceOutboxID marks that reply failed with BounceReason.
	BounceOutboxID int64
	BounceReason   string
}

// InboundApplied is what ApplyInbound did.
type InboundApplied struct {
	TicketID      int64
	EventID       int64
	ClientID      int64
	NewTicket     bool
	BouncedTicket int64
}

// ApplyInbound writes the decision a for a stored message in one
// transaction: the client (created for an unknown address, named from the
// From header), the ticket (made or joined, reopened), the timeline entry,
// its attachments and Message-ID, and the message's state. A message
// applied before is left alone (already is true).
func (db *DB) ApplyInbound(ctx context.Context, a InboundApply, now time.Time) (res InboundApplied, already bool, err error) {
	db.prepare(ctx)
	err = db.tx(ctx, func(sqlTx *sql.Tx) error {
		tx := db.cached(sqlTx)
		// On PostgreSQL the message's row is locked first: two instances (or
		// the fetcher and the retry pass) applying it at once would both read
		// it pending and add it to the ticket twice. The second now waits,
		// then reads it applied. SQLite has one writer at a time anyway.
		lock := ""
		if db.dialect == Postgres {
			lock = " FOR UPDATE"
		}
		var state string
		if err := tx.queryRow(ctx, `SELECT state FROM email_inbound WHERE id = $1`+lock, a.InboundID).Scan(&state); err != nil {
			return err
		}
		if state == ringdesk.InboundApplied || state == ringdesk.InboundIgnored {
			already = true
			return nil
		}
		if a.BounceOutboxID != 0 {
			if _, err := tx.exec(ctx, `UPDATE email_outbox SET status = 'failed', last_error = $1, updated_at = $2, claimed_until = NULL
				WHERE id = $3`, trimReason(a.BounceReason), micros(now), a.BounceOutboxID); err != nil {
				return err
			}
			if err := tx.queryRow(ctx, `SELECT ticket_id FROM email_outbox WHERE id = $1`, a.BounceOutboxID).Scan(&res.BouncedTicket); err != nil {
				return err
			}
		}
		if a.State != ringdesk.InboundApplied {
			_, err := tx.exec(ctx, `UPDATE email_inbound SET state = $1, reason = $2, applied_at = $3 WHERE id = $4`,
				a.State, a.Reason, micros(now), a.InboundID)
			return err
		}
		clientID, err := clientForEmailTx(ctx, tx, a.FromEmail, a.FromName, now)
		if err != nil {
			return err
		}
		res.ClientID = clientID
		ticketID := a.JoinTicketID
		if ticketID == 0 {
			ch := a.ChannelID
			in := ringdesk.TicketCreate{Subject: a.NewSubject, ChannelID: &ch, ClientID: clientID}
			in.Normalize()
			if ticketID, err = createTicketTx(ctx, tx, in, now); err != nil {
				return err
			}
			res.NewTicket = true
		} else {
			cur, err := lockTicket(ctx, tx, ticketID)
			if err != nil {
				return err
			}
			if a.Reopen && cur.Status != a.Status {
				st := a.Status
				if err := updateTicketTx(ctx, tx, cur, ringdesk.TicketUpdate{Status: &st}, nil, now); err != nil {
					return err
				}
			}
		}
		res.TicketID = ticketID
		a.Meta.InboundID = a.InboundID
		data, err := json.Marshal(map[string]any{"email": a.Meta})
		if err != nil {
			return err
		}
		if res.EventID, err = addEventIDTx(ctx, tx, ticketID, ringdesk.EventReply, ringdesk.AuthorClient, nil, a.Body, string(data), now); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE tickets SET updated_at = $1 WHERE id = $2`, micros(now), ticketID); err != nil {
			return err
		}
		for _, f := range a.Attachments {
			if _, err := tx.exec(ctx, `INSERT INTO email_attachments (inbound_id, idx, filename, content_type, content_id, inline, size, data)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.InboundID, f.Index, f.Name, f.ContentType, f.ContentID, f.Inline, f.Size, f.Data); err != nil {
				return err
			}
		}
		if a.MessageID != "" {
			if _, err := tx.exec(ctx, `INSERT INTO email_message_ids (message_id, ticket_id, event_id, outgoing) VALUES ($1, $2, $3, $4)
				ON CONFLICT DO NOTHING`, a.MessageID, ticketID, res.EventID, false); err != nil {
				return err
			}
		}
		_, err = tx.exec(ctx, `UPDATE email_inbound SET state = 'applied', reason = '', ticket_id = $1, event_id = $2, html = $3, applied_at = $4
			WHERE id = $5`, ticketID, res.EventID, a.HTML, micros(now), a.InboundID)
		return err
	})
	return res, already, wrap("apply inbound", err)
}

// FailInbound records why a stored message could not be applied; it stays
// to be applied again.
func (db *DB) FailInbound(ctx context.Context, id int64, reason string, now time.Time) error {
	_, err := db.w.ExecContext(ctx, `UPDATE email_inbound SET state = 'failed', reason = $1, applied_at = $2 WHERE id = $3 AND state IN ('pending', 'failed')`,
		reason, micros(now), id)
	return wrap("fail inbound", err)
}

// clientForEmailTx returns the client with the address, creating one named
// name (or the address) when there is none.
func clientForEmailTx(ctx context.Context, tx cachedTx, email, name string, now time.Time) (int64, error) {
	email = ringdesk.NormalizeEmail(email)
	var id int64
	err := tx.queryRow(ctx, `SELECT client_id FROM client_emails WHERE email = $1`, email).Scan(&id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	if name == "" {
		name = email
	}
	if id, err = insertClient(ctx, tx, newClient{Name: name}, now); err != nil {
		return 0, err
	}
	_, err = tx.exec(ctx, `INSERT INTO client_emails (client_id, email, created_at) VALUES ($1, $2, $3)`, id, email, micros(now))
	return id, err
}

// EmailAttachment returns a stored attachment of an incoming message and
// the ticket it is on.
func (db *DB) EmailAttachment(ctx context.Context, inboundID int64, idx int) (*InboundAttachment, int64, error) {
	var f InboundAttachment
	var ticket sql.NullInt64
	err := db.r.QueryRowContext(ctx, `SELECT a.idx, a.filename, a.content_type, a.content_id, a.inline, a.size, a.data, i.ticket_id
		FROM email_attachments a JOIN email_inbound i ON i.id = a.inbound_id WHERE a.inbound_id = $1 AND a.idx = $2`, inboundID, idx).
		Scan(&f.Index, &f.Name, &f.ContentType, &f.ContentID, &f.Inline, &f.Size, &f.Data, &ticket)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, notFound("Attachment")
	}
	return &f, ticket.Int64, wrap("email attachment", err)
}

// InboundHTML returns the sanitised HTML of a ticket's incoming messages
// by timeline entry id.
func (db *DB) InboundHTML(ctx context.Context, ticketID int64) (map[int64]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT event_id, html FROM email_inbound WHERE ticket_id = $1 AND html <> '' AND event_id IS NOT NULL`, ticketID)
	if err != nil {
		return nil, wrap("inbound html", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var html string
		if err := rows.Scan(&id, &html); err != nil {
			return nil, wrap("inbound html", err)
		}
		out[id] = html
	}
	return out, wrap("inbound html", rows.Err())
}

// LastInboundFrom returns the address the ticket's client last wrote from.
func (db *DB) LastInboundFrom(ctx context.Context, ticketID int64) (string, error) {
	var data string
	err := db.r.QueryRowContext(ctx, `SELECT data FROM ticket_events WHERE ticket_id = $1 AND kind = 'reply' AND author_type = 'client'
		AND data LIKE '{"email":%' ORDER BY id DESC LIMIT 1`, ticketID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", wrap("last inbound from", err)
	}
	var d struct {
		Email ringdesk.EmailMeta `json:"email"`
	}
	_ = json.Unmarshal([]byte(data), &d)
	return d.Email.From, nil
}

// maxReferences bounds the Message-IDs a reply refers to: the thread's
// first and its latest ones (RFC 5322 allows trimming from the middle).
const maxReferences = 20

// TicketMessageIDs returns the Message-IDs of a ticket's mail for the
// References of a reply, oldest first: the first one and the latest
// others, at most maxReferences.
func (db *DB) TicketMessageIDs(ctx context.Context, ticketID int64) ([]string, error) {
	latest, err := stringsOf(ctx, db.r, `SELECT message_id FROM email_message_ids WHERE ticket_id = $1
		ORDER BY event_id DESC, message_id DESC LIMIT $2`, ticketID, maxReferences)
	if err != nil || len(latest) < maxReferences {
		slices.Reverse(latest)
		return latest, wrap("ticket message ids", err)
	}
	first, err := stringsOf(ctx, db.r, `SELECT message_id FROM email_message_ids WHERE ticket_id = $1
		ORDER BY event_id, message_id LIMIT 1`, ticketID)
	if err != nil {
		return nil, wrap("ticket message ids", err)
	}
	slices.Reverse(latest)
	if len(first) == 1 && !slices.Contains(latest, first[0]) {
		latest = append(first, latest[1:]...)
	}
	return latest, nil
}

// LastInboundMessageID returns the Message-ID of the client's latest mail
// on a ticket, which a reply answers.
func (db *DB) LastInboundMessageID(ctx context.Context, ticketID int64) (string, error) {
	var id string
	err := db.r.QueryRowContext(ctx, `SELECT message_id FROM email_message_ids WHERE ticket_id = $1 AND outgoing = $2
		ORDER BY event_id DESC LIMIT 1`, ticketID, false).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, wrap("last inbound message id", err)
}

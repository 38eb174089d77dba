package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

const cannedColumns = `id, owner_id, title, body, shortcut, created_at, updated_at`

func scanCanned(s rowScanner) (*ringdesk.CannedReply, error) {
	var c ringdesk.CannedReply
	var owner sql.NullInt64
	var created, updated int64
	if err := s.Scan(&c.ID, &owner, &c.Title, &c.Body, &c.Shortcut, &created, &updated); err != nil {
		return nil, err
	}
	if owner.Valid {
		c.OwnerID = &owner.Int64
	}
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &c, nil
}

// cannedConflict is the error of a shortcut another reply of the same
// scope (the shared ones, or one agent's) has.
func cannedConflict() error {
	return ringdesk.NewFieldError(ringdesk.ECONFLICT, "shortcut", ringdesk.T("This shortcut is taken by another canned reply."))
}

// CreateCannedReply stores a new canned reply (normalised and validated
// by the caller): ownerID's personal one, or a shared one when nil.
func (db *DB) CreateCannedReply(ctx context.Context, ownerID *int64, in ringdesk.CannedInput, now time.Time) (*ringdesk.CannedReply, error) {
	shortcut := ""
	if in.Shortcut != nil {
		shortcut = *in.Shortcut
	}
	var id int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO canned_replies (owner_id, title, title_key, body, shortcut, search_key, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
			nullInt(ownerID), *in.Title, ringdesk.CannedTitleKey(*in.Title), *in.Body, shortcut,
			ringdesk.CannedSearchKey(*in.Title, shortcut, *in.Body), micros(now)).Scan(&id)
		if isUnique(err) {
			return cannedConflict()
		}
		return err
	})
	if err != nil {
		return nil, wrap("create canned reply", err)
	}
	return db.CannedReplyByID(ctx, id)
}

// UpdateCannedReply changes the fields of in that are set.
func (db *DB) UpdateCannedReply(ctx context.Context, id int64, in ringdesk.CannedInput, now time.Time) (*ringdesk.CannedReply, error) {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		c, err := cannedByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if in.Title != nil {
			c.Title = *in.Title
		}
		if in.Body != nil {
			c.Body = *in.Body
		}
		if in.Shortcut != nil {
			c.Shortcut = *in.Shortcut
		}
		_, err = tx.ExecContext(ctx, `UPDATE canned_replies SET title = $1, title_key = $2, body = $3, shortcut = $4, search_key = $5,
			updated_at = $6 WHERE id = $7`, c.Title, ringdesk.CannedTitleKey(c.Title), c.Body, c.Shortcut,
			ringdesk.CannedSearchKey(c.Title, c.Shortcut, c.Body), micros(now), id)
		if isUnique(err) {
			return cannedConflict()
		}
		return err
	})
	if err != nil {
		return nil, wrap("update canned reply", err)
	}
	return db.CannedReplyByID(ctx, id)
}

// DeleteCannedReply removes a canned reply. Replies it was inserted into
// keep their text: they hold a copy, not a reference.
func (db *DB) DeleteCannedReply(ctx context.Context, id int64) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM canned_replies WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Canned reply")
		}
		return nil
	})
	return wrap("delete canned reply", err)
}

func cannedByID(ctx context.Context, q querier, id int64) (*ringdesk.CannedReply, error) {
	c, err := scanCanned(q.QueryRowContext(ctx, `SELECT `+cannedColumns+` FROM canned_replies WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Canned reply")
	}
	return c, err
}

// CannedReplyByID returns a canned reply, whoever it belongs to.
func (db *DB) CannedReplyByID(ctx context.Context, id int64) (*ringdesk.CannedReply, error) {
	c, err := cannedByID(ctx, db.r, id)
	return c, wrap("canned reply by id", err)
}

// CannedReplies lists the canned replies f selects by title (personal and
// shared mixed), at most f.Limit of them (0: 500).
func (db *DB) CannedReplies(ctx context.Context, f ringdesk.CannedFilter) ([]*ringdesk.CannedReply, error) {
	var where []string
	args := []any{}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	switch f.Scope {
	case ringdesk.CannedShared:
		where = append(where, `owner_id IS NULL`)
	case ringdesk.CannedPersonal:
		where = append(where, `owner_id = `+arg(f.ViewerID))
	default:
		where = append(where, `(owner_id IS NULL OR owner_id = `+arg(f.ViewerID)+`)`)
	}
	for _, w := range ringdesk.CannedQueryWords(f.Q) {
		where = append(where, `search_key LIKE `+arg("%"+escapeLike(w)+"%")+` ESCAPE '\'`)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 500
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+cannedColumns+` FROM canned_replies WHERE `+strings.Join(where, " AND ")+
		` ORDER BY title_key, id LIMIT `+arg(limit), args...)
	if err != nil {
		return nil, wrap("canned replies", err)
	}
	defer rows.Close()
	out := []*ringdesk.CannedReply{}
	for rows.Next() {
		c, err := scanCanned(rows)
		if err != nil {
			return nil, wrap("canned replies", err)
		}
		out = append(out, c)
	}
	return out, wrap("canned replies", rows.Err())
}

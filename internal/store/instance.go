package store

import (
	"context"
	"database/sql"
)

// Released is what ReleaseInstance gave up for a holder.
type Released struct {
	// Leases is how many job_leases rows the holder held (the periodic jobs'
	// and the mailboxes' fetch leases).
	Leases int
	// Claims is how many queued outbox rows the holder had claimed.
	Claims int
	// InDoubt are the outbox rows among them whose send had begun
	// (sending_at set): the SMTP server may have accepted them before the
	// holder died. They are queued again like the others, so they are sent
	// again with the same bytes and Message-ID: at least once.
	InDoubt []InDoubtReply
}

// InDoubtReply is an outbox row whose send had begun when its holder died.
type InDoubtReply struct {
	ID        int64
	MessageID string
}

// ReleaseOutboxClaims clears the claims holder has on queued outbox rows,
// so they can be claimed at once instead of after the claim expires. It is
// for a process starting under the instance id of one that died: no live
// process may hold claims under that id.
func (db *DB) ReleaseOutboxClaims(ctx context.Context, holder string) (claims int, inDoubt []InDoubtReply, err error) {
	err = db.tx(ctx, func(sqlTx *sql.Tx) error {
		tx := db.cached(sqlTx)
		rows, err := tx.query(ctx, `SELECT id, message_id FROM email_outbox WHERE claimed_by = $1 AND claimed_until IS NOT NULL
			AND status = 'queued' AND sending_at IS NOT NULL ORDER BY id`, holder)
		if err != nil {
			return err
		}
		for rows.Next() {
			var r InDoubtReply
			if err := rows.Scan(&r.ID, &r.MessageID); err != nil {
				rows.Close()
				return err
			}
			inDoubt = append(inDoubt, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE email_outbox SET claimed_until = NULL, sending_at = NULL
			WHERE claimed_by = $1 AND claimed_until IS NOT NULL AND status = 'queued'`, holder)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		claims = int(n)
		return err
	})
	if err != nil {
		return 0, nil, wrap("release outbox claims", err)
	}
	return claims, inDoubt, nil
}

// ReleaseLeases deletes every job_leases row holder holds, so the jobs and
// mailboxes it ran are taken at once instead of after the leases expire.
// Like ReleaseOutboxClaims, only for a holder that is not running.
func (db *DB) ReleaseLeases(ctx context.Context, holder string) (int, error) {
	res, err := db.w.ExecContext(ctx, `DELETE FROM job_leases WHERE holder = $1`, holder)
	if err != nil {
		return 0, wrap("release leases", err)
	}
	n, err := res.RowsAffected()
	return int(n), wrap("release leases", err)
}

// ReleaseInstance gives up what a dead process of instance id holder held:
// its job and mailbox leases and its outbox claims.
func (db *DB) ReleaseInstance(ctx context.Context, holder string) (Released, error) {
	var r Released
	var err error
	if r.Leases, err = db.ReleaseLeases(ctx, holder); err != nil {
		return r, err
	}
	r.Claims, r.InDoubt, err = db.ReleaseOutboxClaims(ctx, holder)
	return r, err
}

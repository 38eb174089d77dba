package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

const groupColumns = `id, name, created_at, updated_at, deleted_at`

func scanGroup(s rowScanner) (*ringdesk.Group, error) {
	var g ringdesk.Group
	var created, updated int64
	var deleted sql.NullInt64
	if err := s.Scan(&g.ID, &g.Name, &created, &updated, &deleted); err != nil {
		return nil, err
	}
	g.CreatedAt, g.UpdatedAt, g.DeletedAt = fromMicros(created), fromMicros(updated), fromNullMicros(deleted)
	g.AgentIDs = []int64{}
	return &g, nil
}

// groupConflict is the error of a name another group in use has.
func groupConflict() error {
	return ringdesk.NewFieldError(ringdesk.ECONFLICT, "name", ringdesk.T("A group with this name already exists."))
}

// CreateGroup stores a new group (validated by the caller) with its members.
func (db *DB) CreateGroup(ctx context.Context, in ringdesk.GroupInput, now time.Time) (*ringdesk.Group, error) {
	var id int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO agent_groups (name, name_key, created_at, updated_at)
			VALUES ($1, $2, $3, $3) RETURNING id`, *in.Name, ringdesk.GroupNameKey(*in.Name), micros(now)).Scan(&id)
		if isUnique(err) {
			return groupConflict()
		} else if err != nil {
			return err
		}
		if in.AgentIDs == nil {
			return nil
		}
		return setGroupMembersTx(ctx, tx, id, *in.AgentIDs)
	})
	if err != nil {
		return nil, wrap("create group", err)
	}
	return db.GroupByID(ctx, id)
}

// UpdateGroup renames a group in use and/or replaces its members.
func (db *DB) UpdateGroup(ctx context.Context, id int64, in ringdesk.GroupInput, now time.Time) (*ringdesk.Group, error) {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := liveGroup(ctx, tx, id); err != nil {
			return err
		}
		if in.Name != nil {
			_, err := tx.ExecContext(ctx, `UPDATE agent_groups SET name = $1, name_key = $2, updated_at = $3 WHERE id = $4`,
				*in.Name, ringdesk.GroupNameKey(*in.Name), micros(now), id)
			if isUnique(err) {
				return groupConflict()
			} else if err != nil {
				return err
			}
		}
		if in.AgentIDs == nil {
			return nil
		}
		return setGroupMembersTx(ctx, tx, id, *in.AgentIDs)
	})
	if err != nil {
		return nil, wrap("update group", err)
	}
	return db.GroupByID(ctx, id)
}

// DeleteGroup archives a group in use: it leaves every list and every
// agent, and each of its tickets moves to no group with an audit entry by
// actorID (nil: the system) that keeps the group's id, so the timeline
// still names it. It returns how many tickets moved. The tickets keep their
// updated time: nobody worked on them.
func (db *DB) DeleteGroup(ctx context.Context, id int64, actorID *int64, now time.Time) (int64, error) {
	var moved int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := liveGroup(ctx, tx, id); err != nil {
			return err
		}
		author := ringdesk.AuthorSystem
		if actorID != nil {
			author = ringdesk.AuthorAgent
		}
		data := `{"from":` + strconv.FormatInt(id, 10) + `,"to":null,"deleted":true}`
		if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_events (ticket_id, kind, author_type, author_id, body, data, created_at)
			SELECT id, $1, $2, $3, '', $4, $5 FROM tickets WHERE group_id = $6`,
			ringdesk.EventGroup, author, nullInt(actorID), data, micros(now), id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE tickets SET group_id = NULL WHERE group_id = $1`, id)
		if err != nil {
			return err
		}
		moved, _ = res.RowsAffected()
		if _, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE group_id = $1`, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE agent_groups SET deleted_at = $1, updated_at = $1 WHERE id = $2`, micros(now), id)
		return err
	})
	return moved, wrap("delete group", err)
}

// liveGroup returns a group that is not deleted, or not found.
func liveGroup(ctx context.Context, q querier, id int64) (*ringdesk.Group, error) {
	g, err := scanGroup(q.QueryRowContext(ctx, `SELECT `+groupColumns+` FROM agent_groups WHERE id = $1 AND deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Group")
	}
	return g, err
}

// GroupByID returns a group in use with its members; a deleted group is
// not found.
func (db *DB) GroupByID(ctx context.Context, id int64) (*ringdesk.Group, error) {
	g, err := liveGroup(ctx, db.r, id)
	if err != nil {
		return nil, wrap("group by id", err)
	}
	g.AgentIDs, err = int64sOf(ctx, db.r, `SELECT agent_id FROM group_members WHERE group_id = $1 ORDER BY agent_id`, id)
	if g.AgentIDs == nil {
		g.AgentIDs = []int64{}
	}
	return g, wrap("group by id", err)
}

// ListGroups returns the groups in use by name, with their members; with
// deleted, the deleted ones too (after them), for naming old audit entries.
func (db *DB) ListGroups(ctx context.Context, deleted bool) ([]*ringdesk.Group, error) {
	cond := ` WHERE deleted_at IS NULL`
	if deleted {
		cond = ``
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+groupColumns+` FROM agent_groups`+cond+
		` ORDER BY CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END, name_key, id`)
	if err != nil {
		return nil, wrap("list groups", err)
	}
	defer rows.Close()
	out := []*ringdesk.Group{}
	byID := map[int64]*ringdesk.Group{}
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, wrap("list groups", err)
		}
		out = append(out, g)
		byID[g.ID] = g
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("list groups", err)
	}
	rows.Close()
	members, err := db.r.QueryContext(ctx, `SELECT group_id, agent_id FROM group_members ORDER BY group_id, agent_id`)
	if err != nil {
		return nil, wrap("list groups", err)
	}
	defer members.Close()
	for members.Next() {
		var g, a int64
		if err := members.Scan(&g, &a); err != nil {
			return nil, wrap("list groups", err)
		}
		if grp := byID[g]; grp != nil {
			grp.AgentIDs = append(grp.AgentIDs, a)
		}
	}
	return out, wrap("list groups", members.Err())
}

// AgentGroupIDs returns the groups agentID belongs to, in ascending order.
func (db *DB) AgentGroupIDs(ctx context.Context, agentID int64) ([]int64, error) {
	ids, err := int64sOf(ctx, db.r, `SELECT group_id FROM group_members WHERE agent_id = $1 ORDER BY group_id`, agentID)
	if ids == nil {
		ids = []int64{}
	}
	return ids, wrap("agent groups", err)
}

// GroupMemberships returns every agent's groups (agents in none are absent).
func (db *DB) GroupMemberships(ctx context.Context) (map[int64][]int64, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT agent_id, group_id FROM group_members ORDER BY agent_id, group_id`)
	if err != nil {
		return nil, wrap("group memberships", err)
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var a, g int64
		if err := rows.Scan(&a, &g); err != nil {
			return nil, wrap("group memberships", err)
		}
		out[a] = append(out[a], g)
	}
	return out, wrap("group memberships", rows.Err())
}

// setGroupMembersTx makes agentIDs (sorted, distinct) the members of group id.
func setGroupMembersTx(ctx context.Context, tx *sql.Tx, id int64, agentIDs []int64) error {
	for _, a := range agentIDs {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM agents WHERE id = $1`, a).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return ringdesk.NewFieldError(ringdesk.EINVALID, "agent_ids", ringdesk.T("No agent has id %d.", a))
		} else if err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE group_id = $1`, id); err != nil {
		return err
	}
	for _, a := range agentIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO group_members (group_id, agent_id) VALUES ($1, $2)`, id, a); err != nil {
			return err
		}
	}
	return nil
}

// setAgentGroupsTx makes groupIDs (sorted, distinct, groups in use) the
// groups of agent id.
func setAgentGroupsTx(ctx context.Context, tx *sql.Tx, agentID int64, groupIDs []int64) error {
	for _, g := range groupIDs {
		if _, err := liveGroup(ctx, tx, g); err != nil {
			if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND {
				return ringdesk.NewFieldError(ringdesk.EINVALID, "group_ids", ringdesk.T("No group has id %d.", g))
			}
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE agent_id = $1`, agentID); err != nil {
		return err
	}
	for _, g := range groupIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO group_members (group_id, agent_id) VALUES ($1, $2)`, g, agentID); err != nil {
			return err
		}
	}
	return nil
}

// GroupOpenCounts counts the open tickets of each group in use (groups
// without any are absent).
func (db *DB) GroupOpenCounts(ctx context.Context) (map[int64]int64, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT group_id, COUNT(*) FROM tickets
		WHERE group_id IS NOT NULL AND status IN `+activeStatuses+` GROUP BY group_id`)
	if err != nil {
		return nil, wrap("group open counts", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var g, n int64
		if err := rows.Scan(&g, &n); err != nil {
			return nil, wrap("group open counts", err)
		}
		out[g] = n
	}
	return out, wrap("group open counts", rows.Err())
}

// GroupTicketCount counts the tickets of a group, in any status: the ones
// deleting it moves to no group.
func (db *DB) GroupTicketCount(ctx context.Context, id int64) (int64, error) {
	var n int64
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE group_id = $1`, id).Scan(&n)
	return n, wrap("group ticket count", err)
}

// Teams returns the groups in use with their members, and the active
// agents available for calls.
func (db *DB) Teams(ctx context.Context) (ringdesk.Teams, error) {
	t := ringdesk.Teams{Members: map[int64][]int64{}, Available: map[int64]bool{}}
	rows, err := db.r.QueryContext(ctx, `SELECT g.id, m.agent_id FROM agent_groups g
		LEFT JOIN group_members m ON m.group_id = g.id WHERE g.deleted_at IS NULL ORDER BY g.id, m.agent_id`)
	if err != nil {
		return t, wrap("teams", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g int64
		var a sql.NullInt64
		if err := rows.Scan(&g, &a); err != nil {
			return t, wrap("teams", err)
		}
		if _, ok := t.Members[g]; !ok {
			t.Members[g] = []int64{}
		}
		if a.Valid {
			t.Members[g] = append(t.Members[g], a.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		return t, wrap("teams", err)
	}
	ids, err := int64sOf(ctx, db.r, `SELECT id FROM agents WHERE active = $1 AND available = $1`, true)
	for _, id := range ids {
		t.Available[id] = true
	}
	return t, wrap("teams", err)
}

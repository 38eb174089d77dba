package desk

import (
	"context"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// Groups lists the groups in use, by name, with their members.
func (d *Desk) Groups(ctx context.Context) ([]*ringdesk.Group, error) {
	return d.db.ListGroups(ctx, false)
}

// CreateGroup creates a group; only administrators may.
func (d *Desk) CreateGroup(ctx context.Context, actor *ringdesk.Agent, in ringdesk.GroupInput) (*ringdesk.Group, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	in.Normalize()
	if err := in.Validate(true); err != nil {
		return nil, err
	}
	g, err := d.db.CreateGroup(ctx, in, d.Now())
	if err != nil {
		return nil, err
	}
	d.forgetViewCounts()
	d.teamsChanged(ctx)
	d.log.Info("group created", "group_id", g.ID, "members", len(g.AgentIDs), "by", actorID(actor))
	return g, nil
}

// UpdateGroup renames a group and/or replaces its members; only
// administrators may.
func (d *Desk) UpdateGroup(ctx context.Context, actor *ringdesk.Agent, id int64, in ringdesk.GroupInput) (*ringdesk.Group, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	in.Normalize()
	if err := in.Validate(false); err != nil {
		return nil, err
	}
	g, err := d.db.UpdateGroup(ctx, id, in, d.Now())
	if err != nil {
		return nil, err
	}
	d.forgetViewCounts()
	d.teamsChanged(ctx)
	d.log.Info("group updated", "group_id", id, "members", len(g.AgentIDs), "by", actorID(actor))
	return g, nil
}

// DeleteGroup deletes (archives) a group; only administrators may. Its
// tickets move to no group, each with an audit entry, and keep their
// timelines; it returns how many moved.
func (d *Desk) DeleteGroup(ctx context.Context, actor *ringdesk.Agent, id int64) (int64, error) {
	if err := requireAdmin(actor); err != nil {
		return 0, err
	}
	n, err := d.db.DeleteGroup(ctx, id, agentRef(actor), d.Now())
	if err != nil {
		return 0, err
	}
	d.forgetViewCounts()
	d.teamsChanged(ctx)
	d.log.Info("group deleted", "group_id", id, "tickets_moved", n, "by", actorID(actor))
	return n, nil
}

// groupCounts adds to counts (the shared view counts) the agent's own:
// "mygroups", the open tickets of the groups the agent belongs to. A
// ticket has one group, so that is the sum of those groups' counts.
func (d *Desk) groupCounts(ctx context.Context, agentID int64, counts map[string]int64) error {
	mine, err := d.db.AgentGroupIDs(ctx, agentID)
	if err != nil {
		return err
	}
	var n int64
	for _, g := range mine {
		n += counts[store.GroupViewKey(g)]
	}
	counts["mygroups"] = n
	return nil
}

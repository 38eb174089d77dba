package desk

import (
	"context"

	"github.com/ringdesk/ringdesk/internal/auth"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// requireAdmin refuses non-admins; a nil actor is the system (CLI, start-up).
func requireAdmin(actor *ringdesk.Agent) error {
	if err := requireAgent(actor); err != nil {
		return err
	}
	if !actor.CanAdminister() {
		return ringdesk.Errorf(ringdesk.EFORBIDDEN, "Only administrators can do this.")
	}
	return nil
}

// CreateAgent creates an agent; only admins (or the system) may.
func (d *Desk) CreateAgent(ctx context.Context, actor *ringdesk.Agent, c ringdesk.AgentCreate) (*ringdesk.Agent, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(c.Password, d.cfg.PasswordCost)
	if err != nil {
		return nil, err
	}
	a, err := d.db.CreateAgent(ctx, c, hash, d.Now())
	d.operators.forget()
	d.teamsC.forget()
	if err != nil {
		return nil, err
	}
	d.log.Info("agent created", "agent_id", a.ID, "role", a.Role, "by", actorID(actor))
	return a, nil
}

// UpdateAgent changes an agent. Admins may change anything; an agent may
// change their own name, email and language. The last active admin cannot
// be demoted or deactivated, so nobody is locked out.
func (d *Desk) UpdateAgent(ctx context.Context, actor *ringdesk.Agent, id int64, u ringdesk.AgentUpdate) (*ringdesk.Agent, error) {
	self := actor != nil && actor.ID == id
	if !self {
		if err := requireAdmin(actor); err != nil {
			return nil, err
		}
	}
	if self && !actor.IsAdmin() && (u.Role != nil || u.Active != nil || u.OperatorID != nil || u.ClearOperatorID) {
		return nil, ringdesk.Errorf(ringdesk.EFORBIDDEN, "Only administrators can change roles, Operator IDs and active status.")
	}
	if self && !actor.CanAdminister() && u.GroupIDs != nil {
		return nil, ringdesk.Errorf(ringdesk.EFORBIDDEN, "Only administrators can change group memberships.")
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	cur, err := d.db.AgentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	losesAdmin := cur.IsAdmin() && cur.Active &&
		((u.Role != nil && *u.Role != ringdesk.RoleAdmin) || (u.Active != nil && !*u.Active))
	if losesAdmin {
		n, err := d.db.CountActiveAdmins(ctx)
		if err != nil {
			return nil, err
		}
		if n <= 1 {
			return nil, ringdesk.Errorf(ringdesk.ECONFLICT, "This is the last active administrator; make another agent an administrator first.")
		}
	}
	a, err := d.db.UpdateAgent(ctx, id, u, d.Now())
	d.operators.forget() // even on an error: the write may have happened
	if err != nil {
		d.teamsC.forget()
		return nil, err
	}
	if u.Available != nil || u.Active != nil || u.GroupIDs != nil {
		d.teamsChanged(ctx)
	}
	d.log.Info("agent updated", "agent_id", id, "by", actorID(actor), "active", a.Active, "role", a.Role)
	return a, nil
}

// SetAvailable turns the actor's own "available for calls" switch on or off.
func (d *Desk) SetAvailable(ctx context.Context, actor *ringdesk.Agent, available bool) (*ringdesk.Agent, error) {
	if err := requireAgent(actor); err != nil {
		return nil, err
	}
	if actor.IsSystem() {
		return nil, ringdesk.Errorf(ringdesk.EINVALID, "Only an agent has an availability switch.")
	}
	return d.UpdateAgent(ctx, actor, actor.ID, ringdesk.AgentUpdate{Available: &available})
}

// SetPassword sets another agent's password (admins) and ends that agent's sessions.
func (d *Desk) SetPassword(ctx context.Context, actor *ringdesk.Agent, id int64, pw string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	hash, err := auth.HashPassword(pw, d.cfg.PasswordCost)
	if err != nil {
		return fieldErr("password", err)
	}
	return d.db.SetAgentPassword(ctx, id, hash, 0, d.Now())
}

// ChangeOwnPassword checks the current password, sets the new one and ends
// the agent's other sessions.
func (d *Desk) ChangeOwnPassword(ctx context.Context, agent *ringdesk.Agent, sessionID int64, current, next string) error {
	hash, err := d.db.AgentPasswordHash(ctx, agent.ID)
	if err != nil {
		return err
	}
	if !auth.CheckPassword(hash, current) {
		return &ringdesk.Error{Code: ringdesk.EINVALID, Message: "Current password is wrong.",
			Fields: map[string]string{"current_password": "Current password is wrong."}}
	}
	newHash, err := auth.HashPassword(next, d.cfg.PasswordCost)
	if err != nil {
		return fieldErr("password", err)
	}
	return d.db.SetAgentPassword(ctx, agent.ID, newHash, sessionID, d.Now())
}

// Agents lists every agent.
func (d *Desk) Agents(ctx context.Context) ([]*ringdesk.Agent, error) { return d.db.ListAgents(ctx) }

// fieldErr attaches a validation message to a form field.
func fieldErr(field string, err error) error {
	if ringdesk.ErrorCode(err) != ringdesk.EINVALID {
		return err
	}
	msg := ringdesk.ErrorMessage(err)
	return &ringdesk.Error{Code: ringdesk.EINVALID, Message: msg, Fields: map[string]string{field: msg}}
}

func actorID(a *ringdesk.Agent) int64 {
	if a == nil || a.IsSystem() {
		return 0
	}
	return a.ID
}

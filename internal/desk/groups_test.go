package desk_test

import (
	"context"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestGroupPermissions: administrators (and the system) manage groups and
// memberships; an agent may do neither, but switches their own
// availability; nobody without an actor does anything.
func TestGroupPermissions(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	admin, _, err := a.DB.AgentCredentials(ctx, apptest.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Ольга", Email: "olga@example.com", Role: ringdesk.RoleAgent})
	name := func(s string) ringdesk.GroupInput { return ringdesk.GroupInput{Name: &s} }
	g, err := a.Desk.CreateGroup(ctx, ringdesk.System, name("Линия VIP"))
	if err != nil {
		t.Fatal(err)
	}
	groups := []int64{g.ID}
	for _, tc := range []struct {
		name  string
		actor *ringdesk.Agent
		do    func(actor *ringdesk.Agent) error
		want  string
	}{
		{"agent creates", agent, func(x *ringdesk.Agent) error {
			_, err := a.Desk.CreateGroup(ctx, x, name("Продажи"))
			return err
		}, ringdesk.EFORBIDDEN},
		{"agent renames", agent, func(x *ringdesk.Agent) error { _, err := a.Desk.UpdateGroup(ctx, x, g.ID, name("X")); return err }, ringdesk.EFORBIDDEN},
		{"agent deletes", agent, func(x *ringdesk.Agent) error { _, err := a.Desk.DeleteGroup(ctx, x, g.ID); return err }, ringdesk.EFORBIDDEN},
		{"agent joins a group", agent, func(x *ringdesk.Agent) error {
			_, err := a.Desk.UpdateAgent(ctx, x, x.ID, ringdesk.AgentUpdate{GroupIDs: &groups})
			return err
		}, ringdesk.EFORBIDDEN},
		{"agent switches availability", agent, func(x *ringdesk.Agent) error { _, err := a.Desk.SetAvailable(ctx, x, false); return err }, ""},
		{"nobody creates", nil, func(x *ringdesk.Agent) error {
			_, err := a.Desk.CreateGroup(ctx, x, name("Продажи"))
			return err
		}, ringdesk.EUNAUTHORIZED},
		{"the system has no switch", ringdesk.System, func(x *ringdesk.Agent) error { _, err := a.Desk.SetAvailable(ctx, x, false); return err }, ringdesk.EINVALID},
		{"admin creates", admin, func(x *ringdesk.Agent) error {
			_, err := a.Desk.CreateGroup(ctx, x, name("Продажи"))
			return err
		}, ""},
		{"admin renames", admin, func(x *ringdesk.Agent) error { _, err := a.Desk.UpdateGroup(ctx, x, g.ID, name("VIP")); return err }, ""},
		{"admin puts the agent in the group", admin, func(x *ringdesk.Agent) error {
			_, err := a.Desk.UpdateAgent(ctx, x, agent.ID, ringdesk.AgentUpdate{GroupIDs: &groups})
			return err
		}, ""},
		{"admin names a taken name", admin, func(x *ringdesk.Agent) error {
			_, err := a.Desk.CreateGroup(ctx, x, name(" продажи "))
			return err
		}, ringdesk.ECONFLICT},
		{"admin deletes", admin, func(x *ringdesk.Agent) error { _, err := a.Desk.DeleteGroup(ctx, x, g.ID); return err }, ""},
		{"deleting twice", admin, func(x *ringdesk.Agent) error { _, err := a.Desk.DeleteGroup(ctx, x, g.ID); return err }, ringdesk.ENOTFOUND},
	} {
		if got := ringdesk.ErrorCode(tc.do(tc.actor)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	got, err := a.DB.AgentByID(ctx, agent.ID)
	if err != nil || got.Available {
		t.Errorf("agent after switching off: %+v %v", got, err)
	}
	if ids, _ := a.DB.AgentGroupIDs(ctx, agent.ID); len(ids) != 0 {
		t.Errorf("the deleted group still has the agent: %v", ids)
	}
}

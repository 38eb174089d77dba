package desk

import (
	"testing"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestActors: a missing actor is refused everywhere (it used to pass every
// check); System may administer; an agent may act but not administer; a
// deactivated agent may do neither.
func TestActors(t *testing.T) {
	t.Parallel()
	agent := &ringdesk.Agent{ID: 5, Role: ringdesk.RoleAgent, Active: true}
	admin := &ringdesk.Agent{ID: 6, Role: ringdesk.RoleAdmin, Active: true}
	gone := &ringdesk.Agent{ID: 7, Role: ringdesk.RoleAdmin}
	for _, c := range []struct {
		name         string
		actor        *ringdesk.Agent
		agent, admin string
	}{
		{"nil", nil, ringdesk.EUNAUTHORIZED, ringdesk.EUNAUTHORIZED},
		{"system", ringdesk.System, "", ""},
		{"agent", agent, "", ringdesk.EFORBIDDEN},
		{"admin", admin, "", ""},
		{"deactivated", gone, ringdesk.EFORBIDDEN, ringdesk.EFORBIDDEN},
	} {
		if got := ringdesk.ErrorCode(requireAgent(c.actor)); got != c.agent {
			t.Errorf("%s: requireAgent = %q, want %q", c.name, got, c.agent)
		}
		if got := ringdesk.ErrorCode(requireAdmin(c.actor)); got != c.admin {
			t.Errorf("%s: requireAdmin = %q, want %q", c.name, got, c.admin)
		}
	}
	if agentRef(ringdesk.System) != nil || actorID(ringdesk.System) != 0 || ringdesk.System.IsAdmin() {
		t.Error("System must be audited as the system and never pass as an administrator in the UI")
	}
}

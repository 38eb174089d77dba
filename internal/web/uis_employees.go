package web

import (
	"net/http"
	"strconv"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// employeeLink gives an unlinked UIS employee's id to an existing agent as
// Operator ID, so that employee's calls are assigned to that agent.
func (s *Server) employeeLink(w http.ResponseWriter, r *http.Request) {
	empID, err := pathID(r, "employee_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	agentID, err := strconv.ParseInt(r.PostForm.Get("agent_id"), 10, 64)
	if err != nil || agentID <= 0 {
		s.fail(w, r, ringdesk.Errorf(ringdesk.EINVALID, "Choose an agent."))
		return
	}
	if _, err := s.desk.UpdateAgent(r.Context(), agentFrom(r), agentID, ringdesk.AgentUpdate{OperatorID: &empID}); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/channels?flash=linked#unlinked", http.StatusSeeOther)
}

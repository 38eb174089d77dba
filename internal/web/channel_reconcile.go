package web

import (
	"net/http"
	"strconv"
)

// channelReconcile runs one reconciliation pass with the UIS calls report
// ("Reconcile now") and shows its result on the channel page.
func (s *Server) channelReconcile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.desk.ReconcileNow(r.Context(), agentFrom(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/channels/"+strconv.FormatInt(id, 10)+"?flash=reconciled#reconcile", http.StatusSeeOther)
}

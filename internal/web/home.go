package web

import "net/http"

// home sends agents to their work.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/tickets", http.StatusSeeOther)
}

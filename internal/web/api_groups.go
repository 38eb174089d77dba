package web

import (
	"net/http"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// groupJSON is a group as the API shows it.
type groupJSON struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	AgentIDs []int64 `json:"agent_ids"`
}

func toGroupJSON(g *ringdesk.Group) groupJSON {
	ids := g.AgentIDs
	if ids == nil {
		ids = []int64{}
	}
	return groupJSON{ID: g.ID, Name: g.Name, AgentIDs: ids}
}

// groupInJSON creates or changes a group; absent fields stay as they are.
type groupInJSON struct {
	Name     *string  `json:"name"`
	AgentIDs *[]int64 `json:"agent_ids"`
}

func (in groupInJSON) input() ringdesk.GroupInput {
	return ringdesk.GroupInput{Name: in.Name, AgentIDs: in.AgentIDs}
}

func (s *Server) apiGroups(w http.ResponseWriter, r *http.Request) {
	list, err := s.desk.Groups(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]groupJSON, len(list))
	for i, g := range list {
		out[i] = toGroupJSON(g)
	}
	writeJSON(w, http.StatusOK, map[string]any{"groups": out})
}

func (s *Server) apiGroup(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	g, err := s.db.GroupByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toGroupJSON(g))
}

func (s *Server) apiGroupCreate(w http.ResponseWriter, r *http.Request) {
	var in groupInJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	g, err := s.desk.CreateGroup(r.Context(), agentFrom(r), in.input())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toGroupJSON(g))
}

func (s *Server) apiGroupUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in groupInJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	g, err := s.desk.UpdateGroup(r.Context(), agentFrom(r), id, in.input())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toGroupJSON(g))
}

func (s *Server) apiGroupDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.desk.DeleteGroup(r.Context(), agentFrom(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

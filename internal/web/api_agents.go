package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// agentJSON is an agent as the API shows it.
type agentJSON struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	Email      string    `json:"email"`
	Role       string    `json:"role"`
	Active     bool      `json:"active"`
	Lang       string    `json:"lang"`
	TimeZone   string    `json:"time_zone"`
	OperatorID *int64    `json:"operator_id"`
	Available  bool      `json:"available"`
	GroupIDs   []int64   `json:"group_ids"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

func toAgentJSON(a *ringdesk.Agent, groupIDs []int64) agentJSON {
	if groupIDs == nil {
		groupIDs = []int64{}
	}
	return agentJSON{ID: a.ID, Name: a.Name, Email: a.Email, Role: string(a.Role), Active: a.Active,
		Lang: a.Lang, TimeZone: a.TimeZone, OperatorID: a.OperatorID, Available: a.Available, GroupIDs: groupIDs,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

// writeAgent answers with one agent and its groups.
func (s *Server) writeAgent(w http.ResponseWriter, r *http.Request, status int, a *ringdesk.Agent) {
	groups, err := s.db.AgentGroupIDs(r.Context(), a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, status, toAgentJSON(a, groups))
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	s.writeAgent(w, r, http.StatusOK, agentFrom(r))
}

// mePatchJSON is what an agent changes about themself through the API.
type mePatchJSON struct {
	Available *bool `json:"available"`
}

// apiMeUpdate is the agent's own "available for calls" switch.
func (s *Server) apiMeUpdate(w http.ResponseWriter, r *http.Request) {
	var in mePatchJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	a := agentFrom(r)
	if in.Available != nil {
		var err error
		if a, err = s.desk.SetAvailable(r.Context(), a, *in.Available); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.writeAgent(w, r, http.StatusOK, a)
}

func (s *Server) apiAgents(w http.ResponseWriter, r *http.Request) {
	list, err := s.desk.Agents(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	groups, err := s.db.GroupMemberships(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]agentJSON, len(list))
	for i, a := range list {
		out[i] = toAgentJSON(a, groups[a.ID])
	}
	writeJSON(w, http.StatusOK, map[string]any{"agents": out})
}

func (s *Server) apiAgent(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.db.AgentByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeAgent(w, r, http.StatusOK, a)
}

type agentCreateJSON struct {
	Name       string  `json:"name"`
	Email      string  `json:"email"`
	Role       string  `json:"role"`
	Lang       string  `json:"lang"`
	OperatorID *int64  `json:"operator_id"`
	Password   string  `json:"password"`
	GroupIDs   []int64 `json:"group_ids"`
}

func (s *Server) apiAgentCreate(w http.ResponseWriter, r *http.Request) {
	var in agentCreateJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.desk.CreateAgent(r.Context(), agentFrom(r), ringdesk.AgentCreate{Name: in.Name, Email: in.Email,
		Role: ringdesk.Role(in.Role), Lang: in.Lang, OperatorID: in.OperatorID, Password: in.Password, GroupIDs: in.GroupIDs})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeAgent(w, r, http.StatusCreated, a)
}

type agentPatchJSON struct {
	Name       *string         `json:"name"`
	Email      *string         `json:"email"`
	Role       *string         `json:"role"`
	Active     *bool           `json:"active"`
	Lang       *string         `json:"lang"`
	TimeZone   *string         `json:"time_zone"`
	OperatorID json.RawMessage `json:"operator_id"` // absent: keep; null: clear
	Password   *string         `json:"password"`
	Available  *bool           `json:"available"`
	GroupIDs   *[]int64        `json:"group_ids"`
}

func (s *Server) apiAgentUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in agentPatchJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	u := ringdesk.AgentUpdate{Name: in.Name, Email: in.Email, Active: in.Active, Lang: in.Lang, TimeZone: in.TimeZone,
		Available: in.Available, GroupIDs: in.GroupIDs}
	if in.Role != nil {
		role := ringdesk.Role(*in.Role)
		u.Role = &role
	}
	if len(in.OperatorID) > 0 {
		if bytes.Equal(in.OperatorID, []byte("null")) {
			u.ClearOperatorID = true
		} else {
			var op int64
			if err := json.Unmarshal(in.OperatorID, &op); err != nil {
				s.fail(w, r, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "Operator ID must be a number.",
					Fields: map[string]string{"operator_id": "Operator ID must be a number."}})
				return
			}
			u.OperatorID = &op
		}
	}
	a, err := s.desk.UpdateAgent(r.Context(), agentFrom(r), id, u)
	if err == nil && in.Password != nil {
		err = s.desk.SetPassword(r.Context(), agentFrom(r), id, *in.Password)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeAgent(w, r, http.StatusOK, a)
}

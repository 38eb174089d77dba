package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

type agentsPage struct {
	Agents []*ringdesk.Agent
	// GroupNames lists each agent's groups by name.
	GroupNames map[int64][]string
}

type agentFormPage struct {
	Edit   *ringdesk.Agent // nil when creating
	Form   url.Values
	IsSelf bool
	// Groups are the groups to tick the agent's memberships among; Member
	// the ticked ones.
	Groups []*ringdesk.Group
	Member map[int64]bool
}

// agentForm renders the agent form; the ticked groups come from form when
// it was sent, else from the agent's memberships.
func (s *Server) agentForm(w http.ResponseWriter, r *http.Request, title string, d agentFormPage, err error) {
	ctx := r.Context()
	groups, gerr := s.desk.Groups(ctx)
	if gerr != nil {
		s.fail(w, r, gerr)
		return
	}
	d.Groups, d.Member = groups, map[int64]bool{}
	if d.Form.Has("groups_shown") || d.Edit == nil {
		ids, _ := formIDs(d.Form, "group_id")
		for _, id := range ids {
			d.Member[id] = true
		}
	} else {
		ids, gerr := s.db.AgentGroupIDs(ctx, d.Edit.ID)
		if gerr != nil {
			s.fail(w, r, gerr)
			return
		}
		for _, id := range ids {
			d.Member[id] = true
		}
	}
	p := pageData{Title: title, Nav: "agents", Data: d}
	if err != nil {
		s.formError(w, r, "agent_form", p, err)
		return
	}
	s.render(w, r, "agent_form", p)
}

// agentGroups reads the ticked groups of the agent form; nil when the form
// showed none (so memberships stay as they are).
func agentGroups(f url.Values) (*[]int64, error) {
	if !f.Has("groups_shown") {
		return nil, nil
	}
	ids, err := formIDs(f, "group_id")
	if err != nil {
		return nil, err
	}
	return &ids, nil
}

func (s *Server) agentsList(w http.ResponseWriter, r *http.Request) {
	list, err := s.desk.Agents(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	groups, err := s.desk.Groups(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := agentsPage{Agents: list, GroupNames: map[int64][]string{}}
	for _, g := range groups { // by name
		for _, a := range g.AgentIDs {
			p.GroupNames[a] = append(p.GroupNames[a], g.Name)
		}
	}
	s.render(w, r, "agents", pageData{Title: "Agents", Nav: "agents", Data: p})
}

// agentNew shows the new-agent form; ?operator_id=&name= prefill it (the
// channels page links unlinked UIS employees here).
func (s *Server) agentNew(w http.ResponseWriter, r *http.Request) {
	f := url.Values{"role": {"agent"}}
	q := r.URL.Query()
	if op := strings.TrimSpace(q.Get("operator_id")); op != "" {
		if _, err := strconv.ParseInt(op, 10, 64); err == nil {
			f.Set("operator_id", op)
		}
	}
	if name := strings.TrimSpace(q.Get("name")); name != "" && len(name) <= 200 {
		f.Set("name", name)
	}
	s.agentForm(w, r, "New agent", agentFormPage{Form: f}, nil)
}

// parseOperatorID reads the Operator ID field; empty clears it.
func parseOperatorID(v string) (*int64, bool, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, false, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "Operator ID must be a number.",
			Fields: map[string]string{"operator_id": "Operator ID must be a number."}}
	}
	return &id, false, nil
}

func (s *Server) agentCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	op, _, err := parseOperatorID(f.Get("operator_id"))
	var groups *[]int64
	if err == nil {
		groups, err = agentGroups(f)
	}
	if err == nil {
		in := ringdesk.AgentCreate{Name: f.Get("name"), Email: f.Get("email"), Role: ringdesk.Role(f.Get("role")),
			Lang: f.Get("lang"), OperatorID: op, Password: f.Get("password")}
		if groups != nil {
			in.GroupIDs = *groups
		}
		_, err = s.desk.CreateAgent(r.Context(), agentFrom(r), in)
	}
	if err != nil {
		s.agentForm(w, r, "New agent", agentFormPage{Form: f}, err)
		return
	}
	http.Redirect(w, r, "/agents?flash=created", http.StatusSeeOther)
}

func (s *Server) agentEdit(w http.ResponseWriter, r *http.Request) {
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
	s.agentForm(w, r, "Edit agent", agentFormPage{Edit: a, Form: agentValues(a), IsSelf: a.ID == agentFrom(r).ID}, nil)
}

func agentValues(a *ringdesk.Agent) url.Values {
	v := url.Values{"name": {a.Name}, "email": {a.Email}, "role": {string(a.Role)}, "lang": {a.Lang}, "time_zone": {a.TimeZone}}
	if a.OperatorID != nil {
		v.Set("operator_id", strconv.FormatInt(*a.OperatorID, 10))
	}
	if a.Active {
		v.Set("active", "on")
	}
	return v
}

func (s *Server) agentUpdate(w http.ResponseWriter, r *http.Request) {
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
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	name, email, role, lang := f.Get("name"), f.Get("email"), ringdesk.Role(f.Get("role")), f.Get("lang")
	active := f.Get("active") == "on"
	u := ringdesk.AgentUpdate{Name: &name, Email: &email, Role: &role, Lang: &lang, Active: &active}
	op, clear, err := parseOperatorID(f.Get("operator_id"))
	if err == nil {
		u.OperatorID, u.ClearOperatorID = op, clear
		if u.GroupIDs, err = agentGroups(f); err == nil {
			_, err = s.desk.UpdateAgent(r.Context(), agentFrom(r), id, u)
		}
	}
	if err != nil {
		s.agentForm(w, r, "Edit agent", agentFormPage{Edit: a, Form: f, IsSelf: a.ID == agentFrom(r).ID}, err)
		return
	}
	http.Redirect(w, r, "/agents/"+strconv.FormatInt(id, 10)+"?flash=saved", http.StatusSeeOther)
}

func (s *Server) agentSetPassword(w http.ResponseWriter, r *http.Request) {
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
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.desk.SetPassword(r.Context(), agentFrom(r), id, r.PostForm.Get("password")); err != nil {
		s.agentForm(w, r, "Edit agent", agentFormPage{Edit: a, Form: agentValues(a), IsSelf: a.ID == agentFrom(r).ID}, err)
		return
	}
	http.Redirect(w, r, "/agents/"+strconv.FormatInt(id, 10)+"?flash=password", http.StatusSeeOther)
}

// formError re-renders a form with field errors for validation and
// conflicts, and falls back to the error page for anything else.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, page string, d pageData, err error) {
	code := ringdesk.ErrorCode(err)
	if code != ringdesk.EINVALID && code != ringdesk.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	msg, fields := s.localize(r, err)
	d.Errors = fields
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	d.Errors["_"] = msg
	s.renderStatus(w, r, statusOf(code), page, d)
}

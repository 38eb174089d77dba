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
}

type agentFormPage struct {
	Edit   *ringdesk.Agent // nil when creating
	Form   url.Values
	IsSelf bool
}

func (s *Server) agentsList(w http.ResponseWriter, r *http.Request) {
	list, err := s.desk.Agents(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "agents", pageData{Title: "Agents", Nav: "agents", Data: agentsPage{Agents: list}})
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
	s.render(w, r, "agent_form", pageData{Title: "New agent", Nav: "agents", Data: agentFormPage{Form: f}})
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
	if err == nil {
		_, err = s.desk.CreateAgent(r.Context(), agentFrom(r), ringdesk.AgentCreate{
			Name: f.Get("name"), Email: f.Get("email"), Role: ringdesk.Role(f.Get("role")),
			Lang: f.Get("lang"), OperatorID: op, Password: f.Get("password"),
		})
	}
	if err != nil {
		s.formError(w, r, "agent_form", pageData{Title: "New agent", Nav: "agents", Data: agentFormPage{Form: f}}, err)
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
	s.render(w, r, "agent_form", pageData{Title: "Edit agent", Nav: "agents",
		Data: agentFormPage{Edit: a, Form: agentValues(a), IsSelf: a.ID == agentFrom(r).ID}})
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
		_, err = s.desk.UpdateAgent(r.Context(), agentFrom(r), id, u)
	}
	if err != nil {
		s.formError(w, r, "agent_form", pageData{Title: "Edit agent", Nav: "agents",
			Data: agentFormPage{Edit: a, Form: f, IsSelf: a.ID == agentFrom(r).ID}}, err)
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
		s.formError(w, r, "agent_form", pageData{Title: "Edit agent", Nav: "agents",
			Data: agentFormPage{Edit: a, Form: agentValues(a), IsSelf: a.ID == agentFrom(r).ID}}, err)
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

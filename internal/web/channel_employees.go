package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// employeesPage is the channel's UIS employees page.
type employeesPage struct {
	*desk.ChannelEmployees
	// UISError is UIS's failure as it came, UISAdvice what to do about it
	// in the reader's language; both "" when UIS answered.
	UISError  string
	UISAdvice string
	// Linked counts the listed employees linked to an agent.
	Linked int
	// Refused is a link the administrator just tried that was refused:
	// which employee, and why in the reader's language.
	RefusedEmployee int64
	Refused         string
}

// employeeRowData is one row of the employees table: the employee and the
// page (its channel, the linkable agents, a refused link).
type employeeRowData struct {
	E    *desk.ChannelEmployee
	Page employeesPage
}

func (s *Server) employeesPage(r *http.Request, channelID int64) (employeesPage, error) {
	l, err := s.desk.ChannelEmployees(r.Context(), agentFrom(r), channelID)
	if err != nil {
		return employeesPage{}, err
	}
	p := employeesPage{ChannelEmployees: l}
	if l.UISErr != nil {
		p.UISError = l.UISErr.Error()
		p.UISAdvice = translate(s.lang(agentFrom(r), r), desk.UISAdvice(l.UISErr))
	}
	for _, e := range l.Employees {
		if e.Agent != nil {
			p.Linked++
		}
	}
	return p, nil
}

// channelEmployees shows the UIS account's employees of a channel with the
// agents they are linked to, suggestions and one-click links.
func (s *Server) channelEmployees(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("refresh") == "1" {
		s.desk.RefreshChannelEmployees(id)
	}
	p, err := s.employeesPage(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	flash := ""
	if r.URL.Query().Get("flash") == "linked" {
		flash = "Linked: the calls this employee answers are assigned to the agent from now on."
	}
	s.render(w, r, "channel_employees", pageData{Title: "UIS employees", Nav: "channels", Flash: flash, Data: p})
}

// channelEmployeeLink links an employee to the agent chosen (or suggested)
// on the employees page; a refusal is shown on the page, at the employee.
func (s *Server) channelEmployeeLink(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	empID, err := pathID(r, "employee_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	agentID, _ := strconv.ParseInt(r.PostForm.Get("agent_id"), 10, 64)
	_, err = s.desk.LinkEmployee(r.Context(), agentFrom(r), id, empID, agentID)
	if err == nil {
		http.Redirect(w, r, "/channels/"+strconv.FormatInt(id, 10)+"/employees?flash=linked#employee-"+strconv.FormatInt(empID, 10), http.StatusSeeOther)
		return
	}
	if code := ringdesk.ErrorCode(err); code != ringdesk.EINVALID && code != ringdesk.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	p, perr := s.employeesPage(r, id)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	msg, fields := s.localize(r, err)
	for _, f := range []string{"agent_id", "operator_id"} {
		if m := fields[f]; m != "" {
			msg = m
			break
		}
	}
	p.RefusedEmployee, p.Refused = empID, msg
	s.renderStatus(w, r, statusOf(ringdesk.ErrorCode(err)), "channel_employees", pageData{Title: "UIS employees", Nav: "channels", Data: p})
}

// employeeJSON is a UIS employee of a channel as the API shows it.
type employeeJSON struct {
	ID         int64               `json:"id"`
	FullName   string              `json:"full_name"`
	FirstName  string              `json:"first_name"`
	LastName   string              `json:"last_name"`
	Login      string              `json:"login"`
	Email      string              `json:"email"`
	Extension  string              `json:"extension"`
	Phones     []employeePhoneJSON `json:"phone_numbers"`
	Groups     []employeeGroupJSON `json:"groups"`
	Listed     bool                `json:"listed"`
	AgentID    *int64              `json:"agent_id"`
	Suggested  *int64              `json:"suggested_agent_id"`
	By         *string             `json:"suggested_by"`
	SeenAt     *time.Time          `json:"last_seen_in_calls_at"`
	Unassigned bool                `json:"unassigned"`
}

type employeePhoneJSON struct {
	Number string `json:"number"`
	Active bool   `json:"active"`
}

type employeeGroupJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type uisErrorJSON struct {
	Mnemonic string `json:"mnemonic,omitempty"`
	Message  string `json:"message"`
	Advice   string `json:"advice"`
}

func toEmployeeJSON(e *desk.ChannelEmployee, listed bool) employeeJSON {
	j := employeeJSON{ID: e.ID, FullName: e.Name(), FirstName: e.FirstName, LastName: e.LastName, Login: e.Login, Email: e.Email,
		Extension: e.Extension, Phones: []employeePhoneJSON{}, Groups: []employeeGroupJSON{}, Listed: listed,
		SeenAt: e.SeenAt, Unassigned: e.Unassigned()}
	for _, p := range e.PhoneNumbers {
		j.Phones = append(j.Phones, employeePhoneJSON{p.Number, p.Active})
	}
	for _, g := range e.Groups {
		j.Groups = append(j.Groups, employeeGroupJSON{g.ID, g.Name})
	}
	if e.Agent != nil {
		j.AgentID = &e.Agent.ID
	}
	if e.Suggested != nil {
		j.Suggested, j.By = &e.Suggested.ID, &e.SuggestedBy
	}
	return j
}

func (s *Server) apiChannelEmployees(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.desk.ChannelEmployees(r.Context(), agentFrom(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := struct {
		Employees []employeeJSON `json:"employees"`
		FetchedAt *time.Time     `json:"fetched_at"`
		UISError  *uisErrorJSON  `json:"uis_error"`
	}{Employees: []employeeJSON{}}
	for _, e := range l.Employees {
		out.Employees = append(out.Employees, toEmployeeJSON(e, true))
	}
	for _, e := range l.NotListed {
		out.Employees = append(out.Employees, toEmployeeJSON(e, false))
	}
	if !l.FetchedAt.IsZero() {
		out.FetchedAt = &l.FetchedAt
	}
	if l.UISErr != nil {
		out.UISError = &uisErrorJSON{Mnemonic: uisMnemonic(l.UISErr), Message: l.UISErr.Error(), Advice: desk.UISAdvice(l.UISErr)}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiChannelEmployeeLink(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	empID, err := pathID(r, "employee_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		AgentID int64 `json:"agent_id"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.desk.LinkEmployee(r.Context(), agentFrom(r), id, empID, in.AgentID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeAgent(w, r, http.StatusOK, a)
}

// uisMnemonic is UIS's name of a refusal, "" for failures to reach UIS.
func uisMnemonic(err error) string {
	var ue *uis.Error
	if errors.As(err, &ue) {
		return ue.Mnemonic
	}
	return ""
}

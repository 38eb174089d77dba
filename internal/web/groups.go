package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// groupRow is a group as the Groups page lists it.
type groupRow struct {
	*ringdesk.Group
	Members []string // names, for the title of the count
}

type groupsPage struct {
	Groups []groupRow
	Form   url.Values
}

type groupFormPage struct {
	Group   *ringdesk.Group
	Form    url.Values
	Agents  []*ringdesk.Agent
	Members map[int64]bool
}

type groupDeletePage struct {
	Group   *ringdesk.Group
	Tickets int64
}

func (s *Server) groupsData(r *http.Request, form url.Values) (pageData, error) {
	ctx := r.Context()
	groups, err := s.desk.Groups(ctx)
	if err != nil {
		return pageData{}, err
	}
	agents, err := s.desk.Agents(ctx)
	if err != nil {
		return pageData{}, err
	}
	names := map[int64]string{}
	for _, a := range agents {
		names[a.ID] = a.Name
	}
	d := groupsPage{Form: form}
	for _, g := range groups {
		row := groupRow{Group: g}
		for _, id := range g.AgentIDs {
			row.Members = append(row.Members, names[id])
		}
		d.Groups = append(d.Groups, row)
	}
	return pageData{Title: "Groups", Nav: "groups", Data: d}, nil
}

func (s *Server) groupsList(w http.ResponseWriter, r *http.Request) {
	d, err := s.groupsData(r, url.Values{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "groups", d)
}

func (s *Server) groupCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	name := r.PostForm.Get("name")
	g, err := s.desk.CreateGroup(r.Context(), agentFrom(r), ringdesk.GroupInput{Name: &name})
	if err != nil {
		d, derr := s.groupsData(r, r.PostForm)
		if derr != nil {
			s.fail(w, r, derr)
			return
		}
		s.formError(w, r, "groups", d, err)
		return
	}
	// Next: who is in it.
	http.Redirect(w, r, "/groups/"+strconv.FormatInt(g.ID, 10)+"?flash=group", http.StatusSeeOther)
}

func (s *Server) groupFormData(r *http.Request, g *ringdesk.Group, form url.Values) (pageData, error) {
	agents, err := s.desk.Agents(r.Context())
	if err != nil {
		return pageData{}, err
	}
	d := groupFormPage{Group: g, Form: form, Agents: agents, Members: map[int64]bool{}}
	if form.Has("name") { // a refused edit shows what was ticked
		for _, v := range form["agent_id"] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				d.Members[id] = true
			}
		}
	} else {
		form.Set("name", g.Name)
		for _, id := range g.AgentIDs {
			d.Members[id] = true
		}
	}
	return pageData{Title: "Group", Nav: "groups", Data: d}, nil
}

func (s *Server) groupEdit(w http.ResponseWriter, r *http.Request) {
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
	d, err := s.groupFormData(r, g, url.Values{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "group_form", d)
}

// formIDs reads the ids of the ticked checkboxes called name.
func formIDs(f url.Values, name string) ([]int64, error) {
	ids := []int64{}
	for _, v := range f[name] {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			return nil, badFilter(name, "Must be a positive number.")
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

func (s *Server) groupUpdate(w http.ResponseWriter, r *http.Request) {
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
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	name := f.Get("name")
	members, err := formIDs(f, "agent_id")
	if err == nil {
		_, err = s.desk.UpdateGroup(r.Context(), agentFrom(r), id, ringdesk.GroupInput{Name: &name, AgentIDs: &members})
	}
	if err != nil {
		if !f.Has("name") {
			f.Set("name", "")
		}
		d, derr := s.groupFormData(r, g, f)
		if derr != nil {
			s.fail(w, r, derr)
			return
		}
		s.formError(w, r, "group_form", d, err)
		return
	}
	http.Redirect(w, r, "/groups?flash=saved", http.StatusSeeOther)
}

func (s *Server) groupDeleteConfirm(w http.ResponseWriter, r *http.Request) {
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
	n, err := s.db.GroupTicketCount(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "group_delete", pageData{Title: "Delete group", Nav: "groups", Data: groupDeletePage{Group: g, Tickets: n}})
}

func (s *Server) groupDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.desk.DeleteGroup(r.Context(), agentFrom(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/groups?flash=group_deleted", http.StatusSeeOther)
}

// availableSwitch is the top bar's "available for calls" switch: it sets
// the agent's availability and goes back to the page it was pressed on.
func (s *Server) availableSwitch(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	on := r.PostForm.Get("available") == "true"
	if _, err := s.desk.SetAvailable(r.Context(), agentFrom(r), on); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, safeNext(r.PostForm.Get("return")), http.StatusSeeOther)
}

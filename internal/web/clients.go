package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// phoneLink is what the "client-phone" partial renders: a number formatted
// for humans, carrying its E.164 form and owner for click-to-call.
type phoneLink struct {
	E164     string
	ClientID int64
}

// Display is the number as people read it: "+7 926 123-45-67".
func (p phoneLink) Display() string { return phone.Format(p.E164) }

// clientView wraps a client for templates.
type clientView struct {
	*ringdesk.Client
}

// PhoneLinks returns the client's numbers for the "client-phone" partial.
func (c clientView) PhoneLinks() []phoneLink {
	out := make([]phoneLink, len(c.Phones))
	for i, p := range c.Phones {
		out[i] = phoneLink{E164: p, ClientID: c.ID}
	}
	return out
}

func clientViews(list []*ringdesk.Client) []clientView {
	out := make([]clientView, len(list))
	for i, c := range list {
		out[i] = clientView{c}
	}
	return out
}

type clientsPage struct {
	Clients []clientView
	Q       string
	// QIsPhone: the search is a phone number, offered to a new client.
	QIsPhone bool
	Next     string // URL of the next page, "" on the last
}

type clientPage struct {
	Client  clientView
	Tickets []ringdesk.ClientTicket
	Calls   callRows
	// OpenTicket is the ticket a call placed from the card joins (the
	// open one updated last), nil when the client has none.
	OpenTicket *ringdesk.ClientTicket
}

type clientFormPage struct {
	Edit *ringdesk.Client // nil when creating
	Form url.Values
}

type clientMergePage struct {
	Client     clientView
	Q          string
	Candidates []clientView
	Other      *clientView // chosen: the confirmation screen
	OtherTix   int
}

// clientFlash turns a ?flash= code of a client page into a message.
func clientFlash(r *http.Request) string {
	switch r.URL.Query().Get("flash") {
	case "client-created":
		return "Client created."
	case "client-saved":
		return "Saved."
	case "client-merged":
		return "Clients merged: tickets, calls, numbers and emails now belong to this client."
	}
	return ""
}

func (s *Server) clientsList(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	list, next, err := s.desk.SearchClients(r.Context(), desk.ClientQuery{Text: q, Cursor: r.URL.Query().Get("cursor"), Limit: 50})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := clientsPage{Clients: clientViews(list), Q: q}
	if _, err := s.desk.NormalizePhone(q); err == nil && q != "" {
		p.QIsPhone = true
	}
	if next != "" {
		v := url.Values{"cursor": {next}}
		if q != "" {
			v.Set("q", q)
		}
		p.Next = "/clients?" + v.Encode()
	}
	s.render(w, r, "clients", pageData{Title: "Clients", Nav: "clients", Flash: clientFlash(r), Data: p})
}

func (s *Server) clientNew(w http.ResponseWriter, r *http.Request) {
	f := url.Values{}
	// "New client" from a search for a number starts with that number.
	if q := r.URL.Query().Get("phone"); q != "" {
		f.Set("phones", q)
	}
	s.render(w, r, "client_form", pageData{Title: "New client", Nav: "clients", Data: clientFormPage{Form: f}})
}

// clientLines splits a textarea into its non-blank lines; commas and semicolons
// separate entries too.
func clientLines(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ';' || r == ',' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (s *Server) clientCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	c, err := s.desk.CreateClient(r.Context(), agentFrom(r), ringdesk.ClientInput{
		Name: f.Get("name"), Company: f.Get("company"), Note: f.Get("note"),
		Phones: clientLines(f.Get("phones")), Emails: clientLines(f.Get("emails")),
	})
	if err != nil {
		s.formError(w, r, "client_form", pageData{Title: "New client", Nav: "clients", Data: clientFormPage{Form: f}}, err)
		return
	}
	http.Redirect(w, r, "/clients/"+strconv.FormatInt(c.ID, 10)+"?flash=client-created", http.StatusSeeOther)
}

// clientFromPath loads the client named by {id}.
func (s *Server) clientFromPath(r *http.Request) (*ringdesk.Client, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.db.ClientByID(r.Context(), id)
}

func (s *Server) clientShow(w http.ResponseWriter, r *http.Request) {
	c, err := s.clientFromPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tix, err := s.db.ClientTickets(r.Context(), c.ID, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	calls, err := s.callRowsOf(r.Context(), ringdesk.CallFilter{ClientID: c.ID, Limit: 20}, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The ticket a call from the card joins, as the desk decides it.
	into, err := s.desk.OpenTicketToCall(r.Context(), c.ID, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := clientPage{Client: clientView{c}, Tickets: tix, Calls: calls}
	for i := range tix {
		if tix[i].ID == into {
			p.OpenTicket = &tix[i]
		}
	}
	title := c.Name
	if title == "" {
		title = "Client"
	}
	s.render(w, r, "client", pageData{Title: title, Nav: "clients", Flash: clientFlash(r), Data: p})
}

func clientValues(c *ringdesk.Client) url.Values {
	return url.Values{"name": {c.Name}, "company": {c.Company}, "note": {c.Note},
		"phones": {strings.Join(formatPhones(c.Phones), "\n")}, "emails": {strings.Join(c.Emails, "\n")}}
}

func formatPhones(list []string) []string {
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = phone.Format(p)
	}
	return out
}

func (s *Server) clientEdit(w http.ResponseWriter, r *http.Request) {
	c, err := s.clientFromPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "client_form", pageData{Title: "Edit client", Nav: "clients", Data: clientFormPage{Edit: c, Form: clientValues(c)}})
}

func (s *Server) clientUpdate(w http.ResponseWriter, r *http.Request) {
	c, err := s.clientFromPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	name, company, note := f.Get("name"), f.Get("company"), f.Get("note")
	phones, emails := clientLines(f.Get("phones")), clientLines(f.Get("emails"))
	_, err = s.desk.UpdateClient(r.Context(), agentFrom(r), c.ID, ringdesk.ClientUpdate{
		Name: &name, Company: &company, Note: &note, Phones: &phones, Emails: &emails})
	if err != nil {
		s.formError(w, r, "client_form", pageData{Title: "Edit client", Nav: "clients", Data: clientFormPage{Edit: c, Form: f}}, err)
		return
	}
	http.Redirect(w, r, "/clients/"+strconv.FormatInt(c.ID, 10)+"?flash=client-saved", http.StatusSeeOther)
}

// clientMerge shows the merge screen: a search for the other client, then,
// with ?other=N, both clients side by side to confirm.
func (s *Server) clientMerge(w http.ResponseWriter, r *http.Request) {
	c, err := s.clientFromPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := clientMergePage{Client: clientView{c}, Q: strings.TrimSpace(r.URL.Query().Get("q"))}
	if o := r.URL.Query().Get("other"); o != "" {
		id, err := strconv.ParseInt(o, 10, 64)
		if err != nil || id == c.ID {
			s.fail(w, r, ringdesk.Errorf(ringdesk.EINVALID, "Choose another client to merge."))
			return
		}
		other, err := s.db.ClientByID(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		tix, err := s.db.ClientTickets(r.Context(), id, 500)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Other, p.OtherTix = &clientView{other}, len(tix)
	} else if p.Q != "" {
		list, _, err := s.desk.SearchClients(r.Context(), desk.ClientQuery{Text: p.Q, Limit: 20})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, x := range list {
			if x.ID != c.ID {
				p.Candidates = append(p.Candidates, clientView{x})
			}
		}
	}
	s.render(w, r, "client_merge", pageData{Title: "Merge clients", Nav: "clients", Data: p})
}

func (s *Server) clientMergePost(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	other, err := strconv.ParseInt(r.PostForm.Get("other_id"), 10, 64)
	if err != nil {
		s.fail(w, r, ringdesk.Errorf(ringdesk.EINVALID, "Choose another client to merge."))
		return
	}
	if _, err := s.desk.MergeClients(r.Context(), agentFrom(r), id, other); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/clients/"+strconv.FormatInt(id, 10)+"?flash=client-merged", http.StatusSeeOther)
}

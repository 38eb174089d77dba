package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// cannedPageLimit is how many canned replies the page lists; a longer
// list says so and asks for a search.
const cannedPageLimit = 200

// cannedRow is a canned reply as the Canned replies page lists it.
type cannedRow struct {
	*ringdesk.CannedReply
	Editable bool
	Preview  string // the body on one line, cut short
}

type cannedListPage struct {
	Replies  []cannedRow
	Q, Scope string
	More     bool // more replies than the page shows
	CanShare bool // the reader may create shared replies
}

// placeholderHelp is one line of the placeholders' help.
type placeholderHelp struct{ Code, Meaning string }

// cannedPlaceholders explains each placeholder (translated in templates).
var cannedPlaceholders = []placeholderHelp{
	{"{{" + ringdesk.PlaceholderClientName + "}}", "the client's name; without one it is left out with its comma, or write {{client.name|text}} to put text instead"},
	{"{{" + ringdesk.PlaceholderAgentName + "}}", "your name (of the agent who inserts the reply)"},
	{"{{" + ringdesk.PlaceholderTicketNumber + "}}", "the ticket's number"},
	{"{{" + ringdesk.PlaceholderTicketSubject + "}}", "the ticket's subject"},
}

type cannedFormPage struct {
	Reply        *ringdesk.CannedReply // nil: a new one
	Form         url.Values
	Editable     bool
	CanShare     bool
	Placeholders []placeholderHelp
}

func (s *Server) cannedList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := ringdesk.CannedFilter{Q: strings.TrimSpace(q.Get("q")), Scope: q.Get("scope"), Limit: cannedPageLimit + 1}
	a := agentFrom(r)
	list, err := s.desk.CannedReplies(r.Context(), a, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := cannedListPage{Q: f.Q, Scope: f.Scope, CanShare: a.CanAdminister()}
	if len(list) > cannedPageLimit {
		list, d.More = list[:cannedPageLimit], true
	}
	for _, c := range list {
		d.Replies = append(d.Replies, cannedRow{CannedReply: c, Editable: ringdesk.CanEditCanned(a, c), Preview: preview(c.Body, 140)})
	}
	s.render(w, r, "canned_replies", pageData{Title: "Canned replies", Nav: "canned", Data: d})
}

// preview is text on one line, at most n characters.
func preview(text string, n int) string {
	one := strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(one) <= n {
		return one
	}
	return string([]rune(one)[:n-1]) + "…"
}

func (s *Server) cannedForm(w http.ResponseWriter, r *http.Request, status int, c *ringdesk.CannedReply, form url.Values, ferr error) {
	a := agentFrom(r)
	d := cannedFormPage{Reply: c, Form: form, Editable: c == nil || ringdesk.CanEditCanned(a, c), CanShare: a.CanAdminister(),
		Placeholders: cannedPlaceholders}
	title := "New canned reply"
	if c != nil {
		title = "Canned reply"
	}
	pd := pageData{Title: title, Nav: "canned", Data: d}
	if ferr != nil {
		s.formError(w, r, "canned_form", pd, ferr)
		return
	}
	s.renderStatus(w, r, status, "canned_form", pd)
}

func (s *Server) cannedNew(w http.ResponseWriter, r *http.Request) {
	form := url.Values{}
	if r.URL.Query().Get("shared") == "1" && agentFrom(r).CanAdminister() {
		form.Set("shared", "1")
	}
	// ?from=id: a copy of a reply the agent sees, to make their own.
	if from := r.URL.Query().Get("from"); from != "" {
		id, err := strconv.ParseInt(from, 10, 64)
		if err != nil {
			s.fail(w, r, badFilter("from", "Must be a positive number."))
			return
		}
		c, err := s.desk.CannedReply(r.Context(), agentFrom(r), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		form.Set("title", c.Title)
		form.Set("body", c.Body)
	}
	s.cannedForm(w, r, http.StatusOK, nil, form, nil)
}

// cannedInputOf reads the form of a canned reply.
func cannedInputOf(f url.Values) ringdesk.CannedInput {
	title, body, shortcut := f.Get("title"), f.Get("body"), f.Get("shortcut")
	return ringdesk.CannedInput{Title: &title, Body: &body, Shortcut: &shortcut}
}

func (s *Server) cannedCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	in := cannedInputOf(r.PostForm)
	shared := r.PostForm.Get("shared") == "1"
	in.Shared = &shared
	if _, err := s.desk.CreateCannedReply(r.Context(), agentFrom(r), in); err != nil {
		s.cannedForm(w, r, 0, nil, r.PostForm, err)
		return
	}
	http.Redirect(w, r, "/canned-replies?flash=canned", http.StatusSeeOther)
}

func (s *Server) cannedEdit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.desk.CannedReply(r.Context(), agentFrom(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := url.Values{"title": {c.Title}, "body": {c.Body}, "shortcut": {c.Shortcut}}
	s.cannedForm(w, r, http.StatusOK, c, form, nil)
}

func (s *Server) cannedUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	_, err = s.desk.UpdateCannedReply(r.Context(), agentFrom(r), id, cannedInputOf(r.PostForm))
	switch code := ringdesk.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, "/canned-replies?flash=saved", http.StatusSeeOther)
	case code == ringdesk.EINVALID || code == ringdesk.ECONFLICT:
		c, cerr := s.desk.CannedReply(r.Context(), agentFrom(r), id)
		if cerr != nil {
			s.fail(w, r, cerr)
			return
		}
		s.cannedForm(w, r, 0, c, r.PostForm, err)
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) cannedDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.desk.DeleteCannedReply(r.Context(), agentFrom(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/canned-replies?flash=canned_deleted", http.StatusSeeOther)
}

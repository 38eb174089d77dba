package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// clientJSON is a client as the API shows it.
type clientJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Company   string    `json:"company"`
	Note      string    `json:"note"`
	Phones    []string  `json:"phones"`
	Emails    []string  `json:"emails"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toClientJSON(c *ringdesk.Client) clientJSON {
	j := clientJSON{ID: c.ID, Name: c.Name, Company: c.Company, Note: c.Note, Phones: c.Phones, Emails: c.Emails,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if j.Phones == nil {
		j.Phones = []string{}
	}
	if j.Emails == nil {
		j.Emails = []string{}
	}
	return j
}

func (s *Server) apiClients(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := clientLimit(q.Get("limit"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, next, err := s.desk.SearchClients(r.Context(), desk.ClientQuery{Text: q.Get("q"), Phone: q.Get("phone"),
		Cursor: q.Get("cursor"), Limit: limit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]clientJSON, len(list))
	for i, c := range list {
		out[i] = toClientJSON(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"clients": out, "next_cursor": next})
}

// clientLimit reads ?limit= (1..200; empty means the default).
func clientLimit(v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 200 {
		return 0, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "limit must be a number from 1 to 200.",
			Fields: map[string]string{"limit": "limit must be a number from 1 to 200."}}
	}
	return n, nil
}

func (s *Server) apiClient(w http.ResponseWriter, r *http.Request) {
	c, err := s.clientFromPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toClientJSON(c))
}

type clientInJSON struct {
	Name    *string   `json:"name"`
	Company *string   `json:"company"`
	Note    *string   `json:"note"`
	Phones  *[]string `json:"phones"`
	Emails  *[]string `json:"emails"`
}

func clientOpt[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func (s *Server) apiClientCreate(w http.ResponseWriter, r *http.Request) {
	var in clientInJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.desk.CreateClient(r.Context(), agentFrom(r), ringdesk.ClientInput{Name: clientOpt(in.Name),
		Company: clientOpt(in.Company), Note: clientOpt(in.Note), Phones: clientOpt(in.Phones), Emails: clientOpt(in.Emails)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toClientJSON(c))
}

func (s *Server) apiClientUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in clientInJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.desk.UpdateClient(r.Context(), agentFrom(r), id, ringdesk.ClientUpdate{Name: in.Name, Company: in.Company,
		Note: in.Note, Phones: in.Phones, Emails: in.Emails})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toClientJSON(c))
}

type clientMergeJSON struct {
	OtherID int64 `json:"other_id"`
}

func (s *Server) apiClientMerge(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in clientMergeJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.OtherID <= 0 {
		s.fail(w, r, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "other_id is required.",
			Fields: map[string]string{"other_id": "other_id is required."}})
		return
	}
	c, err := s.desk.MergeClients(r.Context(), agentFrom(r), id, in.OtherID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toClientJSON(c))
}

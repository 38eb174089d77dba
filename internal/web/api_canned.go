package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// cannedJSON is a canned reply as the API shows it.
type cannedJSON struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Shortcut  string    `json:"shortcut"`
	Shared    bool      `json:"shared"`
	OwnerID   *int64    `json:"owner_id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toCannedJSON(c *ringdesk.CannedReply) cannedJSON {
	return cannedJSON{ID: c.ID, Title: c.Title, Body: c.Body, Shortcut: c.Shortcut, Shared: c.Shared(), OwnerID: c.OwnerID,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// cannedInJSON creates or changes a canned reply; absent fields stay as
// they are.
type cannedInJSON struct {
	Title    *string `json:"title"`
	Body     *string `json:"body"`
	Shortcut *string `json:"shortcut"`
	Shared   *bool   `json:"shared"`
}

func (in cannedInJSON) input() ringdesk.CannedInput {
	return ringdesk.CannedInput{Title: in.Title, Body: in.Body, Shortcut: in.Shortcut, Shared: in.Shared}
}

// cannedFilterOf reads ?q=, ?scope= (shared or personal) and ?limit=
// (1..500) of a canned replies list.
func cannedFilterOf(q url.Values) (ringdesk.CannedFilter, error) {
	f := ringdesk.CannedFilter{Q: q.Get("q"), Scope: q.Get("scope")}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return f, badFilter("limit", "limit must be a number from 1 to 500.")
		}
		f.Limit = n
	}
	return f, nil
}

func (s *Server) apiCannedReplies(w http.ResponseWriter, r *http.Request) {
	f, err := cannedFilterOf(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.desk.CannedReplies(r.Context(), agentFrom(r), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]cannedJSON, len(list))
	for i, c := range list {
		out[i] = toCannedJSON(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"canned_replies": out})
}

func (s *Server) apiCannedReply(w http.ResponseWriter, r *http.Request) {
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
	writeJSON(w, http.StatusOK, toCannedJSON(c))
}

func (s *Server) apiCannedReplyCreate(w http.ResponseWriter, r *http.Request) {
	var in cannedInJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.desk.CreateCannedReply(r.Context(), agentFrom(r), in.input())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toCannedJSON(c))
}

func (s *Server) apiCannedReplyUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in cannedInJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.desk.UpdateCannedReply(r.Context(), agentFrom(r), id, in.input())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toCannedJSON(c))
}

func (s *Server) apiCannedReplyDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.desk.DeleteCannedReply(r.Context(), agentFrom(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// filledCannedJSON is a canned reply filled for a ticket: what the
// composer inserts is text.
type filledCannedJSON struct {
	cannedJSON
	Text string `json:"text"`
}

// apiTicketCannedReplies lists the canned replies matching ?q= with their
// placeholders filled for the ticket, best first: the composer's picker.
func (s *Server) apiTicketCannedReplies(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := agentFrom(r)
	list, err := s.desk.FilledCannedReplies(r.Context(), a, id, r.URL.Query().Get("q"), s.lang(a, r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]filledCannedJSON, len(list))
	for i, c := range list {
		out[i] = filledCannedJSON{cannedJSON: toCannedJSON(c.CannedReply), Text: c.Text}
	}
	writeJSON(w, http.StatusOK, map[string]any{"canned_replies": out})
}

package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// ticketJSON is a ticket as the API shows it.
type ticketJSON struct {
	ID              int64      `json:"id"`
	Number          int64      `json:"number"`
	Subject         string     `json:"subject"`
	Status          string     `json:"status"`
	StatusID        int        `json:"status_id"`
	Priority        string     `json:"priority"`
	Type            string     `json:"type"`
	ChannelID       *int64     `json:"channel_id"`
	ClientID        int64      `json:"client_id"`
	AssigneeID      *int64     `json:"assignee_id"`
	GroupID         *int64     `json:"group_id"`
	Tags            []string   `json:"tags"`
	Missed          bool       `json:"missed"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	FirstResponseAt *time.Time `json:"first_response_at"`
	SolvedAt        *time.Time `json:"solved_at"`
}

func toTicketJSON(t *ringdesk.Ticket, lang string) ticketJSON {
	tags := t.Tags
	if tags == nil {
		tags = []string{}
	}
	return ticketJSON{ID: t.ID, Number: t.Number, Subject: t.SubjectIn(lang), Status: t.Status, StatusID: ringdesk.UsedeskStatusID(t.Status),
		Priority: t.Priority, Type: t.Type, ChannelID: t.ChannelID, ClientID: t.ClientID, AssigneeID: t.AssigneeID, GroupID: t.GroupID, Tags: tags,
		Missed: t.Missed, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, FirstResponseAt: t.FirstResponseAt, SolvedAt: t.SolvedAt}
}

// ticketEventJSON is a timeline entry.
type ticketEventJSON struct {
	ID         int64           `json:"id"`
	Kind       string          `json:"kind"`
	AuthorType string          `json:"author_type"`
	AuthorID   *int64          `json:"author_id"`
	Body       string          `json:"body"`
	Data       json.RawMessage `json:"data"`
	CreatedAt  time.Time       `json:"created_at"`
	// Delivery is how an emailed reply went; Email the sender and files
	// of an incoming message.
	Delivery *deliveryJSON `json:"delivery,omitempty"`
	Email    *emailJSON    `json:"email,omitempty"`
}

func toTicketEventJSON(e *ringdesk.TicketEvent) ticketEventJSON {
	data := json.RawMessage(e.Data)
	if !json.Valid(data) {
		data = json.RawMessage("{}")
	}
	return ticketEventJSON{ID: e.ID, Kind: e.Kind, AuthorType: e.AuthorType, AuthorID: e.AuthorID, Body: e.Body, Data: data, CreatedAt: e.CreatedAt,
		Email: toEmailJSON(e)}
}

func (s *Server) apiTickets(w http.ResponseWriter, r *http.Request) {
	f, err := parseTicketFilter(r.URL.Query(), agentFrom(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, next, err := s.desk.ListTickets(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]ticketJSON, len(rows))
	for i, t := range rows {
		out[i] = toTicketJSON(t.Ticket, s.lang(agentFrom(r), r))
	}
	writeJSON(w, http.StatusOK, map[string]any{"tickets": out, "next_cursor": next})
}

func (s *Server) apiTicket(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.db.TicketByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toTicketJSON(t, s.lang(agentFrom(r), r)))
}

type ticketCreateJSON struct {
	Subject    string   `json:"subject"`
	Status     string   `json:"status"`
	Priority   string   `json:"priority"`
	Type       string   `json:"type"`
	ChannelID  *int64   `json:"channel_id"`
	ClientID   int64    `json:"client_id"`
	AssigneeID *int64   `json:"assignee_id"`
	GroupID    *int64   `json:"group_id"`
	Tags       []string `json:"tags"`
	Body       string   `json:"body"`
	BodyKind   string   `json:"body_kind"`
}

func (s *Server) apiTicketCreate(w http.ResponseWriter, r *http.Request) {
	var in ticketCreateJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.desk.CreateTicket(r.Context(), agentFrom(r), ringdesk.TicketCreate{Subject: in.Subject, Status: in.Status,
		Priority: in.Priority, Type: in.Type, ChannelID: in.ChannelID, ClientID: in.ClientID, AssigneeID: in.AssigneeID,
		GroupID: in.GroupID, Tags: in.Tags, Body: in.Body, BodyKind: in.BodyKind})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toTicketJSON(t, s.lang(agentFrom(r), r)))
}

type ticketPatchJSON struct {
	Subject    *string         `json:"subject"`
	Status     *string         `json:"status"`
	Priority   *string         `json:"priority"`
	Type       *string         `json:"type"`
	ChannelID  *int64          `json:"channel_id"`
	ClientID   *int64          `json:"client_id"`
	AssigneeID json.RawMessage `json:"assignee_id"` // absent: keep; null: unassign
	GroupID    json.RawMessage `json:"group_id"`    // absent: keep; null: no group
	Tags       *[]string       `json:"tags"`
}

func (s *Server) apiTicketUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in ticketPatchJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	u := ringdesk.TicketUpdate{Subject: in.Subject, Status: in.Status, Priority: in.Priority, Type: in.Type,
		ChannelID: in.ChannelID, ClientID: in.ClientID, Tags: in.Tags}
	if len(in.AssigneeID) > 0 {
		if bytes.Equal(in.AssigneeID, []byte("null")) {
			u.ClearAssignee = true
		} else {
			var a int64
			if err := json.Unmarshal(in.AssigneeID, &a); err != nil {
				s.fail(w, r, badFilter("assignee_id", "Assignee must be an agent id or null."))
				return
			}
			u.AssigneeID = &a
		}
	}
	if err := groupPatch(in.GroupID, &u); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.desk.UpdateTicket(r.Context(), agentFrom(r), id, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toTicketJSON(t, s.lang(agentFrom(r), r)))
}

func (s *Server) apiTicketEvents(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.db.TicketByID(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	evs, err := s.db.TicketEvents(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	deliveries, err := s.desk.TicketDeliveries(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]ticketEventJSON, len(evs))
	for i, e := range evs {
		out[i] = toTicketEventJSON(e)
		out[i].Delivery = toDeliveryJSON(deliveries[e.ID])
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": out})
}

type commentJSON struct {
	Kind       string `json:"kind"`
	AuthorType string `json:"author_type"`
	Body       string `json:"body"`
	// To replaces the recipients of an emailed reply (absent: the client's).
	To *[]string `json:"to"`
}

func (s *Server) apiTicketComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in commentJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Kind == "" {
		in.Kind = ringdesk.EventReply
	}
	c := ringdesk.CommentCreate{Kind: in.Kind, AuthorType: in.AuthorType, Body: in.Body}
	if in.To != nil {
		to, err := ringdesk.ParseRecipients(strings.Join(*in.To, ","))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		c.To = append([]string{}, to...)
	}
	e, err := s.desk.AddComment(r.Context(), agentFrom(r), id, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := toTicketEventJSON(e)
	if deliveries, err := s.desk.TicketDeliveries(r.Context(), id); err == nil {
		out.Delivery = toDeliveryJSON(deliveries[e.ID])
	}
	writeJSON(w, http.StatusCreated, out)
}

// apiReplyRetry queues a failed emailed reply again and answers with the
// entry.
func (s *Server) apiReplyRetry(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	eventID, err := pathID(r, "event_id")
	if err == nil {
		err = s.desk.RetryReply(r.Context(), agentFrom(r), id, eventID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	deliveries, err := s.desk.TicketDeliveries(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"event_id": eventID, "delivery": toDeliveryJSON(deliveries[eventID])})
}

type missedHandledJSON struct {
	Reason string `json:"reason"`
}

// apiTicketMissedHandled marks a missed ticket handled without a call back
// and answers with the ticket.
func (s *Server) apiTicketMissedHandled(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in missedHandledJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.desk.MarkMissedHandled(r.Context(), agentFrom(r), id, in.Reason); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.db.TicketByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toTicketJSON(t, s.lang(agentFrom(r), r)))
}

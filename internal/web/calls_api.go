package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// callJSON is a call as the API shows it. Recordings are Ringdesk API URLs
// (/api/v1/calls/{id}/recordings/{n}), never the upstream UIS
// links: those are bearer links to a third-party host, and Ringdesk checks
// the host and may serve an archived copy instead.
type callJSON struct {
	ID                 int64                  `json:"id"`
	ChannelID          int64                  `json:"channel_id"`
	CallSessionID      int64                  `json:"call_session_id"`
	Direction          string                 `json:"direction"`
	State              string                 `json:"state"`
	ContactPhone       string                 `json:"contact_phone"`
	ContactName        string                 `json:"contact_name"`
	VirtualPhoneNumber string                 `json:"virtual_phone_number"`
	StartedAt          time.Time              `json:"started_at"`
	AnsweredAt         *time.Time             `json:"answered_at"`
	FinishedAt         *time.Time             `json:"finished_at"`
	WaitSeconds        *int64                 `json:"wait_seconds"` // null: UIS did not tell it usably
	TalkSeconds        *int64                 `json:"talk_seconds"`
	TotalSeconds       *int64                 `json:"total_seconds"`
	IsLost             bool                   `json:"is_lost"`
	IsTransfer         bool                   `json:"is_transfer"`
	FinishReason       string                 `json:"finish_reason"`
	LostReason         string                 `json:"lost_reason"`
	Outcome            string                 `json:"outcome"`
	AgentID            *int64                 `json:"agent_id"`
	EmployeeID         *int64                 `json:"employee_id"`
	EmployeeIDs        []int64                `json:"employee_ids"`
	TicketID           int64                  `json:"ticket_id"`
	ClientID           int64                  `json:"client_id"`
	ExternalID         string                 `json:"external_id"`
	Tags               []string               `json:"tags"`
	Recordings         []recordingJSON        `json:"recordings"`
	Recovered          string                 `json:"recovered"`
	StateUnknown       bool                   `json:"state_unknown"`
	Warnings           []ringdesk.CallWarning `json:"warnings"`
	CreatedAt          time.Time              `json:"created_at"`
	UpdatedAt          time.Time              `json:"updated_at"`
}

type recordingJSON struct {
	N   int    `json:"n"`
	URL string `json:"url"`
}

func toCallJSON(c *ringdesk.Call, now time.Time) callJSON {
	out := callJSON{ID: c.ID, ChannelID: c.ChannelID, CallSessionID: c.CallSessionID, Direction: c.Direction, State: c.State,
		ContactPhone: c.ContactPhone, ContactName: c.ContactName, VirtualPhoneNumber: c.VirtualPhoneNumber,
		StartedAt: c.StartedAt, AnsweredAt: c.AnsweredAt, FinishedAt: c.FinishedAt, WaitSeconds: knownSeconds(c, "wait"),
		TalkSeconds: knownSeconds(c, "talk"), TotalSeconds: knownSeconds(c, "total"), IsLost: c.IsLost, IsTransfer: c.IsTransfer,
		FinishReason: c.FinishReason, LostReason: c.LostReason, Outcome: c.CallOutcome(), AgentID: c.AgentID,
		EmployeeID: c.EmployeeID, EmployeeIDs: c.EmployeeIDs(), TicketID: c.TicketID, ClientID: c.ClientID,
		ExternalID: c.ExternalID, Tags: c.Details.Tags, Recordings: apiRecordingLinks(c), Recovered: c.Details.Recovered,
		StateUnknown: c.StateUnknown(now), Warnings: maskedWarnings(c.Details.Warnings), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if out.Warnings == nil {
		out.Warnings = []ringdesk.CallWarning{}
	}
	return out
}

// knownSeconds is a call's duration for the API: null when unknown.
func knownSeconds(c *ringdesk.Call, name string) *int64 {
	if v, ok := c.Seconds(name); ok {
		return &v
	}
	return nil
}

// apiRecordingLinks lists a call's recordings as Ringdesk API URLs, which
// an API token opens (the pages' /calls/{id}/recordings/{n} need a login).
func apiRecordingLinks(c *ringdesk.Call) []recordingJSON {
	out := recordingLinks(c)
	for i := range out {
		out[i].URL = "/api/v1" + out[i].URL
	}
	return out
}

// recordingLinks lists a call's recordings as Ringdesk URLs.
func recordingLinks(c *ringdesk.Call) []recordingJSON {
	out := make([]recordingJSON, len(c.Recordings))
	for i := range c.Recordings {
		out[i] = recordingJSON{N: i + 1, URL: "/calls/" + strconv.FormatInt(c.ID, 10) + "/recordings/" + strconv.Itoa(i+1)}
	}
	return out
}

// callFilter reads the call list filters shared by the API and the Calls
// page. Numbers are accepted in any spelling; dates as RFC 3339 or
// YYYY-MM-DD (a day in Moscow time; "to" includes that day).
func (s *Server) callFilter(r *http.Request) (ringdesk.CallFilter, error) {
	q := r.URL.Query()
	var f ringdesk.CallFilter
	var v ringdesk.Validation
	for name, dst := range map[string]*int64{"client_id": &f.ClientID, "ticket_id": &f.TicketID, "channel_id": &f.ChannelID, "agent_id": &f.AgentID} {
		if raw := strings.TrimSpace(q.Get(name)); raw != "" {
			n, err := strconv.ParseInt(raw, 10, 64)
			v.Check(err == nil && n > 0, name, "Must be a positive number.")
			*dst = n
		}
	}
	switch d := q.Get("direction"); d {
	case "", ringdesk.DirectionIn, ringdesk.DirectionOut:
		f.Direction = d
	default:
		v.Check(false, "direction", "Direction must be in or out.")
	}
	switch m := q.Get("missed"); m {
	case "":
	case "true", "1":
		t := true
		f.Missed = &t
	case "false", "0":
		t := false
		f.Missed = &t
	default:
		v.Check(false, "missed", "Missed must be true or false.")
	}
	switch o := q.Get("outcome"); o {
	case "", "answered", "missed", "busy", "no_answer":
		f.Outcome = o
	default:
		v.Check(false, "outcome", "Outcome must be answered, missed, busy or no_answer.")
	}
	if p := strings.TrimSpace(q.Get("phone")); p != "" {
		// A whole number matches exactly; part of one (4 digits or more)
		// the numbers containing it.
		e164, part, err := s.desk.PhoneSearch(p)
		switch {
		case errors.Is(err, phone.ErrTooShort):
			v.Addf("phone", "Type at least %d digits of the number.", phone.MinPartialDigits)
		case err != nil:
			v.Check(false, "phone", "This is not a valid phone number.")
		}
		f.Phone, f.PhonePart = e164, part
	}
	var err error
	zone := zoneOf(agentFrom(r))
	if f.From, err = timeParam(q.Get("from"), false, zone); err != nil {
		v.Check(false, "from", badDate)
	}
	if f.To, err = timeParam(q.Get("to"), true, zone); err != nil {
		v.Check(false, "to", badDate)
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		v.Check(err == nil && n >= 1 && n <= 200, "limit", "Limit must be between 1 and 200.")
		f.Limit = n
	}
	f.Cursor = q.Get("cursor")
	return f, v.Err()
}

// apiCalls is GET /api/v1/calls.
func (s *Server) apiCalls(w http.ResponseWriter, r *http.Request) {
	f, err := s.callFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	calls, next, err := s.db.ListCalls(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]callJSON, len(calls))
	for i, c := range calls {
		out[i] = toCallJSON(c, s.desk.Now())
	}
	writeJSON(w, http.StatusOK, map[string]any{"calls": out, "next_cursor": next})
}

// apiCall is GET /api/v1/calls/{id}.
func (s *Server) apiCall(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.db.CallByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toCallJSON(c, s.desk.Now()))
}

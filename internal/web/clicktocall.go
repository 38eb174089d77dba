package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// callStartedJSON answers a click-to-call: 202, UIS is ringing the agent.
type callStartedJSON struct {
	RequestID     int64  `json:"request_id"`
	CallSessionID *int64 `json:"call_session_id"`
	ExternalID    string `json:"external_id"`
	Status        string `json:"status"`
	// TicketID is the ticket the call joins (null: the call makes a new one).
	TicketID *int64 `json:"ticket_id"`
	Message  string `json:"message,omitempty"`
}

// apiCallStart is POST /api/v1/calls.
func (s *Server) apiCallStart(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ClientID  int64  `json:"client_id"`
		TicketID  int64  `json:"ticket_id"`
		ChannelID int64  `json:"channel_id"`
		Phone     string `json:"phone"`
		NewTicket bool   `json:"new_ticket"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	s.startCall(w, r, ringdesk.CallRequest{ClientID: in.ClientID, TicketID: in.TicketID, ChannelID: in.ChannelID, Phone: in.Phone,
		NewTicket: in.NewTicket})
}

// callStart is POST /calls from a click on a phone number (fetch with
// Accept: application/json) or a plain form.
func (s *Server) callStart(w http.ResponseWriter, r *http.Request) {
	req := ringdesk.CallRequest{Phone: strings.TrimSpace(r.PostFormValue("phone"))}
	switch r.PostFormValue("new_ticket") {
	case "1", "on", "true":
		req.NewTicket = true
	}
	var bad error
	for name, dst := range map[string]*int64{"client_id": &req.ClientID, "ticket_id": &req.TicketID, "channel_id": &req.ChannelID} {
		v := strings.TrimSpace(r.PostFormValue(name))
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			bad = &ringdesk.Error{Code: ringdesk.EINVALID, Message: "The request names an invalid record.", Fields: map[string]string{name: "Must be a positive number."}}
		}
		*dst = n
	}
	if wantsJSON(r) {
		if bad != nil {
			s.fail(w, r, bad)
			return
		}
		s.startCall(w, r, req)
		return
	}
	var rec *ringdesk.CallRequestRecord
	err := bad
	if err == nil {
		rec, err = s.desk.StartCall(r.Context(), agentFrom(r), req)
	}
	back := r.PostFormValue("next")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") {
		back = ""
	}
	status := http.StatusAccepted
	if err != nil {
		status = statusOf(ringdesk.ErrorCode(err))
	}
	msg, _ := s.localize(r, err)
	s.renderStatus(w, r, status, "call_started", pageData{Title: "Call", Nav: "calls", Data: callStartedPage{Request: rec, Error: msg, Back: back}})
}

type callStartedPage struct {
	Request *ringdesk.CallRequestRecord
	Error   string
	Back    string
}

func (s *Server) startCall(w http.ResponseWriter, r *http.Request, req ringdesk.CallRequest) {
	rec, err := s.desk.StartCall(r.Context(), agentFrom(r), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	text := ringdesk.T("Calling your phone…")
	if rec.TicketID != nil {
		text = ringdesk.T("Calling your phone… The call goes into ticket #%d.", *rec.TicketID)
	}
	msg := text.String()
	if sessionFrom(r) != nil {
		lang := s.lang(agentFrom(r), r)
		msg = text.In(func(s string) string { return translate(lang, s) })
	}
	writeJSON(w, http.StatusAccepted, callStartedJSON{RequestID: rec.ID, CallSessionID: rec.CallSessionID, ExternalID: rec.ExternalID,
		Status: rec.Status, TicketID: rec.TicketID, Message: msg})
}

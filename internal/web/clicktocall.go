package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// callStartedJSON answers a click-to-call: 202, UIS is ringing the agent.
type callStartedJSON struct {
	RequestID     int64  `json:"request_id"`
	CallSessionID *int64 `json:"call_session_id"`
	ExternalID    string `json:"external_id"`
	Status        string `json:"status"`
	Message       string `json:"message,omitempty"`
}

// callErrorJSON is the error body of a refused click-to-call: the usual
// error object plus the UIS mnemonic when UIS refused.
type callErrorJSON struct {
	Error callErrorBody `json:"error"`
}

type callErrorBody struct {
	Code     string            `json:"code"`
	Message  string            `json:"message"`
	Mnemonic string            `json:"mnemonic,omitempty"`
	Fields   map[string]string `json:"fields,omitempty"`
}

// apiCallStart is POST /api/v1/calls.
func (s *Server) apiCallStart(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ClientID  int64  `json:"client_id"`
		TicketID  int64  `json:"ticket_id"`
		ChannelID int64  `json:"channel_id"`
		Phone     string `json:"phone"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	s.startCall(w, r, ringdesk.CallRequest{ClientID: in.ClientID, TicketID: in.TicketID, ChannelID: in.ChannelID, Phone: in.Phone}, "en")
}

// callStart is POST /calls from a click on a phone number (fetch with
// Accept: application/json) or a plain form.
func (s *Server) callStart(w http.ResponseWriter, r *http.Request) {
	req := ringdesk.CallRequest{Phone: strings.TrimSpace(r.PostFormValue("phone"))}
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
	lang := s.lang(agentFrom(r), r)
	if wantsJSON(r) {
		if bad != nil {
			s.callFailJSON(w, bad, lang)
			return
		}
		s.startCall(w, r, req, lang)
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
	s.renderStatus(w, r, status, "call_started", pageData{Title: "Call", Nav: "calls", Data: callStartedPage{Request: rec, Error: callMessage(err), Back: back}})
}

type callStartedPage struct {
	Request *ringdesk.CallRequestRecord
	Error   string
	Back    string
}

// callMessage is the plain message of a click-to-call error.
func callMessage(err error) string {
	if err == nil {
		return ""
	}
	return ringdesk.ErrorMessage(err)
}

func (s *Server) startCall(w http.ResponseWriter, r *http.Request, req ringdesk.CallRequest, lang string) {
	rec, err := s.desk.StartCall(r.Context(), agentFrom(r), req)
	if err != nil {
		s.callFailJSON(w, err, lang)
		return
	}
	writeJSON(w, http.StatusAccepted, callStartedJSON{RequestID: rec.ID, CallSessionID: rec.CallSessionID, ExternalID: rec.ExternalID,
		Status: rec.Status, Message: translate(lang, "Calling your phone…")})
}

// callFailJSON writes a click-to-call error; messages are translated for
// the UI (the API keeps English).
func (s *Server) callFailJSON(w http.ResponseWriter, err error, lang string) {
	code := ringdesk.ErrorCode(err)
	body := callErrorBody{Code: code, Message: translate(lang, ringdesk.ErrorMessage(err)), Fields: ringdesk.ErrorFields(err)}
	var ce *desk.CallError
	if errors.As(err, &ce) && ce.Mnemonic != "" {
		body.Code, body.Mnemonic = "uis_error", ce.Mnemonic
	}
	if code == ringdesk.EINTERNAL {
		s.log.Error("click-to-call failed", "err", err)
	}
	if len(body.Fields) > 0 {
		for k, v := range body.Fields {
			body.Fields[k] = translate(lang, v)
		}
	}
	if code == ringdesk.ETOOMANY {
		w.Header().Set("Retry-After", "60")
	}
	writeJSON(w, statusOf(code), callErrorJSON{Error: body})
}

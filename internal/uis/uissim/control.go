package uissim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// routes lists every route of the simulator in one place.
func (s *Simulator) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/v4.0", s.serveRPC("call", s.callAPIMethods()))
	mux.Handle("/v2.0", s.serveRPC("data", s.dataAPIMethods()))
	for _, kind := range []string{"talk", "wav"} {
		mux.HandleFunc("GET /system/media/"+kind+"/{comm}/{hash}/", s.serveRecording)
		mux.HandleFunc("GET /system/media/"+kind+"/{comm}/{hash}", s.serveRecording)
	}
	mux.HandleFunc("GET /{comm}/{hash}", s.serveMerged) // media.…/{communication_id}/{hash}
	mux.HandleFunc("POST /sim/v1/calls", s.ctlStartCall)
	mux.HandleFunc("GET /sim/v1/calls", s.ctlListCalls)
	mux.HandleFunc("GET /sim/v1/calls/{id}", s.ctlGetCall)
	mux.HandleFunc("GET /sim/v1/deliveries", s.ctlDeliveries)
	mux.HandleFunc("GET /sim/v1/requests", s.ctlRequests)
	mux.HandleFunc("DELETE /sim/v1/logs", func(w http.ResponseWriter, r *http.Request) {
		s.ClearLogs()
		writeJSON(w, 200, map[string]any{"cleared": true})
	})
	mux.HandleFunc("GET /sim/v1/notifications", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Notifications()) })
	mux.HandleFunc("PUT /sim/v1/notifications", s.ctlSetNotifications)
	mux.HandleFunc("GET /sim/v1/faults", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Faults()) })
	mux.HandleFunc("PUT /sim/v1/faults", s.ctlSetFaults)
	mux.HandleFunc("GET /sim/v1/behaviour", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Behaviour()) })
	mux.HandleFunc("PUT /sim/v1/behaviour", s.ctlSetBehaviour)
	mux.HandleFunc("GET /sim/v1/outgoing-rules", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.OutgoingRules()) })
	mux.HandleFunc("PUT /sim/v1/outgoing-rules", s.ctlSetRules)
	mux.HandleFunc("POST /sim/v1/outgoing-rules", s.ctlAddRule)
	mux.HandleFunc("POST /sim/v1/load", s.ctlLoad)
	mux.HandleFunc("GET /sim/v1/account", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Account()) })
	mux.HandleFunc("POST /sim/v1/wait-idle", func(w http.ResponseWriter, r *http.Request) {
		if err := s.WaitIdle(r.Context()); err != nil {
			writeJSONError(w, http.StatusServiceUnavailable, "not_idle", err.Error())
			return
		}
		writeJSON(w, 200, map[string]any{"idle": true})
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusNotFound, "not_found", "no such route: "+r.Method+" "+r.URL.Path)
	})
	return mux
}

// decodeBody reads a control request strictly: size-limited, unknown fields rejected, one
// JSON value only.
func (s *Simulator) decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeJSONError(w, http.StatusBadRequest, "invalid_json", err.Error())
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		writeJSONError(w, http.StatusBadRequest, "invalid_json", "body must hold a single JSON value")
		return false
	}
	return true
}

// writeErr maps simulator errors to control API responses: bad input is 400, the rest 500.
func writeErr(w http.ResponseWriter, err error) {
	var ie *InputError
	if errors.As(err, &ie) {
		writeJSONError(w, http.StatusBadRequest, "invalid_input", ie.Message)
		return
	}
	writeJSONError(w, http.StatusInternalServerError, "internal", err.Error())
}

func (s *Simulator) ctlStartCall(w http.ResponseWriter, r *http.Request) {
	s.learnBaseURL(r)
	var spec CallSpec
	if !s.decodeBody(w, r, &spec) {
		return
	}
	id, err := s.StartCall(r.Context(), spec)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"call_session_id": id})
}

// CallInfo is the control API's view of a call: plan, state and the notifications sent.
type CallInfo struct {
	CallSessionID int64        `json:"call_session_id"`
	Kind          ScenarioKind `json:"kind"`
	State         string       `json:"state"` // "active" or "finished"
	Direction     string       `json:"direction"`
	Source        string       `json:"source"`
	// NoNotifications marks a call whose notifications go elsewhere (CallSpec.NoNotifications,
	// the other business's sessions on a shared account).
	NoNotifications bool   `json:"no_notifications,omitempty"`
	ContactNumber   string `json:"contact_number"`
	VirtualNumber   string `json:"virtual_number"`
	ExternalID      string `json:"external_id,omitempty"`
	StartTime       string `json:"start_time"`
	FinishTime      string `json:"finish_time"`
	FinishReason    string `json:"finish_reason"`
	IsLost          bool   `json:"is_lost"`
	// WaitSeconds, TalkSeconds and TotalSeconds are the call's durations as the calls report
	// gives them (so far, for a call in progress).
	WaitSeconds  int64 `json:"wait_seconds"`
	TalkSeconds  int64 `json:"talk_seconds"`
	TotalSeconds int64 `json:"total_seconds"`
	IsTransfer   bool  `json:"is_transfer"`
	// EmployeeIDs are the employees the call was offered to, in order.
	EmployeeIDs []int64         `json:"employee_ids"`
	RecordLinks []string        `json:"record_file_links"`
	Timeline    []TimelineEntry `json:"timeline"`
	Deliveries  []Delivery      `json:"deliveries"`
}

// Call returns one call's state and timeline.
func (s *Simulator) Call(id int64) (CallInfo, bool) {
	s.mu.Lock()
	c := s.calls[id]
	if c == nil {
		s.mu.Unlock()
		return CallInfo{}, false
	}
	info := s.callInfoLocked(c)
	s.mu.Unlock()
	info.Deliveries = s.Deliveries(id)
	return info, true
}

// Calls returns every call started so far, oldest first (without deliveries).
func (s *Simulator) Calls() []CallInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]CallInfo, 0, len(s.callOrder))
	for _, id := range s.callOrder {
		out = append(out, s.callInfoLocked(s.calls[id]))
	}
	return out
}

func (s *Simulator) callInfoLocked(c *call) CallInfo {
	state := "active"
	if c.finished {
		state = "finished"
	}
	st := c.stats()
	return CallInfo{
		WaitSeconds: st.wait, TalkSeconds: st.talk, TotalSeconds: st.total, IsTransfer: c.isTransfer(),
		EmployeeIDs:   append([]int64{}, st.employeeIDs...),
		CallSessionID: c.id, Kind: c.kind, State: state, Direction: c.direction, Source: c.source, NoNotifications: c.silent, ContactNumber: c.contact,
		VirtualNumber: c.vnum.Number, ExternalID: c.externalID, StartTime: fmtMicro(c.start),
		FinishTime: fmtMicro(c.timeAt(c.finishAt)), FinishReason: c.finishRsn, IsLost: len(c.talks) == 0,
		RecordLinks: c.recordLinks(s.mediaBaseLocked()), Timeline: append([]TimelineEntry{}, c.timeline...),
	}
}

func (s *Simulator) ctlListCalls(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, s.Calls())
}

func (s *Simulator) ctlGetCall(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, "invalid_input", "call id must be an integer")
		return
	}
	info, ok := s.Call(id)
	if !ok {
		writeJSONError(w, http.StatusNotFound, "not_found", "call not found")
		return
	}
	writeJSON(w, 200, info)
}

func (s *Simulator) ctlDeliveries(w http.ResponseWriter, r *http.Request) {
	var id int64
	if v := r.URL.Query().Get("call_session_id"); v != "" {
		var err error
		if id, err = strconv.ParseInt(v, 10, 64); err != nil || id <= 0 {
			writeJSONError(w, http.StatusBadRequest, "invalid_input", "call_session_id must be a positive integer")
			return
		}
	}
	out := s.Deliveries(id)
	if out == nil {
		out = []Delivery{}
	}
	writeJSON(w, 200, out)
}

func (s *Simulator) ctlRequests(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	api, method := q.Get("api"), q.Get("method")
	if api != "" && api != "call" && api != "data" {
		writeJSONError(w, http.StatusBadRequest, "invalid_input", "api must be call or data")
		return
	}
	out := []RequestRecord{}
	for _, rec := range s.Requests() {
		if (api == "" || rec.API == api) && (method == "" || strings.EqualFold(rec.Method, method)) {
			out = append(out, rec)
		}
	}
	writeJSON(w, 200, out)
}

func (s *Simulator) ctlSetNotifications(w http.ResponseWriter, r *http.Request) {
	var ns []Notification
	if !s.decodeBody(w, r, &ns) {
		return
	}
	if err := s.SetNotifications(ns); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, 200, s.Notifications())
}

func (s *Simulator) ctlSetFaults(w http.ResponseWriter, r *http.Request) {
	var f Faults
	if !s.decodeBody(w, r, &f) {
		return
	}
	if err := s.SetFaults(f); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, 200, f)
}

func (s *Simulator) ctlSetBehaviour(w http.ResponseWriter, r *http.Request) {
	var b Behaviour
	if !s.decodeBody(w, r, &b) {
		return
	}
	if err := s.SetBehaviour(b); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, 200, s.Behaviour())
}

func (s *Simulator) ctlSetRules(w http.ResponseWriter, r *http.Request) {
	var rules []OutgoingRule
	if !s.decodeBody(w, r, &rules) {
		return
	}
	if err := s.SetOutgoingRules(rules); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, 200, s.OutgoingRules())
}

func (s *Simulator) ctlAddRule(w http.ResponseWriter, r *http.Request) {
	var rule OutgoingRule
	if !s.decodeBody(w, r, &rule) {
		return
	}
	if err := s.AddOutgoingRule(rule); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, s.OutgoingRules())
}

// loadRequest is the body of POST /sim/v1/load: an action and, to start, a
// LoadSpec whose fields are embedded so that every LoadSpec field is accepted
// (TestLoadREADMEMatchesEndpoint compares them with the README).
type loadRequest struct {
	Action string `json:"action"` // start (default) or stop
	LoadSpec
}

func (s *Simulator) ctlLoad(w http.ResponseWriter, r *http.Request) {
	s.learnBaseURL(r)
	var req loadRequest
	if !s.decodeBody(w, r, &req) {
		return
	}
	switch req.Action {
	case "", "start":
		if err := s.StartLoad(req.LoadSpec); err != nil {
			writeErr(w, err)
			return
		}
		writeJSON(w, http.StatusAccepted, map[string]any{"load": "started"})
	case "stop":
		n := s.StopLoad()
		writeJSON(w, 200, map[string]any{"load": "stopped", "calls_started": n})
	default:
		writeJSONError(w, http.StatusBadRequest, "invalid_input", "action must be start or stop")
	}
}

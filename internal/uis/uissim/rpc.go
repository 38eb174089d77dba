package uissim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"time"
)

// rpcError is a JSON-RPC error as UIS sends it: a group code, a message and data with the
// mnemonic clients switch on.
type rpcError struct {
	Code     int
	Message  string
	Mnemonic string
	Field    string
	Value    any
	HasValue bool
	Params   map[string]any
	// uncounted errors carry no metadata.limits (parse_error, auth and IP errors...).
	uncounted bool
}

func (e *rpcError) Error() string { return e.Mnemonic + ": " + e.Message }

func newErr(code int, mnemonic, msg string) *rpcError {
	return &rpcError{Code: code, Mnemonic: mnemonic, Message: msg}
}

func (e *rpcError) withField(field string, value any) *rpcError {
	e.Field, e.Value, e.HasValue = field, value, true
	return e
}

// The common errors of the reference §1.2, with the exact UIS messages.
func errParse() *rpcError {
	return &rpcError{Code: -32700, Mnemonic: "parse_error", Message: "Invalid JSON was received by the server.", uncounted: true}
}
func errInvalidRequest() *rpcError {
	return &rpcError{Code: -32600, Mnemonic: "invalid_request", Message: "Invalid Request The JSON sent is not a valid Request object", uncounted: true}
}
func errMethodNotFound() *rpcError {
	return &rpcError{Code: -32601, Mnemonic: "method_not_found", Message: "The method does not exist / is not available", uncounted: true}
}
func errBatch() *rpcError {
	return &rpcError{Code: -32099, Mnemonic: "batch_opreations_not_supported", Message: "Batch operations not supported", uncounted: true}
}
func errNotifications() *rpcError {
	return &rpcError{Code: -32099, Mnemonic: "notifications_not_supported", Message: "Notifications not supported", uncounted: true}
}
func errTokenInvalid() *rpcError {
	return &rpcError{Code: -32001, Mnemonic: "access_token_invalid", Message: "Access token is invalid", uncounted: true}
}
func errTokenExpired() *rpcError {
	return &rpcError{Code: -32001, Mnemonic: "access_token_expired", Message: "Access token has been expired", uncounted: true}
}
func errTokenBlocked() *rpcError {
	return &rpcError{Code: -32001, Mnemonic: "access_token_blocked", Message: "Access token has been blocked", uncounted: true}
}
func errAuth() *rpcError {
	return &rpcError{Code: -32001, Mnemonic: "auth_error", Message: "Login or password is wrong", uncounted: true}
}
func errIP(ip string) *rpcError {
	return &rpcError{Code: -32003, Mnemonic: "ip_not_whitelisted", Message: fmt.Sprintf("Your IP %s is not whitelisted", ip),
		Params: map[string]any{"ip": ip}, uncounted: true}
}
func errLimit(kind string, max int) *rpcError {
	return &rpcError{Code: -32029, Mnemonic: "limit_exceeded",
		Message: fmt.Sprintf("Limit per %s has been exceeded. Value of current limit per %s is %d", kind, kind, max),
		Params:  map[string]any{"limit_type": kind, "limit_max_value": max}}
}
func errComponent(name string) *rpcError {
	return &rpcError{Code: -32008, Mnemonic: "component_disabled", Message: fmt.Sprintf("Component %s has been disabled", name),
		Params: map[string]any{"component_name": name}}
}
func errMethodComponent(name string) *rpcError {
	return &rpcError{Code: -32008, Mnemonic: "method_component_disabled",
		Message: fmt.Sprintf("You need at least on of the following components to access this method: %s", name),
		Params:  map[string]any{"components": name}}
}
func errDataType(field string, v any) *rpcError {
	return newErr(-32602, "data_type_error", "Data supplied is of wrong type").withField(field, v)
}
func errRequired(field string) *rpcError {
	e := newErr(-32602, "required_parameter_missed", "The required parameter has been missed")
	e.Field = field
	return e
}
func errInvalidValue(field string, v any) *rpcError {
	return newErr(-32602, "invalid_parameter_value", "Invalid parameter value").withField(field, v)
}
func errUnexpected(field string, v any) *rpcError {
	return newErr(-32602, "unexpected_parameters", "Unexpected method parameter(s)").withField(field, v)
}
func errCombination(field string, v any) *rpcError {
	return newErr(-32602, "invalid_parameters_combination", "The combination of parameters is not permitted").withField(field, v)
}
func errSessionNotFound(id any) *rpcError {
	return newErr(-32602, "call_session_not_found", "Call session not found").withField("call_session_id", id)
}

// RefusalMnemonics are the refusals Faults.MethodErrors can make a method answer.
var RefusalMnemonics = []string{"security", "no_active_phone_number", "forbidden", "account_inactive", "internal_error",
	"component_disabled", "limit_exceeded", "access_token_invalid", "access_token_expired", "access_token_blocked",
	"ip_not_whitelisted", "contact_in_blacklist", "employee_not_found", "virtual_phone_number_not_found"}

// refusal is the UIS error of a refusal mnemonic, with the code and message of the reference.
func (s *Simulator) refusal(mnemonic string) *rpcError {
	switch mnemonic {
	case "security":
		return s.errSecurity("")
	case "no_active_phone_number":
		return newErr(-32602, "no_active_phone_number", "The phone number does not exist or inactive")
	case "forbidden":
		return &rpcError{Code: -32003, Mnemonic: "forbidden", Message: "Permission denied", uncounted: true}
	case "account_inactive":
		return errAccountInactive()
	case "component_disabled":
		return errComponent("Call API")
	case "limit_exceeded":
		return errLimit("minute", s.acct.Limits.CallAPIMinute)
	case "access_token_invalid":
		return errTokenInvalid()
	case "access_token_expired":
		return errTokenExpired()
	case "access_token_blocked":
		return errTokenBlocked()
	case "ip_not_whitelisted":
		return errIP("127.0.0.1")
	case "contact_in_blacklist":
		return newErr(-32002, "contact_in_blacklist", "The contact has been found in the blacklist")
	case "employee_not_found":
		return newErr(-32602, "employee_not_found", "Employee not found. It is not your employee.")
	case "virtual_phone_number_not_found":
		return newErr(-32007, "virtual_phone_number_not_found", "Virtual phone number not found. It is not your virtual phone number.")
	}
	return &rpcError{Code: -32603, Mnemonic: "internal_error", Message: "Internal error, contact the support service"}
}

// errSecurity is the -32002 refusal of a call direction the security rules forbid; the real
// mnemonic is not public (Behaviour.SecurityRefusalMnemonic).
func (s *Simulator) errSecurity(contact string) *rpcError {
	e := newErr(-32002, s.behaviour().SecurityRefusalMnemonic, "The call direction is forbidden by the security rules of your account")
	if contact != "" {
		e.Params = map[string]any{"contact": contact}
		e.withField("contact", contact)
	}
	return e
}

func errAccountInactive() *rpcError {
	return &rpcError{Code: -32009, Mnemonic: "account_inactive", Message: "Your account has been disabled, contact the support service", uncounted: true}
}

// rpcRequest is a parsed envelope.
type rpcRequest struct {
	ID     any
	Method string
	Params map[string]json.RawMessage
	raw    json.RawMessage
}

// parseEnvelope applies the UIS envelope rules; the returned id is valid whenever the body
// was a JSON object, so errors can echo it.
func parseEnvelope(body []byte) (*rpcRequest, *rpcError) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if !json.Valid(trimmed) {
			return nil, errParse()
		}
		return nil, errBatch()
	}
	var env map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(&env); err != nil {
		if !json.Valid(trimmed) {
			return nil, errParse()
		}
		return nil, errInvalidRequest() // valid JSON but not an object
	}
	if dec.More() {
		return nil, errParse()
	}
	req := &rpcRequest{}
	rawID, hasID := env["id"]
	if hasID {
		var id any
		d := json.NewDecoder(bytes.NewReader(rawID))
		d.UseNumber()
		d.Decode(&id)
		switch id.(type) {
		case string, json.Number:
			req.ID = id
		default:
			return req, errInvalidRequest()
		}
	}
	for k := range env {
		switch k {
		case "jsonrpc", "id", "method", "params":
		default:
			return req, errInvalidRequest()
		}
	}
	var ver string
	if err := json.Unmarshal(env["jsonrpc"], &ver); err != nil || ver != "2.0" {
		return req, errInvalidRequest()
	}
	if err := json.Unmarshal(env["method"], &req.Method); err != nil || req.Method == "" {
		return req, errInvalidRequest()
	}
	if !hasID {
		return req, errNotifications()
	}
	req.raw = env["params"]
	if p, ok := env["params"]; ok {
		if err := json.Unmarshal(p, &req.Params); err != nil || req.Params == nil {
			return req, errInvalidRequest()
		}
	} else {
		return req, errInvalidRequest()
	}
	return req, nil
}

// RequestRecord is one Call API or Data API request the simulator received.
type RequestRecord struct {
	Seq        int64           `json:"seq"`
	API        string          `json:"api"` // "call" or "data"
	Method     string          `json:"method"`
	ID         any             `json:"id"`
	Params     json.RawMessage `json:"params,omitempty"` // as received, access_token included
	Time       time.Time       `json:"time"`
	RemoteAddr string          `json:"remote_addr"`
	Error      string          `json:"error,omitempty"` // the error mnemonic, empty on success
	ErrorCode  int             `json:"error_code,omitempty"`
}

// Requests returns the API requests received, oldest first.
func (s *Simulator) Requests() []RequestRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RequestRecord(nil), s.requests...)
}

func (s *Simulator) logRequest(rec RequestRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requestSeq++
	rec.Seq = s.requestSeq
	if len(s.requests) >= s.cfg.MaxLogEntries {
		s.requests = s.requests[1:]
	}
	s.requests = append(s.requests, rec)
}

// rpcResponse keeps the members in the usual JSON-RPC order.
type rpcResponse struct {
	JSONRPC string `json:"jsonrpc"`
	ID      any    `json:"id"`
	Result  any    `json:"result,omitempty"`
	Error   any    `json:"error,omitempty"`
}

// rpcMethod handles one method: params in, data out (object or array) or an rpcError.
type rpcMethod struct {
	component string
	public    bool // login.user: no access token
	handle    func(rc *rpcContext) (any, *rpcError)
}

// rpcContext carries one request through a method.
type rpcContext struct {
	req     *rpcRequest
	r       *http.Request
	api     string
	result  any  // data
	total   *int // metadata.total_items for get methods
	charged bool
}

// serveRPC is the common JSON-RPC endpoint: body limit, envelope, auth, IP, component,
// limits, method; it logs the request and always answers HTTP 200 with a JSON body.
func (s *Simulator) serveRPC(api string, methods map[string]rpcMethod) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.learnBaseURL(r)
		rec := RequestRecord{API: api, Time: time.Now(), RemoteAddr: r.RemoteAddr}
		var rc *rpcContext
		rerr := func() *rpcError {
			if r.Method != http.MethodPost {
				return errInvalidRequest()
			}
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					return errInvalidRequest()
				}
				return errParse()
			}
			req, perr := parseEnvelope(body)
			if req != nil {
				rec.Method, rec.ID, rec.Params = req.Method, req.ID, req.raw
				rc = &rpcContext{req: req, r: r, api: api}
			}
			if perr != nil {
				return perr
			}
			m, ok := methods[req.Method]
			if !ok {
				return errMethodNotFound()
			}
			return s.callMethod(rc, m)
		}()
		var id any
		if rc != nil && rc.req.ID != nil && s.echoErrorID(rerr) {
			id = rc.req.ID
		}
		resp := rpcResponse{JSONRPC: "2.0", ID: id}
		if rerr != nil {
			rec.Error, rec.ErrorCode = rerr.Mnemonic, rerr.Code
			data := map[string]any{"mnemonic": rerr.Mnemonic, "params": rerr.Params, "extended_helper": nil}
			if rerr.Params == nil {
				data["params"] = map[string]any{}
			}
			if rerr.Field != "" {
				data["field"] = rerr.Field
			}
			if rerr.HasValue {
				data["value"] = rerr.Value
			}
			if !rerr.uncounted {
				data["metadata"] = s.metadata(api, nil)
			}
			resp.Error = map[string]any{"code": rerr.Code, "message": rerr.Message, "data": data}
		} else {
			resp.Result = map[string]any{"data": rc.result, "metadata": s.metadata(api, rc.total)}
		}
		s.logRequest(rec)
		writeJSON(w, http.StatusOK, resp)
	}
}

func (s *Simulator) echoErrorID(e *rpcError) bool {
	if e == nil {
		return true
	}
	b := s.behaviour().EchoErrorID
	return b == nil || *b
}

// callMethod runs the checks every method shares, in the order UIS applies them as far as
// can be told: token, IP, component, limits; then the method; points are charged on success.
func (s *Simulator) callMethod(rc *rpcContext, m rpcMethod) *rpcError {
	if !m.public {
		if e := s.checkToken(rc.api, rc.req.Params); e != nil {
			return e
		}
	}
	ip := remoteIP(rc.r)
	if !s.acct.ipAllowed(net.ParseIP(ip)) {
		return errIP(ip)
	}
	if s.acct.Disabled {
		return errAccountInactive()
	}
	if m.component != "" && !s.acct.componentEnabled(m.component) {
		if rc.api == "data" {
			return errMethodComponent(m.component)
		}
		return errComponent(m.component)
	}
	weight := s.weight(rc.req.Method)
	if e := s.checkLimit(rc.api, weight); e != nil {
		return e
	}
	f := s.Faults()
	if slices.Contains(f.InternalErrorMethods, rc.req.Method) {
		return &rpcError{Code: -32603, Mnemonic: "internal_error", Message: "Internal error, contact the support service"}
	}
	if mn, ok := f.MethodErrors[rc.req.Method]; ok {
		return s.refusal(mn)
	}
	data, e := m.handle(rc)
	if e != nil {
		return e
	}
	rc.result = data
	s.charge(rc.api, weight)
	return nil
}

func (s *Simulator) weight(method string) int {
	if w, ok := s.acct.Limits.MethodWeights[method]; ok && w > 0 {
		return w
	}
	return 1
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Simulator) checkToken(api string, params map[string]json.RawMessage) *rpcError {
	raw, ok := params["access_token"]
	if !ok {
		return errRequired("access_token")
	}
	var tok string
	if err := json.Unmarshal(raw, &tok); err != nil {
		return errDataType("access_token", rawValue(raw))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if exp, ok := s.sessions[tok]; ok {
		if time.Now().Before(exp) {
			return nil
		}
		delete(s.sessions, tok)
		return errTokenInvalid() // an expired session key is simply invalid
	}
	for _, k := range s.acct.APIKeys {
		if k.Key != tok {
			continue
		}
		switch {
		case k.Blocked:
			return errTokenBlocked()
		case k.ExpiresAt != nil && s.now().After(*k.ExpiresAt):
			return errTokenExpired()
		case len(k.APIs) > 0 && !slices.Contains(k.APIs, api):
			return &rpcError{Code: -32003, Mnemonic: "forbidden", Message: "Permission denied", uncounted: true}
		}
		return nil
	}
	return errTokenInvalid()
}

// limitWindow counts points of one API in the current minute and day.
type limitWindow struct {
	minuteStart, dayStart time.Time
	minute, day           int
}

func (s *Simulator) limitMax(api string) (minute, day int) {
	l := s.acct.Limits
	if api == "data" {
		return l.DataAPIMinute, l.DataAPIDay
	}
	return l.CallAPIMinute, l.CallAPIDay
}

// windowLocked returns the api's counters, reset when their minute or day rolled over.
// Limits run on real time (not the scaled call clock) because they throttle real clients.
func (s *Simulator) windowLocked(api string) *limitWindow {
	now := time.Now().In(s.tz)
	w := s.limits[api]
	if w == nil {
		w = &limitWindow{}
		s.limits[api] = w
	}
	if m := now.Truncate(time.Minute); !m.Equal(w.minuteStart) {
		w.minuteStart, w.minute = m, 0
	}
	y, mo, d := now.Date()
	if day := time.Date(y, mo, d, 0, 0, 0, 0, s.tz); !day.Equal(w.dayStart) {
		w.dayStart, w.day = day, 0
	}
	return w
}

// checkLimit refuses a request whose points would not fit in what is left.
func (s *Simulator) checkLimit(api string, weight int) *rpcError {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.windowLocked(api)
	mMax, dMax := s.limitMax(api)
	if w.day+weight > dMax {
		return errLimit("day", dMax)
	}
	if w.minute+weight > mMax {
		return errLimit("minute", mMax)
	}
	return nil
}

func (s *Simulator) charge(api string, weight int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.windowLocked(api)
	w.minute += weight
	w.day += weight
}

func (s *Simulator) metadata(api string, total *int) map[string]any {
	s.mu.Lock()
	w := s.windowLocked(api)
	mMax, dMax := s.limitMax(api)
	now := time.Now().In(s.tz)
	md := map[string]any{"limits": map[string]any{
		"day_limit": dMax, "day_remaining": max(dMax-w.day, 0), "day_reset": int64(w.dayStart.AddDate(0, 0, 1).Sub(now).Seconds()),
		"minute_limit": mMax, "minute_remaining": max(mMax-w.minute, 0), "minute_reset": int64(w.minuteStart.Add(time.Minute).Sub(now).Seconds()),
	}}
	s.mu.Unlock()
	if total != nil {
		md["total_items"] = *total
	}
	return md
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal","message":"encoding failed"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func writeJSONError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg}})
}

// rawValue decodes a raw JSON value for error.data.value, keeping numbers exact.
func rawValue(raw json.RawMessage) any {
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if d.Decode(&v) != nil {
		return string(raw)
	}
	return v
}

package uissim

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

func (s *Simulator) callAPIMethods() map[string]rpcMethod {
	return map[string]rpcMethod{
		"login.user":          {component: ComponentCallAPIBasic, public: true, handle: s.loginUser},
		"logout.user":         {component: ComponentCallAPIBasic, handle: s.logoutUser},
		"start.employee_call": {component: ComponentCallAPIBasic, handle: s.startEmployeeCall},
		"release.call":        {component: ComponentCallAPIBasic, handle: s.releaseCall},
		"list.calls":          {component: ComponentCallAPIManagement, handle: s.listCalls},
	}
}

var (
	messageSpec           = []pspec{{name: "type", typ: tString, required: true}, {name: "value", typ: tString, required: true}}
	employeeSpec          = []pspec{{name: "id", typ: tInt, required: true}, {name: "phone_number", typ: tString}}
	startEmployeeCallSpec = []pspec{
		{name: "access_token", typ: tString, required: true},
		{name: "first_call", typ: tString, required: true},
		{name: "switch_at_once", typ: tBool},
		{name: "early_switching", typ: tBool},
		{name: "media_file_id", typ: tInt},
		{name: "virtual_phone_number", typ: tString, required: true},
		{name: "virtual_phone_usage_rule", typ: tString},
		{name: "show_virtual_phone_number", typ: tBool},
		{name: "contact", typ: tString, required: true},
		{name: "external_id", typ: tString},
		{name: "dtmf_string", typ: tString},
		{name: "direction", typ: tString},
		{name: "employee", typ: tObject, required: true, sub: employeeSpec},
		{name: "contact_message", typ: tObject, sub: messageSpec},
		{name: "employee_message", typ: tObject, sub: messageSpec},
	}
	dtmfRE   = regexp.MustCompile(`^[0-9*#.]+$`)
	digitsRE = regexp.MustCompile(`^[0-9]+$`)
)

var usageRules = []string{"fixed", "fixed_for_numa", "random", "regional_random", "regional_fixed_for_numa"}

func (s *Simulator) loginUser(rc *rpcContext) (any, *rpcError) {
	if e := checkParams(rc.req.Params, []pspec{{name: "login", typ: tString, required: true}, {name: "password", typ: tString, required: true}}, ""); e != nil {
		return nil, e
	}
	a := args(rc.req.Params)
	for _, u := range s.acct.Users {
		if u.Login == a.str("login") && u.Password == a.str("password") {
			s.mu.Lock()
			tok := s.hexLocked(72)
			exp := time.Now().Add(s.cfg.SessionTTL)
			s.sessions[tok] = exp
			s.mu.Unlock()
			data := map[string]any{"access_token": tok, "expire_at": exp.Unix()}
			if rc.api == "data" {
				data["app_id"] = s.acct.AppID
			}
			return data, nil
		}
	}
	return nil, errAuth()
}

func (s *Simulator) logoutUser(rc *rpcContext) (any, *rpcError) {
	if e := checkParams(rc.req.Params, []pspec{{name: "access_token", typ: tString, required: true}}, ""); e != nil {
		return nil, e
	}
	s.mu.Lock()
	delete(s.sessions, args(rc.req.Params).str("access_token"))
	s.mu.Unlock()
	return map[string]any{"success": true}, nil
}

// startEmployeeCall validates like UIS (types, then values, then account lookups) and starts
// an outgoing scenario whose outcome comes from the outgoing rules.
func (s *Simulator) startEmployeeCall(rc *rpcContext) (any, *rpcError) {
	if e := checkParams(rc.req.Params, startEmployeeCallSpec, ""); e != nil {
		return nil, e
	}
	if !utf8.Valid(rc.req.raw) {
		return nil, newErr(-32602, "character_encoding_not_allowed", "The character encoding must be UTF-8")
	}
	a := args(rc.req.Params)
	first := a.str("first_call")
	if first != "employee" && first != "contact" {
		return nil, errInvalidValue("first_call", first)
	}
	dir := s.behaviour().DefaultDirection
	if a.has("direction") {
		dir = a.str("direction")
		if dir != "in" && dir != "out" {
			return nil, errInvalidValue("direction", dir)
		}
	}
	if a.has("virtual_phone_usage_rule") && !slices.Contains(usageRules, a.str("virtual_phone_usage_rule")) {
		return nil, errInvalidValue("virtual_phone_usage_rule", a.str("virtual_phone_usage_rule"))
	}
	if a.boolean("early_switching") && (first != "employee" || !a.boolean("switch_at_once")) {
		return nil, errCombination("early_switching", true)
	}
	if a.has("dtmf_string") && !dtmfRE.MatchString(a.str("dtmf_string")) {
		return nil, errInvalidValue("dtmf_string", a.str("dtmf_string"))
	}
	contact, vnum := a.str("contact"), a.str("virtual_phone_number")
	if !digitsRE.MatchString(contact) {
		return nil, errDataType("contact", contact)
	}
	if !digitsRE.MatchString(vnum) {
		return nil, errDataType("virtual_phone_number", vnum)
	}
	if _, ok := s.acct.virtualNumber(vnum); !ok {
		e := newErr(-32007, "virtual_phone_number_not_found", fmt.Sprintf("Virtual phone number %s not found. It is not your virtual phone number.", vnum))
		e.Params = map[string]any{"virtual_phone_number": vnum}
		return nil, e.withField("virtual_phone_number", vnum)
	}
	if _, own := s.acct.virtualNumber(contact); own {
		return nil, newErr(-32602, "own_virtual_phone_number_not_allowed", "Parameter `contact` can not contain own virtual phone number").withField("contact", contact)
	}
	if s.acct.blacklisted(contact) {
		e := newErr(-32002, "contact_in_blacklist", fmt.Sprintf("The contact %s has been found in the blacklist", contact))
		e.Params = map[string]any{"contact": contact}
		return nil, e.withField("contact", contact)
	}
	if !s.acct.SecurityRules.InternationalCalls && !domestic(contact) {
		return nil, s.errSecurity(contact)
	}
	emp := a.obj("employee")
	empID := emp.int("id")
	employee, ok := s.acct.employee(empID)
	if !ok {
		e := newErr(-32602, "employee_not_found", fmt.Sprintf("Employee with id %d not found. It is not your employee.", empID))
		e.Params = map[string]any{"employee_id": empID}
		return nil, e.withField("employee.id", empID)
	}
	if e := checkEmployeePhone(employee, emp); e != nil {
		return nil, e
	}
	if a.has("media_file_id") && !slices.Contains(s.acct.MediaFiles, a.int("media_file_id")) {
		return nil, errMediaNotFound("media_file_id", a.int("media_file_id"))
	}
	for _, k := range []string{"contact_message", "employee_message"} {
		if a.has(k) {
			if e := s.checkMessage(k, a.obj(k)); e != nil {
				return nil, e
			}
		}
	}
	s.mu.Lock()
	reqID := s.newIDLocked()
	s.mu.Unlock()
	id, err := s.StartCall(rc.r.Context(), CallSpec{
		Kind: KindOutgoing, ContactNumber: contact, VirtualNumber: vnum, EmployeeIDs: []int64{empID},
		ExternalID: a.str("external_id"), Direction: dir, FirstCall: first, Source: "callapi", callAPIRequestID: reqID,
	})
	if err != nil {
		return nil, &rpcError{Code: -32603, Mnemonic: "internal_error", Message: "Internal error, contact the support service"}
	}
	return map[string]any{"call_session_id": id}, nil
}

// domestic reports whether a number is in the account's home numbering plan (country code 7:
// Russia and Kazakhstan); calls elsewhere are international.
func domestic(num string) bool { return len(num) == 11 && strings.HasPrefix(num, "7") }

func checkEmployeePhone(e Employee, emp args) *rpcError {
	noPhone := func(v any) *rpcError {
		return newErr(-32602, "no_active_phone_number", "The phone number does not exist or inactive").withField("employee.phone_number", v)
	}
	if !emp.has("phone_number") {
		if firstPhone(e) == "" {
			return noPhone(nil)
		}
		return nil
	}
	want := emp.str("phone_number")
	for _, p := range e.PhoneNumbers {
		if (p.Number == want || e.Extension == want) && !p.Inactive {
			return nil
		}
	}
	return noPhone(want)
}

func errMediaNotFound(field string, id any) *rpcError {
	e := newErr(-32602, "media_file_not_found", fmt.Sprintf("The media file with id %v not found", id))
	e.Params = map[string]any{"media_file_id": id}
	return e.withField(field, id)
}

func (s *Simulator) checkMessage(field string, m args) *rpcError {
	typ, val := m.str("type"), m.str("value")
	switch typ {
	case "tts":
		if n := utf8.RuneCountInString(val); n > s.acct.TTSMaxLength {
			e := newErr(-32602, "tts_text_exceeded", fmt.Sprintf("The maximum length of Text-to-Speech message is %d. The length of your message is %d", s.acct.TTSMaxLength, n))
			e.Params = map[string]any{"tts_message_max_length": s.acct.TTSMaxLength, "sent_tts_message_length": n}
			return e.withField(field+".value", val)
		}
	case "media":
		id, err := strconv.ParseInt(val, 10, 64)
		if err != nil || !slices.Contains(s.acct.MediaFiles, id) {
			return errMediaNotFound(field+".value", val)
		}
	default:
		return errInvalidValue(field+".type", typ)
	}
	return nil
}

func (s *Simulator) releaseCall(rc *rpcContext) (any, *rpcError) {
	spec := []pspec{{name: "access_token", typ: tString, required: true}, {name: "call_session_id", typ: tInt, required: true}}
	if e := checkParams(rc.req.Params, spec, ""); e != nil {
		return nil, e
	}
	id := args(rc.req.Params).int("call_session_id")
	s.mu.Lock()
	c := s.calls[id]
	if c == nil || c.finished {
		s.mu.Unlock()
		return nil, errSessionNotFound(id)
	}
	s.releaseLocked(c)
	s.mu.Unlock()
	return s.success(), nil
}

// success is the management-method result; the docs show the string "true" [U].
func (s *Simulator) success() map[string]any {
	if s.behaviour().SuccessAsBool {
		return map[string]any{"success": true}
	}
	return map[string]any{"success": "true"}
}

// Leg states as UIS reports them in list.calls: Russian strings.
const (
	stateDialing      = "Дозвон"
	stateTalk         = "Разговор"
	stateDisconnected = "Разъединено"
)

func (s *Simulator) listCalls(rc *rpcContext) (any, *rpcError) {
	spec := []pspec{{name: "access_token", typ: tString, required: true}, {name: "direction", typ: tString}, {name: "virtual_phone_number", typ: tString}}
	if e := checkParams(rc.req.Params, spec, ""); e != nil {
		return nil, e
	}
	a := args(rc.req.Params)
	dir, vnum := a.str("direction"), a.str("virtual_phone_number")
	if a.has("direction") && dir != "in" && dir != "out" {
		return nil, errInvalidValue("direction", dir)
	}
	if a.has("virtual_phone_number") && !strings.HasPrefix(vnum, "7") {
		return nil, errInvalidValue("virtual_phone_number", vnum)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, id := range s.callOrder {
		c := s.calls[id]
		if c.finished || (dir != "" && c.direction != dir) || (vnum != "" && c.vnum.Number != vnum) {
			continue
		}
		out = append(out, s.activeCallLocked(c))
	}
	return out, nil
}

func (s *Simulator) activeCallLocked(c *call) map[string]any {
	e := s.elapsed(c)
	legs := []any{}
	for _, l := range c.legs {
		if l.dialAt > e {
			continue
		}
		state := stateDialing
		switch {
		case l.endAt <= e:
			state = stateDisconnected
		case c.talkingLocked(l.id, e):
			state = stateTalk
		}
		lm := map[string]any{"leg_id": l.id, "calling_phone_number": l.calling, "called_phone_number": l.called,
			"is_operator": l.employee != nil, "employee_id": empID(l.employee), "employee_full_name": empName(l.employee),
			"record_call_enabled": true, "state": state}
		legs = append(legs, lm)
	}
	tags := []any{}
	for _, id := range c.tagIDs {
		tags = append(tags, map[string]any{"tag_id": id, "tag_name": strings.Join(s.acct.tagNames([]int64{id}), "")})
	}
	return map[string]any{"call_session_id": c.id, "direction": c.direction, "start_time": c.start.Format(layoutData),
		"virtual_phone_number": c.vnum.Number, "contact_phone_number": c.contact, "external_id": nullStr(c.externalID),
		"tags": tags, "legs": legs}
}

// talkingLocked reports whether the leg is in a conversation at offset e; a leg that is up
// but not talking (the caller waiting for an employee) is still "Дозвон".
func (c *call) talkingLocked(legID int64, e float64) bool {
	for _, t := range c.talks {
		if t.at <= e && e < t.end && slices.Contains(t.legIDs, legID) {
			return true
		}
	}
	return false
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

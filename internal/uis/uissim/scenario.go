package uissim

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"
)

// ScenarioKind names how a simulated call plays out.
type ScenarioKind string

// The scenario kinds.
const (
	KindIncomingAnswered ScenarioKind = "incoming_answered"
	KindIncomingMissed   ScenarioKind = "incoming_missed"
	KindIncomingTransfer ScenarioKind = "incoming_transfer"
	KindOutgoing         ScenarioKind = "outgoing"
	// KindInformer is an informer call (start.informer_call, an auto-dialler message): the
	// contact is dialled, hears a message for TalkSeconds if they answer, and no employee
	// takes part. Its source defaults to callapi_informer_call.
	KindInformer ScenarioKind = "informer"
)

// Outgoing outcomes: what the contact does when an outgoing call reaches them.
const (
	OutcomeAnswered = "answered"
	OutcomeBusy     = "busy"
	OutcomeNoAnswer = "no_answer"
)

// Defaults for scenario timings, in simulated seconds.
const (
	defaultWait         = 5
	defaultTalk         = 30
	defaultNoAnswerWait = 30
	defaultTransferWait = 3
)

// CallSpec describes a call to simulate. Zero numbers take defaults; EmployeeIDs default to
// the account's first employee (two for a transfer, all for a missed call).
type CallSpec struct {
	Kind          ScenarioKind `json:"kind"`
	ContactNumber string       `json:"contact_number"`
	// ContactName overrides the address-book name of the contact (empty: look it up).
	ContactName   string  `json:"contact_name,omitempty"`
	VirtualNumber string  `json:"virtual_number,omitempty"`
	EmployeeIDs   []int64 `json:"employee_ids,omitempty"`
	// WaitSeconds is the ring time before the employee answers (incoming), before the caller
	// gives up (missed) or before the contact answers or the dialling stops (outgoing).
	WaitSeconds int64 `json:"wait_seconds,omitempty"`
	TalkSeconds int64 `json:"talk_seconds,omitempty"`
	// TransferWaitSeconds and TransferTalkSeconds time the second employee of a transfer.
	TransferWaitSeconds int64 `json:"transfer_wait_seconds,omitempty"`
	TransferTalkSeconds int64 `json:"transfer_talk_seconds,omitempty"`
	// Outcome of an outgoing call: answered, busy or no_answer (empty: outgoing rules, then
	// Config.Outgoing).
	Outcome string `json:"outcome,omitempty"`
	// HangupBy is who ends an answered call: "contact" (default) or "employee".
	HangupBy   string  `json:"hangup_by,omitempty"`
	ExternalID string  `json:"external_id,omitempty"`
	TagIDs     []int64 `json:"tag_ids,omitempty"`
	// Direction is the session direction (default "in" for incoming, "out" for outgoing).
	Direction string `json:"direction,omitempty"`
	// FirstCall is who an outgoing call dials first: "employee" (default) or "contact".
	FirstCall string `json:"first_call,omitempty"`
	// Source is call_source (default "va"; Call API calls use "callapi").
	Source string `json:"source,omitempty"`
	// NoNotifications makes a call whose notifications go elsewhere (the other business on a
	// shared account): it appears in the Data API reports and list.calls only.
	NoNotifications bool `json:"no_notifications,omitempty"`

	callAPIRequestID int64
	// foreign* plan a shared-account session: a number and employee that are not the account's.
	foreignNumber   string
	foreignEmployee *Employee
}

// OutgoingRule decides how an outgoing call plays out. Empty Contact or zero EmployeeID match
// any; Times > 0 makes the rule apply to that many calls and then vanish.
type OutgoingRule struct {
	Contact     string `json:"contact,omitempty"`
	EmployeeID  int64  `json:"employee_id,omitempty"`
	Outcome     string `json:"outcome"`
	WaitSeconds int64  `json:"wait_seconds,omitempty"`
	TalkSeconds int64  `json:"talk_seconds,omitempty"`
	Times       int    `json:"times,omitempty"`
}

func (r OutgoingRule) withDefaults() OutgoingRule {
	if r.Outcome == "" {
		r.Outcome = OutcomeAnswered
	}
	return r
}

func (r OutgoingRule) validate() error {
	switch r.Outcome {
	case OutcomeAnswered, OutcomeBusy, OutcomeNoAnswer:
	default:
		return fmt.Errorf("outcome must be answered, busy or no_answer, not %q", r.Outcome)
	}
	if r.WaitSeconds < 0 || r.TalkSeconds < 0 || r.Times < 0 || r.EmployeeID < 0 {
		return errors.New("wait_seconds, talk_seconds, times and employee_id must not be negative")
	}
	if r.Contact != "" && !phoneRE.MatchString(r.Contact) {
		return fmt.Errorf("contact %q must be 11-15 digits without +", r.Contact)
	}
	return nil
}

var phoneRE = regexp.MustCompile(`^[0-9]{11,15}$`)

// InputError is a validation error of a control request or CallSpec.
type InputError struct{ Message string }

// Error describes the invalid input.
func (e *InputError) Error() string { return "uissim: " + e.Message }

func inputErr(format string, a ...any) error { return &InputError{Message: fmt.Sprintf(format, a...)} }

// leg is one CDR leg; times are offsets from the call start in simulated seconds.
type leg struct {
	id                      int64
	employee                *Employee // nil for the contact leg
	phone                   string    // employee number dialled
	calling, called         string
	direction               string
	dialAt, answerAt, endAt float64 // answerAt < 0: not answered
	finishReason            string
	transfer                bool
}

// talk is one conversation between the contact and an employee.
type talk struct {
	employee Employee
	phone    string
	at, end  float64
	legIDs   []int64
	hash     string // recording link id
}

// call is one simulated call session: its full plan (legs, talks, finish) plus its progress.
type call struct {
	id          int64
	kind        ScenarioKind
	outgoing    bool
	direction   string
	source      string
	contact     string
	contactName string
	contactID   int64
	contactGrp  []int64
	vnum        VirtualNumber
	externalID  string
	apiReqID    int64
	tagIDs      []int64
	initiator   *Employee // employee of an outgoing call
	start       time.Time
	realStart   time.Time
	legs        []*leg
	talks       []*talk
	finishAt    float64
	finishRsn   string
	hangupBy    string
	informer    bool
	silent      bool    // no notifications: a shared-account session of the other business
	earlyTalk   bool    // Behaviour.EarlyTalkEvent when the call was planned
	readyAfter  float64 // Behaviour.RecordingReadySeconds when the call was planned

	emitted   int
	finished  bool
	timeline  []TimelineEntry
	queue     []*job
	held      []*job // jobs held back until the end when shuffling
	lineDone  bool
	wake      chan struct{}
	queueWake chan struct{}
}

// plannedEvent is one notification-producing event of a call: talk indexes c.talks for
// conversation_started and recording_ready; leg is set for the early talk event of a
// click-to-call, which belongs to a leg rather than a talk.
type plannedEvent struct {
	at   float64
	typ  EventType
	talk int
	leg  *leg
}

// events plans the call's events in time order: started, [early talk,] talks, finished, then
// one recording_ready per talk once its recording is ready.
func (c *call) events() []plannedEvent {
	first := EventIncomingCallStarted
	if c.outgoing {
		first = EventOutgoingCallStarted
	}
	evs := []plannedEvent{{at: 0, typ: first, talk: -1}}
	if l := c.earlyLeg(); l != nil {
		evs = append(evs, plannedEvent{at: l.answerAt, typ: EventConversationStarted, talk: -1, leg: l})
	}
	for i, t := range c.talks {
		evs = append(evs, plannedEvent{at: t.at, typ: EventConversationStarted, talk: i})
	}
	evs = append(evs, plannedEvent{at: c.finishAt, typ: EventCallFinished, talk: -1})
	for i := range c.talks {
		evs = append(evs, plannedEvent{at: c.finishAt + c.readyAfter, typ: EventRecordingReady, talk: i})
	}
	return evs
}

// earlyLeg is the employee leg whose pickup fires an early talk event (Behaviour.EarlyTalkEvent):
// the first-dialled leg of an outgoing call when it is an employee's and answers before any
// talk begins.
func (c *call) earlyLeg() *leg {
	if !c.earlyTalk || !c.outgoing || len(c.legs) == 0 {
		return nil
	}
	l := c.legs[0]
	if l.employee == nil || l.answerAt < 0 || l.answerAt > c.finishAt || (len(c.talks) > 0 && l.answerAt >= c.talks[0].at) {
		return nil
	}
	return l
}

func (c *call) timeAt(off float64) time.Time {
	return c.start.Add(time.Duration(off * float64(time.Second)))
}

// StartCall starts a scenario and returns its call_session_id; notifications follow on the
// simulated clock.
func (s *Simulator) StartCall(ctx context.Context, spec CallSpec) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, errors.New("uissim: simulator closed")
	}
	c, err := s.planLocked(spec)
	if err != nil {
		return 0, err
	}
	s.runLocked(c)
	if sh := s.acct.Behaviour.SharedAccount; sh != nil && !spec.NoNotifications {
		for i := 0; i < sh.CallsPerCall; i++ {
			fc, err := s.planLocked(s.sharedSpecLocked(sh))
			if err != nil {
				s.log.Warn("uissim: shared-account call", "err", err)
				continue
			}
			s.runLocked(fc)
		}
	}
	return c.id, nil
}

// runLocked registers a planned call and starts its timeline and deliveries.
func (s *Simulator) runLocked(c *call) {
	s.calls[c.id] = c
	s.callOrder = append(s.callOrder, c.id)
	s.pruneCallsLocked()
	s.addWorkLocked(c.id)
	s.wg.Add(2)
	go s.runTimeline(c)
	go s.runDeliveries(c)
	s.log.Info("uissim: call started", "call_session_id", c.id, "kind", c.kind, "contact", c.contact, "silent", c.silent)
}

// foreignEmployee answers the other business's calls on a shared account.
var foreignEmployee = Employee{ID: 399001, FirstName: "Ольга", LastName: "Другова", Patronymic: "Ивановна", Extension: "901",
	PhoneNumbers: []EmployeePhone{{ID: 699001, Number: "79169990001"}}}

// sharedSpecLocked is the next session of the other business on a shared account: an
// incoming call to one of its numbers, or a call of another source on the account's own first
// number (auto-dialler, informer, SIP phone, another Call API integration).
func (s *Simulator) sharedSpecLocked(sh *SharedAccount) CallSpec {
	i := s.sharedNext % (len(sh.VirtualNumbers) + len(sh.Sources))
	s.sharedNext++
	fe := foreignEmployee
	spec := CallSpec{ContactNumber: "79" + fmt.Sprintf("%09d", s.rng.IntN(1_000_000_000)), NoNotifications: true,
		WaitSeconds: 3, TalkSeconds: 20, foreignEmployee: &fe}
	if i < len(sh.VirtualNumbers) {
		spec.Kind, spec.Source, spec.foreignNumber = KindIncomingAnswered, "va", sh.VirtualNumbers[i]
		return spec
	}
	spec.Source = sh.Sources[i-len(sh.VirtualNumbers)]
	spec.Kind, spec.Outcome, spec.Direction = KindOutgoing, OutcomeAnswered, "out"
	switch spec.Source {
	case "callapi_informer_call", "ivr_informer":
		spec.Kind, spec.Outcome, spec.foreignEmployee = KindInformer, "", nil
	case "auto_out_calls", "progressive_call":
		spec.FirstCall = "contact"
	}
	return spec
}

// pruneCallsLocked forgets the oldest finished calls beyond Config.MaxCalls.
func (s *Simulator) pruneCallsLocked() {
	excess := len(s.callOrder) - s.cfg.MaxCalls
	if excess <= 0 {
		return
	}
	kept := s.callOrder[:0]
	for _, id := range s.callOrder {
		c := s.calls[id]
		if excess > 0 && c.finished {
			excess--
			for _, t := range c.talks {
				delete(s.records, t.hash)
			}
			delete(s.calls, id)
			continue
		}
		kept = append(kept, id)
	}
	s.callOrder = kept
}

func (s *Simulator) planLocked(spec CallSpec) (*call, error) {
	a := s.acct
	if !phoneRE.MatchString(spec.ContactNumber) {
		return nil, inputErr("contact_number %q must be 11-15 digits without +", spec.ContactNumber)
	}
	for _, n := range []int64{spec.WaitSeconds, spec.TalkSeconds, spec.TransferWaitSeconds, spec.TransferTalkSeconds} {
		if n < 0 || n > 86400 {
			return nil, inputErr("durations must be within 0..86400 seconds")
		}
	}
	vn := a.VirtualNumbers[0]
	if spec.foreignNumber != "" {
		vn = VirtualNumber{Number: spec.foreignNumber, Name: "Другой бизнес", ScenarioID: 9901, ScenarioName: "Другой бизнес: входящие"}
	} else if spec.VirtualNumber != "" {
		v, ok := a.virtualNumber(spec.VirtualNumber)
		if !ok {
			return nil, inputErr("virtual_number %s is not a number of the account", spec.VirtualNumber)
		}
		vn = v
	}
	var emps []Employee
	if spec.foreignEmployee != nil {
		emps = []Employee{*spec.foreignEmployee}
	}
	for _, id := range spec.EmployeeIDs {
		e, ok := a.employee(id)
		if !ok {
			return nil, inputErr("employee %d not found", id)
		}
		emps = append(emps, e)
	}
	for _, id := range spec.TagIDs {
		if len(a.tagNames([]int64{id})) == 0 {
			return nil, inputErr("tag %d not found", id)
		}
	}
	switch spec.HangupBy {
	case "", "contact", "employee":
	default:
		return nil, inputErr("hangup_by must be contact or employee")
	}
	if spec.Direction != "" && spec.Direction != "in" && spec.Direction != "out" {
		return nil, inputErr("direction must be in or out")
	}
	c := &call{
		id: s.newIDLocked(), kind: spec.Kind, contact: spec.ContactNumber, vnum: vn,
		externalID: spec.ExternalID, apiReqID: spec.callAPIRequestID, tagIDs: spec.TagIDs,
		start: s.now(), realStart: time.Now(), source: spec.Source, direction: spec.Direction,
		hangupBy: spec.HangupBy, wake: make(chan struct{}, 1), queueWake: make(chan struct{}, 1),
		silent: spec.NoNotifications, earlyTalk: a.Behaviour.EarlyTalkEvent, readyAfter: a.Behaviour.RecordingReadySeconds,
	}
	if c.source == "" {
		c.source = "va"
		if spec.Kind == KindInformer {
			c.source = "callapi_informer_call"
		}
	}
	if ct, ok := a.contactByNumber(spec.ContactNumber); ok {
		c.contactID, c.contactName, c.contactGrp = ct.ID, ct.FullName, ct.GroupIDs
	}
	if spec.ContactName != "" {
		c.contactName = spec.ContactName
	}
	wait, talkS := orDefault(spec.WaitSeconds, defaultWait), orDefault(spec.TalkSeconds, defaultTalk)
	var err error
	switch spec.Kind {
	case KindIncomingAnswered:
		err = s.planIncoming(c, pick(emps, a.Employees, 1), wait, talkS, spec)
	case KindIncomingTransfer:
		err = s.planIncoming(c, pick(emps, a.Employees, 2), wait, talkS, spec)
	case KindIncomingMissed:
		err = s.planMissed(c, pick(emps, a.Employees, len(a.Employees)), wait)
	case KindOutgoing:
		err = s.planOutgoing(c, pick(emps, a.Employees, 1)[0], spec)
	case KindInformer:
		err = s.planInformer(c, wait, talkS, spec)
	default:
		return nil, inputErr("kind must be incoming_answered, incoming_missed, incoming_transfer, outgoing or informer, not %q", spec.Kind)
	}
	if err != nil {
		return nil, err
	}
	if c.direction == "" {
		c.direction = map[bool]string{true: "out", false: "in"}[c.outgoing]
	}
	for _, t := range c.talks {
		t.hash = s.hexLocked(32)
		s.records[t.hash] = &recording{callID: c.id, seconds: t.seconds()}
	}
	return c, nil
}

func orDefault(v, d int64) float64 {
	if v <= 0 {
		return float64(d)
	}
	return float64(v)
}

// pick returns the chosen employees, or the first n of the account when none were chosen.
func pick(chosen, all []Employee, n int) []Employee {
	if len(chosen) > 0 {
		return chosen
	}
	return all[:min(n, len(all))]
}

func firstPhone(e Employee) string {
	for _, p := range e.PhoneNumbers {
		if !p.Inactive {
			return p.Number
		}
	}
	return ""
}

func (s *Simulator) contactLeg(dir, calling, called string) *leg {
	return &leg{id: s.newIDLocked(), calling: calling, called: called, direction: dir, answerAt: -1}
}

func (s *Simulator) employeeLeg(e Employee, calling string) *leg {
	e2 := e
	ph := firstPhone(e)
	return &leg{id: s.newIDLocked(), employee: &e2, phone: ph, calling: calling, called: ph, direction: "out", answerAt: -1}
}

func (c *call) hangupReason() string {
	if c.hangupBy == "employee" {
		return "operator_disconnects"
	}
	return "subscriber_disconnects"
}

// planIncoming plans an answered call, or a transfer when two employees are given: the first
// talks, then transfers; the second rings for the transfer wait and talks to the end.
func (s *Simulator) planIncoming(c *call, emps []Employee, wait, talkS float64, spec CallSpec) error {
	if spec.Kind == KindIncomingTransfer && len(emps) < 2 {
		return inputErr("incoming_transfer needs two employees")
	}
	if spec.Kind == KindIncomingAnswered && len(emps) != 1 {
		return inputErr("incoming_answered takes one employee")
	}
	cl := s.contactLeg("in", c.contact, c.vnum.Number)
	cl.answerAt = 0
	e1 := s.employeeLeg(emps[0], c.contact)
	e1.answerAt = wait
	end := wait + talkS
	e1.endAt = end
	c.legs = []*leg{cl, e1}
	c.talks = []*talk{{employee: emps[0], phone: e1.phone, at: wait, end: end, legIDs: []int64{cl.id, e1.id}}}
	if spec.Kind == KindIncomingTransfer {
		tw := orDefault(spec.TransferWaitSeconds, defaultTransferWait)
		tt := orDefault(spec.TransferTalkSeconds, int64(talkS))
		e1.finishReason = "transfer_disconnects"
		e2 := s.employeeLeg(emps[1], c.contact)
		e2.transfer = true
		e2.dialAt, e2.answerAt = end, end+tw
		end = end + tw + tt
		e2.endAt = end
		c.legs = append(c.legs, e2)
		c.talks = append(c.talks, &talk{employee: emps[1], phone: e2.phone, at: e2.answerAt, end: end, legIDs: []int64{cl.id, e2.id}})
	}
	cl.endAt, c.finishAt, c.finishRsn = end, end, c.hangupReason()
	for _, l := range c.legs {
		if l.finishReason == "" {
			l.finishReason = c.finishRsn
		}
	}
	return nil
}

// planMissed plans a lost call: every employee rings until the caller gives up.
func (s *Simulator) planMissed(c *call, emps []Employee, wait float64) error {
	cl := s.contactLeg("in", c.contact, c.vnum.Number)
	cl.answerAt, cl.endAt, cl.finishReason = 0, wait, "subscriber_disconnects"
	c.legs = []*leg{cl}
	for _, e := range emps {
		l := s.employeeLeg(e, c.contact)
		l.endAt, l.finishReason = wait, "subscriber_disconnects"
		c.legs = append(c.legs, l)
	}
	c.finishAt, c.finishRsn = wait, "subscriber_disconnects"
	return nil
}

// planOutgoing plans a click-to-call: by default the employee's phone rings first; once the
// employee picks up the contact is dialled and answers, is busy or does not answer.
func (s *Simulator) planOutgoing(c *call, e Employee, spec CallSpec) error {
	c.outgoing = true
	e2 := e
	c.initiator = &e2
	switch spec.FirstCall {
	case "", "employee", "contact":
	default:
		return inputErr("first_call must be employee or contact")
	}
	// An explicit outcome wins; only otherwise is a (possibly counted) rule consumed.
	var rule OutgoingRule
	if spec.Outcome != "" {
		rule = OutgoingRule{Outcome: spec.Outcome}
		if err := rule.validate(); err != nil {
			return inputErr("%v", err)
		}
	} else {
		rule = s.outgoingRuleLocked(c.contact, e.ID)
	}
	if spec.WaitSeconds > 0 {
		rule.WaitSeconds = spec.WaitSeconds
	}
	if spec.TalkSeconds > 0 {
		rule.TalkSeconds = spec.TalkSeconds
	}
	ring := orDefault(rule.WaitSeconds, defaultWait)
	if rule.Outcome == OutcomeNoAnswer {
		ring = orDefault(rule.WaitSeconds, defaultNoAnswerWait)
	}
	talkS := orDefault(rule.TalkSeconds, defaultTalk)
	pickup := float64(s.acct.Behaviour.EmployeeAnswerSeconds)
	el := s.employeeLeg(e, c.vnum.Number)
	cl := s.contactLeg("out", c.vnum.Number, c.contact)
	contactFirst := spec.FirstCall == "contact"
	first, second := el, cl
	firstAnswer := pickup
	if contactFirst {
		first, second = cl, el
		firstAnswer = ring
	}
	first.dialAt = 0
	c.legs = []*leg{first}
	if contactFirst && rule.Outcome != OutcomeAnswered {
		// The contact never picked up: the employee is not dialled at all.
		s.finishUnanswered(c, cl, rule.Outcome, ring)
		return nil
	}
	first.answerAt = firstAnswer
	second.dialAt = firstAnswer
	c.legs = append(c.legs, second)
	switch rule.Outcome {
	case OutcomeAnswered:
		at := firstAnswer + ring
		if contactFirst {
			at = firstAnswer + pickup
		}
		second.answerAt = at
		end := at + talkS
		c.talks = []*talk{{employee: e, phone: el.phone, at: at, end: end, legIDs: []int64{el.id, cl.id}}}
		c.finishAt, c.finishRsn = end, c.hangupReason()
		el.endAt, cl.endAt = end, end
		el.finishReason, cl.finishReason = c.finishRsn, c.finishRsn
	default:
		s.finishUnanswered(c, cl, rule.Outcome, ring)
	}
	return nil
}

// planInformer plans an informer call: the contact is dialled and, unless the outcome says
// otherwise, answers after wait seconds and listens to a message for talkS seconds.
func (s *Simulator) planInformer(c *call, wait, talkS float64, spec CallSpec) error {
	c.outgoing, c.informer = true, true
	cl := s.contactLeg("out", c.vnum.Number, c.contact)
	c.legs = []*leg{cl}
	switch spec.Outcome {
	case "", OutcomeAnswered:
	case OutcomeBusy, OutcomeNoAnswer:
		s.finishUnanswered(c, cl, spec.Outcome, orDefault(spec.WaitSeconds, defaultNoAnswerWait))
		return nil
	default:
		return inputErr("outcome must be answered, busy or no_answer, not %q", spec.Outcome)
	}
	cl.answerAt, cl.endAt = wait, wait+talkS
	c.finishAt, c.finishRsn = cl.endAt, "scenario_disconnects"
	cl.finishReason = c.finishRsn
	return nil
}

// finishUnanswered ends an outgoing call whose contact leg is busy (after a second) or rang
// for ring seconds without an answer.
func (s *Simulator) finishUnanswered(c *call, cl *leg, outcome string, ring float64) {
	dur, reason := ring, s.acct.Behaviour.NoAnswerFinishReason
	if outcome == OutcomeBusy {
		dur, reason = 1, "subscriber_busy"
	}
	end := cl.dialAt + dur
	for _, l := range c.legs {
		l.endAt, l.finishReason = end, reason
	}
	c.finishAt, c.finishRsn = end, reason
}

// outgoingRuleLocked returns the first matching outgoing rule (consuming one use of a
// counted rule) or the configured default.
func (s *Simulator) outgoingRuleLocked(contact string, empID int64) OutgoingRule {
	for i, r := range s.rules {
		if (r.Contact == "" || r.Contact == contact) && (r.EmployeeID == 0 || r.EmployeeID == empID) {
			if r.Times > 0 {
				s.rules[i].Times--
				if s.rules[i].Times == 0 {
					s.rules = slices.Delete(s.rules, i, i+1)
				}
			}
			return r
		}
	}
	return s.cfg.Outgoing
}

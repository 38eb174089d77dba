package uissim

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// A real UIS account remembers its calls: the calls report lists them and their recordings
// play for months. MarshalState and Config.State give a simulator that memory across
// restarts (the demo keeps it in its data directory). The state holds every call the
// simulator still keeps (Config.MaxCalls) with its plan, so a restored call is reported and
// its recordings are served exactly as before. A call still under way when the state is taken
// is saved as cut off at that moment, as if the line had dropped: the restarted simulator
// lists it as finished in get.calls_report, so a helpdesk that lost its call_finished finds it
// there. Deliveries and requests are logs, not memory, and are not kept.

// stateVersion is the version of the saved state's format.
const stateVersion = 1

type savedState struct {
	Version int         `json:"version"`
	SavedAt time.Time   `json:"saved_at"`
	NextID  int64       `json:"next_id"`
	Calls   []savedCall `json:"calls"`
}

type savedCall struct {
	ID           int64           `json:"id"`
	Kind         ScenarioKind    `json:"kind"`
	Outgoing     bool            `json:"outgoing,omitempty"`
	Direction    string          `json:"direction"`
	Source       string          `json:"source"`
	Contact      string          `json:"contact"`
	ContactName  string          `json:"contact_name,omitempty"`
	ContactID    int64           `json:"contact_id,omitempty"`
	ContactGroup []int64         `json:"contact_group_ids,omitempty"`
	Virtual      VirtualNumber   `json:"virtual_number"`
	ExternalID   string          `json:"external_id,omitempty"`
	APIRequestID int64           `json:"api_request_id,omitempty"`
	TagIDs       []int64         `json:"tag_ids,omitempty"`
	Initiator    int64           `json:"initiator_id,omitempty"`
	Start        time.Time       `json:"start"`
	RealStart    time.Time       `json:"real_start"`
	Legs         []savedLeg      `json:"legs"`
	Talks        []savedTalk     `json:"talks,omitempty"`
	FinishAt     float64         `json:"finish_at"`
	FinishReason string          `json:"finish_reason"`
	HangupBy     string          `json:"hangup_by,omitempty"`
	Informer     bool            `json:"informer,omitempty"`
	Silent       bool            `json:"silent,omitempty"`
	EarlyTalk    bool            `json:"early_talk,omitempty"`
	ReadyAfter   float64         `json:"ready_after,omitempty"`
	Timeline     []TimelineEntry `json:"timeline,omitempty"`
}

type savedLeg struct {
	ID           int64   `json:"id"`
	Employee     int64   `json:"employee_id,omitempty"`
	Phone        string  `json:"phone,omitempty"`
	Calling      string  `json:"calling"`
	Called       string  `json:"called"`
	Direction    string  `json:"direction"`
	DialAt       float64 `json:"dial_at"`
	AnswerAt     float64 `json:"answer_at"`
	EndAt        float64 `json:"end_at"`
	FinishReason string  `json:"finish_reason"`
	Transfer     bool    `json:"transfer,omitempty"`
}

type savedTalk struct {
	Employee int64   `json:"employee_id"`
	Phone    string  `json:"phone"`
	At       float64 `json:"at"`
	End      float64 `json:"end"`
	LegIDs   []int64 `json:"leg_ids"`
	Hash     string  `json:"hash"`
}

// MarshalState returns what the simulator remembers of its calls, as JSON for Config.State of
// a later simulator. Calls under way are saved cut off at the moment the simulator was closed
// (or now, while it runs), as finished calls; the running simulator itself is not changed.
func (s *Simulator) MarshalState() ([]byte, error) {
	s.mu.Lock()
	at := time.Now()
	if s.closed {
		at = s.closedAt
	}
	st := savedState{Version: stateVersion, SavedAt: at, NextID: s.nextID, Calls: make([]savedCall, 0, len(s.callOrder))}
	for _, id := range s.callOrder {
		c := s.calls[id].clone()
		if _, cut := c.cut(at.Sub(c.realStart).Seconds() / s.cfg.TimeScale); cut {
			c.timeline = append(slices.Clip(c.timeline), TimelineEntry{Event: EventCallFinished, Time: fmtMicro(c.timeAt(c.finishAt))})
		}
		st.Calls = append(st.Calls, c.saved())
	}
	s.mu.Unlock()
	return json.Marshal(st)
}

// restore registers the calls of a saved state as finished calls, before the simulator runs.
func (s *Simulator) restore(data []byte) error {
	var st savedState
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("uissim: config state: %w", err)
	}
	if st.Version != stateVersion {
		return fmt.Errorf("uissim: config state: version %d, want %d", st.Version, stateVersion)
	}
	s.nextID = max(s.nextID, st.NextID)
	for _, sc := range st.Calls {
		if _, dup := s.calls[sc.ID]; dup || sc.ID <= 0 {
			return fmt.Errorf("uissim: config state: call %d is invalid or repeated", sc.ID)
		}
		c := sc.call(s.acct, s.tz)
		c.emitted, c.finished, c.lineDone = len(c.events()), true, true
		s.calls[c.id] = c
		s.callOrder = append(s.callOrder, c.id)
		for _, t := range c.talks {
			s.records[t.hash] = &recording{callID: c.id, seconds: t.seconds()}
		}
	}
	s.pruneCallsLocked()
	return nil
}

// clone copies a call's plan deeply enough to cut the copy.
func (c *call) clone() *call {
	cp := *c
	cp.legs = make([]*leg, len(c.legs))
	for i, l := range c.legs {
		l2 := *l
		cp.legs[i] = &l2
	}
	cp.talks = make([]*talk, len(c.talks))
	for i, t := range c.talks {
		t2 := *t
		cp.talks[i] = &t2
	}
	return &cp
}

func (c *call) saved() savedCall {
	sc := savedCall{
		ID: c.id, Kind: c.kind, Outgoing: c.outgoing, Direction: c.direction, Source: c.source, Contact: c.contact,
		ContactName: c.contactName, ContactID: c.contactID, ContactGroup: c.contactGrp, Virtual: c.vnum,
		ExternalID: c.externalID, APIRequestID: c.apiReqID, TagIDs: c.tagIDs, Initiator: employeeID(c.initiator),
		Start: c.start, RealStart: c.realStart, FinishAt: c.finishAt, FinishReason: c.finishRsn, HangupBy: c.hangupBy,
		Informer: c.informer, Silent: c.silent, EarlyTalk: c.earlyTalk, ReadyAfter: c.readyAfter, Timeline: c.timeline,
	}
	for _, l := range c.legs {
		sc.Legs = append(sc.Legs, savedLeg{ID: l.id, Employee: employeeID(l.employee), Phone: l.phone, Calling: l.calling,
			Called: l.called, Direction: l.direction, DialAt: l.dialAt, AnswerAt: l.answerAt, EndAt: l.endAt,
			FinishReason: l.finishReason, Transfer: l.transfer})
	}
	for _, t := range c.talks {
		sc.Talks = append(sc.Talks, savedTalk{Employee: t.employee.ID, Phone: t.phone, At: t.at, End: t.end, LegIDs: t.legIDs, Hash: t.hash})
	}
	return sc
}

func (sc savedCall) call(a *Account, tz *time.Location) *call {
	c := &call{
		id: sc.ID, kind: sc.Kind, outgoing: sc.Outgoing, direction: sc.Direction, source: sc.Source, contact: sc.Contact,
		contactName: sc.ContactName, contactID: sc.ContactID, contactGrp: sc.ContactGroup, vnum: sc.Virtual,
		externalID: sc.ExternalID, apiReqID: sc.APIRequestID, tagIDs: sc.TagIDs, initiator: a.savedEmployee(sc.Initiator),
		start: sc.Start.In(tz), realStart: sc.RealStart, finishAt: sc.FinishAt, finishRsn: sc.FinishReason,
		hangupBy: sc.HangupBy, informer: sc.Informer, silent: sc.Silent, earlyTalk: sc.EarlyTalk,
		readyAfter: sc.ReadyAfter, timeline: sc.Timeline,
		wake: make(chan struct{}, 1), queueWake: make(chan struct{}, 1),
	}
	for _, l := range sc.Legs {
		c.legs = append(c.legs, &leg{id: l.ID, employee: a.savedEmployee(l.Employee), phone: l.Phone, calling: l.Calling, called: l.Called,
			direction: l.Direction, dialAt: l.DialAt, answerAt: l.AnswerAt, endAt: l.EndAt, finishReason: l.FinishReason,
			transfer: l.Transfer})
	}
	for _, t := range sc.Talks {
		var e Employee
		if p := a.savedEmployee(t.Employee); p != nil {
			e = *p
		}
		c.talks = append(c.talks, &talk{employee: e, phone: t.Phone, at: t.At, end: t.End, legIDs: t.LegIDs, hash: t.Hash})
	}
	return c
}

// Employees are saved by id (an account's employees are in the account).
func employeeID(e *Employee) int64 {
	if e == nil {
		return 0
	}
	return e.ID
}

// savedEmployee is the employee of a saved id: the account's, the other business's on a shared
// account, or one known by id only (the account no longer has them); nil for id 0.
func (a *Account) savedEmployee(id int64) *Employee {
	if id == 0 {
		return nil
	}
	e, ok := a.employee(id)
	switch {
	case ok:
	case id == foreignEmployee.ID:
		e = foreignEmployee
	default:
		e = Employee{ID: id}
	}
	return &e
}

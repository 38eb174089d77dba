package ringdesk

import "time"

// The rules that turn calls into tickets. The desk gathers what they need
// from the store, and the store writes what they decide.

// CallPolicy is how a channel turns calls into tickets.
type CallPolicy struct {
	// ReuseWithin makes a call join the client's open ticket when it was
	// updated within this long; 0 makes a new ticket for every call.
	ReuseWithin time.Duration
}

// ReuseSince returns the oldest update time of a ticket a call at now may
// join, and false when the policy is a new ticket per call.
func (p CallPolicy) ReuseSince(now time.Time) (time.Time, bool) {
	if p.ReuseWithin <= 0 {
		return time.Time{}, false
	}
	return now.Add(-p.ReuseWithin), true
}

// CallRequestRef is the click-to-call request a call's external_id names.
type CallRequestRef struct {
	ID       int64
	ClientID *int64 // the client the agent called
	TicketID *int64 // the ticket the agent called from
	// TicketClientID is the client of TicketID.
	TicketClientID int64
}

// CallPlaceInput is what is known about a call Ringdesk has not seen
// before, to decide where it goes.
type CallPlaceInput struct {
	Facts   CallFacts
	Request *CallRequestRef // nil: not a click-to-call
	// PhoneClient has the contact's number (0: nobody); OpenTicket is
	// PhoneClient's (or the request's client's) ticket the policy lets the
	// call join (0: none).
	PhoneClient int64
	OpenTicket  int64
	// ContactDisplay is the contact's number as people read it.
	ContactDisplay string
	Lang           string
}

// CallPlacement is where a new call goes: an existing ticket and client, or
// the new ones to make.
type CallPlacement struct {
	TicketID int64 // 0: make a ticket with Subject
	ClientID int64 // 0: make a client named ClientName with ClientPhone
	// RequestID is the click-to-call request the call fulfils (0: none).
	RequestID int64
	// Subject is the new ticket's subject in the server's language, for
	// search; AutoSubject its parts, which pages render for each reader.
	Subject     string
	AutoSubject CallSubject
	ClientName  string
	ClientPhone string // E.164, or "" when the contact's number is none
}

// PlaceCall decides the ticket and client of a new call: the ticket an
// agent clicked to call from; else the client they called, or the client
// with the contact's number, or a new client named as UIS knows them; and
// that client's open ticket when the channel reuses tickets, or a new one.
func PlaceCall(in CallPlaceInput) CallPlacement {
	var p CallPlacement
	if r := in.Request; r != nil {
		p.RequestID = r.ID
		switch {
		case r.TicketID != nil:
			p.TicketID, p.ClientID = *r.TicketID, r.TicketClientID
			return p
		case r.ClientID != nil:
			p.ClientID = *r.ClientID
		}
	}
	if p.ClientID == 0 {
		p.ClientID = in.PhoneClient
	}
	if p.ClientID == 0 {
		p.ClientName = CallClientName(in.Facts, in.ContactDisplay)
		p.ClientPhone = CallLookupPhone(in.Facts)
	} else {
		p.TicketID = in.OpenTicket
	}
	if p.TicketID == 0 {
		p.AutoSubject = CallSubjectOf(in.Facts, in.ContactDisplay)
		p.Subject = p.AutoSubject.In(in.Lang)
	}
	return p
}

// CallLookupPhone is the number a call's client is found (or created) by:
// the contact's number when it is a phone number in E.164, else "".
func CallLookupPhone(f CallFacts) string {
	if len(f.ContactPhone) > 1 && f.ContactPhone[0] == '+' {
		return f.ContactPhone
	}
	return ""
}

// CallClientName is the name of a client first seen on a call: as UIS
// knows the contact, or their number.
func CallClientName(f CallFacts, display string) string {
	switch {
	case f.ContactName != "":
		return f.ContactName
	case display == "":
		return "—"
	}
	return display
}

// CallSubject is a ticket subject Ringdesk wrote for a call, kept as its
// parts so that every reader sees it in their own language.
type CallSubject struct {
	Direction string // DirectionIn or DirectionOut
	Who       string // the contact as people read them
}

// CallSubjectOf is the subject of a ticket made from a call: the contact's
// name as UIS knows it with their number, or the number alone.
func CallSubjectOf(f CallFacts, display string) CallSubject {
	if display == "" {
		display = "—"
	}
	who := display
	if f.ContactName != "" {
		who = f.ContactName + " (" + display + ")"
	}
	dir := DirectionIn
	if f.Direction == DirectionOut {
		dir = DirectionOut
	}
	return CallSubject{Direction: dir, Who: who}
}

// In renders the subject in lang.
func (s CallSubject) In(lang string) string {
	switch {
	case lang == LangEN && s.Direction == DirectionOut:
		return "Outgoing call to " + s.Who
	case lang == LangEN:
		return "Incoming call from " + s.Who
	case s.Direction == DirectionOut:
		return "Исходящий звонок: " + s.Who
	}
	return "Входящий звонок: " + s.Who
}

// CallTicket is what a call's effect on its ticket depends on.
type CallTicket struct {
	Status   string
	Assignee *int64
	Missed   bool
	// MissedSince is when the first missed call still waiting for a call
	// back started (nil when the ticket is not missed, or for tickets marked
	// before the time was kept).
	MissedSince *time.Time
	// Held is the assignee telephony itself last gave the ticket: it moves
	// only an assignment it made, never one an agent chose.
	Held *int64
	// Group is the ticket's group; HeldGroup the group the channel's
	// routing chose for this call (kept on the call row; it decides whose
	// screens the call appears on). Routing moves the ticket only from no
	// group or from the group it chose before, never from one an agent
	// chose (nor into one when an agent took routing's away).
	Group     *int64
	HeldGroup *int64
}

// CallTicketChange is a ticket after a call event, and what changed.
type CallTicketChange struct {
	CallTicket
	StatusFrom string // the status before, when it changed ("" otherwise)
	// StatusBy is the agent whose call changed the status (nil: the system).
	StatusBy        *int64
	AssigneeChanged bool
	AssigneeFrom    *int64
	GroupChanged    bool
	GroupFrom       *int64
	// CalledBack is set when this call ended the ticket's wait for a call
	// back.
	CalledBack *CallBack
}

// Changed reports whether the ticket row needs writing (Held lives on the
// call row).
func (c CallTicketChange) Changed(before CallTicket) bool {
	return c.StatusFrom != "" || c.AssigneeChanged || c.GroupChanged || c.Missed != before.Missed || !sameTime(c.MissedSince, before.MissedSince)
}

// ActedOn reports whether a call is someone's action on its ticket, which
// makes a New ticket Open (Usedesk's meaning of New: nobody has dealt with
// it yet): a call that was answered, or one an agent placed. A missed call,
// or a call placed by nobody Ringdesk knows that nobody answered, is the
// system's doing and leaves the ticket New.
func ActedOn(f CallFacts, agent *int64) bool {
	return f.AnsweredAt != nil && !f.IsLost || f.Direction == DirectionOut && agent != nil
}

// TicketAfterCall applies a call's facts to its ticket: a missed incoming
// call marks it missed and takes back telephony's own assignment; otherwise
// the call's agent gets the ticket unless an agent assigned it to someone
// else. A New ticket opens when the call was someone's action on it
// (ActedOn), by the call's agent when known. The group
// the channel's routing chose (nil: none) becomes the ticket's group
// unless an agent put the ticket in a group; routing that changes its mind
// as later events tell more (a scenario id in the finish notification)
// moves the ticket along.
//
// A missed ticket waits for a call back until a call with the client is
// answered (see CallBackAfter): then the mark goes and CalledBack says by
// whom and after how long.
func TicketAfterCall(t CallTicket, f CallFacts, agent, group *int64) CallTicketChange {
	out := CallTicketChange{CallTicket: t}
	out.HeldGroup = nil
	if group != nil {
		g := *group
		out.HeldGroup = &g
		// Routing's own choice moves; no group stays no group only when
		// an agent took the one routing gave.
		if t.Group == nil && t.HeldGroup == nil || t.Group != nil && t.HeldGroup != nil && *t.Group == *t.HeldGroup {
			out.Group = &g
		}
	}
	if !sameID(t.Group, out.Group) {
		out.GroupChanged, out.GroupFrom = true, t.Group
	}
	ours := t.Assignee == nil || (t.Held != nil && *t.Assignee == *t.Held)
	switch {
	case f.IsLost && f.Direction == DirectionIn:
		out.Missed = true
		if !f.StartedAt.IsZero() && (out.MissedSince == nil || f.StartedAt.Before(*out.MissedSince)) {
			at := f.StartedAt
			out.MissedSince = &at
		}
		if ours {
			out.Assignee, out.Held = nil, nil
		}
	case agent != nil && ours:
		a := *agent
		out.Assignee, out.Held = &a, &a
	}
	if cb := CallBackAfter(t, f, agent); cb != nil {
		out.Missed, out.MissedSince, out.CalledBack = false, nil, cb
	}
	if t.Status == StatusNew && ActedOn(f, agent) {
		out.Status, out.StatusFrom, out.StatusBy = StatusOpen, t.Status, agent
	}
	if !sameID(t.Assignee, out.Assignee) {
		out.AssigneeChanged, out.AssigneeFrom = true, t.Assignee
	}
	return out
}

func sameTime(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}

func sameID(a, b *int64) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

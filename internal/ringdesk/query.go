package ringdesk

import (
	"strings"
	"time"
)

// Read models: what lists and pages read, and the filters they take. They
// are the domain's words for queries, so the web layer and the store share
// them without the web layer importing the store's types.

// CallFilter selects calls; zero fields do not filter.
type CallFilter struct {
	ClientID  int64
	TicketID  int64
	ChannelID int64
	AgentID   int64
	Direction string
	Missed    *bool
	Phone     string // E.164
	// PhonePart keeps the calls whose contact number matches part of a
	// number (ignored when Phone is set).
	PhonePart PartialPhone
	From, To  time.Time
	// Outcome: answered, missed (a lost incoming call), busy, no_answer.
	Outcome string
	Limit   int
	// Cursor continues after the last call of the previous page.
	Cursor string
}

// TicketFilter selects tickets; zero fields do not filter.
type TicketFilter struct {
	Statuses   []string
	AssigneeID int64
	Unassigned bool
	// GroupID keeps the tickets of one group; NoGroup those of none;
	// MemberID those of the groups this agent belongs to.
	GroupID   int64
	NoGroup   bool
	MemberID  int64
	ChannelID int64
	Tag       string
	ClientID  int64
	Missed    *bool
	// Active keeps tickets that still need work (new, open, pending, on hold).
	Active                 bool
	CreatedFrom, CreatedTo time.Time
	UpdatedFrom, UpdatedTo time.Time
	// Q is full-text search over subjects and messages, plus the tickets of
	// clients whose name or email matches; Phones (E.164) adds the tickets of
	// clients with that number; PhonePart those of clients with a number
	// matching it.
	Q         string
	Phones    []string
	PhonePart PartialPhone
	// Sort is "updated" (default) or "created", newest first.
	Sort   string
	Limit  int
	Cursor string
}

// PartialPhone is part of a phone number typed into a search (see
// phone.Partial for how typed text becomes one). A number matches when it
// contains Digits anywhere or starts with Prefix, the beginning of an E.164
// number ("+7926123"); an empty field matches nothing.
type PartialPhone struct {
	Digits string
	Prefix string
}

// IsZero reports whether p matches nothing.
func (p PartialPhone) IsZero() bool { return p.Digits == "" && p.Prefix == "" }

// Valid reports whether p holds only what a part of a number can: digits,
// and a "+" before the prefix's digits.
func (p PartialPhone) Valid() bool {
	digits := func(s string) bool { return strings.Trim(s, "0123456789") == "" }
	return digits(p.Digits) && (p.Prefix == "" || len(p.Prefix) > 1 && p.Prefix[0] == '+' && digits(p.Prefix[1:]))
}

// TicketRow is a ticket as the list shows it.
type TicketRow struct {
	*Ticket
	ClientName   string
	AssigneeName string
	GroupName    string
}

// ClientTicket is a ticket as a client card lists it.
type ClientTicket struct {
	ID          int64
	Subject     string
	AutoSubject *CallSubject // see Ticket.AutoSubject
	Status      string
	UpdatedAt   time.Time
}

// SubjectIn is the subject as a reader of lang sees it (Ticket.SubjectIn).
func (t ClientTicket) SubjectIn(lang string) string { return subjectIn(t.Subject, t.AutoSubject, lang) }

// ClientFilter selects clients for the list and the API; at most one of
// Phone, PhonePart and Query is used, in that order.
type ClientFilter struct {
	// Phone is an E.164 number: the client owning exactly it.
	Phone string
	// PhonePart matches clients with a number matching part of a number.
	PhonePart PartialPhone
	// Query matches name, company or email, case-insensitively, anywhere.
	Query string
	Limit int
	// Cursor continues after the last client of the previous page.
	Cursor string
}

// MissedCall is what a callback needs to know about a missed-call ticket:
// its latest lost incoming call and how many it has.
type MissedCall struct {
	Phone string // E.164, or the raw value when it is no phone number
	At    time.Time
	Wait  time.Duration
	Count int
	// Since is when the first missed call still waiting for a call back
	// started (nil when unknown).
	Since *time.Time
	// Attempts counts the outgoing calls of the ticket since then.
	Attempts int
	// Claim is the last agent who clicked "Call back" (it may have lapsed:
	// see CallBackClaim.Holds).
	Claim *CallBackClaim
}

// CallLive is what an agent's screen needs to show a call as it happens.
type CallLive struct {
	ID            int64
	Direction     string
	State         string
	ContactPhone  string
	ContactName   string
	VirtualNumber string
	IsLost        bool
	AgentID       *int64
	TicketID      int64
	TicketSubject string
	ClientID      int64
	ClientName    string
	StartedAt     time.Time
	AnsweredAt    *time.Time
	FinishedAt    *time.Time
	// LastEventAt is when the call's latest event was applied.
	LastEventAt time.Time
	// GroupID is the group the call was routed to; ShownTo the group it
	// showed to before a later event routed it elsewhere (0: every agent).
	GroupID *int64
	ShownTo *int64
	// Offered are the agents of the UIS employees involved in the call.
	Offered []int64
}

package ringdesk

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Ticket statuses, named as Usedesk names them.
const (
	StatusNew     = "new"
	StatusOpen    = "open"
	StatusPending = "pending"
	StatusOnHold  = "on_hold"
	StatusSolved  = "solved"
	StatusClosed  = "closed"
	StatusSpam    = "spam"
	StatusDeleted = "deleted"
)

// Statuses lists every ticket status in the order the UI offers them.
var Statuses = []string{StatusNew, StatusOpen, StatusPending, StatusOnHold, StatusSolved, StatusClosed, StatusSpam, StatusDeleted}

// usedeskStatusIDs maps statuses to Usedesk's numeric ids, for a later
// Usedesk-compatible API.
var usedeskStatusIDs = map[string]int{
	StatusNew: 8, StatusOpen: 1, StatusPending: 6, StatusOnHold: 5,
	StatusSolved: 2, StatusClosed: 3, StatusSpam: 7, StatusDeleted: 4,
}

// UsedeskStatusID returns Usedesk's numeric id of status, 0 if unknown.
func UsedeskStatusID(status string) int { return usedeskStatusIDs[status] }

// StatusByUsedeskID returns the status with Usedesk's numeric id.
func StatusByUsedeskID(id int) (string, bool) {
	for s, n := range usedeskStatusIDs {
		if n == id {
			return s, true
		}
	}
	return "", false
}

// ValidStatus reports whether s is a ticket status.
func ValidStatus(s string) bool { _, ok := usedeskStatusIDs[s]; return ok }

// ActiveStatuses are the statuses of tickets that still need work.
var ActiveStatuses = []string{StatusNew, StatusOpen, StatusPending, StatusOnHold}

// StatusIsActive reports whether a ticket in status s still needs work.
func StatusIsActive(s string) bool { return oneOf(s, ActiveStatuses) }

// Ticket priorities and types.
var (
	Priorities  = []string{"low", "medium", "urgent", "extreme"}
	TicketTypes = []string{"question", "task", "problem", "incident"}
)

// Default priority and type of a new ticket.
const (
	DefaultPriority   = "medium"
	DefaultTicketType = "question"
)

func oneOf(s string, list []string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// ValidPriority reports whether p is a ticket priority.
func ValidPriority(p string) bool { return oneOf(p, Priorities) }

// ValidTicketType reports whether t is a ticket type.
func ValidTicketType(t string) bool { return oneOf(t, TicketTypes) }

// Limits of ticket fields.
const (
	MaxSubjectLen = 250
	MaxTags       = 20
	MaxTagLen     = 50
	MaxBodyLen    = 100000
)

// Ticket is one support request.
type Ticket struct {
	ID              int64
	Number          int64 // equal to ID: sequential on both databases
	Subject         string
	Status          string
	Priority        string
	Type            string
	ChannelID       *int64
	ClientID        int64
	AssigneeID      *int64
	GroupID         *int64
	Tags            []string
	Missed          bool
	CreatedAt       time.Time
	UpdatedAt       time.Time
	FirstResponseAt *time.Time
	SolvedAt        *time.Time
	// AutoSubject is set while the subject is the one Ringdesk wrote for
	// the call that made the ticket (an agent's edit clears it).
	AutoSubject *CallSubject
}

// SubjectIn is the ticket's subject as a reader of lang sees it: one
// Ringdesk wrote for a call in their language, an agent's as written.
func (t *Ticket) SubjectIn(lang string) string {
	return subjectIn(t.Subject, t.AutoSubject, lang)
}

// SameSubject reports whether s is the ticket's subject as it stands: as
// stored, or as Ringdesk's own subject reads in any language (a form shows
// it in its reader's language and sends it back unchanged).
func (t *Ticket) SameSubject(s string) bool {
	if s == t.Subject {
		return true
	}
	return t.AutoSubject != nil && (s == t.AutoSubject.In(LangEN) || s == t.AutoSubject.In(LangRU))
}

func subjectIn(subject string, auto *CallSubject, lang string) string {
	if auto == nil {
		return subject
	}
	return auto.In(lang)
}

// TicketCreate is the input for creating a ticket.
type TicketCreate struct {
	Subject    string
	Status     string // empty: new
	Priority   string // empty: medium
	Type       string // empty: question
	ChannelID  *int64
	ClientID   int64
	AssigneeID *int64
	GroupID    *int64
	Tags       []string
	// Body, when not empty, becomes the first message of the timeline.
	Body string
	// BodyKind is "reply" (a message from the client, the default) or "note".
	BodyKind string
}

// Normalize trims text and fills defaults.
func (c *TicketCreate) Normalize() {
	c.Subject = strings.TrimSpace(c.Subject)
	c.Status = strings.TrimSpace(c.Status)
	if c.Status == "" {
		c.Status = StatusNew
	}
	if c.Priority == "" {
		c.Priority = DefaultPriority
	}
	if c.Type == "" {
		c.Type = DefaultTicketType
	}
	c.Tags = NormalizeTags(c.Tags)
	c.Body = strings.TrimSpace(c.Body)
	if c.BodyKind == "" {
		c.BodyKind = EventReply
	}
}

// Validate checks a normalised TicketCreate.
func (c *TicketCreate) Validate() error {
	var v Validation
	validateSubject(&v, c.Subject)
	v.Check(ValidStatus(c.Status), "status", "Unknown status.")
	v.Check(ValidPriority(c.Priority), "priority", "Unknown priority.")
	v.Check(ValidTicketType(c.Type), "type", "Unknown ticket type.")
	v.Check(c.ClientID > 0, "client_id", "Choose a client.")
	if c.GroupID != nil {
		v.Check(*c.GroupID > 0, "group_id", "Group must be a group id or null.")
	}
	validateTags(&v, c.Tags)
	if utf8.RuneCountInString(c.Body) > MaxBodyLen {
		v.Addf("body", "The message is longer than %d characters.", MaxBodyLen)
	}
	v.Check(c.BodyKind == EventReply || c.BodyKind == EventNote, "body_kind", "Message kind must be reply or note.")
	return v.Err()
}

// TicketUpdate changes a ticket; nil fields stay as they are.
type TicketUpdate struct {
	Subject   *string
	Status    *string
	Priority  *string
	Type      *string
	ClientID  *int64
	ChannelID *int64
	// AssigneeID sets the assignee; ClearAssignee unassigns.
	AssigneeID    *int64
	ClearAssignee bool
	// GroupID moves the ticket to a group; ClearGroup to no group.
	GroupID    *int64
	ClearGroup bool
	Tags       *[]string
	// AddTags adds tags to the ones the ticket has (a bulk action); the
	// store merges them inside the ticket's transaction.
	AddTags []string
}

// Normalize trims text fields.
func (u *TicketUpdate) Normalize() {
	if u.Subject != nil {
		s := strings.TrimSpace(*u.Subject)
		u.Subject = &s
	}
	if u.Tags != nil {
		t := NormalizeTags(*u.Tags)
		u.Tags = &t
	}
	if u.AddTags != nil {
		u.AddTags = NormalizeTags(u.AddTags)
	}
}

// Validate checks a normalised TicketUpdate.
func (u *TicketUpdate) Validate() error {
	var v Validation
	if u.Subject != nil {
		validateSubject(&v, *u.Subject)
	}
	if u.Status != nil {
		v.Check(ValidStatus(*u.Status), "status", "Unknown status.")
	}
	if u.Priority != nil {
		v.Check(ValidPriority(*u.Priority), "priority", "Unknown priority.")
	}
	if u.Type != nil {
		v.Check(ValidTicketType(*u.Type), "type", "Unknown ticket type.")
	}
	if u.ClientID != nil {
		v.Check(*u.ClientID > 0, "client_id", "Choose a client.")
	}
	if u.GroupID != nil {
		v.Check(*u.GroupID > 0, "group_id", "Group must be a group id or null.")
	}
	if u.Tags != nil {
		validateTags(&v, *u.Tags)
	}
	if u.AddTags != nil {
		validateTags(&v, u.AddTags)
	}
	return v.Err()
}

// Empty reports whether u changes nothing.
func (u *TicketUpdate) Empty() bool {
	return u.Subject == nil && u.Status == nil && u.Priority == nil && u.Type == nil && u.ClientID == nil &&
		u.ChannelID == nil && u.AssigneeID == nil && !u.ClearAssignee && u.GroupID == nil && !u.ClearGroup &&
		u.Tags == nil && len(u.AddTags) == 0
}

func validateSubject(v *Validation, s string) {
	switch {
	case s == "":
		v.Add("subject", "Subject is required.")
	case utf8.RuneCountInString(s) > MaxSubjectLen:
		v.Addf("subject", "Subject must be at most %d characters.", MaxSubjectLen)
	}
}

func validateTags(v *Validation, tags []string) {
	if len(tags) > MaxTags {
		v.Addf("tags", "At most %d tags.", MaxTags)
		return
	}
	for _, t := range tags {
		if !ValidTag(t) {
			v.Addf("tags", "Tag \"%s\": use letters, digits, _ and - only, at most %d characters.", t, MaxTagLen)
			return
		}
	}
}

// ValidTag reports whether t is a tag: 1..50 letters, digits, _ or -.
func ValidTag(t string) bool {
	if t == "" || utf8.RuneCountInString(t) > MaxTagLen {
		return false
	}
	for _, r := range t {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' {
			return false
		}
	}
	return true
}

// NormalizeTags trims, lower-cases and de-duplicates tags, dropping empty ones.
func NormalizeTags(tags []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

// SplitTags reads tags typed into one field, separated by commas or spaces.
func SplitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
}

// Timeline event kinds and author types.
const (
	EventReply    = "reply"
	EventNote     = "note"
	EventCall     = "call"
	EventStatus   = "status"
	EventAssignee = "assignee"
	EventPriority = "priority"
	EventType     = "type"
	EventTags     = "tags"
	EventSubject  = "subject"
	EventClient   = "client"
	EventChannel  = "channel"
	// EventGroup records a change of the ticket's group: {"from","to"} hold
	// group ids (null: no group); "deleted": true when the group was deleted.
	EventGroup = "group"
	// EventClientMerged is written into each ticket of a client merged into
	// another; its data names both clients and the agent who merged.
	EventClientMerged = "client_merged"
	// EventCalledBack ends a missed ticket's wait: its data names the call,
	// the agent who talked (or null), the direction ("out": called back;
	// "in": the client called again) and after_seconds since the first miss.
	EventCalledBack = "called_back"
	// EventMissedHandled is an agent marking a missed ticket handled without
	// a call back; the body is their reason.
	EventMissedHandled = "missed_handled"

	AuthorAgent  = "agent"
	AuthorClient = "client"
	AuthorSystem = "system"
)

// TicketEvent is one entry of a ticket's timeline.
type TicketEvent struct {
	ID         int64
	TicketID   int64
	Kind       string
	AuthorType string
	AuthorID   *int64
	Body       string
	// Data is the JSON of the entry: {"from":..,"to":..} for audit entries,
	// {"call_id":N} for calls.
	Data      string
	CreatedAt time.Time
}

// CommentCreate is a reply or a note added to a ticket.
type CommentCreate struct {
	Kind       string // reply or note
	AuthorType string // agent, client or system
	Body       string
	// To, when not nil, are the addresses an agent's public reply is
	// emailed to instead of the client's (ParseRecipients reads them).
	To []string
}

// Validate checks a comment.
func (c *CommentCreate) Validate() error {
	var v Validation
	c.Body = strings.TrimSpace(c.Body)
	v.Check(c.Kind == EventReply || c.Kind == EventNote, "kind", "Kind must be reply or note.")
	v.Check(c.AuthorType == AuthorAgent || c.AuthorType == AuthorClient || c.AuthorType == AuthorSystem, "author_type", "Author must be agent, client or system.")
	v.Check(c.Body != "", "body", "Write a message.")
	if utf8.RuneCountInString(c.Body) > MaxBodyLen {
		v.Addf("body", "The message is longer than %d characters.", MaxBodyLen)
	}
	return v.Err()
}

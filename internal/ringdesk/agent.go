package ringdesk

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what an agent may do. Admins manage agents and channels;
// supervisors see the call reports and the wallboard (and every group's
// tickets, as every agent does) but manage nothing.
type Role string

// Roles.
const (
	RoleAdmin      Role = "admin"
	RoleSupervisor Role = "supervisor"
	RoleAgent      Role = "agent"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleSupervisor || r == RoleAgent }

// Languages the UI speaks.
const (
	LangRU = "ru"
	LangEN = "en"
)

// ValidLang reports whether lang is a UI language.
func ValidLang(lang string) bool { return lang == LangRU || lang == LangEN }

// MaxPasswordBytes is bcrypt's input limit; longer passwords are refused
// rather than silently truncated.
const MaxPasswordBytes = 72

// MinPasswordLen is the shortest password accepted for an agent.
const MinPasswordLen = 8

// Agent is a person who works in Ringdesk.
type Agent struct {
	ID    int64
	Name  string
	Email string // always lower case
	Role  Role
	// Active agents may log in; deactivating one ends their sessions.
	Active bool
	Lang   string
	// TimeZone is the IANA zone the agent reads times in; "" for the
	// server's default.
	TimeZone string
	// OperatorID is the UIS employee id ("recordId" in the UIS account);
	// nil when the agent does not take calls.
	OperatorID *int64
	// Available is the agent's own "available for calls" switch (on by
	// default); call routing reads it.
	Available bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// IsAdmin reports whether the agent has the admin role.
func (a *Agent) IsAdmin() bool { return a != nil && a.Role == RoleAdmin }

// IsSupervisor reports whether the agent has the supervisor role.
func (a *Agent) IsSupervisor() bool { return a != nil && a.Role == RoleSupervisor }

// CanSeeReports reports whether a may read the call reports and the
// wallboard: supervisors and administrators.
func (a *Agent) CanSeeReports() bool { return a.IsSupervisor() || a.CanAdminister() }

// roleSystem is System's role; no stored agent can have it.
const roleSystem Role = "system"

// System is the actor of what Ringdesk does on its own or on an operator's
// command (the command line, the demo, telephony): it may do what an
// administrator may, and its changes are audited as the system's. Use
// cases refuse a nil actor, so forgetting to pass one never grants rights.
var System = &Agent{Name: "System", Role: roleSystem, Active: true}

// IsSystem reports whether a is System.
func (a *Agent) IsSystem() bool { return a != nil && a.Role == roleSystem }

// CanAdminister reports whether a may do what administrators may.
func (a *Agent) CanAdminister() bool { return a.IsAdmin() || a.IsSystem() }

// AgentCreate is the input for creating an agent.
type AgentCreate struct {
	Name       string
	Email      string
	Role       Role
	Lang       string
	OperatorID *int64
	Password   string
	// GroupIDs are the groups the agent joins.
	GroupIDs []int64
}

// AgentUpdate holds the fields to change; nil means unchanged.
type AgentUpdate struct {
	Name   *string
	Email  *string
	Role   *Role
	Active *bool
	Lang   *string
	// TimeZone: an IANA name, "" for the server's default.
	TimeZone *string
	// OperatorID: set ClearOperatorID to remove it.
	OperatorID      *int64
	ClearOperatorID bool
	// Available: the agent's "available for calls" switch.
	Available *bool
	// GroupIDs replaces the agent's group memberships.
	GroupIDs *[]int64
}

// NormalizeEmail trims and lower-cases an address so uniqueness is
// case-insensitive on every database.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate normalises c and reports every invalid field.
func (c *AgentCreate) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	c.Email = NormalizeEmail(c.Email)
	var v Validation
	validateName(&v, c.Name)
	validateEmail(&v, c.Email)
	if c.Role == "" {
		c.Role = RoleAgent
	}
	v.Check(c.Role.Valid(), "role", "Role must be admin, supervisor or agent.")
	if c.Lang != "" {
		v.Check(ValidLang(c.Lang), "lang", "Language must be ru or en.")
	}
	validateOperatorID(&v, c.OperatorID)
	c.GroupIDs = NormalizeIDs(c.GroupIDs)
	validateGroupIDs(&v, c.GroupIDs)
	if err := ValidatePassword(c.Password); err != nil {
		v.Add("password", ErrorMessage(err))
	}
	return v.Err()
}

// Validate normalises u and reports every invalid field.
func (u *AgentUpdate) Validate() error {
	var v Validation
	if u.Name != nil {
		*u.Name = strings.TrimSpace(*u.Name)
		validateName(&v, *u.Name)
	}
	if u.Email != nil {
		*u.Email = NormalizeEmail(*u.Email)
		validateEmail(&v, *u.Email)
	}
	if u.Role != nil {
		v.Check(u.Role.Valid(), "role", "Role must be admin, supervisor or agent.")
	}
	if u.Lang != nil { // empty means the server default
		v.Check(*u.Lang == "" || ValidLang(*u.Lang), "lang", "Language must be ru or en.")
	}
	if u.TimeZone != nil {
		*u.TimeZone = strings.TrimSpace(*u.TimeZone)
		v.Check(*u.TimeZone == "" || ValidTimeZone(*u.TimeZone), "time_zone", "Unknown time zone.")
	}
	validateOperatorID(&v, u.OperatorID)
	if u.GroupIDs != nil {
		ids := NormalizeIDs(*u.GroupIDs)
		u.GroupIDs = &ids
		validateGroupIDs(&v, ids)
	}
	return v.Err()
}

// ValidTimeZone reports whether name is an IANA time zone this system
// knows ("Local" is not one: it means the server's own setting).
func ValidTimeZone(name string) bool {
	if name == "" || name == "Local" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// ValidatePassword checks length limits; bcrypt silently ignores bytes past
// 72, so such passwords are refused with a clear message instead.
func ValidatePassword(pw string) error {
	if len(pw) > MaxPasswordBytes {
		return Errorf(EINVALID, "Password is too long: at most 72 bytes (fewer characters for non-Latin letters).")
	}
	if utf8.RuneCountInString(pw) < MinPasswordLen {
		return Errorf(EINVALID, "Password must be at least 8 characters.")
	}
	return nil
}

func validateName(v *Validation, name string) {
	v.Check(name != "", "name", "Name is required.")
	v.Check(utf8.RuneCountInString(name) <= 200, "name", "Name is too long: at most 200 characters.")
}

func validateEmail(v *Validation, email string) {
	if email == "" {
		v.Add("email", "Email is required.")
		return
	}
	a, err := mail.ParseAddress(email)
	v.Check(err == nil && a.Address == email && len(email) <= 254, "email", "Email address is not valid.")
}

func validateOperatorID(v *Validation, id *int64) {
	if id != nil {
		v.Check(*id > 0, "operator_id", "Operator ID must be a positive number (the UIS employee id).")
	}
}

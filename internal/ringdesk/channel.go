package ringdesk

import (
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// ChannelTypeUIS is the UIS cloud-telephony channel.
const ChannelTypeUIS = "uis"

// Ticket policies for calls.
const (
	PolicyNewTicket   = "new"   // one new ticket per call
	PolicyReuseTicket = "reuse" // reuse the client's open ticket updated within ReuseHours
)

// Defaults for a UIS channel: the real UIS hosts.
const (
	DefaultCallAPIURL = "https://callapi.uiscom.ru/v4.0"
	DefaultDataAPIURL = "https://dataapi.uiscom.ru/v2.0"
	DefaultTimezone   = "Europe/Moscow"
)

// DefaultRecordingHosts are the hosts recording links point at: the UIS
// web app (talks) and media (merged file) hosts, and the CoMagic ones, which
// public integrations see serving UIS accounts' recordings too.
var DefaultRecordingHosts = []string{"app.uiscom.ru", "media.uiscom.ru", "app.comagic.ru", "media.comagic.ru"}

// OldDefaultRecordingHosts are the defaults before the CoMagic hosts were
// added; migration 0015 gives channels that still had them the new ones.
var OldDefaultRecordingHosts = []string{"app.uiscom.ru", "media.uiscom.ru"}

// Channel is a source of tickets; today only UIS telephony.
type Channel struct {
	ID        int64
	Type      string
	Name      string
	Active    bool
	UIS       UISSettings
	HasSecret bool // an App Secret (email: the IMAP password) is stored; it is never shown back
	// Email holds an email channel's settings; HasSMTPSecret says an SMTP
	// password is stored.
	Email         EmailSettings
	HasSMTPSecret bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// UISSettings are a UIS channel's settings; stored as JSON, no secrets.
type UISSettings struct {
	CallAPIURL         string   `json:"call_api_url"`
	DataAPIURL         string   `json:"data_api_url"`
	Timezone           string   `json:"timezone"`
	VirtualPhoneNumber string   `json:"virtual_phone_number"`
	RecordingHosts     []string `json:"recording_hosts"`
	TicketPolicy       string   `json:"ticket_policy"`
	ReuseHours         int      `json:"reuse_hours"`
	ArchiveRecordings  bool     `json:"archive_recordings"`
	// VirtualNumbers are the UIS account's numbers that belong to this
	// channel; reconciliation reads only their calls (empty: every call of
	// the account, for an account nobody shares).
	VirtualNumbers []string `json:"virtual_numbers,omitempty"`
	// ReportSources are the call sources (get.calls_report "source", e.g.
	// va, callapi, sip) reconciliation takes; empty: all.
	ReportSources []string `json:"report_sources,omitempty"`
	// RoutingRules send calls to groups, first match first; calls no rule
	// matches go to DefaultGroupID (nil: to no group, every agent).
	RoutingRules   []RoutingRule `json:"routing,omitempty"`
	DefaultGroupID *int64        `json:"default_group_id,omitempty"`
	// AnswerWithin is the service level's T in seconds (nil:
	// DefaultAnswerWithin), ShortAbandon its S (nil: DefaultShortAbandon).
	AnswerWithin *int64 `json:"sl_answer_within,omitempty"`
	ShortAbandon *int64 `json:"sl_short_abandon,omitempty"`
}

// Thresholds returns the channel's service-level thresholds.
func (s UISSettings) Thresholds() Thresholds {
	th := DefaultThresholds
	if s.AnswerWithin != nil {
		th.AnswerWithin = *s.AnswerWithin
	}
	if s.ShortAbandon != nil {
		th.ShortAbandon = *s.ShortAbandon
	}
	return th
}

// Location returns the account time zone, Moscow when unset or unknown.
func (s UISSettings) Location() *time.Location {
	if s.Timezone != "" {
		if l, ok := LoadLocation(s.Timezone); ok {
			return l
		}
	}
	if l, ok := LoadLocation(DefaultTimezone); ok {
		return l
	}
	return time.FixedZone("MSK", 3*3600)
}

// locations caches time zones by name: time.LoadLocation reads and parses
// the zone file on every call, and webhooks need the zone every time.
var locations sync.Map // name -> *time.Location (nil: unknown)

// LoadLocation returns the named time zone, loaded once.
func LoadLocation(name string) (*time.Location, bool) {
	if v, ok := locations.Load(name); ok {
		l := v.(*time.Location)
		return l, l != nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = nil
	}
	locations.Store(name, l)
	return l, l != nil
}

// RecordingHostAllowed reports whether a recording URL's host is allowed
// for this channel: exact host match, https or http only.
func (s UISSettings) RecordingHostAllowed(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil {
		return false
	}
	host := strings.ToLower(u.Host)
	for _, h := range s.RecordingHosts {
		if strings.ToLower(h) == host {
			return true
		}
	}
	return false
}

// WithDefaults fills empty settings with the UIS defaults.
func (s UISSettings) WithDefaults() UISSettings {
	if s.CallAPIURL == "" {
		s.CallAPIURL = DefaultCallAPIURL
	}
	if s.DataAPIURL == "" {
		s.DataAPIURL = DefaultDataAPIURL
	}
	if s.Timezone == "" {
		s.Timezone = DefaultTimezone
	}
	if s.RecordingHosts == nil {
		s.RecordingHosts = append([]string(nil), DefaultRecordingHosts...)
	}
	if s.TicketPolicy == "" {
		s.TicketPolicy = PolicyNewTicket
	}
	s.VirtualPhoneNumber = digitsOnly(s.VirtualPhoneNumber)
	if s.TicketPolicy == PolicyReuseTicket && s.ReuseHours == 0 {
		s.ReuseHours = 24
	}
	s.VirtualNumbers = uniqueDigits(s.VirtualNumbers)
	s.ReportSources = uniqueWords(s.ReportSources)
	s.RoutingRules = normalizeRules(s.RoutingRules)
	return s
}

// uniqueDigits strips phone punctuation from each number and drops empty
// and repeated ones.
func uniqueDigits(list []string) []string {
	var out []string
	for _, n := range list {
		if n = digitsOnly(n); n != "" && !oneOf(n, out) {
			out = append(out, n)
		}
	}
	return out
}

func uniqueWords(list []string) []string {
	var out []string
	for _, w := range list {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" && !oneOf(w, out) {
			out = append(out, w)
		}
	}
	return out
}

// Validate reports every invalid setting.
func (s UISSettings) Validate(v *Validation) {
	for field, raw := range map[string]string{"call_api_url": s.CallAPIURL, "data_api_url": s.DataAPIURL} {
		u, err := url.Parse(raw)
		v.Check(err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "", field, "Must be an http:// or https:// URL.")
	}
	_, err := time.LoadLocation(s.Timezone)
	v.Check(err == nil && s.Timezone != "", "timezone", "Unknown time zone; use an IANA name such as Europe/Moscow.")
	for _, h := range s.RecordingHosts {
		v.Check(h != "" && !strings.ContainsAny(h, "/ ?#@") && len(h) <= 253, "recording_hosts", "Each recording host must be a bare host name such as app.uiscom.ru.")
	}
	v.Check(s.VirtualPhoneNumber == "" || len(s.VirtualPhoneNumber) >= 10 && len(s.VirtualPhoneNumber) <= 15 &&
		strings.Trim(s.VirtualPhoneNumber, "0123456789") == "", "virtual_phone_number", "The virtual number must be a phone number in international format, such as 74951234567.")
	for _, n := range s.VirtualNumbers {
		v.Check(len(n) >= 10 && len(n) <= 15 && strings.Trim(n, "0123456789") == "", "virtual_numbers",
			"Each virtual number must be a phone number in international format, such as 74951234567.")
	}
	v.Check(len(s.VirtualNumbers) <= 200, "virtual_numbers", "At most 200 virtual numbers.")
	for _, src := range s.ReportSources {
		v.Check(len(src) <= 64 && strings.Trim(src, "abcdefghijklmnopqrstuvwxyz0123456789_") == "", "report_sources",
			"Call sources are UIS names such as va, callapi or sip.")
	}
	v.Check(s.TicketPolicy == PolicyNewTicket || s.TicketPolicy == PolicyReuseTicket, "ticket_policy", "Ticket policy must be new or reuse.")
	v.Check(s.ReuseHours >= 0 && s.ReuseHours <= 24*90, "reuse_hours", "Reuse window must be between 0 and 2160 hours.")
	validateRouting(v, s.RoutingRules, s.DefaultGroupID)
	if s.AnswerWithin != nil {
		v.Check(*s.AnswerWithin >= 1 && *s.AnswerWithin <= 3600, "sl_answer_within", "Answered within must be between 1 and 3600 seconds.")
	}
	if s.ShortAbandon != nil {
		v.Check(*s.ShortAbandon >= 0 && *s.ShortAbandon <= 600, "sl_short_abandon", "A short abandon must be between 0 and 600 seconds.")
	}
}

// ChannelCreate is the input for a new channel. An email channel's IMAP
// password travels as AppSecret, its SMTP password as SMTPSecret.
type ChannelCreate struct {
	Type       string
	Name       string
	AppSecret  string
	SMTPSecret string
	UIS        UISSettings
	Email      EmailSettings
}

// Validate normalises c and reports every invalid field.
func (c *ChannelCreate) Validate() error {
	var v Validation
	c.Name = strings.TrimSpace(c.Name)
	if c.Type == "" {
		c.Type = ChannelTypeUIS
	}
	v.Check(c.Type == ChannelTypeUIS || c.Type == ChannelTypeEmail, "type", "Channel type must be uis or email.")
	v.Check(c.Name != "" && utf8.RuneCountInString(c.Name) <= 100, "name", "Name is required (at most 100 characters).")
	if c.Type == ChannelTypeEmail {
		v.Check(len(c.AppSecret) <= 500, "imap_password", "The password is too long.")
		v.Check(len(c.SMTPSecret) <= 500, "smtp_password", "The password is too long.")
		c.Email = c.Email.WithDefaults()
		c.Email.Validate(&v)
		return v.Err()
	}
	v.Check(len(c.AppSecret) <= 500, "app_secret", "App Secret is too long.")
	c.UIS = c.UIS.WithDefaults()
	c.UIS.Validate(&v)
	return v.Err()
}

// ChannelUpdate holds the fields to change; nil means unchanged. An empty
// AppSecret pointer value clears the secret.
type ChannelUpdate struct {
	Name      *string
	Active    *bool
	AppSecret *string
	UIS       *UISSettings
	// SMTPSecret and Email are an email channel's (AppSecret its IMAP password).
	SMTPSecret *string
	Email      *EmailSettings
}

// ChannelToken authorises webhooks for a channel; only its hash is stored.
type ChannelToken struct {
	ID        int64
	ChannelID int64
	Label     string
	Hint      string // last characters of the secret
	CreatedAt time.Time
	RevokedAt *time.Time
	// LastUsedAt is when a webhook last came with this token (to the minute).
	LastUsedAt *time.Time
}

// ChannelSummary is a channel with the figures its list row shows.
type ChannelSummary struct {
	*Channel
	ActiveTokens int
	// LastEventAt is when a webhook last arrived for the channel (to the minute).
	LastEventAt *time.Time
}

// DeadLetter is a webhook with a valid token that could not be understood,
// kept for an administrator to inspect and replay. One dead letter stands
// for every copy of the same body on its channel and kind.
type DeadLetter struct {
	ID        int64
	ChannelID int64
	Kind      string
	// Raw is the body exactly as received, whatever bytes it holds.
	Raw []byte
	// Error is why it was not understood, in the parser's words; Problem
	// and Field say the same as data (DeadLetterReason), so pages can
	// put it in the reader's language.
	Error   string
	Problem string
	Field   string
	// ReceivedAt is when the body first came, LastReceivedAt when it last
	// did, and Count how many times it came.
	ReceivedAt     time.Time
	LastReceivedAt time.Time
	Count          int64
	ReplayedAt     *time.Time // set once a replay succeeded
	ReplayError    string     // why the last replay failed
	ReplayProblem  string     // and that as a Problem* code
	ReplayField    string
}

// Reason returns why the dead letter was not understood.
func (d *DeadLetter) Reason() DeadLetterReason {
	return DeadLetterReason{Problem: d.Problem, Field: d.Field, Text: d.Error}
}

// ReplayReason returns why its last replay failed (zero when none did).
func (d *DeadLetter) ReplayReason() DeadLetterReason {
	return DeadLetterReason{Problem: d.ReplayProblem, Field: d.ReplayField, Text: d.ReplayError}
}

// DeadLetterReason says why a notification (or a calls report row) could
// not be understood: Problem is one of the Problem* codes, Field the field
// at fault ("" when the body as a whole is), Text the parser's own words
// for the administrator who wants the detail. Problem is "" for dead
// letters kept before Ringdesk recorded it.
type DeadLetterReason struct {
	Problem string
	Field   string
	Text    string
}

// Why a body could not be understood (DeadLetterReason.Problem).
const (
	ProblemEmptyBody   = "empty_body"   // nothing was sent
	ProblemEncoding    = "encoding"     // not UTF-8 text: a byte order mark, UTF-16
	ProblemNotObject   = "not_object"   // valid text, but no JSON object
	ProblemInvalidJSON = "invalid_json" // a JSON syntax error
	ProblemMissing     = "missing"      // Field is absent, null or empty
	ProblemWrongType   = "wrong_type"   // Field holds a value of a type it cannot have
	ProblemNotPositive = "not_positive" // Field is a number but not a positive one
	ProblemConflict    = "conflict"     // Field appears more than once with different values
	ProblemUnknownKind = "unknown_kind" // a kind of notification Ringdesk does not know
	ProblemNotStored   = "not_stored"   // understood, but its call could not be stored
	// ProblemReadableNow is no fault: a dead letter an older Ringdesk kept
	// without its problem, whose body this one reads.
	ProblemReadableNow = "readable_now"
)

// UISEmployee is a UIS employee seen in a call.
type UISEmployee struct {
	ChannelID  int64
	EmployeeID int64
	FullName   string
	LastSeenAt time.Time
}

// ReconcileState is how reconciliation with the UIS calls report went for
// a channel: how far the report has been read and the last run's result.
type ReconcileState struct {
	ChannelID   int64
	SyncedUntil time.Time // calls that started before this were reconciled; zero before the first success
	LastRunAt   time.Time
	Status      string // ReconcileOK or ReconcileError
	Error       string // the last failure, in words for an administrator
	Checked     int    // report rows the last successful run read
	Recovered   int    // calls it created
	Finished    int    // calls it finished
	Skipped     int    // report rows it could not apply (kept as dead letters)
	Failures    int    // failed runs in a row
	// UISTimezone is the account's time zone as get.account gave it on the
	// last run; a run refuses to read the report while it differs from the
	// channel's.
	UISTimezone string
}

// Reconciliation results.
const (
	ReconcileOK    = "ok"
	ReconcileError = "error"
)

// Package uis is Ringdesk's adapter to UIS cloud telephony: it parses the
// HTTP notifications (webhooks) UIS posts to us, and calls the UIS Call API
// and Data API over JSON-RPC. It knows nothing about the database.
package uis

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// EventKind names one of the four UIS notifications Ringdesk receives; it is
// the last segment of the webhook URL.
type EventKind string

// The four notifications of the seed integration.
const (
	IncomingCallStarted EventKind = "incoming_call_started" // "Входящий звонок на виртуальный номер"
	OutgoingCallStarted EventKind = "outgoing_call_started" // "Исходящий звонок"
	ConversationStarted EventKind = "conversation_started"  // "Начало разговора"
	CallFinished        EventKind = "call_finished"         // "Завершение звонка"
	// RecordingReady ("Записанный разговор") says one talk's recording can
	// be downloaded now (file_link); UIS sends it some time after the call.
	RecordingReady EventKind = "recording_ready"
)

// EventKinds lists the notifications in the order a call sends them, e.g.
// for the setup page.
var EventKinds = []EventKind{IncomingCallStarted, OutgoingCallStarted, ConversationStarted, CallFinished, RecordingReady}

// ParseEventKind maps a webhook path segment to its kind.
func ParseEventKind(s string) (EventKind, bool) {
	switch k := EventKind(s); k {
	case IncomingCallStarted, OutgoingCallStarted, ConversationStarted, CallFinished, RecordingReady:
		return k, true
	}
	return "", false
}

// Stage orders kinds for folding a call's events: both "started" kinds are
// 1, conversation_started 2, call_finished 3; recording_ready and an
// unknown kind are 0 (the recording says nothing of the call's progress).
// A call's state never moves to a lower stage, so late or repeated events
// change nothing.
func (k EventKind) Stage() int {
	switch k {
	case IncomingCallStarted, OutgoingCallStarted:
		return 1
	case ConversationStarted:
		return 2
	case CallFinished, ReportFinished:
		return 3
	}
	return 0
}

// Event is one UIS notification. It holds every variable of the
// call_finished template (the superset of the four) plus answer_time and
// leg_ids from conversation_started; a variable a kind does not send keeps
// its zero value. Pointers mark ids where "none" differs from 0 (an unknown
// contact, an unanswered call). Times are in the account's time zone unless
// UIS sent an offset; the zero time means absent.
type Event struct {
	Kind  EventKind
	Token string // ud_channel_token: the channel token the template carries

	AppID                int64
	CallSessionID        int64
	CommunicationID      int64
	CommunicationType    string
	CommunicationNumber  *int64 // the contact's how-many-th communication
	CallSource           string
	Direction            string // "in" or "out"; filled from Kind when UIS leaves it empty
	CalledPhoneNumber    string
	CallingPhoneNumber   string
	ContactPhoneNumber   string
	VirtualPhoneNumber   string
	ContactID            *int64
	ContactFullName      string
	ContactGroupIDs      []int64
	CPNRegionID          *int64
	CPNRegionName        string
	VisitorCountry       string
	TPProject            string
	ExternalID           string
	NotificationMnemonic string
	NotificationName     string
	NotificationTime     time.Time
	// NotificationTimestamp is the raw Unix timestamp UIS sends; whether it
	// is seconds or milliseconds is not documented.
	NotificationTimestamp int64

	ScenarioID                *int64
	ScenarioName              string
	ScenarioOperationIDs      []int64
	ScenarioOperationNames    []string
	LastScenarioOperationID   *int64
	LastScenarioOperationName string
	EmployeeID                *int64
	EmployeeFullName          string
	EmployeePhoneNumber       string
	ExtensionPhoneNumber      string
	EmployeeGroupIDs          []int64
	EmployeeIDs               []int64
	EmployeeFullNames         []string
	FirstAnsweredEmployeeID   *int64
	FirstAnsweredEmployeeName string
	FirstTalkedEmployeeID     *int64
	FirstTalkedEmployeeName   string
	LastAnsweredEmployeeID    *int64
	LastAnsweredEmployeeName  string
	LastTalkedEmployeeID      *int64
	LastTalkedEmployeeName    string
	NoAnsweredEmployeeNames   []string
	TalkedEmployeeNames       []string
	GroupIDs                  []int64
	TOCGroupIDs               []int64
	LegIDs                    []int64
	StartTime                 time.Time
	AnswerTime                time.Time
	ConnectionTime            time.Time
	FinishTime                time.Time
	FinishReason              string
	IsLost                    bool
	LostReason                string
	IsTransfer                bool
	OperatorRating            *int64
	CleanTalkTimeDuration     *int64 // seconds, as are all durations; nil when not sent
	TalkTimeDuration          *int64
	TotalTimeDuration         *int64
	TotalWaitTimeDuration     *int64
	WaitTimeDuration          *int64
	PostprocessTimeDuration   *int64
	RecordFileLinks           []string
	// FullRecordFileLink is the whole call's merged recording (calls
	// report rows have it besides the per-talk links).
	FullRecordFileLink string
	// FileLink and FileDuration are recording_ready's: one talk's
	// recording, ready to download.
	FileLink     string
	FileDuration *int64
	TagIDs       []int64
	TagNames     []string
	// LostCallProcessing is a calls report row's lost_call_processing_duration:
	// UIS's own seconds from a lost call to its first successful call back
	// (nil: not sent, null, or not a usable number). LostCallProcessingSent
	// says the row had the field at all, null included: an account whose
	// report leaves it out never sends it.
	LostCallProcessing     *int64
	LostCallProcessingSent bool

	// Warnings name the fields that could not be used as sent: each was
	// left empty (or repaired) so the rest of the notification counts.
	Warnings []ringdesk.CallWarning
}

// StageRank is the stage of the event's kind, see EventKind.Stage.
func (e Event) StageRank() int { return e.Kind.Stage() }

// ContactE164 returns the contact's number in E.164, reading UIS's
// digits-only form with region as the default country.
func (e Event) ContactE164(region string) (string, error) {
	return phone.Normalize(e.ContactPhoneNumber, region)
}

// ParseError says which field of a notification could not be used and why:
// as data (Problem, one of the ringdesk.Problem* codes, and Field), which
// pages put in the reader's language, and in the parser's own words
// (Error: `call_session_id: missing`).
type ParseError struct {
	Field   string // the JSON key, or "body" for the document as a whole
	Problem string // ringdesk.ProblemMissing, ...
	Reason  string
}

// Error implements error.
func (e *ParseError) Error() string { return e.Field + ": " + e.Reason }

// ParseEvent decodes a notification body of the given kind. Times without an
// offset are read in loc, the UIS account's time zone (nil means UTC).
//
// It is tolerant field by field: a value of a shape Ringdesk cannot use (an
// object where an id belongs, an unreadable time) leaves that field empty
// with a warning in Event.Warnings, so one odd field never costs the call.
// Only a body that is no JSON object, or a missing or unusable
// call_session_id (the one thing that ties a call's events together), is a
// *ParseError. A body that is invalid only because a string value holds
// unescaped quotes (ООО "Ромашка") is repaired when that is unambiguous.
// Unknown fields are ignored.
func ParseEvent(kind EventKind, body []byte, loc *time.Location) (Event, error) {
	if _, ok := ParseEventKind(string(kind)); !ok {
		return Event{}, &ParseError{Field: "kind", Problem: ringdesk.ProblemUnknownKind, Reason: "unknown event kind " + strconv.Quote(string(kind))}
	}
	if loc == nil {
		loc = time.UTC
	}
	b, repaired, err := validObject(body)
	if err != nil {
		return Event{}, err
	}
	var w wireEvent
	eachMember(b, func(key, val string) {
		if field := wireFields[key]; field != nil {
			field(&w).decode(val)
		}
	})
	switch {
	case w.CallSessionID.bad != "":
		return Event{}, &ParseError{Field: "call_session_id", Problem: ringdesk.ProblemWrongType, Reason: "cannot parse " + strconv.Quote(w.CallSessionID.bad) + " as an integer"}
	case !w.CallSessionID.set:
		return Event{}, &ParseError{Field: "call_session_id", Problem: ringdesk.ProblemMissing, Reason: "missing"}
	case w.CallSessionID.v <= 0:
		return Event{}, &ParseError{Field: "call_session_id", Problem: ringdesk.ProblemNotPositive, Reason: "must be positive, got " + strconv.FormatInt(w.CallSessionID.v, 10)}
	}
	c := conv{loc: loc}
	for _, f := range repaired {
		c.warn(f, ringdesk.WarnRepaired, "")
	}
	e := c.event(&w)
	e.Kind = kind
	e.Warnings = c.warns
	switch kind {
	case IncomingCallStarted:
		e.Direction = "in"
	case OutgoingCallStarted:
		e.Direction = "out"
	}
	return e, nil
}

// validObject checks that body is one valid JSON object and returns it as a
// string without surrounding space; decoded strings share its memory. A
// body broken only by unescaped quotes inside string values is repaired,
// and the keys whose values were repaired are returned.
func validObject(body []byte) (string, []string, error) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return "", nil, &ParseError{Field: "body", Problem: ringdesk.ProblemEmptyBody, Reason: "empty"}
	}
	if why := notUTF8(b); why != "" {
		return "", nil, &ParseError{Field: "body", Problem: ringdesk.ProblemEncoding, Reason: why}
	}
	if b[0] != '{' {
		return "", nil, &ParseError{Field: "body", Problem: ringdesk.ProblemNotObject, Reason: "not a JSON object"}
	}
	if json.Valid(b) {
		return string(b), nil, nil
	}
	if fixed, fields, ok := repairQuotes(b); ok {
		return string(fixed), fields, nil
	}
	// Decode again only to get the decoder's description of the problem.
	var v struct{}
	err := json.Unmarshal(b, &v)
	reason := "invalid JSON"
	if err != nil {
		reason += ": " + err.Error()
	}
	return "", nil, &ParseError{Field: "body", Problem: ringdesk.ProblemInvalidJSON, Reason: reason}
}

// notUTF8 says why a body is text in another encoding than the UTF-8 JSON
// needs ("" when it is not): a byte order mark, or the NUL bytes UTF-16
// puts beside every ASCII character. Other invalid UTF-8 inside strings
// (a name in Windows-1251) is repaired field by field with a warning.
func notUTF8(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		return "starts with a UTF-8 byte order mark"
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}), bytes.HasPrefix(b, []byte{0xff, 0xfe}),
		len(b) > 1 && (b[0] == 0 || b[1] == 0):
		return "UTF-16 text, not UTF-8"
	}
	return ""
}

// Token returns the ud_channel_token of a notification body without decoding
// the rest, so a webhook from an unknown sender is refused before the full
// parse. The templates put the token first, which is the fast path; any other
// layout falls back to decoding the one field. If a body repeats the key,
// Token may see a different copy than ParseEvent: callers that authorise
// with Token should compare it with Event.Token.
func Token(body []byte) (string, error) {
	if tok, ok := leadingToken(body); ok {
		return tok, nil
	}
	b, _, err := validObject(body)
	if err != nil {
		return "", err
	}
	var tok flexString
	eachMember(b, func(key, val string) {
		if key == "ud_channel_token" {
			tok.decode(val)
		}
	})
	if tok.bad != "" {
		return "", &ParseError{Field: "ud_channel_token", Problem: ringdesk.ProblemWrongType, Reason: "not a string"}
	}
	if tok.v == "" {
		return "", &ParseError{Field: "ud_channel_token", Problem: ringdesk.ProblemMissing, Reason: "missing"}
	}
	return tok.v, nil
}

// leadingToken reads `{"ud_channel_token":"..."` at the start of body when
// the value has no escapes.
func leadingToken(body []byte) (string, bool) {
	const key = `"ud_channel_token"`
	b := bytes.TrimLeft(body, " \t\r\n")
	if len(b) == 0 || b[0] != '{' {
		return "", false
	}
	b = bytes.TrimLeft(b[1:], " \t\r\n")
	if !bytes.HasPrefix(b, []byte(key)) {
		return "", false
	}
	b = bytes.TrimLeft(b[len(key):], " \t\r\n")
	if len(b) == 0 || b[0] != ':' {
		return "", false
	}
	b = bytes.TrimLeft(b[1:], " \t\r\n")
	if len(b) == 0 || b[0] != '"' {
		return "", false
	}
	end := bytes.IndexByte(b[1:], '"')
	if end <= 0 {
		return "", false
	}
	v := b[1 : 1+end]
	if bytes.IndexByte(v, '\\') >= 0 || !utf8.Valid(v) {
		return "", false
	}
	return string(v), true
}

package uissim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/ringdesk/ringdesk/internal/uis"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// EventType is a UIS notification event type ("Тип события" in the LK).
type EventType string

// The call events the helpdesk integration uses: the four of the seed article and the
// "recording ready" event. The string values are the helpdesk webhook path segments;
// LKName gives the UIS LK names.
const (
	EventIncomingCallStarted EventType = "incoming_call_started"
	EventOutgoingCallStarted EventType = "outgoing_call_started"
	EventConversationStarted EventType = "conversation_started"
	EventCallFinished        EventType = "call_finished"
	// EventRecordingReady ("Записанный разговор") is sent once per recorded talk when its
	// recording can be downloaded: file_link and file_duration plus the usual call variables.
	EventRecordingReady EventType = "recording_ready"
)

// lkNames are the event types as the UIS LK names them ("Тип события").
var lkNames = map[EventType]string{
	EventIncomingCallStarted: "Входящий звонок на виртуальный номер",
	EventOutgoingCallStarted: "Исходящий звонок",
	EventConversationStarted: "Начало разговора",
	EventCallFinished:        "Завершение звонка",
	EventRecordingReady:      "Записанный разговор",
}

// LKName is the event type's name in the UIS LK ("Тип события").
func (e EventType) LKName() string { return lkNames[e] }

// ParseEventType accepts an event by its code or by its UIS LK name.
func ParseEventType(s string) (EventType, bool) {
	for k, v := range lkNames {
		if s == string(k) || s == v {
			return k, true
		}
	}
	return "", false
}

// UnmarshalJSON accepts the LK name as well as the code.
func (e *EventType) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	ev, ok := ParseEventType(s)
	if !ok {
		return fmt.Errorf("unknown event type %q", s)
	}
	*e = ev
	return nil
}

// UnmarshalText lets EventType be a JSON map key (Behaviour.Mnemonics).
func (e *EventType) UnmarshalText(b []byte) error {
	ev, ok := ParseEventType(string(b))
	if !ok {
		return fmt.Errorf("unknown event type %q", string(b))
	}
	*e = ev
	return nil
}

// DefaultMnemonics returns the notification_mnemonic values the simulator sends. The real
// values are not public; these follow the constant names seen in public code
// (MNEMONIC_IN_CALL_SESSION, MNEMONIC_CALL_CONNECTED, MNEMONIC_CALL_SESSION_FINISHED).
func DefaultMnemonics() map[EventType]string {
	return map[EventType]string{
		EventIncomingCallStarted: "in_call_session",
		EventOutgoingCallStarted: "out_call_session",
		EventConversationStarted: "call_connected",
		EventCallFinished:        "call_session_finished",
		EventRecordingReady:      "call_record_ready",
	}
}

// Notification is one HTTP notification configured in the LK "Уведомления" section.
type Notification struct {
	Name   string    `json:"name"`
	Event  EventType `json:"event"`
	URL    string    `json:"url"`
	Method string    `json:"method"` // POST (default) or GET
	// Body is the POST body template; GET substitutes the variables into URL instead.
	Body string `json:"body,omitempty"`
	// Conditions, like the LK notification conditions, send the notification only for calls
	// that match them (default: every call).
	Conditions *Conditions `json:"conditions,omitempty"`
}

// Conditions restrict a notification to some calls; an empty list matches every call.
type Conditions struct {
	// VirtualPhoneNumbers: only calls on these virtual numbers.
	VirtualPhoneNumbers []string `json:"virtual_phone_numbers,omitempty"`
	// CallSources: only calls of these sources (call_source).
	CallSources []string `json:"call_sources,omitempty"`
}

func (c *Conditions) match(vnum, source string) bool {
	if c == nil {
		return true
	}
	return (len(c.VirtualPhoneNumbers) == 0 || slices.Contains(c.VirtualPhoneNumbers, vnum)) &&
		(len(c.CallSources) == 0 || slices.Contains(c.CallSources, source))
}

func (n *Notification) normalize() error {
	n.Method = strings.ToUpper(n.Method)
	if n.Method == "" {
		n.Method = "POST"
	}
	if n.Method != "POST" && n.Method != "GET" {
		return fmt.Errorf("notification %q: method must be POST or GET", n.Name)
	}
	if _, ok := lkNames[n.Event]; !ok {
		return fmt.Errorf("notification %q: unknown event %q", n.Name, n.Event)
	}
	u, err := url.Parse(n.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("notification %q: url must be absolute http(s)", n.Name)
	}
	if n.Name == "" {
		n.Name = n.Event.LKName()
	}
	return nil
}

// SeedTemplates returns the four seed notification bodies keyed by event, with token as the
// channel token.
func SeedTemplates(token string) map[EventType]string {
	t := uis.Templates(token)
	out := map[EventType]string{}
	for _, ev := range []EventType{EventIncomingCallStarted, EventOutgoingCallStarted, EventConversationStarted, EventCallFinished} {
		out[ev] = t[uis.EventKind(ev)]
	}
	return out
}

// RecordingReadyTemplate is a body for the "Записанный разговор" notification in the style of
// the seed bodies, with token as the channel token: the partner-template variables of the
// reference (§4.3, row 3) plus the ids that tie it to its call.
func RecordingReadyTemplate(token string) string { return uis.Templates(token)[uis.RecordingReady] }

// RecordingReadyNotification is the "Записанный разговор" notification for a helpdesk at base:
// POST {base}/telephony/uis/webhook/recording_ready/ with RecordingReadyTemplate. It is not
// one of the seed article's four, so SeedNotifications leaves it out.
func RecordingReadyNotification(base, token string) Notification {
	return Notification{Name: EventRecordingReady.LKName(), Event: EventRecordingReady, Method: "POST",
		Body: RecordingReadyTemplate(token), URL: strings.TrimRight(base, "/") + "/telephony/uis/webhook/" + string(EventRecordingReady) + "/"}
}

// SeedNotifications builds the notification set of the seed article for a helpdesk at base:
// POST {base}/telephony/uis/webhook/{event}/ with the seed body for each of the four events.
func SeedNotifications(base, token string) []Notification {
	base = strings.TrimRight(base, "/")
	t := SeedTemplates(token)
	var out []Notification
	for _, ev := range []EventType{EventIncomingCallStarted, EventOutgoingCallStarted, EventConversationStarted, EventCallFinished} {
		out = append(out, Notification{
			Name: ev.LKName(), Event: ev, Method: "POST", Body: t[ev],
			URL: base + "/telephony/uis/webhook/" + string(ev) + "/",
		})
	}
	return out
}

var placeholderRE = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_]+)\s*\}\}`)

// TemplateVariables lists the variables a template names, in order of first appearance.
func TemplateVariables(tmpl string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range placeholderRE.FindAllStringSubmatch(tmpl, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// RenderJSON renders a POST body template: every {{var}} becomes the value as a JSON literal
// (strings quoted and escaped, numbers and booleans bare, lists as arrays, unset or empty
// values as null), which is what makes UIS's unquoted templates valid JSON.
func RenderJSON(tmpl string, vars map[string]any) string {
	return placeholderRE.ReplaceAllStringFunc(tmpl, func(m string) string {
		name := placeholderRE.FindStringSubmatch(m)[1]
		return jsonLiteral(vars[name])
	})
}

// RenderQuery renders a GET URL template: values go in as plain text, query-escaped; lists
// are comma-joined and unset values are empty.
func RenderQuery(tmpl string, vars map[string]any) string {
	return placeholderRE.ReplaceAllStringFunc(tmpl, func(m string) string {
		name := placeholderRE.FindStringSubmatch(m)[1]
		return url.QueryEscape(plainText(vars[name]))
	})
}

func jsonLiteral(v any) string {
	switch x := v.(type) {
	case rawJSON:
		return string(x)
	case unescapedString:
		return unescapedLiteral(string(x))
	}
	if isEmpty(v) {
		return "null"
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // UIS keeps UTF-8 and <>& as they are
	if err := enc.Encode(v); err != nil {
		return "null"
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func plainText(v any) string {
	if isEmpty(v) {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case rawJSON:
		return string(x)
	case unescapedString:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	case []string:
		return strings.Join(x, ",")
	case []int64:
		parts := make([]string, len(x))
		for i, n := range x {
			parts[i] = strconv.FormatInt(n, 10)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []string:
		return len(x) == 0
	case []int64:
		return len(x) == 0
	case *int64:
		return x == nil
	}
	return false
}

// Faults are the delivery fault knobs for tests. Random decisions use the simulator's seeded
// generator, so a fixed Config.Seed reproduces them.
type Faults struct {
	// DuplicateProbability duplicates a notification with this probability.
	DuplicateProbability float64 `json:"duplicate_probability"`
	// Duplicates is how many extra copies a duplicated notification gets (default 1). With
	// DuplicateProbability 0 and Duplicates > 0 every notification is duplicated.
	Duplicates int `json:"duplicates"`
	// Shuffle delivers a call's notifications in random order, all after the call finished.
	Shuffle bool `json:"shuffle"`
	// Delay is an extra wait before each delivery, applied with DelayProbability (1 if zero).
	Delay            Duration `json:"delay"`
	DelayProbability float64  `json:"delay_probability"`
	// DropProbability drops a notification outright (logged with status "dropped").
	DropProbability float64 `json:"drop_probability"`
	// DropEvents drops every notification of these events.
	DropEvents []EventType `json:"drop_events"`
	// RecordingsExpireAfter makes recordings answer 410 Gone this long after the call ended.
	RecordingsExpireAfter Duration `json:"recordings_expire_after"`
	// InternalErrorMethods makes these API methods answer -32603 internal_error.
	InternalErrorMethods []string `json:"internal_error_methods"`
	// MethodErrors makes an API method answer a UIS refusal instead of running, by mnemonic:
	// {"start.employee_call": "no_active_phone_number"}. See RefusalMnemonics for the choice;
	// "security" stands for the -32002 security-rules refusal.
	MethodErrors map[string]string `json:"method_errors,omitempty"`
}

func (f Faults) validate() error {
	for _, p := range []float64{f.DuplicateProbability, f.DelayProbability, f.DropProbability} {
		if p < 0 || p > 1 {
			return fmt.Errorf("probabilities must be within 0..1")
		}
	}
	if f.Duplicates < 0 || f.Duplicates > 100 || f.Delay < 0 || f.RecordingsExpireAfter < 0 {
		return fmt.Errorf("duplicates must be 0..100 and durations non-negative")
	}
	for m, mn := range f.MethodErrors {
		if !slices.Contains(RefusalMnemonics, mn) {
			return fmt.Errorf("method_errors: %s: unknown refusal %q (one of %s)", m, mn, strings.Join(RefusalMnemonics, ", "))
		}
	}
	return nil
}

// Duration is a time.Duration that reads and writes JSON as "1.5s" (or a number of seconds).
type Duration time.Duration

// MarshalJSON writes the duration as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON accepts "250ms" or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err == nil {
		*d = Duration(f * float64(time.Second))
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string like \"1s\" or a number of seconds")
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// SeedTokenPlaceholder stands in the seed bodies where the article says "токен из пункта 9".
const SeedTokenPlaceholder = uis.TemplateTokenPlaceholder

package ringdesk

import "time"

// CallEventKind says what a call event is. UIS names its notifications
// differently; the adapter (internal/uis) maps them once, at the edge.
type CallEventKind uint8

// The kinds of call events, in the order of the call's life.
const (
	CallStartedIn    CallEventKind = iota + 1 // an incoming call reached a virtual number
	CallStartedOut                            // an outgoing call was placed
	CallConversation                          // someone answered: a talk began
	CallReport                                // a calls report row, standing in for a lost call_finished
	CallFinishedKind                          // the call ended: the final word on its outcome
	// CallRecordingReady says a talk's recording can be downloaded. It
	// belongs to no stage: it says the call is over, not how it went.
	CallRecordingReady
)

// Stage orders a call's events: both "started" kinds are 1, a conversation
// 2, a finish (real or from the report) 3. A call never moves back to a
// lower stage, so late or repeated events cannot undo a later one.
func (k CallEventKind) Stage() int {
	switch k {
	case CallStartedIn, CallStartedOut:
		return 1
	case CallConversation:
		return 2
	case CallReport, CallFinishedKind:
		return 3
	}
	return 0
}

// CallEvent is one thing Ringdesk learned about a call: a notification, or
// a row of the UIS calls report. The adapter builds it from the body once;
// everything after that works on this value, never on the body again.
// Times are zero when unknown; durations are nil when unknown.
type CallEvent struct {
	Kind CallEventKind
	// Key identifies the body (a hash of it), so two events that tie on
	// everything else still fold in one order, and a byte-identical copy
	// is recognised as the same event.
	Key uint64

	NotifiedAt     time.Time // when UIS sent it
	StartTime      time.Time
	AnswerTime     time.Time // a conversation's start
	ConnectionTime time.Time // call_finished: when the call was connected
	FinishTime     time.Time

	Direction       string // DirectionIn, DirectionOut or ""
	ContactPhone    string // E.164 when the contact's number is a phone number, else as sent
	ContactRaw      string // the contact's number as UIS sent it
	ContactName     string
	VirtualNumber   string
	ExternalID      string
	ScenarioID      *int64
	ScenarioName    string
	RegionName      string
	CallSource      string
	CallingNumber   string
	CalledNumber    string
	CommunicationID int64

	// Employee is the employee the event is about: who placed an outgoing
	// call, who answered a conversation.
	Employee *EmployeeRef
	// Employees are every employee a finished call involved.
	Employees                                            []EmployeeRef
	FirstAnswered, LastAnswered, FirstTalked, LastTalked *EmployeeRef

	// Outcome is what a finish (stage 3) says of the whole call.
	Outcome *CallOutcome
	// RecordingLink is a talk's recording a CallRecordingReady event names.
	RecordingLink string
	// Warnings name the fields of the body that could not be used as sent.
	Warnings []CallWarning
}

// EmployeeRef names a UIS employee.
type EmployeeRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name,omitempty"`
}

// CallOutcome is what a finished call's notification (or report row) says
// of the call as a whole. A nil duration is unknown: UIS did not send it,
// or sent something no call can have (a negative number).
type CallOutcome struct {
	Wait              *int64   `json:"wait,omitempty"`
	Talk              *int64   `json:"talk,omitempty"`
	Total             *int64   `json:"total,omitempty"`
	CleanTalk         *int64   `json:"clean_talk,omitempty"`
	TotalWait         *int64   `json:"total_wait,omitempty"`
	Postprocess       *int64   `json:"postprocess,omitempty"`
	IsLost            bool     `json:"lost,omitempty"`
	IsTransfer        bool     `json:"transfer,omitempty"`
	FinishReason      string   `json:"finish_reason,omitempty"`
	LostReason        string   `json:"lost_reason,omitempty"`
	OperatorRating    *int64   `json:"rating,omitempty"`
	LastOperationName string   `json:"last_operation,omitempty"`
	Tags              []string `json:"tags,omitempty"`
	Recordings        []string `json:"recordings,omitempty"`
	FullRecording     string   `json:"full_recording,omitempty"`
}

// CallWarning says that a field of a call's events could not be used as
// UIS sent it, and what Ringdesk did instead. Problem is one of the
// Warn* codes, so pages can put it in the reader's language.
type CallWarning struct {
	Field   string `json:"field"`
	Problem string `json:"problem"`
	Value   string `json:"value,omitempty"` // the value as sent, shortened
}

// Warning problems.
const (
	WarnUnreadable        = "unreadable"          // not of any shape the field can have: ignored
	WarnNegative          = "negative"            // a negative duration: kept as unknown
	WarnCut               = "cut"                 // longer than Ringdesk keeps: shortened
	WarnInvalidText       = "invalid_text"        // invalid UTF-8 or NUL characters: replaced or removed
	WarnFinishBeforeStart = "finish_before_start" // the finish time is before the start: kept as unknown
	WarnTooManyEvents     = "too_many_events"     // the call had more events than Ringdesk folds
	WarnRepaired          = "repaired"            // unescaped quotes inside the value were escaped
)

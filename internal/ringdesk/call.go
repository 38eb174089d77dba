package ringdesk

import "time"

// Call directions and states.
const (
	DirectionIn  = "in"
	DirectionOut = "out"

	CallRinging  = "ringing"
	CallTalking  = "talking"
	CallFinished = "finished"
)

// Call is one UIS call session: unique per (channel, call_session_id) and
// always attached to a ticket and a client.
type Call struct {
	ID            int64
	ChannelID     int64
	CallSessionID int64
	CallFacts
	// AgentID is the agent whose Operator ID matches EmployeeID, if any.
	AgentID   *int64
	TicketID  int64
	ClientID  int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CallFacts is what a call's events say, folded: the same set of events
// gives the same facts whatever order they arrived in.
type CallFacts struct {
	Direction          string
	State              string
	Stage              int
	ContactPhone       string // E.164, or the raw value when it is no phone number
	ContactName        string
	VirtualPhoneNumber string
	StartedAt          time.Time
	AnsweredAt         *time.Time
	FinishedAt         *time.Time
	WaitSeconds        int64
	TalkSeconds        int64
	TotalSeconds       int64
	IsLost             bool
	FinishReason       string
	LostReason         string
	IsTransfer         bool
	// EmployeeID is the UIS employee responsible: who placed an outgoing
	// call, who answered (last talked, after a transfer) an incoming one.
	EmployeeID *int64
	ExternalID string
	Recordings []string
	Details    CallDetails
}

// CallDetails are the secondary facts of a call, kept as JSON.
type CallDetails struct {
	Employees          []CallEmployee `json:"employees,omitempty"`
	Tags               []string       `json:"tags,omitempty"`
	ScenarioID         *int64         `json:"scenario_id,omitempty"`
	ScenarioName       string         `json:"scenario_name,omitempty"`
	RegionName         string         `json:"region_name,omitempty"`
	CallSource         string         `json:"call_source,omitempty"`
	CommunicationID    int64          `json:"communication_id,omitempty"`
	CallingPhoneNumber string         `json:"calling_phone_number,omitempty"`
	CalledPhoneNumber  string         `json:"called_phone_number,omitempty"`
	CleanTalkSeconds   int64          `json:"clean_talk_seconds,omitempty"`
	TotalWaitSeconds   int64          `json:"total_wait_seconds,omitempty"`
	PostprocessSeconds int64          `json:"postprocess_seconds,omitempty"`
	OperatorRating     *int64         `json:"operator_rating,omitempty"`
	LastOperationName  string         `json:"last_operation_name,omitempty"`
	ContactRaw         string         `json:"contact_raw,omitempty"`
	// Recovered says what Ringdesk learned from the UIS calls report rather
	// than from notifications: RecoveredCall or RecoveredFinish; "" when
	// notifications told everything.
	Recovered string `json:"recovered,omitempty"`
	// FullRecording is the link to the whole call's merged recording, when
	// UIS gave one besides the per-talk recordings.
	FullRecording string `json:"full_recording,omitempty"`
	// UnknownDurations names the durations ("wait", "talk", "total") UIS
	// did not send usably: they are 0 in the columns and shown as unknown.
	UnknownDurations []string `json:"unknown_durations,omitempty"`
	// Warnings name what UIS sent that could not be used as sent.
	Warnings []CallWarning `json:"warnings,omitempty"`
}

// Seconds returns the named duration ("wait", "talk", "total") and whether
// it is known.
func (f CallFacts) Seconds(name string) (int64, bool) {
	v := map[string]int64{"wait": f.WaitSeconds, "talk": f.TalkSeconds, "total": f.TotalSeconds}[name]
	return v, f.Details.DurationKnown(name)
}

// DurationKnown reports whether the named duration ("wait", "talk",
// "total") is known.
func (d CallDetails) DurationKnown(name string) bool {
	for _, u := range d.UnknownDurations {
		if u == name {
			return false
		}
	}
	return true
}

// CallStateUnknownAfter is how long a call may stay unfinished before it is
// shown as "state unknown": no real call lasts this long, so its
// call_finished was lost and the UIS calls report could not make up for it.
const CallStateUnknownAfter = 6 * time.Hour

// StateUnknown reports whether the call has been unfinished for longer
// than CallStateUnknownAfter at now.
func (c *Call) StateUnknown(now time.Time) bool {
	return c.State != CallFinished && now.Sub(c.StartedAt) > CallStateUnknownAfter
}

// RingingQuiet is how long a call may ring with no news from UIS (no new
// event) before Ringdesk stops showing it as ringing. UIS reports a ringing
// call's every turn (answered, sent on to other employees, lost,
// finished); one quiet for this long lost its notifications (Ringdesk was
// down, UIS gave up delivering), and the reconciliation with the UIS calls
// report will settle it. Its pop-ups go rather than ring on screens for
// minutes.
const RingingQuiet = 2 * time.Minute

// RingingLeft returns how much longer a ringing call whose last event came
// at last is shown as ringing at now: until RingingQuiet after that event,
// never more (a last event "in the future" comes from another instance's
// clock), and 0 once that has passed.
func RingingLeft(last, now time.Time) time.Duration {
	return min(max(RingingQuiet-now.Sub(last), 0), RingingQuiet)
}

// RingingShown reports whether a call in state, whose last event came at
// last, is shown as ringing at now.
func RingingShown(state string, last, now time.Time) bool {
	return state == CallRinging && RingingLeft(last, now) > 0
}

// RingingSince returns the time a ringing call's last event must be later
// than to be shown as ringing at now (what RingingShown decides, as a bound
// for queries).
func RingingSince(now time.Time) time.Time { return now.Add(-RingingQuiet) }

// What reconciliation with the UIS calls report recovered of a call.
const (
	RecoveredCall   = "call"   // no notification arrived: the call is known from the report only
	RecoveredFinish = "finish" // call_finished never arrived: the report finished the call
)

// CallEmployee is a UIS employee involved in a call.
type CallEmployee struct {
	ID       int64  `json:"id"`
	Name     string `json:"name,omitempty"`
	AgentID  *int64 `json:"agent_id,omitempty"`
	Answered bool   `json:"answered,omitempty"`
	Talked   bool   `json:"talked,omitempty"`
}

// EmployeeIDs lists the UIS ids of every employee involved.
func (f CallFacts) EmployeeIDs() []int64 {
	out := make([]int64, 0, len(f.Details.Employees))
	for _, e := range f.Details.Employees {
		out = append(out, e.ID)
	}
	return out
}

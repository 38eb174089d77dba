package ringdesk

import (
	"strings"
	"time"
)

// Missed calls are owned until called back. A ticket marked missed waits
// until a call with its client is answered (an agent called back and the
// client picked up, or the client called again and was answered), or until
// an agent marks it handled with a reason. While it waits, an agent who
// clicks "Call back" claims it for CallBackClaimFor, so that two agents
// never call the same client back at once.

// CallBackClaimFor is how long a click on "Call back" keeps other agents
// from calling the same missed client: long enough to dial, ring and talk
// a little; a claim older than this no longer stops anyone.
const CallBackClaimFor = 5 * time.Minute

// MaxHandledReason caps the reason an agent gives for marking a missed
// call handled without calling back.
const MaxHandledReason = 500

// CallBack is how a missed ticket's wait ended with a call.
type CallBack struct {
	// AgentID is the agent who talked to the client (nil when the call's
	// employee is linked to no agent).
	AgentID *int64
	// Direction is DirectionOut when an agent called back, DirectionIn when
	// the client called again.
	Direction string
	// After is the time from the first missed call to the answer.
	After time.Duration
}

// CallBackAfter returns how f ends t's wait for a call back, or nil when it
// does not: t must be missed and f an answered call with the client,
// answered after the first miss (a late event of an earlier call ends
// nothing).
func CallBackAfter(t CallTicket, f CallFacts, agent *int64) *CallBack {
	if !t.Missed || f.IsLost || f.AnsweredAt == nil {
		return nil
	}
	cb := &CallBack{Direction: f.Direction}
	if agent != nil {
		a := *agent
		cb.AgentID = &a
	}
	if t.MissedSince != nil {
		if f.AnsweredAt.Before(*t.MissedSince) {
			return nil
		}
		cb.After = f.AnsweredAt.Sub(*t.MissedSince)
	}
	return cb
}

// ClaimCutoff is the oldest claim time that still holds at now.
func ClaimCutoff(now time.Time) time.Time { return now.Add(-CallBackClaimFor) }

// CallBackClaim is an agent's claim on calling a missed client back.
type CallBackClaim struct {
	AgentID   int64
	AgentName string
	At        time.Time
}

// Active reports whether the claim is younger than CallBackClaimFor at now.
func (c *CallBackClaim) Active(now time.Time) bool {
	return c != nil && c.At.After(ClaimCutoff(now))
}

// Holds reports whether the claim still stops agent from calling back at
// now: it is another agent's and active.
func (c *CallBackClaim) Holds(agent int64, now time.Time) bool {
	return c.Active(now) && c.AgentID != agent
}

// HandledReason checks and cleans the reason for marking a missed call
// handled without calling back.
func HandledReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	v := &Validation{}
	v.Check(reason != "", "reason", "Say why the missed call needs no call back.")
	v.Check(len([]rune(reason)) <= MaxHandledReason, "reason", "The reason is too long.")
	if err := v.Err(); err != nil {
		return "", err
	}
	return reason, nil
}

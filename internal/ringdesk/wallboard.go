package ringdesk

import "time"

// Board is what the live wallboard shows: the calls now, the agents, and
// today's figures.
type Board struct {
	// Ringing counts incoming calls ringing now; LongestWait is the longest
	// of their waits so far, LongestSince when that call started.
	Ringing      int
	LongestWait  time.Duration
	LongestSince *time.Time
	// Talking counts calls in conversation now.
	Talking int
	// Available agents take calls and are on none; OnCall agents talk now;
	// Away agents switched calls off. Agents without an Operator ID take no
	// calls and are not counted.
	Available, OnCall, Away int
}

// BuildBoard counts the calls ringing or talking at now (as the live pages
// show them: a ringing call quiet for RingingQuiet is not) and the agents.
func BuildBoard(calls []*CallLive, agents []*Agent, now time.Time) Board {
	var b Board
	talking := map[int64]bool{}
	for _, c := range calls {
		switch {
		case c.State == CallTalking:
			b.Talking++
			if c.AgentID != nil {
				talking[*c.AgentID] = true
			}
		case RingingShown(c.State, c.LastEventAt, now) && c.Direction == DirectionIn:
			b.Ringing++
			if w := max(now.Sub(c.StartedAt), 0); b.LongestSince == nil || w > b.LongestWait {
				b.LongestWait = w
				since := c.StartedAt
				b.LongestSince = &since
			}
		}
	}
	for _, a := range agents {
		switch {
		case !a.Active || a.OperatorID == nil:
		case talking[a.ID]:
			b.OnCall++
		case a.Available:
			b.Available++
		default:
			b.Away++
		}
	}
	return b
}

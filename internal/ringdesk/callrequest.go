package ringdesk

import "time"

// Click-to-call request statuses.
const (
	CallRequestPending = "pending" // stored, UIS not answered yet
	CallRequestStarted = "started" // UIS started the call session
	CallRequestFailed  = "failed"  // UIS refused or could not be reached
)

// CallRequest asks Ringdesk to ring the agent's phone and then a client
// (click-to-call). Give ClientID or Phone; TicketID attaches the call to
// that ticket; ChannelID picks the UIS channel (0: the first active one).
type CallRequest struct {
	ChannelID int64
	ClientID  int64
	TicketID  int64
	Phone     string
	// NewTicket asks for a new ticket for the call even when the client
	// has an open one (which a call placed without a ticket joins).
	NewTicket bool
}

// CallRequestRecord is a stored click-to-call request; UIS echoes its
// ExternalID in the call's notifications.
type CallRequestRecord struct {
	ID            int64
	ExternalID    string
	ChannelID     int64
	AgentID       int64
	ClientID      *int64
	TicketID      *int64
	Phone         string // E.164
	Status        string
	CallSessionID *int64
	Error         string // the UIS mnemonic or transport failure, for the log and admins
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// CallOutcome names how a call ended for an agent: answered, missed
// (a lost incoming call), busy, no_answer (an unanswered outgoing call, or
// one that ended without an answer); "" while it is in progress, even when
// answered: an answered call has no outcome until it ends.
func (c *Call) CallOutcome() string {
	switch {
	case c.State != CallFinished:
		return ""
	case c.IsLost && c.Direction == DirectionIn:
		return "missed"
	case c.AnsweredAt != nil && !c.IsLost:
		return "answered"
	case c.FinishReason == "subscriber_busy":
		return "busy"
	}
	return "no_answer"
}

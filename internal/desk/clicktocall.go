package desk

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// DoubleClickWindow is how long a second click for the same agent and
// number returns the first request instead of dialling again.
const DoubleClickWindow = 10 * time.Second

// uisCallTimeout bounds one click-to-call round trip to UIS: an agent is
// waiting for it.
const uisCallTimeout = 10 * time.Second

var uisHTTP = &http.Client{Timeout: uisCallTimeout}

// CallError is a click-to-call refusal: a domain error with a plain
// message, and for UIS refusals the UIS mnemonic (the API reports it).
type CallError struct {
	// Mnemonic is UIS's error mnemonic ("employee_not_found"), "timeout" or
	// "unreachable" for transport failures, "" for refusals before UIS.
	Mnemonic string
	err      *ringdesk.Error
}

// Error implements error.
func (e *CallError) Error() string { return e.err.Error() }

// Unwrap exposes the domain error, so ringdesk.ErrorCode sees it.
func (e *CallError) Unwrap() error { return e.err }

// UISMnemonic is UIS's name of the refusal ("" when Ringdesk refused).
func (e *CallError) UISMnemonic() string { return e.Mnemonic }

// Message is the plain-language explanation (English; the web layer
// translates it).
func (e *CallError) Message() string { return e.err.Message }

func callRefused(code, field, msg string) error {
	e := &ringdesk.Error{Code: code, Message: msg}
	if field != "" {
		e.Fields = map[string]string{field: msg}
	}
	return &CallError{err: e}
}

// uisCallMessage turns a UIS or transport failure of start.employee_call
// into a code, a mnemonic and a message an agent understands.
func uisCallMessage(err error) (code, mnemonic, msg string) {
	var ue *uis.Error
	if errors.As(err, &ue) {
		t := uisErrorFor(ue)
		return t.code, ue.Mnemonic, t.agent
	}
	var ne interface{ Timeout() bool }
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return ringdesk.EUNAVAILABLE, "timeout", "UIS did not answer in time. Try again in a moment."
	}
	return ringdesk.EUNAVAILABLE, "unreachable", "UIS cannot be reached right now. Try again in a moment."
}

// callChannel picks the UIS channel for an outgoing call: the one asked for,
// else the first active UIS channel.
func (d *Desk) callChannel(ctx context.Context, id int64) (*ringdesk.Channel, error) {
	if id != 0 {
		ch, err := d.db.ChannelByID(ctx, id)
		if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND {
			return nil, callRefused(ringdesk.EINVALID, "channel_id", "There is no such channel.")
		} else if err != nil {
			return nil, err
		}
		if ch.Type != ringdesk.ChannelTypeUIS || !ch.Active {
			return nil, callRefused(ringdesk.EINVALID, "channel_id", "This channel is not an active UIS channel.")
		}
		return ch, nil
	}
	chs, err := d.db.ListChannels(ctx)
	if err != nil {
		return nil, err
	}
	for _, ch := range chs {
		if ch.Type == ringdesk.ChannelTypeUIS && ch.Active {
			return ch, nil
		}
	}
	return nil, callRefused(ringdesk.EINVALID, "", "No active UIS channel is set up, so calls cannot be placed. Ask an administrator to add one under Channels.")
}

// callNumber resolves the number to dial (E.164) and the client.
func (d *Desk) callNumber(ctx context.Context, req *ringdesk.CallRequest) (string, error) {
	if req.TicketID != 0 {
		client, err := d.db.ClientOfTicket(ctx, req.TicketID)
		if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND {
			return "", callRefused(ringdesk.EINVALID, "ticket_id", "There is no such ticket.")
		} else if err != nil {
			return "", err
		}
		if req.ClientID == 0 {
			req.ClientID = client
		}
	}
	var client *ringdesk.Client
	if req.ClientID != 0 {
		c, err := d.db.ClientByID(ctx, req.ClientID)
		if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND {
			return "", callRefused(ringdesk.EINVALID, "client_id", "There is no such client.")
		} else if err != nil {
			return "", err
		}
		client = c
	}
	if req.Phone != "" {
		e164, err := phone.Normalize(req.Phone, d.cfg.PhoneRegion)
		if err != nil {
			return "", callRefused(ringdesk.EINVALID, "phone", "This is not a valid phone number; enter it with the country code, e.g. +7 926 123-45-67.")
		}
		return e164, nil
	}
	if client == nil {
		return "", callRefused(ringdesk.EINVALID, "phone", "Give a phone number or a client to call.")
	}
	if len(client.Phones) == 0 {
		return "", callRefused(ringdesk.EINVALID, "client_id", "This client has no phone number. Add one to the client card first.")
	}
	return client.Phones[0], nil
}

// StartCall places a click-to-call: UIS rings the agent's phone (their
// Operator ID) and then connects the number. Refusals that need no UIS
// (no Operator ID, no channel, no valid number) happen before UIS is
// called. A repeat of the same agent and number within DoubleClickWindow
// returns the first request without dialling again. UIS failures are a
// *CallError with a plain message; the detail goes to the log only.
func (d *Desk) StartCall(ctx context.Context, agent *ringdesk.Agent, req ringdesk.CallRequest) (*ringdesk.CallRequestRecord, error) {
	outcome := ""
	rec, err := d.startCall(ctx, agent, req, &outcome)
	if outcome == "" {
		switch {
		case err == nil:
			outcome = "started"
		case ringdesk.ErrorCode(err) == ringdesk.EUNAVAILABLE || ringdesk.ErrorCode(err) == ringdesk.EINTERNAL:
			outcome = "error"
		default:
			outcome = "refused"
		}
	}
	d.cfg.Metrics.ClickToCall(outcome)
	return rec, err
}

// startCall is StartCall; it sets *outcome for the outcomes only it knows
// (repeated, uis_error, unavailable).
func (d *Desk) startCall(ctx context.Context, agent *ringdesk.Agent, req ringdesk.CallRequest, outcome *string) (*ringdesk.CallRequestRecord, error) {
	if agent == nil {
		return nil, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "Log in to place calls.")
	}
	if agent.OperatorID == nil {
		return nil, callRefused(ringdesk.EINVALID, "", "Your Operator ID is not set, so UIS does not know which phone to ring. Ask an administrator to enter your UIS employee id on your agent page.")
	}
	number, err := d.callNumber(ctx, &req)
	if err != nil {
		return nil, err
	}
	ch, err := d.callChannel(ctx, req.ChannelID)
	if err != nil {
		return nil, err
	}
	if ch.UIS.VirtualPhoneNumber == "" {
		return nil, callRefused(ringdesk.EINVALID, "", "The UIS channel has no default outgoing number. Ask an administrator to set it in the channel settings.")
	}
	secret, err := d.AppSecret(ctx, ch.ID)
	if err != nil {
		return nil, err
	}
	if secret == "" {
		return nil, callRefused(ringdesk.EINVALID, "", "The UIS channel has no App Secret. Ask an administrator to enter it in the channel settings.")
	}
	if req.TicketID == 0 && !req.NewTicket {
		// An agent calling a client works on the client's open ticket: the
		// call joins it, as the agent can see on the ticket, unless they
		// asked for a new one.
		if req.TicketID, err = d.OpenTicketToCall(ctx, req.ClientID, number); err != nil {
			return nil, err
		}
	}
	if req.TicketID != 0 {
		// Calling a missed ticket's client back claims it, so that two agents
		// never call the same client back at once.
		now := d.Now()
		other, err := d.db.ClaimCallBack(ctx, req.TicketID, agent.ID, now, ringdesk.ClaimCutoff(now))
		if err != nil {
			return nil, err
		}
		if other.Holds(agent.ID, now) {
			return nil, &CallError{err: ringdesk.Errorf(ringdesk.ECONFLICT,
				"%s is already calling this client back. Open the ticket to see how it went.", other.AgentName)}
		}
	}
	rec, created, err := d.db.CreateCallRequest(ctx, storeCallRequest(ch.ID, agent.ID, req, number), DoubleClickWindow, d.Now())
	if err != nil {
		return nil, err
	}
	if !created {
		*outcome = "repeated"
		d.log.Info("click-to-call repeated; reusing the request", "request_id", rec.ID, "agent_id", agent.ID)
		return rec, nil
	}
	// The call goes on even if the agent's browser gives up waiting.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), uisCallTimeout)
	defer cancel()
	client := d.uisClient(ch.UIS.CallAPIURL, ch.UIS.DataAPIURL, uisHTTP)
	session, uerr := client.StartEmployeeCall(cctx, secret, uis.StartEmployeeCallRequest{
		FirstCall:          uis.FirstCallEmployee,
		VirtualPhoneNumber: phone.UIS(ch.UIS.VirtualPhoneNumber),
		Contact:            phone.UIS(number),
		ExternalID:         rec.ExternalID,
		Direction:          uis.DirectionOut,
		Employee:           uis.CallEmployee{ID: *agent.OperatorID},
	})
	now := d.Now()
	// The request's record is finished whatever the browser does meanwhile:
	// an abandoned browser request must not leave it pending.
	ctx = context.WithoutCancel(ctx)
	if uerr != nil {
		*outcome, _ = uis.Outcome(uerr)
		code, mnemonic, msg := uisCallMessage(uerr)
		d.log.Warn("click-to-call failed", "request_id", rec.ID, "agent_id", agent.ID, "channel_id", ch.ID,
			"mnemonic", mnemonic, "err", uerr) // uis errors never carry the access token
		if err := d.db.FinishCallRequest(ctx, rec.ID, ringdesk.CallRequestFailed, 0, mnemonic, now); err != nil {
			d.log.Error("click-to-call: store failure", "request_id", rec.ID, "err", err)
		}
		return nil, &CallError{Mnemonic: mnemonic, err: &ringdesk.Error{Code: code, Message: msg}}
	}
	if err := d.db.FinishCallRequest(ctx, rec.ID, ringdesk.CallRequestStarted, session, "", now); err != nil {
		return nil, err
	}
	d.log.Info("click-to-call started", "request_id", rec.ID, "agent_id", agent.ID, "channel_id", ch.ID, "call_session_id", session)
	return d.db.CallRequestByID(ctx, rec.ID)
}

// OpenTicketToCall returns the open ticket a call placed to the client (or
// to the client with number, when no client is given) joins: the one
// updated most recently, or 0.
func (d *Desk) OpenTicketToCall(ctx context.Context, clientID int64, number string) (int64, error) {
	if clientID == 0 {
		c, err := d.db.ClientByPhone(ctx, number)
		switch {
		case ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND:
			return 0, nil
		case err != nil:
			return 0, err
		}
		clientID = c.ID
	}
	return d.db.LatestOpenTicket(ctx, clientID)
}

func storeCallRequest(channelID, agentID int64, req ringdesk.CallRequest, number string) store.CallRequestIn {
	return store.CallRequestIn{ChannelID: channelID, AgentID: agentID, ClientID: req.ClientID, TicketID: req.TicketID, Phone: number}
}

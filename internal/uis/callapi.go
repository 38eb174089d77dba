package uis

import (
	"context"
	"errors"
	"time"
)

// Values of StartEmployeeCallRequest.FirstCall and of directions.
const (
	FirstCallEmployee = "employee"
	FirstCallContact  = "contact"
	DirectionIn       = "in"
	DirectionOut      = "out"
)

// Message is something played to a call party: a media file id or a
// text-to-speech text.
type Message struct {
	Type  string `json:"type"` // "media" or "tts"
	Value string `json:"value"`
}

// CallEmployee names the employee leg of start.employee_call.
type CallEmployee struct {
	ID          int64  `json:"id"`                     // the UIS employee id (an agent's Operator ID)
	PhoneNumber string `json:"phone_number,omitempty"` // one of the employee's numbers; empty dials them in turn
}

// StartEmployeeCallRequest holds the parameters of start.employee_call except
// the access token. Phone numbers are in UIS form: E.164 digits without the
// "+" (see phone.UIS).
type StartEmployeeCallRequest struct {
	FirstCall              string       `json:"first_call"` // FirstCallEmployee for click-to-call
	SwitchAtOnce           *bool        `json:"switch_at_once,omitempty"`
	EarlySwitching         *bool        `json:"early_switching,omitempty"`
	MediaFileID            *int64       `json:"media_file_id,omitempty"`
	VirtualPhoneNumber     string       `json:"virtual_phone_number"`
	VirtualPhoneUsageRule  string       `json:"virtual_phone_usage_rule,omitempty"`
	ShowVirtualPhoneNumber *bool        `json:"show_virtual_phone_number,omitempty"`
	Contact                string       `json:"contact"`
	ExternalID             string       `json:"external_id,omitempty"`
	DTMFString             string       `json:"dtmf_string,omitempty"`
	Direction              string       `json:"direction,omitempty"` // UIS defaults to "in": set it
	Employee               CallEmployee `json:"employee"`
	ContactMessage         *Message     `json:"contact_message,omitempty"`
	EmployeeMessage        *Message     `json:"employee_message,omitempty"`
}

// StartEmployeeCall asks UIS to connect an employee and a contact
// (click-to-call) and returns the new call session's id.
func (c *Client) StartEmployeeCall(ctx context.Context, token string, req StartEmployeeCallRequest) (int64, error) {
	var out struct {
		CallSessionID flexNumber `json:"call_session_id"`
	}
	if _, err := c.call(ctx, c.callURL, "start.employee_call", token, req, &out); err != nil {
		return 0, err
	}
	if out.CallSessionID <= 0 {
		return 0, &TransportError{Method: "start.employee_call", Err: errors.New("no call_session_id in the result")}
	}
	return int64(out.CallSessionID), nil
}

// ReleaseCall hangs up every leg of a call session.
func (c *Client) ReleaseCall(ctx context.Context, token string, callSessionID int64) error {
	params := struct {
		CallSessionID int64 `json:"call_session_id"`
	}{callSessionID}
	var out struct {
		Success flexSuccess `json:"success"`
	}
	if _, err := c.call(ctx, c.callURL, "release.call", token, params, &out); err != nil {
		return err
	}
	if !out.Success {
		return &Error{Method: "release.call", Mnemonic: "not_successful", Message: "UIS answered success=false"}
	}
	return nil
}

// ActiveCall is a call in progress as list.calls reports it.
type ActiveCall struct {
	CallSessionID      int64
	Direction          string
	StartTime          time.Time
	VirtualPhoneNumber string
	ContactPhoneNumber string
	ExternalID         string
	Tags               []Tag
	Legs               []Leg
}

// Tag is a UIS call tag.
type Tag struct {
	ID   int64
	Name string
}

// Leg is one leg of an active call.
type Leg struct {
	ID                 int64
	CallingPhoneNumber string
	CalledPhoneNumber  string // may carry a DTMF suffix ("...9.2.3.3")
	IsOperator         bool
	EmployeeID         *int64
	EmployeeFullName   string
	RecordCallEnabled  bool
	State              string // a Russian word on UIS, e.g. "Разговор"
}

type wireActiveCall struct {
	CallSessionID      flexNumber `json:"call_session_id"`
	Direction          string     `json:"direction"`
	StartTime          string     `json:"start_time"`
	VirtualPhoneNumber string     `json:"virtual_phone_number"`
	ContactPhoneNumber string     `json:"contact_phone_number"`
	ExternalID         *string    `json:"external_id"`
	Tags               []struct {
		ID   flexNumber `json:"tag_id"`
		Name string     `json:"tag_name"`
	} `json:"tags"`
	Legs []struct {
		ID                 flexNumber  `json:"leg_id"`
		CallingPhoneNumber string      `json:"calling_phone_number"`
		CalledPhoneNumber  string      `json:"called_phone_number"`
		IsOperator         flexSuccess `json:"is_operator"`
		EmployeeID         *flexNumber `json:"employee_id"`
		EmployeeFullName   *string     `json:"employee_full_name"`
		RecordCallEnabled  flexSuccess `json:"record_call_enabled"`
		State              string      `json:"state"`
	} `json:"legs"`
}

// ListCalls returns the account's calls in progress.
func (c *Client) ListCalls(ctx context.Context, token string) ([]ActiveCall, error) {
	var rows []wireActiveCall
	if _, err := c.call(ctx, c.callURL, "list.calls", token, nil, &rows); err != nil {
		return nil, err
	}
	calls := make([]ActiveCall, 0, len(rows))
	for _, r := range rows {
		ac := ActiveCall{
			CallSessionID:      int64(r.CallSessionID),
			Direction:          r.Direction,
			StartTime:          c.time(r.StartTime),
			VirtualPhoneNumber: r.VirtualPhoneNumber,
			ContactPhoneNumber: r.ContactPhoneNumber,
			ExternalID:         deref(r.ExternalID),
		}
		for _, t := range r.Tags {
			ac.Tags = append(ac.Tags, Tag{ID: int64(t.ID), Name: t.Name})
		}
		for _, l := range r.Legs {
			leg := Leg{
				ID: int64(l.ID), CallingPhoneNumber: l.CallingPhoneNumber, CalledPhoneNumber: l.CalledPhoneNumber,
				IsOperator: bool(l.IsOperator), EmployeeFullName: deref(l.EmployeeFullName),
				RecordCallEnabled: bool(l.RecordCallEnabled), State: l.State,
			}
			if l.EmployeeID != nil {
				id := int64(*l.EmployeeID)
				leg.EmployeeID = &id
			}
			ac.Legs = append(ac.Legs, leg)
		}
		calls = append(calls, ac)
	}
	return calls, nil
}

// time reads a UIS date in the account's zone; unreadable dates are zero
// because responses inform rather than decide.
func (c *Client) time(s string) time.Time {
	t, _ := parseTime(s, c.Location)
	return t
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

package desk

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

func TestUISCallMessages(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err      error
		code     string
		mnemonic string
		text     string
	}{
		{&uis.TransportError{Method: "start.employee_call", Err: context.DeadlineExceeded}, ringdesk.EUNAVAILABLE, "timeout", "did not answer in time"},
		{&uis.TransportError{Method: "start.employee_call", Err: &net.OpError{Op: "dial", Err: timeoutErr{}}}, ringdesk.EUNAVAILABLE, "timeout", "did not answer in time"},
		{&uis.TransportError{Method: "start.employee_call", Status: 502}, ringdesk.EUNAVAILABLE, "unreachable", "cannot be reached"},
		{&uis.Error{Code: -32009, Mnemonic: "account_inactive"}, ringdesk.EUNAVAILABLE, "account_inactive", "account is disabled"},
		{&uis.Error{Code: -32029, Mnemonic: "limit_exceeded"}, ringdesk.ETOOMANY, "limit_exceeded", "limit"},
		{&uis.Error{Code: -32003, Mnemonic: "forbidden"}, ringdesk.EUNAVAILABLE, "forbidden", "no right to place calls"},
		{&uis.Error{Code: -32602, Mnemonic: "no_active_phone_number"}, ringdesk.EINVALID, "no_active_phone_number", "no active phone"},
		{&uis.Error{Code: -32002, Mnemonic: "contact_in_blacklist"}, ringdesk.EINVALID, "contact_in_blacklist", "blacklist"},
		// The -32002 security refusal's mnemonic is not public: the group explains it.
		{&uis.Error{Code: -32002, Mnemonic: "call_direction_forbidden"}, ringdesk.EINVALID, "call_direction_forbidden", "security rules"},
		{&uis.Error{Code: -32602, Mnemonic: "something_new"}, ringdesk.EUNAVAILABLE, "something_new", "could not start the call"},
	}
	for _, c := range cases {
		code, m, msg := uisCallMessage(c.err)
		if code != c.code || m != c.mnemonic || !strings.Contains(msg, c.text) {
			t.Errorf("%v: %s %s %q", c.err, code, m, msg)
		}
	}
	ce := &CallError{Mnemonic: "x", err: &ringdesk.Error{Code: ringdesk.ETOOMANY, Message: "m"}}
	if ringdesk.ErrorCode(ce) != ringdesk.ETOOMANY || !errors.As(error(ce), new(*ringdesk.Error)) {
		t.Fatal("CallError does not expose its domain error")
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

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
	cases := []struct {
		err      error
		code     string
		mnemonic string
		text     string
	}{
		{&uis.TransportError{Method: "start.employee_call", Err: context.DeadlineExceeded}, ringdesk.EUNAVAILABLE, "timeout", "did not answer in time"},
		{&uis.TransportError{Method: "start.employee_call", Err: &net.OpError{Op: "dial", Err: timeoutErr{}}}, ringdesk.EUNAVAILABLE, "timeout", "did not answer in time"},
		{&uis.TransportError{Method: "start.employee_call", Status: 502}, ringdesk.EUNAVAILABLE, "unreachable", "cannot be reached"},
		{&uis.Error{Mnemonic: "account_inactive"}, ringdesk.EUNAVAILABLE, "account_inactive", "could not start the call"},
		{&uis.Error{Mnemonic: "limit_exceeded"}, ringdesk.ETOOMANY, "limit_exceeded", "limit"},
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

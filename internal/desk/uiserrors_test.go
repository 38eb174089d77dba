package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/uis"
)

func TestUISAdvice(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"ip", &uis.Error{Code: -32003, Mnemonic: "ip_not_whitelisted"}, "0.0.0.0/0"},
		{"wrapped mnemonic", fmt.Errorf("click-to-call: %w", &uis.Error{Mnemonic: "access_token_invalid"}), "does not know this App Secret"},
		{"expired", &uis.Error{Mnemonic: "access_token_expired"}, "has expired"},
		{"blocked", &uis.Error{Mnemonic: "access_token_blocked"}, "is blocked"},
		{"inactive", &uis.Error{Mnemonic: "account_inactive"}, "account is disabled"},
		{"component", &uis.Error{Mnemonic: "component_disabled"}, "API Базовый"},
		{"data component", &uis.Error{Mnemonic: "method_component_disabled"}, "API Базовый"},
		{"limit", &uis.Error{Mnemonic: "limit_exceeded"}, "limit is used up"},
		{"security rules by group", &uis.Error{Code: -32002, Mnemonic: "call_direction_forbidden"}, "security rules"},
		{"unknown mnemonic of a known group", &uis.Error{Code: -32009, Mnemonic: "account_blocked"}, "account is disabled"},
		{"unknown mnemonic", &uis.Error{Code: -32602, Mnemonic: "whatever"}, "Read UIS's message"},
		{"timeout", &uis.TransportError{Method: "get.account", Err: context.DeadlineExceeded}, "did not answer in time"},
		{"unreachable", &uis.TransportError{Method: "get.account", Err: errors.New("connection refused")}, "could not be reached"},
		{"wrong URL", &uis.TransportError{Method: "get.account", Status: 404, Err: errors.New("unexpected status")}, "not as the UIS API does"},
		{"no secret", ErrNoAppSecret, "has no App Secret"},
		{"unreadable secret", ErrSecretUnreadable, "cannot be decrypted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := UISAdvice(tc.err); !strings.Contains(got, tc.want) || (tc.err != nil && got == "") {
				t.Errorf("UISAdvice = %q, want %q", got, tc.want)
			}
		})
	}
}

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
	cases := []struct {
		name   string
		err    error
		en, ru string
	}{
		{"nil", nil, "", ""},
		{"ip", &uis.Error{Code: -32003, Mnemonic: "ip_not_whitelisted"}, "0.0.0.0/0", "0.0.0.0/0"},
		{"wrapped mnemonic", fmt.Errorf("click-to-call: %w", &uis.Error{Mnemonic: "access_token_invalid"}), "does not know this App Secret", "не знает этот App Secret"},
		{"expired", &uis.Error{Mnemonic: "access_token_expired"}, "has expired", "истёк"},
		{"blocked", &uis.Error{Mnemonic: "access_token_blocked"}, "is blocked", "заблокирован"},
		{"inactive", &uis.Error{Mnemonic: "account_inactive"}, "account is disabled", "Аккаунт UIS отключён"},
		{"component", &uis.Error{Mnemonic: "component_disabled"}, "API Базовый", "API Базовый"},
		{"data component", &uis.Error{Mnemonic: "method_component_disabled"}, "API Базовый", "API Базовый"},
		{"limit", &uis.Error{Mnemonic: "limit_exceeded"}, "limit is used up", "лимит"},
		{"unknown mnemonic", &uis.Error{Mnemonic: "employee_not_found"}, "Read UIS's message", "сообщение UIS"},
		{"timeout", &uis.TransportError{Method: "get.account", Err: context.DeadlineExceeded}, "did not answer in time", "не ответил вовремя"},
		{"unreachable", &uis.TransportError{Method: "get.account", Err: errors.New("connection refused")}, "could not be reached", "Не удалось связаться"},
		{"wrong URL", &uis.TransportError{Method: "get.account", Status: 404, Err: errors.New("unexpected status")}, "not as the UIS API does", "не как API UIS"},
		{"no secret", ErrNoAppSecret, "has no App Secret", "не задан App Secret"},
		{"unreadable secret", ErrSecretUnreadable, "cannot be decrypted", "не удаётся расшифровать"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			en, ru := UISAdvice(tc.err, "en"), UISAdvice(tc.err, "ru")
			if !strings.Contains(en, tc.en) || !strings.Contains(ru, tc.ru) || (tc.err != nil && (en == "" || ru == "" || en == ru)) {
				t.Errorf("UISAdvice = %q / %q, want %q / %q", en, ru, tc.en, tc.ru)
			}
		})
	}
}

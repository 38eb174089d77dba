package desk

import (
	"context"
	"errors"
	"net"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// What Ringdesk says about UIS errors, in one table: to an agent whose
// click-to-call UIS refused (agent), and to an administrator checking a
// channel (admin). A mnemonic the table lacks falls back to its error-code
// group (uisErrorGroups), then to a general text. Texts are English; the
// web layer translates them like every other text.

// uisErrorText is what to say about one UIS error.
type uisErrorText struct {
	code  string // the error code of an agent's refusal (its HTTP status)
	agent string
	admin string
}

var uisErrors = map[string]uisErrorText{
	"ip_not_whitelisted": {ringdesk.EUNAVAILABLE, "UIS refused the request from this server's IP address. An administrator must allow it in the UIS API settings (IP whitelist).",
		"UIS refused the request because Ringdesk's IP address is not on the API whitelist. In UIS open Settings → Security (API access) and add the public IP address this server reaches the internet from. Use 0.0.0.0/0 (any address) only if that address changes: the API key then works from anywhere, so keep it secret."},
	"access_token_invalid": {ringdesk.EUNAVAILABLE, "UIS rejected the channel's App Secret. An administrator must enter the current App Secret in the channel settings.",
		"UIS does not know this App Secret. Create an API key in UIS (Settings → API keys; it is shown only once) and paste it into the channel's App Secret field."},
	"access_token_expired": {ringdesk.EUNAVAILABLE, "The channel's App Secret has expired in UIS. An administrator must issue a new one in UIS and enter it in the channel settings.",
		"The UIS API key has expired. Create a new API key in UIS (or extend the old one) and paste it into the channel's App Secret field."},
	"access_token_blocked": {ringdesk.EUNAVAILABLE, "The channel's App Secret is blocked in UIS. An administrator must unblock it in UIS or enter a new one.",
		"The UIS API key is blocked. Unblock it in UIS, or create a new API key and paste it into the channel's App Secret field."},
	"account_inactive": {ringdesk.EUNAVAILABLE, "The UIS account is disabled, so UIS makes no calls. An administrator must contact UIS (often an unpaid balance).",
		"The UIS account is disabled. Contact UIS support or your UIS manager (often an unpaid balance); Ringdesk cannot call UIS until the account is active."},
	"component_disabled": {ringdesk.EUNAVAILABLE, "Calling through the UIS Call API is not enabled for this UIS account. An administrator must enable it in UIS.",
		"A UIS option this needs is not enabled on the account. In UIS enable the API option (\\\"API Базовый\\\", and call management for click-to-call), or ask your UIS manager to."},
	"forbidden": {ringdesk.EUNAVAILABLE, "The channel's UIS API key has no right to place calls. An administrator must give its UIS user access to the Call API.",
		"The UIS API key has no rights for this API. In UIS give the key's user access to both the Call API and the Data API, or create a key for a user who has it."},
	"limit_exceeded": {ringdesk.ETOOMANY, "The UIS request limit is used up for now. Try again in a minute.",
		"The UIS API request limit is used up. Wait a minute (or until tomorrow for the daily limit) and try again; if it keeps happening, ask UIS to raise the limits."},
	"internal_error": {ringdesk.EUNAVAILABLE, "UIS had an internal error. Try again in a few minutes.",
		"UIS had an internal error. Try again in a few minutes; if it persists, contact UIS support."},
	"employee_not_found":             {ringdesk.EINVALID, "UIS does not know your Operator ID. Ask an administrator to check the Operator ID on your agent page against your employee id in UIS.", ""},
	"virtual_phone_number_not_found": {ringdesk.EINVALID, "The channel's outgoing number is not a virtual number of this UIS account. Ask an administrator to correct it in the channel settings.", ""},
	"contact_in_blacklist":           {ringdesk.EINVALID, "This number is in the UIS blacklist, so UIS will not call it.", ""},
	"no_active_phone_number":         {ringdesk.EINVALID, "UIS has no active phone for you to ring first. Ask an administrator to check your employee's phone numbers in UIS.", ""},
}

func init() {
	uisErrors["method_component_disabled"] = uisErrors["component_disabled"]
	uisErrors["parameter_component_disabled"] = uisErrors["component_disabled"]
}

// uisErrorGroups are the texts for a mnemonic the table lacks, by the
// JSON-RPC error code's group (the UIS docs' list of groups).
var uisErrorGroups = map[int]uisErrorText{
	-32001: {ringdesk.EUNAVAILABLE, "UIS rejected the channel's App Secret. An administrator must enter the current App Secret in the channel settings.",
		"UIS does not know this App Secret. Create an API key in UIS (Settings → API keys; it is shown only once) and paste it into the channel's App Secret field."},
	-32002: {ringdesk.EINVALID, "The UIS account's security rules forbid calling this number (international calls are forbidden by default). An administrator can allow the direction in UIS (Settings → Security rules).",
		"The UIS account's security rules forbid this call (international calls are forbidden by default). Allow the direction in UIS under Settings → Security rules if agents must call it."},
	-32003: {ringdesk.EUNAVAILABLE, "UIS refused access for the channel's API key. An administrator must check the key's rights and the IP whitelist in UIS.",
		"The UIS API key has no rights for this API. In UIS give the key's user access to both the Call API and the Data API, or create a key for a user who has it."},
	-32007: {ringdesk.EINVALID, "UIS refused the channel's outgoing number. Ask an administrator to check it in the channel settings.",
		"UIS refused the channel's virtual number. Check the default outgoing number in the channel settings against the numbers of the UIS account."},
	-32008: {ringdesk.EUNAVAILABLE, "Calling through the UIS Call API is not enabled for this UIS account. An administrator must enable it in UIS.",
		"A UIS option this needs is not enabled on the account. In UIS enable the API option (\\\"API Базовый\\\", and call management for click-to-call), or ask your UIS manager to."},
	-32009: {ringdesk.EUNAVAILABLE, "The UIS account is disabled, so UIS makes no calls. An administrator must contact UIS (often an unpaid balance).",
		"The UIS account is disabled. Contact UIS support or your UIS manager (often an unpaid balance); Ringdesk cannot call UIS until the account is active."},
	-32029: {ringdesk.ETOOMANY, "The UIS request limit is used up for now. Try again in a minute.",
		"The UIS API request limit is used up. Wait a minute (or until tomorrow for the daily limit) and try again; if it keeps happening, ask UIS to raise the limits."},
	-32603: {ringdesk.EUNAVAILABLE, "UIS had an internal error. Try again in a few minutes.",
		"UIS had an internal error. Try again in a few minutes; if it persists, contact UIS support."},
}

// uisErrorOther is what is said about any other UIS refusal.
var uisErrorOther = uisErrorText{ringdesk.EUNAVAILABLE, "UIS could not start the call. Try again; if it keeps failing, tell an administrator.",
	"UIS refused the request. Read UIS's message above; if it is unclear, contact UIS support with it."}

// uisErrorFor finds the texts for a UIS error: by its mnemonic, by its
// code's group, or the general ones.
func uisErrorFor(e *uis.Error) uisErrorText {
	if t, ok := uisErrors[e.Mnemonic]; ok && t.admin != "" {
		return t
	} else if ok {
		if g, ok := uisErrorGroups[e.Code]; ok {
			t.admin = g.admin
		} else {
			t.admin = uisErrorOther.admin
		}
		return t
	}
	if g, ok := uisErrorGroups[e.Code]; ok {
		return g
	}
	return uisErrorOther
}

// Advice for failures that are not UIS refusals.
const (
	adviceTimeout     = "UIS did not answer in time. Check that this server can reach the Call API and Data API URLs of the channel (firewall, proxy, DNS) and try again."
	adviceUnreachable = "UIS could not be reached. Check the Call API and Data API URLs of the channel and that this server has Internet access to them (firewall, proxy, DNS)."
	adviceBadAnswer   = "The address answered, but not as the UIS API does. Check the channel's Call API and Data API URLs (defaults: https://callapi.uiscom.ru/v4.0 and https://dataapi.uiscom.ru/v2.0)."
	adviceNoSecret    = "The channel has no App Secret. Create an API key in UIS and paste it into the channel's App Secret field."
	adviceUnreadable  = "The stored App Secret cannot be decrypted: the secret key changed (RINGDESK_SECRET_KEY, or the key file in the data directory). Enter the App Secret again and save."
)

// ErrNoAppSecret is returned when a channel that must call UIS has no App
// Secret stored.
var ErrNoAppSecret = &ringdesk.Error{Code: ringdesk.EINVALID, Message: "The channel has no App Secret.",
	Fields: map[string]string{"app_secret": "The channel has no App Secret."}}

// ErrSecretUnreadable is returned when a stored App Secret cannot be
// decrypted with the secret key in force.
var ErrSecretUnreadable = ringdesk.Errorf(ringdesk.EINTERNAL, "The App Secret cannot be decrypted; was RINGDESK_SECRET_KEY changed? Enter the App Secret again.")

// UISAdvice tells an administrator what to do about an error from calling
// UIS: a UIS error by its mnemonic (or its code's group), a network failure
// or timeout, a wrong URL, or a missing or unreadable App Secret. It is
// English, as every text; the web layer translates it. "" for nil.
func UISAdvice(err error) string {
	var ue *uis.Error
	var ne net.Error
	var te *uis.TransportError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ue):
		return uisErrorFor(ue).admin
	case errors.Is(err, ErrNoAppSecret):
		return adviceNoSecret
	case errors.Is(err, ErrSecretUnreadable):
		return adviceUnreadable
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return adviceTimeout
	case errors.As(err, &te) && te.Status != 0:
		return adviceBadAnswer
	case errors.Is(err, uis.ErrUnavailable):
		return adviceUnreachable
	}
	return uisErrorOther.admin
}

// UISTexts lists every text this file may show, for the translation tests.
func UISTexts() []string {
	out := []string{adviceTimeout, adviceUnreachable, adviceBadAnswer, adviceNoSecret, adviceUnreadable, uisErrorOther.agent, uisErrorOther.admin}
	for _, t := range uisErrors {
		out = append(out, t.agent, t.admin)
	}
	for _, t := range uisErrorGroups {
		out = append(out, t.agent, t.admin)
	}
	return out
}

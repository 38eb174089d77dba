package desk

import (
	"strings"

	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// SetupTokenPlaceholder stands for the channel token in the setup bodies
// when no freshly created token can be shown.
const SetupTokenPlaceholder = "PASTE-CHANNEL-TOKEN-HERE"

// SetupNotification is one HTTP notification an administrator creates in
// UIS (Notifications → Add) for a channel.
type SetupNotification struct {
	Step      int    // 1..4, the order to create them in
	Kind      string // the webhook kind, e.g. incoming_call_started
	EventName string // the event type as the UIS account shows it ("Тип события")
	EventEN   string // the same in English
	Method    string
	URL       string
	Body      string // the JSON body template to paste, with the token filled in
}

var setupEventEN = map[uissim.EventType]string{
	uissim.EventIncomingCallStarted: "Incoming call to a virtual number",
	uissim.EventOutgoingCallStarted: "Outgoing call",
	uissim.EventConversationStarted: "Start of conversation",
	uissim.EventCallFinished:        "Call finished",
}

// SetupNotifications returns the four UIS notifications for a Ringdesk
// reachable at baseURL: the seed article's bodies, verbatim, with token as
// the channel token (SetupTokenPlaceholder when token is empty).
func SetupNotifications(baseURL, token string) []SetupNotification {
	if token == "" {
		token = SetupTokenPlaceholder
	}
	var out []SetupNotification
	for _, n := range uissim.SeedNotifications(strings.TrimRight(baseURL, "/"), token) {
		out = append(out, SetupNotification{Step: len(out) + 1, Kind: string(n.Event), EventName: n.Event.LKName(), EventEN: setupEventEN[n.Event],
			Method: n.Method, URL: n.URL, Body: n.Body})
	}
	return out
}

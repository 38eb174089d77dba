package desk

import (
	"strings"

	"github.com/ringdesk/ringdesk/internal/uis"
)

// SetupTokenPlaceholder stands for the channel token in the setup bodies
// when no freshly created token can be shown.
const SetupTokenPlaceholder = "PASTE-CHANNEL-TOKEN-HERE"

// SetupNotification is one HTTP notification an administrator creates in
// UIS (Notifications → Add) for a channel.
type SetupNotification struct {
	Step      int    // 1..5, the order to create them in
	Kind      string // the webhook kind, e.g. incoming_call_started
	EventName string // the event type as the UIS account shows it ("Тип события")
	EventEN   string // the same in English
	Method    string
	URL       string
	Body      string // the JSON body template to paste, with the token filled in
	// Optional: Ringdesk works without it (here: recordings are fetched
	// when due instead of at once).
	Optional bool
}

var setupEventEN = map[uis.EventKind]string{
	uis.IncomingCallStarted: "Incoming call to a virtual number",
	uis.OutgoingCallStarted: "Outgoing call",
	uis.ConversationStarted: "Start of conversation",
	uis.CallFinished:        "Call finished",
	uis.RecordingReady:      "Call recording ready",
}

// SetupNotifications returns the UIS notifications for a Ringdesk reachable
// at baseURL: the seed article's four bodies, verbatim, and the
// recording-ready one, with token as the channel token
// (SetupTokenPlaceholder when token is empty).
func SetupNotifications(baseURL, token string) []SetupNotification {
	if token == "" {
		token = SetupTokenPlaceholder
	}
	base := strings.TrimRight(baseURL, "/")
	bodies := uis.Templates(token)
	var out []SetupNotification
	for _, k := range uis.EventKinds {
		out = append(out, SetupNotification{Step: len(out) + 1, Kind: string(k), EventName: uis.LKNames[k], EventEN: setupEventEN[k],
			Method: "POST", URL: base + "/telephony/uis/webhook/" + string(k) + "/", Body: bodies[k], Optional: k == uis.RecordingReady})
	}
	return out
}

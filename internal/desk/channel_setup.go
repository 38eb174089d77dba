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
	// Added are the variables added to the seed body because the
	// channel's call routing reads them.
	Added []string
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
// (SetupTokenPlaceholder when token is empty). The bodies of the calls'
// first and last notifications also carry the variables routingVars names
// (ringdesk.Routing.NeededVariables): a call is routed while it rings only
// when the first one tells what the rules read.
func SetupNotifications(baseURL, token string, routingVars []string) []SetupNotification {
	if token == "" {
		token = SetupTokenPlaceholder
	}
	base := strings.TrimRight(baseURL, "/")
	bodies := uis.Templates(token)
	var out []SetupNotification
	for _, k := range uis.EventKinds {
		n := SetupNotification{Step: len(out) + 1, Kind: string(k), EventName: uis.LKNames[k], EventEN: setupEventEN[k],
			Method: "POST", URL: base + "/telephony/uis/webhook/" + string(k) + "/", Body: bodies[k], Optional: k == uis.RecordingReady}
		if k == uis.IncomingCallStarted || k == uis.CallFinished {
			n.Body, n.Added = uis.WithVariables(n.Body, routingVars...)
		}
		out = append(out, n)
	}
	return out
}

package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// finishReasons puts the common UIS finish reasons into words; others are
// shown as UIS spells them.
var finishReasons = map[string]string{
	"subscriber_disconnects":     "The client hung up",
	"operator_disconnects":       "The employee hung up",
	"transfer_disconnects":       "Ended after a transfer",
	"scenario_disconnects":       "Ended by the call scenario",
	"subscriber_busy":            "The client's line was busy",
	"subscriber_not_responsible": "The client did not answer",
	"no_success_subscriber_call": "The client did not answer",
	"subscriber_number_problems": "The client's number could not be reached",
	"operator_answer":            "Answered by an employee",
	"another_operator_answer":    "Answered by another employee",
	"operator_busy":              "The employee was busy",
	"operator_not_responsible":   "The employee did not answer",
	"no_success_operator_call":   "No employee answered",
	"operator_number_problems":   "The employee's number could not be reached",
	"timeout":                    "Nobody answered in time",
	"success_finish":             "Completed",
	"numa_in_black_list":         "The number is blacklisted",
	"employee_busy":              "The employee was busy",
	"no_operation":               "No scenario step answered",
	"call_enqueued":              "Queued",
}

// finishReasonWords returns a finish reason in words (English; templates
// translate it) or the UIS mnemonic itself.
func finishReasonWords(r string) string {
	if w, ok := finishReasons[r]; ok {
		return w
	}
	return r
}

// durationWords formats seconds as m:ss or h:mm:ss.
func durationWords(sec int64) string {
	if sec <= 0 {
		return "0:00"
	}
	h, m, s := sec/3600, sec/60%60, sec%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// elapsedText says how long d is, coarsely and in abbreviated units (so
// no language needs plural forms): "<1 min", "12 min",
// "2 h 5 min", "3 d 4 h".
func elapsedText(d time.Duration) ringdesk.Text {
	m := int64(d / time.Minute)
	switch {
	case m < 1:
		return ringdesk.T("<1 min")
	case m < 60:
		return ringdesk.T("%d min", m)
	case m < 24*60:
		return ringdesk.T("%d h %d min", m/60, m%60)
	}
	return ringdesk.T("%d d %d h", m/(24*60), m/60%24)
}

// callDuration formats one of a call's durations ("wait", "talk",
// "total"), "—" when UIS did not tell it usably.
func callDuration(c *ringdesk.Call, name string) string {
	v, ok := c.Seconds(name)
	if !ok {
		return "—"
	}
	return durationWords(v)
}

// callWarningWords says in words what a warning's problem is (English;
// templates translate it).
var callWarningWords = map[string]string{
	ringdesk.WarnUnreadable:        "could not be read and was ignored",
	ringdesk.WarnNegative:          "was negative and is shown as unknown",
	ringdesk.WarnCut:               "was too long and was shortened (characters sent:)",
	ringdesk.WarnInvalidText:       "held invalid characters (not UTF-8, or NUL), which were replaced",
	ringdesk.WarnFinishBeforeStart: "was before the start and is shown as unknown",
	ringdesk.WarnTooManyEvents:     "exceeded what Ringdesk folds into one call; later events are kept but not applied",
	ringdesk.WarnRepaired:          "held unescaped quotes, which were repaired",
}

// outcomeWords names an outcome for people.
func outcomeWords(o string) string {
	switch o {
	case "answered":
		return "Answered"
	case "missed":
		return "Missed"
	case "busy":
		return "Busy"
	case "no_answer":
		return "No answer"
	}
	return "In progress"
}

// stateWords names a call state.
func stateWords(s string) string {
	switch s {
	case "ringing":
		return "Ringing"
	case "talking":
		return "Talking"
	case "finished":
		return "Finished"
	}
	return strings.TrimSpace(s)
}

// callSources puts UIS call sources (call_source, get.calls_report source)
// into words; others are shown as UIS spells them.
var callSources = map[string]string{
	"va":                                "Virtual PBX call",
	"callapi":                           "Call API",
	"callapi_management_call":           "Call API: call management",
	"callapi_informer_call":             "Call API: informer call",
	"callapi_scenario_call":             "Call API: scenario call",
	"call_tracking":                     "Call tracking",
	"dynamic_call_tracking":             "Dynamic call tracking",
	"faxout":                            "Outgoing fax",
	"sip":                               "SIP phone",
	"sip_trunk":                         "SIP trunk",
	"sitephone":                         "Sitephone (website callback)",
	"lead":                              "Lead from the website",
	"retailcrm":                         "RetailCRM integration",
	"amocrm":                            "amoCRM integration",
	"amocrm_extended_integration":       "amoCRM extended integration",
	"bitrix":                            "Bitrix24 integration",
	"zoho":                              "Zoho integration",
	"pipedrive":                         "Pipedrive integration",
	"hubspot":                           "HubSpot integration",
	"smartis":                           "Smartis integration",
	"partner_integration":               "Partner integration",
	"auto_back_call_by_lost_call":       "Automatic callback after a lost call",
	"auto_back_call_by_offline_message": "Automatic callback after an offline message",
	"auto_out_calls":                    "Automatic outgoing calls",
	"progressive_call":                  "Progressive dialing",
	"ivr_informer":                      "Voice informer",
	"upload_calls":                      "Uploaded calls",
	"facebook_ads":                      "Facebook ads",
	"mytarget_ads":                      "myTarget ads",
	"vk_ads":                            "VK ads",
	"omni_widget":                       "Omnichannel widget",
}

// callSourceWords returns a call source in words (English; templates
// translate it) or the UIS mnemonic itself.
func callSourceWords(s string) string {
	if w, ok := callSources[s]; ok {
		return w
	}
	return s
}

// sameName reports whether two spellings name the same person: case,
// ё/е and spacing aside.
func sameName(a, b string) bool {
	norm := func(s string) string {
		return strings.Join(strings.Fields(strings.ReplaceAll(strings.ToLower(s), "ё", "е")), " ")
	}
	return norm(a) == norm(b)
}

// callNote says, for the call page and the ticket timeline, what Ringdesk
// could not learn from notifications; "" when they told everything.
func callNote(c *ringdesk.Call, now time.Time) string {
	switch {
	case c.StateUnknown(now):
		return "No notification has finished this call for hours and the UIS calls report could not be read; its state is unknown."
	case c.Details.Recovered == ringdesk.RecoveredCall:
		return "Recovered from the UIS call report: its notifications never arrived."
	case c.Details.Recovered == ringdesk.RecoveredFinish:
		return "Finished from the UIS call report: the call_finished notification never arrived."
	}
	return ""
}

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

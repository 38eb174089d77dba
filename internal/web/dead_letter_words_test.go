package web

import (
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestDeadLetterWordsTranslated: every problem the parser and the desk
// record has words for notifications, and every wording has its Russian
// with the same verbs.
func TestDeadLetterWordsTranslated(t *testing.T) {
	t.Parallel()
	problems := []string{ringdesk.ProblemEmptyBody, ringdesk.ProblemEncoding, ringdesk.ProblemNotObject, ringdesk.ProblemInvalidJSON,
		ringdesk.ProblemMissing, ringdesk.ProblemWrongType, ringdesk.ProblemNotPositive, ringdesk.ProblemConflict,
		ringdesk.ProblemUnknownKind, ringdesk.ProblemNotStored, ringdesk.ProblemReadableNow}
	if len(problems) != len(deadLetterWords) {
		t.Errorf("%d problems, %d with words", len(problems), len(deadLetterWords))
	}
	check := func(en string) {
		r, ok := ru[en]
		if !ok {
			t.Errorf("%q has no Russian translation", en)
		} else if verbs(r) != verbs(en) {
			t.Errorf("%q and %q have other verbs", en, r)
		}
	}
	for _, p := range problems {
		w, ok := deadLetterWords[p]
		if !ok || w.notification == "" {
			t.Errorf("problem %q has no words", p)
			continue
		}
		check(w.notification)
		if w.report != "" {
			check(w.report)
		}
	}
	check(deadLetterUnknown)
}

// TestDeadLetterWhy: the words fit the field and whether UIS sent the body
// as a notification or as a row of its calls report.
func TestDeadLetterWhy(t *testing.T) {
	t.Parallel()
	ruText := func(tx ringdesk.Text) string {
		return tx.In(func(m string) string { return translate(ringdesk.LangRU, m) })
	}
	for _, tc := range []struct {
		kind     string
		reason   ringdesk.DeadLetterReason
		en, inRU string
	}{
		{"call_finished", ringdesk.DeadLetterReason{Problem: ringdesk.ProblemMissing, Field: "call_session_id"},
			"The notification has no call_session_id", "В уведомлении нет поля call_session_id"},
		{"calls_report", ringdesk.DeadLetterReason{Problem: ringdesk.ProblemWrongType, Field: "tags"},
			"This row of the UIS calls report has no readable tags, so it was skipped.", "В этой строке отчёта UIS по звонкам нет читаемого поля tags"},
		{"calls_report", ringdesk.DeadLetterReason{Problem: ringdesk.ProblemInvalidJSON, Field: "body"},
			"This row of the UIS calls report is not a JSON object", "Эта строка отчёта UIS по звонкам — не объект JSON"},
		{"calls_report", ringdesk.DeadLetterReason{Problem: ringdesk.ProblemNotStored},
			"Ringdesk read this row of the UIS calls report but could not store its call", "Ringdesk прочитал эту строку отчёта"},
		{"call_finished", ringdesk.DeadLetterReason{Problem: ringdesk.ProblemNotStored},
			"Ringdesk read the notification but could not store its call", "Ringdesk прочитал уведомление"},
		{"call_finished", ringdesk.DeadLetterReason{Problem: "something new"},
			"Ringdesk could not understand this notification", "Ringdesk не смог разобрать"},
		{"incoming_call_started", ringdesk.DeadLetterReason{Problem: ringdesk.ProblemEncoding, Field: "body"},
			"The body is not UTF-8 text", "Тело — не текст в UTF-8"},
	} {
		got := deadLetterWhy(tc.kind, tc.reason)
		if !strings.HasPrefix(got.String(), tc.en) || !strings.HasPrefix(ruText(got), tc.inRU) {
			t.Errorf("%s %+v: %q / %q, want %q / %q", tc.kind, tc.reason, got.String(), ruText(got), tc.en, tc.inRU)
		}
		if strings.Contains(got.String(), "%!") || strings.Contains(ruText(got), "%!") {
			t.Errorf("%s %+v: a verb without its value: %q", tc.kind, tc.reason, got.String())
		}
	}
}

package ringdesk_test

import (
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestRingingQuiet: a ringing call stays on screen for two minutes after
// its last event, and not a moment longer.
func TestRingingQuiet(t *testing.T) {
	if ringdesk.RingingQuiet != 2*time.Minute {
		t.Fatalf("RingingQuiet = %s, want 2m0s", ringdesk.RingingQuiet)
	}
	now := time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		state string
		quiet time.Duration // since the last event
		left  time.Duration
		shown bool
	}{
		{"just rang", ringdesk.CallRinging, 0, 2 * time.Minute, true},
		{"a minute of ringing", ringdesk.CallRinging, time.Minute, time.Minute, true},
		{"a second before the end", ringdesk.CallRinging, 2*time.Minute - time.Second, time.Second, true},
		{"two minutes without news", ringdesk.CallRinging, 2 * time.Minute, 0, false},
		{"a quarter of an hour (left ringing when the app stopped)", ringdesk.CallRinging, 15 * time.Minute, 0, false},
		{"last event from a clock ahead", ringdesk.CallRinging, -30 * time.Second, 2 * time.Minute, true},
		{"talking is not ringing", ringdesk.CallTalking, 0, 2 * time.Minute, false},
		{"finished is not ringing", ringdesk.CallFinished, 0, 2 * time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			last := now.Add(-tt.quiet)
			if got := ringdesk.RingingLeft(last, now); got != tt.left {
				t.Errorf("RingingLeft = %s, want %s", got, tt.left)
			}
			if got := ringdesk.RingingShown(tt.state, last, now); got != tt.shown {
				t.Errorf("RingingShown(%s) = %v, want %v", tt.state, got, tt.shown)
			}
			// The query bound agrees with the rule: shown exactly when the
			// last event is after RingingSince.
			if got := last.After(ringdesk.RingingSince(now)); tt.state == ringdesk.CallRinging && got != tt.shown {
				t.Errorf("last event after RingingSince = %v, want %v", got, tt.shown)
			}
		})
	}
}

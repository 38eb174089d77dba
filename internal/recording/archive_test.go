package recording

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/store"
)

func TestArchiveRetrySchedule(t *testing.T) {
	a := NewArchiver(nil, t.TempDir(), nil, Config{})
	end := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	notFound := fmt.Errorf("%w (HTTP 404)", ErrExpired)
	down := fmt.Errorf("%w (HTTP 502)", ErrUnavailable)
	cases := []struct {
		name     string
		err      error
		attempts int
		now      time.Time
		wait     time.Duration // from now; -1: given up
		reason   string
	}{
		{"host not allowed is final", ErrHostNotAllowed, 0, end.Add(time.Minute), -1, "not allowed"},
		{"not ready: 30 s first", notFound, 0, end.Add(time.Minute), 30 * time.Second, "not ready yet at UIS"},
		{"not ready: doubling", notFound, 5, end.Add(time.Hour), 16 * time.Minute, "HTTP 404"},
		{"not ready: every 30 min", notFound, 10, end.Add(2 * time.Hour), 30 * time.Minute, "not ready"},
		{"not ready: a last try when the window ends", notFound, 14, end.Add(5*time.Hour + 50*time.Minute), 10 * time.Minute, "not ready"},
		{"gone after 6 h", notFound, 15, end.Add(6 * time.Hour), -1, "UIS still had no recording 6h0m0s after the call ended"},
		{"UIS down soon after the call: retried past MaxAttempts", down, 12, end.Add(time.Hour), time.Hour, "502"},
		{"UIS down later: MaxAttempts", down, 9, end.Add(7 * time.Hour), -1, "502"},
		{"UIS down later, attempts left", down, 2, end.Add(7 * time.Hour), 2 * time.Minute, "502"},
	}
	for _, c := range cases {
		next, reason := a.retryAt(store.ArchiveItem{Attempts: c.attempts, FinishedAt: end}, c.err, c.now)
		var wait time.Duration = -1
		if !next.IsZero() {
			wait = next.Sub(c.now)
		}
		if wait != c.wait || !strings.Contains(reason, c.reason) {
			t.Errorf("%s: retry in %v (%q), want %v (%q)", c.name, wait, reason, c.wait, c.reason)
		}
	}
}

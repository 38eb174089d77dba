package desk

import (
	"testing"
	"time"
)

func TestReconcileWait(t *testing.T) {
	t.Parallel()
	every := 5 * time.Minute
	for _, c := range []struct {
		failures int
		want     time.Duration
	}{{0, 150 * time.Second}, {1, 10 * time.Minute}, {2, 20 * time.Minute}, {3, 40 * time.Minute}, {4, time.Hour}, {30, time.Hour}} {
		if got := reconcileWait(every, c.failures); got != c.want {
			t.Errorf("reconcileWait(%v, %d) = %v, want %v", every, c.failures, got, c.want)
		}
	}
}

package metrics_test

import (
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/metrics"
)

// BenchmarkWebhookRecording is what metrics add to one stored webhook: its
// outcome counter, its latency histogram, the last-accepted gauge and its
// share of a group-commit batch observation. Compare with the webhook's
// own cost (BenchmarkWebhook* in internal/web: milliseconds).
func BenchmarkWebhookRecording(b *testing.B) {
	m := metrics.New()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Webhook("call_finished", metrics.OutcomeAccepted, 800*time.Microsecond)
			m.BatchCommitted(8)
		}
	})
}

package metrics_test

import (
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/metrics"
)

// TestNilRecordsNothing: packages built without metrics call the methods
// on a nil *Metrics.
func TestNilRecordsNothing(t *testing.T) {
	var m *metrics.Metrics
	m.Webhook("call_finished", metrics.OutcomeAccepted, time.Millisecond)
	m.BatchCommitted(3)
	m.DeadLetter("webhook")
	m.ReconcileRun(true, 1, 2)
	m.UISRequest("get.account", "ok", "", time.Millisecond)
	m.ClickToCall("started")
	m.RecordingProxied("uis", "ok", 10)
	m.RecordingArchived("archived", 10)
	m.JobRun("cleanup", true)
	m.JobLease("cleanup", true)
	m.WatchLive(nil)
	m.WatchDB("pool", nil)
}

// TestRegistriesAreSeparate: two apps in one process count apart.
func TestRegistriesAreSeparate(t *testing.T) {
	a, b := metrics.New(), metrics.New()
	a.Webhook("call_finished", metrics.OutcomeAccepted, 3*time.Millisecond)
	a.Webhook("call_finished", metrics.OutcomeAccepted, 3*time.Millisecond)
	b.Webhook("call_finished", metrics.OutcomeDuplicate, time.Millisecond)
	a.ReconcileRun(true, 2, 3)
	va, err := a.Values()
	if err != nil {
		t.Fatal(err)
	}
	vb, err := b.Values()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		got, want float64
		what      string
	}{
		{va["ringdesk_webhooks_total,kind=call_finished,outcome=accepted"], 2, "a accepted"},
		{vb["ringdesk_webhooks_total,kind=call_finished,outcome=accepted"], 0, "b accepted"},
		{vb["ringdesk_webhooks_total,kind=call_finished,outcome=duplicate"], 1, "b duplicate"},
		{va["ringdesk_webhook_ingest_seconds,kind=call_finished,count"], 2, "a ingest observations"},
		{va["ringdesk_reconcile_repaired_calls_total,kind=call"], 2, "a repaired calls"},
		{va["ringdesk_reconcile_repaired_calls_total,kind=finish"], 3, "a repaired finishes"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
	if va["ringdesk_webhook_last_accepted_timestamp_seconds"] < float64(time.Now().Add(-time.Minute).Unix()) {
		t.Error("last accepted webhook time not set")
	}
}

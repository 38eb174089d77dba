// Package metrics holds Ringdesk's Prometheus registry and its named series.
//
// Every App makes its own *Metrics with New: a registry of its own rather
// than the client library's global default, because tests run several app
// instances in one process (two "instances" on one PostgreSQL, say) and the
// default registry would refuse the second registration or mix their
// counts. Each series is a field recorded through a method, and every
// method is a no-op on a nil *Metrics, so packages and tests built without
// metrics need no special case.
//
// The package imports only the client library and the standard library: it
// is a leaf that the store, desk, web and recording layers may import.
package metrics

import (
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace prefixes every Ringdesk series.
const Namespace = "ringdesk"

// Metrics is one instance's registry and its series.
type Metrics struct {
	reg   *prometheus.Registry
	names []string // Ringdesk's own series, registered or not yet observed

	webhooks        *prometheus.CounterVec
	ingestSeconds   *prometheus.HistogramVec
	lastWebhook     prometheus.Gauge
	batchSize       prometheus.Histogram
	deadLetters     *prometheus.CounterVec
	reconcileRuns   *prometheus.CounterVec
	reconcileCalls  *prometheus.CounterVec
	uisRequests     *prometheus.CounterVec
	uisSeconds      *prometheus.HistogramVec
	clickToCall     *prometheus.CounterVec
	recProxied      *prometheus.CounterVec
	recProxiedBytes prometheus.Counter
	recArchived     *prometheus.CounterVec
	recArchBytes    prometheus.Counter
	jobRuns         *prometheus.CounterVec
	jobLease        *prometheus.GaugeVec
}

// New returns a registry with the Go runtime and process collectors and
// every Ringdesk series (at zero).
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.webhooks = m.counterVec("webhooks_total", "UIS notifications received, by kind and outcome (accepted, duplicate, dead_letter, refused, rejected, unavailable, error).", "kind", "outcome")
	m.ingestSeconds = m.histogramVec("webhook_ingest_seconds", "Time from a notification's arrival to its answer (after commit), by kind.",
		[]float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}, "kind")
	m.lastWebhook = m.gauge("webhook_last_accepted_timestamp_seconds", "Unix time of the last notification this instance stored (0: none since start).")
	m.batchSize = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: Namespace, Name: "store_batch_size",
		Help: "Webhook writes committed together in one group-commit transaction.", Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256}})
	m.register("store_batch_size", m.batchSize)
	m.deadLetters = m.counterVec("dead_letters_total", "Notifications and calls report rows kept as dead letters, by source (webhook, calls_report).", "source")
	m.reconcileRuns = m.counterVec("reconcile_runs_total", "Reconciliation passes over a channel's UIS calls report, by outcome (ok, failed).", "outcome")
	m.reconcileCalls = m.counterVec("reconcile_repaired_calls_total", "Calls reconciliation made or finished from the UIS calls report, by kind (call: notifications never arrived; finish: call_finished lost).", "kind")
	m.uisRequests = m.counterVec("uis_requests_total", "UIS Call API and Data API requests, by method, outcome (ok, uis_error, unavailable) and UIS error mnemonic.", "method", "outcome", "mnemonic")
	m.uisSeconds = m.histogramVec("uis_request_seconds", "Duration of UIS API requests, by method.",
		[]float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 15}, "method")
	m.clickToCall = m.counterVec("click_to_call_total", "Click-to-call requests, by outcome (started, repeated, refused, uis_error, unavailable).", "outcome")
	m.recProxied = m.counterVec("recordings_proxied_total", "Recordings served to players, by source (archive, uis) and outcome (ok, not_ready, failed).", "source", "outcome")
	m.recProxiedBytes = m.counter("recordings_proxied_bytes_total", "Bytes of recordings served to players.")
	m.recArchived = m.counterVec("recordings_archived_total", "Recording archive attempts, by outcome (archived, retry, given_up).", "outcome")
	m.recArchBytes = m.counter("recordings_archived_bytes_total", "Bytes of recordings archived.")
	m.jobRuns = m.counterVec("job_runs_total", "Runs of periodic jobs on this instance, by job_name and outcome (ok, failed). (Not job: Prometheus gives that label to the scrape job.)", "job_name", "outcome")
	m.jobLease = m.gaugeVec("job_lease_held", "1 while this instance holds the job's lease and runs it, by job_name.", "job_name")
	return m
}

func (m *Metrics) register(name string, c prometheus.Collector) {
	m.reg.MustRegister(c)
	m.names = append(m.names, Namespace+"_"+name)
}

func (m *Metrics) counter(name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Namespace: Namespace, Name: name, Help: help})
	m.register(name, c)
	return c
}

func (m *Metrics) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: name, Help: help}, labels)
	m.register(name, c)
	return c
}

func (m *Metrics) gauge(name, help string) prometheus.Gauge {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Name: name, Help: help})
	m.register(name, g)
	return g
}

func (m *Metrics) gaugeVec(name, help string, labels ...string) *prometheus.GaugeVec {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: name, Help: help}, labels)
	m.register(name, g)
	return g
}

func (m *Metrics) histogramVec(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: Namespace, Name: name, Help: help, Buckets: buckets}, labels)
	m.register(name, h)
	return h
}

// Names lists every series the registry can expose: Ringdesk's own (a
// labelled one appears in a scrape only once observed) and those the
// collectors export now (Go runtime, process, database pools, live).
func (m *Metrics) Names() ([]string, error) {
	mfs, err := m.reg.Gather()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := []string{}
	for _, n := range m.names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, mf := range mfs {
		if n := mf.GetName(); !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}

// Registry returns the registry (tests gather from it).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, ErrorHandling: promhttp.ContinueOnError})
}

// Webhook records one notification: its kind, outcome and the time from
// arrival to answer.
func (m *Metrics) Webhook(kind, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.webhooks.WithLabelValues(kind, outcome).Inc()
	m.ingestSeconds.WithLabelValues(kind).Observe(took.Seconds())
	if outcome == OutcomeAccepted {
		m.lastWebhook.SetToCurrentTime()
	}
}

// Webhook outcomes.
const (
	OutcomeAccepted    = "accepted"
	OutcomeDuplicate   = "duplicate"
	OutcomeDeadLetter  = "dead_letter"
	OutcomeRefused     = "refused"  // no valid channel token
	OutcomeRejected    = "rejected" // other 4xx: unknown kind, too large, unreadable
	OutcomeUnavailable = "unavailable"
	OutcomeError       = "error"
)

// BatchCommitted records the size of one group-commit transaction.
func (m *Metrics) BatchCommitted(items int) {
	if m == nil {
		return
	}
	m.batchSize.Observe(float64(items))
}

// DeadLetter counts one dead letter kept from source (webhook, calls_report).
func (m *Metrics) DeadLetter(source string) {
	if m == nil {
		return
	}
	m.deadLetters.WithLabelValues(source).Inc()
}

// ReconcileRun records one channel's reconciliation pass and the calls it
// made (created) and finished.
func (m *Metrics) ReconcileRun(ok bool, created, finished int) {
	if m == nil {
		return
	}
	m.reconcileRuns.WithLabelValues(okFailed(ok)).Inc()
	m.reconcileCalls.WithLabelValues("call").Add(float64(created))
	m.reconcileCalls.WithLabelValues("finish").Add(float64(finished))
}

// UISRequest records one UIS API request. outcome is ok, uis_error or
// unavailable; mnemonic is UIS's error mnemonic ("" unless uis_error).
func (m *Metrics) UISRequest(method, outcome, mnemonic string, took time.Duration) {
	if m == nil {
		return
	}
	m.uisRequests.WithLabelValues(method, outcome, mnemonic).Inc()
	m.uisSeconds.WithLabelValues(method).Observe(took.Seconds())
}

// ClickToCall counts one click-to-call request by outcome.
func (m *Metrics) ClickToCall(outcome string) {
	if m == nil {
		return
	}
	m.clickToCall.WithLabelValues(outcome).Inc()
}

// RecordingProxied records one recording served to a player.
func (m *Metrics) RecordingProxied(source, outcome string, bytes int64) {
	if m == nil {
		return
	}
	m.recProxied.WithLabelValues(source, outcome).Inc()
	m.recProxiedBytes.Add(float64(max(bytes, 0)))
}

// RecordingArchived records one archive attempt: archived (with its
// size), retry or given_up.
func (m *Metrics) RecordingArchived(outcome string, bytes int64) {
	if m == nil {
		return
	}
	m.recArchived.WithLabelValues(outcome).Inc()
	m.recArchBytes.Add(float64(max(bytes, 0)))
}

// JobRun records one run of a periodic job.
func (m *Metrics) JobRun(job string, ok bool) {
	if m == nil {
		return
	}
	m.jobRuns.WithLabelValues(job, okFailed(ok)).Inc()
}

// JobLease records whether this instance holds job's lease.
func (m *Metrics) JobLease(job string, held bool) {
	if m == nil {
		return
	}
	v := 0.0
	if held {
		v = 1
	}
	m.jobLease.WithLabelValues(job).Set(v)
}

func okFailed(ok bool) string {
	if ok {
		return "ok"
	}
	return "failed"
}

// LiveSource is what the live-stream series read: the broker's own
// counters, read at scrape time so publishing stays free of metrics work.
type LiveSource interface {
	Subscribers() int
	Delivered() int64
	Dropped() int64
}

// WatchLive exposes the live stream's clients, events delivered and
// subscribers dropped for falling behind.
func (m *Metrics) WatchLive(src LiveSource) {
	if m == nil || src == nil {
		return
	}
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: Namespace, Name: "live_clients", Help: "Open live-update streams (agents' pages) on this instance."},
			func() float64 { return float64(src.Subscribers()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: Namespace, Name: "live_events_total", Help: "Live events delivered to open pages."},
			func() float64 { return float64(src.Delivered()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: Namespace, Name: "live_drops_total", Help: "Live streams dropped because the page fell behind."},
			func() float64 { return float64(src.Dropped()) }),
	)
}

// WatchDB exposes a connection pool's sql.DBStats as ringdesk's
// go_sql_* series labelled db_name=pool ("write", "read").
func (m *Metrics) WatchDB(pool string, db *sql.DB) {
	if m == nil || db == nil {
		return
	}
	err := m.reg.Register(collectors.NewDBStatsCollector(db, pool))
	var are prometheus.AlreadyRegisteredError
	if err != nil && !errors.As(err, &are) {
		panic(err)
	}
}

// Values gathers the registry into "name,label=value,..." keys (histograms
// as their sample count under ",count"), for tests.
func (m *Metrics) Values() (map[string]float64, error) {
	mfs, err := m.reg.Gather()
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, mt := range mf.GetMetric() {
			key := mf.GetName()
			for _, l := range mt.GetLabel() {
				key += "," + l.GetName() + "=" + l.GetValue()
			}
			switch {
			case mt.Counter != nil:
				out[key] = mt.Counter.GetValue()
			case mt.Gauge != nil:
				out[key] = mt.Gauge.GetValue()
			case mt.Histogram != nil:
				out[key+",count"] = float64(mt.Histogram.GetSampleCount())
			case mt.Untyped != nil:
				out[key] = mt.Untyped.GetValue()
			}
		}
	}
	return out, nil
}

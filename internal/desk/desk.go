// Package desk holds the use cases: everything that changes data goes
// through a *Desk method, which validates, authorises, writes through the
// store and, later, publishes live events after commit.
package desk

import (
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ringdesk/ringdesk/internal/auth"
	"github.com/ringdesk/ringdesk/internal/live"
	"github.com/ringdesk/ringdesk/internal/metrics"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// Config holds the policies of the use cases.
type Config struct {
	// PasswordCost is the bcrypt cost (tests use auth.MinCost).
	PasswordCost int
	// SessionIdle ends a session unused for this long.
	SessionIdle time.Duration
	// SessionMax ends a session this long after login, used or not.
	SessionMax time.Duration
	// LoginWindow and LoginMaxFailures throttle password guessing per
	// account and IP (see Login for the wider limits).
	LoginWindow      time.Duration
	LoginMaxFailures int
	// PhoneRegion is the default region for phone numbers without a country code.
	PhoneRegion string
	// Lang is the language of texts the system writes (ticket subjects).
	Lang string
	// Secrets seals secrets at rest (the UIS App Secret).
	Secrets *auth.Sealer
	// ReconcileEvery is how often ReconcileDue is run to read each UIS channel's
	// calls report (with jitter); 0 turns the job off.
	ReconcileEvery time.Duration
	// ReconcilePage is the calls report's page size (0: 1000).
	ReconcilePage int
	// ReconcileLookbackEvery is how often, at most, a reconcile run of a
	// UIS channel also reads the lost calls of the last day for UIS's time
	// to call back (0: 10 minutes).
	ReconcileLookbackEvery time.Duration
	// Metrics counts UIS requests, click-to-call outcomes, dead letters and
	// reconciliation runs; nil records nothing.
	Metrics *metrics.Metrics
	// MailRetryAfter is how long a mailbox's reader waits after a failed
	// connection (or a lease held elsewhere) before it tries again
	// (0: 15 s).
	MailRetryAfter time.Duration
	// InstanceID names this process in outbox claims and mailbox leases
	// (app.ResolveInstanceID); empty: a one-off id.
	InstanceID string
}

// DefaultConfig returns production policies.
func DefaultConfig() Config {
	return Config{
		PasswordCost:     auth.DefaultCost,
		SessionIdle:      12 * time.Hour,
		SessionMax:       30 * 24 * time.Hour,
		LoginWindow:      15 * time.Minute,
		LoginMaxFailures: 10,
		PhoneRegion:      "RU",
		Lang:             "ru",
		ReconcileEvery:   5 * time.Minute,
	}
}

// Desk carries the dependencies of every use case.
type Desk struct {
	db    *store.DB
	log   *slog.Logger
	cfg   Config
	clock atomic.Pointer[func() time.Time]
	// live and liveQ carry call updates to browsers (see live.go).
	live  *live.Broker
	liveQ chan int64
	// folds keeps the decoded fold of the calls written last (foldcache.go).
	folds foldCache
	// tokenUse remembers when each channel token's use was last written
	// (token hash -> time.Time), so it is written at most once a minute.
	tokenUse sync.Map
	// viewCounts caches the ticket list's shared view counts.
	viewCounts viewCounts
	// missedCount caches the top bar's count of open missed-call tickets.
	missedCount missedCount
	// missedQ asks RunLive for a missed-count update.
	missedQ chan struct{}
	// reconcileMu runs one reconciliation pass at a time on this instance.
	reconcileMu sync.Mutex
	// noLostField holds the channels whose UIS calls report refused
	// lost_call_processing_duration (read without it from then on), and
	// silentLost those found not to send it; each is logged once. Guarded
	// by reconcileMu.
	noLostField, silentLost map[int64]bool
	// noLostFilter holds the channels whose calls report refused a filter
	// by is_lost (the look-back then skips the answered rows itself), and
	// lookbackAt when each channel's look-back last ran (lookBack). Guarded
	// by reconcileMu.
	noLostFilter map[int64]bool
	lookbackAt   map[int64]time.Time
	// rejected counts webhooks refused for their token.
	rejected rejections
	// channels caches the channels webhook tokens open.
	channels channelCache
	// operators caches which agent each UIS employee id is.
	operators refreshed[map[int64]int64]
	// teamsC caches the groups and who is available, for routing calls.
	teamsC refreshed[ringdesk.Teams]
	// employees caches each channel's UIS employee list briefly.
	employees employeeCache
	// outboxWake tells RunOutbox a reply was queued.
	outboxWake chan struct{}
	// mailboxesChanged tells RunMailFetch the mailboxes changed.
	mailboxesChanged chan struct{}
}

// New returns a Desk over db.
func New(db *store.DB, log *slog.Logger, cfg Config) *Desk {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := &Desk{db: db, log: log, cfg: cfg, outboxWake: make(chan struct{}, 1), mailboxesChanged: make(chan struct{}, 1),
		noLostField: map[int64]bool{}, silentLost: map[int64]bool{},
		noLostFilter: map[int64]bool{}, lookbackAt: map[int64]time.Time{}}
	d.SetClock(func() time.Time { return time.Now().UTC() })
	return d
}

// uisClient returns a UIS API client whose requests are counted.
func (d *Desk) uisClient(callURL, dataURL string, hc *http.Client) *uis.Client {
	c := uis.NewClient(callURL, dataURL, hc)
	if m := d.cfg.Metrics; m != nil {
		c.Observe = m.UISRequest
	}
	return c
}

// SetClock replaces the clock; tests use it to move time forward.
func (d *Desk) SetClock(now func() time.Time) { d.clock.Store(&now) }

// Now returns the current time by the desk's clock, in UTC.
func (d *Desk) Now() time.Time { return (*d.clock.Load())().UTC() }

// Config returns the policies in force.
func (d *Desk) Config() Config { return d.cfg }

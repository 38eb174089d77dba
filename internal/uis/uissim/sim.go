// Package uissim is a UIS cloud-telephony simulator: the Call API v4.0, the Data API v2.0,
// HTTP notifications and call recordings, behaving as the UIS reference describes. Tests embed
// it in-process (New + Handler or Start); the CLI runs it standalone (Main).
package uissim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Config configures a Simulator. The zero value runs the default account in real time.
type Config struct {
	// Account is the simulated account; nil uses DefaultAccount().
	Account *Account
	// TimeScale multiplies every simulated duration to get the real one: 0.01 plays a
	// 60-second call in 0.6 s. Zero or negative means 1 (real time).
	TimeScale float64
	// Logger receives the simulator's logs; nil discards them.
	Logger *slog.Logger
	// Seed makes every random choice (ids, record hashes, faults, load mix) reproducible;
	// zero picks a random seed.
	Seed uint64
	// Delivery tunes notification delivery.
	Delivery DeliveryConfig
	// BaseURL is the simulator's own base URL, used in record_file_links. Start sets it; with
	// Handler it is learned from the first request's Host unless set here or by SetBaseURL.
	BaseURL string
	// MediaBaseURL, if set, replaces BaseURL in record_file_links (a separate recording host).
	MediaBaseURL string
	// Now is the wall clock for call and report times; nil uses time.Now.
	Now func() time.Time
	// SessionTTL is the lifetime of login.user keys (default 1 h, real time).
	SessionTTL time.Duration
	// Outgoing is how click-to-call and outgoing scenarios play out unless an outgoing rule
	// matches (default: the contact answers after 5 s and talks 30 s).
	Outgoing OutgoingRule
	// MaxBodyBytes limits API request bodies (default 1 MiB).
	MaxBodyBytes int64
	// MaxLogEntries bounds the delivery and request logs (default 20000 each).
	MaxLogEntries int
	// MaxCalls bounds the calls kept for reports; the oldest finished calls (and their
	// recordings) are forgotten first (default 100000), so long load runs stay bounded.
	MaxCalls int
	// MaxRecordingSeconds caps generated WAV length (default 3600 s) to keep memory bounded.
	MaxRecordingSeconds int64
	// TLSCertificate is the certificate of StartTLS (default: SelfSignedCertificate made then).
	TLSCertificate *tls.Certificate
	// State, if set, is what an earlier simulator remembered (MarshalState): its calls are
	// reported and their recordings served as before, calls it had under way as cut off when
	// it stopped, and new ids continue after its ids. New fails on a state it cannot read.
	State []byte
}

// DeliveryConfig tunes notification delivery.
type DeliveryConfig struct {
	// Timeout is the per-attempt HTTP timeout (default 5 s).
	Timeout time.Duration
	// Retries is how many times a failed delivery is retried (default 0: none, as nothing
	// public shows UIS retrying a notification; -1 also means none).
	Retries int
	// Backoff is the wait before the first retry; it doubles each retry (default 200 ms).
	Backoff time.Duration
	// MaxBackoff caps the doubling wait between retries (0: no cap), so a receiver that was
	// down for a while hears again soon after it is back.
	MaxBackoff time.Duration
	// Client sends the notifications (default: a plain client with Timeout).
	Client *http.Client
}

// Simulator is one simulated UIS account with its APIs, calls and notification deliveries.
// All methods are safe for concurrent use.
type Simulator struct {
	cfg    Config
	acct   *Account
	tz     *time.Location
	log    *slog.Logger
	client *http.Client
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mux    *http.ServeMux

	mu         sync.Mutex
	rng        *rand.Rand
	baseURL    string
	notifs     []Notification
	faults     Faults
	rules      []OutgoingRule
	calls      map[int64]*call
	callOrder  []int64
	nextID     int64
	sessions   map[string]time.Time
	deliveries []Delivery
	requests   []RequestRecord
	// deliverySeq and requestSeq number log entries; they survive ClearLogs.
	deliverySeq int64
	requestSeq  int64
	records     map[string]*recording
	limits      map[string]*limitWindow
	// busyUntil is when each employee's current generated call ends (real
	// time), so the load generator does not give a talking employee
	// another call.
	busyUntil map[int64]time.Time
	pending   int
	idle      chan struct{}
	// delivering holds, per call whose notifications are still being sent,
	// a channel closed when the last one was delivered or given up.
	delivering map[int64]chan struct{}
	load       *loadRun
	server     *http.Server
	closed     bool
	closedAt   time.Time
	// tlsBase, tlsCert and tlsServer belong to the https listener of StartTLS.
	tlsBase   string
	tlsCert   *x509.Certificate
	tlsServer *http.Server
	// sharedNext rotates the shared-account sessions through their numbers and sources.
	sharedNext int
}

// New builds a simulator. It starts no goroutines until calls are started or Start is called.
func New(cfg Config) (*Simulator, error) {
	if cfg.Account == nil {
		cfg.Account = DefaultAccount()
	}
	acct := *cfg.Account
	// normalize rewrites notifications in place: work on our own copy of the caller's slice.
	acct.Notifications = slices.Clone(acct.Notifications)
	if err := acct.normalize(); err != nil {
		return nil, err
	}
	tz, _ := time.LoadLocation(acct.Timezone)
	if cfg.TimeScale <= 0 {
		cfg.TimeScale = 1
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Seed == 0 {
		cfg.Seed = rand.Uint64()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = time.Hour
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.MaxLogEntries <= 0 {
		cfg.MaxLogEntries = 20000
	}
	if cfg.MaxCalls <= 0 {
		cfg.MaxCalls = 100000
	}
	if cfg.MaxRecordingSeconds <= 0 {
		cfg.MaxRecordingSeconds = 3600
	}
	d := &cfg.Delivery
	if d.Timeout <= 0 {
		d.Timeout = 5 * time.Second
	}
	if d.Retries < 0 {
		d.Retries = 0
	}
	if d.Backoff <= 0 {
		d.Backoff = 200 * time.Millisecond
	}
	client := d.Client
	if client == nil {
		client = &http.Client{Timeout: d.Timeout}
	}
	cfg.Outgoing = cfg.Outgoing.withDefaults()
	if err := cfg.Outgoing.validate(); err != nil {
		return nil, fmt.Errorf("uissim: config outgoing: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Simulator{
		cfg: cfg, acct: &acct, tz: tz, log: cfg.Logger, client: client, ctx: ctx, cancel: cancel,
		rng:       rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		baseURL:   strings.TrimRight(cfg.BaseURL, "/"),
		notifs:    append([]Notification(nil), acct.Notifications...),
		calls:     map[int64]*call{},
		sessions:  map[string]time.Time{},
		records:   map[string]*recording{},
		limits:    map[string]*limitWindow{},
		busyUntil: map[int64]time.Time{},
	}
	// Session ids look like real ones: 10 digits, above 2^32.
	s.nextID = 4_300_000_000 + s.rng.Int64N(1_000_000_000)
	if cfg.State != nil {
		if err := s.restore(cfg.State); err != nil {
			cancel()
			return nil, err
		}
	}
	s.mux = s.routes()
	return s, nil
}

// Handler serves the Call API (/v4.0), the Data API (/v2.0), recordings (/system/media/) and
// the control API (/sim/v1/).
func (s *Simulator) Handler() http.Handler { return s.mux }

// Start listens on addr (e.g. "127.0.0.1:0") and serves Handler until Close or ctx ends. It
// returns the base URL, which becomes the host of record_file_links unless one was configured.
func (s *Simulator) Start(ctx context.Context, addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("uissim: listen: %w", err)
	}
	base := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: s.mux, ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return "", errors.New("uissim: simulator closed")
	}
	if s.baseURL == "" {
		s.baseURL = base
	}
	s.server = srv
	s.mu.Unlock()
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("uissim: serve", "err", err)
		}
	}()
	go func() {
		defer s.wg.Done()
		select {
		case <-ctx.Done():
			srv.Close()
		case <-s.ctx.Done():
		}
	}()
	return base, nil
}

// SetBaseURL sets the simulator's own base URL (e.g. an httptest.Server URL) used in
// record_file_links.
func (s *Simulator) SetBaseURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.baseURL = strings.TrimRight(u, "/")
}

// Close stops every call, delivery, the load generator and the server started by Start, and
// waits for their goroutines.
func (s *Simulator) Close() error {
	s.mu.Lock()
	if !s.closed {
		s.closed, s.closedAt = true, time.Now()
	}
	srv, tlsSrv := s.server, s.tlsServer
	s.mu.Unlock()
	s.cancel()
	var err error
	if srv != nil {
		err = srv.Close()
	}
	if tlsSrv != nil {
		tlsSrv.Close()
	}
	s.wg.Wait()
	return err
}

// ClearLogs empties the delivery and request logs (calls and settings stay), so one
// simulator can serve several tests in a row.
func (s *Simulator) ClearLogs() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliveries, s.requests = nil, nil
}

// Account returns a copy of the simulated account (after defaults were applied), with the
// current behaviour.
func (s *Simulator) Account() Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.acct
}

// Behaviour returns the current behaviour knobs (defaults applied).
func (s *Simulator) Behaviour() Behaviour {
	return s.behaviour()
}

// SetBehaviour replaces the behaviour knobs; zero values take their defaults. It applies to
// requests and events from now on (a call already planned keeps its plan).
func (s *Simulator) SetBehaviour(b Behaviour) error {
	if err := b.normalize(); err != nil {
		return &InputError{Message: err.Error()}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct.Behaviour = b
	return nil
}

// behaviour is the current behaviour; code holding s.mu reads s.acct.Behaviour directly.
func (s *Simulator) behaviour() Behaviour {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.acct.Behaviour
}

// WaitIdle waits until every started call has finished and all its notifications were
// delivered or given up, or ctx ends.
func (s *Simulator) WaitIdle(ctx context.Context) error {
	for {
		s.mu.Lock()
		if s.pending == 0 {
			s.mu.Unlock()
			return nil
		}
		if s.idle == nil {
			s.idle = make(chan struct{})
		}
		ch := s.idle
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.ctx.Done():
			return errors.New("uissim: simulator closed")
		}
	}
}

// WaitCall waits until the call id has finished and all its notifications
// were delivered or given up, or ctx ends. Unlike WaitIdle it does not wait
// for other calls in progress (a call that rings for the whole test). A call
// the simulator does not know returns at once.
func (s *Simulator) WaitCall(ctx context.Context, id int64) error {
	s.mu.Lock()
	ch := s.delivering[id]
	s.mu.Unlock()
	if ch == nil {
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-s.ctx.Done():
		return errors.New("uissim: simulator closed")
	}
}

// addWorkLocked and doneWork count calls in flight for WaitIdle and
// WaitCall; addWorkLocked needs s.mu.
func (s *Simulator) addWorkLocked(id int64) {
	s.pending++
	if s.delivering == nil {
		s.delivering = map[int64]chan struct{}{}
	}
	s.delivering[id] = make(chan struct{})
}

func (s *Simulator) doneWork(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch := s.delivering[id]; ch != nil {
		close(ch)
		delete(s.delivering, id)
	}
	s.pending--
	if s.pending == 0 && s.idle != nil {
		close(s.idle)
		s.idle = nil
	}
}

// now is the wall clock in the account time zone.
func (s *Simulator) now() time.Time { return s.cfg.Now().In(s.tz) }

// realDuration converts simulated seconds to real time.
func (s *Simulator) realDuration(simSeconds float64) time.Duration {
	return time.Duration(simSeconds * s.cfg.TimeScale * float64(time.Second))
}

// newIDLocked returns a fresh 10-digit id; ids of all kinds share one increasing sequence so
// they never collide.
func (s *Simulator) newIDLocked() int64 {
	s.nextID += 1 + s.rng.Int64N(97)
	return s.nextID
}

func (s *Simulator) hexLocked(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[s.rng.IntN(16)]
	}
	return string(b)
}

// mediaBaseLocked is the scheme and host of recording links: Behaviour.RecordingBaseURL,
// Config.MediaBaseURL or the simulator's own URL; plain http when recordings redirect.
func (s *Simulator) mediaBaseLocked() string {
	base := "http://127.0.0.1"
	switch {
	case s.acct.Behaviour.RecordingBaseURL != "":
		base = s.acct.Behaviour.RecordingBaseURL
	case s.cfg.MediaBaseURL != "":
		base = strings.TrimRight(s.cfg.MediaBaseURL, "/")
	case s.baseURL != "":
		base = s.baseURL
	}
	if s.acct.Behaviour.RecordingRedirect != 0 {
		base = "http://" + strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	}
	return base
}

// learnBaseURL remembers the Host of the first request when no base URL was configured, so
// record links point back at whatever address the client used.
func (s *Simulator) learnBaseURL(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.baseURL == "" && r.Host != "" && r.TLS == nil {
		s.baseURL = "http://" + r.Host
	}
}

// sleep waits for d or until the simulator closes; it reports whether the wait completed.
func (s *Simulator) sleep(d time.Duration, wake <-chan struct{}) (completed bool) {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-wake:
		return false
	case <-s.ctx.Done():
		return false
	}
}

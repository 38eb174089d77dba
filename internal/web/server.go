// Package web is the HTTP layer: routes, handlers, templates and static
// assets. Handlers parse, call desk or store, and render; errors go through
// the one mapping in errors.go.
package web

import (
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/metrics"
	"github.com/ringdesk/ringdesk/internal/recording"
	"github.com/ringdesk/ringdesk/internal/store"
)

// Config holds what the HTTP layer needs to know about its deployment.
type Config struct {
	// BaseURL is the public URL; https makes cookies Secure.
	BaseURL string
	// Lang is the UI language for agents without their own choice.
	Lang    string
	Version string
	// TrustedProxies are the networks whose X-Forwarded-For is believed
	// when deciding a client's IP (for login throttling and logs).
	TrustedProxies []netip.Prefix
	// Recordings fetches UIS recordings for playback (default: a Fetcher
	// logging to the server's logger).
	Recordings *recording.Fetcher
	// Archive reads archived recordings (default: files in the paths the
	// database names).
	Archive *recording.Archive
	// Metrics counts webhooks and recordings served; nil counts nothing.
	Metrics *metrics.Metrics
	// MetricsToken, when set, opens GET /metrics to a scraper sending it
	// as a bearer token; empty (or MetricsElsewhere) answers 404 there.
	MetricsToken string
	// MetricsElsewhere: a separate listener (--metrics-addr) serves
	// /metrics, so this server does not.
	MetricsElsewhere bool
	// Outage says how a database outage is watched (zero: the defaults).
	Outage OutageTimings
}

// Server serves Ringdesk over HTTP.
type Server struct {
	desk    *desk.Desk
	db      *store.DB
	cfg     Config
	log     *slog.Logger
	views   *views
	assets  *assets
	handler http.Handler
	started time.Time
	// recordings fetches upstream recordings.
	recordings *recording.Fetcher
	// archive reads archived recordings.
	archive *recording.Archive
	// metricsHandler serves GET /metrics (404 when off).
	metricsHandler http.Handler
	// patterns lists every registered route pattern.
	patterns []string
	// closing is closed when the server shuts down, ending event streams.
	closing   chan struct{}
	closeOnce sync.Once
	// outage counts requests failed by a database outage (outage.go);
	// watching is its watcher goroutine, which Wait waits for.
	outage   dbOutage
	watching sync.WaitGroup
}

// Shutdown ends long-lived responses (event streams) so a graceful
// shutdown does not wait for them.
func (s *Server) Shutdown() { s.closeOnce.Do(func() { close(s.closing) }) }

// Wait returns once the background work started by requests (watching a
// database outage) has ended, after Shutdown.
func (s *Server) Wait() { s.watching.Wait() }

// New builds the server on the templates and assets the process parsed once
// (sharedViews).
func New(d *desk.Desk, db *store.DB, cfg Config, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Lang == "" {
		cfg.Lang = "ru"
	}
	v, err := sharedViews()
	if err != nil {
		return nil, err
	}
	a := v.assets
	if cfg.Recordings == nil {
		cfg.Recordings = recording.NewFetcher(recording.FetchOptions{Log: log})
	}
	s := &Server{desk: d, db: db, cfg: cfg, log: log, assets: a, started: time.Now(), closing: make(chan struct{}), recordings: cfg.Recordings}
	s.archive = cfg.Archive
	if s.archive == nil {
		s.archive = recording.NewArchive(db, "", false) // reads the absolute paths the table holds
	}
	s.metricsHandler = http.NotFoundHandler()
	if !cfg.MetricsElsewhere {
		s.metricsHandler = MetricsHandler(cfg.Metrics, cfg.MetricsToken)
	}
	s.views = v
	mux := http.NewServeMux()
	s.routes(mux)
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))
	// Webhooks come from UIS servers, never browsers; the channel token authorises them.
	csrf.AddInsecureBypassPattern("/telephony/")
	s.handler = s.recoverer(s.logRequests(securityHeaders(csrf.Handler(mux))))
	return s, nil
}

// Handler returns the root handler.
func (s *Server) Handler() http.Handler { return s.handler }

// secureCookies reports whether cookies must be marked Secure.
func (s *Server) secureCookies() bool { return strings.HasPrefix(s.cfg.BaseURL, "https://") }

// clientIP is the peer address, or the first untrusted hop of
// X-Forwarded-For when the peer is a trusted proxy.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(addr) {
		return host
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		a, err := netip.ParseAddr(h)
		if err != nil {
			break
		}
		if !s.trusted(a) || i == 0 {
			return a.String()
		}
	}
	return host
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

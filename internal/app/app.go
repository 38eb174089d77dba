package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/ringdesk/ringdesk/internal/auth"
	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/jobs"
	"github.com/ringdesk/ringdesk/internal/live"
	"github.com/ringdesk/ringdesk/internal/metrics"
	"github.com/ringdesk/ringdesk/internal/recording"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/web"
)

// Options are knobs for tests and tools that the command line does not expose.
type Options struct {
	Desk    desk.Config
	Version string
	// Archive tunes the recordings archive job.
	Archive recording.Config
	// Recordings tunes how recordings are fetched, for playback and the
	// archive alike (tests route real UIS host names to the simulator).
	Recordings recording.FetchOptions
	// Jobs tunes the leases of periodic jobs (tests shorten the TTL).
	Jobs jobs.Config
	// Outage tunes how the web server watches a database outage (tests
	// shorten it).
	Outage web.OutageTimings
	// Listener, if set, is bound to Config.Addr already (ListenAddr):
	// serve binds before opening the database, so a busy port stops it
	// before anything is written. The app closes it when it stops serving.
	Listener net.Listener
}

// App is a running Ringdesk: the store, the use cases and the HTTP server.
type App struct {
	Config Config
	Log    *slog.Logger
	DB     *store.DB
	Desk   *desk.Desk
	Web    *web.Server

	// Archiver copies recordings of channels with archive_recordings into
	// the archive (Archive: the data dir or the database).
	Archiver *recording.Archiver
	Archive  *recording.Archive
	// Metrics is this instance's Prometheus registry (its own: several
	// apps in one test process do not share series).
	Metrics *metrics.Metrics
	// Jobs runs the periodic jobs, each under a lease.
	Jobs *jobs.Runner
	// InstanceID names this process in leases and outbox claims
	// (ResolveInstanceID).
	InstanceID string

	releaseID func()

	ln        net.Listener
	metricsLn net.Listener
	srv       *http.Server
	jobs      sync.WaitGroup
	liveUp    chan struct{}
	liveOnce  sync.Once
}

// OpenStore opens the configured database, running migrations.
func OpenStore(ctx context.Context, cfg Config, log *slog.Logger) (*store.DB, error) {
	return openStore(ctx, cfg, log, nil)
}

func openStore(ctx context.Context, cfg Config, log *slog.Logger, m *metrics.Metrics) (*store.DB, error) {
	return store.Open(ctx, store.Options{DSN: cfg.DB, DataDir: cfg.DataDir, Logger: log, Metrics: m})
}

// ArchiveInDB reports whether archived recordings go to the database:
// --archive-store db, or auto on PostgreSQL.
func ArchiveInDB(cfg Config, d store.Dialect) bool {
	return cfg.ArchiveStore == "db" || (cfg.ArchiveStore != "dir" && d == store.Postgres)
}

// New opens the store, creates the first admin on an empty database and
// builds the HTTP server. It does not listen yet.
func New(ctx context.Context, cfg Config, log *slog.Logger, opts Options) (*App, error) {
	if opts.Desk.PasswordCost == 0 {
		opts.Desk = desk.DefaultConfig()
	}
	m := metrics.New()
	id, releaseID, err := ResolveInstanceID(cfg, log)
	if err != nil {
		return nil, err
	}
	db, err := openStore(ctx, cfg, log, m)
	if err != nil {
		releaseID()
		return nil, err
	}
	built := false
	defer func() {
		if !built {
			releaseID()
		}
	}()
	if opts.Jobs.Holder == "" {
		opts.Jobs.Holder = id
	}
	if opts.Desk.InstanceID == "" {
		opts.Desk.InstanceID = id
	}
	if opts.Recordings.Log == nil {
		opts.Recordings.Log = log
	}
	fetcher := recording.NewFetcher(opts.Recordings)
	archive := recording.NewArchive(db, cfg.DataDir, ArchiveInDB(cfg, db.Dialect()))
	opts.Archive.Fetcher, opts.Archive.Archive, opts.Archive.Metrics = fetcher, archive, m
	opts.Jobs.Log, opts.Jobs.Metrics = log, m
	a := &App{Config: cfg, Log: log, DB: db, liveUp: make(chan struct{}), Archiver: recording.NewArchiver(db, cfg.DataDir, log, opts.Archive),
		Archive: archive, Metrics: m, Jobs: jobs.New(db, opts.Jobs), ln: opts.Listener, InstanceID: id, releaseID: releaseID}
	if db.Dialect() != store.Postgres {
		a.liveReady()
	}
	key, err := auth.LoadOrCreateKey(cfg.SecretKey, cfg.DataDir)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("secret key: %w", err)
	}
	if opts.Desk.Secrets, err = auth.NewSealer(key); err != nil {
		db.Close()
		return nil, fmt.Errorf("secret key: %w", err)
	}
	opts.Desk.Lang = cfg.Lang
	opts.Desk.ReconcileEvery = cfg.ReconcileEvery
	opts.Desk.Metrics = m
	a.Desk = desk.New(db, log, opts.Desk)
	broker := live.NewBroker()
	m.WatchLive(broker)
	a.Desk.EnableLive(broker)
	if err := a.ensureAdmin(ctx); err != nil {
		db.Close()
		return nil, err
	}
	a.Web, err = web.New(a.Desk, db, web.Config{BaseURL: cfg.BaseURL, Lang: cfg.Lang, Version: opts.Version,
		TrustedProxies: cfg.TrustedProxies, Recordings: fetcher, Archive: archive,
		Metrics: m, MetricsToken: cfg.MetricsToken, MetricsElsewhere: cfg.MetricsAddr != "",
		Outage: opts.Outage}, log)
	if err != nil {
		db.Close()
		return nil, err
	}
	built = true
	return a, nil
}

func (a *App) ensureAdmin(ctx context.Context) error {
	admin, generated, err := a.Desk.EnsureFirstAdmin(ctx, a.Config.AdminEmail, a.Config.AdminPassword, a.Config.Lang)
	if err != nil || admin == nil {
		return err
	}
	if generated != "" {
		// Printed once, on the first start only; it is not stored anywhere in clear.
		a.Log.Warn("created the first administrator; change this password after logging in",
			"email", admin.Email, "password", generated, "login_url", a.Config.BaseURL+"/login")
	} else {
		a.Log.Info("created the first administrator", "email", admin.Email, "login_url", a.Config.BaseURL+"/login")
	}
	return nil
}

// Listen binds the configured address (":0" picks a free port), unless
// it is bound already, and --metrics-addr if set.
func (a *App) Listen() error {
	if a.ln == nil {
		ln, err := ListenAddr(a.Config.Addr)
		if err != nil {
			return err
		}
		a.ln = ln
	}
	if a.Config.MetricsAddr != "" && a.metricsLn == nil {
		ln, err := net.Listen("tcp", a.Config.MetricsAddr)
		if err != nil {
			return fmt.Errorf("cannot listen on %s (--metrics-addr): %w", a.Config.MetricsAddr, err)
		}
		a.metricsLn = ln
	}
	return nil
}

// MetricsAddr returns the address of the separate metrics listener ("" if none).
func (a *App) MetricsAddr() string {
	if a.metricsLn == nil {
		return ""
	}
	return a.metricsLn.Addr().String()
}

// ListenAddr binds addr for Ringdesk. When another program (or another
// Ringdesk) has it, the error says so and names a free port nearby to pass
// as --addr, in one line.
func ListenAddr(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	switch {
	case err == nil:
		return ln, nil
	case errors.Is(err, syscall.EADDRINUSE):
		if free := freeAddrNear(addr); free != "" {
			return nil, fmt.Errorf("%s is in use; start with --addr %s", addr, free)
		}
		return nil, fmt.Errorf("%s is in use; start with another --addr", addr)
	}
	return nil, fmt.Errorf("cannot listen on %s (--addr): %w", addr, err)
}

// freeAddrNear returns the first of the next 20 ports on addr's host that
// can be bound now, or "" if none.
func freeAddrNear(addr string) string {
	host, p, err := net.SplitHostPort(addr)
	port, perr := strconv.Atoi(p)
	if err != nil || perr != nil {
		return ""
	}
	for next := port + 1; next <= min(port+20, 65535); next++ {
		try := net.JoinHostPort(host, strconv.Itoa(next))
		if ln, err := net.Listen("tcp", try); err == nil {
			ln.Close()
			return try
		}
	}
	return ""
}

// Addr returns the address being listened on.
func (a *App) Addr() string { return a.ln.Addr().String() }

// Run serves HTTP and runs background jobs until ctx is cancelled, then
// shuts down gracefully: in-flight requests get up to 10 seconds.
func (a *App) Run(ctx context.Context) error {
	if err := a.Listen(); err != nil {
		return err
	}
	a.srv = &http.Server{
		Handler:           a.Web.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	jobCtx, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	// Before any loop takes a lease or a claim under this id: what a dead
	// process of the same id held is free at once.
	if err := releaseInstance(ctx, a.DB, a.InstanceID, a.Log); err != nil {
		a.Log.Warn("what this instance held before it stopped is released when it expires", "err", err)
	}
	// Every instance keeps its own browsers' live updates; periodic work
	// runs on one instance at a time, under a lease.
	a.startLoop(jobCtx, "live", a.Desk.RunLive)
	a.startLoop(jobCtx, "live listener", func(ctx context.Context) error { return a.Desk.ListenLive(ctx, a.liveReady) })
	for _, j := range a.periodicJobs() {
		a.Jobs.Start(jobCtx, j)
	}
	a.startLoop(jobCtx, "email outbox", a.Desk.RunOutbox)
	a.startLoop(jobCtx, "email fetch", a.Desk.RunMailFetch)

	a.srv.RegisterOnShutdown(a.Web.Shutdown)
	errc := make(chan error, 2)
	spare := newSpareListener(a.ln)
	go func() { errc <- a.srv.Serve(spare) }()
	var msrv *http.Server
	if a.metricsLn != nil {
		msrv = &http.Server{Handler: metricsMux(a.Metrics, a.Config.MetricsToken), ReadHeaderTimeout: 10 * time.Second,
			ErrorLog: slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn)}
		go func() { errc <- msrv.Serve(a.metricsLn) }()
		a.Log.Info("metrics are served on a separate listener", "addr", a.MetricsAddr())
	}
	a.Log.Info("ringdesk is listening", "addr", a.Addr(), "url", a.Config.BaseURL, "db", a.DB.Dialect())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- a.srv.Shutdown(sctx) }()
	err := closeSpareUntil(spare, shut)
	if msrv != nil {
		_ = msrv.Shutdown(sctx)
	}
	stopJobs()
	a.jobs.Wait()
	a.Jobs.Wait()
	a.Web.Shutdown()
	a.Web.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// closeSpareUntil closes spare connections (see spareListener) while the
// graceful shutdown runs, and returns its result.
func closeSpareUntil(l *spareListener, shut <-chan error) error {
	tick := time.NewTicker(spareGrace / 5)
	defer tick.Stop()
	for {
		select {
		case err := <-shut:
			return err
		case <-tick.C:
			l.closeSpare()
		}
	}
}

// startLoop runs fn, a loop that returns when ctx ends.
func (a *App) startLoop(ctx context.Context, name string, fn func(context.Context) error) {
	a.jobs.Add(1)
	go func() {
		defer a.jobs.Done()
		if err := fn(ctx); err != nil && ctx.Err() == nil {
			a.Log.Error("background loop stopped", "loop", name, "err", err)
		}
	}()
}

// liveReady is called each time the PostgreSQL live listener is in place.
func (a *App) liveReady() {
	a.liveOnce.Do(func() { close(a.liveUp) })
}

// LiveReady is closed once live updates from other instances are heard
// (at once on SQLite, which has no other instances).
func (a *App) LiveReady() <-chan struct{} { return a.liveUp }

// periodicJobs is the work that runs on one instance at a time: the
// retention of sessions and login attempts, the recording archive, the
// folding of report rollup shards (PostgreSQL) and reconciliation with the
// UIS calls report (when on).
func (a *App) periodicJobs() []jobs.Job {
	js := []jobs.Job{
		{Name: "cleanup", Every: time.Hour, Run: a.Desk.Cleanup},
		{Name: "recording archive", Every: a.Archiver.Every(), Run: a.Archiver.Pass},
		{Name: "report shards", Every: 10 * time.Minute, Run: a.Desk.CompactReports},
	}
	if a.Config.ReconcileEvery > 0 {
		js = append(js, jobs.Job{Name: "reconcile", Every: a.Config.ReconcileEvery, Run: a.Desk.ReconcileDue})
	}
	return js
}

// metricsMux serves only /metrics, for the --metrics-addr listener.
func metricsMux(m *metrics.Metrics, token string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", web.MetricsHandler(m, token))
	return mux
}

// Close releases the listeners (if Run did not) and the store.
func (a *App) Close() error {
	if a.ln != nil {
		a.ln.Close() // already closed when Run served it
	}
	if a.metricsLn != nil {
		a.metricsLn.Close()
	}
	err := a.DB.Close()
	if a.releaseID != nil {
		a.releaseID()
	}
	return err
}

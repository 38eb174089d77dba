// Package jobs runs Ringdesk's periodic work so that each job runs on one
// instance at a time, however many instances share the database.
//
// A job is a Job: a name, an interval and a Run function doing one pass
// (not a loop). Give it to a Runner:
//
//	r := jobs.New(db, jobs.Config{Log: log, Metrics: m})
//	r.Start(ctx, jobs.Job{Name: "outbox", Every: 10 * time.Second, Run: mailer.SendDue})
//	...
//	r.Wait() // after ctx ends: every job has stopped and released its lease
//
// Before running a job an instance takes the job's lease: a row of the
// job_leases table (name, holder, expires_at). While it holds the lease it
// runs the job every Every (with ±10 % jitter) and renews the lease every
// TTL/3; another instance finds the lease held and checks again every
// TTL/3. When ctx ends the holder deletes its row, so another instance
// takes over within TTL/3. A holder that dies (SIGKILL, a lost machine,
// its connections cut) cannot delete it: the row expires TTL after its
// last renewal and another instance takes the job then, within TTL + TTL/3
// (40 s with the default 30 s TTL). A holder that cannot renew (the
// database is unreachable) stops the job's pass once its lease has
// expired, so two instances never run a job at once for longer than a
// pass already under way.
//
// Why a lease row rather than a PostgreSQL advisory lock on a dedicated
// connection: the row works the same on SQLite (one instance takes it at
// once, through the same code), it can be read (SELECT * FROM job_leases
// says who runs what and until when), and its expiry is explicit and
// configurable, which a test of a dead holder needs. An advisory lock goes
// with its connection, which a pooled driver may close or replace, and a
// connection dropped by the network frees it without the holder knowing.
// The cost is that instances' clocks must agree to within a few seconds
// (NTP), since each writes expiry times by its own clock.
//
// Run functions get a context that ends when the runner stops or the lease
// is lost; they should return promptly then. A Run error is logged and
// counted (ringdesk_job_runs_total{outcome="failed"}); the job runs again
// at its next interval.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/ringdesk/ringdesk/internal/metrics"
)

// Job is one kind of periodic work.
type Job struct {
	// Name identifies the job's lease; instances running the same job
	// must use the same name.
	Name string
	// Every is the time between the starts of two passes.
	Every time.Duration
	// Run does one pass.
	Run func(ctx context.Context) error
}

// Leases keeps the leases; *store.DB implements it.
type Leases interface {
	TakeLease(ctx context.Context, name, holder string, now, expires time.Time) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// DefaultTTL is how long a lease lasts without renewal.
const DefaultTTL = 30 * time.Second

// Config tunes a Runner.
type Config struct {
	// TTL is how long a lease outlives its last renewal (default 30 s).
	// It bounds how long a job stays undone after its holder dies.
	TTL time.Duration
	// Holder names this instance in job_leases (default host-pid-random).
	Holder string
	Log    *slog.Logger
	// Metrics counts runs and shows which leases this instance holds.
	Metrics *metrics.Metrics
}

// Runner runs jobs under leases.
type Runner struct {
	leases Leases
	cfg    Config
	wg     sync.WaitGroup
}

// New returns a runner taking leases from leases.
func New(leases Leases, cfg Config) *Runner {
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	if cfg.Holder == "" {
		cfg.Holder = DefaultHolder()
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Runner{leases: leases, cfg: cfg}
}

// DefaultHolder names this process: host name, pid and a random suffix
// (a restarted process may get the same pid).
func DefaultHolder() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Holder returns this runner's name in job_leases.
func (r *Runner) Holder() string { return r.cfg.Holder }

// Start runs job under its lease until ctx ends.
func (r *Runner) Start(ctx context.Context, job Job) {
	if job.Every <= 0 {
		panic("jobs: " + job.Name + ": Every must be positive")
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.loop(ctx, job)
	}()
}

// Wait returns once every started job has stopped (after ctx ended).
func (r *Runner) Wait() { r.wg.Wait() }

// loop waits for the lease, runs the job while it holds it, and waits
// again if it loses it.
func (r *Runner) loop(ctx context.Context, job Job) {
	retry := r.cfg.TTL / 3
	for ctx.Err() == nil {
		now := time.Now()
		held, err := r.leases.TakeLease(ctx, job.Name, r.cfg.Holder, now, now.Add(r.cfg.TTL))
		if err != nil && ctx.Err() == nil {
			r.cfg.Log.Warn("job lease not taken", "job", job.Name, "err", err)
		}
		if held {
			r.cfg.Log.Info("job lease taken; running the job here", "job", job.Name, "holder", r.cfg.Holder)
			r.cfg.Metrics.JobLease(job.Name, true)
			r.hold(ctx, job, now.Add(r.cfg.TTL))
			r.cfg.Metrics.JobLease(job.Name, false)
		}
		if !sleep(ctx, jitter(retry)) {
			return
		}
	}
}

// hold runs job every job.Every while the lease is renewed, and releases
// the lease when ctx ends.
func (r *Runner) hold(ctx context.Context, job Job, expires time.Time) {
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var renewing sync.WaitGroup
	renewing.Add(1)
	go func() {
		defer renewing.Done()
		defer cancel()
		r.renew(jctx, job.Name, expires)
	}()
	for {
		err := job.Run(jctx)
		if jctx.Err() != nil {
			break
		}
		r.cfg.Metrics.JobRun(job.Name, err == nil)
		if err != nil {
			r.cfg.Log.Warn("job failed", "job", job.Name, "err", err)
		}
		if !sleep(jctx, jitter(job.Every)) {
			break
		}
	}
	cancel()
	renewing.Wait()
	if ctx.Err() != nil {
		// Stopping: hand the job over at once rather than after the TTL.
		rctx, done := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer done()
		if err := r.leases.ReleaseLease(rctx, job.Name, r.cfg.Holder); err != nil {
			r.cfg.Log.Warn("job lease not released; it expires by itself", "job", job.Name, "err", err)
		}
	}
}

// renew extends the lease every TTL/3 until ctx ends. It returns (and so
// stops the job) when another instance has the lease, or when renewals
// have failed until the lease is about to expire: a timer set just before
// the expiry (a tenth of the TTL early, for the clocks and the time a pass
// takes to notice) stops the job then, not at the next tick, which could
// come up to TTL/3 after another instance took over.
func (r *Runner) renew(ctx context.Context, name string, expires time.Time) {
	t := time.NewTicker(r.cfg.TTL / 3)
	defer t.Stop()
	margin := r.cfg.TTL / 10
	deadline := time.NewTimer(time.Until(expires) - margin)
	defer deadline.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-deadline.C:
			r.cfg.Log.Warn("job lease expiring: it could not be renewed; stopping the job here", "job", name)
			return
		case <-t.C:
		}
		now := time.Now()
		held, err := r.leases.TakeLease(ctx, name, r.cfg.Holder, now, now.Add(r.cfg.TTL))
		switch {
		case ctx.Err() != nil:
			return
		case err == nil && held:
			expires = now.Add(r.cfg.TTL)
			deadline.Reset(time.Until(expires) - margin)
		case err == nil:
			r.cfg.Log.Warn("job lease lost to another instance; stopping the job here", "job", name)
			return
		case !now.Before(expires.Add(-margin)):
			r.cfg.Log.Warn("job lease expired: it could not be renewed; stopping the job here", "job", name, "err", err)
			return
		default:
			r.cfg.Log.Warn("job lease not renewed; trying again", "job", name, "err", err)
		}
	}
}

// jitter spreads d by ±10 %, so instances and jobs do not act in step.
func jitter(d time.Duration) time.Duration {
	if d < 10 {
		return d
	}
	return d - d/10 + time.Duration(mrand.Int64N(int64(d/5)+1))
}

// sleep waits d; false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

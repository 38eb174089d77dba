// Package faults is the fault suite: it runs the real ringdesk binary as a
// child process, drives it with the UIS simulator's notification load over
// HTTP (retried as UIS would be asked to: on any non-2xx or timeout, with
// backoff), breaks things under that load (SIGKILLs, a database outage,
// lost, doubled and shuffled notifications) and then holds every call
// Ringdesk stored against the simulator's truth, field by field.
package faults

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// Scenarios in the order "all" runs them.
var Scenarios = []string{"kill", "outage", "chaos"}

// Options configure a run.
type Options struct {
	// Exe is the ringdesk binary to run (os.Executable() for the command).
	Exe string
	// DB is "" for SQLite or a postgres:// URL: kill and chaos run in a
	// fresh schema of it; the outage runs on a throwaway cluster of its own.
	DB string
	// DataDir holds each scenario's data dir and the child's log.
	DataDir string
	// Calls is how many calls each scenario makes.
	Calls int
	// Kills is how many times the kill scenario kills Ringdesk.
	Kills int
	// Outage is how long the database stays away.
	Outage time.Duration
	// Window is how long calls keep starting (0: 10 s); the kill scenario's
	// is at least 3 s per kill, the outage's is Outage longer.
	Window time.Duration
	// Seed makes the kill moments and the simulator's calls reproducible (0: random).
	Seed uint64
	// Log receives progress; Out the result lines.
	Log, Out io.Writer
}

// Result is one scenario's outcome.
type Result struct {
	Scenario, DB string
	Sent         int // notification deliveries attempted
	Answered200  int // of them answered 2xx
	Tally
	// Failures are assertions of the scenario that did not hold (the outage's
	// 5xx, readiness and page checks, a restart).
	Failures []string
}

// Line is the one line the scenario ends with.
func (r Result) Line() string {
	return fmt.Sprintf("%s %s: sent %d, answered 200 %d, calls expected %d, calls stored %d, lost %d, doubled %d, wrong state %d",
		r.Scenario, r.DB, r.Sent, r.Answered200, r.Expected, r.Stored, r.Lost, r.Doubled, r.Wrong)
}

// OK reports whether nothing was lost, doubled or wrong and every check held.
func (r Result) OK() bool {
	return r.Lost == 0 && r.Doubled == 0 && r.Wrong == 0 && len(r.Failures) == 0 && r.Expected > 0
}

// ErrFailed is returned by Run when a scenario's line is not all zeros.
var ErrFailed = errors.New("fault suite failed")

// Run runs the scenarios in order, printing each one's line to opts.Out.
func Run(ctx context.Context, opts Options, scenarios []string) ([]Result, error) {
	if opts.Calls < 1 {
		return nil, fmt.Errorf("--calls must be at least 1")
	}
	if opts.Kills < 1 {
		return nil, fmt.Errorf("--kills must be at least 1")
	}
	if opts.Outage < time.Second {
		return nil, fmt.Errorf("--outage must be at least 1s")
	}
	if opts.Seed == 0 {
		opts.Seed = rand.Uint64()
	}
	if opts.DataDir == "" {
		return nil, fmt.Errorf("a data dir is needed")
	}
	var results []Result
	failed := false
	for _, sc := range scenarios {
		if !slices.Contains(Scenarios, sc) {
			return results, fmt.Errorf("unknown scenario %q: want kill, outage, chaos or all", sc)
		}
		r, err := runScenario(ctx, opts, sc)
		if err != nil {
			return results, fmt.Errorf("%s %s: %w", sc, dbName(opts.DB), err)
		}
		for _, p := range r.Problems {
			fmt.Fprintf(opts.Log, "  %s: %s\n", sc, p)
		}
		for _, f := range r.Failures {
			fmt.Fprintf(opts.Log, "  %s: FAILED: %s\n", sc, f)
		}
		fmt.Fprintln(opts.Out, r.Line())
		results = append(results, r)
		failed = failed || !r.OK()
	}
	if failed {
		return results, ErrFailed
	}
	return results, nil
}

func dbName(dsn string) string {
	if dsn == "" {
		return "sqlite"
	}
	return "postgres"
}

// scenario is one run in progress.
type scenario struct {
	opts    Options
	name    string
	dir     string
	db      database
	sim     *uissim.Simulator
	child   *child
	api     *api
	channel int64
	rng     *rand.Rand
	// window is how long the load lasts.
	window time.Duration
	res    Result
}

func (s *scenario) logf(format string, args ...any) {
	fmt.Fprintf(s.opts.Log, "%s %s: %s\n", s.name, s.res.DB, fmt.Sprintf(format, args...))
}

func (s *scenario) fail(format string, args ...any) {
	s.res.Failures = append(s.res.Failures, fmt.Sprintf(format, args...))
}

func runScenario(ctx context.Context, opts Options, name string) (Result, error) {
	s := &scenario{opts: opts, name: name, rng: rand.New(rand.NewPCG(opts.Seed, uint64(len(name)))),
		res: Result{Scenario: name, DB: dbName(opts.DB)}}
	s.dir = filepath.Join(opts.DataDir, name+"-"+s.res.DB)
	if err := os.RemoveAll(s.dir); err != nil {
		return s.res, err
	}
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return s.res, err
	}
	switch {
	case opts.DB == "":
		s.db = &sqliteDB{}
	case name == "outage":
		c, err := newPGCluster(ctx)
		if err != nil {
			return s.res, err
		}
		s.db = c
	default:
		p, err := newPGSchema(ctx, opts.DB, name)
		if err != nil {
			return s.res, err
		}
		s.db = p
	}
	defer s.db.Close()
	if err := s.setUp(ctx); err != nil {
		return s.res, err
	}
	defer s.sim.Close()
	defer s.child.stop()
	if err := s.load(ctx); err != nil {
		return s.res, err
	}
	if name == "chaos" {
		if err := s.reconcile(ctx); err != nil {
			return s.res, err
		}
	}
	return s.res, s.check(ctx)
}

// setUp starts the simulator and Ringdesk and connects them: a UIS channel
// pointing at the simulator, its webhook token in the simulator's
// notifications, an agent for the simulator's first employee.
func (s *scenario) setUp(ctx context.Context) error {
	sim, err := uissim.New(uissim.Config{TimeScale: 0.01, Seed: s.opts.Seed, MaxLogEntries: 1 << 22,
		Delivery: uissim.DeliveryConfig{Retries: 1000, Backoff: 100 * time.Millisecond, MaxBackoff: time.Second, Timeout: 10 * time.Second}})
	if err != nil {
		return err
	}
	simURL, err := sim.Start(ctx, "127.0.0.1:0")
	if err != nil {
		return err
	}
	s.sim = sim
	logFile, err := os.Create(filepath.Join(s.dir, "ringdesk.log"))
	if err != nil {
		return err
	}
	if s.child, err = newChild(s.opts.Exe, s.dir, s.db.DSN(), logFile); err != nil {
		return err
	}
	if err := s.child.start(ctx); err != nil {
		return err
	}
	out, err := s.child.command(ctx, "token", "create", "--email", adminEmail, "--name", "fault suite")
	if err != nil {
		return err
	}
	s.api = newAPI(s.child.url(), strings.TrimSpace(out))
	if _, err := s.child.command(ctx, "user", "create", "--email", agentEmail, "--name", "Иванов Иван",
		"--role", "agent", "--password", agentPassword, "--operator-id", agentOperator); err != nil {
		return err
	}
	u, _ := url.Parse(simURL)
	var ch struct {
		ID int64 `json:"id"`
	}
	if err := s.api.do(ctx, "POST", "/api/v1/channels", map[string]any{"type": "uis", "name": "UIS (fault suite)",
		"app_secret": uissim.DefaultAPIKey, "call_api_url": simURL + "/v4.0", "data_api_url": simURL + "/v2.0",
		"virtual_phone_number": "74951234567", "recording_hosts": []string{u.Host}}, &ch); err != nil {
		return err
	}
	s.channel = ch.ID
	var tok struct {
		Token string `json:"token"`
	}
	if err := s.api.do(ctx, "POST", fmt.Sprintf("/api/v1/channels/%d/tokens", ch.ID), map[string]any{"label": "simulator"}, &tok); err != nil {
		return err
	}
	if err := sim.SetNotifications(uissim.SeedNotifications(s.child.url(), tok.Token)); err != nil {
		return err
	}
	if s.name == "chaos" {
		if err := sim.SetFaults(uissim.Faults{DropProbability: 0.1, DuplicateProbability: 0.1, Shuffle: true}); err != nil {
			return err
		}
	}
	return nil
}

// load sends the calls and, meanwhile, does the scenario's damage; it
// returns when every call is over and every notification was delivered or
// given up.
func (s *scenario) load(ctx context.Context) error {
	base := s.opts.Window
	if base <= 0 {
		base = 10 * time.Second
	}
	s.window = base
	switch s.name {
	case "kill":
		s.window = max(s.window, time.Duration(s.opts.Kills)*3*time.Second)
	case "outage":
		s.window = s.opts.Outage + base
	}
	rate := min(float64(s.opts.Calls)/s.window.Seconds(), 200)
	spec := uissim.LoadSpec{Rate: rate, Duration: uissim.Duration(4 * s.window), MaxTalkSeconds: 60, Calls: s.opts.Calls}
	s.logf("%d calls at %.1f/s", s.opts.Calls, rate)
	if err := s.sim.StartLoad(spec); err != nil {
		return err
	}
	started := time.Now()
	var err error
	switch s.name {
	case "kill":
		err = s.kills(ctx, started)
	case "outage":
		err = s.outage(ctx, started)
	}
	if err != nil {
		s.sim.StopLoad()
		return err
	}
	select {
	case <-s.sim.LoadDone():
	case <-ctx.Done():
		return ctx.Err()
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	if err := s.sim.WaitIdle(wctx); err != nil {
		return fmt.Errorf("the simulator did not finish its deliveries: %w", err)
	}
	return nil
}

// kills SIGKILLs Ringdesk at Kills random moments of the load and restarts it each time.
func (s *scenario) kills(ctx context.Context, started time.Time) error {
	at := make([]time.Duration, s.opts.Kills)
	for i := range at {
		at[i] = time.Duration((0.05 + 0.9*s.rng.Float64()) * float64(s.window))
	}
	slices.Sort(at)
	for i, d := range at {
		if err := sleepUntil(ctx, started.Add(d)); err != nil {
			return err
		}
		pid := s.child.pid()
		if err := s.child.kill(); err != nil {
			return err
		}
		t := time.Now()
		if err := s.child.start(ctx); err != nil {
			return fmt.Errorf("restart after kill %d: %w", i+1, err)
		}
		s.logf("kill %d/%d at %s: pid %d killed, back in %s", i+1, len(at), d.Round(time.Millisecond), pid, time.Since(t).Round(time.Millisecond))
	}
	return nil
}

// reconcile has an administrator press "Reconcile now" on the channel page,
// as after notifications lost on the way: the calls report fills the gaps.
func (s *scenario) reconcile(ctx context.Context) error {
	b, err := login(ctx, s.child.url(), adminEmail, adminPassword)
	if err != nil {
		return err
	}
	code, body, err := b.post(ctx, fmt.Sprintf("/channels/%d/reconcile", s.channel), nil)
	if err != nil {
		return err
	}
	if code != 303 {
		return fmt.Errorf("reconcile now: %d %.300s", code, body)
	}
	s.logf("reconciled with the calls report")
	return nil
}

// check counts the deliveries and holds the stored calls against the simulator's.
func (s *scenario) check(ctx context.Context) error {
	for _, d := range s.sim.Deliveries(0) {
		if d.Status == uissim.StatusDropped {
			continue
		}
		s.res.Sent++
		if d.StatusCode/100 == 2 && d.Error == "" {
			s.res.Answered200++
		}
		if d.Status == uissim.StatusFailed {
			s.fail("a notification was given up after every retry: call %d %s: %s", d.CallSessionID, d.Event, d.Error)
		}
	}
	stored, err := s.api.calls(ctx, s.channel)
	if err != nil {
		return err
	}
	s.res.Tally = Compare(s.sim.Calls(), stored)
	return nil
}

func sleepUntil(ctx context.Context, t time.Time) error {
	select {
	case <-time.After(time.Until(t)):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

package jobs_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/jobs"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// instances opens n stores on one database, as n Ringdesk instances would
// (on SQLite, the same file: the lease code is the same).
func instances(t *testing.T, n int) []*store.DB {
	t.Helper()
	dsn, dir := storetest.DSN(t), t.TempDir()
	var dbs []*store.DB
	for range n {
		db, err := store.Open(context.Background(), store.Options{DSN: dsn, DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		dbs = append(dbs, db)
	}
	return dbs
}

// counter is a job that counts its runs per instance and notices overlap.
type counter struct {
	mu      sync.Mutex
	runs    map[string]int
	last    map[string]time.Time
	running atomic.Int32
	overlap atomic.Bool
}

func newCounter() *counter { return &counter{runs: map[string]int{}, last: map[string]time.Time{}} }

func (c *counter) job(holder string) jobs.Job {
	return jobs.Job{Name: "count", Every: 10 * time.Millisecond, Run: func(ctx context.Context) error {
		if c.running.Add(1) > 1 {
			c.overlap.Store(true)
		}
		defer c.running.Add(-1)
		time.Sleep(2 * time.Millisecond)
		c.mu.Lock()
		c.runs[holder]++
		c.last[holder] = time.Now()
		c.mu.Unlock()
		return nil
	}}
}

func (c *counter) count(holder string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.runs[holder]
}

func (c *counter) lastRun(holder string) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last[holder]
}

func start(t *testing.T, db *store.DB, holder string, ttl time.Duration, c *counter) (context.CancelFunc, *jobs.Runner) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := jobs.New(db, jobs.Config{TTL: ttl, Holder: holder})
	r.Start(ctx, c.job(holder))
	t.Cleanup(func() { cancel(); r.Wait() })
	return cancel, r
}

func waitUntil(t *testing.T, d time.Duration, ok func() bool) time.Duration {
	t.Helper()
	began := time.Now()
	for !ok() {
		if time.Since(began) > d {
			t.Fatalf("not within %v", d)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(began)
}

// TestOneInstanceRunsTheJob: of two instances, one runs the job and the
// other never does, and never both at once.
func TestOneInstanceRunsTheJob(t *testing.T) {
	t.Parallel()
	dbs := instances(t, 2)
	defer dbs[0].Close()
	defer dbs[1].Close()
	c := newCounter()
	start(t, dbs[0], "a", 600*time.Millisecond, c)
	start(t, dbs[1], "b", 600*time.Millisecond, c)
	waitUntil(t, 10*time.Second, func() bool { return c.count("a")+c.count("b") >= 20 })
	time.Sleep(700 * time.Millisecond) // past a TTL: renewals kept the lease where it was
	a, b := c.count("a"), c.count("b")
	if (a == 0) == (b == 0) {
		t.Fatalf("runs: a %d, b %d; want exactly one instance running the job", a, b)
	}
	l, ok, err := dbs[0].LeaseByName(context.Background(), "count")
	want := "a"
	if b > 0 {
		want = "b"
	}
	if err != nil || !ok || l.Holder != want {
		t.Fatalf("lease: %+v %v %v, want held by %s", l, ok, err, want)
	}
	if c.overlap.Load() {
		t.Fatal("the job ran on both instances at once")
	}
}

// TestStoppedHolderHandsOver: a holder that stops releases the lease, and
// the other instance takes the job at its next check (TTL/3), long before
// the lease would have expired.
func TestStoppedHolderHandsOver(t *testing.T) {
	t.Parallel()
	dbs := instances(t, 2)
	defer dbs[0].Close()
	defer dbs[1].Close()
	c := newCounter()
	ttl := 3 * time.Second
	stopA, ra := start(t, dbs[0], "a", ttl, c)
	waitUntil(t, 5*time.Second, func() bool { return c.count("a") > 0 })
	start(t, dbs[1], "b", ttl, c)
	time.Sleep(100 * time.Millisecond)
	if c.count("b") != 0 {
		t.Fatal("b ran the job while a held the lease")
	}
	stopA()
	ra.Wait()
	if l, ok, _ := dbs[0].LeaseByName(context.Background(), "count"); ok {
		t.Fatalf("a stopped but its lease is still there: %+v", l)
	}
	took := waitUntil(t, ttl, func() bool { return c.count("b") > 0 })
	if took > ttl/3+time.Second {
		t.Fatalf("b took over %v after a stopped; want within TTL/3 (%v)", took, ttl/3)
	}
}

// TestDeadHolderIsReplaced: a holder that dies (its database connections
// cut, so it can neither renew nor release) keeps the lease only until it
// expires; then the other instance takes the job over, within TTL + TTL/3.
func TestDeadHolderIsReplaced(t *testing.T) {
	t.Parallel()
	dbs := instances(t, 2)
	defer dbs[1].Close()
	c := newCounter()
	ttl := 900 * time.Millisecond
	stopA, ra := start(t, dbs[0], "a", ttl, c)
	waitUntil(t, 5*time.Second, func() bool { return c.count("a") > 0 })
	start(t, dbs[1], "b", ttl, c)

	dbs[0].Close() // a "dies": no more renewals, no release
	died := time.Now()
	took := waitUntil(t, 10*time.Second, func() bool { return c.count("b") > 0 })
	if took > ttl+ttl/3+500*time.Millisecond {
		t.Fatalf("b took over %v after a died; want within TTL + TTL/3 (%v)", took, ttl+ttl/3)
	}
	if took < ttl/2 {
		t.Fatalf("b took over %v after a died, before a's lease (TTL %v) could have expired", took, ttl)
	}
	if l, ok, err := dbs[1].LeaseByName(context.Background(), "count"); err != nil || !ok || l.Holder != "b" {
		t.Fatalf("lease after take-over: %+v %v %v", l, ok, err)
	}
	if last := c.lastRun("a"); last.After(died.Add(ttl)) {
		t.Fatalf("a still ran the job %v after it died, past its lease", last.Sub(died))
	}
	stopA()
	ra.Wait()
	if c.overlap.Load() {
		t.Fatal("the job ran on both instances at once")
	}
}

// TestRunnerCountsRuns: a failing pass is counted as failed and the job
// runs again at its next interval.
func TestFailingJobRunsAgain(t *testing.T) {
	t.Parallel()
	dbs := instances(t, 1)
	defer dbs[0].Close()
	var runs atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	r := jobs.New(dbs[0], jobs.Config{TTL: time.Second})
	r.Start(ctx, jobs.Job{Name: "fails", Every: 10 * time.Millisecond, Run: func(context.Context) error {
		runs.Add(1)
		return context.DeadlineExceeded
	}})
	waitUntil(t, 5*time.Second, func() bool { return runs.Load() >= 3 })
	cancel()
	r.Wait()
}

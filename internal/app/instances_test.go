package app_test

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/jobs"
	"github.com/ringdesk/ringdesk/internal/recording"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

const ivanov = int64(323401) // the simulator's first employee

// instance starts an app on dsn (every instance of one test shares it)
// with short job leases, a fast archive and reconciliation on.
func instance(t *testing.T, dsn string, holder string) *apptest.App {
	t.Helper()
	return apptest.New(t, func(cfg *app.Config, o *app.Options) {
		if dsn != "" {
			cfg.DB = dsn
		}
		cfg.ReconcileEvery = time.Minute
		o.Jobs = jobs.Config{TTL: 900 * time.Millisecond, Holder: holder}
		o.Archive = recording.Config{Interval: 20 * time.Millisecond, Backoff: 20 * time.Millisecond, MaxAttempts: 1000}
	})
}

// holders returns who holds each periodic job's lease.
func holders(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range []string{"cleanup", "recording archive", "reconcile"} {
		l, ok, err := db.LeaseByName(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			out[name] = l.Holder
		}
	}
	return out
}

func jobRuns(t *testing.T, a *apptest.App, job string) float64 {
	t.Helper()
	v, err := a.Metrics.Values()
	if err != nil {
		t.Fatal(err)
	}
	return v["ringdesk_job_runs_total,job_name="+job+",outcome=ok"] + v["ringdesk_job_runs_total,job_name="+job+",outcome=failed"]
}

func waitFor(t *testing.T, what string, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func play(t *testing.T, a *apptest.App, callID int64) string {
	t.Helper()
	res := a.Admin(t).Get(t, "/calls/"+strconv.FormatInt(callID, 10)+"/recordings/1")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "RIFF") {
		t.Fatalf("recording of call %d on %s: %d (%d bytes)", callID, a.URL, res.StatusCode, len(res.Body))
	}
	return res.Body
}

// TestTwoInstances runs two instances on one PostgreSQL: each periodic job
// runs on one of them only; a recording one instance archived plays on the
// other after UIS has lost it; and when the jobs' holder dies (its
// database connections cut, so it neither renews nor releases its leases)
// the other instance takes every job over within the lease's expiry and
// archives the next call's recording.
func TestTwoInstances(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Skip("several instances need PostgreSQL (set RINGDESK_TEST_POSTGRES)")
	}
	t.Parallel()
	a1 := instance(t, "", "one")
	a2 := instance(t, a1.Config.DB, "two")
	byHolder := map[string]*apptest.App{"one": a1, "two": a2}
	tel := apptest.NewTelephony(t, a1)
	s := tel.Channel.UIS
	s.ArchiveRecordings = true
	if _, err := a1.Desk.UpdateChannel(context.Background(), ringdesk.System, tel.Channel.ID, ringdesk.ChannelUpdate{UIS: &s}); err != nil {
		t.Fatal(err)
	}

	var hs map[string]string
	waitFor(t, "every job has a holder", 10*time.Second, func() bool { hs = holders(t, a1.DB); return len(hs) == 3 })
	for job, holder := range hs {
		if byHolder[holder] == nil {
			t.Fatalf("job %s held by %q", job, holder)
		}
	}
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770401", EmployeeIDs: []int64{ivanov}, TalkSeconds: 4})
	waitFor(t, "archived", 20*time.Second, func() bool {
		st, _, err := a1.DB.RecordingArchiveState(context.Background(), c.ID, 1)
		return err == nil && st == "done"
	})
	// Each job ran on its holder only.
	for job, holder := range holders(t, a1.DB) {
		other := a1
		if holder == "one" {
			other = a2
		}
		if n := jobRuns(t, byHolder[holder], job); n == 0 && job != "cleanup" && job != "reconcile" {
			t.Errorf("job %s: its holder %s has not run it", job, holder)
		}
		if n := jobRuns(t, other, job); n != 0 {
			t.Errorf("job %s held by %s also ran %v times on the other instance", job, holder, n)
		}
	}

	// Both instances play it from the archive, not from UIS.
	if b1, b2 := play(t, a1, c.ID), play(t, a2, c.ID); b1 != b2 {
		t.Fatal("the two instances play different bytes")
	}
	for _, a := range []*apptest.App{a1, a2} {
		if v, _ := a.Metrics.Values(); v["ringdesk_recordings_proxied_total,outcome=ok,source=archive"] != 1 {
			t.Fatalf("%s did not play the archived copy: %v", a.URL, v["ringdesk_recordings_proxied_total,outcome=ok,source=uis"])
		}
	}

	// The archive job's holder dies.
	holder := holders(t, a1.DB)["recording archive"]
	dead, alive := byHolder[holder], a1
	if dead == a1 {
		alive = a2
	}
	dead.DB.Close() // a SIGKILL: its connections are gone, its leases stay
	died := time.Now()
	waitFor(t, "the survivor holds every job", 10*time.Second, func() bool {
		hs := holders(t, alive.DB)
		for _, h := range hs {
			if byHolder[h] != alive {
				return false
			}
		}
		return len(hs) == 3
	})
	if took := time.Since(died); took > 900*time.Millisecond*4/3+time.Second {
		t.Fatalf("take-over took %v; want within the lease TTL + TTL/3", took)
	}
	dead.Stop()

	// UIS now notifies the survivor; its next recording is archived there.
	if err := tel.Sim.SetNotifications(uissim.SeedNotifications(alive.URL, tel.Token)); err != nil {
		t.Fatal(err)
	}
	session := tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770402", EmployeeIDs: []int64{ivanov}, TalkSeconds: 4})
	tel.Wait(t)
	c2, err := alive.DB.CallBySession(context.Background(), tel.Channel.ID, session)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "archived by the survivor", 20*time.Second, func() bool {
		st, _, err := alive.DB.RecordingArchiveState(context.Background(), c2.ID, 1)
		return err == nil && st == "done"
	})
	tel.Sim.Close() // UIS has forgotten the recordings: only the archive has them
	play(t, alive, c.ID)
	play(t, alive, c2.ID)
}

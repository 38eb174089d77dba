package faults_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/faults"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestSuiteShort runs the fault suite's short form against a freshly built
// ringdesk binary: on SQLite always, on PostgreSQL when
// RINGDESK_TEST_POSTGRES is set (kill and chaos in its database, the
// outage on a throwaway cluster of the suite's own). Every line must say
// nothing was lost, doubled or wrong.
//
// The scenarios run side by side, each with its own data dir, simulator,
// Ringdesk process and database (a schema of its own, or the outage's
// cluster): each spends its load window (5 s here) mostly waiting for
// calls to come, so one after another they took three times as long.
func TestSuiteShort(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary for a minute")
	}
	t.Parallel() // beside TestEmailSurvivesKill9, which has its own everything too
	exe := faults.BuildRingdesk(t)
	db := os.Getenv(storetest.EnvPostgres)
	scenarios := faults.Scenarios
	if db != "" {
		if _, err := exec.LookPath("initdb"); err != nil {
			if m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb"); len(m) == 0 {
				t.Log("no initdb: the outage scenario is left out on PostgreSQL")
				scenarios = []string{"kill", "chaos"}
			}
		}
	}
	for _, sc := range scenarios {
		t.Run(sc, func(t *testing.T) {
			t.Parallel()
			var out, log bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			results, err := faults.Run(ctx, faults.Options{Exe: exe, DB: db, DataDir: t.TempDir(), Calls: 60, Kills: 2,
				Outage: 3 * time.Second, Window: 5 * time.Second, Seed: 7, Log: &log, Out: &out}, []string{sc})
			t.Logf("suite log:\n%s", log.String())
			if err != nil {
				t.Fatalf("fault suite: %v\n%s", err, out.String())
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) != 1 || len(results) != 1 {
				t.Fatalf("%d lines for one scenario:\n%s", len(lines), out.String())
			}
			r := results[0]
			if r.Scenario != sc || !r.OK() || r.Expected != 60 || r.Stored != 60 || r.Answered200 == 0 || r.Sent < r.Answered200 {
				t.Errorf("%s: %s %v", r.Scenario, r.Line(), r.Failures)
			}
			if !strings.HasSuffix(lines[0], "calls expected 60, calls stored 60, lost 0, doubled 0, wrong state 0") {
				t.Errorf("line %q", lines[0])
			}
		})
	}
}

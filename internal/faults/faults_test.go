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
func TestSuiteShort(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary for a minute")
	}
	exe := filepath.Join(t.TempDir(), "ringdesk")
	build := exec.Command("go", "build", "-o", exe, "github.com/ringdesk/ringdesk/cmd/ringdesk")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
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
	var out, log bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	results, err := faults.Run(ctx, faults.Options{Exe: exe, DB: db, DataDir: t.TempDir(), Calls: 60, Kills: 2,
		Outage: 3 * time.Second, Seed: 7, Log: &log, Out: &out}, scenarios)
	t.Logf("suite log:\n%s", log.String())
	if err != nil {
		t.Fatalf("fault suite: %v\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(scenarios) || len(results) != len(scenarios) {
		t.Fatalf("%d lines for %d scenarios:\n%s", len(lines), len(scenarios), out.String())
	}
	for i, r := range results {
		if !r.OK() || r.Expected != 60 || r.Stored != 60 || r.Answered200 == 0 || r.Sent < r.Answered200 {
			t.Errorf("%s: %s %v", r.Scenario, r.Line(), r.Failures)
		}
		if !strings.HasSuffix(lines[i], "calls expected 60, calls stored 60, lost 0, doubled 0, wrong state 0") {
			t.Errorf("line %q", lines[i])
		}
	}
}

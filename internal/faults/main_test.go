package faults

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ringdesk/ringdesk/internal/testmain"
)

// built is the ringdesk binary the tests of this package run, built once
// per test process (TestSuiteShort and TestEmailSurvivesKill9 run side by
// side and would otherwise each build and link their own).
var built struct {
	once sync.Once
	dir  string
	exe  string
	err  error
}

// BuildRingdesk returns the path of a ringdesk binary built from this
// checkout for the package's tests, building it on first use.
func BuildRingdesk(t testing.TB) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "ringdesk-faults-")
		if built.err != nil {
			return
		}
		built.exe = filepath.Join(built.dir, "ringdesk")
		if out, err := exec.Command("go", "build", "-o", built.exe, "github.com/ringdesk/ringdesk/cmd/ringdesk").CombinedOutput(); err != nil {
			built.err = &buildError{err: err, out: out}
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.exe
}

type buildError struct {
	err error
	out []byte
}

func (e *buildError) Error() string { return "go build: " + e.err.Error() + "\n" + string(e.out) }

// TestMain lets the scenarios and the email test run side by side (they
// wait for calls and restarts, not on a CPU: 27 s one pair at a time, 17 s
// together) and removes the binary BuildRingdesk made.
func TestMain(m *testing.M) {
	testmain.Parallel(4)
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

package testmain_test

import (
	"flag"
	"runtime"
	"strconv"
	"testing"

	"github.com/ringdesk/ringdesk/internal/testmain"
)

func TestParallelRaisesTheDefaultOnly(t *testing.T) {
	f := flag.Lookup("test.parallel")
	old := f.Value.String()
	t.Cleanup(func() { f.Value.Set(old) })
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	procs := runtime.GOMAXPROCS(0)

	testmain.Parallel(procs) // not above the cores: unchanged
	if got := f.Value.String(); got != old {
		t.Errorf("Parallel(GOMAXPROCS) changed -test.parallel from %s to %s", old, got)
	}
	testmain.Parallel(procs + 5)
	want := strconv.Itoa(min(procs+5, testmain.MaxParallel())) // 4 under -race
	if explicit || min(procs+5, testmain.MaxParallel()) <= procs {
		want = old // the command line wins; or the bound is not above the cores
	}
	if got := f.Value.String(); got != want {
		t.Errorf("Parallel(%d): -test.parallel is %s, want %s", procs+5, got, want)
	}
}

// Package testmain sets up the test binaries of packages whose tests mostly
// wait: on a database, a mail server, a child process, a simulated ring.
//
// go test runs at most GOMAXPROCS parallel tests of a package at once (two
// on the two-core machine Ringdesk is built on), which suits tests that keep
// a CPU busy. Tests that wait for a server or a timer leave the CPU idle
// then, and their package holds one of go test's few package slots the
// whole time. Such a package calls Run from its TestMain:
//
//	func TestMain(m *testing.M) { testmain.Run(m, 8) }
package testmain

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"
)

// Run raises the parallel-test limit to at least n (see Parallel), runs the
// tests and exits with their status.
func Run(m *testing.M, n int) {
	Parallel(n)
	os.Exit(m.Run())
}

// maxParallel bounds n in Parallel (4 under the race detector).
var maxParallel = 1 << 10

// Parallel lets at least n parallel tests run at once (at most 4 under the
// race detector), unless -test.parallel was given on the command line or
// GOMAXPROCS is already n or more. Call it from TestMain before m.Run.
func Parallel(n int) {
	n = min(n, maxParallel)
	if !flag.Parsed() {
		flag.Parse()
	}
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if f := flag.Lookup("test.parallel"); f != nil && !explicit && runtime.GOMAXPROCS(0) < n {
		_ = f.Value.Set(strconv.Itoa(n))
	}
}

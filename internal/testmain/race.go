//go:build race

package testmain

// Under the race detector every test costs several times the CPU: the
// timing-bound tests (leases, simulated rings) get fewer neighbours.
func init() { maxParallel = 4 }

//go:build !race

package main

// raceSlowdown scales timing limits under the race detector; without it the
// limits hold as written.
const raceSlowdown = 1

//go:build race

package main

// raceSlowdown scales timing limits under the race detector, whose
// instrumentation makes the code several times slower than what ships.
const raceSlowdown = 4

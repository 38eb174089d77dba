//go:build race

package mail

// raceEnabled: the race detector changes how much is allocated, so the
// memory bound of TestParseLargeMessage is not held under it.
const raceEnabled = true

package web

import "time"

// SetOutageTimings makes outage watching quick for tests: how often the
// database is pinged while down and how often a summary is logged. It
// returns a function that restores the defaults.
func SetOutageTimings(check, summary time.Duration) (restore func()) {
	oldCheck, oldSummary := outageCheckEvery, outageSummaryEvery
	outageCheckEvery, outageSummaryEvery = check, summary
	return func() { outageCheckEvery, outageSummaryEvery = oldCheck, oldSummary }
}

// RoutePatterns returns the pattern of every route, as routes registers
// them.
func RoutePatterns() ([]string, error) {
	s, err := New(nil, nil, Config{Version: "test"}, nil)
	if err != nil {
		return nil, err
	}
	return append([]string(nil), s.patterns...), nil
}

package web

// RoutePatterns returns the pattern of every route, as routes registers
// them.
func RoutePatterns() ([]string, error) {
	s, err := New(nil, nil, Config{Version: "test"}, nil)
	if err != nil {
		return nil, err
	}
	return append([]string(nil), s.patterns...), nil
}

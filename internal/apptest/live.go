package apptest

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// SSE is one open Server-Sent Events stream.
type SSE struct {
	events chan SSEEvent
	cancel context.CancelFunc
}

// SSEEvent is one received event.
type SSEEvent struct {
	Name string
	Data string
}

// Stream opens an event stream at path with the client's session; it is
// closed when the test ends.
func (c *Client) Stream(tb testing.TB, path string) *SSE {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.app.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := *c.Client
	hc.Timeout = 0 // a stream lives as long as the test
	res, err := hc.Do(req)
	if err != nil {
		cancel()
		tb.Fatalf("apptest: stream %s: %v", path, err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		res.Body.Close()
		cancel()
		tb.Fatalf("apptest: stream %s: status %d, %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &SSE{events: make(chan SSEEvent, 1024), cancel: cancel}
	go func() {
		defer res.Body.Close()
		defer close(s.events)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		var ev SSEEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Name != "" || ev.Data != "" {
					s.events <- ev
				}
				ev = SSEEvent{}
			case strings.HasPrefix(line, "event: "):
				ev.Name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.Data += strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	tb.Cleanup(cancel)
	return s
}

// Next waits up to d for the next event whose name is name; ok is false on
// timeout or when the stream ended.
func (s *SSE) Next(name string, d time.Duration) (ev SSEEvent, ok bool) {
	deadline := time.After(d)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				return SSEEvent{}, false
			}
			if ev.Name == name {
				return ev, true
			}
		case <-deadline:
			return SSEEvent{}, false
		}
	}
}

// Close ends the stream.
func (s *SSE) Close() { s.cancel() }

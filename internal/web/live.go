package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/ringdesk/ringdesk/internal/live"
)

// liveHeartbeat keeps proxies from closing an idle event stream.
const liveHeartbeat = 20 * time.Second

// live streams events to one page with Server-Sent Events: first the calls
// ringing or talking now (a "snapshot" of calls), then every call update.
// A browser that falls behind is dropped and reconnects by itself.
func (s *Server) live(w http.ResponseWriter, r *http.Request) {
	b := s.desk.Live()
	if b == nil {
		s.notFound(w, r)
		return
	}
	me := agentFrom(r).ID
	sub := b.Subscribe(me)
	defer sub.Close()
	active, err := s.desk.ActiveCallsFor(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	snapshot, _ := json.Marshal(map[string]any{"calls": active})
	s.stream(w, r, sub, "snapshot", snapshot)
}

// stream writes Server-Sent Events to one page: first an event named first
// with data firstData, then every event of sub, with a heartbeat, until the
// request ends, the server closes or sub is dropped as too slow (the
// browser then reconnects by itself).
func (s *Server) stream(w http.ResponseWriter, r *http.Request, sub *live.Subscription, first string, firstData []byte) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, "retry: 3000\nevent: %s\ndata: %s\n\n", first, firstData)
	if err := rc.Flush(); err != nil {
		return
	}
	tick := time.NewTicker(liveHeartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case <-tick.C:
			fmt.Fprint(w, ": ping\n\n")
		case ev, ok := <-sub.Events():
			if !ok {
				return // dropped as too slow; the browser reconnects
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.Name, ev.Data)
		}
		rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

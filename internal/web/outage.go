package web

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/ringdesk/ringdesk/internal/store"
)

// How a database outage is logged: once when it starts (ERROR, with the
// driver's text), then a summary every OutageTimings.SummaryEvery while it
// lasts and one when the database answers again (counts of failed requests
// and readiness probes), instead of a line per request. A 20-second outage
// once logged 1,140 ERROR lines and a WARN per probe.

// OutageTimings say how often a server pings a database that is down and
// how often it logs a summary; zero fields take the defaults (1 s, 1 min).
// Tests shorten them per server.
type OutageTimings struct {
	CheckEvery, SummaryEvery time.Duration
}

func (o OutageTimings) withDefaults() OutageTimings {
	if o.CheckEvery <= 0 {
		o.CheckEvery = time.Second
	}
	if o.SummaryEvery <= 0 {
		o.SummaryEvery = time.Minute
	}
	return o
}

// retryAfterSeconds is the Retry-After of every 503.
const retryAfterSeconds = "10"

// dbOutage is the state of a database outage as this server saw it.
type dbOutage struct {
	mu       sync.Mutex
	down     bool
	since    time.Time
	failed   int // requests answered 503 for it
	probes   int // readiness probes that failed
	reported time.Time
}

// isDown reports whether an outage is going on.
func (o *dbOutage) isDown() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.down
}

// dbUnavailable records a request (or, with probe, a readiness probe) that
// failed because the database is unavailable. The first of an outage logs
// the error and starts watching for the database to come back.
func (s *Server) dbUnavailable(r *http.Request, err error, probe bool) {
	o := &s.outage
	o.mu.Lock()
	defer o.mu.Unlock()
	if probe {
		o.probes++
	} else {
		o.failed++
	}
	if o.down {
		return
	}
	select {
	case <-s.closing: // shutting down: nobody is left to tell
		return
	default:
	}
	now := time.Now()
	o.down, o.since, o.reported = true, now, now
	s.log.Error("database unavailable; requests get 503 until it answers again", "method", r.Method, "path", r.URL.Path, "err", err)
	s.watching.Go(s.watchDatabase)
}

// watchDatabase pings the database until it answers (or the server shuts
// down), logging a summary now and then and at the end.
func (s *Server) watchDatabase() {
	timings := s.cfg.Outage.withDefaults()
	t := time.NewTicker(timings.CheckEvery)
	defer t.Stop()
	for {
		select {
		case <-s.closing:
			s.endOutage("shut down during a database outage")
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := s.db.Ping(ctx)
		cancel()
		if err == nil {
			s.endOutage("database available again")
			return
		}
		o := &s.outage
		o.mu.Lock()
		if time.Since(o.reported) >= timings.SummaryEvery {
			o.reported = time.Now()
			s.log.Warn("database still unavailable", "for", time.Since(o.since).Round(100*time.Millisecond).String(),
				"failed_requests", o.failed, "failed_probes", o.probes)
		}
		o.mu.Unlock()
	}
}

// endOutage logs the outage's summary and forgets it.
func (s *Server) endOutage(msg string) {
	o := &s.outage
	o.mu.Lock()
	defer o.mu.Unlock()
	s.log.Warn(msg, "outage", time.Since(o.since).Round(100*time.Millisecond).String(),
		"failed_requests", o.failed, "failed_probes", o.probes)
	o.down, o.failed, o.probes = false, 0, 0
}

// isDatabaseDown reports whether err means the database is unavailable.
func isDatabaseDown(err error) bool { return store.IsDatabaseUnavailable(err) }

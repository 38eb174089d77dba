package faults

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// driverWords are bits of driver, network and file-system errors that must
// never reach an agent's page during an outage.
var driverWords = []string{"failed to connect", "127.0.0.1", "connection refused", "EOF", "sql:", "dial", "user=",
	"database=", "database is closed", "conn closed", "SQLSTATE", "shutting down", "store:", "SQLITE", "disk is full",
	"file too large", "(13)", "pgx"}

// unavailableWords is what the page says, in either language.
var unavailableWords = []string{"The database is unavailable", "База данных недоступна"}

// outage takes the database away for Outage under load, checks what
// webhooks, /readyz and an agent see meanwhile, brings it back and checks
// that the same process recovers.
func (s *scenario) outage(ctx context.Context, started time.Time) error {
	agent, err := login(ctx, s.child.url(), agentEmail, agentPassword)
	if err != nil {
		return err
	}
	if err := sleepUntil(ctx, started.Add(3*time.Second)); err != nil {
		return err
	}
	pid := s.child.pid()
	if err := s.db.Stop(pid); err != nil {
		return err
	}
	stopped := time.Now()
	s.logf("database stopped")
	// The outage counts from when Ringdesk says it is not ready: requests
	// already past the database when it went may still finish.
	var down time.Time
	for down.IsZero() && time.Since(stopped) < 10*time.Second {
		if code, _ := getStatus(ctx, s.child.url()+"/readyz"); code == 503 {
			down = time.Now()
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if down.IsZero() {
		s.fail("/readyz still said ready 10 s into the outage")
		down = stopped
	}
	probes, notReady, pages := 0, 0, 0
	// At least once: the database stays down until after the loop, so a
	// probe is in the outage however long /readyz took to notice it.
	for probes == 0 || time.Since(stopped) < s.opts.Outage {
		probes++
		if code, _ := getStatus(ctx, s.child.url()+"/readyz"); code == 503 {
			notReady++
		}
		if err := s.agentPage(ctx, agent); err != nil {
			s.fail("during the outage: %v", err)
		} else {
			pages++
		}
		if err := sleepUntil(ctx, time.Now().Add(500*time.Millisecond)); err != nil {
			return err
		}
	}
	if notReady != probes {
		s.fail("/readyz said ready %d times of %d during the outage", probes-notReady, probes)
	}
	restart := time.Now()
	if err := s.db.Start(pid); err != nil {
		return err
	}
	s.logf("database back after %s", time.Since(stopped).Round(100*time.Millisecond))
	if err := s.child.waitReady(ctx, time.Minute); err != nil {
		s.fail("after the outage: %v", err)
	}
	recovered := time.Since(restart)
	if !s.child.alive() || s.child.pid() != pid {
		s.fail("Ringdesk did not survive the outage (pid %d)", pid)
	}
	// Every webhook sent while the database was away got a 5xx, unless it
	// repeated an event stored before (a duplicate is answered from what
	// is stored). A request sent before Ringdesk noticed the outage may
	// have committed first and been answered late: it is not counted.
	type eventKey struct {
		call  int64
		event uissim.EventType
		name  string
	}
	storedBefore := map[eventKey]bool{}
	failed, ok := 0, 0
	for _, d := range s.sim.Deliveries(0) {
		key := eventKey{d.CallSessionID, d.Event, d.NotificationName}
		if d.Time.Before(down) && d.StatusCode/100 == 2 {
			storedBefore[key] = true
		}
		if d.Time.Before(down) || d.Time.After(restart) {
			continue
		}
		switch {
		case d.StatusCode >= 500:
			failed++
		case d.StatusCode/100 == 2 && d.Sent.After(down) && !storedBefore[key]:
			ok++
		}
	}
	if ok > 0 {
		s.fail("%d webhooks answered 2xx during the outage", ok)
	}
	if failed == 0 {
		s.fail("no webhook arrived during the outage: the load missed it")
	}
	s.logf("during the outage: %d webhooks got 5xx, 0 got 200; /readyz not ready %d of %d; agent told %d times; ready again %s after the database",
		failed, notReady, probes, pages, recovered.Round(10*time.Millisecond))
	return nil
}

// agentPage checks that what an agent does while the database is away
// answers 503 saying the database is unavailable and nothing more: the
// ticket list, and switching availability (a write: with SQLite on a full
// disk reads still work, writes do not).
func (s *scenario) agentPage(ctx context.Context, b *browser) error {
	code, body, err := b.post(ctx, "/profile/available", url.Values{"available": {"true"}, "return": {"/tickets"}})
	if err != nil {
		return err
	}
	if err := unavailablePage("POST /profile/available", code, body); err != nil {
		return err
	}
	if s.res.DB != "postgres" {
		return nil
	}
	code, body, err = b.get(ctx, "/tickets")
	if err != nil {
		return err
	}
	return unavailablePage("GET /tickets", code, body)
}

func unavailablePage(what string, code int, body string) error {
	if code != 503 {
		return fmt.Errorf("%s answered %d, want 503", what, code)
	}
	said := false
	for _, w := range unavailableWords {
		said = said || strings.Contains(body, w)
	}
	if !said {
		return fmt.Errorf("%s does not say the database is unavailable: %.300s", what, body)
	}
	for _, w := range driverWords {
		if strings.Contains(body, w) {
			return fmt.Errorf("%s shows %q", what, w)
		}
	}
	return nil
}

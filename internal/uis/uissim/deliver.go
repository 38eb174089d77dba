package uissim

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Delivery statuses of one attempt.
const (
	StatusDelivered = "delivered" // 2xx
	StatusRetrying  = "retrying"  // failed, another attempt follows
	StatusFailed    = "failed"    // failed, no attempts left: given up
	StatusDropped   = "dropped"   // dropped by a fault knob, never sent
)

// Delivery is one notification delivery attempt in the delivery log.
type Delivery struct {
	Seq              int64     `json:"seq"`
	CallSessionID    int64     `json:"call_session_id"`
	Event            EventType `json:"event"`
	NotificationName string    `json:"notification_name"`
	Method           string    `json:"method"`
	URL              string    `json:"url"`
	Attempt          int       `json:"attempt"`
	Duplicate        bool      `json:"duplicate"`
	StatusCode       int       `json:"status_code"`
	Error            string    `json:"error,omitempty"`
	Status           string    `json:"status"`
	Time             time.Time `json:"time"`          // when the answer (or the failure) was logged
	Sent             time.Time `json:"sent,omitzero"` // when the request went out (zero for a dropped one)
	Body             string    `json:"body,omitempty"`
}

// job is one notification to deliver (one copy, when duplicated).
type job struct {
	n         Notification
	callID    int64
	event     EventType
	url, body string
	duplicate bool
	delay     time.Duration
}

// runDeliveries sends a call's notifications one after another, each after the previous was
// delivered or given up, until the call's timeline is done and the queue is empty.
func (s *Simulator) runDeliveries(c *call) {
	defer s.wg.Done()
	defer s.doneWork(c.id)
	for {
		s.mu.Lock()
		if len(c.queue) > 0 {
			j := c.queue[0]
			c.queue = c.queue[1:]
			s.mu.Unlock()
			s.deliver(j)
			continue
		}
		done := c.lineDone
		s.mu.Unlock()
		if done {
			return
		}
		select {
		case <-c.queueWake:
		case <-s.ctx.Done():
			return
		}
	}
}

func (s *Simulator) deliver(j *job) {
	if j.delay > 0 && !s.sleep(j.delay, nil) {
		return
	}
	retries, backoff := s.cfg.Delivery.Retries, s.cfg.Delivery.Backoff
	for attempt := 1; ; attempt++ {
		sent := time.Now()
		code, err := s.send(j)
		d := Delivery{
			CallSessionID: j.callID, Event: j.event, NotificationName: j.n.Name, Method: j.n.Method,
			URL: j.url, Body: j.body, Attempt: attempt, Duplicate: j.duplicate, StatusCode: code, Sent: sent,
		}
		ok := err == nil && code >= 200 && code < 300
		switch {
		case ok:
			d.Status = StatusDelivered
		case attempt > retries:
			d.Status = StatusFailed
		default:
			d.Status = StatusRetrying
		}
		if err != nil {
			d.Error = err.Error()
		} else if !ok {
			d.Error = fmt.Sprintf("HTTP %d", code)
		}
		s.mu.Lock()
		s.logDeliveryLocked(d)
		s.mu.Unlock()
		if d.Status != StatusRetrying {
			if !ok {
				s.log.Warn("uissim: notification given up", "call_session_id", j.callID, "event", j.event, "url", j.url, "err", d.Error)
			}
			return
		}
		if !s.sleep(backoff, nil) {
			return
		}
		backoff = nextBackoff(backoff, s.cfg.Delivery.MaxBackoff)
	}
}

// nextBackoff doubles the wait before the next retry, up to max (0: no cap).
func nextBackoff(cur, max time.Duration) time.Duration {
	if cur *= 2; max > 0 && cur > max {
		return max
	}
	return cur
}

func (s *Simulator) send(j *job) (int, error) {
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.Delivery.Timeout)
	defer cancel()
	var body io.Reader
	if j.n.Method == "POST" {
		body = strings.NewReader(j.body)
	}
	req, err := http.NewRequestWithContext(ctx, j.n.Method, j.url, body)
	if err != nil {
		return 0, err
	}
	if j.n.Method == "POST" {
		req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	}
	req.Header.Set("User-Agent", "uissim-notifications/1.0")
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}

func (s *Simulator) logDeliveryLocked(d Delivery) {
	s.deliverySeq++
	d.Seq, d.Time = s.deliverySeq, time.Now()
	if len(s.deliveries) >= s.cfg.MaxLogEntries {
		s.deliveries = s.deliveries[1:]
	}
	s.deliveries = append(s.deliveries, d)
}

// Deliveries returns the delivery log, every attempt in order; callID 0 returns all calls.
func (s *Simulator) Deliveries(callID int64) []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Delivery
	for _, d := range s.deliveries {
		if callID == 0 || d.CallSessionID == callID {
			out = append(out, d)
		}
	}
	return out
}

// SetNotifications replaces the notification set; it applies to events emitted from now on.
func (s *Simulator) SetNotifications(ns []Notification) error {
	out := make([]Notification, len(ns))
	for i, n := range ns {
		if err := n.normalize(); err != nil {
			return &InputError{Message: err.Error()}
		}
		out[i] = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notifs = out
	return nil
}

// Notifications returns the current notification set.
func (s *Simulator) Notifications() []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Notification(nil), s.notifs...)
}

// SetFaults replaces the delivery fault knobs.
func (s *Simulator) SetFaults(f Faults) error {
	if err := f.validate(); err != nil {
		return &InputError{Message: err.Error()}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
	return nil
}

// Faults returns the current fault knobs.
func (s *Simulator) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// SetOutgoingRules replaces the outgoing-call rules (first match wins).
func (s *Simulator) SetOutgoingRules(rules []OutgoingRule) error {
	for _, r := range rules {
		if err := r.validate(); err != nil {
			return &InputError{Message: err.Error()}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append([]OutgoingRule(nil), rules...)
	return nil
}

// AddOutgoingRule appends one rule, e.g. {Contact: "79261234567", Outcome: "busy", Times: 1}
// for "the next outgoing call to 79261234567 is busy".
func (s *Simulator) AddOutgoingRule(r OutgoingRule) error {
	if err := r.validate(); err != nil {
		return &InputError{Message: err.Error()}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, r)
	return nil
}

// OutgoingRules returns the current outgoing rules.
func (s *Simulator) OutgoingRules() []OutgoingRule {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]OutgoingRule(nil), s.rules...)
}

package uissim

import (
	"math"
	"slices"
	"time"
)

// TimelineEntry is one event a call went through, with the notifications it produced.
type TimelineEntry struct {
	Event         EventType `json:"event"`
	Time          string    `json:"time"`
	Notifications int       `json:"notifications"`
}

// runTimeline walks a call's events on the simulated clock. The plan may shrink under it
// (release.call), so each step re-reads the next event and checks it is still due.
func (s *Simulator) runTimeline(c *call) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		c.lineDone = true
		c.finished = true
		s.mu.Unlock()
		signal(c.queueWake)
	}()
	for {
		s.mu.Lock()
		evs := c.events()
		if c.emitted >= len(evs) {
			s.mu.Unlock()
			return
		}
		ev := evs[c.emitted]
		due := c.realStart.Add(s.realDuration(ev.at))
		s.mu.Unlock()
		if !s.sleep(time.Until(due), c.wake) {
			if s.ctx.Err() != nil {
				return
			}
			continue // woken: the plan changed
		}
		s.mu.Lock()
		evs = c.events()
		if c.emitted >= len(evs) || evs[c.emitted] != ev {
			s.mu.Unlock()
			continue
		}
		c.emitted++
		s.emitLocked(c, ev)
		s.mu.Unlock()
		signal(c.queueWake)
	}
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// emitLocked renders the event's notifications into the call's delivery queue, applying the
// drop, duplicate, delay and shuffle faults.
func (s *Simulator) emitLocked(c *call, ev plannedEvent) {
	// Shuffled notifications are held until the call finished; later ones (recording ready)
	// go out as they come.
	hold := s.faults.Shuffle && !c.finished
	if ev.typ == EventCallFinished {
		c.finished = true
	}
	n := 0
	if c.silent {
		c.timeline = append(c.timeline, TimelineEntry{Event: ev.typ, Time: fmtMicro(c.timeAt(ev.at))})
		return
	}
	vars := s.varsLocked(c, ev)
	for _, nt := range s.notifs {
		if nt.Event != ev.typ || !nt.Conditions.match(c.vnum.Number, c.source) {
			continue
		}
		n++
		vars["notification_name"] = nt.Name
		j := &job{n: nt, callID: c.id, event: ev.typ, url: nt.URL}
		if nt.Method == "GET" {
			j.url = RenderQuery(nt.URL, vars)
		} else {
			j.body = RenderJSON(nt.Body, vars)
		}
		if s.droppedLocked(ev.typ) {
			s.logDeliveryLocked(Delivery{CallSessionID: c.id, Event: ev.typ, NotificationName: nt.Name, Method: nt.Method, URL: j.url, Body: j.body, Status: StatusDropped})
			continue
		}
		copies := 1 + s.duplicatesLocked()
		for i := 0; i < copies; i++ {
			cp := *j
			cp.duplicate = i > 0
			cp.delay = s.delayLocked()
			if hold {
				c.held = append(c.held, &cp)
			} else {
				c.queue = append(c.queue, &cp)
			}
		}
	}
	if ev.typ == EventCallFinished && len(c.held) > 0 {
		s.rng.Shuffle(len(c.held), func(i, k int) { c.held[i], c.held[k] = c.held[k], c.held[i] })
		c.queue = append(c.queue, c.held...)
		c.held = nil
	}
	c.timeline = append(c.timeline, TimelineEntry{Event: ev.typ, Time: fmtMicro(c.timeAt(ev.at)), Notifications: n})
}

func (s *Simulator) droppedLocked(ev EventType) bool {
	if slices.Contains(s.faults.DropEvents, ev) {
		return true
	}
	return s.faults.DropProbability > 0 && s.rng.Float64() < s.faults.DropProbability
}

func (s *Simulator) duplicatesLocked() int {
	f := s.faults
	extra := max(f.Duplicates, 1)
	switch {
	case f.DuplicateProbability > 0:
		if s.rng.Float64() < f.DuplicateProbability {
			return extra
		}
	case f.Duplicates > 0:
		return f.Duplicates
	}
	return 0
}

func (s *Simulator) delayLocked() time.Duration {
	f := s.faults
	if f.Delay <= 0 {
		return 0
	}
	if f.DelayProbability > 0 && s.rng.Float64() >= f.DelayProbability {
		return 0
	}
	return time.Duration(f.Delay)
}

// elapsed is how far the call has got, in simulated seconds.
func (s *Simulator) elapsed(c *call) float64 {
	return time.Since(c.realStart).Seconds() / s.cfg.TimeScale
}

// releaseLocked ends an active call now (release.call): legs, talks and the finish are cut
// at the current simulated offset and the timeline is woken to emit call_finished.
func (s *Simulator) releaseLocked(c *call) {
	dropped, ok := c.cut(s.elapsed(c))
	if !ok {
		return
	}
	for _, h := range dropped {
		delete(s.records, h)
	}
	for _, t := range c.talks {
		if r := s.records[t.hash]; r != nil {
			r.seconds = t.seconds()
		}
	}
	signal(c.wake)
}

// cut ends the call's plan at offset e (simulated seconds), never before an event already
// sent: later legs and talks are dropped, the ones under way end at e. It reports false when
// the call had already ended by e, and returns the record hashes of the talks dropped.
func (c *call) cut(e float64) (dropped []string, ok bool) {
	if e >= c.finishAt {
		return nil, false
	}
	evs := c.events()
	if c.emitted > 0 && c.emitted <= len(evs) {
		e = max(e, evs[c.emitted-1].at)
	}
	reason := "operator_disconnects"
	if len(c.talks) == 0 || c.talks[0].at > e {
		reason = "subscriber_disconnects"
	}
	c.finishAt, c.finishRsn = e, reason
	var legs []*leg
	for _, l := range c.legs {
		if l.dialAt > e {
			continue
		}
		if l.answerAt > e {
			l.answerAt = -1
		}
		if l.endAt > e {
			l.endAt, l.finishReason = e, reason
		}
		legs = append(legs, l)
	}
	c.legs = legs
	var talks []*talk
	for _, t := range c.talks {
		if t.at > e {
			dropped = append(dropped, t.hash)
			continue
		}
		t.end = min(t.end, e)
		talks = append(talks, t)
	}
	c.talks = talks
	return dropped, true
}

// seconds is the length of the talk's recording.
func (t *talk) seconds() int64 { return int64(math.Round(t.end - t.at)) }

// Package live delivers events to the agents' browsers: a broker with one
// buffered channel per open page (Server-Sent Events). A subscriber that
// does not keep up is dropped rather than allowed to block the publisher;
// its browser reconnects and re-reads the current state.
package live

import (
	"sync"
	"sync/atomic"
)

// Event is one message to browsers.
type Event struct {
	// Name is the SSE event name, e.g. "call".
	Name string
	// Data is the JSON payload.
	Data []byte
	// Agents limits delivery to these agents; nil means every agent.
	Agents []int64
}

// Wallboard is the subscriber id of wallboards: no agent has it, so only
// events addressed to it (or to everyone) reach them.
const Wallboard int64 = 0

// Broker fans events out to subscribers.
type Broker struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
	n    atomic.Int64
	// delivered and dropped count events handed to pages and pages dropped
	// for falling behind (metrics read them at scrape time).
	delivered, dropped atomic.Int64
}

// Subscription is one open page of one agent.
type Subscription struct {
	AgentID int64
	c       chan Event
	b       *Broker
	once    sync.Once
}

// Buffer is how many events a subscriber may fall behind before it is dropped.
const Buffer = 64

// NewBroker returns an empty broker.
func NewBroker() *Broker { return &Broker{subs: map[*Subscription]struct{}{}} }

// Subscribe registers a page of agentID.
func (b *Broker) Subscribe(agentID int64) *Subscription {
	s := &Subscription{AgentID: agentID, c: make(chan Event, Buffer), b: b}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	b.n.Add(1)
	return s
}

// Events is closed when the subscription ends or was dropped.
func (s *Subscription) Events() <-chan Event { return s.c }

// Close ends the subscription; safe to call more than once.
func (s *Subscription) Close() {
	s.once.Do(func() {
		s.b.mu.Lock()
		delete(s.b.subs, s)
		s.b.mu.Unlock()
		s.b.n.Add(-1)
		close(s.c)
	})
}

// Subscribers reports how many pages are listening; publishers skip work
// when nobody is.
func (b *Broker) Subscribers() int { return int(b.n.Load()) }

// Agents lists the agents with at least one open page, each once.
func (b *Broker) Agents() []int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	seen := make(map[int64]bool, len(b.subs))
	out := make([]int64, 0, len(b.subs))
	for s := range b.subs {
		if !seen[s.AgentID] {
			seen[s.AgentID] = true
			out = append(out, s.AgentID)
		}
	}
	return out
}

// Publish delivers ev to its subscribers without blocking.
func (b *Broker) Publish(ev Event) {
	var slow []*Subscription
	var sent int64
	b.mu.Lock()
	for s := range b.subs {
		if ev.Agents != nil && !contains(ev.Agents, s.AgentID) {
			continue
		}
		select {
		case s.c <- ev:
			sent++
		default:
			slow = append(slow, s)
		}
	}
	b.mu.Unlock()
	b.delivered.Add(sent)
	b.dropped.Add(int64(len(slow)))
	for _, s := range slow {
		s.Close()
	}
}

// Delivered counts the events handed to pages since the broker started.
func (b *Broker) Delivered() int64 { return b.delivered.Load() }

// Dropped counts the pages dropped for falling behind since the broker started.
func (b *Broker) Dropped() int64 { return b.dropped.Load() }

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

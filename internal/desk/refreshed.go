package desk

import (
	"sync"
	"time"
)

// refreshed holds a value read from the store that every call event needs
// and that changes rarely (the agents' Operator IDs, the groups and who is
// available): it is read again when older than its TTL, and at once after
// forget (a change on this instance). Other instances sharing a PostgreSQL
// database see a change within the TTL.
type refreshed[T any] struct {
	mu     sync.Mutex
	v      T
	loaded time.Time
	ok     bool
}

func (c *refreshed[T]) forget() {
	c.mu.Lock()
	c.ok = false
	c.mu.Unlock()
}

// get returns the value, read with load when missing or older than ttl at
// now (or when the clock went back).
func (c *refreshed[T]) get(now time.Time, ttl time.Duration, load func() (T, error)) (T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ok && now.Sub(c.loaded) < ttl && !now.Before(c.loaded) {
		return c.v, nil
	}
	v, err := load()
	if err != nil {
		var zero T
		return zero, err
	}
	c.v, c.loaded, c.ok = v, now, true
	return v, nil
}

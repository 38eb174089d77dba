package desk

import (
	"bytes"
	"sync"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// foldCacheSize bounds the calls whose decoded fold is kept; when full the
// cache starts over (a miss only costs one decode). A call's events come
// within minutes of each other, so the calls ringing now fit many times.
const foldCacheSize = 4096

// foldCache keeps the decoded fold of each call this process wrote last,
// valid only for the exact bytes it was encoded to: the call's next event
// takes it instead of decoding the row's JSON, which was a tenth of the
// SQLite writer's time. A row written since by anyone else (another
// instance, reconciliation, a batch that was rolled back) holds other
// bytes and is decoded as before. An entry is taken out when used, so a
// fold being changed by an event is never shared; it is put back, with its
// new bytes, once the event's write succeeded. That a fold which went
// through its JSON folds on exactly as one that did not is the property
// TestFoldEqualsFullFold proves (internal/ringdesk).
type foldCache struct {
	mu sync.Mutex
	m  map[int64]cachedFold
}

type cachedFold struct {
	b []byte
	f *ringdesk.CallFold
}

// take returns the fold of call id if stored is what it was encoded to,
// and forgets it either way.
func (c *foldCache) take(id int64, stored []byte) *ringdesk.CallFold {
	c.mu.Lock()
	e, ok := c.m[id]
	if ok {
		delete(c.m, id)
	}
	c.mu.Unlock()
	if ok && bytes.Equal(e.b, stored) {
		return e.f
	}
	return nil
}

// put remembers f, encoded to b, as the fold of call id. Neither may change
// afterwards.
func (c *foldCache) put(id int64, b []byte, f *ringdesk.CallFold) {
	c.mu.Lock()
	if c.m == nil || len(c.m) >= foldCacheSize {
		c.m = make(map[int64]cachedFold, foldCacheSize)
	}
	c.m[id] = cachedFold{b: b, f: f}
	c.mu.Unlock()
}

package phone

import "sync"

// cacheSize bounds the results Normalize remembers. A call's four webhooks
// carry the same contact number and clients call again, so even a small
// cache turns most of the library's ~15 µs of regexp work into a map lookup.
const cacheSize = 4096

type result struct {
	e164 string
	err  error
}

// cache remembers recent results per (region, raw). When full it starts
// over: simpler than LRU, and a miss only costs one parse.
type cache struct {
	mu sync.RWMutex
	m  map[string]result
}

var (
	results  = &cache{m: make(map[string]result, cacheSize)} // Normalize
	displays = &cache{m: make(map[string]result, cacheSize)} // Display and Format (result.e164: the display form)
)

func cacheKey(raw, region string) string { return region + "\x00" + raw }

func (c *cache) get(key string) (result, bool) {
	c.mu.RLock()
	r, ok := c.m[key]
	c.mu.RUnlock()
	return r, ok
}

func (c *cache) put(key string, r result) {
	c.mu.Lock()
	if len(c.m) >= cacheSize {
		clear(c.m)
	}
	c.m[key] = r
	c.mu.Unlock()
}

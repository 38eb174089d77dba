package desk

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/ringdesk/foldtest"
)

// TestFoldCacheFoldsAsDecoding: events folded through the cache (the fold
// taken back when the stored bytes are the ones it was encoded to) give,
// after every event, the facts that decoding the stored JSON gives, over
// random calls with lost, duplicated and shuffled events; a write that
// did not land (the stored bytes stay the old ones) and a row written by
// someone else make the cache miss, and a taken fold is not handed out
// twice.
func TestFoldCacheFoldsAsDecoding(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var c foldCache
	hits, misses := 0, 0
	decode := func(stored []byte) *ringdesk.CallFold {
		if stored == nil {
			return &ringdesk.CallFold{}
		}
		f, err := ringdesk.UnmarshalFold(stored)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	for i, evs := range foldtest.Calls(r, 1000) {
		id := int64(i + 1)
		var stored []byte // the call row's fold
		for j, e := range evs {
			ref := decode(stored) // what decoding the row gives
			ref.Apply(e)
			// As applyCallEvent does.
			var f *ringdesk.CallFold
			if stored != nil {
				f = c.take(id, stored)
			}
			if f != nil {
				hits++
			} else {
				misses++
				f = decode(stored)
			}
			if !f.Apply(e) {
				continue // a duplicate: nothing written, nothing put back
			}
			if got, want := facts(f), facts(ref); got != want {
				t.Fatalf("call %d event %d: the cached fold gives\n%s\ndecoding gives\n%s", i, j, got, want)
			}
			b := mustMarshal(t, f)
			c.put(id, b, f)
			if j%7 == 3 && stored != nil && string(stored) != string(b) {
				// The batch was rolled back: the row keeps its old bytes,
				// for which the cache must not answer.
				if c.take(id, stored) != nil {
					t.Fatalf("call %d: the cache answered for bytes its fold was not encoded to", i)
				}
				continue
			}
			stored = b
		}
		if stored != nil && c.take(id, stored) != nil && c.take(id, stored) != nil {
			t.Fatalf("call %d: one fold handed out twice", i)
		}
	}
	if hits == 0 || misses == 0 {
		t.Fatalf("hits %d, misses %d: both paths must be taken", hits, misses)
	}
}

func mustMarshal(t *testing.T, f *ringdesk.CallFold) []byte {
	t.Helper()
	b, err := ringdesk.MarshalFold(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func facts(f *ringdesk.CallFold) string {
	b, _ := json.Marshal(f.Facts())
	return string(b)
}

package desk

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"unicode/utf8"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/ringdesk/foldtest"
	"github.com/ringdesk/ringdesk/internal/uis"
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

// TestFoldCacheUnreadableCyrillicValue: a value UIS sends that Ringdesk
// cannot read is quoted back in a warning, cut to 40 bytes, which can split
// a Cyrillic letter. The warning must read the same in a fold still in
// memory and in one read back from its JSON, so that the same warning in
// the call's next event is a repeat for both (it was a second warning for
// the decoded fold only).
func TestFoldCacheUnreadableCyrillicValue(t *testing.T) {
	ev := func(kind uis.EventKind) ringdesk.CallEvent {
		b, err := os.ReadFile(filepath.Join("..", "uis", "testdata", string(kind)+".json"))
		if err != nil {
			t.Fatal(err)
		}
		b = regexp.MustCompile(`"cpn_region_id":[^,]*,`).ReplaceAll(b, nil)
		b = bytes.Replace(b, []byte("{"), []byte(`{"cpn_region_id":"неопределённыйрегионабонента",`), 1)
		e, err := uis.ParseEvent(kind, b, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(e.Warnings) == 0 {
			t.Fatalf("%s: no warning for the unreadable region id", kind)
		}
		for _, w := range e.Warnings {
			if !utf8.ValidString(w.Value) {
				t.Errorf("%s: the warning quotes %q, not valid UTF-8", kind, w.Value)
			}
		}
		sum := sha256.Sum256(b)
		return e.CallEvent(binary.BigEndian.Uint64(sum[:8]), "RU")
	}
	first, second := ev(uis.IncomingCallStarted), ev(uis.ConversationStarted)
	var c foldCache
	f := &ringdesk.CallFold{}
	f.Apply(first)
	stored := mustMarshal(t, f)
	c.put(1, stored, f)
	decoded, err := ringdesk.UnmarshalFold(stored)
	if err != nil {
		t.Fatal(err)
	}
	cached := c.take(1, stored)
	if cached == nil {
		t.Fatal("the cache did not answer for the bytes it was given")
	}
	cached.Apply(second)
	decoded.Apply(second)
	if got, want := facts(cached), facts(decoded); got != want {
		t.Fatalf("the cached fold gives\n%s\ndecoding gives\n%s", got, want)
	}
	if n := len(decoded.Facts().Details.Warnings); n != 1 {
		t.Errorf("the repeated warning is there %d times, want once", n)
	}
}

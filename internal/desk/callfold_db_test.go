package desk_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/ringdesk/foldtest"
)

// TestIncrementalFoldOnDatabase is the fold's property test through the
// real store, on SQLite and PostgreSQL: random calls whose events are lost,
// duplicated and shuffled (report rows included) are ingested concurrently,
// one event at a time, and every stored call equals the full fold of all
// its events.
func TestIncrementalFoldOnDatabase(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	ch, err := a.Desk.CreateChannel(ctx, ringdesk.System, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeUIS, Name: "UIS"})
	if err != nil {
		t.Fatal(err)
	}
	calls := foldtest.Calls(rand.New(rand.NewPCG(7, 8)), 150)
	type job struct {
		session int64
		event   ringdesk.CallEvent
	}
	var jobs []job
	for i, evs := range calls {
		for _, e := range evs {
			jobs = append(jobs, job{int64(5000 + i), e})
		}
	}
	// Interleave the calls; eight senders then reorder further.
	rand.New(rand.NewPCG(9, 10)).Shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })
	work := make(chan job)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				raw, _ := json.Marshal(j.event)
				if _, err := a.Desk.IngestEventForTest(ctx, ch, j.session, j.event, raw); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	for _, j := range jobs {
		work <- j
	}
	close(work)
	wg.Wait()
	for i, evs := range calls {
		c, err := a.DB.CallBySession(ctx, ch.ID, int64(5000+i))
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		got, want := normal(c.CallFacts), normal(foldtest.FullFold(evs))
		if got != want {
			t.Fatalf("call %d differs from the full fold of its events\n got %s\nwant %s", i, got, want)
		}
	}
}

// normal is facts as JSON, with an empty recordings list as none.
func normal(f ringdesk.CallFacts) string {
	if len(f.Recordings) == 0 {
		f.Recordings = nil
	}
	b, _ := json.Marshal(f)
	return string(b)
}

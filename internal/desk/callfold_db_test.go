package desk_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

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

// TestLaterEventRewritesWhereTheCallIsListed: a call's start, direction,
// number, line and agent are written with its first event, and a later
// event that changes them (an earlier start time arriving late, the number
// and line known only from the start notification) must still reach the
// row: the write sets those columns only when they change.
func TestLaterEventRewritesWhereTheCallIsListed(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	ch, err := a.Desk.CreateChannel(ctx, ringdesk.System, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeUIS, Name: "UIS"})
	if err != nil {
		t.Fatal(err)
	}
	t1 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	t2 := t1.Add(40 * time.Second)
	events := []ringdesk.CallEvent{
		// The conversation arrives first: no number, no line, no direction.
		{Kind: ringdesk.CallConversation, Key: 1, NotifiedAt: t2, StartTime: t2, AnswerTime: t2},
		// Then the start of the call, outgoing, with all of them.
		{Kind: ringdesk.CallStartedOut, Key: 2, NotifiedAt: t1, StartTime: t1, ContactPhone: "+79161234567",
			ContactRaw: "79161234567", VirtualNumber: "74951112233"},
	}
	const session = 77
	for i, e := range events {
		raw, _ := json.Marshal(e)
		if _, err := a.Desk.IngestEventForTest(ctx, ch, session, e, raw); err != nil {
			t.Fatal(err)
		}
		c, err := a.DB.CallBySession(ctx, ch.ID, session)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := normal(c.CallFacts), normal(foldtest.FullFold(events[:i+1])); got != want {
			t.Fatalf("after event %d the stored call differs from the fold\n got %s\nwant %s", i+1, got, want)
		}
	}
	c, err := a.DB.CallBySession(ctx, ch.ID, session)
	if err != nil {
		t.Fatal(err)
	}
	if !c.StartedAt.Equal(t1) || c.Direction != ringdesk.DirectionOut || c.ContactPhone != "+79161234567" || c.VirtualPhoneNumber != "74951112233" {
		t.Fatalf("stored call: started %v, direction %q, number %q, line %q", c.StartedAt, c.Direction, c.ContactPhone, c.VirtualPhoneNumber)
	}
}

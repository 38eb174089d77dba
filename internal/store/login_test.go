package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestReserveLoginAttempt: reservations are failures until released, a
// limit stops further ones with the counts that reached it, and concurrent
// reservations never exceed the limit.
func TestReserveLoginAttempt(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	l := store.LoginLimits{Pair: 3, Wide: 5}
	var ids []int64
	for i := range 3 {
		id, c, err := db.ReserveLoginAttempt(ctx, "a@example.com", "10.0.0.1", t0.Add(-time.Hour), t0.Add(time.Duration(i)*time.Second), l)
		if err != nil || id == 0 || c.Pair != i {
			t.Fatalf("attempt %d: id %d counts %+v, %v", i, id, c, err)
		}
		ids = append(ids, id)
	}
	id, c, err := db.ReserveLoginAttempt(ctx, "a@example.com", "10.0.0.1", t0.Add(-time.Hour), t0.Add(time.Minute), l)
	if err != nil || id != 0 || c.Pair != 3 || !c.PairOldest.Equal(t0) {
		t.Fatalf("over the limit: id %d counts %+v, %v", id, c, err)
	}
	// A released reservation was not a failure; failures before since do not count.
	if err := db.ReleaseLoginAttempt(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	if id, _, _ := db.ReserveLoginAttempt(ctx, "a@example.com", "10.0.0.1", t0.Add(-time.Hour), t0.Add(time.Minute), l); id == 0 {
		t.Fatal("a released reservation still counts")
	}
	if id, c, _ := db.ReserveLoginAttempt(ctx, "a@example.com", "10.0.0.1", t0.Add(30*time.Second), t0.Add(time.Minute), l); id == 0 || c.Pair != 1 {
		t.Fatalf("failures before the window counted: %+v", c)
	}

	// At once: 20 attempts on one account from different IPs, limit 5.
	var mu sync.Mutex
	granted := 0
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			id, _, err := db.ReserveLoginAttempt(ctx, "b@example.com", "10.1.0."+string(rune('a'+i)), t0.Add(-time.Hour), t0, l)
			if err != nil {
				t.Error(err)
			}
			if id != 0 {
				mu.Lock()
				granted++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if granted != l.Wide {
		t.Fatalf("%d concurrent attempts granted, want %d", granted, l.Wide)
	}
}

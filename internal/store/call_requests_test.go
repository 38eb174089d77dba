package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

func TestCallRequestDoubleClick(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	ag, err := db.CreateAgent(ctx, ringdesk.AgentCreate{Name: "A", Email: "a@example.com", Role: ringdesk.RoleAgent}, "x", now)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: "uis", Name: "c", UIS: ringdesk.UISSettings{}.WithDefaults()}, "", now)
	if err != nil {
		t.Fatal(err)
	}
	in := store.CallRequestIn{ChannelID: ch.ID, AgentID: ag.ID, Phone: "+79261234567"}
	const clicks = 8
	var wg sync.WaitGroup
	recs := make([]*ringdesk.CallRequestRecord, clicks)
	created := make([]bool, clicks)
	for i := range clicks {
		wg.Go(func() {
			r, c, err := db.CreateCallRequest(ctx, in, 10*time.Second, now.Add(time.Duration(i)*time.Second))
			if err != nil {
				t.Error(err)
				return
			}
			recs[i], created[i] = r, c
		})
	}
	wg.Wait()
	n := 0
	for i := range clicks {
		if created[i] {
			n++
		}
		if recs[i] == nil || recs[i].ID != recs[0].ID {
			t.Fatalf("clicks got different requests")
		}
	}
	if n != 1 || !strings.HasPrefix(recs[0].ExternalID, "rd-") || recs[0].Status != ringdesk.CallRequestPending {
		t.Fatalf("%d created; %+v", n, recs[0])
	}
	// Another number, or the same after the window, dials again.
	other := in
	other.Phone = "+79261234568"
	if _, c, _ := db.CreateCallRequest(ctx, other, 10*time.Second, now); !c {
		t.Fatal("another number was taken for a double click")
	}
	later, c, err := db.CreateCallRequest(ctx, in, 10*time.Second, now.Add(30*time.Second))
	if err != nil || !c || later.ID == recs[0].ID {
		t.Fatalf("after the window: %v %v", c, err)
	}
	// A failed request frees the number at once.
	if err := db.FinishCallRequest(ctx, later.ID, ringdesk.CallRequestFailed, 0, "employee_not_found", now.Add(31*time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, c, _ := db.CreateCallRequest(ctx, in, 10*time.Second, now.Add(32*time.Second)); !c {
		t.Fatal("a failed request blocked the retry")
	}
	got, err := db.CallRequestByID(ctx, later.ID)
	if err != nil || got.Status != ringdesk.CallRequestFailed || got.Error != "employee_not_found" || got.CallSessionID != nil {
		t.Fatalf("failed request: %+v %v", got, err)
	}
}

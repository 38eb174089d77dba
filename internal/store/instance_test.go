package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestReleaseInstance: a process restarted under the instance id of one
// that died gets back at once what the dead one held: its leases and its
// outbox claims, well before they expire; rows whose send had begun are
// named as in doubt. Another instance's leases and claims, sent rows and
// rows that were retried stay as they are.
func TestReleaseInstance(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ch := mustMailbox(t, db, now)
	client, err := db.SeedClient(ctx, "Анна", nil, []string{"anna@client.example"}, now)
	if err != nil {
		t.Fatal(err)
	}
	in := ringdesk.TicketCreate{Subject: "Счёт", ClientID: client}
	in.Normalize()
	tk, err := db.CreateTicket(ctx, in, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		if _, err := db.AddComment(ctx, tk.ID, ringdesk.CommentCreate{Kind: "reply", AuthorType: "agent", Body: fmt.Sprint("ответ ", i)}, nil, false, now,
			&store.OutboxCreate{ChannelID: ch.ID, To: []string{"anna@client.example"}, FromName: "Olga via Support", Subject: "Re: Счёт [#1]"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range []struct{ name, holder string }{{"cleanup", "dead"}, {"mail-fetch:1", "dead"}, {"reconcile", "alive"}} {
		if ok, err := db.TakeLease(ctx, l.name, l.holder, now, now.Add(time.Minute)); err != nil || !ok {
			t.Fatalf("lease %s: %v %v", l.name, ok, err)
		}
	}
	dead, err := db.ClaimOutbox(ctx, "dead", 4, now.Add(2*time.Minute), now)
	if err != nil || len(dead) != 4 {
		t.Fatalf("dead claimed %d %v", len(dead), err)
	}
	alive, err := db.ClaimOutbox(ctx, "alive", 2, now.Add(2*time.Minute), now)
	if err != nil || len(alive) != 2 {
		t.Fatalf("alive claimed %d %v", len(alive), err)
	}
	// dead[0]: first attempt begun (message recorded); dead[1]: a retry
	// begun; dead[2]: sent; dead[3]: claimed, not begun. alive[0]: begun.
	if err := db.RecordOutboxMessage(ctx, dead[0].ID, "dead", "d0@example.com", []byte("raw0"), now); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordOutboxMessage(ctx, dead[1].ID, "dead", "d1@example.com", []byte("raw1"), now); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkOutboxSending(ctx, dead[1].ID, "dead", now); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkOutboxSending(ctx, dead[1].ID, "alive", now); ringdesk.ErrorCode(err) != ringdesk.ECONFLICT {
		t.Fatalf("sending under another instance's claim: %v", err)
	}
	if err := db.RecordOutboxMessage(ctx, dead[2].ID, "dead", "d2@example.com", []byte("raw2"), now); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkOutboxSent(ctx, dead[2].ID, now); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordOutboxMessage(ctx, alive[0].ID, "alive", "a0@example.com", []byte("rawa"), now); err != nil {
		t.Fatal(err)
	}

	later := now.Add(time.Second) // long before any claim or lease expires
	r, err := db.ReleaseInstance(ctx, "dead")
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.InDoubtReply{{ID: dead[0].ID, MessageID: "d0@example.com"}, {ID: dead[1].ID, MessageID: "d1@example.com"}}; r.Leases != 2 || r.Claims != 3 || !slices.Equal(r.InDoubt, want) {
		t.Fatalf("released %+v, want 2 leases, 3 claims, in doubt %v", r, want)
	}
	again, err := db.ClaimOutbox(ctx, "dead", 10, later.Add(2*time.Minute), later)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, it := range again {
		ids = append(ids, it.ID)
		if it.ID == dead[0].ID && (it.MessageID != "d0@example.com" || string(it.Raw) != "raw0") {
			t.Errorf("an in-doubt reply comes back as %q %q: it must be resent with the same message", it.MessageID, it.Raw)
		}
	}
	if want := []int64{dead[0].ID, dead[1].ID, dead[3].ID}; !slices.Equal(ids, want) {
		t.Fatalf("claimed again %v, want %v (not the sent one, not the other instance's)", ids, want)
	}
	for _, name := range []string{"cleanup", "mail-fetch:1"} {
		if ok, err := db.TakeLease(ctx, name, "dead", later, later.Add(time.Minute)); err != nil || !ok {
			t.Fatalf("lease %s not free at once: %v %v", name, ok, err)
		}
	}
	if ok, _ := db.TakeLease(ctx, "reconcile", "dead", later, later.Add(time.Minute)); ok {
		t.Fatal("another instance's lease was released")
	}
	// Nothing held by the other instance moved; releasing twice does nothing.
	if r, err := db.ReleaseInstance(ctx, "nobody"); err != nil || r.Leases != 0 || r.Claims != 0 || len(r.InDoubt) != 0 {
		t.Fatalf("released for nobody %+v %v", r, err)
	}
	if err := db.MarkOutboxSending(ctx, alive[0].ID, "alive", later); err != nil {
		t.Fatalf("the other instance lost its claim: %v", err)
	}
}

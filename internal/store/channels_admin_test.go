package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestChannelSummariesAndDeadLetters: live tokens are counted, the last
// token use is the channel's last event, and a dead letter's replay
// outcome is kept.
func TestChannelSummariesAndDeadLetters(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	a, err := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: "uis", Name: "A"}, "", t0)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: "uis", Name: "B"}, "", t0)
	t1, _ := db.CreateChannelToken(ctx, a.ID, "one", "hash1", "aaaa", t0)
	db.CreateChannelToken(ctx, a.ID, "two", "hash2", "bbbb", t0)
	t3, _ := db.CreateChannelToken(ctx, a.ID, "three", "hash3", "cccc", t0)
	if err := db.RevokeChannelToken(ctx, a.ID, t3.ID, t0); err != nil {
		t.Fatal(err)
	}
	if err := db.TouchChannelToken(ctx, "hash1", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	db.TouchChannelToken(ctx, "hash2", t0.Add(2*time.Hour))
	sums, err := db.ListChannelSummaries(ctx)
	if err != nil || len(sums) != 2 {
		t.Fatalf("summaries = %v, %v", sums, err)
	}
	if sums[0].ID != a.ID || sums[0].ActiveTokens != 2 || sums[0].LastEventAt == nil || !sums[0].LastEventAt.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("A = %+v (last %v)", sums[0], sums[0].LastEventAt)
	}
	if sums[1].ID != b.ID || sums[1].ActiveTokens != 0 || sums[1].LastEventAt != nil {
		t.Errorf("B = %+v", sums[1])
	}
	toks, _ := db.ListChannelTokens(ctx, a.ID)
	for _, tk := range toks {
		if tk.ID == t1.ID && (tk.LastUsedAt == nil || !tk.LastUsedAt.Equal(t0.Add(time.Hour))) {
			t.Errorf("token one last used = %v", tk.LastUsedAt)
		}
	}

	if err := db.AddDeadLetter(ctx, a.ID, "call_finished", []byte(`{"x":1}`), "bad", t0); err != nil {
		t.Fatal(err)
	}
	list, err := db.ListDeadLetters(ctx, 10)
	if err != nil || len(list) != 1 || list[0].Raw != `{"x":1}` || list[0].Error != "bad" || list[0].ReplayedAt != nil {
		t.Fatalf("dead letters = %+v, %v", list, err)
	}
	id := list[0].ID
	if err := db.SetDeadLetterReplay(ctx, id, "still bad", t0); err != nil {
		t.Fatal(err)
	}
	if d, _ := db.DeadLetterByID(ctx, id); d.ReplayError != "still bad" || d.ReplayedAt != nil {
		t.Errorf("after failed replay = %+v", d)
	}
	if err := db.SetDeadLetterReplay(ctx, id, "", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if d, _ := db.DeadLetterByID(ctx, id); d.ReplayError != "" || d.ReplayedAt == nil || !d.ReplayedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("after replay = %+v", d)
	}
	if err := db.SetDeadLetterReplay(ctx, id+100, "", t0); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("unknown dead letter: %v", err)
	}
	if _, err := db.DeadLetterByID(ctx, id+100); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("unknown dead letter: %v", err)
	}
	if emps, err := db.UnlinkedEmployees(ctx); err != nil || len(emps) != 0 {
		t.Errorf("unlinked = %v, %v", emps, err)
	}
}

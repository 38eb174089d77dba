package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestChannelSummariesAndDeadLetters: live tokens are counted, the last
// token use is the channel's last event, and a dead letter's replay
// outcome is kept.
func TestChannelSummariesAndDeadLetters(t *testing.T) {
	t.Parallel()
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

	if err := db.AddDeadLetter(ctx, a.ID, "call_finished", []byte(`{"x":1}`),
		ringdesk.DeadLetterReason{Problem: ringdesk.ProblemMissing, Field: "call_session_id", Text: "bad"}, t0); err != nil {
		t.Fatal(err)
	}
	list, _, err := db.ListDeadLetters(ctx, "", 10)
	if err != nil || len(list) != 1 || string(list[0].Raw) != `{"x":1}` || list[0].Error != "bad" || list[0].ReplayedAt != nil ||
		list[0].Problem != ringdesk.ProblemMissing || list[0].Field != "call_session_id" {
		t.Fatalf("dead letters = %+v, %v", list, err)
	}
	id := list[0].ID
	if err := db.SetDeadLetterReplay(ctx, id, &ringdesk.DeadLetterReason{Problem: ringdesk.ProblemNotStored, Text: "still bad"}, t0); err != nil {
		t.Fatal(err)
	}
	if d, _ := db.DeadLetterByID(ctx, id); d.ReplayError != "still bad" || d.ReplayProblem != ringdesk.ProblemNotStored || d.ReplayedAt != nil {
		t.Errorf("after failed replay = %+v", d)
	}
	if err := db.SetDeadLetterReplay(ctx, id, nil, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if d, _ := db.DeadLetterByID(ctx, id); d.ReplayError != "" || d.ReplayProblem != "" || d.ReplayedAt == nil || !d.ReplayedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("after replay = %+v", d)
	}
	if err := db.SetDeadLetterReplay(ctx, id+100, nil, t0); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("unknown dead letter: %v", err)
	}
	if _, err := db.DeadLetterByID(ctx, id+100); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("unknown dead letter: %v", err)
	}
	if emps, err := db.UnlinkedEmployees(ctx); err != nil || len(emps) != 0 {
		t.Errorf("unlinked = %v, %v", emps, err)
	}
}

// TestDeadLettersPaging: pages are newest first, 50 by default, with ties in
// received_at broken by id, and together hold every dead letter once.
func TestDeadLettersPaging(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	a, _ := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: "uis", Name: "A"}, "", t0)
	b, _ := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: "uis", Name: "B"}, "", t0)
	const n = 123
	for i := range n {
		ch := a.ID
		if i%3 == 0 {
			ch = b.ID
		}
		// Three letters share each second; the received times go back and
		// forth so id order and time order differ.
		at := t0.Add(time.Duration((i/3)*7%41) * time.Second)
		if err := db.AddDeadLetter(ctx, ch, "call_finished", []byte(`{"n":`+strconv.Itoa(i)+`}`), ringdesk.DeadLetterReason{Text: "bad"}, at); err != nil {
			t.Fatal(err)
		}
	}
	var all []*ringdesk.DeadLetter
	cursor, pages := "", 0
	for {
		page, next, err := db.ListDeadLetters(ctx, cursor, 0)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if want := min(50, n-len(all)); len(page) != want {
			t.Fatalf("page %d has %d letters, want %d", pages, len(page), want)
		}
		all = append(all, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	if pages != 3 || len(all) != n {
		t.Fatalf("%d pages, %d letters", pages, len(all))
	}
	seen := map[int64]bool{}
	for i, d := range all {
		if seen[d.ID] {
			t.Fatalf("letter %d listed twice", d.ID)
		}
		seen[d.ID] = true
		if i > 0 {
			p := all[i-1]
			if d.LastReceivedAt.After(p.LastReceivedAt) || d.LastReceivedAt.Equal(p.LastReceivedAt) && d.ID > p.ID {
				t.Fatalf("not newest first at %d: %v/%d after %v/%d", i, d.LastReceivedAt, d.ID, p.LastReceivedAt, p.ID)
			}
		}
	}
	if small, next, err := db.ListDeadLetters(ctx, "", 7); err != nil || len(small) != 7 || next == "" || small[6].ID != all[6].ID {
		t.Fatalf("limit 7: %d letters, next %q, %v", len(small), next, err)
	}
	if _, _, err := db.ListDeadLetters(ctx, "not-a-cursor", 0); ringdesk.ErrorCode(err) != ringdesk.EINVALID {
		t.Fatalf("bad cursor: %v", err)
	}
}

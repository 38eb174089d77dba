package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestDeadLetterBodiesRoundTrip: whatever bytes a body holds (invalid UTF-8,
// NUL, nothing, a megabyte), it is stored and read back exactly, on both
// databases (a PostgreSQL text column refuses the first two).
func TestDeadLetterBodiesRoundTrip(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ch, err := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: "uis", Name: "A"}, "", t0)
	if err != nil {
		t.Fatal(err)
	}
	bodies := [][]byte{
		[]byte("{\"contact_full_name\":\"\xcf\xf0\xe8\xe2\xe5\xf2\"}"), // cp1251
		[]byte("{\"contact_full_name\":\"a\x00b\"}"),
		[]byte("\x00\xff\xfe"),
		{},
		bytes.Repeat([]byte("я\x00\x80"), 1<<18),
	}
	for i, b := range bodies {
		if err := db.AddDeadLetter(ctx, ch.ID, "call_finished", b, ringdesk.DeadLetterReason{Text: "bad"}, t0.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatalf("body %d: %v", i, err)
		}
	}
	list, _, err := db.ListDeadLetters(ctx, "", 50)
	if err != nil || len(list) != len(bodies) {
		t.Fatalf("dead letters: %d, %v", len(list), err)
	}
	for i, d := range list {
		want := bodies[len(bodies)-1-i] // newest first
		if !bytes.Equal(d.Raw, want) {
			t.Errorf("body %d read back as %q, want %q", len(bodies)-1-i, trim(d.Raw), trim(want))
		}
		if byID, err := db.DeadLetterByID(ctx, d.ID); err != nil || !bytes.Equal(byID.Raw, want) {
			t.Errorf("by id %d: %v", d.ID, err)
		}
	}
}

func trim(b []byte) []byte { return b[:min(len(b), 40)] }

// TestDeadLetterRepeats: the same body on the same channel and kind is one
// dead letter whose count and last-received time grow; another kind or
// channel, or another body, is another dead letter.
func TestDeadLetterRepeats(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	a, _ := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: "uis", Name: "A"}, "", t0)
	b, _ := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: "uis", Name: "B"}, "", t0)
	body := []byte("{\"call_session_id\":\"x\x00\"}")
	add := func(ch int64, kind string, body []byte, reason string, at time.Time) {
		t.Helper()
		if err := db.AddDeadLetter(ctx, ch, kind, body, ringdesk.DeadLetterReason{Problem: reason, Text: reason}, at); err != nil {
			t.Fatal(err)
		}
	}
	add(a.ID, "call_finished", body, "first reason", t0)
	add(a.ID, "call_finished", body, "second reason", t0.Add(time.Minute))
	add(a.ID, "call_finished", body, "third reason", t0.Add(2*time.Minute))
	add(a.ID, "call_finished", body, "late copy", t0.Add(30*time.Second)) // out of order: last stays
	add(a.ID, "conversation_started", body, "other kind", t0.Add(3*time.Minute))
	add(b.ID, "call_finished", body, "other channel", t0.Add(4*time.Minute))
	add(a.ID, "call_finished", append(bytes.Clone(body), ' '), "other body", t0.Add(5*time.Minute))
	list, _, err := db.ListDeadLetters(ctx, "", 50)
	if err != nil || len(list) != 4 {
		t.Fatalf("dead letters = %d, %v; want 4", len(list), err)
	}
	var d *ringdesk.DeadLetter
	for _, l := range list {
		if l.ChannelID == a.ID && l.Kind == "call_finished" && bytes.Equal(l.Raw, body) {
			d = l
		}
	}
	if d == nil {
		t.Fatal("the repeated body is not listed")
	}
	if d.Count != 4 || !d.ReceivedAt.Equal(t0) || !d.LastReceivedAt.Equal(t0.Add(2*time.Minute)) || d.Error != "late copy" || d.Problem != "late copy" {
		t.Errorf("repeated dead letter = count %d, first %v, last %v, reason %q", d.Count, d.ReceivedAt, d.LastReceivedAt, d.Error)
	}
	for _, l := range list {
		if l != d && l.Count != 1 {
			t.Errorf("dead letter %q counted %d", l.Error, l.Count)
		}
	}
	// A repeat moves it to the top of the list.
	add(a.ID, "call_finished", body, "again", t0.Add(time.Hour))
	if list, _, _ := db.ListDeadLetters(ctx, "", 1); len(list) != 1 || list[0].ID != d.ID || list[0].Count != 5 {
		t.Errorf("after a repeat the newest is %+v, want dead letter %d counted 5", list[0], d.ID)
	}
}

// TestDeadLettersFromBeforeMigration13: rows kept before body hashes
// existed get their hash at start, and copies of one body become one row.
func TestDeadLettersFromBeforeMigration13(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ch, _ := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: "uis", Name: "A"}, "", t0)
	us := func(d time.Duration) int64 { return t0.Add(d).UnixMicro() }
	for i, r := range []struct {
		body string
		at   int64
	}{{`{"a":1}`, us(time.Minute)}, {`{"a":1}`, us(0)}, {`{"a":1}`, us(2 * time.Minute)}, {`{"b":2}`, us(0)}} {
		if _, err := db.ExecForTest(ctx, `INSERT INTO webhook_dead_letters (channel_id, kind, raw, body_sha256, error, received_at, last_received_at)
			VALUES ($1, 'call_finished', $2, $3, 'old', $4, $4)`, ch.ID, []byte(r.body), "legacy-"+strings.Repeat("x", i+1), r.at); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.BackfillDeadLetterSums(ctx); err != nil {
		t.Fatal(err)
	}
	list, _, err := db.ListDeadLetters(ctx, "", 50)
	if err != nil || len(list) != 2 {
		t.Fatalf("after the backfill: %d dead letters, %v; want 2", len(list), err)
	}
	a := list[0]
	if string(a.Raw) != `{"a":1}` || a.Count != 3 || !a.ReceivedAt.Equal(t0) || !a.LastReceivedAt.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("merged = %s count %d first %v last %v", a.Raw, a.Count, a.ReceivedAt, a.LastReceivedAt)
	}
	// New copies now find them.
	if err := db.AddDeadLetter(ctx, ch.ID, "call_finished", []byte(`{"b":2}`), ringdesk.DeadLetterReason{Text: "new"}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if list, _, _ := db.ListDeadLetters(ctx, "", 50); len(list) != 2 || list[0].Count != 2 || string(list[0].Raw) != `{"b":2}` {
		t.Errorf("a new copy of an old body: %+v", list)
	}
	if err := db.BackfillDeadLetterSums(ctx); err != nil { // nothing left to do
		t.Fatal(err)
	}
}

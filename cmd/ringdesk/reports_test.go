package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// TestReportsRebuild: calls written behind Ringdesk's back (here straight
// into the database) reach the report rollups with `ringdesk reports
// rebuild`.
func TestReportsRebuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: "uis", Name: "UIS", UIS: ringdesk.UISSettings{}.WithDefaults()}, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	started := time.Date(2026, 11, 3, 10, 15, 0, 0, time.UTC).UnixMicro()
	for _, q := range []string{
		`INSERT INTO clients (id, name, search, created_at, updated_at) VALUES (1, 'C', 'c', 1, 1)`,
		`INSERT INTO tickets (id, subject, status, priority, type, channel_id, client_id, created_at, updated_at) VALUES (1, 'Call', 'open', 'medium', 'question', $1, 1, 1, 1)`,
		`INSERT INTO calls (channel_id, call_session_id, direction, state, stage, contact_phone, started_at, finished_at, wait_seconds,
			total_seconds, is_lost, ticket_id, client_id, created_at, updated_at) VALUES ($1, 1, 'in', 'finished', 3, '+79260000001', $2, $2, 42, 42, TRUE, 1, 1, 1, 1)`,
	} {
		args := []any{ch.ID}
		if strings.Contains(q, "$2") {
			args = append(args, started)
		}
		if _, err := db.ExecForTest(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	out, err := runCmd(t, func(string) string { return "" }, "reports", "rebuild", "--data", dir)
	if err != nil || !strings.Contains(out, "rebuilt the call report rollups") {
		t.Fatalf("reports rebuild: %v\n%s", err, out)
	}
	db, err = store.Open(ctx, store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var calls, missed, longest int64
	if err := db.QueryRowForTest(ctx, `SELECT SUM(calls), SUM(missed), MAX(max_wait_missed) FROM call_report_hours`).Scan(&calls, &missed, &longest); err != nil {
		t.Fatal(err)
	}
	if calls != 1 || missed != 1 || longest != 42 {
		t.Errorf("rollups after rebuild: %d calls, %d missed, longest wait %d; want 1, 1, 42", calls, missed, longest)
	}
	if _, err := runCmd(t, func(string) string { return "" }, "reports", "drop"); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("reports drop: %v", err)
	}
}

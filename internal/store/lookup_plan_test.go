package store

import (
	"context"
	"strings"
	"testing"
)

// TestCallLookupPlan: PostgreSQL caches a generic plan for a prepared
// statement after its fifth run, and a plan made while the calls table is
// young is kept until the next ANALYZE. The webhook's call lookup must find
// the call through UNIQUE (channel_id, call_session_id) in that plan too;
// with calls_channel_idx (dropped in migration 0091) such a plan read every
// call of the channel and filtered on the session, for every event.
func TestCallLookupPlan(t *testing.T) {
	t.Parallel()
	db := openBatchTestDB(t)
	if db.dialect != Postgres {
		t.Skip("generic plans are PostgreSQL's; SQLite plans each statement when it is prepared")
	}
	ctx := context.Background()
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, q := range []string{
		`SET LOCAL plan_cache_mode = force_generic_plan`,
		`PREPARE lookup_call(text, bigint, bigint) AS ` + lookupCall,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			t.Fatalf("%v: %.80s", err, q)
		}
	}
	defer tx.ExecContext(ctx, `DEALLOCATE lookup_call`)
	rows, err := tx.QueryContext(ctx, `EXPLAIN EXECUTE lookup_call('k', 1, 1)`)
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	if !strings.Contains(text, "calls_channel_id_call_session_id_key") || strings.Contains(text, "Filter: (call_session_id") {
		t.Fatalf("the generic plan of the call lookup does not find the call by its session:\n%s", text)
	}
}

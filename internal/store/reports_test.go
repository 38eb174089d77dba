package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// seedReportCalls inserts n random calls over 12 clients and 9 days from
// base: answered, missed, unanswered outgoing, some still ringing, two
// channels and two lines, so that call backs, filters and day bounds all
// occur.
func seedReportCalls(t *testing.T, db *store.DB, base time.Time, n int) {
	t.Helper()
	ctx := context.Background()
	var chans []int64
	for _, name := range []string{"one", "two"} {
		ch, err := db.CreateChannel(ctx, ringdesk.ChannelCreate{Type: "uis", Name: name, UIS: ringdesk.UISSettings{}.WithDefaults()}, "", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		chans = append(chans, ch.ID)
	}
	exec := func(q string) {
		t.Helper()
		if _, err := db.ExecForTest(ctx, q); err != nil {
			t.Fatalf("%v: %.300s", err, q)
		}
	}
	exec(`INSERT INTO agents (id, name, email, role, operator_id, password_hash, created_at, updated_at) VALUES
		(501, 'A', 'a@r', 'agent', 9501, 'x', 1, 1), (502, 'B', 'b@r', 'agent', 9502, 'x', 1, 1)`)
	var rows []string
	for c := 1; c <= 12; c++ {
		rows = append(rows, fmt.Sprintf("(%d, 'Client %d', 'client %d', 1, 1)", c, c, c))
	}
	exec(`INSERT INTO clients (id, name, search, created_at, updated_at) VALUES ` + strings.Join(rows, ","))
	rows = rows[:0]
	for c := 1; c <= 12; c++ {
		rows = append(rows, fmt.Sprintf("(%d, 'Call', 'open', 'medium', 'question', %d, %d, 1, 1)", c, chans[0], c))
	}
	exec(`INSERT INTO tickets (id, subject, status, priority, type, channel_id, client_id, created_at, updated_at) VALUES ` + strings.Join(rows, ","))
	rng := rand.New(rand.NewPCG(7, 11))
	rows = rows[:0]
	for i := 1; i <= n; i++ {
		client := 1 + rng.IntN(12)
		started := base.Add(time.Duration(rng.IntN(9*24*60)) * time.Minute).UnixMicro()
		dir, state, answered, lost, agent := "in", "finished", "NULL", "false", "NULL"
		wait, talk := rng.IntN(60), 0
		switch k := rng.IntN(10); {
		case k < 4: // answered incoming
			answered, talk, agent = fmt.Sprint(started+int64(wait)*1e6), 30+rng.IntN(300), fmt.Sprint(501+rng.IntN(2))
		case k < 6: // missed
			lost = "true"
		case k < 8: // answered outgoing
			dir, answered, talk, agent = "out", fmt.Sprint(started+int64(wait)*1e6), 20+rng.IntN(100), fmt.Sprint(501+rng.IntN(2))
		case k < 9: // unanswered outgoing
			dir, agent = "out", fmt.Sprint(501+rng.IntN(2))
		default: // still ringing
			state = "ringing"
		}
		finished := fmt.Sprint(started + int64(wait+talk)*1e6)
		if state != "finished" {
			finished = "NULL"
		}
		line := []string{"74950000001", "74950000002"}[rng.IntN(2)]
		rows = append(rows, fmt.Sprintf("(%d, %d, '%s', '%s', 3, '+7926000%04d', '%s', %d, %s, %s, %d, %d, %d, %s, %s, %d, %d, %d, %d, %d)",
			chans[rng.IntN(2)], i, dir, state, client, line, started, answered, finished, wait, talk, wait+talk, lost, agent, client, client,
			started, started, rng.IntN(30)))
	}
	exec(`INSERT INTO calls (channel_id, call_session_id, direction, state, stage, contact_phone, virtual_phone_number, started_at,
		answered_at, finished_at, wait_seconds, talk_seconds, total_seconds, is_lost, agent_id, ticket_id, client_id,
		created_at, updated_at, postprocess_seconds) VALUES ` + strings.Join(rows, ","))
}

// The store finds each missed call's call back (MissedCallBacks, one step
// down an index per missed call) exactly as the domain defines it
// (ringdesk.CallBacks over every later call), for periods and filters, and
// the report built either way is the same.
func TestMissedCallBacksEqualTheDefinition(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	seedReportCalls(t, db, base, 600)
	all, err := db.ReportCalls(ctx, base.AddDate(-1, 0, 0), base.AddDate(1, 0, 0), ringdesk.ReportFilter{})
	if err != nil || len(all) != 600 {
		t.Fatalf("%d calls, %v", len(all), err)
	}
	msk, _ := ringdesk.LoadLocation("Europe/Moscow")
	filters := []ringdesk.ReportFilter{{}, {ChannelID: 1}, {VirtualNumber: "74950000002"}, {Direction: "in"}, {Direction: "out"}, {AgentID: 501}}
	for _, days := range [][2]int{{0, 0}, {2, 4}, {0, 8}} {
		from := time.Date(2026, 11, 1+days[0], 0, 0, 0, 0, msk)
		to := time.Date(2026, 11, 1+days[1], 0, 0, 0, 0, msk)
		period, err := ringdesk.NewReportPeriod(from, to, msk)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range filters {
			calls, err := db.ReportCalls(ctx, period.Start(), period.End(), f)
			if err != nil {
				t.Fatal(err)
			}
			links, err := db.MissedCallBacks(ctx, period.Start(), period.End(), f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, l := range links {
				if l.AnsweredID != 0 {
					ids = append(ids, l.AnsweredID)
				}
			}
			backs, err := db.ReportCallsByIDs(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			byID := map[int64]*ringdesk.ReportCall{}
			for _, c := range backs {
				byID[c.ID] = c
			}
			var missed []*ringdesk.ReportCall
			for _, c := range calls {
				if c.Missed() {
					missed = append(missed, c)
				}
			}
			if len(links) != len(missed) {
				t.Fatalf("days %v %+v: %d links for %d missed calls", days, f, len(links), len(missed))
			}
			got := ringdesk.CallBacksFromLinks(missed, links, byID)
			want := ringdesk.CallBacks(calls, all)
			for _, m := range missed {
				g, w := got[m.ID], want[m.ID]
				if (g.By == nil) != (w.By == nil) || g.By != nil && (g.By.ID != w.By.ID || g.After != w.After || g.FirstAttempt != w.FirstAttempt) {
					t.Errorf("days %v %+v, missed call %d: store %+v, definition %+v", days, f, m.ID, g, w)
				}
			}
			viaStore := ringdesk.BuildCallReport(ringdesk.ReportInput{Period: period, Calls: calls, Backs: got})
			viaDef := ringdesk.BuildCallReport(ringdesk.ReportInput{Period: period, Calls: calls, Later: all})
			if !reflect.DeepEqual(viaStore, viaDef) {
				t.Errorf("days %v %+v: the reports differ:\nstore %+v\ndef   %+v", days, f, viaStore.CallBacks, viaDef.CallBacks)
			}
			if f == (ringdesk.ReportFilter{}) && days == [2]int{0, 8} && (viaDef.CallBacks.CalledBack == 0 || viaDef.CallBacks.Never == 0 || viaDef.CallBacks.FirstAttempt == 0) {
				t.Errorf("the sample lacks a case: %+v", viaDef.CallBacks)
			}
		}
	}
}

// ReportCalls keeps the calls of the period and the filters, and
// SolvedTickets counts tickets solved in it per assignee.
func TestReportCallsFilters(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	seedReportCalls(t, db, base, 300)
	all, err := db.ReportCalls(ctx, base, base.AddDate(0, 0, 9), ringdesk.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []ringdesk.ReportFilter{{ChannelID: 2}, {VirtualNumber: "74950000001"}, {AgentID: 502}, {Direction: "out"}, {ChannelID: 1, Direction: "in"}} {
		got, err := db.ReportCalls(ctx, base.AddDate(0, 0, 2), base.AddDate(0, 0, 5), f)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, c := range all {
			if c.StartedAt.Before(base.AddDate(0, 0, 2)) || !c.StartedAt.Before(base.AddDate(0, 0, 5)) ||
				f.ChannelID != 0 && c.ChannelID != f.ChannelID || f.AgentID != 0 && (c.AgentID == nil || *c.AgentID != f.AgentID) ||
				f.Direction != "" && c.Direction != f.Direction {
				continue
			}
			want++
		}
		if f.VirtualNumber != "" {
			var n int
			db.QueryRowForTest(ctx, `SELECT COUNT(*) FROM calls WHERE virtual_phone_number = $1 AND started_at >= $2 AND started_at < $3`,
				f.VirtualNumber, base.AddDate(0, 0, 2).UnixMicro(), base.AddDate(0, 0, 5).UnixMicro()).Scan(&n)
			want = n
		}
		if len(got) != want || want == 0 {
			t.Errorf("%+v: %d calls, want %d", f, len(got), want)
		}
	}
	solvedAt := base.AddDate(0, 0, 3).UnixMicro()
	if _, err := db.ExecForTest(ctx, `UPDATE tickets SET status = 'solved', solved_at = $1, assignee_id = 501 WHERE id IN (1, 2, 3)`, solvedAt); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecForTest(ctx, `UPDATE tickets SET status = 'closed', solved_at = $1, assignee_id = 502 WHERE id = 4`, base.AddDate(0, 0, 8).UnixMicro()); err != nil {
		t.Fatal(err)
	}
	got, err := db.SolvedTickets(ctx, base, base.AddDate(0, 0, 5), ringdesk.ReportFilter{})
	if err != nil || !reflect.DeepEqual(got, map[int64]int{501: 3}) {
		t.Errorf("solved tickets: %v, %v", got, err)
	}
	// The filters: the ticket's channel and assignee; a line or a
	// direction keeps tickets with such a call.
	var withOut, onLine int
	db.QueryRowForTest(ctx, `SELECT COUNT(*) FROM tickets t WHERE t.id IN (1, 2, 3) AND EXISTS
		(SELECT 1 FROM calls c WHERE c.ticket_id = t.id AND c.direction = 'out')`).Scan(&withOut)
	db.QueryRowForTest(ctx, `SELECT COUNT(*) FROM tickets t WHERE t.id IN (1, 2, 3) AND EXISTS
		(SELECT 1 FROM calls c WHERE c.ticket_id = t.id AND c.direction = 'in' AND c.virtual_phone_number = '74950000002')`).Scan(&onLine)
	for _, c := range []struct {
		f    ringdesk.ReportFilter
		want map[int64]int
	}{
		{ringdesk.ReportFilter{ChannelID: 1}, map[int64]int{501: 3}},
		{ringdesk.ReportFilter{ChannelID: 2}, map[int64]int{}},
		{ringdesk.ReportFilter{AgentID: 502}, map[int64]int{}},
		{ringdesk.ReportFilter{AgentID: 501}, map[int64]int{501: 3}},
		{ringdesk.ReportFilter{Direction: "out"}, map[int64]int{501: withOut}},
		{ringdesk.ReportFilter{Direction: "in", VirtualNumber: "74950000002"}, map[int64]int{501: onLine}},
	} {
		if c.want[501] == 0 {
			delete(c.want, 501)
		}
		got, err := db.SolvedTickets(ctx, base, base.AddDate(0, 0, 5), c.f)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("solved tickets %+v: %v, %v; want %v", c.f, got, err, c.want)
		}
	}
}

package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// historyDays is how many days before today the demo's history covers.
const historyDays = 6

// pastCall is one call of the demo's history, as UIS would report it.
type pastCall struct {
	session    int64
	dir        string
	contact    string
	name       string
	start      time.Time
	wait, talk int64
	post       int64
	lost       bool
	employee   *int64
}

func (c pastCall) end() time.Time { return c.start.Add(time.Duration(c.wait+c.talk) * time.Second) }

// body is the call_finished notification UIS sends for c, times in loc.
func (c pastCall) body(virtual, employeeName string, loc *time.Location) []byte {
	ts := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04:05") }
	m := map[string]any{"call_session_id": c.session, "communication_id": c.session, "direction": c.dir,
		"contact_phone_number": c.contact, "contact_full_name": c.name, "virtual_phone_number": virtual,
		"start_time": ts(c.start), "finish_time": ts(c.end()), "wait_time_duration": c.wait, "talk_time_duration": c.talk,
		"total_time_duration": c.wait + c.talk, "is_lost": c.lost, "finish_reason": "subscriber_disconnects", "call_source": "va"}
	if c.talk > 0 {
		m["connection_time"] = ts(c.start.Add(time.Duration(c.wait) * time.Second))
		m["postprocess_time_duration"] = c.post
	}
	if c.employee != nil {
		m["employee_id"], m["employee_full_name"] = *c.employee, employeeName
		if c.talk > 0 {
			m["last_talked_employee_id"], m["last_talked_employee_full_name"] = *c.employee, employeeName
		}
	}
	b, _ := json.Marshal(m)
	return b
}

// perHour is how many calls come in each working hour (9:00 to 19:59), a
// morning and an afternoon peak.
var perHour = []int{3, 5, 8, 9, 7, 4, 6, 8, 7, 5, 3}

// planHistory makes the calls of the days before now: incoming calls
// (some missed, more at the peaks), call backs of most missed calls (some
// at the second attempt) and a few other outgoing calls.
func planHistory(now time.Time, loc *time.Location, employees []int64, rng *rand.Rand) []pastCall {
	var out []pastCall
	session := int64(900_000_000)
	next := func() int64 { session++; return session }
	clients := make([]string, 80)
	for i := range clients {
		clients[i] = fmt.Sprintf("7916%07d", 3100000+i*137)
	}
	emp := func() *int64 { e := employees[rng.IntN(len(employees))]; return &e }
	// Callers who are never called back call from numbers of their own: with
	// 80 regular clients, some later call reaches nearly every one of them,
	// which the reports rightly count as a call back.
	oneTime := 0
	today := now.In(loc)
	for d := historyDays; d >= 0; d-- {
		day := time.Date(today.Year(), today.Month(), today.Day()-d, 9, 0, 0, 0, loc)
		if day.Weekday() == time.Sunday {
			continue
		}
		for h, n := range perHour {
			n += rng.IntN(5) - 2
			peak := h == 2 || h == 3 || h == 7 || h == 8
			for i := 0; i < n; i++ {
				start := day.Add(time.Duration(h)*time.Hour + time.Duration(rng.IntN(3600))*time.Second)
				if !start.Before(now.Add(-10 * time.Minute)) {
					continue
				}
				c := pastCall{session: next(), dir: ringdesk.DirectionIn, contact: clients[rng.IntN(len(clients))], start: start}
				missP := 0.08
				if peak {
					missP = 0.22
				}
				if rng.Float64() < missP {
					c.lost, c.wait = true, 1+rng.Int64N(70)
					if rng.Float64() < 0.15 { // never called back
						oneTime++
						c.contact = fmt.Sprintf("7925%07d", 5200000+oneTime*71)
						out = append(out, c)
						continue
					}
					out = append(out, c)
					out = append(out, callBacks(c, now, emp, next, rng)...)
					continue
				}
				c.wait, c.talk, c.post, c.employee = 2+rng.Int64N(16), 30+rng.Int64N(400), rng.Int64N(40), emp()
				if rng.IntN(6) == 0 { // a busy moment: a longer wait
					c.wait += rng.Int64N(40)
				}
				out = append(out, c)
			}
			if rng.IntN(2) == 0 {
				c := pastCall{session: next(), dir: ringdesk.DirectionOut, contact: clients[rng.IntN(len(clients))],
					start: day.Add(time.Duration(h)*time.Hour + time.Duration(rng.IntN(3600))*time.Second), wait: 5 + rng.Int64N(20), employee: emp()}
				if c.start.Before(now.Add(-10 * time.Minute)) {
					if rng.IntN(3) > 0 {
						c.talk, c.post = 20+rng.Int64N(200), rng.Int64N(30)
					}
					out = append(out, c)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].end().Before(out[j].end()) })
	return out
}

// callBacks are an agent's calls back to a missed caller: most at once,
// some only at the second attempt.
func callBacks(m pastCall, now time.Time, emp func() *int64, next func() int64, rng *rand.Rand) []pastCall {
	var out []pastCall
	at := m.end().Add(time.Duration(2+rng.IntN(40)) * time.Minute)
	if rng.Float64() < 0.3 {
		out = append(out, pastCall{session: next(), dir: ringdesk.DirectionOut, contact: m.contact, start: at, wait: 30, employee: emp()})
		at = at.Add(time.Duration(10+rng.IntN(60)) * time.Minute)
	}
	out = append(out, pastCall{session: next(), dir: ringdesk.DirectionOut, contact: m.contact, start: at, wait: 4 + rng.Int64N(10),
		talk: 40 + rng.Int64N(240), post: rng.Int64N(30), employee: emp()})
	var kept []pastCall
	for _, c := range out {
		if c.end().Before(now) {
			kept = append(kept, c)
		}
	}
	return kept
}

// planSeed plans a few days of history for a desk without calls, so that
// the reports page shows figures and charts at once; Run imports it.
func (dm *Demo) planSeed(ctx context.Context, d *desk.Desk, db *store.DB) error {
	calls, _, err := db.ListCalls(ctx, ringdesk.CallFilter{Limit: 1})
	if err != nil || len(calls) > 0 {
		return err
	}
	var ids []int64
	for _, e := range dm.Sim.Account().Employees {
		ids = append(ids, e.ID)
	}
	dm.history = planHistory(d.Now(), dm.Channel.UIS.Location(), ids, rand.New(rand.NewPCG(2026, 12)))
	return nil
}

// seedHistory imports the planned history, oldest call first, while the
// demo's calls start coming (it takes a few seconds).
func (dm *Demo) seedHistory(ctx context.Context) {
	if len(dm.history) == 0 {
		return
	}
	acct := dm.Sim.Account()
	names := map[int64]string{}
	for _, e := range acct.Employees {
		names[e.ID] = e.FullName()
	}
	loc := dm.Channel.UIS.Location()
	for _, c := range dm.history {
		name := ""
		if c.employee != nil {
			name = names[*c.employee]
		}
		body := c.body(acct.VirtualNumbers[0].Number, name, loc)
		if err := dm.desk.ImportPastCall(ctx, ringdesk.System, dm.Channel, uis.CallFinished, body, c.end()); err != nil {
			if ctx.Err() == nil {
				dm.log.Warn("demo: the call history for the reports is not complete", "err", err)
			}
			return
		}
	}
	dm.log.Info("demo: seeded the call history of the last days for the reports", "calls", len(dm.history))
}

package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// reportColumns are what a report reads of a call (ringdesk.ReportCall).
const reportColumns = `id, channel_id, client_id, direction, state, started_at, answered_at, finished_at,
	wait_seconds, talk_seconds, total_seconds, is_lost, agent_id, postprocess_seconds, virtual_phone_number, COALESCE(group_id, 0),
	uis_lost_seconds`

func scanReportCall(rows interface{ Scan(...any) error }) (*ringdesk.ReportCall, error) {
	var c ringdesk.ReportCall
	var started int64
	var answered, finished, agent, uisLost sql.NullInt64
	if err := rows.Scan(&c.ID, &c.ChannelID, &c.ClientID, &c.Direction, &c.State, &started, &answered, &finished,
		&c.WaitSeconds, &c.TalkSeconds, &c.TotalSeconds, &c.IsLost, &agent, &c.PostprocessSeconds, &c.VirtualNumber, &c.GroupID,
		&uisLost); err != nil {
		return nil, err
	}
	if uisLost.Valid {
		c.UISLostSeconds = &uisLost.Int64
	}
	c.StartedAt = fromMicros(started)
	c.AnsweredAt, c.FinishedAt = fromNullMicros(answered), fromNullMicros(finished)
	c.AgentID = nullIDPtr(agent)
	return &c, nil
}

// ReportCalls returns the calls that started in [from, to) and pass f,
// as a report reads them.
func (db *DB) ReportCalls(ctx context.Context, from, to time.Time, f ringdesk.ReportFilter) ([]*ringdesk.ReportCall, error) {
	args := []any{micros(from), micros(to)}
	where := []string{"started_at >= $1", "started_at < $2"}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.ChannelID != 0 {
		add("channel_id = ?", f.ChannelID)
	}
	if f.VirtualNumber != "" {
		add("virtual_phone_number = ?", f.VirtualNumber)
	}
	if f.GroupID != 0 {
		add("group_id = ?", f.GroupID)
	}
	if f.AgentID != 0 {
		add("agent_id = ?", f.AgentID)
	}
	if f.Direction != "" {
		add("direction = ?", f.Direction)
	}
	return db.reportCalls(ctx, "report calls", `SELECT `+reportColumns+` FROM calls WHERE `+strings.Join(where, " AND ")+
		` ORDER BY started_at, id`, args...)
}

// after is "c started after m", in the order of (started_at, id).
const after = `(c.started_at, c.id) > (m.started_at, m.id)`

// MissedCallBacks finds, for each missed incoming call that started in
// [from, to) and passes f, the first answered call with its client after it
// and the first outgoing call to the client after it (whatever the
// filters: whoever called back counts). Each is one step down
// calls_client_idx from the missed call, so the cost grows with the missed
// calls of the period, not with the clients' later calls.
func (db *DB) MissedCallBacks(ctx context.Context, from, to time.Time, f ringdesk.ReportFilter) (map[int64]ringdesk.CallBackLinks, error) {
	args := []any{micros(from), micros(to)}
	where := []string{"m.started_at >= $1", "m.started_at < $2", "m.state = 'finished'", "m.is_lost = TRUE", "m.direction = 'in'"}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.ChannelID != 0 {
		add("m.channel_id = ?", f.ChannelID)
	}
	if f.VirtualNumber != "" {
		add("m.virtual_phone_number = ?", f.VirtualNumber)
	}
	if f.GroupID != 0 {
		add("m.group_id = ?", f.GroupID)
	}
	if f.AgentID != 0 {
		add("m.agent_id = ?", f.AgentID)
	}
	if f.Direction == ringdesk.DirectionOut {
		return map[int64]ringdesk.CallBackLinks{}, nil
	}
	rows, err := db.r.QueryContext(ctx, `SELECT m.id,
		COALESCE((SELECT c.id FROM calls c WHERE c.client_id = m.client_id AND `+after+`
			AND c.state = 'finished' AND c.answered_at IS NOT NULL AND c.is_lost = FALSE ORDER BY c.client_id, c.started_at, c.id LIMIT 1), 0),
		COALESCE((SELECT c.id FROM calls c WHERE c.client_id = m.client_id AND `+after+`
			AND c.direction = 'out' ORDER BY c.client_id, c.started_at, c.id LIMIT 1), 0)
		FROM calls m WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, wrap("missed call backs", err)
	}
	defer rows.Close()
	out := map[int64]ringdesk.CallBackLinks{}
	for rows.Next() {
		var id int64
		var l ringdesk.CallBackLinks
		if err := rows.Scan(&id, &l.AnsweredID, &l.FirstOutID); err != nil {
			return nil, wrap("missed call backs", err)
		}
		out[id] = l
	}
	return out, wrap("missed call backs", rows.Err())
}

// reportIDChunk caps the ids one query of ReportCallsByIDs names.
const reportIDChunk = 500

// ReportCallsByIDs returns the given calls as a report reads them.
func (db *DB) ReportCallsByIDs(ctx context.Context, ids []int64) ([]*ringdesk.ReportCall, error) {
	var out []*ringdesk.ReportCall
	for len(ids) > 0 {
		n := min(len(ids), reportIDChunk)
		in, args := inInt64s(nil, ids[:n])
		ids = ids[n:]
		list, err := db.reportCalls(ctx, "report calls by id", `SELECT `+reportColumns+` FROM calls WHERE id IN (`+in+`)`, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

func (db *DB) reportCalls(ctx context.Context, what, q string, args ...any) ([]*ringdesk.ReportCall, error) {
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap(what, err)
	}
	defer rows.Close()
	var out []*ringdesk.ReportCall
	for rows.Next() {
		c, err := scanReportCall(rows)
		if err != nil {
			return nil, wrap(what, err)
		}
		out = append(out, c)
	}
	return out, wrap(what, rows.Err())
}

// SolvedTickets counts the tickets solved in [from, to) per assignee,
// of those f keeps: the channel and group are the ticket's, the agent its
// assignee; a line or a direction keeps the tickets with a call on that
// line or in that direction.
func (db *DB) SolvedTickets(ctx context.Context, from, to time.Time, f ringdesk.ReportFilter) (map[int64]int, error) {
	args := []any{micros(from), micros(to)}
	where := []string{"t.solved_at >= $1", "t.solved_at < $2", "t.assignee_id IS NOT NULL"}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.ChannelID != 0 {
		add("t.channel_id = ?", f.ChannelID)
	}
	if f.GroupID != 0 {
		add("t.group_id = ?", f.GroupID)
	}
	if f.AgentID != 0 {
		add("t.assignee_id = ?", f.AgentID)
	}
	var call []string
	if f.VirtualNumber != "" {
		args = append(args, f.VirtualNumber)
		call = append(call, "c.virtual_phone_number = $"+strconv.Itoa(len(args)))
	}
	if f.Direction != "" {
		args = append(args, f.Direction)
		call = append(call, "c.direction = $"+strconv.Itoa(len(args)))
	}
	if len(call) > 0 {
		where = append(where, "EXISTS (SELECT 1 FROM calls c WHERE c.ticket_id = t.id AND "+strings.Join(call, " AND ")+")")
	}
	rows, err := db.r.QueryContext(ctx, `SELECT t.assignee_id, COUNT(*) FROM tickets t
		WHERE `+strings.Join(where, " AND ")+` GROUP BY t.assignee_id`, args...)
	if err != nil {
		return nil, wrap("solved tickets", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, wrap("solved tickets", err)
		}
		out[id] = n
	}
	return out, wrap("solved tickets", rows.Err())
}

// CallsByIDs returns the given calls newest first.
func (db *DB) CallsByIDs(ctx context.Context, ids []int64) ([]*ringdesk.Call, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := inInt64s(nil, ids)
	rows, err := db.r.QueryContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id IN (`+in+`) ORDER BY started_at DESC, id DESC`, args...)
	if err != nil {
		return nil, wrap("calls by ids", err)
	}
	defer rows.Close()
	var out []*ringdesk.Call
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, wrap("calls by ids", err)
		}
		out = append(out, c)
	}
	return out, wrap("calls by ids", rows.Err())
}

// rollupSums are the summed columns of call_report_hours, in ReportSums order.
const rollupSums = `SUM(calls), SUM(answered), SUM(answered_within), SUM(missed), SUM(short_abandoned), SUM(wait_answered),
	SUM(wait_missed), MAX(max_wait_missed), SUM(talk), SUM(handle)`

// ReportRollups sums the rollups of the UTC hours in [from, to) (whole
// hours) that pass f: per hour and direction (from the per-hour totals, or
// the agent's hours), and per agent and direction over the whole range
// (the UTC days wholly inside it from the per-day rollups, the hours at
// either end from the per-hour ones), as ringdesk.RollupInput wants them.
func (db *DB) ReportRollups(ctx context.Context, from, to time.Time, f ringdesk.ReportFilter) (hours, agents []ringdesk.ReportBucket, err error) {
	where, args := rollupWhere(f)
	hourTable := "call_report_hour_totals"
	if f.AgentID != 0 {
		hourTable = "call_report_hours"
	}
	hours, err = db.rollupBuckets(ctx, `SELECT hour_start, 0, direction, `+rollupSums+` FROM `+hourTable+`
		WHERE hour_start >= $1 AND hour_start < $2`+where+` GROUP BY hour_start, direction`, append([]any{micros(from), micros(to)}, args...)...)
	if err != nil {
		return nil, nil, err
	}
	day := 24 * time.Hour
	dayLo, dayHi := from.Add(day-time.Nanosecond).Truncate(day), to.Truncate(day)
	spans := []struct {
		table    string
		from, to time.Time
	}{{"call_report_hours", from, to}}
	if dayLo.Before(dayHi) {
		spans = []struct {
			table    string
			from, to time.Time
		}{{"call_report_hours", from, dayLo}, {"call_report_days", dayLo, dayHi}, {"call_report_hours", dayHi, to}}
	}
	sums := map[ringdesk.ReportKey]*ringdesk.ReportSums{}
	var order []ringdesk.ReportKey
	for _, sp := range spans {
		if !sp.from.Before(sp.to) {
			continue
		}
		part, err := db.rollupBuckets(ctx, `SELECT 0, agent_id, direction, `+rollupSums+` FROM `+sp.table+`
			WHERE hour_start >= $1 AND hour_start < $2 AND agent_id <> 0`+where+` GROUP BY agent_id, direction`,
			append([]any{micros(sp.from), micros(sp.to)}, args...)...)
		if err != nil {
			return nil, nil, err
		}
		for _, b := range part {
			if s := sums[b.Key]; s != nil {
				s.Add(b.Sums)
				continue
			}
			s := b.Sums
			sums[b.Key] = &s
			order = append(order, b.Key)
		}
	}
	for _, k := range order {
		agents = append(agents, ringdesk.ReportBucket{Key: k, Sums: *sums[k]})
	}
	return hours, agents, nil
}

// rollupWhere is f as conditions on a rollup table, after $1 and $2.
func rollupWhere(f ringdesk.ReportFilter) (string, []any) {
	var where string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where += " AND " + strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args)+2))
	}
	if f.ChannelID != 0 {
		add("channel_id = ?", f.ChannelID)
	}
	if f.VirtualNumber != "" {
		add("line = ?", f.VirtualNumber)
	}
	if f.GroupID != 0 {
		add("group_id = ?", f.GroupID)
	}
	if f.AgentID != 0 {
		add("agent_id = ?", f.AgentID)
	}
	if f.Direction != "" {
		add("direction = ?", f.Direction)
	}
	return where, args
}

func (db *DB) rollupBuckets(ctx context.Context, q string, args ...any) ([]ringdesk.ReportBucket, error) {
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap("report rollups", err)
	}
	defer rows.Close()
	var out []ringdesk.ReportBucket
	for rows.Next() {
		var b ringdesk.ReportBucket
		var hour int64
		s := &b.Sums
		if err := rows.Scan(&hour, &b.Key.AgentID, &b.Key.Direction, &s.Calls, &s.Answered, &s.AnsweredWithin, &s.Missed,
			&s.ShortAbandoned, &s.WaitAnswered, &s.WaitMissed, &s.MaxWaitMissed, &s.Talk, &s.Handle); err != nil {
			return nil, wrap("report rollups", err)
		}
		b.Key.Hour = fromMicros(hour)
		out = append(out, b)
	}
	return out, wrap("report rollups", rows.Err())
}

// missedCallsWhere selects the missed calls that started in [from, to),
// pass f and have column set, in a way a covering index on them
// (calls_callback_idx, calls_uis_lost_idx) answers: the filters' columns
// are in those indexes, and the unary plus keeps SQLite from walking
// another index (the agent's, the channel's) and reading the table row of
// every call it finds.
func missedCallsWhere(from, to time.Time, f ringdesk.ReportFilter, column string) (string, []any) {
	args := []any{micros(from), micros(to)}
	where := []string{"started_at >= $1", "started_at < $2", "state = 'finished'", "is_lost = TRUE", "direction = 'in'",
		column + " IS NOT NULL"}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.ChannelID != 0 {
		add("+channel_id = ?", f.ChannelID)
	}
	if f.VirtualNumber != "" {
		add("virtual_phone_number = ?", f.VirtualNumber)
	}
	if f.GroupID != 0 {
		add("+group_id = ?", f.GroupID)
	}
	if f.AgentID != 0 {
		add("+agent_id = ?", f.AgentID)
	}
	return strings.Join(where, " AND "), args
}

// ReportCallBacks returns the call backs of the missed calls that started
// in [from, to) and pass f, from the columns each missed call keeps
// (calls_callback_idx): one entry per missed call called back.
func (db *DB) ReportCallBacks(ctx context.Context, from, to time.Time, f ringdesk.ReportFilter) ([]ringdesk.MissedCallBack, error) {
	if f.Direction == ringdesk.DirectionOut {
		return nil, nil
	}
	where, args := missedCallsWhere(from, to, f, "cb_after_seconds")
	rows, err := db.r.QueryContext(ctx, `SELECT cb_after_seconds, cb_first_attempt, cb_agent_id FROM calls WHERE `+where, args...)
	if err != nil {
		return nil, wrap("report call backs", err)
	}
	defer rows.Close()
	var out []ringdesk.MissedCallBack
	for rows.Next() {
		var cb ringdesk.MissedCallBack
		var agent sql.NullInt64
		if err := rows.Scan(&cb.AfterSeconds, &cb.FirstAttempt, &agent); err != nil {
			return nil, wrap("report call backs", err)
		}
		cb.AgentID = nullIDPtr(agent)
		out = append(out, cb)
	}
	return out, wrap("report call backs", rows.Err())
}

// ReportUISCallBacks returns UIS's own times to call back
// (lost_call_processing_duration, whole seconds) of the missed calls that
// started in [from, to) and pass f, one per missed call UIS reports a time
// for, from calls_uis_lost_idx (as ReportCallBacks reads calls_callback_idx).
func (db *DB) ReportUISCallBacks(ctx context.Context, from, to time.Time, f ringdesk.ReportFilter) ([]int64, error) {
	if f.Direction == ringdesk.DirectionOut {
		return nil, nil
	}
	where, args := missedCallsWhere(from, to, f, "uis_lost_seconds")
	rows, err := db.r.QueryContext(ctx, `SELECT uis_lost_seconds FROM calls WHERE `+where, args...)
	if err != nil {
		return nil, wrap("report uis call backs", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, wrap("report uis call backs", err)
		}
		out = append(out, v)
	}
	return out, wrap("report uis call backs", rows.Err())
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// Report rollups (call_report_hours) and call-back columns (calls.cb_*),
// kept in the transaction that writes a call. The domain defines a call's
// contribution (ringdesk.ReportContribution) and its call back
// (ringdesk.CallBacksFromLinks); the store adds and subtracts.
//
// A batch of call events (batch.go) gathers its bucket changes in a
// rollupDeltas and writes them once, just before the commit, in key order:
// the rows every call of the hour touches are then locked for a moment, in
// the same order by every batcher, so concurrent batches on PostgreSQL
// cannot deadlock on them, and 256 events of one hour write a few rows.
//
// Shards. On PostgreSQL a row written in a batch stays locked until the
// batch commits, and every call of an hour adds to the same rows: the
// parallel batch writers would queue behind each other there, one commit
// and fsync at a time. So a bucket is kept as up to one row per writer
// (the shard column: the writer's number); each writer adds to its own.
// Sums are additive, so a bucket is the sum of its shards, which every
// report read takes anyway (and a row's sums may go negative when a call
// added by one writer is taken back by another). The longest wait keeps
// one invariant: the largest max_wait_missed of a bucket's rows is the
// longest wait of its missed calls. An addition raises its own row; a
// recompute (a missed call left the bucket) sets every row of the bucket,
// having locked them in shard order first, so locks are still taken in
// one global order (bucket key, then shard). compactShards folds the shards
// of hours no longer written into shard 0, so reports read one row per
// bucket there. SQLite has one writer: its rows are all shard 0.

// rollupDelta is a bucket's change in one transaction.
type rollupDelta struct {
	sums ringdesk.ReportSums
	// recompute: a missed call left the bucket (or waits less now), so its
	// longest wait is read again from the calls.
	recompute bool
}

// rollupDeltas gathers a transaction's bucket changes.
type rollupDeltas struct {
	m  map[ringdesk.ReportKey]*rollupDelta
	th map[int64]ringdesk.Thresholds
	// shard is the rows the changes are added to: the batch writer's
	// number (see rollupShards).
	shard int
}

func newRollupDeltas(shard int) *rollupDeltas {
	return &rollupDeltas{m: map[ringdesk.ReportKey]*rollupDelta{}, th: map[int64]ringdesk.Thresholds{}, shard: shard}
}

type rollupsCtxKey struct{}

func withRollups(ctx context.Context, a *rollupDeltas) context.Context {
	return context.WithValue(ctx, rollupsCtxKey{}, a)
}

func rollupsFrom(ctx context.Context) *rollupDeltas {
	a, _ := ctx.Value(rollupsCtxKey{}).(*rollupDeltas)
	return a
}

// snapshot and restore undo an item's changes when its savepoint is
// rolled back.
func (a *rollupDeltas) snapshot() map[ringdesk.ReportKey]rollupDelta {
	s := make(map[ringdesk.ReportKey]rollupDelta, len(a.m))
	for k, d := range a.m {
		s[k] = *d
	}
	return s
}

func (a *rollupDeltas) restore(s map[ringdesk.ReportKey]rollupDelta) {
	clear(a.m)
	for k, d := range s {
		a.m[k] = &d
	}
}

// thresholds reads a channel's T and S once per transaction.
func (a *rollupDeltas) thresholds(ctx context.Context, tx cachedTx, channelID int64) (ringdesk.Thresholds, error) {
	if th, ok := a.th[channelID]; ok {
		return th, nil
	}
	th, err := channelThresholds(ctx, tx, channelID)
	if err == nil {
		a.th[channelID] = th
	}
	return th, err
}

func channelThresholds(ctx context.Context, tx cachedTx, channelID int64) (ringdesk.Thresholds, error) {
	var settings string
	q := `SELECT settings FROM channels WHERE id = $1`
	if tx.db.dialect == Postgres {
		// A change of T or S rebuilds the channel's rollups in the
		// transaction that updates the channel (UpdateChannel): a batch
		// holding the row shared makes it wait, and one reading after it
		// waits for its commit, so no batch adds figures under the old
		// thresholds to rollups rebuilt under the new. SQLite has one
		// writer, which serialises them anyway.
		q += ` FOR SHARE`
	}
	err := tx.queryRow(ctx, q, channelID).Scan(&settings)
	if errors.Is(err, sql.ErrNoRows) {
		return ringdesk.DefaultThresholds, nil
	} else if err != nil {
		return ringdesk.Thresholds{}, err
	}
	var s ringdesk.UISSettings
	if err := json.Unmarshal([]byte(settings), &s); err != nil {
		return ringdesk.Thresholds{}, err
	}
	return s.Thresholds(), nil
}

// change replaces old's contribution (nil: a new call) with c's.
func (a *rollupDeltas) change(ctx context.Context, tx cachedTx, old, c *ringdesk.ReportCall) error {
	var before, after ringdesk.ReportBucket
	if old != nil {
		th, err := a.thresholds(ctx, tx, old.ChannelID)
		if err != nil {
			return err
		}
		before = ringdesk.ReportContribution(old, th)
	}
	th, err := a.thresholds(ctx, tx, c.ChannelID)
	if err != nil {
		return err
	}
	after = ringdesk.ReportContribution(c, th)
	if old != nil && before == after {
		return nil // ringing to talking, a recording added: nothing a report counts
	}
	if old != nil {
		d := a.delta(before.Key)
		s := before.Sums
		d.sums.Add(ringdesk.ReportSums{Calls: -s.Calls, Answered: -s.Answered, AnsweredWithin: -s.AnsweredWithin,
			Missed: -s.Missed, ShortAbandoned: -s.ShortAbandoned, WaitAnswered: -s.WaitAnswered,
			WaitMissed: -s.WaitMissed, Talk: -s.Talk, Handle: -s.Handle})
		if s.Missed > 0 && (after.Key != before.Key || after.Sums.MaxWaitMissed < s.MaxWaitMissed) {
			d.recompute = true
		}
	}
	a.delta(after.Key).sums.Add(after.Sums)
	return nil
}

func (a *rollupDeltas) delta(k ringdesk.ReportKey) *rollupDelta {
	d := a.m[k]
	if d == nil {
		d = &rollupDelta{}
		a.m[k] = d
	}
	return d
}

// rollupLevel is one of the rollup tables: the same columns, keyed by
// the start of its span (an hour or a UTC day), with or without the agent.
type rollupLevel struct {
	table string
	span  time.Duration
	agent bool // false: agent_id is always 0 (the calls of every agent)
}

// rollupLevels: per hour with every key (the base, and the edges of a
// period); per hour without the agent (a report's per-hour totals read one
// row per hour and direction instead of one per agent); per UTC day with
// every key (a long period's per-agent sums read a row per day).
var rollupLevels = []rollupLevel{
	{"call_report_hours", time.Hour, true},
	{"call_report_hour_totals", time.Hour, false},
	{"call_report_days", 24 * time.Hour, true},
}

// at is k's bucket at level l.
func (l rollupLevel) at(k ringdesk.ReportKey) ringdesk.ReportKey {
	k.Hour = k.Hour.Truncate(l.span)
	if !l.agent {
		k.AgentID = 0
	}
	return k
}

// flush writes the gathered changes, every level in key order, and
// forgets them.
func (a *rollupDeltas) flush(ctx context.Context, tx cachedTx) error {
	for _, l := range rollupLevels {
		m := map[ringdesk.ReportKey]*rollupDelta{}
		for k, d := range a.m {
			lk := l.at(k)
			e := m[lk]
			if e == nil {
				e = &rollupDelta{}
				m[lk] = e
			}
			e.sums.Add(d.sums)
			e.recompute = e.recompute || d.recompute
		}
		if err := l.write(ctx, tx, a.shard, m); err != nil {
			return wrap("report rollups", err)
		}
	}
	clear(a.m)
	return nil
}

func (l rollupLevel) write(ctx context.Context, tx cachedTx, shard int, m map[ringdesk.ReportKey]*rollupDelta) error {
	keys := make([]ringdesk.ReportKey, 0, len(m))
	for k, d := range m {
		if d.sums != (ringdesk.ReportSums{}) || d.recompute {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keyLess(keys[i], keys[j]) })
	t := l.table
	for _, k := range keys {
		d := m[k]
		s := d.sums
		args := bucketArgs(k)
		if d.recompute && tx.db.dialect == Postgres {
			// Every shard's row is written below: lock them in shard
			// order before this writer's own (see Shards above).
			if _, err := tx.exec(ctx, `SELECT 1 FROM `+t+` WHERE `+bucket+` ORDER BY shard FOR UPDATE`, args...); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, l.addSQL(), addArgs(k, shard, s)...); err != nil {
			return err
		}
		if d.recompute {
			// The bucket's missed calls, as the contribution defines them.
			agent := "COALESCE(agent_id, 0) = $5"
			if !l.agent {
				agent = "$5 = 0"
			}
			if _, err := tx.exec(ctx, `UPDATE `+t+` SET max_wait_missed = COALESCE((SELECT MAX(wait_seconds) FROM calls
				WHERE started_at >= $1 AND started_at < $7 AND channel_id = $2 AND virtual_phone_number = $3
				AND COALESCE(group_id, 0) = $4 AND `+agent+` AND direction = $6
				AND state = 'finished' AND is_lost = TRUE AND direction = 'in'), 0)
				WHERE `+bucket, append(args, micros(k.Hour.Add(l.span)))...); err != nil {
				return err
			}
		}
		if s.Calls < 0 {
			// A row that adds nothing any more; with shards, calls = 0
			// alone does not say so.
			if _, err := tx.exec(ctx, `DELETE FROM `+t+` WHERE `+bucket+` AND shard = $7 AND calls = 0 AND answered = 0
				AND answered_within = 0 AND missed = 0 AND short_abandoned = 0 AND wait_answered = 0 AND wait_missed = 0
				AND talk = 0 AND handle = 0`, append(args, shard)...); err != nil {
				return err
			}
		}
	}
	return nil
}

// bucket selects a bucket's rows (all its shards) by bucketArgs.
const bucket = `hour_start = $1 AND channel_id = $2 AND line = $3 AND group_id = $4 AND agent_id = $5 AND direction = $6`

func bucketArgs(k ringdesk.ReportKey) []any {
	return []any{micros(k.Hour), k.ChannelID, k.VirtualNumber, k.GroupID, k.AgentID, k.Direction}
}

// addSQL adds sums to a bucket's row of one shard, making it when missing
// (arguments: addArgs).
func (l rollupLevel) addSQL() string {
	t := l.table
	return `INSERT INTO ` + t + ` (hour_start, channel_id, line, group_id, agent_id, direction, shard,
		calls, answered, answered_within, missed, short_abandoned, wait_answered, wait_missed, max_wait_missed, talk, handle)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		ON CONFLICT (hour_start, direction, channel_id, line, group_id, agent_id, shard) DO UPDATE SET
		calls = ` + t + `.calls + excluded.calls, answered = ` + t + `.answered + excluded.answered,
		answered_within = ` + t + `.answered_within + excluded.answered_within, missed = ` + t + `.missed + excluded.missed,
		short_abandoned = ` + t + `.short_abandoned + excluded.short_abandoned,
		wait_answered = ` + t + `.wait_answered + excluded.wait_answered, wait_missed = ` + t + `.wait_missed + excluded.wait_missed,
		max_wait_missed = CASE WHEN excluded.max_wait_missed > ` + t + `.max_wait_missed
			THEN excluded.max_wait_missed ELSE ` + t + `.max_wait_missed END,
		talk = ` + t + `.talk + excluded.talk, handle = ` + t + `.handle + excluded.handle`
}

func addArgs(k ringdesk.ReportKey, shard int, s ringdesk.ReportSums) []any {
	return append(bucketArgs(k), shard, s.Calls, s.Answered, s.AnsweredWithin, s.Missed, s.ShortAbandoned, s.WaitAnswered,
		s.WaitMissed, s.MaxWaitMissed, s.Talk, s.Handle)
}

func keyLess(a, b ringdesk.ReportKey) bool {
	switch {
	case !a.Hour.Equal(b.Hour):
		return a.Hour.Before(b.Hour)
	case a.ChannelID != b.ChannelID:
		return a.ChannelID < b.ChannelID
	case a.VirtualNumber != b.VirtualNumber:
		return a.VirtualNumber < b.VirtualNumber
	case a.GroupID != b.GroupID:
		return a.GroupID < b.GroupID
	case a.AgentID != b.AgentID:
		return a.AgentID < b.AgentID
	}
	return a.Direction < b.Direction
}

// affectsCallBacks: a call that may be another call's call back or first
// attempt (answered, or outgoing).
func affectsCallBacks(c *ringdesk.ReportCall) bool {
	return c != nil && (c.Answered() || c.Direction == ringdesk.DirectionOut)
}

// callPos is a call's place in the order call backs are found in.
type callPos struct {
	started time.Time
	id      int64
}

func (p callPos) before(q callPos) bool {
	return p.started.Before(q.started) || p.started.Equal(q.started) && p.id < q.id
}

// callBacksAfterWrite keeps the call-back columns right after call c
// (old: as it was; nil when new) was written: c's own, when it is or was
// missed, and those of the client's missed calls c may now call back or
// no longer does. Those are the client's missed calls before c still
// waiting, or whose call back started at or after c (an earlier call back
// is unaffected: the first answered call after the miss comes before c).
func callBacksAfterWrite(ctx context.Context, tx cachedTx, old, c *ringdesk.ReportCall) error {
	if old != nil && old.Missed() || c.Missed() {
		if err := recomputeCallBacks(ctx, tx, []int64{c.ID}); err != nil {
			return err
		}
	}
	if !affectsCallBacks(old) && !affectsCallBacks(c) {
		return nil
	}
	lo, hi := callPos{c.StartedAt, c.ID}, callPos{c.StartedAt, c.ID}
	clients := []int64{c.ClientID}
	if old != nil {
		if p := (callPos{old.StartedAt, old.ID}); p.before(lo) {
			lo = p
		} else {
			hi = p
		}
		if old.ClientID != c.ClientID {
			clients = append(clients, old.ClientID)
		}
	}
	for _, client := range clients {
		ids, err := int64sOfTx(ctx, tx, `SELECT id FROM calls WHERE client_id = $1 AND state = 'finished' AND is_lost = TRUE
			AND direction = 'in' AND cb_call_id IS NULL AND (started_at < $2 OR started_at = $2 AND id < $3)
			UNION ALL
			SELECT id FROM calls WHERE client_id = $1 AND state = 'finished' AND is_lost = TRUE AND direction = 'in'
			AND cb_call_id IS NOT NULL AND cb_started_at >= $4 AND (started_at < $2 OR started_at = $2 AND id < $3)`,
			client, micros(hi.started), hi.id, micros(lo.started))
		if err != nil {
			return err
		}
		if err := recomputeCallBacks(ctx, tx, ids); err != nil {
			return err
		}
	}
	return nil
}

func int64sOfTx(ctx context.Context, tx cachedTx, q string, args ...any) ([]int64, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// recomputeCallBacks sets the call-back columns of calls ids (NULL for a
// call that is not missed or not called back) as ringdesk.CallBacks
// defines them, reading the links as MissedCallBacks does.
func recomputeCallBacks(ctx context.Context, tx cachedTx, ids []int64) error {
	for _, id := range ids {
		rows, err := tx.query(ctx, `SELECT `+reportColumns+`, cb_call_id, cb_started_at, cb_after_seconds, cb_first_attempt, cb_agent_id,
			COALESCE((SELECT c.id FROM calls c WHERE c.client_id = m.client_id AND `+after+`
				AND c.state = 'finished' AND c.answered_at IS NOT NULL AND c.is_lost = FALSE ORDER BY c.client_id, c.started_at, c.id LIMIT 1), 0),
			COALESCE((SELECT c.id FROM calls c WHERE c.client_id = m.client_id AND `+after+`
				AND c.direction = 'out' ORDER BY c.client_id, c.started_at, c.id LIMIT 1), 0)
			FROM calls m WHERE m.id = $1`, id)
		if err != nil {
			return err
		}
		var m ringdesk.ReportCall
		var started int64
		var answered, finished, agent, uisLost, cbID, cbStarted, cbAfter, cbAgent sql.NullInt64
		var cbFirst bool
		var l ringdesk.CallBackLinks
		found := rows.Next()
		if found {
			err = rows.Scan(&m.ID, &m.ChannelID, &m.ClientID, &m.Direction, &m.State, &started, &answered, &finished,
				&m.WaitSeconds, &m.TalkSeconds, &m.TotalSeconds, &m.IsLost, &agent, &m.PostprocessSeconds, &m.VirtualNumber,
				&m.GroupID, &uisLost, &cbID, &cbStarted, &cbAfter, &cbFirst, &cbAgent, &l.AnsweredID, &l.FirstOutID)
		}
		if err == nil {
			err = rows.Err()
		}
		rows.Close()
		if err != nil {
			return err
		}
		if !found {
			continue
		}
		m.StartedAt, m.AnsweredAt, m.FinishedAt, m.AgentID = fromMicros(started), fromNullMicros(answered), fromNullMicros(finished), nullIDPtr(agent)
		byID := map[int64]*ringdesk.ReportCall{}
		var byStarted sql.NullInt64
		if m.Missed() && l.AnsweredID != 0 {
			by, err := reportCallTx(ctx, tx, l.AnsweredID)
			if err != nil {
				return err
			}
			byID[by.ID] = by
			byStarted = sql.NullInt64{Int64: micros(by.StartedAt), Valid: true}
		}
		res := ringdesk.CallBacksFromLinks([]*ringdesk.ReportCall{&m}, map[int64]ringdesk.CallBackLinks{m.ID: l}, byID)[m.ID]
		cb := ringdesk.CallBackColumns(res)
		var newID, newAfter, newAgent sql.NullInt64
		newFirst := false
		if cb != nil {
			newID = sql.NullInt64{Int64: res.By.ID, Valid: true}
			newAfter = sql.NullInt64{Int64: cb.AfterSeconds, Valid: true}
			newAgent, newFirst = nullInt(cb.AgentID), cb.FirstAttempt
		}
		if newID == cbID && byStarted == cbStarted && newAfter == cbAfter && newAgent == cbAgent && newFirst == cbFirst {
			continue
		}
		if _, err := tx.exec(ctx, `UPDATE calls SET cb_call_id = $1, cb_started_at = $2, cb_after_seconds = $3,
			cb_first_attempt = $4, cb_agent_id = $5 WHERE id = $6`, newID, byStarted, newAfter, newFirst, newAgent, id); err != nil {
			return err
		}
	}
	return nil
}

func reportCallTx(ctx context.Context, tx cachedTx, id int64) (*ringdesk.ReportCall, error) {
	rows, err := tx.query(ctx, `SELECT `+reportColumns+` FROM calls WHERE id = $1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, errors.Join(rows.Err(), sql.ErrNoRows)
	}
	return scanReportCall(rows)
}

// RebuildReports rebuilds the rollups and the call-back columns of the
// given channels' calls (every channel when none is given): `ringdesk
// reports rebuild`, and at start for data stored before the rollups.
func (db *DB) RebuildReports(ctx context.Context, channelIDs ...int64) error {
	if len(channelIDs) == 0 {
		ids, err := int64sOf(ctx, db.r, `SELECT id FROM channels ORDER BY id`)
		if err != nil {
			return wrap("rebuild reports", err)
		}
		channelIDs = ids
	}
	for _, id := range channelIDs {
		err := db.tx(ctx, func(tx *sql.Tx) error {
			ct := db.cached(tx)
			if db.dialect == Postgres {
				// One rebuild of a channel at a time (instances starting
				// together), and none while a batch writes its calls
				// (batches hold the row shared: channelThresholds).
				if _, err := tx.ExecContext(ctx, `SELECT id FROM channels WHERE id = $1 FOR UPDATE`, id); err != nil {
					return err
				}
			}
			if err := rebuildRollups(ctx, ct, id); err != nil {
				return err
			}
			missed, err := int64sOf(ctx, tx, `SELECT id FROM calls WHERE channel_id = $1 AND state = 'finished'
				AND is_lost = TRUE AND direction = 'in'`, id)
			if err != nil {
				return err
			}
			if err := recomputeCallBacks(ctx, ct, missed); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `DELETE FROM report_rebuild WHERE channel_id = $1`, id)
			return err
		})
		if err != nil {
			return wrap("rebuild reports", err)
		}
	}
	return nil
}

// rebuildPendingReports rebuilds the channels migration 0060 listed.
func (db *DB) rebuildPendingReports(ctx context.Context) error {
	ids, err := int64sOf(ctx, db.r, `SELECT channel_id FROM report_rebuild ORDER BY channel_id`)
	if err != nil || len(ids) == 0 {
		return wrap("rebuild reports", err)
	}
	return db.RebuildReports(ctx, ids...)
}

// rebuildRollups replaces a channel's rollups with the sums of its calls
// under its current thresholds.
func rebuildRollups(ctx context.Context, tx cachedTx, channelID int64) error {
	th, err := channelThresholds(ctx, tx, channelID)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+reportColumns+` FROM calls WHERE channel_id = $1`, channelID)
	if err != nil {
		return err
	}
	sums := map[ringdesk.ReportKey]*ringdesk.ReportSums{}
	for rows.Next() {
		c, err := scanReportCall(rows)
		if err != nil {
			rows.Close()
			return err
		}
		b := ringdesk.ReportContribution(c, th)
		s := sums[b.Key]
		if s == nil {
			s = &ringdesk.ReportSums{}
			sums[b.Key] = s
		}
		s.Add(b.Sums)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, l := range rollupLevels {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+l.table+` WHERE channel_id = $1`, channelID); err != nil {
			return err
		}
	}
	a := newRollupDeltas(0)
	for k, s := range sums {
		a.m[k] = &rollupDelta{sums: *s}
	}
	return a.flush(ctx, tx)
}

// compactAfter is how long after a bucket's span ended (its hour, or its
// UTC day) its shards are folded together: by then batches rarely write it
// (late events and reconciliation's repairs still may, into new shard rows,
// folded at the next run).
const compactAfter = 2 * time.Hour

// compactChunk is how many buckets one folding transaction takes.
const compactChunk = 200

// CompactReportShards folds the rollup rows of buckets whose span ended
// compactAfter before now into shard 0, so reports read one row per bucket
// there (see Shards above). It locks as batches do: buckets in key order,
// and a bucket's rows in shard order (shard 0 first), so it cannot deadlock
// with them. SQLite writes only shard 0: nothing to do.
func (db *DB) CompactReportShards(ctx context.Context, now time.Time) error {
	if db.dialect != Postgres {
		return nil
	}
	for _, l := range rollupLevels {
		keys, err := l.shardedBuckets(ctx, db.r, now.Add(-compactAfter-l.span))
		if err != nil {
			return wrap("compact report shards", err)
		}
		for len(keys) > 0 {
			chunk := keys[:min(len(keys), compactChunk)]
			keys = keys[len(chunk):]
			err := db.tx(ctx, func(tx *sql.Tx) error {
				for _, k := range chunk {
					if err := l.fold(ctx, tx, k); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return wrap("compact report shards", err)
			}
		}
	}
	return nil
}

// shardedBuckets lists, in key order, the buckets of l that started before
// before and have rows outside shard 0.
func (l rollupLevel) shardedBuckets(ctx context.Context, q *sql.DB, before time.Time) ([]ringdesk.ReportKey, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT hour_start, channel_id, line, group_id, agent_id, direction FROM `+l.table+`
		WHERE shard <> 0 AND hour_start < $1`, micros(before))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []ringdesk.ReportKey
	for rows.Next() {
		var k ringdesk.ReportKey
		var hour int64
		if err := rows.Scan(&hour, &k.ChannelID, &k.VirtualNumber, &k.GroupID, &k.AgentID, &k.Direction); err != nil {
			return nil, err
		}
		k.Hour = fromMicros(hour).UTC()
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keyLess(keys[i], keys[j]) })
	return keys, rows.Err()
}

// fold adds the sums of bucket k's rows outside shard 0 to its shard-0 row
// (made when missing: a concurrent insert of it by writer 0 is then added
// to, not overwritten) and deletes them.
func (l rollupLevel) fold(ctx context.Context, tx *sql.Tx, k ringdesk.ReportKey) error {
	t := l.table
	args := bucketArgs(k)
	rows, err := tx.QueryContext(ctx, `SELECT shard, calls, answered, answered_within, missed, short_abandoned, wait_answered,
		wait_missed, max_wait_missed, talk, handle FROM `+t+` WHERE `+bucket+` ORDER BY shard FOR UPDATE`, args...)
	if err != nil {
		return err
	}
	var sum ringdesk.ReportSums
	sharded := false
	for rows.Next() {
		var shard int
		var r ringdesk.ReportSums
		if err := rows.Scan(&shard, &r.Calls, &r.Answered, &r.AnsweredWithin, &r.Missed, &r.ShortAbandoned, &r.WaitAnswered,
			&r.WaitMissed, &r.MaxWaitMissed, &r.Talk, &r.Handle); err != nil {
			rows.Close()
			return err
		}
		if shard != 0 {
			sum.Add(r)
			sharded = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || !sharded {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE `+bucket+` AND shard <> 0`, args...); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, l.addSQL(), addArgs(k, 0, sum)...)
	return err
}

package ringdesk

import (
	"sort"
	"time"
)

// Report rollups: the additive figures of the calls that started in one
// UTC hour, per (channel, line, group, agent, direction). A call adds its
// contribution (ReportContribution) to its bucket when it is written and
// takes its old one away, so a report of whole hours sums buckets instead of
// reading calls (BuildRollupReport). BuildCallReport over the calls stays
// the definition; a test holds the two equal.
//
// The longest wait of missed calls is a maximum, which does not subtract:
// a bucket keeps MaxWaitMissed, and when a call whose wait equals it leaves
// the bucket (or waits less now) the store recomputes that one bucket from
// its calls (a few hundred at most, by calls_started_idx). Counts per wait
// bucket would avoid the read but not give the exact seconds.

// ReportKey names a rollup bucket. Zero GroupID/AgentID stand for none.
type ReportKey struct {
	Hour          time.Time // the UTC hour the calls started in
	ChannelID     int64
	VirtualNumber string
	GroupID       int64
	AgentID       int64
	Direction     string
}

// ReportSums are the additive figures of a bucket. For incoming calls
// Calls is offered; for outgoing, attempts.
type ReportSums struct {
	Calls          int64
	Answered       int64
	AnsweredWithin int64
	Missed         int64
	ShortAbandoned int64
	WaitAnswered   int64 // wait of answered calls (ASA)
	WaitMissed     int64 // wait of missed calls
	MaxWaitMissed  int64 // longest wait of a missed call (see above)
	Talk           int64 // talk of answered calls
	Handle         int64 // talk + after-call work of answered calls
}

// ReportBucket is one rollup row.
type ReportBucket struct {
	Key  ReportKey
	Sums ReportSums
}

// HourStart is the UTC hour t falls in.
func HourStart(t time.Time) time.Time { return t.UTC().Truncate(time.Hour) }

// ReportContribution is what one call adds to its bucket under th.
func ReportContribution(c *ReportCall, th Thresholds) ReportBucket {
	k := ReportKey{Hour: HourStart(c.StartedAt), ChannelID: c.ChannelID, VirtualNumber: c.VirtualNumber,
		GroupID: c.GroupID, Direction: c.Direction}
	if c.AgentID != nil {
		k.AgentID = *c.AgentID
	}
	s := ReportSums{Calls: 1}
	switch {
	case c.Answered():
		s.Answered, s.Talk, s.Handle = 1, c.TalkSeconds, c.TalkSeconds+c.PostprocessSeconds
		if c.Direction == DirectionIn {
			s.WaitAnswered = c.WaitSeconds
			if c.AnsweredWithin(th) {
				s.AnsweredWithin = 1
			}
		}
	case c.Missed():
		s.Missed, s.WaitMissed, s.MaxWaitMissed = 1, c.WaitSeconds, c.WaitSeconds
		if c.ShortAbandon(th) {
			s.ShortAbandoned = 1
		}
	}
	return ReportBucket{Key: k, Sums: s}
}

// Add adds o to s (the maximum for MaxWaitMissed).
func (s *ReportSums) Add(o ReportSums) {
	s.Calls += o.Calls
	s.Answered += o.Answered
	s.AnsweredWithin += o.AnsweredWithin
	s.Missed += o.Missed
	s.ShortAbandoned += o.ShortAbandoned
	s.WaitAnswered += o.WaitAnswered
	s.WaitMissed += o.WaitMissed
	s.MaxWaitMissed = max(s.MaxWaitMissed, o.MaxWaitMissed)
	s.Talk += o.Talk
	s.Handle += o.Handle
}

// Rollup sums the contributions of calls into buckets (what a rebuild
// writes), thresholds per channel as in ReportInput.
func Rollup(calls []*ReportCall, th map[int64]Thresholds) map[ReportKey]*ReportSums {
	out := map[ReportKey]*ReportSums{}
	for _, c := range calls {
		t, ok := th[c.ChannelID]
		if !ok {
			t = DefaultThresholds
		}
		b := ReportContribution(c, t)
		s := out[b.Key]
		if s == nil {
			s = &ReportSums{}
			out[b.Key] = s
		}
		s.Add(b.Sums)
	}
	return out
}

// MissedCallBack is what a report reads of one missed call's call back
// (the columns the store keeps on the missed call).
type MissedCallBack struct {
	// AfterSeconds is CallBackResult.After in whole seconds.
	AfterSeconds int64
	FirstAttempt bool
	// AgentID is the agent of the call back (nil: none).
	AgentID *int64
}

// RollupInput is what BuildRollupReport reads: buckets of the period's
// whole UTC hours (RollupExpressible), summed two ways by the store.
type RollupInput struct {
	Period ReportPeriod
	// Hours are summed per hour and direction (other key fields zero).
	Hours []ReportBucket
	// Agents are summed over the period per agent and direction (Hour
	// zero; the calls of no agent left out).
	Agents []ReportBucket
	// Backs are the call backs of the period's missed calls (only those
	// called back).
	Backs []MissedCallBack
	// UISBacks are UIS's times to call back of the period's missed calls
	// (ReportCall.UISLostSeconds; only those UIS reports one for).
	UISBacks []int64
	Solved   map[int64]int
}

// RollupExpressible reports whether a period's hours map onto UTC hours
// in its zone: every hour of it has an offset of whole hours, so each UTC
// hour lies in one local hour and one local day. Other zones (India,
// Nepal, parts of Australia) read the calls.
func RollupExpressible(p ReportPeriod) bool {
	for t := p.Start(); t.Before(p.End()); t = t.Add(time.Hour) {
		if _, off := t.In(p.Zone).Zone(); off%3600 != 0 {
			return false
		}
	}
	_, off := p.End().In(p.Zone).Zone()
	return off%3600 == 0
}

// BuildRollupReport computes the figures BuildCallReport computes, from
// buckets of whole UTC hours within the period (RollupExpressible).
func BuildRollupReport(in RollupInput) *CallFigures {
	p := in.Period
	r := newCallFigures(p)
	agents := map[int64]*AgentFigures{}
	agent := func(id int64) *AgentFigures {
		a := agents[id]
		if a == nil {
			a = &AgentFigures{AgentID: id}
			agents[id] = a
		}
		return a
	}
	var asaSum, missedWaitSum, handleSum, answered int64
	for _, b := range in.Agents {
		s, a := b.Sums, agent(b.Key.AgentID)
		a.TalkSeconds += s.Talk
		a.handled += int(s.Answered)
		a.handleSecs += s.Handle
		if b.Key.Direction == DirectionOut {
			a.Outgoing += int(s.Calls)
			a.OutAnswered += int(s.Answered)
		} else {
			a.Answered += int(s.Answered)
		}
	}
	for _, b := range in.Hours {
		if !p.Contains(b.Key.Hour) {
			continue
		}
		s, local := b.Sums, b.Key.Hour.In(p.Zone)
		answered += s.Answered
		r.Talk.TotalSeconds += s.Talk
		handleSum += s.Handle
		if b.Key.Direction == DirectionOut {
			r.Outbound.Attempts += int(s.Calls)
			r.Outbound.Answered += int(s.Answered)
			r.Outbound.TalkSeconds += s.Talk
			continue
		}
		day := &r.ByDay[p.dayIndex(b.Key.Hour)]
		in1 := &r.Inbound
		in1.Offered += int(s.Calls)
		in1.Answered += int(s.Answered)
		in1.AnsweredWithin += int(s.AnsweredWithin)
		in1.Missed += int(s.Missed)
		in1.ShortAbandoned += int(s.ShortAbandoned)
		in1.LongestWaitSeconds = max(in1.LongestWaitSeconds, s.MaxWaitMissed)
		day.Offered += int(s.Calls)
		day.Answered += int(s.Answered)
		day.AnsweredWithin += int(s.AnsweredWithin)
		day.Missed += int(s.Missed)
		day.ShortAbandoned += int(s.ShortAbandoned)
		r.ByHour[local.Hour()].Answered += int(s.Answered)
		r.ByHour[local.Hour()].Missed += int(s.Missed)
		r.Heat[Weekday(local)][local.Hour()] += int(s.Missed)
		asaSum += s.WaitAnswered
		missedWaitSum += s.WaitMissed
	}
	in1 := &r.Inbound
	in1.ServiceLevel = ServiceLevel(in1.AnsweredWithin, in1.Answered, in1.Missed, in1.ShortAbandoned)
	in1.ASASeconds = average(asaSum, in1.Answered)
	in1.MissedWaitSeconds = average(missedWaitSum, in1.Missed)
	r.Talk.AvgSeconds = average(r.Talk.TotalSeconds, int(answered))
	r.Talk.AHTSeconds = average(handleSum, int(answered))
	for i := range r.ByDay {
		d := &r.ByDay[i]
		d.ServiceLevel = ServiceLevel(d.AnsweredWithin, d.Answered, d.Missed, d.ShortAbandoned)
	}
	f := &r.CallBacks
	f.Missed = in1.Missed
	after := make([]int64, 0, len(in.Backs))
	for _, cb := range in.Backs {
		f.CalledBack++
		after = append(after, cb.AfterSeconds)
		if cb.FirstAttempt {
			f.FirstAttempt++
		}
		if cb.AgentID != nil {
			agent(*cb.AgentID).CallBacks++
		}
	}
	f.Never = f.Missed - f.CalledBack
	f.Rate = ratio(f.CalledBack, f.Missed)
	f.MedianSeconds = Percentile(after, 0.5)
	f.P90Seconds = Percentile(after, 0.9)
	f.setUIS(in.UISBacks)
	for id, n := range in.Solved {
		agent(id).TicketsSolve += n
	}
	for _, a := range agents {
		a.AHTSeconds = average(a.handleSecs, a.handled)
		r.Agents = append(r.Agents, *a)
	}
	sort.Slice(r.Agents, func(i, j int) bool { return r.Agents[i].AgentID < r.Agents[j].AgentID })
	return r
}

// CallBackColumns are the call-back columns of a missed call as
// CallBacksFromLinks defines them (nil By: never called back).
func CallBackColumns(res CallBackResult) *MissedCallBack {
	if res.By == nil {
		return nil
	}
	return &MissedCallBack{AfterSeconds: int64(res.After / time.Second), FirstAttempt: res.FirstAttempt, AgentID: res.By.AgentID}
}

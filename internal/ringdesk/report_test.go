package ringdesk

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// reportCalls builds report calls for the tests: times are minutes after
// t0, waits and talks seconds.
type rc struct {
	id, client int64
	dir        string
	at         time.Time
	wait, talk int64
	lost       bool
	answered   bool
	agent      int64
	channel    int64
	post       int64
	unfinished bool
}

func (c rc) call() *ReportCall {
	r := &ReportCall{ID: c.id, ChannelID: c.channel, ClientID: c.client, Direction: c.dir, State: CallFinished,
		StartedAt: c.at, WaitSeconds: c.wait, TalkSeconds: c.talk, IsLost: c.lost, PostprocessSeconds: c.post,
	}
	if r.Direction == "" {
		r.Direction = DirectionIn
	}
	if c.unfinished {
		r.State = CallRinging
	}
	if c.answered {
		a := c.at.Add(time.Duration(c.wait) * time.Second)
		r.AnsweredAt = &a
	}
	end := c.at.Add(time.Duration(c.wait+c.talk) * time.Second)
	r.FinishedAt = &end
	r.TotalSeconds = c.wait + c.talk
	if c.agent != 0 {
		a := c.agent
		r.AgentID = &a
	}
	return r
}

func calls(list ...rc) []*ReportCall {
	out := make([]*ReportCall, len(list))
	for i, c := range list {
		out[i] = c.call()
	}
	return out
}

var msk = mustZone("Europe/Moscow")

func mustZone(name string) *time.Location {
	l, ok := LoadLocation(name)
	if !ok {
		panic(name)
	}
	return l
}

func day(y int, m time.Month, d int, zone *time.Location) ReportPeriod {
	p, err := NewReportPeriod(time.Date(y, m, d, 0, 0, 0, 0, zone), time.Date(y, m, d, 0, 0, 0, 0, zone), zone)
	if err != nil {
		panic(err)
	}
	return p
}

func f64(v float64) *float64 { return &v }
func i64(v int64) *int64     { return &v }

func TestReportInboundDefinitions(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, msk) // a Monday
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	p := day(2026, 11, 2, msk)
	cases := []struct {
		name  string
		calls []*ReportCall
		th    map[int64]Thresholds
		want  InboundFigures
	}{
		{name: "nothing: no rates", want: InboundFigures{}},
		{name: "answered at 19 s is within T, at 21 s is not; at 20 s is (within includes T)",
			calls: calls(rc{id: 1, client: 1, at: at(0), wait: 19, answered: true, talk: 60},
				rc{id: 2, client: 2, at: at(1), wait: 21, answered: true, talk: 30},
				rc{id: 3, client: 3, at: at(2), wait: 20, answered: true, talk: 30}),
			want: InboundFigures{Offered: 3, Answered: 3, AnsweredWithin: 2, ServiceLevel: f64(2.0 / 3), ASASeconds: f64(20)}},
		{name: "abandoned at 4 s is a short abandon, left out of SL; at 40 s lowers it",
			calls: calls(rc{id: 1, client: 1, at: at(0), wait: 19, answered: true},
				rc{id: 2, client: 2, at: at(1), wait: 4, lost: true},
				rc{id: 3, client: 3, at: at(2), wait: 40, lost: true}),
			want: InboundFigures{Offered: 3, Answered: 1, AnsweredWithin: 1, Missed: 2, ShortAbandoned: 1,
				ServiceLevel: f64(0.5), ASASeconds: f64(19), MissedWaitSeconds: f64(22), LongestWaitSeconds: 40}},
		{name: "abandoned at exactly S is short",
			calls: calls(rc{id: 2, client: 2, at: at(1), wait: 5, lost: true}),
			want:  InboundFigures{Offered: 1, Missed: 1, ShortAbandoned: 1, MissedWaitSeconds: f64(5), LongestWaitSeconds: 5}},
		{name: "the channel's own T and S",
			th: map[int64]Thresholds{7: {AnswerWithin: 30, ShortAbandon: 10}},
			calls: calls(rc{id: 1, client: 1, at: at(0), wait: 25, answered: true, channel: 7},
				rc{id: 2, client: 2, at: at(1), wait: 8, lost: true, channel: 7},
				rc{id: 3, client: 3, at: at(2), wait: 25, answered: true, channel: 8}),
			want: InboundFigures{Offered: 3, Answered: 2, AnsweredWithin: 1, Missed: 1, ShortAbandoned: 1,
				ServiceLevel: f64(0.5), ASASeconds: f64(25), MissedWaitSeconds: f64(8), LongestWaitSeconds: 8}},
		{name: "a call still ringing is offered but neither answered nor missed",
			calls: calls(rc{id: 1, client: 1, at: at(0), wait: 3, unfinished: true}),
			want:  InboundFigures{Offered: 1}},
		{name: "outgoing calls are not inbound",
			calls: calls(rc{id: 1, client: 1, dir: DirectionOut, at: at(0), answered: true, talk: 10}),
			want:  InboundFigures{}},
		{name: "calls of other days do not count",
			calls: calls(rc{id: 1, client: 1, at: at(-10*60 - 1), answered: true}, rc{id: 2, client: 1, at: at(14 * 60), lost: true}),
			want:  InboundFigures{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := BuildCallReport(ReportInput{Period: p, Calls: c.calls, Thresholds: c.th}).Inbound
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %s\nwant %s", dump(got), dump(c.want))
			}
		})
	}
}

func TestReportTalkOutboundAndAgents(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, msk)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	in := ReportInput{Period: day(2026, 11, 2, msk), Calls: calls(
		rc{id: 1, client: 1, at: at(0), wait: 10, answered: true, talk: 100, agent: 1, post: 20},
		rc{id: 2, client: 2, at: at(5), wait: 30, lost: true},
		rc{id: 3, client: 2, dir: DirectionOut, at: at(10), wait: 8, answered: true, talk: 50, agent: 2},
		rc{id: 4, client: 3, dir: DirectionOut, at: at(20), wait: 30, agent: 2},
	), Solved: map[int64]int{1: 3}}
	r := BuildCallReport(in)
	if want := (TalkFigures{TotalSeconds: 150, AvgSeconds: f64(75), AHTSeconds: f64(85)}); !reflect.DeepEqual(r.Talk, want) {
		t.Errorf("talk %s, want %s", dump(r.Talk), dump(want))
	}
	if want := (OutboundFigures{Attempts: 2, Answered: 1, TalkSeconds: 50}); r.Outbound != want {
		t.Errorf("outbound %+v, want %+v", r.Outbound, want)
	}
	want := []AgentFigures{
		{AgentID: 1, Answered: 1, TalkSeconds: 100, AHTSeconds: f64(120), TicketsSolve: 3, handled: 1, handleSecs: 120},
		{AgentID: 2, Outgoing: 2, OutAnswered: 1, TalkSeconds: 50, AHTSeconds: f64(50), CallBacks: 1, handled: 1, handleSecs: 50},
	}
	if !reflect.DeepEqual(r.Agents, want) {
		t.Errorf("agents %s\nwant %s", dump(r.Agents), dump(want))
	}
}

func TestCallBacks(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, msk)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	missed := rc{id: 1, client: 1, at: at(0), wait: 60, lost: true} // ends at 10:01
	cases := []struct {
		name   string
		calls  []*ReportCall
		later  []*ReportCall
		want   *int64 // the call back's id
		after  time.Duration
		first  bool
		uisLen int
	}{
		{name: "never called back", calls: calls(missed)},
		{name: "an answered outgoing call to the client, first attempt: from the miss's end to the call's start",
			calls: calls(missed), later: calls(rc{id: 2, client: 1, dir: DirectionOut, at: at(11), wait: 5, answered: true, agent: 4}),
			want: i64(2), after: 10 * time.Minute, first: true},
		{name: "the second attempt reaches them",
			calls: calls(missed), later: calls(rc{id: 2, client: 1, dir: DirectionOut, at: at(5), wait: 30, agent: 4},
				rc{id: 3, client: 1, dir: DirectionOut, at: at(31), wait: 5, answered: true, agent: 4}),
			want: i64(3), after: 30 * time.Minute},
		{name: "the client calls again and is answered",
			calls: calls(missed), later: calls(rc{id: 2, client: 1, at: at(61), wait: 5, answered: true, agent: 4}),
			want: i64(2), after: time.Hour},
		{name: "another missed call from them is no call back",
			calls: calls(missed, rc{id: 2, client: 1, at: at(3), wait: 9, lost: true})},
		{name: "a call with another client is not",
			calls: calls(missed), later: calls(rc{id: 2, client: 2, dir: DirectionOut, at: at(5), answered: true})},
		{name: "an answered call before the miss is not",
			calls: calls(rc{id: 0, client: 1, at: at(-5), answered: true, wait: 1}, missed)},
		{name: "a call back on a later day counts (later holds it)",
			calls: calls(missed), later: calls(rc{id: 9, client: 1, dir: DirectionOut, at: at(24 * 60), answered: true}),
			want: i64(9), after: 24*time.Hour - time.Minute, first: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := CallBacks(c.calls, c.later)[1]
			var got *int64
			if res.By != nil {
				got = &res.By.ID
			}
			if !reflect.DeepEqual(got, c.want) || res.After != c.after || res.FirstAttempt != c.first {
				t.Errorf("got by %v after %v first %v, want %v %v %v", dump(got), res.After, res.FirstAttempt, dump(c.want), c.after, c.first)
			}
		})
	}
}

func TestReportCallBackFigures(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, msk)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	// Four missed calls (clients 1-4, each 0 s wait so they end as they start):
	// 1 called back after 10 min at once, 2 after 30 min at the second try,
	// 3 called again after 60 min and answered, 4 never.
	in := ReportInput{Period: day(2026, 11, 2, msk), Calls: calls(
		rc{id: 1, client: 1, at: at(0), lost: true},
		rc{id: 2, client: 2, at: at(0), lost: true},
		rc{id: 3, client: 3, at: at(0), lost: true},
		rc{id: 4, client: 4, at: at(0), lost: true},
	), Later: calls(
		rc{id: 11, client: 1, dir: DirectionOut, at: at(10), answered: true, agent: 5},
		rc{id: 21, client: 2, dir: DirectionOut, at: at(20), agent: 5},
		rc{id: 22, client: 2, dir: DirectionOut, at: at(30), answered: true, agent: 6},
		rc{id: 31, client: 3, at: at(60), answered: true, agent: 6},
	)}
	r := BuildCallReport(in)
	want := CallBackFigures{Missed: 4, CalledBack: 3, Never: 1, Rate: f64(0.75), MedianSeconds: i64(1800), P90Seconds: i64(3600),
		FirstAttempt: 1}
	if !reflect.DeepEqual(r.CallBacks, want) {
		t.Errorf("got  %s\nwant %s", dump(r.CallBacks), dump(want))
	}
	for metric, ids := range map[string][]int64{
		MetricCalledBack: {3, 2, 1}, MetricNeverCalledBack: {4}, MetricFirstAttempt: {1}, MetricMissed: {4, 3, 2, 1},
		MetricCallBacksMade: {31, 22, 11},
	} {
		if got := SelectReportCalls(in, ReportSlice{Metric: metric}); !reflect.DeepEqual(got, ids) {
			t.Errorf("%s: %v, want %v", metric, got, ids)
		}
	}
	if got := SelectReportCalls(in, ReportSlice{Metric: MetricCallBacksMade, ByAgent: 6}); !reflect.DeepEqual(got, []int64{31, 22}) {
		t.Errorf("call backs made by 6: %v", got)
	}
	agents := map[int64]int{}
	for _, a := range r.Agents {
		agents[a.AgentID] = a.CallBacks
	}
	if !reflect.DeepEqual(agents, map[int64]int{5: 1, 6: 2}) {
		t.Errorf("call backs per agent %v", agents)
	}
}

func TestPercentileNearestRank(t *testing.T) {
	cases := []struct {
		in   []int64
		p    float64
		want *int64
	}{
		{nil, 0.5, nil},
		{[]int64{7}, 0.5, i64(7)},
		{[]int64{1, 2}, 0.5, i64(1)},
		{[]int64{3, 1, 2}, 0.5, i64(2)},
		{[]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, i64(9)},
		{[]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 0.9, i64(10)},
		{[]int64{5, 1}, 1, i64(5)},
	}
	for _, c := range cases {
		if got := Percentile(c.in, c.p); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Percentile(%v, %v) = %v, want %v", c.in, c.p, dump(got), dump(c.want))
		}
	}
}

// Days are whole days in the report's zone: 23:30 UTC is the next day in
// Moscow and in Novosibirsk, the same day in UTC; a call that spans
// midnight counts on the day it started.
func TestReportDaysInZones(t *testing.T) {
	nsk := mustZone("Asia/Novosibirsk")
	c := calls(
		rc{id: 1, client: 1, at: time.Date(2026, 11, 1, 23, 30, 0, 0, time.UTC), wait: 10, answered: true, talk: 3600},
		rc{id: 2, client: 2, at: time.Date(2026, 11, 1, 18, 30, 0, 0, time.UTC), wait: 60, lost: true},
	)
	cases := []struct {
		zone         *time.Location
		day          int
		offered      int
		hourAnswered int
		hourMissed   int
	}{
		{time.UTC, 1, 2, 23, 18},
		{msk, 2, 1, 2, -1}, // 02:30 on the 2nd; the miss was 21:30 on the 1st
		{nsk, 2, 2, 6, 1},  // 06:30 and 01:30 on the 2nd
		{time.UTC, 2, 0, -1, -1},
	}
	for _, tc := range cases {
		r := BuildCallReport(ReportInput{Period: day(2026, 11, tc.day, tc.zone), Calls: c})
		if r.Inbound.Offered != tc.offered {
			t.Errorf("%s day %d: offered %d, want %d", tc.zone, tc.day, r.Inbound.Offered, tc.offered)
		}
		for h, f := range r.ByHour {
			if (f.Answered == 1) != (h == tc.hourAnswered) || (f.Missed == 1) != (h == tc.hourMissed) {
				t.Errorf("%s day %d: hour %d has %+v", tc.zone, tc.day, h, f)
			}
		}
	}
}

// A period's report is the sum of its days' reports, for every additive
// figure; its by_day rows are those days' figures.
func TestReportPeriodIsTheSumOfItsDays(t *testing.T) {
	zone := mustZone("Asia/Novosibirsk")
	base := time.Date(2026, 10, 30, 0, 0, 0, 0, zone)
	var list []rc
	for i := 0; i < 200; i++ {
		at := base.Add(time.Duration(i*47) * time.Minute)
		c := rc{id: int64(i + 1), client: int64(i%17 + 1), at: at, wait: int64(i % 45), agent: int64(i%3 + 1)}
		switch i % 5 {
		case 0, 1:
			c.answered, c.talk = true, int64(i)
		case 2:
			c.lost, c.agent = true, 0
		case 3:
			c.dir, c.answered, c.talk = DirectionOut, true, 30
		case 4:
			c.dir = DirectionOut
		}
		list = append(list, c)
	}
	all := calls(list...)
	from, to := base, base.AddDate(0, 0, 6)
	period, err := NewReportPeriod(from, to, zone)
	if err != nil {
		t.Fatal(err)
	}
	whole := BuildCallReport(ReportInput{Period: period, Calls: all, Later: all})
	var sum CallFigures
	for i := 0; i < period.Days(); i++ {
		d := BuildCallReport(ReportInput{Period: day(from.Year(), from.Month(), from.Day()+i, zone), Calls: all, Later: all})
		if !reflect.DeepEqual(d.ByDay[0], whole.ByDay[i]) {
			t.Errorf("day %d: %s, period says %s", i, dump(d.ByDay[0]), dump(whole.ByDay[i]))
		}
		sum.Inbound.Offered += d.Inbound.Offered
		sum.Inbound.Answered += d.Inbound.Answered
		sum.Inbound.AnsweredWithin += d.Inbound.AnsweredWithin
		sum.Inbound.Missed += d.Inbound.Missed
		sum.Inbound.ShortAbandoned += d.Inbound.ShortAbandoned
		sum.Outbound.Attempts += d.Outbound.Attempts
		sum.Outbound.Answered += d.Outbound.Answered
		sum.Outbound.TalkSeconds += d.Outbound.TalkSeconds
		sum.Talk.TotalSeconds += d.Talk.TotalSeconds
		sum.CallBacks.Missed += d.CallBacks.Missed
		sum.CallBacks.CalledBack += d.CallBacks.CalledBack
		sum.CallBacks.Never += d.CallBacks.Never
		sum.CallBacks.FirstAttempt += d.CallBacks.FirstAttempt
		for h := range d.ByHour {
			sum.ByHour[h].Answered += d.ByHour[h].Answered
			sum.ByHour[h].Missed += d.ByHour[h].Missed
		}
		for w := range d.Heat {
			for h := range d.Heat[w] {
				sum.Heat[w][h] += d.Heat[w][h]
			}
		}
	}
	if whole.Inbound.Offered == 0 || whole.CallBacks.CalledBack == 0 {
		t.Fatalf("the sample has no calls: %s", dump(whole.Inbound))
	}
	pairs := [][2]any{
		{whole.Inbound.Offered, sum.Inbound.Offered}, {whole.Inbound.Answered, sum.Inbound.Answered},
		{whole.Inbound.AnsweredWithin, sum.Inbound.AnsweredWithin}, {whole.Inbound.Missed, sum.Inbound.Missed},
		{whole.Inbound.ShortAbandoned, sum.Inbound.ShortAbandoned}, {whole.Outbound, sum.Outbound},
		{whole.Talk.TotalSeconds, sum.Talk.TotalSeconds}, {whole.CallBacks.Missed, sum.CallBacks.Missed},
		{whole.CallBacks.CalledBack, sum.CallBacks.CalledBack}, {whole.CallBacks.Never, sum.CallBacks.Never},
		{whole.CallBacks.FirstAttempt, sum.CallBacks.FirstAttempt}, {whole.Heat, sum.Heat},
	}
	for i, p := range pairs {
		if !reflect.DeepEqual(p[0], p[1]) {
			t.Errorf("figure %d: period %v, sum of days %v", i, p[0], p[1])
		}
	}
	for h := range whole.ByHour {
		if whole.ByHour[h].Answered != sum.ByHour[h].Answered || whole.ByHour[h].Missed != sum.ByHour[h].Missed {
			t.Errorf("hour %d: period %+v, sum %+v", h, whole.ByHour[h], sum.ByHour[h])
		}
	}
}

// Every figure's number is the count of the calls SelectReportCalls picks
// for it, for the whole period, an hour and a weekday × hour cell.
func TestSelectReportCallsMatchesTheFigures(t *testing.T) {
	base := time.Date(2026, 11, 2, 0, 0, 0, 0, msk)
	var list []rc
	for i := 0; i < 300; i++ {
		c := rc{id: int64(i + 1), client: int64(i%23 + 1), at: base.Add(time.Duration(i*31) * time.Minute), wait: int64(i % 50), agent: int64(i%2 + 1)}
		switch i % 4 {
		case 0:
			c.answered, c.talk = true, 40
		case 1:
			c.lost, c.agent = true, 0
		case 2:
			c.dir, c.answered = DirectionOut, i%8 == 2
		case 3:
			c.answered = true
		}
		list = append(list, c)
	}
	all := calls(list...)
	period, _ := NewReportPeriod(base, base.AddDate(0, 0, 6), msk)
	in := ReportInput{Period: period, Calls: all, Later: all}
	r := BuildCallReport(in)
	n := func(s ReportSlice) int { return len(SelectReportCalls(in, s)) }
	for metric, want := range map[string]int{
		MetricOffered: r.Inbound.Offered, MetricAnswered: r.Inbound.Answered, MetricAnsweredWithin: r.Inbound.AnsweredWithin,
		MetricAnsweredLate: r.Inbound.Answered - r.Inbound.AnsweredWithin, MetricMissed: r.Inbound.Missed,
		MetricShortAbandoned: r.Inbound.ShortAbandoned, MetricMissedAfterShort: r.Inbound.Missed - r.Inbound.ShortAbandoned,
		MetricOutbound: r.Outbound.Attempts, MetricOutboundAnswered: r.Outbound.Answered, MetricCalledBack: r.CallBacks.CalledBack,
		MetricNeverCalledBack: r.CallBacks.Never, MetricFirstAttempt: r.CallBacks.FirstAttempt,
		MetricTalked: r.Inbound.Answered + r.Outbound.Answered,
	} {
		if got := n(ReportSlice{Metric: metric}); got != want {
			t.Errorf("%s: %d calls, figure %d", metric, got, want)
		}
	}
	for h := 0; h < 24; h++ {
		h := h
		if got := n(ReportSlice{Metric: MetricMissed, Hour: &h}); got != r.ByHour[h].Missed {
			t.Errorf("hour %d missed: %d calls, figure %d", h, got, r.ByHour[h].Missed)
		}
		for w := 0; w < 7; w++ {
			w := w
			if got := n(ReportSlice{Metric: MetricMissed, Hour: &h, Weekday: &w}); got != r.Heat[w][h] {
				t.Errorf("weekday %d hour %d: %d calls, figure %d", w, h, got, r.Heat[w][h])
			}
		}
	}
}

func TestReportPeriodValidation(t *testing.T) {
	d := func(m time.Month, day int) time.Time { return time.Date(2026, m, day, 0, 0, 0, 0, msk) }
	if _, err := NewReportPeriod(d(11, 2), d(11, 1), msk); ErrorCode(err) != EINVALID {
		t.Errorf("to before from: %v", err)
	}
	if _, err := NewReportPeriod(d(1, 1), time.Date(2027, 1, 2, 0, 0, 0, 0, msk), msk); ErrorCode(err) != EINVALID {
		t.Errorf("367 days: %v", err)
	}
	p, err := NewReportPeriod(d(1, 1), d(12, 31), msk)
	if err != nil || p.Days() != 365 {
		t.Errorf("a year: %d days, %v", p.Days(), err)
	}
	// Across a daylight-saving change (Berlin, 25 October 2026) days stay whole.
	ber := mustZone("Europe/Berlin")
	p, _ = NewReportPeriod(time.Date(2026, 10, 24, 0, 0, 0, 0, ber), time.Date(2026, 10, 26, 0, 0, 0, 0, ber), ber)
	r := BuildCallReport(ReportInput{Period: p, Calls: calls(rc{id: 1, client: 1, at: time.Date(2026, 10, 26, 0, 30, 0, 0, ber), lost: true, wait: 9})})
	if len(r.ByDay) != 3 || r.ByDay[2].Missed != 1 {
		t.Errorf("days across DST: %s", dump(r.ByDay))
	}
}

func TestRoles(t *testing.T) {
	cases := []struct {
		role                     Role
		valid, reports, administ bool
	}{
		{RoleAdmin, true, true, true},
		{RoleSupervisor, true, true, false},
		{RoleAgent, true, false, false},
		{"owner", false, false, false},
	}
	for _, c := range cases {
		a := &Agent{Role: c.role}
		if c.role.Valid() != c.valid || a.CanSeeReports() != c.reports || a.CanAdminister() != c.administ {
			t.Errorf("%s: valid %v reports %v administer %v", c.role, c.role.Valid(), a.CanSeeReports(), a.CanAdminister())
		}
	}
	if !System.CanSeeReports() {
		t.Error("the system cannot read reports")
	}
}

// dump shows a value with its pointers followed, for failure messages.
func dump(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

func TestChannelThresholds(t *testing.T) {
	cases := []struct {
		name          string
		answer, short *int64
		want          Thresholds
		bad           string
	}{
		{name: "unset: 20 and 5", want: Thresholds{AnswerWithin: 20, ShortAbandon: 5}},
		{name: "set", answer: i64(30), short: i64(0), want: Thresholds{AnswerWithin: 30, ShortAbandon: 0}},
		{name: "T of 0 is refused", answer: i64(0), want: Thresholds{AnswerWithin: 0, ShortAbandon: 5}, bad: "sl_answer_within"},
		{name: "S over 600 is refused", short: i64(601), want: Thresholds{AnswerWithin: 20, ShortAbandon: 601}, bad: "sl_short_abandon"},
	}
	for _, c := range cases {
		s := UISSettings{AnswerWithin: c.answer, ShortAbandon: c.short}.WithDefaults()
		if got := s.Thresholds(); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
		var v Validation
		s.Validate(&v)
		fields := map[string]string{}
		if e, ok := v.Err().(*Error); ok {
			fields = e.Fields
		}
		_, gotBad := fields["sl_answer_within"]
		_, gotBad2 := fields["sl_short_abandon"]
		if (c.bad == "sl_answer_within") != gotBad || (c.bad == "sl_short_abandon") != gotBad2 {
			t.Errorf("%s: fields %v, want %q refused", c.name, fields, c.bad)
		}
	}
}

func TestPresetPeriod(t *testing.T) {
	now := time.Date(2026, 12, 2, 22, 30, 0, 0, time.UTC) // Thursday 01:30 in Moscow, 3 December
	d := func(m time.Month, day int) string {
		return time.Date(2026, m, day, 0, 0, 0, 0, msk).Format("2006-01-02")
	}
	cases := map[string][2]string{
		PeriodToday: {d(12, 3), d(12, 3)}, PeriodYesterday: {d(12, 2), d(12, 2)}, PeriodThisWeek: {d(11, 30), d(12, 3)},
		PeriodLast7: {d(11, 27), d(12, 3)}, PeriodLast30: {d(11, 4), d(12, 3)},
	}
	for name, want := range cases {
		from, to, ok := PresetPeriod(name, now, msk)
		if got := [2]string{from.Format("2006-01-02"), to.Format("2006-01-02")}; !ok || got != want {
			t.Errorf("%s: %v %v, want %v", name, got, ok, want)
		}
	}
	if _, _, ok := PresetPeriod(PeriodCustom, now, msk); ok {
		t.Error("custom is no preset")
	}
}

func TestBuildBoard(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	ago := func(s int) time.Time { return now.Add(-time.Duration(s) * time.Second) }
	id := func(v int64) *int64 { return &v }
	calls := []*CallLive{
		{ID: 1, Direction: DirectionIn, State: CallRinging, StartedAt: ago(30), LastEventAt: ago(25)},
		{ID: 2, Direction: DirectionIn, State: CallRinging, StartedAt: ago(75), LastEventAt: ago(10)},
		{ID: 3, Direction: DirectionIn, State: CallRinging, StartedAt: ago(600), LastEventAt: ago(590)}, // quiet: lost notifications
		{ID: 4, Direction: DirectionOut, State: CallRinging, StartedAt: ago(5), LastEventAt: ago(5)},    // an agent dialling out
		{ID: 5, Direction: DirectionIn, State: CallTalking, StartedAt: ago(200), LastEventAt: ago(150), AgentID: id(1)},
		{ID: 6, Direction: DirectionIn, State: CallFinished, StartedAt: ago(300), LastEventAt: ago(100), AgentID: id(2)},
	}
	agents := []*Agent{
		{ID: 1, Active: true, Available: true, OperatorID: id(11)}, // on a call
		{ID: 2, Active: true, Available: true, OperatorID: id(12)},
		{ID: 3, Active: true, Available: false, OperatorID: id(13)},
		{ID: 4, Active: false, Available: true, OperatorID: id(14)},
		{ID: 5, Active: true, Available: true}, // takes no calls
	}
	b := BuildBoard(calls, agents, now)
	since := ago(75)
	want := Board{Ringing: 2, LongestWait: 75 * time.Second, LongestSince: &since, Talking: 1, Available: 1, OnCall: 1, Away: 1}
	if !reflect.DeepEqual(b, want) {
		t.Errorf("got  %+v\nwant %+v", b, want)
	}
}

package ringdesk

import (
	"math"
	"sort"
	"time"
)

// Call reports: what a support lead reads every morning. Every figure is
// defined here, once, as a function of the calls of a period; the store only
// reads the calls (ReportCall) and the web layer only shows the figures. A
// figure's definition is also its selection: CallSelected says whether one
// call is among the calls behind a figure, so a click on a number lists
// exactly those calls.

// Service-level thresholds: a channel's settings, these when unset.
const (
	// DefaultAnswerWithin is T: an incoming call answered within this many
	// seconds of waiting counts towards the service level.
	DefaultAnswerWithin = 20
	// DefaultShortAbandon is S: a caller who hangs up within this many
	// seconds is a short abandon, left out of the service level.
	DefaultShortAbandon = 5
	// MaxReportDays is the longest period a report covers.
	MaxReportDays = 366
)

// Thresholds are a channel's service-level thresholds, in seconds.
type Thresholds struct {
	AnswerWithin int64 // T
	ShortAbandon int64 // S
}

// DefaultThresholds are the thresholds of a channel that sets none.
var DefaultThresholds = Thresholds{AnswerWithin: DefaultAnswerWithin, ShortAbandon: DefaultShortAbandon}

// ReportCall is what a report needs of one call.
type ReportCall struct {
	ID        int64
	ChannelID int64
	ClientID  int64
	Direction string
	State     string
	StartedAt time.Time
	// AnsweredAt and FinishedAt are nil while unknown.
	AnsweredAt  *time.Time
	FinishedAt  *time.Time
	WaitSeconds int64
	TalkSeconds int64
	// TotalSeconds is the whole call, used for its end when FinishedAt is
	// unknown.
	TotalSeconds int64
	IsLost       bool
	AgentID      *int64
	// PostprocessSeconds is the after-call work UIS reports (0 when none).
	PostprocessSeconds int64
	// VirtualNumber is the line (digits; empty when unknown) and GroupID
	// the group the call was routed to (0: none): rollup keys.
	VirtualNumber string
	GroupID       int64
	// UISLostSeconds is UIS's own time to call the call back, its calls
	// report's lost_call_processing_duration (nil: UIS reported none).
	UISLostSeconds *int64
}

// Answered reports whether the call was answered: finished, with an answer,
// not lost (for an outgoing call: the client talked). It is Call.CallOutcome's
// "answered".
func (c *ReportCall) Answered() bool {
	return c.State == CallFinished && c.AnsweredAt != nil && !c.IsLost
}

// Missed reports whether the call is a missed incoming call (Call.CallOutcome's
// "missed").
func (c *ReportCall) Missed() bool {
	return c.State == CallFinished && c.IsLost && c.Direction == DirectionIn
}

// ShortAbandon reports whether a missed call's caller hung up within S
// seconds of waiting.
func (c *ReportCall) ShortAbandon(th Thresholds) bool {
	return c.Missed() && c.WaitSeconds <= th.ShortAbandon
}

// AnsweredWithin reports whether an incoming call was answered within T
// seconds of waiting.
func (c *ReportCall) AnsweredWithin(th Thresholds) bool {
	return c.Direction == DirectionIn && c.Answered() && c.WaitSeconds <= th.AnswerWithin
}

// End is when the call ended: its finish, or its start plus its length.
func (c *ReportCall) End() time.Time {
	if c.FinishedAt != nil {
		return *c.FinishedAt
	}
	return c.StartedAt.Add(time.Duration(c.TotalSeconds) * time.Second)
}

// CallBackResult is what happened to one missed call afterwards.
type CallBackResult struct {
	// By is the answered call that called back (nil: never called back).
	By *ReportCall
	// After is from the end of the missed call to the start of By.
	After time.Duration
	// FirstAttempt: By is an outgoing call and the first one to the client
	// after the miss.
	FirstAttempt bool
}

// CallBacks finds, for each missed call among calls, the call that called
// it back: the first answered call with the same client (an agent's
// outgoing call to them, or their own call again) that started after the
// missed call did. later holds the client's calls since the missed ones
// (it may repeat calls). Clients, not numbers, are matched: a number
// belongs to one client, and a merged client's calls are all theirs.
func CallBacks(calls, later []*ReportCall) map[int64]CallBackResult {
	byClient := map[int64][]*ReportCall{}
	seen := map[int64]bool{}
	for _, list := range [][]*ReportCall{calls, later} {
		for _, c := range list {
			if !seen[c.ID] {
				seen[c.ID] = true
				byClient[c.ClientID] = append(byClient[c.ClientID], c)
			}
		}
	}
	for _, list := range byClient {
		sort.Slice(list, func(i, j int) bool { return callBefore(list[i], list[j]) })
	}
	out := map[int64]CallBackResult{}
	for _, m := range calls {
		if !m.Missed() {
			continue
		}
		var res CallBackResult
		attempts := 0
		for _, c := range byClient[m.ClientID] {
			if !callBefore(m, c) {
				continue
			}
			if c.Direction == DirectionOut {
				attempts++
			}
			if c.Answered() {
				res = CallBackResult{By: c, After: max(c.StartedAt.Sub(m.End()), 0),
					FirstAttempt: c.Direction == DirectionOut && attempts == 1}
				break
			}
		}
		out[m.ID] = res
	}
	return out
}

// CallBackLinks are what the store finds after one missed call: the first
// answered call with the client (0: none) and the first outgoing call to
// them (0: none), both after the missed call.
type CallBackLinks struct {
	AnsweredID, FirstOutID int64
}

// CallBacksFromLinks is CallBacks for missed calls whose links the store
// found (ringdesk.CallBacks defines them); byID holds the answered calls
// the links name.
func CallBacksFromLinks(missed []*ReportCall, links map[int64]CallBackLinks, byID map[int64]*ReportCall) map[int64]CallBackResult {
	out := make(map[int64]CallBackResult, len(missed))
	for _, m := range missed {
		l := links[m.ID]
		by := byID[l.AnsweredID]
		if !m.Missed() || by == nil {
			out[m.ID] = CallBackResult{}
			continue
		}
		out[m.ID] = CallBackResult{By: by, After: max(by.StartedAt.Sub(m.End()), 0),
			FirstAttempt: by.Direction == DirectionOut && l.FirstOutID == by.ID}
	}
	return out
}

func callBefore(a, b *ReportCall) bool {
	if !a.StartedAt.Equal(b.StartedAt) {
		return a.StartedAt.Before(b.StartedAt)
	}
	return a.ID < b.ID
}

// CallFigures holds every figure of a period.
type CallFigures struct {
	Inbound   InboundFigures
	Talk      TalkFigures
	Outbound  OutboundFigures
	CallBacks CallBackFigures
	Agents    []AgentFigures
	// ByHour is per hour of the day (0-23) in the report's zone.
	ByHour [24]HourFigures
	// ByDay is per day of the period, in order, every day present.
	ByDay []DayFigures
	// Heat counts missed calls per weekday (0 Monday .. 6 Sunday) and hour.
	Heat [7][24]int
}

// InboundFigures are the figures of incoming calls.
type InboundFigures struct {
	// Offered: incoming calls that started in the period.
	Offered int
	// Answered: of them, answered.
	Answered int
	// AnsweredWithin: answered within T seconds of waiting.
	AnsweredWithin int
	// Missed: lost (the caller hung up or UIS gave up).
	Missed int
	// ShortAbandoned: missed calls whose caller hung up within S seconds.
	ShortAbandoned int
	// ServiceLevel = AnsweredWithin / (Answered + Missed - ShortAbandoned);
	// nil when that is 0.
	ServiceLevel *float64
	// ASASeconds: the average wait of answered calls (nil: none answered).
	ASASeconds *float64
	// MissedWaitSeconds: the average wait of missed calls (nil: none).
	MissedWaitSeconds *float64
	// LongestWaitSeconds: the longest wait of a missed call.
	LongestWaitSeconds int64
}

// TalkFigures are the talk times of answered calls, both directions.
type TalkFigures struct {
	TotalSeconds int64
	// AvgSeconds is the average talk of answered calls (nil: none).
	AvgSeconds *float64
	// AHTSeconds, the average handle time, is (talk + after-call work UIS
	// reports) / answered calls (nil: none).
	AHTSeconds *float64
}

// OutboundFigures are the figures of outgoing calls.
type OutboundFigures struct {
	Attempts    int
	Answered    int
	TalkSeconds int64
}

// CallBackFigures say what became of the period's missed calls.
type CallBackFigures struct {
	// Missed are the period's missed calls, CalledBack those an answered
	// call with the client followed, Never the rest.
	Missed     int
	CalledBack int
	Never      int
	// Rate = CalledBack / Missed (nil: no missed call).
	Rate *float64
	// MedianSeconds and P90Seconds of the time to call back, from the end
	// of the missed call to the start of the answered call back (nearest
	// rank; nil: none called back).
	MedianSeconds *int64
	P90Seconds    *int64
	// FirstAttempt: called back by the first outgoing call after the miss.
	FirstAttempt int
	// UISReported counts the missed calls UIS reports a time to call back
	// for (lost_call_processing_duration of its calls report, "from lost
	// call to first successful callback", filled in by reconciliation);
	// UISMedianSeconds and UISP90Seconds are of those times (nearest rank;
	// nil: none). UIS's figure beside ours, not part of it.
	UISReported      int
	UISMedianSeconds *int64
	UISP90Seconds    *int64
}

// setUIS fills the UIS figures from UIS's times to call back of the
// period's missed calls.
func (f *CallBackFigures) setUIS(seconds []int64) {
	f.UISReported = len(seconds)
	f.UISMedianSeconds = Percentile(seconds, 0.5)
	f.UISP90Seconds = Percentile(seconds, 0.9)
}

// AgentFigures are one agent's figures.
type AgentFigures struct {
	AgentID      int64
	Answered     int // incoming calls answered
	Outgoing     int // outgoing calls placed
	OutAnswered  int // of them, answered
	TalkSeconds  int64
	AHTSeconds   *float64
	CallBacks    int // missed calls of the period this agent called back
	TicketsSolve int // tickets assigned to the agent solved in the period
	handled      int
	handleSecs   int64
}

// HourFigures count incoming calls per hour of the day.
type HourFigures struct {
	Hour     int
	Answered int
	Missed   int
}

// DayFigures are one day's incoming calls.
type DayFigures struct {
	Date           time.Time // midnight in the report's zone
	Offered        int
	Answered       int
	AnsweredWithin int
	Missed         int
	ShortAbandoned int
	ServiceLevel   *float64
}

// ReportPeriod is a report's period: whole days in a zone, both included.
type ReportPeriod struct {
	From, To time.Time // midnights in Zone: the first day, the last day
	Zone     *time.Location
}

// NewReportPeriod checks a period of whole days from..to in zone.
func NewReportPeriod(from, to time.Time, zone *time.Location) (ReportPeriod, error) {
	p := ReportPeriod{From: midnight(from, zone), To: midnight(to, zone), Zone: zone}
	var v Validation
	v.Check(!p.To.Before(p.From), "to", "The period ends before it starts.")
	v.Check(p.Days() <= MaxReportDays, "to", "A report covers at most 366 days.")
	return p, v.Err()
}

func midnight(t time.Time, zone *time.Location) time.Time {
	t = t.In(zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, zone)
}

// Start is the period's first instant; End the instant after it.
func (p ReportPeriod) Start() time.Time { return p.From }

// End is the first instant after the period.
func (p ReportPeriod) End() time.Time { return p.To.AddDate(0, 0, 1) }

// Days is how many days the period has.
func (p ReportPeriod) Days() int {
	n := 0
	for d := p.From; !d.After(p.To) && n <= MaxReportDays; d = d.AddDate(0, 0, 1) {
		n++
	}
	return n
}

// Contains reports whether t falls in the period.
func (p ReportPeriod) Contains(t time.Time) bool {
	return !t.Before(p.Start()) && t.Before(p.End())
}

// dayIndex is the index of t's day in the period.
func (p ReportPeriod) dayIndex(t time.Time) int {
	d := midnight(t, p.Zone)
	// Days differ by 23-25 hours across daylight-saving changes: count
	// calendar days, not hours.
	y1, m1, d1 := p.From.Date()
	y2, m2, d2 := d.Date()
	a := time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)
	b := time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// Weekday is t's weekday, Monday 0 .. Sunday 6.
func Weekday(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

// ReportInput is what BuildCallReport reads.
type ReportInput struct {
	Period ReportPeriod
	// Calls are the calls that started in the period (already filtered).
	Calls []*ReportCall
	// Later are the calls of the missed calls' clients since the period
	// started, whatever the filters: whoever called back counts.
	Later []*ReportCall
	// Backs, when not nil, are the call backs of the period's missed calls
	// as the store found them (CallBacksFromLinks), instead of Later.
	Backs map[int64]CallBackResult
	// Thresholds per channel; channels missing use DefaultThresholds.
	Thresholds map[int64]Thresholds
	// Solved counts tickets solved in the period per assignee.
	Solved map[int64]int
}

// ThresholdsOf returns the thresholds of a channel.
func (in *ReportInput) ThresholdsOf(channelID int64) Thresholds {
	if th, ok := in.Thresholds[channelID]; ok {
		return th
	}
	return DefaultThresholds
}

func (in *ReportInput) callBacks(calls []*ReportCall) map[int64]CallBackResult {
	if in.Backs != nil {
		return in.Backs
	}
	return CallBacks(calls, in.Later)
}

// newCallFigures is an empty report of p: a row for each of its days and
// each hour of the day.
func newCallFigures(p ReportPeriod) *CallFigures {
	r := &CallFigures{ByDay: make([]DayFigures, p.Days())}
	for i := range r.ByDay {
		r.ByDay[i].Date = p.From.AddDate(0, 0, i)
	}
	for h := range r.ByHour {
		r.ByHour[h].Hour = h
	}
	return r
}

// BuildCallReport computes every figure of in.
func BuildCallReport(in ReportInput) *CallFigures {
	p := in.Period
	r := newCallFigures(p)
	agents := map[int64]*AgentFigures{}
	agent := func(id *int64) *AgentFigures {
		if id == nil {
			return nil
		}
		a := agents[*id]
		if a == nil {
			a = &AgentFigures{AgentID: *id}
			agents[*id] = a
		}
		return a
	}
	var asaSum, missedWaitSum, handleSum int64
	answered := 0
	for _, c := range in.Calls {
		if !p.Contains(c.StartedAt) {
			continue
		}
		th := in.ThresholdsOf(c.ChannelID)
		local := c.StartedAt.In(p.Zone)
		day := &r.ByDay[p.dayIndex(c.StartedAt)]
		a := agent(c.AgentID)
		if c.Answered() {
			answered++
			r.Talk.TotalSeconds += c.TalkSeconds
			handleSum += c.TalkSeconds + c.PostprocessSeconds
			if a != nil {
				a.TalkSeconds += c.TalkSeconds
				a.handled++
				a.handleSecs += c.TalkSeconds + c.PostprocessSeconds
			}
		}
		if c.Direction == DirectionOut {
			r.Outbound.Attempts++
			if a != nil {
				a.Outgoing++
			}
			if c.Answered() {
				r.Outbound.Answered++
				r.Outbound.TalkSeconds += c.TalkSeconds
				if a != nil {
					a.OutAnswered++
				}
			}
			continue
		}
		r.Inbound.Offered++
		day.Offered++
		switch {
		case c.Answered():
			r.Inbound.Answered++
			day.Answered++
			r.ByHour[local.Hour()].Answered++
			asaSum += c.WaitSeconds
			if a != nil {
				a.Answered++
			}
			if c.AnsweredWithin(th) {
				r.Inbound.AnsweredWithin++
				day.AnsweredWithin++
			}
		case c.Missed():
			r.Inbound.Missed++
			day.Missed++
			r.ByHour[local.Hour()].Missed++
			r.Heat[Weekday(local)][local.Hour()]++
			missedWaitSum += c.WaitSeconds
			r.Inbound.LongestWaitSeconds = max(r.Inbound.LongestWaitSeconds, c.WaitSeconds)
			if c.ShortAbandon(th) {
				r.Inbound.ShortAbandoned++
				day.ShortAbandoned++
			}
		}
	}
	in1 := &r.Inbound
	in1.ServiceLevel = ServiceLevel(in1.AnsweredWithin, in1.Answered, in1.Missed, in1.ShortAbandoned)
	in1.ASASeconds = average(asaSum, in1.Answered)
	in1.MissedWaitSeconds = average(missedWaitSum, in1.Missed)
	r.Talk.AvgSeconds = average(r.Talk.TotalSeconds, answered)
	r.Talk.AHTSeconds = average(handleSum, answered)
	for i := range r.ByDay {
		d := &r.ByDay[i]
		d.ServiceLevel = ServiceLevel(d.AnsweredWithin, d.Answered, d.Missed, d.ShortAbandoned)
	}
	r.CallBacks = callBackFigures(in, agent)
	for id, n := range in.Solved {
		agent(&id).TicketsSolve += n
	}
	for _, a := range agents {
		a.AHTSeconds = average(a.handleSecs, a.handled)
		r.Agents = append(r.Agents, *a)
	}
	sort.Slice(r.Agents, func(i, j int) bool { return r.Agents[i].AgentID < r.Agents[j].AgentID })
	return r
}

func callBackFigures(in ReportInput, agent func(*int64) *AgentFigures) CallBackFigures {
	var f CallBackFigures
	var in1 []*ReportCall
	for _, c := range in.Calls {
		if in.Period.Contains(c.StartedAt) {
			in1 = append(in1, c)
		}
	}
	res := in.callBacks(in1)
	var after, uis []int64
	for _, c := range in1 {
		if !c.Missed() {
			continue
		}
		f.Missed++
		if c.UISLostSeconds != nil {
			uis = append(uis, *c.UISLostSeconds)
		}
		cb := res[c.ID]
		if cb.By == nil {
			f.Never++
			continue
		}
		f.CalledBack++
		after = append(after, int64(cb.After/time.Second))
		if cb.FirstAttempt {
			f.FirstAttempt++
		}
		if a := agent(cb.By.AgentID); a != nil {
			a.CallBacks++
		}
	}
	f.Rate = ratio(f.CalledBack, f.Missed)
	f.MedianSeconds = Percentile(after, 0.5)
	f.P90Seconds = Percentile(after, 0.9)
	f.setUIS(uis)
	return f
}

// ServiceLevel is answeredWithin / (answered + missed - short), nil when
// that is 0.
func ServiceLevel(answeredWithin, answered, missed, short int) *float64 {
	return ratio(answeredWithin, answered+missed-short)
}

func ratio(n, d int) *float64 {
	if d <= 0 {
		return nil
	}
	v := float64(n) / float64(d)
	return &v
}

func average(sum int64, n int) *float64 {
	if n <= 0 {
		return nil
	}
	v := float64(sum) / float64(n)
	return &v
}

// Percentile returns the nearest-rank p-th percentile (0 < p <= 1) of
// values: the smallest value at least a share p of them do not exceed;
// nil when there are none.
func Percentile(values []int64, p float64) *int64 {
	if len(values) == 0 {
		return nil
	}
	s := append([]int64(nil), values...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := int(math.Ceil(p*float64(len(s)))) - 1
	v := s[min(max(rank, 0), len(s)-1)]
	return &v
}

// Report metrics: the calls behind a figure, for the Calls page.
const (
	MetricOffered          = "offered"           // incoming calls
	MetricAnswered         = "answered"          // incoming calls answered
	MetricAnsweredWithin   = "answered_within"   // answered within T
	MetricAnsweredLate     = "answered_late"     // answered after T
	MetricMissed           = "missed"            // missed incoming calls
	MetricShortAbandoned   = "short_abandoned"   // missed within S
	MetricMissedAfterShort = "missed_long"       // missed after S (they lower the service level)
	MetricOutbound         = "outbound"          // outgoing calls
	MetricOutboundAnswered = "outbound_answered" // outgoing calls answered
	MetricCalledBack       = "called_back"       // missed calls called back
	MetricNeverCalledBack  = "never_called_back" // missed calls not called back (yet)
	MetricFirstAttempt     = "first_attempt"     // missed calls called back at the first attempt
	MetricCallBacksMade    = "callbacks_made"    // the answered calls that called a missed call back
	MetricTalked           = "talked"            // answered calls, both directions (the talk figures)
	MetricUISReported      = "uis_reported"      // missed calls UIS reports a time to call back for
)

// ReportMetrics lists every metric a selection may name.
var ReportMetrics = []string{MetricOffered, MetricAnswered, MetricAnsweredWithin, MetricAnsweredLate, MetricMissed,
	MetricShortAbandoned, MetricMissedAfterShort, MetricOutbound, MetricOutboundAnswered, MetricCalledBack,
	MetricNeverCalledBack, MetricFirstAttempt, MetricCallBacksMade, MetricTalked, MetricUISReported}

// ValidMetric reports whether m is a report metric.
func ValidMetric(m string) bool { return oneOf(m, ReportMetrics) }

// ReportSlice picks the calls behind one figure of a report: a metric,
// optionally of one hour of the day and one weekday (in the period's zone).
type ReportSlice struct {
	Metric  string
	Hour    *int // 0-23
	Weekday *int // 0 Monday .. 6 Sunday
	// ByAgent keeps, for MetricCallBacksMade, the call backs of this agent.
	ByAgent int64
}

// SelectReportCalls returns the ids of the calls behind s, newest first:
// the calls the report counted for that figure, no more, no fewer.
func SelectReportCalls(in ReportInput, s ReportSlice) []int64 {
	var picked []*ReportCall
	var cbs map[int64]CallBackResult
	needCB := s.Metric == MetricCalledBack || s.Metric == MetricNeverCalledBack || s.Metric == MetricFirstAttempt || s.Metric == MetricCallBacksMade
	var inPeriod []*ReportCall
	for _, c := range in.Calls {
		if in.Period.Contains(c.StartedAt) {
			inPeriod = append(inPeriod, c)
		}
	}
	if needCB {
		cbs = in.callBacks(inPeriod)
	}
	seen := map[int64]bool{}
	for _, c := range inPeriod {
		local := c.StartedAt.In(in.Period.Zone)
		if s.Hour != nil && local.Hour() != *s.Hour || s.Weekday != nil && Weekday(local) != *s.Weekday {
			continue
		}
		th := in.ThresholdsOf(c.ChannelID)
		in := c.Direction == DirectionIn
		ok := false
		switch s.Metric {
		case MetricOffered:
			ok = in
		case MetricAnswered:
			ok = in && c.Answered()
		case MetricAnsweredWithin:
			ok = c.AnsweredWithin(th)
		case MetricAnsweredLate:
			ok = in && c.Answered() && !c.AnsweredWithin(th)
		case MetricMissed:
			ok = c.Missed()
		case MetricShortAbandoned:
			ok = c.ShortAbandon(th)
		case MetricMissedAfterShort:
			ok = c.Missed() && !c.ShortAbandon(th)
		case MetricOutbound:
			ok = !in
		case MetricOutboundAnswered:
			ok = !in && c.Answered()
		case MetricTalked:
			ok = c.Answered()
		case MetricUISReported:
			ok = c.Missed() && c.UISLostSeconds != nil
		case MetricCalledBack:
			ok = c.Missed() && cbs[c.ID].By != nil
		case MetricNeverCalledBack:
			ok = c.Missed() && cbs[c.ID].By == nil
		case MetricFirstAttempt:
			ok = c.Missed() && cbs[c.ID].FirstAttempt
		case MetricCallBacksMade:
			if by := cbs[c.ID].By; c.Missed() && by != nil && (s.ByAgent == 0 || by.AgentID != nil && *by.AgentID == s.ByAgent) && !seen[by.ID] {
				seen[by.ID] = true
				picked = append(picked, by)
			}
			continue
		}
		if ok {
			picked = append(picked, c)
		}
	}
	sort.Slice(picked, func(i, j int) bool { return callBefore(picked[j], picked[i]) })
	ids := make([]int64, len(picked))
	for i, c := range picked {
		ids[i] = c.ID
	}
	return ids
}

// ReportFilter narrows the calls of a report; zero fields do not filter.
type ReportFilter struct {
	ChannelID int64
	// VirtualNumber is the line called or calling from, digits only.
	VirtualNumber string
	// GroupID keeps the calls routed to a group.
	GroupID int64
	// AgentID keeps the calls the agent answered or placed.
	AgentID   int64
	Direction string
}

// ReportQuery is a report's period and filters.
type ReportQuery struct {
	Period ReportPeriod
	Filter ReportFilter
}

// Report period presets, in the viewer's zone.
const (
	PeriodToday     = "today"
	PeriodYesterday = "yesterday"
	PeriodThisWeek  = "week"   // Monday to today
	PeriodLast7     = "7d"     // the last 7 days, today included
	PeriodLast30    = "30d"    // the last 30 days, today included
	PeriodCustom    = "custom" // from..to as given
)

// PeriodPresets lists the presets in the order a picker offers them.
var PeriodPresets = []string{PeriodToday, PeriodYesterday, PeriodThisWeek, PeriodLast7, PeriodLast30, PeriodCustom}

// PresetPeriod returns the first and last day of a preset at now in zone
// (ok false for PeriodCustom and unknown names).
func PresetPeriod(name string, now time.Time, zone *time.Location) (from, to time.Time, ok bool) {
	today := midnight(now, zone)
	switch name {
	case PeriodToday:
		return today, today, true
	case PeriodYesterday:
		y := today.AddDate(0, 0, -1)
		return y, y, true
	case PeriodThisWeek:
		return today.AddDate(0, 0, -Weekday(today)), today, true
	case PeriodLast7:
		return today.AddDate(0, 0, -6), today, true
	case PeriodLast30:
		return today.AddDate(0, 0, -29), today, true
	}
	return time.Time{}, time.Time{}, false
}

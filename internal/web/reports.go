package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// Call reports: GET /reports (the page), GET /reports/calls.csv (its tables
// as CSV) and GET /api/v1/reports/calls (the figures as JSON). All three
// read the same parameters (reportParams) and ask the desk for the same
// figures.

const reportDay = "2006-01-02"

// reportParams is a report's query as parsed from a request, with the
// canonical parameters that name it again in links.
type reportParams struct {
	Query  ringdesk.ReportQuery
	Preset string
	// Values are from, to, tz and the filters set, canonical.
	Values url.Values
	preset string // for the sort links of the page
}

// parseReportParams reads period=, from=, to= (whole days, both included),
// tz= (the viewer's zone by default) and the filters. A preset other than
// custom wins over from and to; with neither, the period is today.
func (s *Server) parseReportParams(r *http.Request) (reportParams, error) {
	q := r.URL.Query()
	var v ringdesk.Validation
	p := reportParams{Values: url.Values{}}
	zone := zoneOf(agentFrom(r))
	if name := strings.TrimSpace(q.Get("tz")); name != "" {
		if l, ok := ringdesk.LoadLocation(name); ok && name != "Local" {
			zone = l
		} else {
			v.Add("tz", "Unknown time zone; use an IANA name such as Europe/Moscow.")
		}
	}
	now := s.desk.Now()
	p.Preset = q.Get("period")
	from, to, preset := ringdesk.PresetPeriod(p.Preset, now, zone)
	if !preset {
		switch p.Preset {
		case "", ringdesk.PeriodCustom:
		default:
			v.Add("period", "Unknown period.")
		}
		today, _, _ := ringdesk.PresetPeriod(ringdesk.PeriodToday, now, zone)
		from, to = today, today
		if p.Preset == "" && q.Get("from") == "" && q.Get("to") == "" {
			p.Preset = ringdesk.PeriodToday
		} else {
			p.Preset = ringdesk.PeriodCustom
		}
		for name, dst := range map[string]*time.Time{"from": &from, "to": &to} {
			raw := strings.TrimSpace(q.Get(name))
			if raw == "" {
				continue
			}
			d, err := time.ParseInLocation(reportDay, raw, zone)
			if err != nil {
				v.Add(name, "Enter a date as YYYY-MM-DD, for example 2026-01-31.")
				continue
			}
			*dst = d
		}
		if q.Get("from") == "" && q.Get("to") != "" {
			from = to
		}
		if q.Get("to") == "" && q.Get("from") != "" {
			to = from
		}
	}
	f := &p.Query.Filter
	for name, dst := range map[string]*int64{"channel_id": &f.ChannelID, "group_id": &f.GroupID, "agent_id": &f.AgentID} {
		if raw := strings.TrimSpace(q.Get(name)); raw != "" {
			n, err := strconv.ParseInt(raw, 10, 64)
			v.Check(err == nil && n > 0, name, "Must be a positive number.")
			*dst = n
		}
	}
	if raw := strings.TrimSpace(q.Get("virtual_number")); raw != "" {
		f.VirtualNumber = strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, raw)
		v.Check(len(f.VirtualNumber) >= 10 && len(f.VirtualNumber) <= 15, "virtual_number",
			"The virtual number must be a phone number in international format, such as 74951234567.")
	}
	switch d := q.Get("direction"); d {
	case "", ringdesk.DirectionIn, ringdesk.DirectionOut:
		f.Direction = d
	default:
		v.Add("direction", "Direction must be in or out.")
	}
	if err := v.Err(); err != nil {
		return p, err
	}
	period, err := ringdesk.NewReportPeriod(from, to, zone)
	if err != nil {
		return p, err
	}
	p.Query.Period = period
	p.Values.Set("from", period.From.Format(reportDay))
	p.Values.Set("to", period.To.Format(reportDay))
	p.Values.Set("tz", zone.String())
	setID := func(name string, id int64) {
		if id != 0 {
			p.Values.Set(name, strconv.FormatInt(id, 10))
		}
	}
	setID("channel_id", f.ChannelID)
	setID("group_id", f.GroupID)
	setID("agent_id", f.AgentID)
	if f.VirtualNumber != "" {
		p.Values.Set("virtual_number", f.VirtualNumber)
	}
	if f.Direction != "" {
		p.Values.Set("direction", f.Direction)
	}
	return p, nil
}

// callsLink is the Calls page listing exactly the calls behind metric in
// the report of p, optionally of one hour and weekday.
func (p reportParams) callsLink(metric string, hour, weekday int) string {
	q := url.Values{}
	for k, v := range p.Values {
		q[k] = v
	}
	q.Set("metric", metric)
	if hour >= 0 {
		q.Set("hour", strconv.Itoa(hour))
	}
	if weekday >= 0 {
		q.Set("weekday", strconv.Itoa(weekday))
	}
	return "/calls?" + q.Encode()
}

// dayLink is callsLink for one day of the period.
func (p reportParams) dayLink(metric string, day time.Time) string {
	c := p
	c.Values = url.Values{}
	for k, v := range p.Values {
		c.Values[k] = v
	}
	c.Values.Set("from", day.Format(reportDay))
	c.Values.Set("to", day.Format(reportDay))
	return c.callsLink(metric, -1, -1)
}

// The JSON of GET /api/v1/reports/calls: rates are fractions, durations
// seconds; null when there is nothing to divide by.
type reportJSON struct {
	From      string            `json:"from"`
	To        string            `json:"to"`
	TZ        string            `json:"tz"`
	Inbound   inboundJSON       `json:"inbound"`
	Talk      talkJSON          `json:"talk"`
	Outbound  outboundJSON      `json:"outbound"`
	CallBacks callbacksJSON     `json:"callbacks"`
	Agents    []agentReportJSON `json:"agents"`
	ByHour    []hourJSON        `json:"by_hour"`
	ByDay     []dayJSON         `json:"by_day"`
	// MissedHeatmap is missed calls per weekday (0 Monday .. 6 Sunday) and
	// hour of the day.
	MissedHeatmap [7][24]int `json:"missed_heatmap"`
}

type inboundJSON struct {
	Offered            int      `json:"offered"`
	Answered           int      `json:"answered"`
	AnsweredWithin     int      `json:"answered_within"`
	Missed             int      `json:"missed"`
	ShortAbandoned     int      `json:"short_abandoned"`
	ServiceLevel       *float64 `json:"service_level"`
	ASASeconds         *float64 `json:"asa_seconds"`
	MissedWaitSeconds  *float64 `json:"missed_wait_seconds"`
	LongestWaitSeconds int64    `json:"longest_wait_seconds"`
}

type talkJSON struct {
	TotalSeconds int64    `json:"total_seconds"`
	AvgSeconds   *float64 `json:"avg_seconds"`
	AHTSeconds   *float64 `json:"aht_seconds"`
}

type outboundJSON struct {
	Attempts    int   `json:"attempts"`
	Answered    int   `json:"answered"`
	TalkSeconds int64 `json:"talk_seconds"`
}

type callbacksJSON struct {
	Missed        int      `json:"missed"`
	CalledBack    int      `json:"called_back"`
	Rate          *float64 `json:"rate"`
	MedianSeconds *int64   `json:"median_seconds"`
	P90Seconds    *int64   `json:"p90_seconds"`
	Never         int      `json:"never"`
	FirstAttempt  int      `json:"first_attempt"`
	// UIS's own time to call back (lost_call_processing_duration of its
	// calls report): missed calls it reports one for, their median and p90.
	UISReported      int    `json:"uis_reported"`
	UISMedianSeconds *int64 `json:"uis_median_seconds"`
	UISP90Seconds    *int64 `json:"uis_p90_seconds"`
}

type agentReportJSON struct {
	AgentID          int64    `json:"agent_id"`
	Name             string   `json:"name"`
	Answered         int      `json:"answered"`
	Outgoing         int      `json:"outgoing"`
	OutgoingAnswered int      `json:"outgoing_answered"`
	TalkSeconds      int64    `json:"talk_seconds"`
	AHTSeconds       *float64 `json:"aht_seconds"`
	CallBacks        int      `json:"callbacks"`
	TicketsSolved    int      `json:"tickets_solved"`
}

type hourJSON struct {
	Hour     int `json:"hour"`
	Answered int `json:"answered"`
	Missed   int `json:"missed"`
}

type dayJSON struct {
	Date           string   `json:"date"`
	Offered        int      `json:"offered"`
	Answered       int      `json:"answered"`
	AnsweredWithin int      `json:"answered_within"`
	Missed         int      `json:"missed"`
	ShortAbandoned int      `json:"short_abandoned"`
	ServiceLevel   *float64 `json:"service_level"`
}

// rounded keeps 4 decimals of a rate or an average.
func rounded(v *float64) *float64 {
	if v == nil {
		return nil
	}
	r := math.Round(*v*10000) / 10000
	return &r
}

func toReportJSON(p reportParams, r *ringdesk.CallFigures, names map[int64]string) reportJSON {
	in := r.Inbound
	out := reportJSON{From: p.Values.Get("from"), To: p.Values.Get("to"), TZ: p.Values.Get("tz"),
		Inbound: inboundJSON{Offered: in.Offered, Answered: in.Answered, AnsweredWithin: in.AnsweredWithin, Missed: in.Missed,
			ShortAbandoned: in.ShortAbandoned, ServiceLevel: rounded(in.ServiceLevel), ASASeconds: rounded(in.ASASeconds),
			MissedWaitSeconds: rounded(in.MissedWaitSeconds), LongestWaitSeconds: in.LongestWaitSeconds},
		Talk:     talkJSON{TotalSeconds: r.Talk.TotalSeconds, AvgSeconds: rounded(r.Talk.AvgSeconds), AHTSeconds: rounded(r.Talk.AHTSeconds)},
		Outbound: outboundJSON{Attempts: r.Outbound.Attempts, Answered: r.Outbound.Answered, TalkSeconds: r.Outbound.TalkSeconds},
		CallBacks: callbacksJSON{Missed: r.CallBacks.Missed, CalledBack: r.CallBacks.CalledBack, Rate: rounded(r.CallBacks.Rate),
			MedianSeconds: r.CallBacks.MedianSeconds, P90Seconds: r.CallBacks.P90Seconds, Never: r.CallBacks.Never,
			FirstAttempt: r.CallBacks.FirstAttempt, UISReported: r.CallBacks.UISReported,
			UISMedianSeconds: r.CallBacks.UISMedianSeconds, UISP90Seconds: r.CallBacks.UISP90Seconds},
		Agents: []agentReportJSON{}, MissedHeatmap: r.Heat}
	for _, a := range r.Agents {
		out.Agents = append(out.Agents, agentReportJSON{AgentID: a.AgentID, Name: names[a.AgentID], Answered: a.Answered,
			Outgoing: a.Outgoing, OutgoingAnswered: a.OutAnswered, TalkSeconds: a.TalkSeconds, AHTSeconds: rounded(a.AHTSeconds),
			CallBacks: a.CallBacks, TicketsSolved: a.TicketsSolve})
	}
	for _, h := range r.ByHour {
		out.ByHour = append(out.ByHour, hourJSON{Hour: h.Hour, Answered: h.Answered, Missed: h.Missed})
	}
	for _, d := range r.ByDay {
		out.ByDay = append(out.ByDay, dayJSON{Date: d.Date.Format(reportDay), Offered: d.Offered, Answered: d.Answered,
			AnsweredWithin: d.AnsweredWithin, Missed: d.Missed, ShortAbandoned: d.ShortAbandoned, ServiceLevel: rounded(d.ServiceLevel)})
	}
	return out
}

// apiCallReport is GET /api/v1/reports/calls.
func (s *Server) apiCallReport(w http.ResponseWriter, r *http.Request) {
	if err := canSeeReports(r); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.parseReportParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := s.desk.CallReport(r.Context(), agentFrom(r), p.Query)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names, err := s.agentNames(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toReportJSON(p, rep, names))
}

// canSeeReports refuses agents before any parameter is read, so an agent
// learns nothing from the errors of a report they may not see.
func canSeeReports(r *http.Request) error {
	if !agentFrom(r).CanSeeReports() {
		return ringdesk.Errorf(ringdesk.EFORBIDDEN, "Only supervisors and administrators can see reports.")
	}
	return nil
}

// supervisor requires a logged-in supervisor or administrator.
func (s *Server) supervisor(h http.HandlerFunc) http.HandlerFunc {
	return s.authed(func(w http.ResponseWriter, r *http.Request) {
		if err := canSeeReports(r); err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r)
	})
}

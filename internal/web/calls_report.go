package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// The Calls page filtered by a report figure (metric=): exactly the calls
// the report counted for it, in the report's period, zone and filters,
// optionally of one hour of the day and weekday. The desk picks them with
// the same definitions the report counts with.

// metricLabels name the figures in the Calls filter (English; the
// template translates).
var metricLabels = []struct{ Metric, Label string }{
	{ringdesk.MetricOffered, "Incoming calls"},
	{ringdesk.MetricAnswered, "Answered incoming"},
	{ringdesk.MetricAnsweredWithin, "Answered within T"},
	{ringdesk.MetricAnsweredLate, "Answered after T"},
	{ringdesk.MetricMissed, "Calls missed"},
	{ringdesk.MetricShortAbandoned, "Short abandons"},
	{ringdesk.MetricMissedAfterShort, "Missed after S"},
	{ringdesk.MetricCalledBack, "Missed, called back"},
	{ringdesk.MetricNeverCalledBack, "Missed, never called back"},
	{ringdesk.MetricFirstAttempt, "Missed, reached at the first attempt"},
	{ringdesk.MetricCallBacksMade, "Call backs of missed calls"},
	{ringdesk.MetricUISReported, "Missed, with UIS's time to call back"},
	{ringdesk.MetricOutbound, "Outgoing calls"},
	{ringdesk.MetricOutboundAnswered, "Outgoing answered"},
	{ringdesk.MetricTalked, "Answered, both directions"},
}

func metricLabel(m string) string {
	for _, l := range metricLabels {
		if l.Metric == m {
			return l.Label
		}
	}
	return m
}

// reportSelection is what the Calls page says about a metric filter.
type reportSelection struct {
	Label   string
	Period  string
	Hour    string
	Weekday string
	Count   int
	Back    string // the report the figure is of
}

// callsPageSize is how many calls one page of a metric filter lists.
const callsPageSize = 50

// metricCalls reads one page of the calls behind the metric filter of r,
// the link to the next page ("" on the last) and what the page says of it.
func (s *Server) metricCalls(r *http.Request) ([]*ringdesk.Call, string, *reportSelection, error) {
	q := r.URL.Query()
	var v ringdesk.Validation
	slice := ringdesk.ReportSlice{Metric: q.Get("metric")}
	v.Check(ringdesk.ValidMetric(slice.Metric), "metric", "Unknown report figure.")
	sel := &reportSelection{Label: metricLabel(slice.Metric)}
	for name, dst := range map[string]**int{"hour": &slice.Hour, "weekday": &slice.Weekday} {
		raw := q.Get(name)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		limit := map[string]int{"hour": 23, "weekday": 6}[name]
		v.Check(err == nil && n >= 0 && n <= limit, name, "Hour must be 0 to 23 and weekday 0 (Monday) to 6.")
		*dst = &n
	}
	v.Check(q.Get("outcome") == "", "outcome", "A report figure is not combined with an outcome: choose one or the other.")
	v.Check(strings.TrimSpace(q.Get("phone")) == "", "phone", "A report figure is not combined with a number: choose one or the other.")
	skip := 0
	if raw := q.Get("skip"); raw != "" {
		n, err := strconv.Atoi(raw)
		v.Check(err == nil && n >= 0, "skip", "Must be a positive number.")
		skip = n
	}
	if err := v.Err(); err != nil {
		return nil, "", sel, err
	}
	p, err := s.parseReportParams(r)
	if err != nil {
		return nil, "", sel, err
	}
	ids, err := s.desk.ReportCallIDs(r.Context(), agentFrom(r), p.Query, slice)
	if err != nil {
		return nil, "", sel, err
	}
	sel.Count = len(ids)
	sel.Period = p.Query.Period.From.Format("02.01.2006")
	if p.Query.Period.Days() > 1 {
		sel.Period += " – " + p.Query.Period.To.Format("02.01.2006")
	}
	if slice.Hour != nil {
		sel.Hour = strconv.Itoa(*slice.Hour) + ":00–" + strconv.Itoa(*slice.Hour) + ":59"
	}
	if slice.Weekday != nil {
		sel.Weekday = weekdayNames[*slice.Weekday]
	}
	back := url.Values{}
	for k, vals := range p.Values {
		back[k] = vals
	}
	sel.Back = "/reports?" + back.Encode()
	if skip > len(ids) {
		skip = len(ids)
	}
	end := min(skip+callsPageSize, len(ids))
	calls, err := s.db.CallsByIDs(r.Context(), ids[skip:end])
	if err != nil {
		return nil, "", sel, err
	}
	next := ""
	if end < len(ids) {
		nq := url.Values{}
		for k, vals := range q {
			nq[k] = vals
		}
		nq.Set("skip", strconv.Itoa(end))
		next = "/calls?" + nq.Encode()
	}
	return calls, next, sel, nil
}

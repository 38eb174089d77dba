package web

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// reportsCSV is GET /reports/calls.csv?table=summary|by_hour|by_day|heatmap|agents
// with the report's parameters: one table of the page as CSV, headers in the
// reader's language, durations in seconds and rates as fractions like the API.
func (s *Server) reportsCSV(w http.ResponseWriter, r *http.Request) {
	table := r.URL.Query().Get("table")
	switch table {
	case "summary", "by_hour", "by_day", "heatmap", "agents":
	default:
		s.fail(w, r, ringdesk.NewFieldError(ringdesk.EINVALID, "table", ringdesk.T("Table must be summary, by_hour, by_day, heatmap or agents.")))
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
	lang := s.lang(agentFrom(r), r)
	tr := func(s string) string { return translate(lang, s) }
	j := toReportJSON(p, rep, names)
	rows := [][]string{}
	n := strconv.Itoa
	f := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	i := func(v *int64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatInt(*v, 10)
	}
	i64 := func(v int64) string { return strconv.FormatInt(v, 10) }
	switch table {
	case "summary":
		rows = append(rows, []string{tr("Figure"), tr("Value")})
		for _, kv := range [][2]string{
			{"offered", n(j.Inbound.Offered)}, {"answered", n(j.Inbound.Answered)}, {"answered_within", n(j.Inbound.AnsweredWithin)},
			{"missed", n(j.Inbound.Missed)}, {"short_abandoned", n(j.Inbound.ShortAbandoned)}, {"service_level", f(j.Inbound.ServiceLevel)},
			{"asa_seconds", f(j.Inbound.ASASeconds)}, {"missed_wait_seconds", f(j.Inbound.MissedWaitSeconds)},
			{"longest_wait_seconds", i64(j.Inbound.LongestWaitSeconds)}, {"talk_total_seconds", i64(j.Talk.TotalSeconds)},
			{"talk_avg_seconds", f(j.Talk.AvgSeconds)}, {"aht_seconds", f(j.Talk.AHTSeconds)},
			{"outbound_attempts", n(j.Outbound.Attempts)}, {"outbound_answered", n(j.Outbound.Answered)},
			{"outbound_talk_seconds", i64(j.Outbound.TalkSeconds)}, {"callbacks_missed", n(j.CallBacks.Missed)},
			{"callbacks_called_back", n(j.CallBacks.CalledBack)}, {"callbacks_rate", f(j.CallBacks.Rate)},
			{"callbacks_median_seconds", i(j.CallBacks.MedianSeconds)}, {"callbacks_p90_seconds", i(j.CallBacks.P90Seconds)},
			{"callbacks_never", n(j.CallBacks.Never)}, {"callbacks_first_attempt", n(j.CallBacks.FirstAttempt)},
			{"callbacks_uis_reported", n(j.CallBacks.UISReported)}, {"callbacks_uis_median_seconds", i(j.CallBacks.UISMedianSeconds)},
			{"callbacks_uis_p90_seconds", i(j.CallBacks.UISP90Seconds)},
		} {
			rows = append(rows, []string{kv[0], kv[1]})
		}
	case "by_hour":
		rows = append(rows, []string{tr("Hour"), tr("Calls answered"), tr("Calls missed")})
		for _, h := range j.ByHour {
			rows = append(rows, []string{n(h.Hour), n(h.Answered), n(h.Missed)})
		}
	case "by_day":
		rows = append(rows, []string{tr("Date"), tr("Calls offered"), tr("Calls answered"), tr("Answered within T"), tr("Calls missed"), tr("Short abandons"), tr("Service level")})
		for _, d := range j.ByDay {
			rows = append(rows, []string{d.Date, n(d.Offered), n(d.Answered), n(d.AnsweredWithin), n(d.Missed), n(d.ShortAbandoned), f(d.ServiceLevel)})
		}
	case "heatmap":
		rows = append(rows, []string{tr("Weekday"), tr("Hour"), tr("Calls missed")})
		for w, hours := range j.MissedHeatmap {
			for h, c := range hours {
				rows = append(rows, []string{tr(weekdayNames[w]), n(h), n(c)})
			}
		}
	case "agents":
		rows = append(rows, []string{tr("Agent"), tr("Calls answered"), tr("Outgoing calls"), tr("Outgoing answered"), tr("Talk time, s"),
			tr("Average handle time, s"), tr("Call backs made"), tr("Tickets solved")})
		for _, a := range j.Agents {
			rows = append(rows, []string{a.Name, n(a.Answered), n(a.Outgoing), n(a.OutgoingAnswered), i64(a.TalkSeconds),
				f(a.AHTSeconds), n(a.CallBacks), n(a.TicketsSolved)})
		}
	}
	name := "calls-" + table + "-" + j.From + "-" + j.To + ".csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	// A byte order mark, so that spreadsheets read the Cyrillic as UTF-8.
	w.Write([]byte("\ufeff"))
	cw := csv.NewWriter(w)
	cw.WriteAll(rows)
}

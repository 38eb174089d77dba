package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// The reports page: the figures with their definitions, three charts drawn
// as SVG on the server (each with its numbers in a table beside it) and the
// per-agent table. Every number and bar links to the Calls page listing
// exactly the calls behind it.

// figure is one number of the page.
type figure struct {
	ID    string // for tests and CSV: the JSON name
	Label string // English; the template translates
	Value string // formatted
	Help  string // the definition, English
	Href  string // the calls behind it ("" when no calls are)
	// Wide is a value in words rather than a number: it may wrap below
	// its label.
	Wide bool
}

// figureGroup is a card of figures.
type figureGroup struct {
	Title   string
	Figures []figure
}

// svgBar is a rectangle of a chart, linked to the calls it counts.
type svgBar struct {
	X, Y, W, H float64
	Class      string
	Href       string
	Title      string
}

// svgText is a label of a chart.
type svgText struct {
	X, Y   float64
	Text   string
	Anchor string
	Class  string
}

// chart is an SVG chart with its size.
type chart struct {
	W, H   float64
	Bars   []svgBar
	Labels []svgText
	// Line is the points of a line (the service level), "x,y x,y ...",
	// and Dots the same points, each with its value.
	Line  string
	Dots  []svgText
	Grid  []svgText // right-hand axis labels
	Empty bool
}

// hourRow, dayRow, heatRow are the tables beside the charts.
type hourRow struct {
	Hour                   string
	Answered, Missed       int
	AnsweredHref, MissHref string
}

type dayRow struct {
	Date                              string
	Offered, Answered, Missed         int
	SL                                string
	OfferedHref, AnsweredHref, MissHr string
}

type heatRow struct {
	Weekday string
	Hour    string
	Missed  int
	Href    string
}

// agentRow is a row of the per-agent table.
type agentRow struct {
	Name                                      string
	Answered, Outgoing, CallBacks, Solved     int
	Talk, AHT                                 string
	AnsweredHref, OutgoingHref, CallBacksHref string
	talkSecs                                  int64
	aht                                       float64
}

type sortLink struct {
	Key, Label, Href string
	Current          bool
}

type reportPage struct {
	Form     url.Values
	Preset   string
	Presets  []presetOption
	Channels []*ringdesk.Channel
	Groups   []*ringdesk.Group
	Agents   []*ringdesk.Agent
	Period   string
	Days     int
	Figures  []figureGroup
	Hours    chart
	HourRows []hourRow
	DaysC    chart
	DayRows  []dayRow
	Heat     chart
	HeatRows []heatRow
	AgentRow []agentRow
	Sorts    []sortLink
	CSV      func(table string) string
	CSVBase  string
	// Thresholds say which T and S the figures used, when one channel's.
	Thresholds string
}

type presetOption struct{ Value, Label string }

// presetOptions are the period picker's choices (labels in English; the
// template translates).
var presetOptions = []presetOption{
	{ringdesk.PeriodToday, "Today"}, {ringdesk.PeriodYesterday, "Yesterday"}, {ringdesk.PeriodThisWeek, "This week"},
	{ringdesk.PeriodLast7, "Last 7 days"}, {ringdesk.PeriodLast30, "Last 30 days"}, {ringdesk.PeriodCustom, "Custom"},
}

// reportsPage is GET /reports.
func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	page := &reportPage{Form: r.URL.Query(), Presets: presetOptions}
	d := pageData{Title: "Call reports", Nav: "reports", Data: page}
	var err error
	if page.Channels, err = s.db.ListChannels(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.Groups, err = s.db.ListGroups(ctx, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.Agents, err = s.db.ListAgents(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.parseReportParams(r)
	page.Preset = p.Preset
	if err != nil {
		if ringdesk.ErrorCode(err) != ringdesk.EINVALID {
			s.fail(w, r, err)
			return
		}
		_, d.Errors = s.localize(r, err)
		s.renderStatus(w, r, http.StatusBadRequest, "reports", d)
		return
	}
	rep, err := s.desk.CallReport(ctx, agentFrom(r), p.Query)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The date fields show the period the figures are of, a preset's too.
	page.Form = url.Values{}
	for k, v := range r.URL.Query() {
		page.Form[k] = v
	}
	page.Form.Set("from", p.Values.Get("from"))
	page.Form.Set("to", p.Values.Get("to"))
	names := map[int64]string{}
	for _, a := range page.Agents {
		names[a.ID] = a.Name
	}
	lang := s.lang(agentFrom(r), r)
	tr := func(s string) string { return translate(lang, s) }
	page.fill(p, rep, names, lang, tr, r.URL.Query().Get("sort"))
	for _, c := range page.Channels {
		if c.ID == p.Query.Filter.ChannelID || len(page.Channels) == 1 {
			th := c.UIS.Thresholds()
			page.Thresholds = fmt.Sprintf(tr("T = %d s, S = %d s"), th.AnswerWithin, th.ShortAbandon)
		}
	}
	s.render(w, r, "reports", d)
}

func (page *reportPage) fill(p reportParams, rep *ringdesk.CallFigures, names map[int64]string, lang string, tr func(string) string, sortKey string) {
	per := p.Query.Period
	page.Days = per.Days()
	page.Period = per.From.Format("02.01.2006")
	if page.Days > 1 {
		page.Period += " – " + per.To.Format("02.01.2006")
	}
	page.CSVBase = "/reports/calls.csv?" + p.Values.Encode()
	page.Figures = reportFigures(p, rep, lang)
	page.Hours, page.HourRows = hourChart(p, rep, tr)
	page.DaysC, page.DayRows = dayChart(p, rep, lang, tr)
	page.Heat, page.HeatRows = heatChart(p, rep, tr)
	p.preset = page.Preset
	page.AgentRow, page.Sorts = agentRows(p, rep, names, sortKey)
}

// percent formats a fraction as a percentage in the reader's language.
func percent(v *float64, lang string) string {
	if v == nil {
		return "—"
	}
	s := strconv.FormatFloat(*v*100, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if lang == ringdesk.LangRU {
		return strings.Replace(s, ".", ",", 1) + " %"
	}
	return s + "%"
}

// secs formats an average or a duration in seconds as h:mm:ss or m:ss.
func secs(v *float64) string {
	if v == nil {
		return "—"
	}
	return durationWords(int64(*v + 0.5))
}

func secsp(v *int64) string {
	if v == nil {
		return "—"
	}
	return durationWords(*v)
}

// uisCallBack puts UIS's time to call back in words: "median 7:00, p90
// 12:30 (312 calls)", or "no UIS data".
func uisCallBack(cb ringdesk.CallBackFigures, lang string) string {
	if cb.UISReported == 0 {
		return translate(lang, "no UIS data")
	}
	return fmt.Sprintf(translate(lang, "median %s, p90 %s"), secsp(cb.UISMedianSeconds), secsp(cb.UISP90Seconds)) +
		" (" + plural(lang, int64(cb.UISReported), "%d call", "%d calls") + ")"
}

func reportFigures(p reportParams, rep *ringdesk.CallFigures, lang string) []figureGroup {
	in, cb := rep.Inbound, rep.CallBacks
	link := func(metric string, n int) string {
		if n == 0 {
			return ""
		}
		return p.callsLink(metric, -1, -1)
	}
	num := strconv.Itoa
	talked := in.Answered + rep.Outbound.Answered
	return []figureGroup{
		{Title: "Incoming calls", Figures: []figure{
			{ID: "offered", Label: "Calls offered", Value: num(in.Offered), Href: link(ringdesk.MetricOffered, in.Offered),
				Help: "Incoming calls that started in the period."},
			{ID: "answered", Label: "Calls answered", Value: num(in.Answered), Href: link(ringdesk.MetricAnswered, in.Answered),
				Help: "Incoming calls an agent answered."},
			{ID: "missed", Label: "Calls missed", Value: num(in.Missed), Href: link(ringdesk.MetricMissed, in.Missed),
				Help: "Incoming calls nobody answered: the caller hung up or UIS gave up."},
			{ID: "short_abandoned", Label: "Short abandons", Value: num(in.ShortAbandoned), Href: link(ringdesk.MetricShortAbandoned, in.ShortAbandoned),
				Help: "Missed calls whose caller hung up within S seconds of waiting (the channel's setting, 5 by default). They are left out of the service level."},
			{ID: "service_level", Label: "Service level", Value: percent(in.ServiceLevel, lang), Href: link(ringdesk.MetricAnsweredWithin, in.AnsweredWithin),
				Help: "Calls answered within T seconds of waiting (the channel's setting, 20 by default) divided by answered calls plus missed calls after S seconds."},
			{ID: "asa_seconds", Label: "Average speed of answer", Value: secs(in.ASASeconds), Href: link(ringdesk.MetricAnswered, in.Answered),
				Help: "The average wait of answered incoming calls before an agent answered."},
			{ID: "missed_wait_seconds", Label: "Average wait of missed", Value: secs(in.MissedWaitSeconds), Href: link(ringdesk.MetricMissed, in.Missed),
				Help: "The average wait of missed calls before the caller hung up."},
			{ID: "longest_wait_seconds", Label: "Longest wait of missed", Value: secsp(&in.LongestWaitSeconds), Href: link(ringdesk.MetricMissed, in.Missed),
				Help: "The longest wait of a missed call."},
		}},
		{Title: "Call backs of missed calls", Figures: []figure{
			{ID: "called_back", Label: "Called back", Value: num(cb.CalledBack) + " (" + percent(cb.Rate, lang) + ")", Href: link(ringdesk.MetricCalledBack, cb.CalledBack),
				Help: "Missed calls followed by an answered call with the client: an agent called back and the client picked up, or the client called again and was answered. In brackets: the share of missed calls."},
			{ID: "median_seconds", Label: "Time to call back, median", Value: secsp(cb.MedianSeconds), Href: link(ringdesk.MetricCalledBack, cb.CalledBack),
				Help: "From the end of the missed call to the start of the answered call back: half of the calls called back were called back within this time."},
			{ID: "p90_seconds", Label: "Time to call back, 90th percentile", Value: secsp(cb.P90Seconds), Href: link(ringdesk.MetricCalledBack, cb.CalledBack),
				Help: "Nine in ten of the calls called back were called back within this time, from the end of the missed call to the start of the call back."},
			{ID: "never", Label: "Never called back", Value: num(cb.Never), Href: link(ringdesk.MetricNeverCalledBack, cb.Never),
				Help: "Missed calls with no answered call with the client since."},
			{ID: "first_attempt", Label: "Reached at the first attempt", Value: num(cb.FirstAttempt), Href: link(ringdesk.MetricFirstAttempt, cb.FirstAttempt),
				Help: "Missed calls called back by the first outgoing call to the client after the miss."},
			{ID: "uis_median_seconds", Label: "Time to call back, by UIS", Value: uisCallBack(cb, lang), Href: link(ringdesk.MetricUISReported, cb.UISReported), Wide: true,
				Help: "UIS's own figure beside ours: lost_call_processing_duration of the UIS calls report, from the missed call to the first successful call back, as UIS counts it. Reconciliation fills it in for the missed calls it reads, and reads the last day's missed calls again every 10 minutes, which covers call backs within a day of the miss; shown are the median and 90th percentile, and how many missed calls UIS reports it for."},
		}},
		{Title: "Talk", Figures: []figure{
			{ID: "talk_total_seconds", Label: "Talk time", Value: durationWords(rep.Talk.TotalSeconds), Href: link(ringdesk.MetricTalked, talked),
				Help: "Talk time of answered calls, incoming and outgoing."},
			{ID: "talk_avg_seconds", Label: "Average talk", Value: secs(rep.Talk.AvgSeconds), Href: link(ringdesk.MetricTalked, talked),
				Help: "Talk time divided by answered calls."},
			{ID: "aht_seconds", Label: "Average handle time", Value: secs(rep.Talk.AHTSeconds), Href: link(ringdesk.MetricTalked, talked),
				Help: "Talk time plus the after-call work UIS reports, divided by answered calls."},
		}},
		{Title: "Outgoing calls", Figures: []figure{
			{ID: "attempts", Label: "Attempts", Value: num(rep.Outbound.Attempts), Href: link(ringdesk.MetricOutbound, rep.Outbound.Attempts),
				Help: "Outgoing calls placed."},
			{ID: "outbound_answered", Label: "Calls answered", Value: num(rep.Outbound.Answered), Href: link(ringdesk.MetricOutboundAnswered, rep.Outbound.Answered),
				Help: "Outgoing calls the client answered."},
			{ID: "outbound_talk_seconds", Label: "Talk time", Value: durationWords(rep.Outbound.TalkSeconds), Href: link(ringdesk.MetricOutboundAnswered, rep.Outbound.Answered),
				Help: "Talk time of outgoing calls."},
		}},
	}
}

// Chart geometry: a plot area inside margins for the axis labels.
const (
	chartW    = 720.0
	chartH    = 220.0
	chartLeft = 48.0
	chartBot  = 24.0
	chartTop  = 18.0
)

// niceMax rounds a chart's top up to 1, 2 or 5 times a power of ten.
func niceMax(n int) int {
	if n <= 4 {
		return 4
	}
	p := 1
	for p*10 < n {
		p *= 10
	}
	for _, m := range []int{1, 2, 5, 10} {
		if m*p >= n {
			return m * p
		}
	}
	return 10 * p
}

// yAxis labels the left axis at 0, half and the top.
func yAxis(top int) []svgText {
	plot := chartH - chartBot - chartTop
	var out []svgText
	for _, v := range []int{0, top / 2, top} {
		out = append(out, svgText{X: chartLeft - 4, Y: chartTop + plot - plot*float64(v)/float64(top) + 4, Text: strconv.Itoa(v), Anchor: "end"})
	}
	return out
}

func hourChart(p reportParams, rep *ringdesk.CallFigures, tr func(string) string) (chart, []hourRow) {
	c := chart{W: chartW, H: chartH}
	top := 0
	for _, h := range rep.ByHour {
		top = max(top, h.Answered, h.Missed)
	}
	c.Empty = top == 0
	top = niceMax(top)
	plot := chartH - chartBot - chartTop
	slot := (chartW - chartLeft) / 24
	bw := slot * 0.38
	var rows []hourRow
	for _, h := range rep.ByHour {
		x := chartLeft + float64(h.Hour)*slot + slot*0.1
		label := fmt.Sprintf("%02d:00", h.Hour)
		for i, v := range []struct {
			n      int
			class  string
			metric string
			word   string
		}{{h.Answered, "ans", ringdesk.MetricAnswered, "Calls answered"}, {h.Missed, "miss", ringdesk.MetricMissed, "Calls missed"}} {
			if v.n == 0 {
				continue
			}
			ht := plot * float64(v.n) / float64(top)
			c.Bars = append(c.Bars, svgBar{X: x + float64(i)*bw, Y: chartTop + plot - ht, W: bw, H: ht, Class: v.class,
				Href: p.callsLink(v.metric, h.Hour, -1), Title: fmt.Sprintf("%s · %s: %d", label, tr(v.word), v.n)})
		}
		if h.Hour%3 == 0 {
			c.Labels = append(c.Labels, svgText{X: chartLeft + float64(h.Hour)*slot + slot/2, Y: chartH - 6, Text: fmt.Sprintf("%02d", h.Hour), Anchor: "middle"})
		}
		rows = append(rows, hourRow{Hour: label, Answered: h.Answered, Missed: h.Missed,
			AnsweredHref: p.callsLink(ringdesk.MetricAnswered, h.Hour, -1), MissHref: p.callsLink(ringdesk.MetricMissed, h.Hour, -1)})
	}
	c.Labels = append(c.Labels, yAxis(top)...)
	return c, rows
}

func dayChart(p reportParams, rep *ringdesk.CallFigures, lang string, tr func(string) string) (chart, []dayRow) {
	c := chart{W: chartW, H: chartH}
	top := 0
	for _, d := range rep.ByDay {
		top = max(top, d.Answered+d.Missed)
	}
	c.Empty = top == 0
	top = niceMax(top)
	right := chartW - 52
	plot := chartH - chartBot - chartTop
	slot := (right - chartLeft) / float64(len(rep.ByDay))
	bw := min(max(slot*0.7, 1), 48)
	var points []string
	var rows []dayRow
	every := max(1, len(rep.ByDay)/8)
	for i, d := range rep.ByDay {
		x := chartLeft + float64(i)*slot + (slot-bw)/2
		label := d.Date.Format("02.01")
		base := chartTop + plot
		for _, v := range []struct {
			n      int
			class  string
			metric string
			word   string
		}{{d.Answered, "ans", ringdesk.MetricAnswered, "Calls answered"}, {d.Missed, "miss", ringdesk.MetricMissed, "Calls missed"}} {
			if v.n == 0 {
				continue
			}
			ht := plot * float64(v.n) / float64(top)
			c.Bars = append(c.Bars, svgBar{X: x, Y: base - ht, W: bw, H: ht, Class: v.class, Href: p.dayLink(v.metric, d.Date),
				Title: fmt.Sprintf("%s · %s: %d", label, tr(v.word), v.n)})
			base -= ht
		}
		if d.ServiceLevel != nil {
			y := chartTop + plot - plot**d.ServiceLevel
			points = append(points, fmt.Sprintf("%.1f,%.1f", x+bw/2, y))
			c.Dots = append(c.Dots, svgText{X: x + bw/2, Y: y, Text: label + " · " + tr("Service level") + ": " + percent(d.ServiceLevel, lang)})
		}
		if i%every == 0 {
			c.Labels = append(c.Labels, svgText{X: x + bw/2, Y: chartH - 6, Text: label, Anchor: "middle"})
		}
		dateText := d.Date.Format("02.01")
		if p.Query.Period.From.Year() != p.Query.Period.To.Year() {
			dateText = d.Date.Format("02.01.2006")
		}
		rows = append(rows, dayRow{Date: dateText, Offered: d.Offered, Answered: d.Answered, Missed: d.Missed,
			SL: percent(d.ServiceLevel, lang), OfferedHref: p.dayLink(ringdesk.MetricOffered, d.Date),
			AnsweredHref: p.dayLink(ringdesk.MetricAnswered, d.Date), MissHr: p.dayLink(ringdesk.MetricMissed, d.Date)})
	}
	c.Line = strings.Join(points, " ")
	c.Labels = append(c.Labels, yAxis(top)...)
	for _, v := range []int{0, 50, 100} {
		c.Grid = append(c.Grid, svgText{X: chartW - 2, Y: chartTop + plot - plot*float64(v)/100 + 4, Text: strconv.Itoa(v) + "%", Anchor: "end"})
	}
	return c, rows
}

// weekdayNames are Monday first, English; the template translates.
var weekdayNames = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

func heatChart(p reportParams, rep *ringdesk.CallFigures, tr func(string) string) (chart, []heatRow) {
	const left, topM = 40.0, 4.0
	cell := (chartW - left) / 24
	rowH := 24.0
	c := chart{W: chartW, H: topM + rowH*7 + 20}
	top := 0
	for _, w := range rep.Heat {
		for _, n := range w {
			top = max(top, n)
		}
	}
	c.Empty = top == 0
	var rows []heatRow
	for w, hours := range rep.Heat {
		y := topM + float64(w)*rowH
		c.Labels = append(c.Labels, svgText{X: left - 6, Y: y + rowH/2 + 5, Text: tr(weekdayNames[w]), Anchor: "end", Class: "heat-label"})
		for h, n := range hours {
			x := left + float64(h)*cell
			b := svgBar{X: x + 1, Y: y + 1, W: cell - 2, H: rowH - 2, Class: "heat0",
				Title: fmt.Sprintf("%s %02d:00 · %s: %d", tr(weekdayNames[w]), h, tr("Calls missed"), n)}
			if n > 0 {
				// Five shades, the darkest for the busiest hour.
				b.Class = "heat" + strconv.Itoa(1+4*n/(top+1))
				b.Href = p.callsLink(ringdesk.MetricMissed, h, w)
				rows = append(rows, heatRow{Weekday: weekdayNames[w], Hour: fmt.Sprintf("%02d:00", h), Missed: n, Href: b.Href})
			}
			c.Bars = append(c.Bars, b)
		}
	}
	for h := 0; h < 24; h += 3 {
		c.Labels = append(c.Labels, svgText{X: left + float64(h)*cell + cell/2, Y: c.H - 4, Text: fmt.Sprintf("%02d", h), Anchor: "middle"})
	}
	return c, rows
}

// agentSorts are the per-agent table's sort keys, in column order.
var agentSorts = []struct{ key, label string }{
	{"name", "Agent"}, {"answered", "Calls answered"}, {"outgoing", "Outgoing calls"}, {"talk", "Talk time"},
	{"aht", "Average handle time"}, {"callbacks", "Call backs made"}, {"solved", "Tickets solved"},
}

func agentRows(p reportParams, rep *ringdesk.CallFigures, names map[int64]string, key string) ([]agentRow, []sortLink) {
	var rows []agentRow
	for _, a := range rep.Agents {
		ap := p
		ap.Values = url.Values{}
		for k, v := range p.Values {
			ap.Values[k] = v
		}
		id := strconv.FormatInt(a.AgentID, 10)
		ap.Values.Set("agent_id", id)
		row := agentRow{Name: names[a.AgentID], Answered: a.Answered, Outgoing: a.Outgoing, CallBacks: a.CallBacks,
			Solved: a.TicketsSolve, Talk: durationWords(a.TalkSeconds), AHT: secs(a.AHTSeconds), talkSecs: a.TalkSeconds,
			AnsweredHref: ap.callsLink(ringdesk.MetricAnswered, -1, -1), OutgoingHref: ap.callsLink(ringdesk.MetricOutbound, -1, -1),
			CallBacksHref: ap.callsLink(ringdesk.MetricCallBacksMade, -1, -1)}
		if row.Name == "" {
			row.Name = "#" + id
		}
		if a.AHTSeconds != nil {
			row.aht = *a.AHTSeconds
		}
		rows = append(rows, row)
	}
	less := map[string]func(a, b agentRow) bool{
		"name":      func(a, b agentRow) bool { return strings.ToLower(a.Name) < strings.ToLower(b.Name) },
		"answered":  func(a, b agentRow) bool { return a.Answered > b.Answered },
		"outgoing":  func(a, b agentRow) bool { return a.Outgoing > b.Outgoing },
		"talk":      func(a, b agentRow) bool { return a.talkSecs > b.talkSecs },
		"aht":       func(a, b agentRow) bool { return a.aht > b.aht },
		"callbacks": func(a, b agentRow) bool { return a.CallBacks > b.CallBacks },
		"solved":    func(a, b agentRow) bool { return a.Solved > b.Solved },
	}
	if less[key] == nil {
		key = "answered"
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if less[key](rows[i], rows[j]) != less[key](rows[j], rows[i]) {
			return less[key](rows[i], rows[j])
		}
		return strings.ToLower(rows[i].Name) < strings.ToLower(rows[j].Name)
	})
	var links []sortLink
	for _, s := range agentSorts {
		q := url.Values{}
		for k, v := range p.Values {
			q[k] = v
		}
		q.Set("sort", s.key)
		if p.preset != "" && p.preset != ringdesk.PeriodCustom {
			q.Set("period", p.preset)
		}
		links = append(links, sortLink{Key: s.key, Label: s.label, Href: "/reports?" + q.Encode() + "#agents", Current: s.key == key})
	}
	return rows, links
}

// reportDayLabel formats a day of a report for a CSV file.
func reportDayLabel(t time.Time) string { return t.Format(reportDay) }

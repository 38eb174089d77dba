package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// callRow is one call in a table of calls.
type callRow struct {
	*ringdesk.Call
	ClientName   string
	AgentName    string
	Outcome      string // answered, missed, busy, no_answer, ""
	OutcomeText  string
	Started      string // in Moscow time
	Duration     string
	Phone        string // for people: +7 926 123-45-67
	Line         string // the virtual number, for people
	HasRecording bool
}

// callRows is what the "call-rows" partial renders: the client card and
// the ticket page give it their calls (built with Server.callRowsFor).
type callRows struct {
	Rows       []callRow
	ShowClient bool
	// More links to the next page of these calls, "" on the last page.
	More string
}

// callRowsFor dresses calls for the "call-rows" partial.
func (s *Server) callRowsFor(ctx context.Context, calls []*ringdesk.Call, showClient bool) (callRows, error) {
	agents, err := s.agentNames(ctx)
	if err != nil {
		return callRows{}, err
	}
	ids := make([]int64, len(calls))
	for i, c := range calls {
		ids[i] = c.ClientID
	}
	clients, err := s.db.ClientNames(ctx, ids)
	if err != nil {
		return callRows{}, err
	}
	out := callRows{ShowClient: showClient, Rows: make([]callRow, len(calls))}
	now := s.desk.Now()
	for i, c := range calls {
		r := callRow{Call: c, ClientName: clients[c.ClientID], Outcome: c.CallOutcome(), Started: clock(ctx, c.StartedAt),
			Duration: callDuration(c, "total"), Phone: phone.Display(c.ContactPhone), Line: phone.Display(c.VirtualPhoneNumber),
			HasRecording: len(c.Recordings) > 0}
		r.OutcomeText = outcomeWords(r.Outcome)
		if c.StateUnknown(now) {
			r.OutcomeText = "State unknown"
		}
		if c.AgentID != nil {
			r.AgentName = agents[*c.AgentID]
		}
		out.Rows[i] = r
	}
	return out, nil
}

func (s *Server) agentNames(ctx context.Context) (map[int64]string, error) {
	list, err := s.db.ListAgents(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(list))
	for _, a := range list {
		out[a.ID] = a.Name
	}
	return out, nil
}

// clock formats a time for people, in the zone of the request's agent.
func clock(ctx context.Context, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(zoneOfCtx(ctx)).Format("02.01.2006 15:04:05")
}

func clockp(ctx context.Context, t *time.Time) string {
	if t == nil {
		return ""
	}
	return clock(ctx, *t)
}

type callsPage struct {
	Calls    callRows
	Form     url.Values
	Agents   []*ringdesk.Agent
	Channels []*ringdesk.Channel
	Paged    bool // not the first page
	// FilterCount is how many filters are set, which the Filters button
	// shows on a phone, where the filters are folded under it.
	FilterCount int
	// Report says which report figure's calls these are (nil: none);
	// Metrics lists the figures the filter offers (supervisors and admins).
	Report  *reportSelection
	Metrics []struct{ Metric, Label string }
}

// callFilterCount counts the filters set in q (a date range is one).
func callFilterCount(q url.Values) int {
	n := 0
	for _, keys := range [][]string{{"direction"}, {"outcome"}, {"agent_id"}, {"channel_id"}, {"from", "to"}, {"phone"}, {"metric"}} {
		for _, k := range keys {
			if q.Get(k) != "" {
				n++
				break
			}
		}
	}
	return n
}

// callsList is GET /calls: every call, filtered, newest first.
func (s *Server) callsList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	agents, err := s.db.ListAgents(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	channels, err := s.db.ListChannels(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := callsPage{Form: r.URL.Query(), Agents: agents, Channels: channels, Paged: r.URL.Query().Get("cursor") != "",
		FilterCount: callFilterCount(r.URL.Query())}
	d := pageData{Title: "Calls", Nav: "calls", Data: &page}
	if agentFrom(r).CanSeeReports() {
		page.Metrics = metricLabels
	}
	if r.URL.Query().Get("metric") != "" {
		s.callsOfMetric(w, r, &page, d)
		return
	}
	f, err := s.callFilter(r)
	if err != nil {
		_, d.Errors = s.localize(r, err)
		s.renderStatus(w, r, http.StatusBadRequest, "calls", d)
		return
	}
	calls, next, err := s.db.ListCalls(ctx, f)
	if err != nil {
		if ringdesk.ErrorCode(err) == ringdesk.EINVALID {
			_, d.Errors = s.localize(r, err)
			s.renderStatus(w, r, http.StatusBadRequest, "calls", d)
			return
		}
		s.fail(w, r, err)
		return
	}
	if page.Calls, err = s.callRowsFor(ctx, calls, true); err != nil {
		s.fail(w, r, err)
		return
	}
	if next != "" {
		q := r.URL.Query()
		q.Set("cursor", next)
		page.Calls.More = "/calls?" + q.Encode()
	}
	s.render(w, r, "calls", d)
}

// callsOfMetric is the Calls page filtered by a report figure.
func (s *Server) callsOfMetric(w http.ResponseWriter, r *http.Request, page *callsPage, d pageData) {
	calls, next, sel, err := s.metricCalls(r)
	page.Report = sel
	if err != nil {
		if ringdesk.ErrorCode(err) == ringdesk.EINVALID {
			_, d.Errors = s.localize(r, err)
			s.renderStatus(w, r, http.StatusBadRequest, "calls", d)
			return
		}
		s.fail(w, r, err)
		return
	}
	if page.Calls, err = s.callRowsFor(r.Context(), calls, true); err != nil {
		s.fail(w, r, err)
		return
	}
	page.Calls.More = next
	page.Paged = r.URL.Query().Get("skip") != ""
	s.render(w, r, "calls", d)
}

// callEmployee is a UIS employee of a call, linked to an agent or not.
type callEmployee struct {
	ringdesk.CallEmployee
	AgentName string
}

type callEvent struct {
	Kind string
	At   string
	Raw  string
}

type callPage struct {
	Call          *ringdesk.Call
	Row           callRow
	Client        *ringdesk.Client
	ChannelName   string
	State         string
	Answered      string
	Finished      string
	Wait, Talk    string
	Total         string
	FinishReason  string
	LostReason    string
	Employees     []callEmployee
	Recordings    []recordingJSON
	Archived      map[int]bool
	Events        []callEvent
	Admin         bool
	VirtualNumber string
	ClientCalls   callRows
	// CallingNumber and CalledNumber are formatted like other numbers.
	CallingNumber, CalledNumber string
	// Source is the UIS call source in words (English; the template translates).
	Source string
	// UISName is the contact name UIS gave, when it differs from the client's.
	UISName string
	// Note says what notifications did not tell (see callNote).
	Note string
	// Warnings are what UIS sent that could not be used as sent (shown to
	// administrators).
	Warnings []callWarningView
}

// callWarningView is a warning with its problem in words (English; the
// template translates).
type callWarningView struct {
	ringdesk.CallWarning
	Problem string
}

// callShow is GET /calls/{id}: everything known about a call.
func (s *Server) callShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.db.CallByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.callRowsFor(ctx, []*ringdesk.Call{c}, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	agents, err := s.agentNames(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	me := agentFrom(r)
	p := &callPage{Call: c, Row: rows.Rows[0], State: stateWords(c.State), Answered: clockp(ctx, c.AnsweredAt), Finished: clockp(ctx, c.FinishedAt),
		Wait: callDuration(c, "wait"), Talk: callDuration(c, "talk"), Total: callDuration(c, "total"),
		FinishReason: finishReasonWords(c.FinishReason), LostReason: finishReasonWords(c.LostReason), Recordings: recordingLinks(c),
		Admin: me != nil && me.IsAdmin(), VirtualNumber: phone.Display(c.VirtualPhoneNumber), Note: callNote(c, s.desk.Now()),
		CallingNumber: phone.Display(c.Details.CallingPhoneNumber), CalledNumber: phone.Display(c.Details.CalledPhoneNumber),
		Source: callSourceWords(c.Details.CallSource), UISName: c.ContactName}
	if c.StateUnknown(s.desk.Now()) {
		p.State = "State unknown"
	}
	if cl, err := s.db.ClientByID(ctx, c.ClientID); err == nil {
		p.Client = cl
		if sameName(cl.Name, c.ContactName) {
			p.UISName = ""
		}
	}
	if ch, err := s.db.ChannelByID(ctx, c.ChannelID); err == nil {
		p.ChannelName = ch.Name
	}
	for _, w := range maskedWarnings(c.Details.Warnings) {
		p.Warnings = append(p.Warnings, callWarningView{CallWarning: w, Problem: callWarningWords[w.Problem]})
	}
	for _, e := range c.Details.Employees {
		ce := callEmployee{CallEmployee: e}
		if e.AgentID != nil {
			ce.AgentName = agents[*e.AgentID]
		}
		p.Employees = append(p.Employees, ce)
	}
	if p.Archived, err = s.db.ArchivedRecordings(ctx, c.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.ClientCalls, err = s.callRowsOf(ctx, ringdesk.CallFilter{ClientID: c.ClientID, Limit: 10}, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Admin {
		evs, times, err := s.db.CallEvents(ctx, c.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for i, e := range evs {
			p.Events = append(p.Events, callEvent{Kind: e.Kind, At: clock(ctx, times[i]), Raw: redactedEvent(e.Raw)})
		}
	}
	s.render(w, r, "call", pageData{Title: "Call", Nav: "calls", Data: p})
}

// redactedEvent pretty-prints a stored webhook body with the channel token
// masked: it is a secret and admins see the body, not the token.
func redactedEvent(raw []byte) string {
	return shownBody(raw) // the one way raw bodies are shown (rawbody.go)
}

// callRowsOf lists one page of calls for an embedding page (the client
// card, the ticket page) with a "More" link to the Calls page filtered the
// same way. For example: s.callRowsOf(ctx, ringdesk.CallFilter{ClientID: id, Limit: 20}, false).
func (s *Server) callRowsOf(ctx context.Context, f ringdesk.CallFilter, showClient bool) (callRows, error) {
	calls, next, err := s.db.ListCalls(ctx, f)
	if err != nil {
		return callRows{}, err
	}
	rows, err := s.callRowsFor(ctx, calls, showClient)
	if err != nil {
		return callRows{}, err
	}
	if next != "" {
		q := url.Values{"cursor": {next}}
		if f.ClientID != 0 {
			q.Set("client_id", strconv.FormatInt(f.ClientID, 10))
		}
		if f.TicketID != 0 {
			q.Set("ticket_id", strconv.FormatInt(f.TicketID, 10))
		}
		rows.More = "/calls?" + q.Encode()
	}
	return rows, nil
}

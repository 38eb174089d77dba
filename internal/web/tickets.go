package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

type ticketsPage struct {
	Rows     []*ringdesk.TicketRow
	View     string
	Views    []ticketViewLink
	Query    url.Values
	Next     string
	First    string
	Agents   []*ringdesk.Agent
	Channels []*ringdesk.Channel
	Groups   []*ringdesk.Group
	// GroupViews are the open tickets of each group, with counts.
	GroupViews []ticketViewLink
	Statuses   []string
	Sort       string
	Filtered   bool
	// Clear is the view without the filters.
	Clear string
	// Return is this page's URL, where a bulk action comes back to.
	Return  string
	MaxBulk int
	Bulk    *bulkView
	// Missed holds, in the Missed calls view, each row's latest missed
	// call: what a callback needs instead of the subject.
	Missed map[int64]missedRow
	// MoreFilters counts the filters set in the Filters menu's panel, which
	// its button shows; AllFilters also counts status, assignee and group,
	// which a narrow screen keeps in the menu too.
	MoreFilters, AllFilters int
}

// moreFilters counts the filters of q set in the Filters menu's panel
// (channel, tag, the two date ranges, the sort), and all of the menu's,
// status, assignee and group too (a group view's group is the view's).
func moreFilters(q url.Values) (more, all int) {
	for _, keys := range [][]string{{"channel_id"}, {"tag"}, {"created_from", "created_to"}, {"updated_from", "updated_to"}} {
		for _, k := range keys {
			if q.Get(k) != "" {
				more++
				break
			}
		}
	}
	if q.Get("sort") == "created" {
		more++
	}
	all = more
	for _, k := range []string{"status", "assignee", "group_id"} {
		if q.Get(k) != "" && (k != "group_id" || q.Get("view") != "group") {
			all++
		}
	}
	return more, all
}

// missedRow is a missed-call ticket's latest lost call in the list, and
// its wait for a call back.
type missedRow struct {
	Phone    phoneLink // E164 empty when the caller's number is no phone number
	Raw      string
	At       time.Time
	Wait     string
	Count    int
	TicketID int64
	missedWait
}

// missedWait is how a missed ticket's wait for a call back stands.
type missedWait struct {
	// Since is when the first missed call still waiting started;
	// WaitingFor is how long ago that was.
	Since      time.Time
	WaitingFor time.Duration
	Attempts   int
	// Caller is who is calling the client back now ("" when nobody's claim
	// holds); Mine says it is the reader.
	Caller string
	Mine   bool
}

func newMissedWait(c ringdesk.MissedCall, reader *ringdesk.Agent, now time.Time) missedWait {
	w := missedWait{Since: c.At, Attempts: c.Attempts}
	if c.Since != nil {
		w.Since = *c.Since
	}
	w.WaitingFor = max(now.Sub(w.Since), 0)
	if cl := c.Claim; cl.Active(now) {
		w.Caller, w.Mine = cl.AgentName, reader != nil && cl.AgentID == reader.ID
	}
	return w
}

type ticketViewLink struct {
	Key, Name, URL string
	Count          int64
	Current        bool
}

// listQuery returns the page's query with the default view filled in.
func listQuery(r *http.Request) url.Values {
	q := r.URL.Query()
	if len(q) == 0 {
		q.Set("view", "open")
	}
	return q
}

func (s *Server) ticketsList(w http.ResponseWriter, r *http.Request) {
	s.renderTicketsList(w, r, listQuery(r), nil, nil)
}

// withoutFlash returns q without the flash message's parameters, so the
// list's own links (next page, the bulk form's return) do not repeat it.
func withoutFlash(q url.Values) url.Values {
	if q.Get("flash") == "" && q.Get("updated") == "" {
		return q
	}
	c := url.Values{}
	for k, v := range q {
		if k != "flash" && k != "updated" {
			c[k] = v
		}
	}
	if len(c) == 0 {
		c.Set("view", "open")
	}
	return c
}

// bulkFlash is the message after a bulk action changed every selected
// ticket, with their count (?flash=bulk&updated=N); "" for other pages.
func (s *Server) bulkFlash(r *http.Request, q url.Values) string {
	if q.Get("flash") != "bulk" {
		return ""
	}
	n, err := strconv.Atoi(q.Get("updated"))
	if err != nil || n < 0 {
		return "Selected tickets updated."
	}
	return plural(s.lang(agentFrom(r), r), int64(n), "%d ticket updated.", "%d tickets updated.")
}

// renderTicketsList shows the ticket list for q; bulk is the outcome of a
// bulk action with failures, ferr a refused one.
func (s *Server) renderTicketsList(w http.ResponseWriter, r *http.Request, q url.Values, bulk *bulkView, ferr error) {
	me := agentFrom(r)
	flash := s.bulkFlash(r, q)
	q = withoutFlash(q)
	d := ticketsPage{View: q.Get("view"), Query: q, Statuses: ringdesk.Statuses, Sort: q.Get("sort"), Bulk: bulk,
		Return: "/tickets?" + q.Encode(), MaxBulk: desk.MaxBulkTickets}
	if d.Sort == "" {
		d.Sort = "updated"
	}
	for _, k := range []string{"status", "assignee", "group_id", "channel_id", "tag", "client_id", "missed", "created_from", "created_to", "updated_from", "updated_to", "q"} {
		if q.Get(k) != "" && (k != "group_id" || d.View != "group") {
			d.Filtered = true
		}
	}
	d.MoreFilters, d.AllFilters = moreFilters(q)
	d.Clear = "/tickets"
	if d.View != "" {
		d.Clear += "?view=" + url.QueryEscape(d.View)
		if d.View == "group" && q.Get("group_id") != "" {
			d.Clear += "&group_id=" + url.QueryEscape(q.Get("group_id"))
		}
	}
	ctx := r.Context()
	counts, err := s.desk.TicketViewCounts(ctx, me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Groups, err = s.desk.Groups(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, v := range ticketViews {
		if v.Key == "mygroups" && len(d.Groups) == 0 {
			continue
		}
		l := ticketViewLink{Key: v.Key, Name: v.Name, URL: "/tickets?view=" + v.Key, Count: -1, Current: v.Key == d.View}
		if n, ok := counts[v.Key]; ok {
			l.Count = n
		}
		d.Views = append(d.Views, l)
	}
	for _, g := range d.Groups {
		id := strconv.FormatInt(g.ID, 10)
		d.GroupViews = append(d.GroupViews, ticketViewLink{Key: "group", Name: g.Name, URL: "/tickets?view=group&group_id=" + id,
			Count: counts[store.GroupViewKey(g.ID)], Current: d.View == "group" && q.Get("group_id") == id})
	}
	if d.Agents, err = s.desk.Agents(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Channels, err = s.db.ListChannels(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := parseTicketFilter(q, me)
	if err == nil {
		var next string
		d.Rows, next, err = s.desk.ListTickets(ctx, f)
		if next != "" {
			nq := url.Values{}
			for k, v := range q {
				nq[k] = v
			}
			nq.Set("cursor", next)
			d.Next = "/tickets?" + nq.Encode()
		}
		d.First = ticketListURL(q, "cursor", "")
	}
	if err == nil && d.View == "missed" {
		d.Missed, err = s.missedRows(ctx, agentFrom(r), d.Rows)
	}
	if err == nil {
		err = ferr
	}
	if err != nil {
		s.formError(w, r, "tickets", pageData{Title: "Tickets", Nav: "tickets", Data: d}, err)
		return
	}
	s.render(w, r, "tickets", pageData{Title: "Tickets", Nav: "tickets", Flash: flash, Data: d})
}

// missedRows looks up the latest missed call of each row and its wait.
func (s *Server) missedRows(ctx context.Context, reader *ringdesk.Agent, rows []*ringdesk.TicketRow) (map[int64]missedRow, error) {
	ids := make([]int64, len(rows))
	clients := make(map[int64]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
		clients[r.ID] = r.ClientID
	}
	calls, err := s.db.MissedCalls(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]missedRow, len(calls))
	for id, c := range calls {
		m := missedRow{Raw: c.Phone, At: c.At, Wait: durationWords(int64(c.Wait.Seconds())), Count: c.Count, TicketID: id,
			missedWait: newMissedWait(c, reader, s.desk.Now())}
		if strings.HasPrefix(c.Phone, "+") {
			m.Phone = phoneLink{E164: c.Phone, ClientID: clients[id]}
		}
		out[id] = m
	}
	return out, nil
}

// ticketFuncs are the template functions of the ticket pages: English
// names of statuses, priorities and types, which the templates translate.
var ticketFuncs = map[string]any{
	"statusName": func(s string) string {
		if s == ringdesk.StatusOnHold {
			return "On hold"
		}
		return capitalize(s)
	},
	"priorityName": capitalize,
	"auditField": func(kind string) string {
		if kind == ringdesk.EventAssignee {
			return "assignee"
		}
		return kind
	},
	"typeName": capitalize,
	"phone":    phone.Format,
	"callWho":  callWho,
}

// shortTime is t as a list shows it in zone, as short as now allows: the
// time of day today, the day and time this year, the date before.
func shortTime(t, now time.Time, zone *time.Location) string {
	if t.IsZero() {
		return ""
	}
	t, now = t.In(zone), now.In(zone)
	switch {
	case t.Year() == now.Year() && t.YearDay() == now.YearDay():
		return t.Format("15:04")
	case t.Year() == now.Year():
		return t.Format("02.01 15:04")
	}
	return t.Format("02.01.2006")
}

// whoCalled is who a call ticket is about, as the list shows it: the name
// UIS gave the contact, if any, and their number.
type whoCalled struct{ Name, Number string }

// callWho splits a call subject's Who (ringdesk.CallSubjectOf writes
// "Name (number)", or the number alone) so the list can show the name and
// the number apart, the number never broken across lines.
func callWho(s *ringdesk.CallSubject) whoCalled {
	who := s.Who
	if i := strings.LastIndex(who, " ("); i > 0 && strings.HasSuffix(who, ")") {
		return whoCalled{Name: who[:i], Number: who[i+2 : len(who)-1]}
	}
	if strings.HasPrefix(who, "+") || (who != "" && who[0] >= '0' && who[0] <= '9') {
		return whoCalled{Number: who}
	}
	return whoCalled{Name: who}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

type ticketFormPage struct {
	Form       url.Values
	Agents     []*ringdesk.Agent
	Channels   []*ringdesk.Channel
	Groups     []*ringdesk.Group
	Statuses   []string
	Priorities []string
	Types      []string
	Client     *ringdesk.Client
	// Choices are the clients an ambiguous picker search matched, offered
	// as radio buttons (the picker without JavaScript).
	Choices []*ringdesk.Client
}

func (s *Server) ticketFormData(ctx context.Context, form url.Values) (ticketFormPage, error) {
	d := ticketFormPage{Form: form, Statuses: ringdesk.Statuses, Priorities: ringdesk.Priorities, Types: ringdesk.TicketTypes}
	var err error
	if d.Agents, err = s.desk.Agents(ctx); err != nil {
		return d, err
	}
	if d.Channels, err = s.db.ListChannels(ctx); err != nil {
		return d, err
	}
	if d.Groups, err = s.desk.Groups(ctx); err != nil {
		return d, err
	}
	if id, err := strconv.ParseInt(form.Get("client_id"), 10, 64); err == nil && id > 0 {
		if d.Client, _ = s.db.ClientByID(ctx, id); d.Client != nil && !form.Has("client") {
			form.Set("client", d.Client.Name)
		}
	}
	return d, nil
}

func (s *Server) ticketNew(w http.ResponseWriter, r *http.Request) {
	form := url.Values{"status": {"open"}, "priority": {ringdesk.DefaultPriority}, "type": {ringdesk.DefaultTicketType},
		"client_id": {r.URL.Query().Get("client_id")}, "body_kind": {"reply"}}
	d, err := s.ticketFormData(r.Context(), form)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "ticket_form", pageData{Title: "New ticket", Nav: "tickets", Data: d})
}

// formID reads an optional id field of a form.
func formID(f url.Values, name string) (*int64, error) {
	v := strings.TrimSpace(f.Get(name))
	if v == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return nil, badFilter(name, "Must be a positive number.")
	}
	return &id, nil
}

func (s *Server) ticketCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	in := ringdesk.TicketCreate{Subject: f.Get("subject"), Status: f.Get("status"), Priority: f.Get("priority"),
		Type: f.Get("type"), Tags: ringdesk.SplitTags(f.Get("tags")), Body: f.Get("body"), BodyKind: f.Get("body_kind")}
	pick, err := s.pickClient(r.Context(), f)
	if err == nil {
		in.ClientID = pick.id
		if in.ChannelID, err = formID(f, "channel_id"); err == nil {
			if in.AssigneeID, err = formID(f, "assignee_id"); err == nil {
				in.GroupID, err = formID(f, "group_id")
			}
		}
	}
	var t *ringdesk.Ticket
	if err == nil {
		// An unresolved client still goes through validation (as id 0), so
		// the form shows every field's error at once.
		t, err = s.desk.CreateTicket(r.Context(), agentFrom(r), in)
	}
	if err != nil {
		if pick.problem != "" {
			err = withField(err, "client_id", pick.problem)
		}
		d, derr := s.ticketFormData(r.Context(), f)
		if derr != nil {
			s.fail(w, r, derr)
			return
		}
		d.Choices = pick.choices
		s.formError(w, r, "ticket_form", pageData{Title: "New ticket", Nav: "tickets", Data: d}, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/tickets/%d?flash=ticket", t.ID), http.StatusSeeOther)
}

type ticketPage struct {
	Ticket *ringdesk.Ticket
	Client *ringdesk.Client
	Phones []phoneLink // click-to-call, attached to this ticket
	// CallBack is the number the "Call back" button dials: on a missed-call
	// ticket whose client has a phone, the missed caller's number when it
	// is one of the client's, else the client's first.
	CallBack *phoneLink
	// Waiting is a missed ticket's wait for a call back (nil otherwise).
	Waiting      *missedWait
	Others       []*ringdesk.TicketRow
	Timeline     []timelineItem
	Agents       []*ringdesk.Agent
	Channels     []*ringdesk.Channel
	Statuses     []string
	Priorities   []string
	Types        []string
	AssigneeName string
	ChannelName  string
	// Groups are the groups a ticket may move to; GroupName names the
	// ticket's own. InGroupAgents are the active agents of the ticket's group,
	// offered first as its assignee, OtherAgents the rest.
	Groups                     []*ringdesk.Group
	GroupName                  string
	InGroupAgents, OtherAgents []*ringdesk.Agent
	Form                       url.Values
	TagsText                   string
	// RepliesDelivered: a public reply reaches the client through the
	// ticket's channel. When not, the form starts on an internal note and
	// says the reply is only kept in the ticket.
	RepliesDelivered bool
	// Reply says where a public reply goes (emailed, or why not).
	Reply replyView
}

// calledBackView is how a missed ticket's wait ended with a call.
type calledBackView struct {
	Agent    string // "" when the call's employee is linked to no agent
	Outgoing bool   // an agent called back (else the client called again)
	After    time.Duration
	CallID   int64
}

type timelineItem struct {
	*ringdesk.TicketEvent
	Author string
	// CalledBack is a called_back entry in words.
	CalledBack *calledBackView
	// From and To are the old and new values of an audit entry, for humans.
	From, To string
	Call     *callView
	Merge    *mergeView
	// GroupDeleted: a group change made by deleting the group.
	GroupDeleted bool
	// Email is an incoming message; Delivery how an emailed reply went.
	Email    *emailView
	Delivery *ringdesk.Delivery
}

// mergeView is a client merge in the timeline of a ticket the merge moved:
// the names as they were at the merge.
type mergeView struct {
	From, To     string
	FromID, ToID int64
	By           string // the agent who merged; "" when unknown
}

// timelineNames resolves the ids an audit entry holds.
type timelineNames struct {
	agents   map[int64]string
	channels map[int64]string
	// groups names every group, deleted ones too.
	groups map[int64]string
	// calls are the ticket's calls by id, read in one query.
	calls map[int64]*ringdesk.Call
}

// callView is a call in human terms for the timeline.
type callView struct {
	ID           int64
	Incoming     bool
	Client       string
	Line         string
	AnsweredBy   string
	Wait, Talk   string
	FinishReason string
	Missed       bool
	Answered     bool
	Finished     bool
	StartedAt    time.Time
	// Recordings are Ringdesk's own URLs of the call's recordings.
	Recordings []recordingJSON
	// Unknown: unfinished for hours (see ringdesk.CallStateUnknownAfter).
	Unknown bool
	// Note says what notifications did not tell (see callNote).
	Note string
}

func (s *Server) ticketShow(w http.ResponseWriter, r *http.Request) {
	s.renderTicket(w, r, nil, nil)
}

// renderTicket shows the ticket page; form and err re-render a failed edit.
func (s *Server) renderTicket(w http.ResponseWriter, r *http.Request, form url.Values, ferr error) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	t, err := s.db.TicketByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := ticketPage{Ticket: t, Statuses: ringdesk.Statuses, Priorities: ringdesk.Priorities, Types: ringdesk.TicketTypes,
		Form: form, TagsText: strings.Join(t.Tags, ", ")}
	if d.Client, err = s.db.ClientByID(ctx, t.ClientID); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Phones = clientView{d.Client}.PhoneLinks()
	others, err := s.db.ClientTicketRows(ctx, t.ClientID, 11)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, o := range others {
		if o.ID != t.ID && len(d.Others) < 10 {
			d.Others = append(d.Others, o)
		}
	}
	if d.Agents, err = s.desk.Agents(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Channels, err = s.db.ListChannels(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	names := timelineNames{agents: map[int64]string{}, channels: map[int64]string{}, groups: map[int64]string{}}
	for _, a := range d.Agents {
		names.agents[a.ID] = a.Name
	}
	if err := s.ticketGroups(ctx, &d, names.groups); err != nil {
		s.fail(w, r, err)
		return
	}
	if t.AssigneeID != nil {
		d.AssigneeName = names.agents[*t.AssigneeID]
	}
	for _, c := range d.Channels {
		names.channels[c.ID] = c.Name
		if t.ChannelID != nil && c.ID == *t.ChannelID {
			d.ChannelName = c.Name
		}
	}
	if d.Reply, err = s.replyTarget(ctx, t); err != nil {
		s.fail(w, r, err)
		return
	}
	d.RepliesDelivered = d.Reply.Sends
	if d.Form != nil && !d.Form.Has("to") {
		d.Form.Set("to", d.Reply.To)
	}
	if d.Form == nil {
		kind := ringdesk.EventNote
		if d.RepliesDelivered {
			kind = ringdesk.EventReply
		}
		d.Form = url.Values{"kind": {kind}, "to": {d.Reply.To}}
	}
	mail, err := s.loadTicketEmail(ctx, r, t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	events, err := s.db.TicketEvents(ctx, t.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, e := range events {
		if e.Kind == ringdesk.EventCall && names.calls == nil {
			calls, _, err := s.db.ListCalls(ctx, ringdesk.CallFilter{TicketID: t.ID, Limit: 200})
			if err != nil {
				s.fail(w, r, err)
				return
			}
			names.calls = make(map[int64]*ringdesk.Call, len(calls))
			for _, c := range calls {
				names.calls[c.ID] = c
			}
		}
		it := s.timelineItem(ctx, e, d.Client, names)
		mail.decorate(ctx, s, &it)
		if it.Email != nil && it.Email.ImagesShown {
			// The agent asked for this message's remote images.
			w.Header().Set("Content-Security-Policy", strings.Replace(w.Header().Get("Content-Security-Policy"),
				"img-src 'self' data:", "img-src 'self' data: https: http:", 1))
		}
		d.Timeline = append(d.Timeline, it)
	}
	if t.Missed {
		missed, err := s.db.MissedCalls(ctx, []int64{t.ID})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if m, ok := missed[t.ID]; ok {
			wt := newMissedWait(m, agentFrom(r), s.desk.Now())
			d.Waiting = &wt
		}
		if len(d.Phones) > 0 {
			cb := d.Phones[0]
			for _, p := range d.Phones {
				if p.E164 == missed[t.ID].Phone {
					cb = p
				}
			}
			d.CallBack = &cb
		}
	}
	title := fmt.Sprintf("#%d %s", t.Number, t.SubjectIn(s.lang(agentFrom(r), r)))
	if ferr != nil {
		s.formError(w, r, "ticket", pageData{Title: title, Nav: "tickets", Data: d}, ferr)
		return
	}
	s.render(w, r, "ticket", pageData{Title: title, Nav: "tickets", Data: d})
}

func (s *Server) timelineItem(ctx context.Context, e *ringdesk.TicketEvent, client *ringdesk.Client, names timelineNames) timelineItem {
	agents := names.agents
	it := timelineItem{TicketEvent: e}
	switch e.AuthorType {
	case ringdesk.AuthorAgent:
		if e.AuthorID != nil {
			it.Author = agents[*e.AuthorID]
		}
	case ringdesk.AuthorClient:
		it.Author = client.Name
	}
	var data struct {
		From   json.RawMessage `json:"from"`
		To     json.RawMessage `json:"to"`
		CallID int64           `json:"call_id"`
		// client_merged
		FromClientID   int64  `json:"from_client_id"`
		FromClientName string `json:"from_client_name"`
		ToClientID     int64  `json:"to_client_id"`
		ToClientName   string `json:"to_client_name"`
		AgentID        int64  `json:"agent_id"`
		Deleted        bool   `json:"deleted"`
		// called_back
		Direction    string `json:"direction"`
		AfterSeconds int64  `json:"after_seconds"`
	}
	_ = json.Unmarshal([]byte(e.Data), &data)
	switch e.Kind {
	case ringdesk.EventCalledBack:
		it.CalledBack = &calledBackView{Agent: agents[data.AgentID], Outgoing: data.Direction == ringdesk.DirectionOut,
			After: time.Duration(data.AfterSeconds) * time.Second, CallID: data.CallID}
		return it
	case ringdesk.EventMissedHandled:
		return it
	case ringdesk.EventClientMerged:
		it.Merge = &mergeView{From: data.FromClientName, To: data.ToClientName, FromID: data.FromClientID, ToID: data.ToClientID,
			By: agents[data.AgentID]}
		return it
	case ringdesk.EventClient:
		it.From, it.To = s.auditClient(ctx, data.From), s.auditClient(ctx, data.To)
		return it
	case ringdesk.EventChannel:
		it.From, it.To = auditName(data.From, names.channels), auditName(data.To, names.channels)
		return it
	case ringdesk.EventGroup:
		it.From, it.To, it.GroupDeleted = auditName(data.From, names.groups), auditName(data.To, names.groups), data.Deleted
		return it
	}
	if e.Kind == ringdesk.EventCall {
		// A call not among the ticket's own (moved since, or beyond the
		// first 200) is read by itself.
		c := names.calls[data.CallID]
		var err error
		if c == nil {
			c, err = s.db.CallByID(ctx, data.CallID)
		}
		if err == nil {
			it.Call = newCallView(c, agents, s.desk.Now())
		} else {
			s.log.Warn("timeline call", "call_id", data.CallID, "err", err)
		}
		return it
	}
	it.From, it.To = auditValue(e.Kind, data.From, agents), auditValue(e.Kind, data.To, agents)
	return it
}

// auditClient names the client one side of a client change points at; a
// client merged away since shows as its number.
func (s *Server) auditClient(ctx context.Context, raw json.RawMessage) string {
	var id int64
	if json.Unmarshal(raw, &id) != nil || id == 0 {
		return "—"
	}
	if c, err := s.db.ClientByID(ctx, id); err == nil {
		return fmt.Sprintf("%s (#%d)", c.Name, id)
	}
	return "#" + strconv.FormatInt(id, 10)
}

// auditName names the id one side of an audit entry holds: a channel.
func auditName(raw json.RawMessage, names map[int64]string) string {
	var id int64
	if json.Unmarshal(raw, &id) != nil || id == 0 {
		return "—"
	}
	if n, ok := names[id]; ok {
		return n
	}
	return "#" + strconv.FormatInt(id, 10)
}

// auditValue turns one side of an audit entry into words.
func auditValue(kind string, raw json.RawMessage, agents map[int64]string) string {
	if len(raw) == 0 || string(raw) == "null" {
		if kind == ringdesk.EventAssignee {
			return "nobody"
		}
		return "—"
	}
	switch kind {
	case ringdesk.EventAssignee:
		var id int64
		if json.Unmarshal(raw, &id) == nil {
			if n, ok := agents[id]; ok {
				return n
			}
			return "#" + strconv.FormatInt(id, 10)
		}
	case ringdesk.EventTags:
		var tags []string
		if json.Unmarshal(raw, &tags) == nil {
			if len(tags) == 0 {
				return "—"
			}
			return strings.Join(tags, ", ")
		}
	}
	var v any
	if json.Unmarshal(raw, &v) == nil {
		return fmt.Sprint(v)
	}
	return string(raw)
}

func newCallView(c *ringdesk.Call, agents map[int64]string, now time.Time) *callView {
	v := &callView{ID: c.ID, Incoming: c.Direction == ringdesk.DirectionIn, Client: phone.Display(c.ContactPhone),
		Line: phone.Display(c.VirtualPhoneNumber), Missed: c.IsLost && c.Direction == ringdesk.DirectionIn,
		Answered: c.AnsweredAt != nil, Finished: c.State == ringdesk.CallFinished,
		Wait: callDuration(c, "wait"), Talk: callDuration(c, "talk"), FinishReason: finishReasonWords(c.FinishReason),
		StartedAt: c.StartedAt, Recordings: recordingLinks(c), Unknown: c.StateUnknown(now), Note: callNote(c, now)}
	if c.AgentID != nil {
		v.AnsweredBy = agents[*c.AgentID]
	}
	if v.AnsweredBy == "" && c.EmployeeID != nil {
		for _, e := range c.Details.Employees {
			if e.ID == *c.EmployeeID && e.Name != "" {
				v.AnsweredBy = e.Name
			}
		}
	}
	return v
}

// ticketUpdateForm reads the ticket controls form.
func ticketUpdateForm(f url.Values) (ringdesk.TicketUpdate, error) {
	var u ringdesk.TicketUpdate
	str := func(name string) *string {
		if _, ok := f[name]; !ok {
			return nil
		}
		v := f.Get(name)
		return &v
	}
	u.Subject, u.Status, u.Priority, u.Type = str("subject"), str("status"), str("priority"), str("type")
	if _, ok := f["tags"]; ok {
		tags := ringdesk.SplitTags(f.Get("tags"))
		u.Tags = &tags
	}
	if _, ok := f["channel_id"]; ok {
		// A ticket keeps a channel once it has one: the empty choice is
		// offered only to tickets without one, and means no change.
		id, err := formID(f, "channel_id")
		if err != nil {
			return u, err
		}
		u.ChannelID = id
	}
	if _, ok := f["assignee_id"]; ok {
		id, err := formID(f, "assignee_id")
		if err != nil {
			return u, err
		}
		u.AssigneeID, u.ClearAssignee = id, id == nil
	}
	if _, ok := f["group_id"]; ok {
		id, err := formID(f, "group_id")
		if err != nil {
			return u, err
		}
		u.GroupID, u.ClearGroup = id, id == nil
	}
	return u, nil
}

func (s *Server) ticketUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := ticketUpdateForm(r.PostForm)
	if err == nil {
		_, err = s.desk.UpdateTicket(r.Context(), agentFrom(r), id, u)
	}
	if err != nil {
		s.renderTicket(w, r, r.PostForm, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/tickets/%d?flash=saved", id), http.StatusSeeOther)
}

// ticketMissedHandled marks a missed ticket handled without a call back.
func (s *Server) ticketMissedHandled(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.desk.MarkMissedHandled(r.Context(), agentFrom(r), id, r.PostForm.Get("reason")); err != nil {
		if ringdesk.ErrorCode(err) == ringdesk.EINVALID {
			s.renderTicket(w, r, r.PostForm, err)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/tickets/%d?flash=handled", id), http.StatusSeeOther)
}

func (s *Server) ticketComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	if st := f.Get("status"); st != "" && !ringdesk.ValidStatus(st) {
		s.renderTicket(w, r, f, badFilter("status", "Unknown status."))
		return
	}
	to, err := commentRecipients(f.Get("kind"), f.Has("to"), f.Get("to"))
	if err == nil {
		_, err = s.desk.AddComment(r.Context(), agentFrom(r), id, ringdesk.CommentCreate{Kind: f.Get("kind"), Body: f.Get("body"), To: to})
	}
	if err == nil && f.Get("status") != "" {
		st := f.Get("status")
		_, err = s.desk.UpdateTicket(r.Context(), agentFrom(r), id, ringdesk.TicketUpdate{Status: &st})
	}
	if err != nil {
		s.renderTicket(w, r, f, err)
		return
	}
	flash := "comment"
	if to != nil {
		flash = "reply-queued"
	}
	http.Redirect(w, r, fmt.Sprintf("/tickets/%d?flash=%s#last", id, flash), http.StatusSeeOther)
}

// ticketGroups fills the ticket page's group choices and the assignee
// choices its group suggests, and names every group (deleted ones too) for
// the timeline.
func (s *Server) ticketGroups(ctx context.Context, d *ticketPage, names map[int64]string) error {
	all, err := s.db.ListGroups(ctx, true)
	if err != nil {
		return err
	}
	var members []int64
	for _, g := range all {
		names[g.ID] = g.Name
		if g.DeletedAt != nil {
			continue
		}
		d.Groups = append(d.Groups, g)
		if d.Ticket.GroupID != nil && *d.Ticket.GroupID == g.ID {
			d.GroupName, members = g.Name, g.AgentIDs
		}
	}
	var offered []*ringdesk.Agent
	for _, a := range d.Agents {
		if a.Active || (d.Ticket.AssigneeID != nil && *d.Ticket.AssigneeID == a.ID) {
			offered = append(offered, a)
		}
	}
	d.InGroupAgents, d.OtherAgents = ringdesk.SuggestAssignees(offered, members)
	return nil
}

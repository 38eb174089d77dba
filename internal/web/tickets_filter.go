package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// ticketViews are the saved views of the ticket list, in sidebar order.
var ticketViews = []struct{ Key, Name string }{
	{"mine", "My open"}, {"mygroups", "My groups — open"}, {"unassigned", "Unassigned"}, {"open", "All open"}, {"missed", "Missed calls"},
	{"solved", "Solved"}, {"all", "All tickets"},
}

func badFilter(field, msg string) error {
	return &ringdesk.Error{Code: ringdesk.EINVALID, Message: msg, Fields: map[string]string{field: msg}}
}

// parseTicketFilter reads the ticket list filters the page and the API share:
// view, status (repeated or comma-separated), assignee (me, unassigned or an
// id), group_id (a group id, none or mine), channel_id, tag, client_id,
// missed, created_from/created_to, updated_from/updated_to (dates or RFC
// 3339 times), q, sort, cursor, limit.
func parseTicketFilter(q url.Values, me *ringdesk.Agent) (ringdesk.TicketFilter, error) {
	var f ringdesk.TicketFilter
	switch q.Get("view") {
	case "", "all":
	case "mine":
		f.AssigneeID, f.Active = me.ID, true
	case "mygroups":
		f.MemberID, f.Active = me.ID, true
	case "group": // one group's open tickets: group_id names it
		if strings.TrimSpace(q.Get("group_id")) == "" {
			return f, badFilter("group_id", "The group view needs group_id: a group id, none or mine.")
		}
		f.Active = true
	case "unassigned":
		f.Unassigned, f.Active = true, true
	case "open":
		f.Active = true
	case "missed":
		t := true
		f.Missed, f.Active = &t, true
	case "solved":
		f.Statuses = []string{ringdesk.StatusSolved}
	default:
		return f, badFilter("view", "Unknown view.")
	}
	for _, v := range q["status"] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				if !ringdesk.ValidStatus(s) {
					return f, ringdesk.NewFieldError(ringdesk.EINVALID, "status", ringdesk.T("Unknown status: %s", s))
				}
				f.Statuses = append(f.Statuses, s)
			}
		}
	}
	switch a := q.Get("assignee"); a {
	case "":
	case "me":
		f.AssigneeID, f.Unassigned = me.ID, false
	case "unassigned", "none":
		f.Unassigned = true
	default:
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return f, badFilter("assignee", "Assignee must be me, unassigned or an agent id.")
		}
		f.AssigneeID, f.Unassigned = id, false
	}
	switch g := strings.TrimSpace(q.Get("group_id")); g {
	case "":
	case "none":
		f.NoGroup = true
	case "mine":
		f.MemberID = me.ID
	default:
		id, err := strconv.ParseInt(g, 10, 64)
		if err != nil || id <= 0 {
			return f, badFilter("group_id", "Group must be a group id, none or mine.")
		}
		f.GroupID = id
	}
	var err error
	if f.ChannelID, err = idParam(q, "channel_id"); err != nil {
		return f, err
	}
	if f.ClientID, err = idParam(q, "client_id"); err != nil {
		return f, err
	}
	f.Tag = strings.TrimSpace(q.Get("tag"))
	switch q.Get("missed") {
	case "":
	case "true", "1", "on":
		t := true
		f.Missed = &t
	case "false", "0":
		t := false
		f.Missed = &t
	default:
		return f, badFilter("missed", "Missed must be true or false.")
	}
	for _, d := range []struct {
		name string
		to   *time.Time
		end  bool
	}{{"created_from", &f.CreatedFrom, false}, {"created_to", &f.CreatedTo, true}, {"updated_from", &f.UpdatedFrom, false}, {"updated_to", &f.UpdatedTo, true}} {
		if *d.to, err = timeParam(q.Get(d.name), d.end, zoneOf(me)); err != nil {
			return f, badFilter(d.name, badDate)
		}
	}
	f.Q = strings.TrimSpace(q.Get("q"))
	if len([]rune(f.Q)) > 200 {
		return f, badFilter("q", "The search text is too long.")
	}
	f.Sort = q.Get("sort")
	f.Cursor = q.Get("cursor")
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 200 {
			return f, badFilter("limit", "Limit must be 1 to 200.")
		}
		f.Limit = n
	}
	return f, nil
}

func idParam(q url.Values, name string) (int64, error) {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, badFilter(name, "Must be a positive number.")
	}
	return id, nil
}

// badDate is the error for a date filter that is no date.
const badDate = "Enter a date, for example 2026-01-31 or 31.01.2026."

// timeParam reads a date filter: a day in the agent's time zone (an end
// date includes the whole day), as 2026-01-31 (what date inputs send) or
// 31.01.2026 (what people type), or an RFC 3339 time.
func timeParam(v string, end bool, zone *time.Location) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01-02", v, zone)
	if err != nil {
		if t, err = time.ParseInLocation("02.01.2006", v, zone); err != nil {
			return time.Time{}, err
		}
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

// ticketListURL is the list URL with the current filters and one change.
func ticketListURL(q url.Values, key, value string) string {
	c := url.Values{}
	for k, v := range q {
		if k != "cursor" {
			c[k] = v
		}
	}
	if value == "" {
		c.Del(key)
	} else {
		c.Set(key, value)
	}
	if len(c) == 0 {
		return "/tickets"
	}
	return "/tickets?" + c.Encode()
}

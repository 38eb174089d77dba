package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// bulkView is the outcome of a bulk action some tickets refused.
type bulkView struct {
	Updated int
	Failed  []bulkFailure
}

type bulkFailure struct {
	ID      int64
	Message string
}

// bulkUpdate reads the bulk bar: an empty choice changes nothing; the
// assignee may be "me", "unassigned" or an agent id; a tag is added.
func bulkUpdate(f url.Values, me *ringdesk.Agent) (ringdesk.TicketUpdate, error) {
	var u ringdesk.TicketUpdate
	if st := f.Get("status"); st != "" {
		u.Status = &st
	}
	switch a := f.Get("assignee"); a {
	case "":
	case "me":
		id := me.ID
		u.AssigneeID = &id
	case "unassigned":
		u.ClearAssignee = true
	default:
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return u, badFilter("assignee", "Unknown assignee.")
		}
		u.AssigneeID = &id
	}
	if tags := ringdesk.SplitTags(f.Get("tag")); len(tags) > 0 {
		u.AddTags = tags
	}
	return u, nil
}

// bulkReturn is the list page a bulk action goes back to: only a ticket
// list URL of this site.
func bulkReturn(f url.Values) url.Values {
	ret := f.Get("return")
	u, err := url.Parse(ret)
	if err != nil || u.Path != "/tickets" || u.Host != "" || u.Scheme != "" {
		return url.Values{"view": {"open"}}
	}
	q := u.Query()
	q.Del("flash")
	if len(q) == 0 {
		q.Set("view", "open")
	}
	return q
}

func (s *Server) ticketsBulk(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	q := bulkReturn(f)
	var ids []int64
	for _, v := range f["id"] {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			s.renderTicketsList(w, r, q, nil, badFilter("id", "Must be a positive number."))
			return
		}
		ids = append(ids, id)
	}
	u, err := bulkUpdate(f, agentFrom(r))
	var res desk.BulkResult
	if err == nil {
		res, err = s.desk.BulkUpdateTickets(r.Context(), agentFrom(r), ids, u)
	}
	if err != nil {
		s.renderTicketsList(w, r, q, nil, err)
		return
	}
	if len(res.Failed) > 0 {
		v := &bulkView{Updated: res.Updated}
		for _, fl := range res.Failed {
			v.Failed = append(v.Failed, bulkFailure{ID: fl.TicketID, Message: ringdesk.ErrorMessage(fl.Err)})
		}
		s.renderTicketsList(w, r, q, v, nil)
		return
	}
	q.Set("flash", "bulk")
	http.Redirect(w, r, "/tickets?"+q.Encode(), http.StatusSeeOther)
}

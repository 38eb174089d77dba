package web

import (
	"bytes"
	"encoding/json"
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
// assignee may be "me", "unassigned" or an agent id; the group "none" or a
// group id; a tag is added.
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
	switch g := f.Get("group"); g {
	case "":
	case "none":
		u.ClearGroup = true
	default:
		id, err := strconv.ParseInt(g, 10, 64)
		if err != nil || id <= 0 {
			return u, badFilter("group", "Unknown group.")
		}
		u.GroupID = &id
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
	q.Del("updated")
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
	q.Set("updated", strconv.Itoa(res.Updated))
	http.Redirect(w, r, "/tickets?"+q.Encode(), http.StatusSeeOther)
}

type ticketBulkJSON struct {
	IDs        []int64         `json:"ids"`
	Status     *string         `json:"status"`
	AssigneeID json.RawMessage `json:"assignee_id"` // absent: keep; null: unassign
	GroupID    json.RawMessage `json:"group_id"`    // absent: keep; null: no group
	AddTags    []string        `json:"add_tags"`
}

type bulkFailureJSON struct {
	ID      int64  `json:"id"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type bulkResultJSON struct {
	Updated int               `json:"updated"`
	Failed  []bulkFailureJSON `json:"failed"`
}

// apiTicketsBulk changes up to 100 tickets at once, as the list's bulk bar.
func (s *Server) apiTicketsBulk(w http.ResponseWriter, r *http.Request) {
	var in ticketBulkJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	u := ringdesk.TicketUpdate{Status: in.Status, AddTags: in.AddTags}
	if len(in.AssigneeID) > 0 {
		if bytes.Equal(in.AssigneeID, []byte("null")) {
			u.ClearAssignee = true
		} else {
			var a int64
			if err := json.Unmarshal(in.AssigneeID, &a); err != nil {
				s.fail(w, r, badFilter("assignee_id", "Assignee must be an agent id or null."))
				return
			}
			u.AssigneeID = &a
		}
	}
	if err := groupPatch(in.GroupID, &u); err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.desk.BulkUpdateTickets(r.Context(), agentFrom(r), in.IDs, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := bulkResultJSON{Updated: res.Updated, Failed: []bulkFailureJSON{}}
	for _, f := range res.Failed {
		out.Failed = append(out.Failed, bulkFailureJSON{ID: f.TicketID, Code: ringdesk.ErrorCode(f.Err), Message: ringdesk.ErrorMessage(f.Err)})
	}
	writeJSON(w, http.StatusOK, out)
}

// groupPatch reads a JSON group_id into u: absent keeps the group, null
// moves the ticket to no group, a number to that group.
func groupPatch(raw json.RawMessage, u *ringdesk.TicketUpdate) error {
	switch {
	case len(raw) == 0:
	case bytes.Equal(raw, []byte("null")):
		u.ClearGroup = true
	default:
		var g int64
		if err := json.Unmarshal(raw, &g); err != nil {
			return badFilter("group_id", "Group must be a group id or null.")
		}
		u.GroupID = &g
	}
	return nil
}

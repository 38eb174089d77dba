package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// The channel page's "Call routing" card: ordered rules that send calls to
// groups (ringdesk.RoutingRule), edited as rows of three fields (what the
// rule matches by, the value, the group), and the default group.

// Routing rule kinds as the form names them.
const (
	ruleNumber       = "number"
	ruleScenarioID   = "scenario_id"
	ruleScenarioName = "scenario_name"
	ruleEmployee     = "employee"
)

// routingBlankRows is how many empty rows the card offers for new rules.
const routingBlankRows = 2

type routingRow struct {
	Pos         int // 1 for the first rule; 0 for an empty row
	Kind, Value string
	GroupID     int64
}

// routingCard is what the card shows.
type routingCard struct {
	Rows           []routingRow
	DefaultGroupID int64
	Groups         []*ringdesk.Group
	// GroupName names every group the rules name, archived ones too.
	GroupName map[int64]string
	Archived  map[int64]bool
	// Needs are the notification variables the saved rules read.
	Needs []string
}

func routingRowsOf(rules []ringdesk.RoutingRule) []routingRow {
	rows := make([]routingRow, 0, len(rules)+routingBlankRows)
	for i, r := range rules {
		row := routingRow{Pos: i + 1, GroupID: r.GroupID}
		switch {
		case r.VirtualPhoneNumber != "":
			row.Kind, row.Value = ruleNumber, r.VirtualPhoneNumber
		case r.ScenarioID != nil:
			row.Kind, row.Value = ruleScenarioID, strconv.FormatInt(*r.ScenarioID, 10)
		case r.ScenarioName != "":
			row.Kind, row.Value = ruleScenarioName, r.ScenarioName
		case r.EmployeeID != nil:
			row.Kind, row.Value = ruleEmployee, strconv.FormatInt(*r.EmployeeID, 10)
		}
		rows = append(rows, row)
	}
	for range routingBlankRows {
		rows = append(rows, routingRow{Kind: ruleNumber})
	}
	return rows
}

// routingForm reads the card's rows (rows with no value are skipped; the
// "up" button moves its row one up) and the default group.
func routingForm(f url.Values) ([]ringdesk.RoutingRule, *int64, []routingRow, error) {
	kinds, values, groups := f["rule_kind"], f["rule_value"], f["rule_group"]
	var rows []routingRow
	for i := range values {
		row := routingRow{Value: strings.TrimSpace(values[i])}
		if i < len(kinds) {
			row.Kind = kinds[i]
		}
		if i < len(groups) {
			row.GroupID, _ = strconv.ParseInt(groups[i], 10, 64)
		}
		if row.Value != "" {
			rows = append(rows, row)
		}
	}
	if up, err := strconv.Atoi(f.Get("up")); err == nil && up > 0 && up < len(rows) {
		rows[up-1], rows[up] = rows[up], rows[up-1]
	}
	for i := range rows {
		rows[i].Pos = i + 1
	}
	var def *int64
	if g, err := strconv.ParseInt(f.Get("default_group_id"), 10, 64); err == nil && g > 0 {
		def = &g
	}
	rules := make([]ringdesk.RoutingRule, 0, len(rows))
	for _, row := range rows {
		r := ringdesk.RoutingRule{GroupID: row.GroupID}
		switch row.Kind {
		case ruleScenarioID, ruleEmployee:
			n, err := strconv.ParseInt(row.Value, 10, 64)
			if err != nil || n <= 0 {
				return nil, def, rows, ringdesk.NewFieldError(ringdesk.EINVALID, "routing",
					ringdesk.T("%q is not an id: UIS scenario and employee ids are numbers.", row.Value))
			}
			if row.Kind == ruleScenarioID {
				r.ScenarioID = &n
			} else {
				r.EmployeeID = &n
			}
		case ruleScenarioName:
			r.ScenarioName = row.Value
		default:
			r.VirtualPhoneNumber = row.Value
		}
		rules = append(rules, r)
	}
	return rules, def, rows, nil
}

// routingCardFor gathers what the card shows for rows.
func (s *Server) routingCardFor(r *http.Request, ch *ringdesk.Channel, rows []routingRow, def *int64) (*routingCard, error) {
	groups, err := s.desk.Groups(r.Context())
	if err != nil {
		return nil, err
	}
	all, err := s.db.ListGroups(r.Context(), true)
	if err != nil {
		return nil, err
	}
	c := &routingCard{Rows: rows, Groups: groups, GroupName: map[int64]string{}, Archived: map[int64]bool{},
		Needs: ch.UIS.Routing().NeededVariables()}
	for _, g := range all {
		c.GroupName[g.ID] = g.Name
		c.Archived[g.ID] = g.DeletedAt != nil
	}
	if def != nil {
		c.DefaultGroupID = *def
	}
	return c, nil
}

func (s *Server) channelRouting(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	ch, p, err := s.channelPage(r, id, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rules, def, rows, err := routingForm(r.PostForm)
	if err == nil {
		st := ch.UIS
		st.RoutingRules, st.DefaultGroupID = rules, def
		_, err = s.desk.UpdateChannel(r.Context(), agentFrom(r), id, ringdesk.ChannelUpdate{UIS: &st})
	}
	if err != nil {
		card, cerr := s.routingCardFor(r, ch, append(rows, routingRow{Kind: ruleNumber}), def)
		if cerr != nil {
			s.fail(w, r, cerr)
			return
		}
		p.Routing = card
		s.formError(w, r, "channel_form", pageData{Title: ch.Name, Nav: "channels", Data: p}, err)
		return
	}
	http.Redirect(w, r, "/channels/"+strconv.FormatInt(id, 10)+"?flash=routing-saved#routing", http.StatusSeeOther)
}

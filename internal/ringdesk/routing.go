package ringdesk

import (
	"slices"
	"strings"
)

// MaxRoutingRules is how many routing rules a channel may have.
const MaxRoutingRules = 100

// RoutingRule sends the calls it matches to a group. A rule matches by
// exactly one of: the virtual number called, the UIS scenario (id or name)
// that took the call, or a UIS employee the call was offered to.
type RoutingRule struct {
	VirtualPhoneNumber string `json:"virtual_phone_number,omitempty"`
	ScenarioID         *int64 `json:"scenario_id,omitempty"`
	ScenarioName       string `json:"scenario_name,omitempty"`
	EmployeeID         *int64 `json:"employee_id,omitempty"`
	GroupID            int64  `json:"group_id"`
}

// Matches reports whether the call with facts f meets the rule.
func (r RoutingRule) Matches(f CallFacts) bool {
	switch {
	case r.VirtualPhoneNumber != "":
		return digitsOnly(f.VirtualPhoneNumber) == r.VirtualPhoneNumber
	case r.ScenarioID != nil:
		return f.Details.ScenarioID != nil && *f.Details.ScenarioID == *r.ScenarioID
	case r.ScenarioName != "":
		return strings.EqualFold(strings.Join(strings.Fields(f.Details.ScenarioName), " "), r.ScenarioName)
	case r.EmployeeID != nil:
		return slices.ContainsFunc(f.Details.Employees, func(e CallEmployee) bool { return e.ID == *r.EmployeeID }) ||
			f.EmployeeID != nil && *f.EmployeeID == *r.EmployeeID
	}
	return false
}

// Needs names the notification variable the rule reads.
func (r RoutingRule) Needs() string {
	switch {
	case r.VirtualPhoneNumber != "":
		return "virtual_phone_number"
	case r.ScenarioID != nil:
		return "scenario_id"
	case r.ScenarioName != "":
		return "scenario_name"
	case r.EmployeeID != nil:
		return "employee_ids"
	}
	return ""
}

// Routing is how a channel sends calls to groups: the first rule that
// matches wins; a call no rule matches goes to the default group.
type Routing struct {
	Rules        []RoutingRule
	DefaultGroup *int64
}

// Route returns the group an incoming call goes to, or nil for none
// (every agent may take it). A rule or default naming a group that no
// longer exists (live reports which do) is skipped, as if it were not
// there. Outgoing calls are not routed: an agent placed them.
func (r Routing) Route(f CallFacts, live func(groupID int64) bool) *int64 {
	if f.Direction == DirectionOut {
		return nil
	}
	for _, rule := range r.Rules {
		if rule.Matches(f) && live(rule.GroupID) {
			g := rule.GroupID
			return &g
		}
	}
	if r.DefaultGroup != nil && live(*r.DefaultGroup) {
		g := *r.DefaultGroup
		return &g
	}
	return nil
}

// Routing returns the channel's routing.
func (s UISSettings) Routing() Routing {
	return Routing{Rules: s.RoutingRules, DefaultGroup: s.DefaultGroupID}
}

// GroupIDs lists every group the routing names, each once.
func (r Routing) GroupIDs() []int64 {
	var ids []int64
	for _, rule := range r.Rules {
		ids = append(ids, rule.GroupID)
	}
	if r.DefaultGroup != nil {
		ids = append(ids, *r.DefaultGroup)
	}
	return NormalizeIDs(ids)
}

// NeededVariables lists, in rule order and each once, the notification
// variables the rules read.
func (r Routing) NeededVariables() []string {
	var out []string
	for _, rule := range r.Rules {
		if n := rule.Needs(); n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// normalizeRules trims every rule's matcher.
func normalizeRules(rules []RoutingRule) []RoutingRule {
	out := make([]RoutingRule, 0, len(rules))
	for _, r := range rules {
		r.VirtualPhoneNumber = digitsOnly(r.VirtualPhoneNumber)
		r.ScenarioName = strings.Join(strings.Fields(r.ScenarioName), " ")
		out = append(out, r)
	}
	return out
}

// validateRouting reports every invalid rule; that the groups exist is
// for the desk to check.
func validateRouting(v *Validation, rules []RoutingRule, def *int64) {
	v.Check(len(rules) <= MaxRoutingRules, "routing", "At most 100 routing rules.")
	for _, r := range rules {
		n := 0
		for _, set := range []bool{r.VirtualPhoneNumber != "", r.ScenarioID != nil, r.ScenarioName != "", r.EmployeeID != nil} {
			if set {
				n++
			}
		}
		if n != 1 {
			v.Add("routing", "Each routing rule matches by exactly one of virtual_phone_number, scenario_id, scenario_name or employee_id.")
			return
		}
		switch {
		case r.GroupID <= 0:
			v.Add("routing", "Each routing rule needs the group_id of the group it sends calls to.")
			return
		case r.VirtualPhoneNumber != "" && !isPhoneDigits(r.VirtualPhoneNumber):
			v.Add("routing", "A rule's virtual number must be a phone number in international format, such as 74951234567.")
			return
		case r.ScenarioID != nil && *r.ScenarioID <= 0, r.EmployeeID != nil && *r.EmployeeID <= 0:
			v.Add("routing", "Scenario and employee ids are positive numbers.")
			return
		case len([]rune(r.ScenarioName)) > 255:
			v.Add("routing", "A scenario name is at most 255 characters.")
			return
		}
	}
	v.Check(def == nil || *def > 0, "default_group_id", "The default group must be a group id or null.")
}

func isPhoneDigits(s string) bool {
	return len(s) >= 10 && len(s) <= 15 && strings.Trim(s, "0123456789") == ""
}

// digitsOnly strips the punctuation people write phone numbers with.
func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(" +-()\t", r) {
			return -1
		}
		return r
	}, s)
}

// Teams is who belongs to which group and who takes calls now: what
// deciding whose screens a call appears on needs.
type Teams struct {
	// Members are the agents of each group in use (archived groups are
	// absent), in ascending order.
	Members map[int64][]int64
	// Available are the active agents whose "available for calls" switch
	// is on.
	Available map[int64]bool
}

// Live reports whether group id is in use.
func (t Teams) Live(id int64) bool {
	_, ok := t.Members[id]
	return ok
}

// CallAudience is who a call's news goes to: nil for every agent (no
// groups at all, or a call routed to none), else the agents of its group
// (only the available ones while it rings) and the agents involved in it
// (who placed or answered it, the employees UIS offered it to). An
// administrator is in the audience only as a member or as involved.
//
// Once a call stops ringing its news goes to the whole group, so that a
// pop-up closes on every screen it opened on, even of an agent who went
// unavailable meanwhile; a missed call thereby becomes a notice for that
// group only. A call routed elsewhere by a later event (shownTo: the group
// it showed to first, 0 for every agent) keeps that first audience too, so
// their pop-ups hear how it ended.
func (t Teams) CallAudience(group, shownTo *int64, ringing bool, involved []int64) []int64 {
	if len(t.Members) == 0 {
		return nil
	}
	out, all := t.groupAudience(group, ringing)
	if all {
		return nil
	}
	if shownTo != nil {
		if *shownTo == 0 {
			return nil
		}
		prev, all := t.groupAudience(shownTo, ringing)
		if all {
			return nil
		}
		out = append(out, prev...)
	}
	out = append(out, involved...)
	return NormalizeIDs(out)
}

// groupAudience is the agents of group who get its calls' news (all: every
// agent, for no group or one archived since).
func (t Teams) groupAudience(group *int64, ringing bool) (agents []int64, all bool) {
	if group == nil {
		return nil, true
	}
	members, ok := t.Members[*group]
	if !ok {
		return nil, true // archived since: nobody owns the call, so everyone does
	}
	for _, a := range members {
		if !ringing || t.Available[a] {
			agents = append(agents, a)
		}
	}
	return agents, false
}

// Sees reports whether agent is in audience (nil: everyone).
func Sees(audience []int64, agent int64) bool {
	return audience == nil || slices.Contains(audience, agent)
}

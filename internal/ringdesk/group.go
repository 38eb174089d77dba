package ringdesk

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxGroupName is the longest group name, in characters.
const MaxGroupName = 100

// Group is a team of agents (Usedesk's "group"): a ticket may belong to one
// group, and an agent to any number of them.
type Group struct {
	ID   int64
	Name string
	// AgentIDs are the members, in ascending order.
	AgentIDs []int64
	// DeletedAt is set when an administrator deleted (archived) the group:
	// it is kept only so the timelines that name it still can.
	DeletedAt *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// GroupInput creates a group (Name required) or changes one (nil fields
// stay as they are).
type GroupInput struct {
	Name *string
	// AgentIDs replaces the members.
	AgentIDs *[]int64
}

// GroupNameKey is the form of a name two groups may not share: names
// differing only in case or surrounding spaces are the same name.
func GroupNameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// Normalize trims the name and sorts and de-duplicates the members.
func (in *GroupInput) Normalize() {
	if in.Name != nil {
		n := strings.Join(strings.Fields(*in.Name), " ")
		in.Name = &n
	}
	if in.AgentIDs != nil {
		ids := NormalizeIDs(*in.AgentIDs)
		in.AgentIDs = &ids
	}
}

// Validate checks a normalised input; creating needs a name.
func (in *GroupInput) Validate(creating bool) error {
	var v Validation
	switch {
	case in.Name == nil && creating, in.Name != nil && *in.Name == "":
		v.Add("name", "Name is required.")
	case in.Name != nil && utf8.RuneCountInString(*in.Name) > MaxGroupName:
		v.Addf("name", "Name is too long: at most %d characters.", MaxGroupName)
	}
	if in.AgentIDs != nil {
		for _, id := range *in.AgentIDs {
			if id <= 0 {
				v.Add("agent_ids", "Agent ids must be positive numbers.")
				break
			}
		}
	}
	return v.Err()
}

// NormalizeIDs returns ids sorted without duplicates (never nil).
func NormalizeIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []int64{}
	}
	return out
}

func validateGroupIDs(v *Validation, ids []int64) {
	for _, id := range ids {
		if id <= 0 {
			v.Add("group_ids", "Group ids must be positive numbers.")
			return
		}
	}
}

// SuggestAssignees orders agents for a ticket's assignee choice: the
// members of the ticket's group first (Usedesk assigns within a group, but
// an assignee from outside it is allowed), then everyone else, each part
// in the given order.
func SuggestAssignees(agents []*Agent, members []int64) (inGroup, others []*Agent) {
	for _, a := range agents {
		if slices.Contains(members, a.ID) {
			inGroup = append(inGroup, a)
		} else {
			others = append(others, a)
		}
	}
	return inGroup, others
}

package ringdesk

import (
	"slices"
	"strings"
	"testing"
)

func TestGroupInputValidate(t *testing.T) {
	t.Parallel()
	str := func(s string) *string { return &s }
	ids := func(v ...int64) *[]int64 { return &v }
	for _, tc := range []struct {
		name     string
		in       GroupInput
		creating bool
		field    string // "" when valid
		wantName string
		wantIDs  []int64
	}{
		{name: "create needs a name", in: GroupInput{}, creating: true, field: "name"},
		{name: "blank name", in: GroupInput{Name: str("   ")}, creating: true, field: "name"},
		{name: "update without a name keeps it", in: GroupInput{AgentIDs: ids(2)}, wantIDs: []int64{2}},
		{name: "update to a blank name", in: GroupInput{Name: str(" ")}, field: "name"},
		{name: "spaces collapse", in: GroupInput{Name: str("  Линия   VIP ")}, creating: true, wantName: "Линия VIP"},
		{name: "100 characters", in: GroupInput{Name: str(strings.Repeat("я", 100))}, creating: true, wantName: strings.Repeat("я", 100)},
		{name: "101 characters", in: GroupInput{Name: str(strings.Repeat("я", 101))}, creating: true, field: "name"},
		{name: "members sorted and distinct", in: GroupInput{Name: str("Sales"), AgentIDs: ids(3, 1, 3, 2)}, creating: true,
			wantName: "Sales", wantIDs: []int64{1, 2, 3}},
		{name: "no members", in: GroupInput{Name: str("Sales"), AgentIDs: ids()}, creating: true, wantName: "Sales", wantIDs: []int64{}},
		{name: "bad member id", in: GroupInput{Name: str("Sales"), AgentIDs: ids(1, 0)}, creating: true, field: "agent_ids"},
		{name: "negative member id", in: GroupInput{AgentIDs: ids(-4)}, field: "agent_ids"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Normalize()
			err := in.Validate(tc.creating)
			if tc.field != "" {
				if ErrorCode(err) != EINVALID || ErrorFields(err)[tc.field] == "" {
					t.Fatalf("err = %v, want a %s field error", err, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantName != "" && *in.Name != tc.wantName {
				t.Errorf("name = %q, want %q", *in.Name, tc.wantName)
			}
			if tc.wantIDs != nil && !slices.Equal(*in.AgentIDs, tc.wantIDs) {
				t.Errorf("agent ids = %v, want %v", *in.AgentIDs, tc.wantIDs)
			}
		})
	}
}

func TestGroupNameKey(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ a, b string }{{"Продажи", " продажи "}, {"VIP", "vip"}, {"Линия Ё", "линия ё"}} {
		if GroupNameKey(tc.a) != GroupNameKey(tc.b) {
			t.Errorf("%q and %q are different names", tc.a, tc.b)
		}
	}
	if GroupNameKey("Sales") == GroupNameKey("Sales 2") {
		t.Error("different names share a key")
	}
}

func TestAgentGroupIDsValidate(t *testing.T) {
	t.Parallel()
	good := []int64{3, 1, 3}
	u := AgentUpdate{GroupIDs: &good}
	if err := u.Validate(); err != nil || !slices.Equal(*u.GroupIDs, []int64{1, 3}) {
		t.Errorf("update: %v %v", err, *u.GroupIDs)
	}
	bad := []int64{1, 0}
	if err := (&AgentUpdate{GroupIDs: &bad}).Validate(); ErrorFields(err)["group_ids"] == "" {
		t.Errorf("bad group id: %v", err)
	}
	c := AgentCreate{Name: "Ольга", Email: "olga@example.com", Password: "password-1", GroupIDs: []int64{-1}}
	if err := c.Validate(); ErrorFields(err)["group_ids"] == "" {
		t.Errorf("create with a bad group id: %v", err)
	}
	c.GroupIDs = nil
	if err := c.Validate(); err != nil || c.GroupIDs == nil {
		t.Errorf("create without groups: %v %v", err, c.GroupIDs)
	}
}

func TestTicketGroupValidate(t *testing.T) {
	t.Parallel()
	zero, two := int64(0), int64(2)
	for _, tc := range []struct {
		name string
		u    TicketUpdate
		ok   bool
	}{
		{"a group", TicketUpdate{GroupID: &two}, true},
		{"no group", TicketUpdate{ClearGroup: true}, true},
		{"group 0", TicketUpdate{GroupID: &zero}, false},
	} {
		err := tc.u.Validate()
		if tc.ok != (err == nil) || (!tc.ok && ErrorFields(err)["group_id"] == "") {
			t.Errorf("%s: %v", tc.name, err)
		}
		if tc.u.Empty() {
			t.Errorf("%s: a group change counts as empty", tc.name)
		}
	}
	c := TicketCreate{Subject: "x", ClientID: 1, GroupID: &zero}
	c.Normalize()
	if ErrorFields(c.Validate())["group_id"] == "" {
		t.Error("create with group 0 is accepted")
	}
}

func TestSuggestAssignees(t *testing.T) {
	t.Parallel()
	agents := []*Agent{{ID: 1, Name: "Анна"}, {ID: 2, Name: "Борис"}, {ID: 3, Name: "Вера"}, {ID: 4, Name: "Глеб"}}
	names := func(list []*Agent) string {
		var out []string
		for _, a := range list {
			out = append(out, a.Name)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		name          string
		members       []int64
		inGroup, rest string
	}{
		{"no group", nil, "", "Анна,Борис,Вера,Глеб"},
		{"members first, in list order", []int64{4, 2}, "Борис,Глеб", "Анна,Вера"},
		{"members not offered are skipped", []int64{9}, "", "Анна,Борис,Вера,Глеб"},
		{"everyone in the group", []int64{1, 2, 3, 4}, "Анна,Борис,Вера,Глеб", ""},
	} {
		in, rest := SuggestAssignees(agents, tc.members)
		if names(in) != tc.inGroup || names(rest) != tc.rest {
			t.Errorf("%s: in group %q, others %q; want %q, %q", tc.name, names(in), names(rest), tc.inGroup, tc.rest)
		}
	}
}

package ringdesk

import (
	"slices"
	"testing"
)

func TestRoute(t *testing.T) {
	sales, support, vip := int64(1), int64(2), int64(3)
	scen := int64(95113)
	emp := int64(777)
	r := Routing{Rules: []RoutingRule{
		{VirtualPhoneNumber: "74951234567", GroupID: sales},
		{ScenarioID: &scen, GroupID: support},
		{ScenarioName: "VIP line", GroupID: vip},
		{EmployeeID: &emp, GroupID: vip},
	}, DefaultGroup: &support}
	live := func(id int64) bool { return id != 9 }
	cases := []struct {
		name string
		f    CallFacts
		live func(int64) bool
		want *int64
	}{
		{"the called number, written any way", CallFacts{VirtualPhoneNumber: "+7 (495) 123-45-67"}, live, &sales},
		{"the first matching rule wins", CallFacts{VirtualPhoneNumber: "74951234567", Details: CallDetails{ScenarioID: &scen}}, live, &sales},
		{"the scenario id", CallFacts{VirtualPhoneNumber: "74990000000", Details: CallDetails{ScenarioID: &scen}}, live, &support},
		{"the scenario name, in any case", CallFacts{Details: CallDetails{ScenarioName: " vip LINE"}}, live, &vip},
		{"an employee the call was offered to", CallFacts{Details: CallDetails{Employees: []CallEmployee{{ID: 5}, {ID: emp}}}}, live, &vip},
		{"the employee who answered", CallFacts{EmployeeID: &emp}, live, &vip},
		{"nothing matches: the default group", CallFacts{VirtualPhoneNumber: "74990000000"}, live, &support},
		{"an archived group's rule is skipped", CallFacts{VirtualPhoneNumber: "74951234567"}, func(id int64) bool { return id != sales }, &support},
		{"an archived default: no group", CallFacts{}, func(id int64) bool { return id != support }, nil},
		{"an outgoing call is not routed", CallFacts{Direction: DirectionOut, VirtualPhoneNumber: "74951234567"}, live, nil},
		{"a scenario name spaced differently", CallFacts{Details: CallDetails{ScenarioName: "VIP   line"}}, live, &vip},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.Route(tc.f, tc.live); !sameID(got, tc.want) {
				t.Errorf("Route = %v, want %v", deref(got), deref(tc.want))
			}
		})
	}
	if got := (Routing{}).Route(CallFacts{VirtualPhoneNumber: "74951234567"}, live); got != nil {
		t.Errorf("no routing routed to %d", *got)
	}
	if got := r.NeededVariables(); !slices.Equal(got, []string{"virtual_phone_number", "scenario_id", "scenario_name", "employee_ids"}) {
		t.Errorf("NeededVariables = %v", got)
	}
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestValidateRouting(t *testing.T) {
	id := int64(5)
	zero := int64(0)
	cases := []struct {
		name  string
		rules []RoutingRule
		def   *int64
		field string // "" valid
	}{
		{"valid", []RoutingRule{{VirtualPhoneNumber: "+7 495 123-45-67", GroupID: 1}, {ScenarioID: &id, GroupID: 2}}, &id, ""},
		{"no matcher", []RoutingRule{{GroupID: 1}}, nil, "routing"},
		{"two matchers", []RoutingRule{{VirtualPhoneNumber: "74951234567", ScenarioID: &id, GroupID: 1}}, nil, "routing"},
		{"no group", []RoutingRule{{VirtualPhoneNumber: "74951234567"}}, nil, "routing"},
		{"not a number", []RoutingRule{{VirtualPhoneNumber: "sales", GroupID: 1}}, nil, "routing"},
		{"zero scenario", []RoutingRule{{ScenarioID: &zero, GroupID: 1}}, nil, "routing"},
		{"bad default", nil, &zero, "default_group_id"},
		{"too many", slices.Repeat([]RoutingRule{{ScenarioName: "x", GroupID: 1}}, MaxRoutingRules+1), nil, "routing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := UISSettings{RoutingRules: tc.rules, DefaultGroupID: tc.def}.WithDefaults()
			var v Validation
			s.Validate(&v)
			err := v.Err()
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("valid routing refused: %v", err)
			case tc.field != "" && (err == nil || err.(*Error).Fields[tc.field] == ""):
				t.Fatalf("error %v, want one on %s", err, tc.field)
			}
		})
	}
}

func TestCallAudience(t *testing.T) {
	sales, support := int64(1), int64(2)
	teams := Teams{
		Members:   map[int64][]int64{sales: {10, 11, 12}, support: {20}},
		Available: map[int64]bool{10: true, 12: true, 20: true, 30: true},
	}
	cases := []struct {
		name     string
		teams    Teams
		group    *int64
		shownTo  *int64
		ringing  bool
		involved []int64
		want     []int64 // nil: everyone
	}{
		{"no groups at all: everyone", Teams{Available: teams.Available}, &sales, nil, true, nil, nil},
		{"a call routed to no group: everyone", teams, nil, nil, true, nil, nil},
		{"ringing: the group's available agents", teams, &sales, nil, true, nil, []int64{10, 12}},
		{"ringing: plus whoever is involved", teams, &sales, nil, true, []int64{30, 10}, []int64{10, 12, 30}},
		{"answered: the whole group, so every pop-up closes", teams, &sales, nil, false, []int64{10}, []int64{10, 11, 12}},
		{"a group archived since: everyone", teams, &[]int64{9}[0], nil, true, nil, nil},
		{"nobody available: nobody but the involved", Teams{Members: map[int64][]int64{sales: {11}}}, &sales, nil, true, nil, []int64{}},
		{"routed elsewhere later: the first group still hears", teams, &support, &sales, false, nil, []int64{10, 11, 12, 20}},
		{"first shown to everyone: everyone still hears", teams, &support, &[]int64{0}[0], false, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.teams.CallAudience(tc.group, tc.shownTo, tc.ringing, tc.involved)
			if (got == nil) != (tc.want == nil) || !slices.Equal(got, tc.want) {
				t.Errorf("audience %v, want %v", got, tc.want)
			}
			for _, a := range []int64{10, 11, 20, 30} {
				if Sees(got, a) != (tc.want == nil || slices.Contains(tc.want, a)) {
					t.Errorf("Sees(%d) disagrees with the audience", a)
				}
			}
		})
	}
}

func TestTicketAfterCallGroup(t *testing.T) {
	sales, support, chosen := int64(1), int64(2), int64(3)
	in := CallFacts{Direction: DirectionIn}
	cases := []struct {
		name        string
		t           CallTicket
		route       *int64
		wantGroup   *int64
		wantChanged bool
	}{
		{"a ticket with no group takes the call's", CallTicket{Status: StatusOpen}, &sales, &sales, true},
		{"routing that learns more moves its own choice", CallTicket{Status: StatusOpen, Group: &sales, HeldGroup: &sales}, &support, &support, true},
		{"an agent's choice stays", CallTicket{Status: StatusOpen, Group: &chosen, HeldGroup: &sales}, &support, &chosen, false},
		{"a reused ticket in a group stays there", CallTicket{Status: StatusOpen, Group: &chosen}, &sales, &chosen, false},
		{"no route changes nothing", CallTicket{Status: StatusOpen, Group: &chosen, HeldGroup: &chosen}, nil, &chosen, false},
		{"an agent who took routing's group away is obeyed", CallTicket{Status: StatusOpen, HeldGroup: &sales}, &support, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := TicketAfterCall(tc.t, in, nil, tc.route)
			if !sameID(got.Group, tc.wantGroup) || got.GroupChanged != tc.wantChanged || !sameID(got.HeldGroup, tc.route) {
				t.Errorf("group %v changed %v held %v; want %v changed %v held %v", deref(got.Group), got.GroupChanged,
					deref(got.HeldGroup), deref(tc.wantGroup), tc.wantChanged, deref(tc.route))
			}
			if tc.wantChanged && (!got.Changed(tc.t) || !sameID(got.GroupFrom, tc.t.Group)) {
				t.Error("a moved group must be written and audited from the old one")
			}
		})
	}
}

func TestCallSubjectInEachLanguage(t *testing.T) {
	s := CallSubjectOf(CallFacts{Direction: DirectionOut, ContactName: "Анна"}, "+7 926 123-45-67")
	tk := &Ticket{Subject: s.In(LangRU), AutoSubject: &s}
	if got := tk.SubjectIn(LangEN); got != "Outgoing call to Анна (+7 926 123-45-67)" {
		t.Errorf("English reader sees %q", got)
	}
	if got := tk.SubjectIn(LangRU); got != "Исходящий звонок: Анна (+7 926 123-45-67)" {
		t.Errorf("Russian reader sees %q", got)
	}
	for _, same := range []string{tk.SubjectIn(LangEN), tk.SubjectIn(LangRU)} {
		if !tk.SameSubject(same) {
			t.Errorf("%q sent back from a form counts as a new subject", same)
		}
	}
	if tk.SameSubject("Договор на поставку") {
		t.Error("an agent's new subject counts as unchanged")
	}
	own := &Ticket{Subject: "Договор"}
	if own.SubjectIn(LangEN) != "Договор" {
		t.Error("an agent's subject is translated")
	}
}

package desk_test

import (
	"context"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

const kuznetsova = int64(323404) // an employee the tests add to the simulator's account

// withKuznetsova adds a fourth employee to the simulated account.
func withKuznetsova(c *uissim.Config) {
	a := uissim.DefaultAccount()
	a.Employees = append(a.Employees, uissim.Employee{ID: kuznetsova, FirstName: "Ольга", LastName: "Кузнецова", Patronymic: "Игоревна",
		Email: "kuznetsova@ringdesk.example", Login: "kuznetsova", Extension: "104", GroupIDs: []int64{5102},
		PhoneNumbers: []uissim.EmployeePhone{{ID: 610005, Number: "79161234505"}}})
	c.Account = a
}

func getEmployeesRequests(sim *uissim.Simulator) int {
	n := 0
	for _, r := range sim.Requests() {
		if r.Method == "get.employees" {
			n++
		}
	}
	return n
}

// TestChannelEmployees lists the simulator's employees over real HTTP with
// their agents: linked, suggested by email, suggested by name, and seen in a
// call while linked to nobody; then links one in a click, after which the
// calls that employee answers are assigned to the agent.
func TestChannelEmployees(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a, withKuznetsova)
	ctx := context.Background()
	unlink := func(id int64, u ringdesk.AgentUpdate) {
		t.Helper()
		u.ClearOperatorID = true
		if _, err := a.Desk.UpdateAgent(ctx, ringdesk.System, tel.Agents[id].ID, u); err != nil {
			t.Fatal(err)
		}
	}
	unlink(smirnov, ringdesk.AgentUpdate{}) // keeps the employee's email
	name, email := "Ольга Кузнецова", "olga@example.com"
	unlink(kuznetsova, ringdesk.AgentUpdate{Name: &name, Email: &email})

	// Smirnov answers while linked to nobody: the call's ticket has no assignee.
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79031110001", EmployeeIDs: []int64{smirnov}, WaitSeconds: 3, TalkSeconds: 10})
	if tk := readTicket(t, a, c.TicketID); tk.assignee != nil {
		t.Fatalf("ticket of an unlinked employee's call assigned to %d", *tk.assignee)
	}

	l, err := a.Desk.ChannelEmployees(ctx, ringdesk.System, tel.Channel.ID)
	if err != nil || l.UISErr != nil {
		t.Fatalf("ChannelEmployees: %v, UIS: %v", err, l.UISErr)
	}
	if len(l.Employees) != 4 || len(l.NotListed) != 0 {
		t.Fatalf("%d employees, %d not listed; want 4 and 0", len(l.Employees), len(l.NotListed))
	}
	got := map[int64]*desk.ChannelEmployee{}
	for _, e := range l.Employees {
		got[e.ID] = e
	}
	if e := got[ivanov]; e.Agent == nil || e.Agent.ID != tel.Agents[ivanov].ID || e.Suggested != nil || e.Extension != "101" ||
		len(e.Groups) != 1 || e.Groups[0].Name != "Поддержка" {
		t.Errorf("Ivanov = %+v, want linked to his agent", e)
	}
	if e := got[smirnov]; e.Agent != nil || e.Suggested == nil || e.Suggested.ID != tel.Agents[smirnov].ID || e.SuggestedBy != ringdesk.MatchEmail ||
		!e.Unassigned() || len(e.PhoneNumbers) != 2 || e.PhoneNumbers[1].Active {
		t.Errorf("Smirnov = %+v, want suggested by email, seen in calls, unassigned", e)
	}
	if e := got[kuznetsova]; e.Agent != nil || e.Suggested == nil || e.Suggested.ID != tel.Agents[kuznetsova].ID || e.SuggestedBy != ringdesk.MatchName || e.Unassigned() {
		t.Errorf("Kuznetsova = %+v, want suggested by name, never seen", e)
	}
	if l.Unassigned() != 1 || len(l.Linkable) != 3 { // the two unlinked agents and the administrator
		t.Errorf("unassigned %d, linkable %d; want 1 and 3", l.Unassigned(), len(l.Linkable))
	}

	// The list is reused for a while, then read again.
	before := getEmployeesRequests(tel.Sim)
	if _, err := a.Desk.ChannelEmployees(ctx, ringdesk.System, tel.Channel.ID); err != nil {
		t.Fatal(err)
	}
	if n := getEmployeesRequests(tel.Sim); n != before {
		t.Errorf("a second look within the TTL asked UIS again (%d -> %d requests)", before, n)
	}
	a.Desk.SetClock(func() time.Time { return time.Now().Add(time.Minute) })
	defer a.Desk.SetClock(time.Now)
	if _, err := a.Desk.ChannelEmployees(ctx, ringdesk.System, tel.Channel.ID); err != nil {
		t.Fatal(err)
	}
	if n := getEmployeesRequests(tel.Sim); n != before+1 {
		t.Errorf("after the TTL: %d requests, want %d", n, before+1)
	}

	// An agent cannot link; an administrator links in one click.
	if _, err := a.Desk.LinkEmployee(ctx, tel.Agents[ivanov], tel.Channel.ID, smirnov, tel.Agents[smirnov].ID); ringdesk.ErrorCode(err) != ringdesk.EFORBIDDEN {
		t.Errorf("an agent linked: %v", err)
	}
	ag, err := a.Desk.LinkEmployee(ctx, ringdesk.System, tel.Channel.ID, smirnov, tel.Agents[smirnov].ID)
	if err != nil || ag.OperatorID == nil || *ag.OperatorID != smirnov {
		t.Fatalf("link: %+v, %v", ag, err)
	}
	if _, err := a.Desk.LinkEmployee(ctx, ringdesk.System, tel.Channel.ID, smirnov, tel.Agents[smirnov].ID); err != nil {
		t.Errorf("a second click: %v", err)
	}
	c = tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79031110002", EmployeeIDs: []int64{smirnov}, WaitSeconds: 3, TalkSeconds: 10})
	if tk := readTicket(t, a, c.TicketID); tk.assignee == nil || *tk.assignee != tel.Agents[smirnov].ID {
		t.Errorf("after linking, the call's ticket is assigned to %v, want agent %d", tk.assignee, tel.Agents[smirnov].ID)
	}

	// Refusals, in the Operator ID field's words.
	tests := []struct {
		name            string
		employee, agent int64
		code, field     string
	}{
		{"agent linked to another employee", kuznetsova, tel.Agents[ivanov].ID, ringdesk.ECONFLICT, "agent_id"},
		{"employee linked to another agent", ivanov, tel.Agents[kuznetsova].ID, ringdesk.ECONFLICT, "operator_id"},
		{"no agent", kuznetsova, 0, ringdesk.EINVALID, "agent_id"},
		{"unknown agent", kuznetsova, 999999, ringdesk.EINVALID, "agent_id"},
	}
	for _, tt := range tests {
		_, err := a.Desk.LinkEmployee(ctx, ringdesk.System, tel.Channel.ID, tt.employee, tt.agent)
		if ringdesk.ErrorCode(err) != tt.code || ringdesk.ErrorFields(err)[tt.field] == "" {
			t.Errorf("%s: %v (fields %v), want %s on %s", tt.name, err, ringdesk.ErrorFields(err), tt.code, tt.field)
		}
	}
	if _, err := a.Desk.LinkEmployee(ctx, ringdesk.System, 999999, kuznetsova, tel.Agents[kuznetsova].ID); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("unknown channel: %v", err)
	}
}

// TestChannelEmployeesUISError: when UIS refuses, the list says why in
// the channel administrator's words and still shows who was seen in calls.
func TestChannelEmployeesUISError(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ctx := context.Background()
	if _, err := a.Desk.UpdateAgent(ctx, ringdesk.System, tel.Agents[petrova].ID, ringdesk.AgentUpdate{ClearOperatorID: true}); err != nil {
		t.Fatal(err)
	}
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79031110003", EmployeeIDs: []int64{petrova}, WaitSeconds: 3, TalkSeconds: 10})
	if err := tel.Sim.SetFaults(uissim.Faults{MethodErrors: map[string]string{"get.employees": "ip_not_whitelisted"}}); err != nil {
		t.Fatal(err)
	}
	l, err := a.Desk.ChannelEmployees(ctx, ringdesk.System, tel.Channel.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !uis.IsMnemonic(l.UISErr, "ip_not_whitelisted") || desk.UISAdvice(l.UISErr) == "" || len(l.Employees) != 0 {
		t.Fatalf("UIS error %v (advice %q), %d employees", l.UISErr, desk.UISAdvice(l.UISErr), len(l.Employees))
	}
	if len(l.NotListed) != 1 || l.NotListed[0].ID != petrova || !l.NotListed[0].Unassigned() || l.NotListed[0].Name() != "Петрова Анна Сергеевна" {
		t.Errorf("seen in calls = %+v, want Petrova, unassigned", l.NotListed)
	}
	if _, err := a.Desk.ChannelEmployees(ctx, tel.Agents[ivanov], tel.Channel.ID); ringdesk.ErrorCode(err) != ringdesk.EFORBIDDEN {
		t.Errorf("an agent saw the list: %v", err)
	}
}

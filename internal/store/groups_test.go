package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestGroups: groups with members, names unique ignoring case (Cyrillic
// too), tickets in groups with audit entries, the group filters and
// counts, and deleting a group: its tickets move to no group with an
// entry that still names it, and its name is free again.
func TestGroups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	agent := func(name, email string) *ringdesk.Agent {
		a, err := db.CreateAgent(ctx, ringdesk.AgentCreate{Name: name, Email: email, Role: ringdesk.RoleAgent}, "x", now)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	olga, boris := agent("Ольга", "olga@example.com"), agent("Борис", "boris@example.com")
	if !olga.Available {
		t.Error("a new agent is not available for calls")
	}
	group := func(name string, members ...int64) *ringdesk.Group {
		in := ringdesk.GroupInput{Name: &name, AgentIDs: &members}
		in.Normalize()
		g, err := db.CreateGroup(ctx, in, now)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	sales := group("Продажи", boris.ID, olga.ID)
	vip := group("Линия VIP", boris.ID)
	if !slices.Equal(sales.AgentIDs, []int64{olga.ID, boris.ID}) {
		t.Errorf("members = %v", sales.AgentIDs)
	}
	dup := "  продажи"
	if _, err := db.CreateGroup(ctx, ringdesk.GroupInput{Name: &dup}, now); ringdesk.ErrorCode(err) != ringdesk.ECONFLICT || ringdesk.ErrorFields(err)["name"] == "" {
		t.Errorf("a second «продажи»: %v", err)
	}
	bad := []int64{olga.ID, 999}
	if _, err := db.UpdateGroup(ctx, vip.ID, ringdesk.GroupInput{AgentIDs: &bad}, now); ringdesk.ErrorFields(err)["agent_ids"] == "" {
		t.Errorf("a missing agent: %v", err)
	}
	if g, _ := db.GroupByID(ctx, vip.ID); !slices.Equal(g.AgentIDs, []int64{boris.ID}) {
		t.Errorf("a refused change changed the members: %v", g.AgentIDs)
	}
	// An agent's memberships, set from the agent's side.
	groups := []int64{vip.ID}
	if _, err := db.UpdateAgent(ctx, olga.ID, ringdesk.AgentUpdate{GroupIDs: &groups}, now); err != nil {
		t.Fatal(err)
	}
	if ids, _ := db.AgentGroupIDs(ctx, olga.ID); !slices.Equal(ids, []int64{vip.ID}) {
		t.Errorf("olga's groups = %v", ids)
	}
	off := false
	if a, err := db.UpdateAgent(ctx, olga.ID, ringdesk.AgentUpdate{Available: &off}, now); err != nil || a.Available {
		t.Errorf("switching off: %v %+v", err, a)
	}
	gone := []int64{12345}
	if _, err := db.UpdateAgent(ctx, olga.ID, ringdesk.AgentUpdate{GroupIDs: &gone}, now); ringdesk.ErrorFields(err)["group_ids"] == "" {
		t.Errorf("a missing group: %v", err)
	}

	client, err := db.SeedClient(ctx, "Пётр", []string{"+79261234567"}, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	ticket := func(subject string, group *int64) *ringdesk.Ticket {
		in := ringdesk.TicketCreate{Subject: subject, ClientID: client, GroupID: group}
		in.Normalize()
		tk, err := db.CreateTicket(ctx, in, nil, now)
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	t1 := ticket("Счёт", &sales.ID)
	ticket("VIP", &vip.ID)
	t3 := ticket("Без группы", nil)
	if t1.GroupID == nil || *t1.GroupID != sales.ID {
		t.Fatalf("ticket group = %v", t1.GroupID)
	}
	// Moving t3 into sales is audited; a missing group is a field error.
	if _, err := db.UpdateTicket(ctx, t3.ID, ringdesk.TicketUpdate{GroupID: &sales.ID}, &olga.ID, true, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	missing := int64(777)
	if _, err := db.UpdateTicket(ctx, t3.ID, ringdesk.TicketUpdate{GroupID: &missing}, &olga.ID, true, now); ringdesk.ErrorFields(err)["group_id"] == "" {
		t.Errorf("a missing group: %v", err)
	}
	evs, _ := db.TicketEvents(ctx, t3.ID)
	last := evs[len(evs)-1]
	if last.Kind != ringdesk.EventGroup || last.Data != `{"from":null,"to":`+itoa(sales.ID)+`}` {
		t.Errorf("audit entry %s %s", last.Kind, last.Data)
	}

	list := func(f store.TicketFilter) string {
		rows, _, err := db.ListTickets(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.Subject+"/"+r.GroupName)
		}
		slices.Sort(out)
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		name string
		f    store.TicketFilter
		want string
	}{
		{"one group", store.TicketFilter{GroupID: sales.ID}, "Без группы/Продажи,Счёт/Продажи"},
		{"one group, open", store.TicketFilter{GroupID: vip.ID, Active: true}, "VIP/Линия VIP"},
		{"my groups (olga: VIP)", store.TicketFilter{MemberID: olga.ID, Active: true}, "VIP/Линия VIP"},
		{"no group", store.TicketFilter{NoGroup: true}, ""},
		{"every ticket names its group", store.TicketFilter{}, "VIP/Линия VIP,Без группы/Продажи,Счёт/Продажи"},
	} {
		if got := list(tc.f); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	counts, err := db.TicketViewCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[store.GroupViewKey(sales.ID)] != 2 || counts[store.GroupViewKey(vip.ID)] != 1 {
		t.Errorf("group counts = %v", counts)
	}

	// Deleting sales: its tickets move to no group, audited by the actor,
	// their updated time kept; the group is gone from lists and agents.
	before, _ := db.TicketByID(ctx, t1.ID)
	moved, err := db.DeleteGroup(ctx, sales.ID, &boris.ID, now.Add(time.Hour))
	if err != nil || moved != 2 {
		t.Fatalf("delete: %d %v", moved, err)
	}
	after, _ := db.TicketByID(ctx, t1.ID)
	if after.GroupID != nil || !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Errorf("after delete: group %v, updated %v (was %v)", after.GroupID, after.UpdatedAt, before.UpdatedAt)
	}
	evs, _ = db.TicketEvents(ctx, t1.ID)
	last = evs[len(evs)-1]
	if last.Kind != ringdesk.EventGroup || last.AuthorID == nil || *last.AuthorID != boris.ID ||
		last.Data != `{"from":`+itoa(sales.ID)+`,"to":null,"deleted":true}` {
		t.Errorf("delete entry %s %v %s", last.Kind, last.AuthorID, last.Data)
	}
	if got := list(store.TicketFilter{NoGroup: true}); got != "Без группы/,Счёт/" {
		t.Errorf("no group after delete: %q", got)
	}
	if _, err := db.GroupByID(ctx, sales.ID); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("deleted group: %v", err)
	}
	live, _ := db.ListGroups(ctx, false)
	all, _ := db.ListGroups(ctx, true)
	if len(live) != 1 || len(all) != 2 || all[1].Name != "Продажи" || all[1].DeletedAt == nil {
		t.Errorf("groups %d live, %d with deleted", len(live), len(all))
	}
	if ids, _ := db.AgentGroupIDs(ctx, boris.ID); !slices.Equal(ids, []int64{vip.ID}) {
		t.Errorf("boris's groups after delete = %v", ids)
	}
	if _, err := db.UpdateTicket(ctx, t3.ID, ringdesk.TicketUpdate{GroupID: &sales.ID}, nil, false, now); ringdesk.ErrorFields(err)["group_id"] == "" {
		t.Errorf("a ticket moved into a deleted group: %v", err)
	}
	if _, err := db.UpdateGroup(ctx, sales.ID, ringdesk.GroupInput{Name: &dup}, now); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("renaming a deleted group: %v", err)
	}
	again := group("Продажи")
	if again.ID == sales.ID {
		t.Error("the name of a deleted group is not free")
	}
}

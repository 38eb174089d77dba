package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

func TestTicketLifecycleAuditAndSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	agent, err := db.CreateAgent(ctx, ringdesk.AgentCreate{Name: "Ольга", Email: "olga@example.com", Role: ringdesk.RoleAgent, Lang: "ru"}, "x", now)
	if err != nil {
		t.Fatal(err)
	}
	client, err := db.SeedClient(ctx, "Пётр Сидоров", []string{"+79261234567"}, []string{"petr@example.ru"}, now)
	if err != nil {
		t.Fatal(err)
	}
	in := ringdesk.TicketCreate{Subject: "Двойное списание по карте", ClientID: client, Tags: []string{"Оплата"}, Body: "Списали дважды за заказ"}
	in.Normalize()
	tk, err := db.CreateTicket(ctx, in, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != "new" || tk.Number != tk.ID || len(tk.Tags) != 1 || tk.Tags[0] != "оплата" {
		t.Fatalf("created %+v", tk)
	}
	// A ticket for a missing client is a field error and leaves nothing behind.
	bad := ringdesk.TicketCreate{Subject: "x", ClientID: 9999}
	bad.Normalize()
	if _, err := db.CreateTicket(ctx, bad, nil, now); ringdesk.ErrorFields(err)["client_id"] == "" {
		t.Fatalf("missing client: %v", err)
	}

	// An agent's reply opens the new ticket and is the first response.
	later := now.Add(time.Hour)
	if _, err := db.AddComment(ctx, tk.ID, ringdesk.CommentCreate{Kind: "reply", AuthorType: "agent", Body: "Вернём деньги завтра"}, &agent.ID, true, later); err != nil {
		t.Fatal(err)
	}
	tk, _ = db.TicketByID(ctx, tk.ID)
	if tk.Status != "open" || tk.FirstResponseAt == nil || !tk.FirstResponseAt.Equal(later) {
		t.Fatalf("after reply %+v", tk)
	}
	solved := "solved"
	prio := "urgent"
	tk, err = db.UpdateTicket(ctx, tk.ID, ringdesk.TicketUpdate{Status: &solved, Priority: &prio, AssigneeID: &agent.ID}, &agent.ID, true, later.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if tk.SolvedAt == nil || tk.AssigneeID == nil || *tk.AssigneeID != agent.ID || tk.Priority != "urgent" {
		t.Fatalf("after update %+v", tk)
	}
	evs, err := db.TicketEvents(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
	}
	if got := strings.Join(kinds, ","); got != "reply,status,reply,status,priority,assignee" {
		t.Fatalf("timeline kinds %s", got)
	}
	if evs[3].Data != `{"from":"open","to":"solved"}` || *evs[3].AuthorID != agent.ID {
		t.Fatalf("status audit %+v", evs[3])
	}

	find := func(f store.TicketFilter) []int64 {
		t.Helper()
		list, _, err := db.ListTickets(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, r := range list {
			ids = append(ids, r.ID)
		}
		return ids
	}
	for _, q := range []string{"списание", "СПИСАНИЕ", "деньги", "дважды заказ", "сидоров", "petr@example", "Пётр"} {
		if ids := find(store.TicketFilter{Q: q}); len(ids) != 1 || ids[0] != tk.ID {
			t.Errorf("search %q: %v", q, ids)
		}
	}
	if ids := find(store.TicketFilter{Q: "нетакогослова"}); len(ids) != 0 {
		t.Errorf("search miss: %v", ids)
	}
	if ids := find(store.TicketFilter{Phones: []string{"+79261234567"}}); len(ids) != 1 {
		t.Errorf("phone search: %v", ids)
	}
	if ids := find(store.TicketFilter{Statuses: []string{"solved"}, AssigneeID: agent.ID, Tag: "оплата", ClientID: client}); len(ids) != 1 {
		t.Errorf("filters: %v", ids)
	}
	if ids := find(store.TicketFilter{Active: true}); len(ids) != 0 {
		t.Errorf("active: %v", ids)
	}
	counts, err := db.TicketViewCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := db.MyOpenCount(ctx, agent.ID)
	if err != nil {
		t.Fatal(err)
	}
	if counts["solved"] != 1 || counts["open"] != 0 || mine != 0 {
		t.Errorf("counts %v, mine %d", counts, mine)
	}
}

func TestTicketKeysetPagesAndSeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Now().UTC()
	if err := db.Seed(ctx, store.SeedOptions{Clients: 40, Tickets: 230, Seed: 1}, now); err != nil {
		t.Fatal(err)
	}
	for _, sort := range []string{"updated", "created"} {
		seen := map[int64]bool{}
		cursor := ""
		pages := 0
		for {
			list, next, err := db.ListTickets(ctx, store.TicketFilter{Sort: sort, Limit: 50, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, r := range list {
				if seen[r.ID] {
					t.Fatalf("%s: ticket %d twice", sort, r.ID)
				}
				seen[r.ID] = true
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if len(seen) != 230 || pages != 5 {
			t.Fatalf("%s: %d tickets in %d pages", sort, len(seen), pages)
		}
	}
	list, _, err := db.ListTickets(ctx, store.TicketFilter{Q: "заказ"})
	if err != nil || len(list) == 0 {
		t.Fatalf("seeded search: %d %v", len(list), err)
	}
	// A second seed continues the ids.
	if err := db.Seed(ctx, store.SeedOptions{Clients: 5, Tickets: 5, Seed: 2}, now); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentTicketUpdatesKeepAuditChain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Now().UTC()
	client, err := db.SeedClient(ctx, "Анна", nil, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	in := ringdesk.TicketCreate{Subject: "Гонка", ClientID: client}
	in.Normalize()
	tk, err := db.CreateTicket(ctx, in, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := ringdesk.Priorities[i%len(ringdesk.Priorities)]
			if _, err := db.UpdateTicket(ctx, tk.ID, ringdesk.TicketUpdate{Priority: &p}, nil, false, now.Add(time.Duration(i)*time.Millisecond)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	evs, err := db.TicketEvents(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := "medium"
	slices.SortFunc(evs, func(a, b *ringdesk.TicketEvent) int { return int(a.ID - b.ID) })
	for _, e := range evs {
		var d struct{ From, To string }
		if err := json.Unmarshal([]byte(e.Data), &d); err != nil {
			t.Fatal(err)
		}
		if d.From != last {
			t.Fatalf("audit chain broken at %d: from %q after %q", e.ID, d.From, last)
		}
		last = d.To
	}
	if got, _ := db.TicketByID(ctx, tk.ID); got.Priority != last {
		t.Fatalf("ticket priority %s, last audit %s", got.Priority, last)
	}
}

package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// searchAll pages through a search with the keyset cursor and returns every
// ticket id in list order.
func searchAll(t *testing.T, db *store.DB, f store.TicketFilter) []int64 {
	t.Helper()
	ctx := context.Background()
	f.Limit = 7
	var ids []int64
	for pages := 0; ; pages++ {
		if pages > 200 {
			t.Fatalf("search %q: the cursor does not end", f.Q)
		}
		list, next, err := db.ListTickets(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range list {
			ids = append(ids, r.ID)
		}
		if next == "" {
			return ids
		}
		f.Cursor = next
	}
}

// TestTicketSearchWindows checks that looking for the newest matches in id
// windows returns exactly what the plain query returns (same tickets, same
// order, every page), that without a binding cap a search finds every
// matching ticket, and that client names match through the trigram index and
// follow renames and merges.
func TestTicketSearchWindows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	base := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	var clients []int64
	for i, name := range []string{"Зоя Кузнецова", "Борис Ли", "Анна Смирнова"} {
		id, err := db.SeedClient(ctx, name, []string{fmt.Sprintf("+7926000000%d", i)}, []string{fmt.Sprintf("c%d@example.ru", i)}, base)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, id)
	}
	type ticket struct {
		id      int64
		updated time.Time
		client  int64
		subject string
		body    string
	}
	var all []ticket
	const n = 300
	for i := 1; i <= n; i++ {
		subject, body := fmt.Sprintf("Другое обращение %d", i), "Добрый день"
		if i%3 == 0 {
			subject = fmt.Sprintf("Вопрос по заказу %d", i)
		}
		if i%5 == 0 {
			body = "Где мой заказ? Курьер не приехал"
		}
		if i%11 == 0 {
			subject = "Курьер опоздал"
		}
		// Creation times out of id order, some equal, so the list order
		// (updated, id) differs from id order and ties need the id.
		at := base.Add(time.Duration(i*7919%97) * time.Minute)
		in := ringdesk.TicketCreate{Subject: subject, ClientID: clients[i%len(clients)], Body: body}
		in.Normalize()
		tk, err := db.CreateTicket(ctx, in, nil, at)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ticket{tk.ID, tk.UpdatedAt, tk.ClientID, subject, body})
	}
	// A later reply makes an old ticket the most recently updated one.
	if _, err := db.AddComment(ctx, all[2].id, ringdesk.CommentCreate{Kind: "reply", AuthorType: "agent", Body: "Компенсация оформлена"}, nil, false, base.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	all[2].updated, all[2].body = base.Add(48*time.Hour), all[2].body+" Компенсация оформлена"

	expect := func(match func(ticket) bool) []int64 {
		var m []ticket
		for _, tk := range all {
			if match(tk) {
				m = append(m, tk)
			}
		}
		slices.SortFunc(m, func(a, b ticket) int {
			if c := b.updated.Compare(a.updated); c != 0 {
				return c
			}
			return int(b.id - a.id)
		})
		var ids []int64
		for _, tk := range m {
			ids = append(ids, tk.id)
		}
		return ids
	}
	has := func(words ...string) func(ticket) bool {
		return func(tk ticket) bool {
			text := strings.ToLower(tk.subject + " " + tk.body)
			for _, w := range words {
				if !strings.Contains(text, w) {
					return false
				}
			}
			return true
		}
	}
	queries := []struct {
		q     string
		match func(ticket) bool
	}{
		{"заказ", has("заказ")},
		{"ЗАКАЗУ", has("заказу")},
		{"курьер", has("курьер")},
		{"компенсация", has("компенсация")},
		{"нетакогослова", has("нетакогослова")},
		{"кузнецова", func(tk ticket) bool { return tk.client == clients[0] }},
		{"Зо", func(tk ticket) bool { return tk.client == clients[0] }},
		{"c1@example", func(tk ticket) bool { return tk.client == clients[1] }},
	}
	// Without a binding cap every match is found, in list order, whatever
	// the first window.
	for _, window := range []int64{4, 1 << 40} {
		db.SetSearchLimits(10000, window)
		for _, c := range queries {
			if got, want := searchAll(t, db, store.TicketFilter{Q: c.q}), expect(c.match); !slices.Equal(got, want) {
				t.Errorf("window %d, %q:\n got %v\nwant %v", window, c.q, got, want)
			}
		}
	}
	// A search with no filter but the status chooses its page from
	// (id, updated_at) pairs before reading rows; it must list exactly what
	// the general query does (made general here by a filter that excludes
	// nothing), text and client matches together, page after page.
	anyTime := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.ExecForTest(ctx, `UPDATE tickets SET status = 'solved' WHERE id % 4 = 0`); err != nil {
		t.Fatal(err)
	}
	for _, c := range append(queries, struct {
		q     string
		match func(ticket) bool
	}{"заказ борис", nil}) {
		for _, f := range []store.TicketFilter{{Q: c.q}, {Q: c.q, Active: true}, {Q: c.q, Statuses: []string{ringdesk.StatusNew, ringdesk.StatusSolved}}} {
			general := f
			general.UpdatedTo = anyTime
			if got, want := searchAll(t, db, f), searchAll(t, db, general); !slices.Equal(got, want) {
				t.Errorf("%+v: the page chosen from pairs differs from the general query:\n got %v\nwant %v", f, got, want)
			}
		}
	}
	// With a binding cap the windows return what the plain query returns:
	// the same newest matches, in the same order, page after page, also
	// sorted by creation and combined with other filters.
	for _, limits := range [][2]int64{{10, 4}, {25, 16}, {40, 100}, {7, 1}} {
		for _, c := range queries {
			for _, f := range []store.TicketFilter{{Q: c.q}, {Q: c.q, Sort: "created"}, {Q: c.q, Active: true}} {
				db.SetSearchLimits(limits[0], 1<<40)
				want := searchAll(t, db, f)
				db.SetSearchLimits(limits[0], limits[1])
				if got := searchAll(t, db, f); !slices.Equal(got, want) {
					t.Errorf("cap %d window %d, %+v:\n got %v\nwant %v", limits[0], limits[1], f, got, want)
				}
			}
		}
	}
	db.SetSearchLimits(0, 0)

	// Client names follow renames and merges (the trigram index on
	// SQLite is kept by triggers).
	name := "Зоя Павлова"
	if _, err := db.UpdateClient(ctx, clients[0], ringdesk.ClientUpdate{Name: &name}, base); err != nil {
		t.Fatal(err)
	}
	if got := searchAll(t, db, store.TicketFilter{Q: "кузнецова"}); len(got) != 0 {
		t.Errorf("old name still found: %v", got)
	}
	if got, want := searchAll(t, db, store.TicketFilter{Q: "павлова"}), expect(func(tk ticket) bool { return tk.client == clients[0] }); !slices.Equal(got, want) {
		t.Errorf("new name:\n got %v\nwant %v", got, want)
	}
	if _, err := db.MergeClients(ctx, clients[1], clients[0], 0, base); err != nil {
		t.Fatal(err)
	}
	if got, want := searchAll(t, db, store.TicketFilter{Q: "борис"}), expect(func(tk ticket) bool { return tk.client != clients[2] }); !slices.Equal(got, want) {
		t.Errorf("after merge:\n got %v\nwant %v", got, want)
	}
	if got := searchAll(t, db, store.TicketFilter{Q: "павлова"}); len(got) != 0 {
		t.Errorf("merged-away name still found: %v", got)
	}
}

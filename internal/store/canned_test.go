package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestCannedReplies: shared and personal replies, what each agent's list
// holds, search by title, shortcut and body (Cyrillic in any case, ё as
// е, every word), shortcuts unique per scope, update and delete.
func TestCannedReplies(t *testing.T) {
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
	create := func(owner *int64, title, shortcut, body string) *ringdesk.CannedReply {
		t.Helper()
		in := ringdesk.CannedInput{Title: &title, Body: &body, Shortcut: &shortcut}
		in.Normalize()
		c, err := db.CreateCannedReply(ctx, owner, in, now)
		if err != nil {
			t.Fatalf("create %q: %v", title, err)
		}
		return c
	}
	hello := create(nil, "Приветствие", "привет", "Здравствуйте, {{client.name}}!")
	bill := create(nil, "Счёт за месяц", "", "Счёт придёт на почту в течение дня.")
	olgas := create(&olga.ID, "Мой ответ про ДОСТАВКУ", "dost", "Курьер приедет завтра.")
	boriss := create(&boris.ID, "Доставка Бориса", "dost", "Самовывоз.")
	if !hello.Shared() || olgas.Shared() || *olgas.OwnerID != olga.ID || hello.Shortcut != "привет" || !hello.CreatedAt.Equal(now) {
		t.Errorf("created %+v / %+v", hello, olgas)
	}
	ids := func(f ringdesk.CannedFilter) []int64 {
		t.Helper()
		list, err := db.CannedReplies(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out := []int64{}
		for _, c := range list {
			out = append(out, c.ID)
		}
		return out
	}
	for _, tt := range []struct {
		name string
		f    ringdesk.CannedFilter
		want []int64
	}{
		{"olga sees shared and her own, by title", ringdesk.CannedFilter{ViewerID: olga.ID}, []int64{olgas.ID, hello.ID, bill.ID}},
		{"boris sees his own", ringdesk.CannedFilter{ViewerID: boris.ID}, []int64{boriss.ID, hello.ID, bill.ID}},
		{"shared only", ringdesk.CannedFilter{ViewerID: olga.ID, Scope: ringdesk.CannedShared}, []int64{hello.ID, bill.ID}},
		{"personal only", ringdesk.CannedFilter{ViewerID: olga.ID, Scope: ringdesk.CannedPersonal}, []int64{olgas.ID}},
		{"nobody's personal for the system", ringdesk.CannedFilter{}, []int64{hello.ID, bill.ID}},
		{"title in another case", ringdesk.CannedFilter{ViewerID: olga.ID, Q: "доставку"}, []int64{olgas.ID}},
		{"ё as е", ringdesk.CannedFilter{ViewerID: olga.ID, Q: "СЧЕТ"}, []int64{bill.ID}},
		{"body", ringdesk.CannedFilter{ViewerID: olga.ID, Q: "курьер"}, []int64{olgas.ID}},
		{"shortcut with its slash", ringdesk.CannedFilter{ViewerID: olga.ID, Q: "/прив"}, []int64{hello.ID}},
		{"every word", ringdesk.CannedFilter{ViewerID: olga.ID, Q: "счёт почту"}, []int64{bill.ID}},
		{"not every word", ringdesk.CannedFilter{ViewerID: olga.ID, Q: "счёт курьер"}, []int64{}},
		{"like wildcards are text", ringdesk.CannedFilter{ViewerID: olga.ID, Q: "%"}, []int64{}},
		{"another agent's reply is not found", ringdesk.CannedFilter{ViewerID: olga.ID, Q: "самовывоз"}, []int64{}},
		{"limit", ringdesk.CannedFilter{ViewerID: olga.ID, Limit: 2}, []int64{olgas.ID, hello.ID}},
	} {
		if got := ids(tt.f); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}

	// Shortcuts are unique among the shared replies and among each agent's.
	dup, title, body := "ПРИВЕТ", "Другое", "b"
	in := ringdesk.CannedInput{Title: &title, Body: &body, Shortcut: &dup}
	in.Normalize()
	if _, err := db.CreateCannedReply(ctx, nil, in, now); ringdesk.ErrorCode(err) != ringdesk.ECONFLICT || ringdesk.ErrorFields(err)["shortcut"] == "" {
		t.Errorf("a second shared «привет»: %v", err)
	}
	if _, err := db.CreateCannedReply(ctx, &olga.ID, in, now); err != nil {
		t.Errorf("olga's own «привет» next to the shared one: %v", err)
	}
	taken := "dost"
	if _, err := db.UpdateCannedReply(ctx, hello.ID, ringdesk.CannedInput{Shortcut: &taken}, now); err != nil {
		t.Errorf("a shared reply takes a shortcut only personal ones have: %v", err)
	}
	none := ""
	for range 2 { // several replies without a shortcut
		if _, err := db.CreateCannedReply(ctx, nil, ringdesk.CannedInput{Title: &title, Body: &body, Shortcut: &none}, now); err != nil {
			t.Fatal(err)
		}
	}

	later := now.Add(time.Hour)
	newTitle := "Ответ про доставку"
	got, err := db.UpdateCannedReply(ctx, olgas.ID, ringdesk.CannedInput{Title: &newTitle}, later)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != newTitle || got.Body != olgas.Body || got.Shortcut != "dost" || !got.UpdatedAt.Equal(later) || !got.CreatedAt.Equal(now) {
		t.Errorf("updated: %+v", got)
	}
	if ids := ids(ringdesk.CannedFilter{ViewerID: olga.ID, Q: "ответ доставку"}); !slices.Equal(ids, []int64{olgas.ID}) {
		t.Errorf("the new title is not searched: %v", ids)
	}
	if ids := ids(ringdesk.CannedFilter{ViewerID: olga.ID, Q: "мой"}); len(ids) != 0 {
		t.Errorf("the old title is still found: %v", ids)
	}
	if _, err := db.UpdateCannedReply(ctx, 999, ringdesk.CannedInput{Title: &newTitle}, later); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("update a missing reply: %v", err)
	}
	if err := db.DeleteCannedReply(ctx, olgas.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CannedReplyByID(ctx, olgas.ID); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("deleted reply: %v", err)
	}
	if err := db.DeleteCannedReply(ctx, olgas.ID); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("delete twice: %v", err)
	}
}

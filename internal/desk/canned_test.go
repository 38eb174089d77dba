package desk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestCannedPermissions: who may do what with shared and personal canned
// replies, and that nothing happens without an actor.
func TestCannedPermissions(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	olga := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Ольга", Email: "olga@example.com", Role: ringdesk.RoleAgent})
	boris := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Борис", Email: "boris@example.com", Role: ringdesk.RoleAgent})
	in := func(title string, shared bool) ringdesk.CannedInput {
		body := "Текст"
		return ringdesk.CannedInput{Title: &title, Body: &body, Shared: &shared}
	}
	shared, err := a.Desk.CreateCannedReply(ctx, ringdesk.System, in("Общий", true))
	if err != nil {
		t.Fatal(err)
	}
	own, err := a.Desk.CreateCannedReply(ctx, olga, in("Свой", false))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		do   func() error
		want string
	}{
		{"nobody lists", func() error { _, err := a.Desk.CannedReplies(ctx, nil, ringdesk.CannedFilter{}); return err }, ringdesk.EUNAUTHORIZED},
		{"nobody creates", func() error { _, err := a.Desk.CreateCannedReply(ctx, nil, in("X", false)); return err }, ringdesk.EUNAUTHORIZED},
		{"the system has no personal replies", func() error { _, err := a.Desk.CreateCannedReply(ctx, ringdesk.System, in("X", false)); return err }, ringdesk.EINVALID},
		{"agent creates a shared one", func() error { _, err := a.Desk.CreateCannedReply(ctx, olga, in("X", true)); return err }, ringdesk.EFORBIDDEN},
		{"agent changes a shared one", func() error { _, err := a.Desk.UpdateCannedReply(ctx, olga, shared.ID, in("X", true)); return err }, ringdesk.EFORBIDDEN},
		{"agent deletes a shared one", func() error { return a.Desk.DeleteCannedReply(ctx, olga, shared.ID) }, ringdesk.EFORBIDDEN},
		{"another agent reads a personal one", func() error { _, err := a.Desk.CannedReply(ctx, boris, own.ID); return err }, ringdesk.ENOTFOUND},
		{"another agent changes it", func() error { _, err := a.Desk.UpdateCannedReply(ctx, boris, own.ID, in("X", false)); return err }, ringdesk.ENOTFOUND},
		{"another agent fills it", func() error {
			tk, err := a.Desk.CreateTicket(ctx, boris, ringdesk.TicketCreate{Subject: "S", ClientID: cannedClient(t, a)})
			if err != nil {
				return err
			}
			list, err := a.Desk.FilledCannedReplies(ctx, boris, tk.ID, "свой", "ru")
			if err == nil && len(list) > 0 {
				return fmt.Errorf("boris got %q", list[0].Title)
			}
			return ringdesk.Errorf(ringdesk.ENOTFOUND, "none")
		}, ringdesk.ENOTFOUND},
		{"a bad scope", func() error {
			_, err := a.Desk.CannedReplies(ctx, olga, ringdesk.CannedFilter{Scope: "all"})
			return err
		}, ringdesk.EINVALID},
		{"owner changes theirs", func() error { _, err := a.Desk.UpdateCannedReply(ctx, olga, own.ID, in("Своё", false)); return err }, ""},
		{"it stays personal", func() error { _, err := a.Desk.UpdateCannedReply(ctx, olga, own.ID, in("Своё", true)); return err }, ringdesk.EINVALID},
		{"the system changes a shared one", func() error {
			_, err := a.Desk.UpdateCannedReply(ctx, ringdesk.System, shared.ID, in("Общий 2", true))
			return err
		}, ""},
	} {
		if got := ringdesk.ErrorCode(tc.do()); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func cannedClient(tb testing.TB, a *apptest.App) int64 {
	tb.Helper()
	c, err := a.Desk.CreateClient(context.Background(), ringdesk.System, ringdesk.ClientInput{Name: "Петров Иван", Phones: []string{"+79261234567"}})
	if err != nil {
		tb.Fatal(err)
	}
	return c.ID
}

// BenchmarkFilledCannedReplies: what the composer's picker asks for on
// each keystroke, on a desk with 1000 shared replies and 200 of the
// agent's own (and 200 of another agent's).
func BenchmarkFilledCannedReplies(b *testing.B) {
	a := apptest.New(b)
	ctx := context.Background()
	olga := a.CreateAgent(b, ringdesk.AgentCreate{Name: "Ольга", Email: "olga@example.com", Role: ringdesk.RoleAgent})
	boris := a.CreateAgent(b, ringdesk.AgentCreate{Name: "Борис", Email: "boris@example.com", Role: ringdesk.RoleAgent})
	words := []string{"счёт", "доставка", "возврат", "оплата", "перезвон", "привет", "акт", "договор"}
	for i := range 1400 {
		actor, shared := ringdesk.System, true
		switch {
		case i >= 1200:
			actor, shared = boris, false
		case i >= 1000:
			actor, shared = olga, false
		}
		title := fmt.Sprintf("%s %d", words[i%len(words)], i)
		body := "Здравствуйте, {{client.name}}! " + strings.Repeat(words[(i+3)%len(words)]+" ", 40) + "Обращение №{{ticket.number}}."
		short := fmt.Sprintf("s%d", i)
		if _, err := a.Desk.CreateCannedReply(ctx, actor, ringdesk.CannedInput{Title: &title, Body: &body, Shortcut: &short, Shared: &shared}); err != nil {
			b.Fatal(err)
		}
	}
	tk, err := a.Desk.CreateTicket(ctx, olga, ringdesk.TicketCreate{Subject: "Счёт", ClientID: cannedClient(b, a)})
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"", "сч", "счёт 10", "s12"} {
		b.Run("q="+q, func(b *testing.B) {
			for b.Loop() {
				list, err := a.Desk.FilledCannedReplies(ctx, olga, tk.ID, q, "ru")
				if err != nil || len(list) == 0 || len(list) > desk.MaxCannedPicks {
					b.Fatalf("%d replies, %v", len(list), err)
				}
			}
		})
	}
}

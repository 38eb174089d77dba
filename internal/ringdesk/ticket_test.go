package ringdesk

import (
	"strings"
	"testing"
)

func TestTicketStatusesMapToUsedeskIDs(t *testing.T) {
	want := map[string]int{"new": 8, "open": 1, "pending": 6, "on_hold": 5, "solved": 2, "closed": 3, "spam": 7, "deleted": 4}
	for s, id := range want {
		if got := UsedeskStatusID(s); got != id {
			t.Errorf("%s: %d, want %d", s, got, id)
		}
		if back, ok := StatusByUsedeskID(id); !ok || back != s {
			t.Errorf("id %d: %q", id, back)
		}
	}
	if len(Statuses) != len(want) || ValidStatus("done") || UsedeskStatusID("done") != 0 {
		t.Error("unknown status accepted")
	}
}

func TestTicketCreateValidation(t *testing.T) {
	ok := TicketCreate{Subject: " Заказ 12 ", ClientID: 1, Tags: []string{"VIP", "vip", " доставка ", "b2b_1-x"}}
	ok.Normalize()
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	if ok.Subject != "Заказ 12" || ok.Status != StatusNew || ok.Priority != "medium" || ok.Type != "question" ||
		strings.Join(ok.Tags, ",") != "vip,доставка,b2b_1-x" {
		t.Fatalf("normalised %+v", ok)
	}
	many := make([]string, 21)
	for i := range many {
		many[i] = "t" + strings.Repeat("x", i)
	}
	for _, c := range []struct {
		in    TicketCreate
		field string
	}{
		{TicketCreate{ClientID: 1}, "subject"},
		{TicketCreate{Subject: strings.Repeat("ж", 251), ClientID: 1}, "subject"},
		{TicketCreate{Subject: "x"}, "client_id"},
		{TicketCreate{Subject: "x", ClientID: 1, Status: "done"}, "status"},
		{TicketCreate{Subject: "x", ClientID: 1, Priority: "high"}, "priority"},
		{TicketCreate{Subject: "x", ClientID: 1, Type: "bug"}, "type"},
		{TicketCreate{Subject: "x", ClientID: 1, Tags: []string{"a b"}}, "tags"},
		{TicketCreate{Subject: "x", ClientID: 1, Tags: []string{"<b>"}}, "tags"},
		{TicketCreate{Subject: "x", ClientID: 1, Tags: []string{strings.Repeat("a", 51)}}, "tags"},
		{TicketCreate{Subject: "x", ClientID: 1, Tags: many}, "tags"},
	} {
		c.in.Normalize()
		if f := ErrorFields(c.in.Validate()); f[c.field] == "" {
			t.Errorf("%+v: fields %v, want %s", c.in, f, c.field)
		}
	}
	long := TicketCreate{Subject: strings.Repeat("ж", 250), ClientID: 1}
	long.Normalize()
	if err := long.Validate(); err != nil {
		t.Errorf("250 characters refused: %v", err)
	}
}

package ringdesk

import (
	"slices"
	"strings"
	"testing"
)

func TestFillCanned(t *testing.T) {
	t.Parallel()
	full := CannedValues{ClientName: "Иван Петров", AgentName: "Ольга", TicketNumber: 1234, TicketSubject: "Не пришёл  счёт"}
	noName := CannedValues{ClientName: "+7 926 123-45-67", AgentName: "Ольга", TicketNumber: 7, TicketSubject: "Счёт"}
	tests := []struct {
		name   string
		body   string
		values CannedValues
		want   string
	}{
		{"every placeholder", "Здравствуйте, {{client.name}}! Обращение №{{ticket.number}} «{{ticket.subject}}». {{agent.name}}",
			full, "Здравствуйте, Иван Петров! Обращение №1234 «Не пришёл счёт». Ольга"},
		{"spaces and case inside the braces", "Hi {{ Client.Name }}", full, "Hi Иван Петров"},
		{"no placeholder", "Спасибо за обращение.", full, "Спасибо за обращение."},
		{"fallback unused when there is a name", "Hello {{client.name|there}}", full, "Hello Иван Петров"},
		{"fallback for a client named by number", "Hello {{client.name|there}}!", noName, "Hello there!"},
		{"fallback for an empty name", "Уважаемый {{ client.name | клиент }},", CannedValues{}, "Уважаемый клиент,"},
		{"greeting without a name drops the comma", "Здравствуйте, {{client.name}}!", noName, "Здравствуйте!"},
		{"English greeting without a name", "Hello {{client.name}},\nthanks.", noName, "Hello,\nthanks."},
		{"name mid-sentence", "Спасибо, {{client.name}}, что написали.", noName, "Спасибо, что написали."},
		{"name at the start of a line", "Текст.\n{{client.name}}, добрый день!", noName, "Текст.\nДобрый день!"},
		{"name at the start of the body", "{{client.name}}, добрый день!", CannedValues{ClientName: "—"}, "Добрый день!"},
		{"name between words", "Dear {{client.name}} and team", noName, "Dear and team"},
		{"name at the end of a line", "Всего доброго, {{client.name}}\nОльга", noName, "Всего доброго\nОльга"},
		{"empty fallback is no fallback", "Hi {{client.name|}}!", noName, "Hi!"},
		{"unknown placeholder never shows", "Ваш номер {{client.phone}}.", full, "Ваш номер."},
		{"unclosed braces stay text", "Код {{abc\nи {{agent.name}}", full, "Код {{abc\nи Ольга"},
		{"unclosed at the end stays text", "Цена {{ 100", full, "Цена {{ 100"},
		{"single braces are text", "{client.name} {{agent.name}}", full, "{client.name} Ольга"},
		{"no ticket number", "№{{ticket.number}}.", CannedValues{}, "№."},
		{"repeated", "{{agent.name}} / {{agent.name}}", full, "Ольга / Ольга"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FillCanned(tt.body, tt.values)
			if got != tt.want {
				t.Errorf("FillCanned(%q) = %q, want %q", tt.body, got, tt.want)
			}
			if strings.Contains(got, "{{client.") || strings.Contains(got, "{{agent.") || strings.Contains(got, "{{ticket.") {
				t.Errorf("a raw placeholder is left: %q", got)
			}
		})
	}
}

func TestPersonName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Иван  Петров ":    "Иван Петров",
		"+7 926 123-45-67": "",
		"—":                "",
		"":                 "",
		"ООО «Ромашка»":    "ООО «Ромашка»",
		"Anna2":            "Anna2",
	} {
		if got := PersonName(in); got != want {
			t.Errorf("PersonName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCannedInputValidate(t *testing.T) {
	t.Parallel()
	s := func(v string) *string { return &v }
	tests := []struct {
		name     string
		in       CannedInput
		creating bool
		fields   map[string]string // field -> part of its message; nil: valid
	}{
		{"valid", CannedInput{Title: s(" Приветствие "), Body: s("Здравствуйте, {{client.name}}!\r\n"), Shortcut: s("/Hello")}, true, nil},
		{"no title or body", CannedInput{}, true, map[string]string{"title": "Title is required.", "body": "Text is required."}},
		{"patch of the shortcut alone", CannedInput{Shortcut: s("")}, false, nil},
		{"empty title in a patch", CannedInput{Title: s("  ")}, false, map[string]string{"title": "Title is required."}},
		{"long title", CannedInput{Title: s(strings.Repeat("я", MaxCannedTitle+1)), Body: s("x")}, true, map[string]string{"title": "at most 200"}},
		{"long body", CannedInput{Title: s("t"), Body: s(strings.Repeat("я", MaxCannedBody+1))}, true, map[string]string{"body": "at most 20000"}},
		{"unknown placeholders", CannedInput{Title: s("t"), Body: s("{{client.phone}} {{ Ticket.Status }} {{client.phone}}")}, true,
			map[string]string{"body": "Unknown placeholders {{client.phone}}, {{ Ticket.Status }}. Use {{client.name}}, {{agent.name}}, {{ticket.number}}, {{ticket.subject}}."}},
		{"empty placeholder", CannedInput{Title: s("t"), Body: s("a {{}} b")}, true, map[string]string{"body": "Unknown placeholder {{}}."}},
		{"unclosed placeholder", CannedInput{Title: s("t"), Body: s("Привет, {{client.name\nпока")}, true,
			map[string]string{"body": "A placeholder is not closed with }}: {{client.name"}},
		{"fallback is fine", CannedInput{Title: s("t"), Body: s("{{client.name|коллеги}}")}, true, nil},
		{"shortcut with a space", CannedInput{Title: s("t"), Body: s("b"), Shortcut: s("two words")}, true, map[string]string{"shortcut": "one word"}},
		{"Cyrillic shortcut", CannedInput{Title: s("t"), Body: s("b"), Shortcut: s("привет-1")}, true, nil},
		{"long shortcut", CannedInput{Title: s("t"), Body: s("b"), Shortcut: s(strings.Repeat("a", MaxCannedShortcut+1))}, true, map[string]string{"shortcut": "at most 30"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Normalize()
			err := in.Validate(tt.creating)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID {
				t.Fatalf("Validate = %v, want invalid", err)
			}
			got := ErrorFields(err)
			for f, want := range tt.fields {
				if !strings.Contains(got[f], want) {
					t.Errorf("field %s = %q, want it to hold %q", f, got[f], want)
				}
			}
			if len(got) != len(tt.fields) {
				t.Errorf("fields = %v, want only %v", got, tt.fields)
			}
		})
	}
	in := CannedInput{Title: s("  Счёт   за май "), Body: s("\n\nТекст\r\nвторая  \n\n"), Shortcut: s(" /Счёт ")}
	in.Normalize()
	if *in.Title != "Счёт за май" || *in.Body != "Текст\nвторая" || *in.Shortcut != "счёт" {
		t.Errorf("Normalize = %q %q %q", *in.Title, *in.Body, *in.Shortcut)
	}
}

func TestCannedRights(t *testing.T) {
	t.Parallel()
	admin := &Agent{ID: 1, Role: RoleAdmin, Active: true}
	olga := &Agent{ID: 2, Role: RoleAgent, Active: true}
	boris := &Agent{ID: 3, Role: RoleAgent, Active: true}
	own := func(id int64) *int64 { return &id }
	shared := &CannedReply{ID: 1}
	olgas := &CannedReply{ID: 2, OwnerID: own(olga.ID)}
	admins := &CannedReply{ID: 3, OwnerID: own(admin.ID)}
	tests := []struct {
		actor     *Agent
		c         *CannedReply
		see, edit bool
	}{
		{admin, shared, true, true},
		{olga, shared, true, false},
		{olga, olgas, true, true},
		{boris, olgas, false, false},
		{admin, olgas, false, false},
		{olga, admins, false, false},
		{admin, admins, true, true},
		{System, shared, true, true},
		{System, olgas, false, false},
		{nil, shared, false, false},
	}
	for _, tt := range tests {
		if got := CanSeeCanned(tt.actor, tt.c); got != tt.see {
			t.Errorf("CanSeeCanned(%v, %d) = %v, want %v", tt.actor, tt.c.ID, got, tt.see)
		}
		if got := CanEditCanned(tt.actor, tt.c); got != tt.edit {
			t.Errorf("CanEditCanned(%v, %d) = %v, want %v", tt.actor, tt.c.ID, got, tt.edit)
		}
	}
}

func TestCannedSearch(t *testing.T) {
	t.Parallel()
	if got := CannedQueryWords("  /Счёт  за СЧЕТ май /"); !slices.Equal(got, []string{"счет", "за", "май"}) {
		t.Errorf("CannedQueryWords = %q", got)
	}
	if got := CannedSearchKey("Ёлка", "NY", "Тело"); got != "елка\nny\nтело" {
		t.Errorf("CannedSearchKey = %q", got)
	}
	own := int64(5)
	list := []*CannedReply{
		{ID: 1, Title: "Реквизиты для оплаты счёта"},                  // title holds "счет" inside a word? no: starts a word
		{ID: 2, Title: "Доставка", Body: "Счёт придёт почтой"},        // body only
		{ID: 3, Title: "Повторный счёт", Shortcut: "schet"},           // title word
		{ID: 4, Title: "Акт и счёт", Shortcut: "счет", OwnerID: &own}, // exact shortcut
		{ID: 5, Title: "Счета-фактуры", Shortcut: "счета"},            // shortcut prefix
		{ID: 6, Title: "Пересчёт"},                                    // title holds it mid-word
		{ID: 7, Title: "Повторный счёт", OwnerID: &own},               // same title as 3, personal first
	}
	var got []int64
	for _, c := range RankCanned(list, "Счёт") {
		got = append(got, c.ID)
	}
	if want := []int64{4, 5, 7, 3, 1, 6, 2}; !slices.Equal(got, want) {
		t.Errorf("RankCanned = %v, want %v", got, want)
	}
	got = got[:0]
	for _, c := range RankCanned(list, "") {
		got = append(got, c.ID)
	}
	if want := []int64{4, 7, 2, 6, 3, 1, 5}; !slices.Equal(got, want) {
		t.Errorf("RankCanned without a query = %v, want %v", got, want)
	}
}

package web

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

var tCall = regexp.MustCompile(`\{\{-?\s*tf?\s+"((?:[^"\\]|\\.)*)"`)

// TestTemplatesTranslated: every literal {{t "..."}} in a template has a
// Russian translation.
func TestTemplatesTranslated(t *testing.T) {
	t.Parallel()
	files, err := fs.Glob(templatesFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := fs.ReadFile(templatesFS, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range tCall.FindAllStringSubmatch(string(b), -1) {
			if _, ok := ru[m[1]]; !ok {
				t.Errorf("%s: %q has no Russian translation", f, m[1])
			}
		}
	}
}

// TestFieldErrorsTranslated: every field message the ticket, comment and
// client forms can show, including those carrying a value (a tag, a limit,
// a number), reads in Russian.
func TestFieldErrorsTranslated(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("я", n+1) }
	badPhone := func(string) (string, error) { return "", errors.New("bad") }
	bad, empty := "bogus", ""
	tags := []string{"ок", "тег!", long(ringdesk.MaxTagLen)}
	many := make([]string, ringdesk.MaxTags+1)
	for i := range many {
		many[i] = "t" + strings.Repeat("x", i+1)
	}
	var client int64
	phones := make([]string, 21)
	emails := make([]string, 21)
	for i := range phones {
		phones[i], emails[i] = "+7926123450"+string(rune('0'+i%10)), "a"+strings.Repeat("b", i)+"@example.com"
	}
	inputs := []interface{ Validate() error }{
		&ringdesk.TicketCreate{Subject: long(ringdesk.MaxSubjectLen), Status: bad, Priority: bad, Type: bad, Tags: tags, Body: long(ringdesk.MaxBodyLen), BodyKind: bad},
		&ringdesk.TicketCreate{Subject: "", Tags: many, BodyKind: "reply", Status: "open", Priority: "low", Type: "task"},
		&ringdesk.TicketUpdate{Subject: &empty, Status: &bad, Priority: &bad, Type: &bad, ClientID: &client, Tags: &tags},
		&ringdesk.CommentCreate{Kind: bad, AuthorType: "agent", Body: ""},
		&ringdesk.CommentCreate{Kind: "note", AuthorType: "agent", Body: long(ringdesk.MaxBodyLen)},
	}
	var msgs, rus []string
	tr := func(s string) string { return translate(ringdesk.LangRU, s) }
	collect := func(err error) {
		var e *ringdesk.Error
		if !errors.As(err, &e) {
			t.Fatalf("not a validation error: %v", err)
		}
		msg, fields := ringdesk.Localize(err, tr)
		msgs, rus = append(msgs, e.Message), append(rus, msg)
		for k, m := range e.Fields {
			msgs, rus = append(msgs, m), append(rus, fields[k])
		}
	}
	for _, in := range inputs {
		collect(in.Validate())
	}
	collect((&ringdesk.ClientInput{Name: "", Company: long(ringdesk.MaxClientCompany), Note: long(ringdesk.MaxClientNote),
		Phones: []string{"12"}, Emails: []string{"not-an-email"}}).Validate(badPhone))
	collect((&ringdesk.ClientInput{Name: long(ringdesk.MaxClientName), Phones: phones, Emails: emails}).Validate(func(s string) (string, error) { return s, nil }))
	if len(msgs) < 20 {
		t.Fatalf("only %d messages collected: %q", len(msgs), msgs)
	}
	for i, m := range msgs {
		if ru := rus[i]; ru == m || !strings.ContainsFunc(ru, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
			t.Errorf("%q has no Russian translation", m)
		}
	}
	badTags := []string{"тег!"}
	_, fields := ringdesk.Localize((&ringdesk.TicketUpdate{Tags: &badTags}).Validate(), tr)
	if got := fields["tags"]; got != "Тег «тег!»: только буквы, цифры, _ и -, не длиннее 50 символов." {
		t.Errorf("tag message = %q", got)
	}
}

// TestCatalogueNoConflicts: no English key is translated two ways by
// different feature catalogues (the later one would silently win).
func TestCatalogueNoConflicts(t *testing.T) {
	t.Parallel()
	for _, c := range ruConflicts {
		t.Errorf("translated twice: %s", c)
	}
}

// TestAddRURefusesConflicts: a second, different translation of a key is
// recorded as a conflict and does not replace the first.
func TestAddRURefusesConflicts(t *testing.T) {
	t.Parallel()
	// A catalogue of its own: the shared one is read by every other test.
	text, source := map[string]string{}, map[string]string{}
	var conflicts []string
	mergeRU(text, source, &conflicts, map[string]string{"test: conflicting key": "первый"}, "a.go:1")
	mergeRU(text, source, &conflicts, map[string]string{"test: conflicting key": "первый"}, "b.go:2") // the same text again is fine
	if len(conflicts) != 0 {
		t.Fatalf("same text recorded as a conflict: %q", conflicts)
	}
	mergeRU(text, source, &conflicts, map[string]string{"test: conflicting key": "второй"}, "c.go:3")
	if got := text["test: conflicting key"]; got != "первый" {
		t.Errorf("translation = %q, want the first one kept", got)
	}
	if len(conflicts) != 1 || !strings.Contains(conflicts[0], "второй") || !strings.Contains(conflicts[0], "a.go:1") {
		t.Errorf("conflict not recorded with both sources: %q", conflicts)
	}
}

// glossaryBanned are Russian words the glossary (docs/i18n.md) rules out:
// a ticket is «обращение», a client «клиент».
var glossaryBanned = []string{"заявк", "тикет", "абонент"}

// TestGlossary: the catalogues, templates, scripts and Russian strings in
// Go code use the glossary's words, and agents are never called employees.
func TestGlossary(t *testing.T) {
	t.Parallel()
	check := func(where, text string) {
		low := strings.ToLower(text)
		for _, w := range glossaryBanned {
			if strings.Contains(low, w) {
				t.Errorf("%s: %q uses %q (see docs/i18n.md)", where, text, w)
			}
		}
	}
	for k, v := range ru {
		check("catalogue", v)
		if strings.Contains(v, "Operator ID") {
			t.Errorf("catalogue: %q leaves Operator ID in English: «ID оператора»", v)
		}
		if strings.Contains(strings.ToLower(v), "email") {
			t.Errorf("catalogue: %q leaves email in English: «эл. почта»", v)
		}
		lk := strings.ToLower(k)
		if strings.Contains(lk, "agent") && !strings.Contains(lk, "employee") && !strings.Contains(lk, "uis") && strings.Contains(strings.ToLower(v), "сотрудник") {
			t.Errorf("catalogue: %q calls an agent «сотрудник»: %q", k, v)
		}
	}
	var files []string
	for _, glob := range []string{"templates/*.html", "static/*.js", "*.go", "../desk/*.go", "../ringdesk/*.go", "../../README.md", "../../docs/*.md"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 50 {
		t.Fatalf("only %d files found", len(files))
	}
	for _, f := range files {
		// Tests name the banned words to look for them; the glossary names them to ban them.
		if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "i18n.md") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			check(fmt.Sprintf("%s:%d", f, i+1), line)
		}
	}
}

// TestCallWordsTranslated: UIS finish reasons and call sources put into
// words have a Russian text.
func TestCallWordsTranslated(t *testing.T) {
	t.Parallel()
	for _, m := range []map[string]string{finishReasons, callSources} {
		for k, w := range m {
			if _, ok := ru[w]; !ok {
				t.Errorf("%s: %q has no Russian translation", k, w)
			}
		}
	}
	if got := callSourceWords("something_new"); got != "something_new" {
		t.Errorf("unknown source = %q, want it as UIS spells it", got)
	}
	if !sameName("Анна  Петрова", "анна петрова") || !sameName("Пётр", "Петр") || sameName("Анна", "Анна П.") {
		t.Error("sameName")
	}
}

// TestUISTextsTranslated: every text about UIS errors (internal/desk) has
// its Russian in the catalogue.
func TestUISTextsTranslated(t *testing.T) {
	t.Parallel()
	for _, s := range desk.UISTexts() {
		if _, ok := ru[s]; !ok && s != "" {
			t.Errorf("no Russian for %q", s)
		}
	}
}

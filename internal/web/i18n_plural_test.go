package web

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

var pluralCall = regexp.MustCompile(`\{\{-?\s*plural\s+[^"]+"((?:[^"\\]|\\.)*)"\s+"((?:[^"\\]|\\.)*)"`)

// TestPluralsTranslated: every {{plural n "one" "other"}} in a template has
// the three Russian forms, each keeping the English wording's verbs.
func TestPluralsTranslated(t *testing.T) {
	t.Parallel()
	files, err := fs.Glob(templatesFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, f := range files {
		b, err := fs.ReadFile(templatesFS, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range pluralCall.FindAllStringSubmatch(string(b), -1) {
			found++
			one, other := m[1], m[2]
			if verbs(one) != verbs(other) {
				t.Errorf("%s: %q and %q have different verbs", f, one, other)
			}
			forms, ok := ruPlurals[other]
			if !ok {
				t.Errorf("%s: %q has no Russian plural forms", f, other)
				continue
			}
			for _, form := range forms {
				if verbs(form) != verbs(other) {
					t.Errorf("%s: Russian form %q of %q has other verbs", f, form, other)
				}
			}
		}
	}
	if found == 0 {
		t.Fatal("no plural calls found in the templates")
	}
}

func verbs(s string) string { return strings.Join(verbRE.FindAllString(s, -1), " ") }

var verbRE = regexp.MustCompile(`%[a-z]`)

// TestPluralForms: the Russian form follows the last two digits.
func TestPluralForms(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0 агентов"}, {1, "1 агент"}, {2, "2 агента"}, {4, "4 агента"}, {5, "5 агентов"}, {11, "11 агентов"},
		{12, "12 агентов"}, {14, "14 агентов"}, {21, "21 агент"}, {22, "22 агента"}, {25, "25 агентов"},
		{101, "101 агент"}, {111, "111 агентов"}, {1004, "1004 агента"},
	} {
		if got := plural(ringdesk.LangRU, tc.n, "%d agent", "%d agents"); got != tc.want {
			t.Errorf("plural(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := plural(ringdesk.LangEN, 1, "%d agent", "%d agents"); got != "1 agent" {
		t.Errorf("English one = %q", got)
	}
	if got := plural(ringdesk.LangEN, 3, "%d agent", "%d agents"); got != "3 agents" {
		t.Errorf("English other = %q", got)
	}
}

// TestCountedMessages: each counted message of the pages reads right for
// 0, 1, 2, 5, 11, 21, 22, 25 and 111, in Russian and in English.
func TestCountedMessages(t *testing.T) {
	t.Parallel()
	// The Russian form each count takes: 0 for 1, 21...; 1 for 2-4,
	// 22-24...; 2 for the rest, 11-14 included.
	counts := []struct {
		n      int64
		ruForm int
	}{{0, 2}, {1, 0}, {2, 1}, {5, 2}, {11, 2}, {21, 0}, {22, 1}, {25, 2}, {111, 2}}
	for _, m := range []struct{ one, other string }{
		{"%d call checked", "%d calls checked"},
		{"%d recovered", "%d recovered"},
		{"%d finished", "%d finished"},
		{"%d report row skipped (see dead letters)", "%d report rows skipped (see dead letters)"},
		{"%d ticket updated.", "%d tickets updated."},
		{"%d ticket not updated:", "%d tickets not updated:"},
		{"%d operation", "%d operations"},
	} {
		forms, ok := ruPlurals[m.other]
		if !ok {
			t.Errorf("%q has no Russian forms", m.other)
			continue
		}
		for _, c := range counts {
			if got, want := plural(ringdesk.LangRU, c.n, m.one, m.other), fmt.Sprintf(forms[c.ruForm], c.n); got != want {
				t.Errorf("ru %q, %d: %q, want %q", m.other, c.n, got, want)
			}
			want := fmt.Sprintf(m.other, c.n)
			if c.n == 1 {
				want = fmt.Sprintf(m.one, c.n)
			}
			if got := plural(ringdesk.LangEN, c.n, m.one, m.other); got != want {
				t.Errorf("en %q, %d: %q, want %q", m.other, c.n, got, want)
			}
		}
	}
	for n, want := range map[int64]string{0: "0 звонков проверено", 1: "1 звонок проверен", 2: "2 звонка проверены",
		5: "5 звонков проверено", 11: "11 звонков проверено", 21: "21 звонок проверен", 22: "22 звонка проверены",
		25: "25 звонков проверено", 111: "111 звонков проверено"} {
		if got := plural(ringdesk.LangRU, n, "%d call checked", "%d calls checked"); got != want {
			t.Errorf("%d calls checked: %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int64]string{1: "1 обращение изменено.", 3: "3 обращения изменены.", 12: "12 обращений изменено."} {
		if got := plural(ringdesk.LangRU, n, "%d ticket updated.", "%d tickets updated."); got != want {
			t.Errorf("%d tickets updated: %q, want %q", n, got, want)
		}
	}
}

package web

import (
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

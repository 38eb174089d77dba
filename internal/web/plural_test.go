package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

func TestRuForm(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]int{0: 2, 1: 0, 2: 1, 4: 1, 5: 2, 11: 2, 12: 2, 14: 2, 21: 0, 22: 1, 25: 2, 101: 0, 111: 2, 112: 2, 122: 1} {
		if got := ruForm(n); got != want {
			t.Errorf("ruForm(%d) = %d, want %d", n, got, want)
		}
	}
	if got := plural("ru", 3, "%d employee in UIS", "%d employees in UIS"); got != "3 сотрудника в UIS" {
		t.Errorf("ru 3 = %q", got)
	}
	if got := plural("en", 1, "%d employee in UIS", "%d employees in UIS"); got != "1 employee in UIS" {
		t.Errorf("en 1 = %q", got)
	}
}

var pluralCall = regexp.MustCompile(`plural [^"{}]*"((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"`)

// TestPluralsTranslated: every {{plural n "one" "other"}} in a template has
// three Russian forms, each with the count's one %d.
func TestPluralsTranslated(t *testing.T) {
	t.Parallel()
	files, err := fs.Glob(templatesFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, f := range files {
		b, _ := fs.ReadFile(templatesFS, f)
		for _, m := range pluralCall.FindAllStringSubmatch(string(b), -1) {
			found++
			forms, ok := ruPlural[m[2]]
			if !ok {
				t.Errorf("%s: plural %q has no Russian forms", f, m[2])
			}
			for _, s := range append(forms[:], m[1], m[2]) {
				if strings.Count(s, "%") != 1 || !strings.Contains(s, "%d") {
					t.Errorf("%s: %q must hold the count as one %%d", f, s)
				}
			}
		}
	}
	if found == 0 {
		t.Error("no plural found in the templates; is the pattern broken?")
	}
}

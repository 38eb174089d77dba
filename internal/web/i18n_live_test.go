package web

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLiveWordsTranslated: every word the ringing bar shows has its
// Russian, and the page gets them all.
func TestLiveWordsTranslated(t *testing.T) {
	t.Parallel()
	for k, w := range liveWords {
		if _, ok := ru[w]; !ok {
			t.Errorf("%s: %q has no Russian translation", k, w)
		}
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(liveWordsJSON("ru")), &got); err != nil {
		t.Fatal(err)
	}
	if got["ticket"] != "Открыть обращение" || len(got) != len(liveWords)+len(livePlurals) {
		t.Errorf("Russian live words = %v", got)
	}
	more, _ := got["more"].(map[string]any)
	if more["few"] != "ещё %d звонка" {
		t.Errorf("Russian forms of %%d more calls = %v", got["more"])
	}
}

// TestPlurals: counted messages take the form CLDR (and so the browser's
// Intl.PluralRules) names for each count.
func TestPlurals(t *testing.T) {
	t.Parallel()
	say := func(lang string, n int) string {
		f := pluralForms(lang, "%d more calls")[pluralCategory(lang, n)]
		return strings.Replace(f, "%d", itoa(n), 1)
	}
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{
		{"ru", 1, "ещё 1 звонок"}, {"ru", 2, "ещё 2 звонка"}, {"ru", 4, "ещё 4 звонка"}, {"ru", 5, "ещё 5 звонков"},
		{"ru", 11, "ещё 11 звонков"}, {"ru", 12, "ещё 12 звонков"}, {"ru", 14, "ещё 14 звонков"}, {"ru", 21, "ещё 21 звонок"},
		{"ru", 22, "ещё 22 звонка"}, {"ru", 25, "ещё 25 звонков"}, {"ru", 111, "ещё 111 звонков"}, {"ru", 0, "ещё 0 звонков"},
		{"en", 1, "1 more call"}, {"en", 2, "2 more calls"}, {"en", 11, "11 more calls"}, {"en", 21, "21 more calls"},
	} {
		if got := say(tt.lang, tt.n); got != tt.want {
			t.Errorf("%s %d: %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	for key, p := range plurals {
		for _, c := range []string{"one", "few", "many", "other"} {
			if !strings.Contains(p.ru[c], "%d") {
				t.Errorf("%q: Russian %s form %q has no %%d", key, c, p.ru[c])
			}
		}
		if !strings.Contains(p.en["one"], "%d") || p.en["other"] != key {
			t.Errorf("%q: English forms %v", key, p.en)
		}
	}
}

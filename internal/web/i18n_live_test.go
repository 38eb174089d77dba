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

// TestLivePlurals: every counted message of the ringing bar has its three
// Russian forms, each with the count in it. (The browser picks the form:
// the journeys check «ещё 2 звонка» and "4 more calls".)
func TestLivePlurals(t *testing.T) {
	t.Parallel()
	for k, p := range livePlurals {
		ru, ok := ruPlurals[p[1]]
		if !ok {
			t.Errorf("%s: %q has no Russian forms", k, p[1])
		}
		for _, f := range append(ru[:], p[0], p[1]) {
			if strings.Count(f, "%d") != 1 {
				t.Errorf("%s: form %q does not hold the count once", k, f)
			}
		}
	}
	if got := pluralForms("ru", "%d more call", "%d more calls"); got["one"] != "ещё %d звонок" || got["many"] != "ещё %d звонков" {
		t.Errorf("Russian forms = %v", got)
	}
	if got := pluralForms("en", "%d more call", "%d more calls"); got["one"] != "%d more call" || got["other"] != "%d more calls" {
		t.Errorf("English forms = %v", got)
	}
}

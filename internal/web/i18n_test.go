package web

import (
	"io/fs"
	"regexp"
	"testing"
)

var tCall = regexp.MustCompile(`\{\{-?\s*t\s+"((?:[^"\\]|\\.)*)"`)

// TestTemplatesTranslated: every literal {{t "..."}} in a template has a
// Russian translation.
func TestTemplatesTranslated(t *testing.T) {
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

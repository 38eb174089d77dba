package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestTemplatesHaveNoInlineCode: the Content-Security-Policy forbids inline
// styles and event handlers, so a style="..." or onclick="..." in a
// template would be silently ignored by browsers (and logged as an error).
func TestTemplatesHaveNoInlineCode(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v", err)
	}
	inline := regexp.MustCompile(`\s(style|on[a-z]+)\s*=\s*["']|<script>|<style>`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range inline.FindAllIndex(b, -1) {
			line := 1 + len(regexp.MustCompile("\n").FindAllIndex(b[:m[0]], -1))
			t.Errorf("%s:%d: inline code %q (use a class in static/*.css or a listener in static/*.js)", f, line, b[m[0]:m[1]])
		}
	}
}

package web

import (
	"io/fs"
	"strings"
	"testing"
	"text/template/parse"
	"unicode"
	"unicode/utf8"
)

// notCounts are the template values that are followed by a word but are no
// count: names and words ({{.Author}} changed ...).
var notCounts = map[string]bool{
	".Author": true,
}

// TestTemplatesCountsUsePlural: no template prints a value and then a word
// that counts it ({{.Checked}} {{t "calls checked"}}, {{.N}} calls): a count
// next to a noun goes through {{plural n "%d call" "%d calls"}}, which
// gives Russian its three forms («1 звонок», «2 звонка», «5 звонков»).
// A printed value followed by a lower-case word, literal or translated, is
// taken for a count unless notCounts names it.
func TestTemplatesCountsUsePlural(t *testing.T) {
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
		for _, hit := range countsWithoutPlural(t, f, string(b)) {
			t.Errorf("%s: %s: a count next to a word; use {{plural n \"%%d one\" \"%%d others\"}}", f, hit)
		}
	}
}

// TestCountsWithoutPluralFinds: the scan above finds what it is for and
// leaves the plural mechanism, names and numbers in their own cells alone.
func TestCountsWithoutPluralFinds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		src  string
		want int
	}{
		{`{{.Checked}} {{t "calls checked"}}`, 1},
		{`<p>{{.Skipped}} rows skipped</p>`, 1},
		{`{{with .R}}{{len .Rows}} звонков{{end}}`, 1},
		{`{{$n := 3}}{{$n}} {{tf "tickets of %s" "x"}}`, 1},
		{`{{plural .Checked "%d call checked" "%d calls checked"}}`, 0},
		{`<td class="num">{{.Count}}</td>`, 0},
		{`{{t "Tokens"}}: {{.Count}}.`, 0},
		{`{{.Author}} {{t "changed"}}`, 0},
		{`{{if .Checked}}{{t "checked"}}{{end}}`, 0},
		{`{{.Count}} {{t "Open"}}`, 0},
		{`{{define "x"}}{{range .}}{{.N}} {{t "more"}}{{end}}{{end}}`, 1},
	} {
		if got := countsWithoutPlural(t, "test", tc.src); len(got) != tc.want {
			t.Errorf("%s: found %q, want %d", tc.src, got, tc.want)
		}
	}
}

// countsWithoutPlural parses a template and returns the printed values
// followed by a lower-case word.
func countsWithoutPlural(t *testing.T, name, src string) []string {
	t.Helper()
	tree := parse.New(name)
	tree.Mode = parse.SkipFuncCheck
	defined := map[string]*parse.Tree{} // the file and its {{define}} blocks
	if _, err := tree.Parse(src, "{{", "}}", defined); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var hits []string
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for i, c := range n.Nodes {
				walk(c)
				if v := printedValue(c); v != "" && !notCounts[v] && i+1 < len(n.Nodes) && wordFollows(n.Nodes[i+1:]) {
					hits = append(hits, c.String())
				}
			}
		case *parse.IfNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.List)
			walk(n.ElseList)
		}
	}
	for _, d := range defined { // the file's own tree among them
		walk(d.Root)
	}
	return hits
}

// printedValue returns the value an action prints when it prints a field,
// a variable or len of something ("" for anything else: t, plural, time...).
func printedValue(n parse.Node) string {
	a, ok := n.(*parse.ActionNode)
	if !ok || len(a.Pipe.Decl) > 0 || len(a.Pipe.Cmds) != 1 {
		return ""
	}
	args := a.Pipe.Cmds[0].Args
	switch first := args[0].(type) {
	case *parse.FieldNode, *parse.VariableNode, *parse.ChainNode:
		if len(args) == 1 {
			return first.String()
		}
	case *parse.IdentifierNode:
		if first.Ident == "len" && len(args) == 2 {
			return first.String()
		}
	}
	return ""
}

// wordFollows reports whether the nodes start with spaces and then a
// lower-case word: literal, or the text of {{t "..."}} or {{tf "..."}}.
func wordFollows(nodes []parse.Node) bool {
	text, ok := nodes[0].(*parse.TextNode)
	if ok {
		rest := strings.TrimLeft(string(text.Text), " \t")
		if rest != "" || len(nodes) < 2 {
			r, _ := utf8.DecodeRuneInString(rest)
			return rest != "" && unicode.IsLower(r)
		}
		nodes = nodes[1:]
	}
	a, ok := nodes[0].(*parse.ActionNode)
	if !ok || len(a.Pipe.Cmds) != 1 || len(a.Pipe.Cmds[0].Args) < 2 {
		return false
	}
	args := a.Pipe.Cmds[0].Args
	fn, ok := args[0].(*parse.IdentifierNode)
	s, ok2 := args[1].(*parse.StringNode)
	if !ok || !ok2 || (fn.Ident != "t" && fn.Ident != "tf") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s.Text)
	return unicode.IsLower(r)
}

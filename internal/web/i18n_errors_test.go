package web

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// msgArg names the functions that take a user-facing message, and which
// argument (counted from the end) it is.
var msgArg = map[string]int{
	"Errorf":      2, // ringdesk.Errorf(code, format, args...): handled specially
	"T":           0, // ringdesk.T(format, args...): handled specially
	"Addf":        0, // Validation.Addf(field, format, args...): handled specially
	"Add":         1, // Validation.Add(field, msg)
	"Check":       1, // Validation.Check(ok, field, msg)
	"badFilter":   1,
	"withField":   1,
	"callRefused": 1,
	"fieldErr":    1, // store's fieldErr(field, msg); desk's takes an error, never a literal
}

// errorMessage is one message literal found in the source.
type errorMessage struct {
	pos    string
	text   string
	format bool // a fmt format: verbs stand for values
}

// collectErrorMessages parses the Go files of dir and returns every string
// literal used as an error message: arguments of message functions,
// Message and Fields of ringdesk.Error literals, Fields-style maps, and the
// msg result of functions that return one.
func collectErrorMessages(t *testing.T, dir string) []errorMessage {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []errorMessage
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		c := &msgCollector{fset: fset, assigned: assignedStrings(file)}
		ast.Walk(c, file)
		out = append(out, c.found...)
	}
	return out
}

type msgCollector struct {
	fset     *token.FileSet
	assigned map[*ast.Object][]ast.Expr
	found    []errorMessage
	depth    int
}

// assignedStrings maps local variables to the expressions assigned to
// them, so `msg := "..."; ... Message: msg` is seen too.
func assignedStrings(file *ast.File) map[*ast.Object][]ast.Expr {
	m := map[*ast.Object][]ast.Expr{}
	ast.Inspect(file, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Obj != nil {
				m[id.Obj] = append(m[id.Obj], as.Rhs[i])
			}
		}
		return true
	})
	return m
}

// concat spells a + b + ... as a format, each non-literal part a %s.
func concat(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(e.Value)
		return strings.ReplaceAll(s, "%", "%%"), err == nil && e.Kind == token.STRING
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, okA := concat(e.X)
		b, okB := concat(e.Y)
		return a + b, okA || okB
	}
	return "%s", false
}

// add records e as a message if it is a string literal, a Sprintf of one,
// or a variable assigned string literals.
func (c *msgCollector) add(e ast.Expr, format bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return
		}
		s, err := strconv.Unquote(e.Value)
		if err != nil {
			return
		}
		c.found = append(c.found, errorMessage{pos: c.fset.Position(e.Pos()).String(), text: s, format: format})
	case *ast.Ident:
		if e.Obj != nil && c.depth < 3 {
			c.depth++
			for _, x := range c.assigned[e.Obj] {
				c.add(x, format)
			}
			c.depth--
		}
	case *ast.BinaryExpr:
		if f, ok := concat(e); ok {
			c.found = append(c.found, errorMessage{pos: c.fset.Position(e.Pos()).String(), text: f, format: true})
		}
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(e.Args) > 0 {
			c.add(e.Args[0], true)
		}
	}
}

func (c *msgCollector) Visit(n ast.Node) ast.Visitor {
	switch n := n.(type) {
	case *ast.CallExpr:
		name, recv := "", ""
		switch f := n.Fun.(type) {
		case *ast.Ident:
			name = f.Name
		case *ast.SelectorExpr:
			name = f.Sel.Name
			if id, ok := f.X.(*ast.Ident); ok {
				recv = id.Name
			}
		}
		switch {
		case name == "Errorf" && (recv == "ringdesk" || recv == "") && len(n.Args) >= 2:
			if lit, ok := n.Args[1].(*ast.BasicLit); ok && lit.Value == `"%s"` && len(n.Args) == 3 {
				c.add(n.Args[2], false) // Errorf(code, "%s", msg): the message is msg
				return c
			}
			c.add(n.Args[1], true)
		case name == "T" && recv == "ringdesk" && len(n.Args) >= 1:
			c.add(n.Args[0], true)
		case name == "Addf" && len(n.Args) >= 2:
			c.add(n.Args[1], true)
		case name == "notFound" && recv == "" && len(n.Args) == 1:
			// store's notFound("Ticket") says "Ticket not found.".
			if lit, ok := n.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				what, _ := strconv.Unquote(lit.Value)
				c.found = append(c.found, errorMessage{pos: c.fset.Position(lit.Pos()).String(), text: what + " not found."})
			}
		case (name == "Add" || name == "Check") && recv != "v":
			// time.Add, url.Values.Add...: only a Validation (always v) carries messages.
		case msgArg[name] > 0 && name != "Errorf" && len(n.Args) >= msgArg[name]:
			c.add(n.Args[len(n.Args)-msgArg[name]], false)
		}
	case *ast.KeyValueExpr:
		if k, ok := n.Key.(*ast.Ident); ok {
			switch k.Name {
			case "Message":
				c.add(n.Value, false)
			case "Fields":
				if m, ok := n.Value.(*ast.CompositeLit); ok {
					for _, el := range m.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							c.add(kv.Value, false)
						}
					}
				}
			}
		}
	case *ast.FuncDecl:
		if n.Type.Results == nil || n.Body == nil {
			return c
		}
		// Flash messages (channelFlash, flashMessage...) are returned as literals.
		if strings.Contains(strings.ToLower(n.Name.Name), "flash") {
			ast.Inspect(n.Body, func(m ast.Node) bool {
				if r, ok := m.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
					c.add(r.Results[0], false)
				}
				return true
			})
			return c
		}
		// A function with a result named msg returns messages.
		idx, i := -1, 0
		for _, f := range n.Type.Results.List {
			for _, nm := range f.Names {
				if nm.Name == "msg" {
					idx = i
				}
				i++
			}
			if len(f.Names) == 0 {
				i++
			}
		}
		if idx >= 0 {
			ast.Inspect(n.Body, func(m ast.Node) bool {
				if r, ok := m.(*ast.ReturnStmt); ok && len(r.Results) == i {
					c.add(r.Results[idx], false)
				}
				return true
			})
		}
	}
	return c
}

var fmtVerb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// sampleOf fills the verbs of a format with plausible values.
func sampleOf(m errorMessage) string {
	if !m.format {
		return m.text
	}
	return fmtVerb.ReplaceAllStringFunc(m.text, func(v string) string {
		switch v[len(v)-1] {
		case 'd':
			return "12"
		case 'q':
			return `"abc"`
		case '%':
			return "%"
		}
		return "abc"
	})
}

// TestErrorMessagesTranslated: every error and flash message written in
// the domain, use-case, store, recording and web packages reads in Russian in the Russian UI, through
// the catalogue or a pattern, so no new message can slip through.
func TestErrorMessagesTranslated(t *testing.T) {
	t.Parallel()
	var msgs []errorMessage
	for _, dir := range []string{"../ringdesk", "../desk", "../store", "../recording", "."} {
		msgs = append(msgs, collectErrorMessages(t, dir)...)
	}
	if len(msgs) < 150 {
		t.Fatalf("only %d messages found; is the walker broken?", len(msgs))
	}
	seen := map[string]bool{}
	var missing []string
	for _, m := range msgs {
		if m.text == "%s not found." {
			continue // store's notFound: each call is checked with its noun
		}
		// A message with values is translated by its wording (the
		// catalogue key keeps the fmt verbs), and the translation must put
		// the same values in the same order.
		s := m.text
		if seen[s] || !strings.ContainsFunc(s, unicode.IsLetter) || strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
			continue // already checked, not text, or already Russian
		}
		seen[s] = true
		ru := translate(ringdesk.LangRU, s)
		if ru == s || !strings.ContainsFunc(ru, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
			missing = append(missing, fmt.Sprintf("%s: %q", m.pos, m.text))
		} else if m.format && strings.Join(fmtVerb.FindAllString(ru, -1), " ") != strings.Join(fmtVerb.FindAllString(s, -1), " ") {
			missing = append(missing, fmt.Sprintf("%s: %q is translated with other values: %q", m.pos, m.text, ru))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no Russian translation: %s", m)
	}
}

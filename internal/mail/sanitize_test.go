package mail

import (
	"strings"
	"testing"
)

func TestSanitizeHTML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		allow     bool
		want      string   // exact output, when set
		contains  []string // substrings that must survive
		forbidden []string // substrings that must be gone
	}{
		{name: "script", in: `<p>Hi</p><script>alert(document.cookie)</script>`, want: `<p>Hi</p>`},
		{name: "style element and attribute", in: `<style>body{display:none}</style><p style="color:red">Hi</p>`, want: `<p>Hi</p>`},
		{name: "event handlers", in: `<div onclick="steal()" onmouseover="x()">Hi</div><img src="cid:a" onerror="x()">`,
			contains: []string{"<div>Hi</div>", `src="cid:a"`}, forbidden: []string{"onclick", "onmouseover", "onerror"}},
		{name: "forms", in: `<form action="https://evil.example/login"><input name="password"><button>Go</button></form>Text`,
			forbidden: []string{"<form", "<input", "<button", "evil.example"}, contains: []string{"Text"}},
		{name: "iframes objects embeds", in: `<iframe src="https://evil.example"></iframe><object data="x"></object><embed src="y">Ok`,
			want: "Ok"},
		{name: "javascript link", in: `<a href="javascript:alert(1)">click</a>`, want: "click"},
		{name: "data link", in: `<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>`, want: "click"},
		{name: "link gets rel and target", in: `<a href="https://example.ru/x">site</a>`,
			want: `<a href="https://example.ru/x" rel="nofollow noreferrer noopener" target="_blank">site</a>`},
		{name: "mailto link", in: `<a href="mailto:a@example.ru">mail</a>`, contains: []string{`href="mailto:a@example.ru"`}},
		{name: "remote image blocked", in: `<img src="https://tracker.example/p.gif" alt="Logo">`, want: `<img alt="Logo">`},
		{name: "protocol-relative image blocked", in: `<img src="//tracker.example/p.gif">`, forbidden: []string{"tracker"}},
		{name: "remote image allowed", in: `<img src="https://cdn.example/logo.png" alt="Logo">`, allow: true,
			want: `<img src="https://cdn.example/logo.png" alt="Logo">`},
		{name: "cid image kept", in: `<img src="cid:part1.abc@example.ru" width="100">`, contains: []string{`src="cid:part1.abc@example.ru"`, `width="100"`}},
		{name: "data image kept", in: `<img src="data:image/png;base64,iVBORw0KGgo=">`, contains: []string{`src="data:image/png;base64,iVBORw0KGgo="`}},
		{name: "svg data image dropped", in: `<img src="data:image/svg+xml;base64,PHN2Zz4=">`, forbidden: []string{"svg"}},
		{name: "meta refresh and base", in: `<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/">Hi`, want: "Hi"},
		{name: "tables and lists kept", in: `<table><tr><td colspan="2">a</td></tr></table><ul><li>x</li></ul>`,
			want: `<table><tr><td colspan="2">a</td></tr></table><ul><li>x</li></ul>`},
		{name: "svg script", in: `<svg><script>alert(1)</script></svg>ok`, want: "ok"},
		{name: "background attribute", in: `<table background="https://tracker.example/bg.gif"><tr><td>x</td></tr></table>`, forbidden: []string{"tracker"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SanitizeHTML(tt.in, tt.allow)
			if tt.want != "" && got != tt.want {
				t.Errorf("SanitizeHTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			for _, s := range tt.contains {
				if !strings.Contains(got, s) {
					t.Errorf("SanitizeHTML(%q) = %q, lost %q", tt.in, got, s)
				}
			}
			for _, s := range tt.forbidden {
				if strings.Contains(got, s) {
					t.Errorf("SanitizeHTML(%q) = %q, kept %q", tt.in, got, s)
				}
			}
		})
	}
}

func TestHasRemoteImages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{`<img src="cid:x@y">`, false},
		{`<img src="data:image/png;base64,AAAA">`, false},
		{`<p>no images</p><a href="https://example.ru">link</a>`, false},
		{`<img src="https://t.example/p.gif">`, true},
		{`<img src='//t.example/p.gif'>`, true},
		{`<td background="http://t.example/bg.png">`, true},
		{`<img srcset="https://t.example/a.png 2x">`, true},
	}
	for _, tt := range tests {
		if got := hasRemoteImages(tt.in); got != tt.want {
			t.Errorf("hasRemoteImages(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestHTMLToText(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`<p>Hello,</p><p>World</p>`, "Hello,\n\nWorld"},
		{`Line one<br>Line  two<br/>three`, "Line one\nLine two\nthree"},
		{`<ul><li>first</li><li>second</li></ul>`, "- first\n- second"},
		{`See <a href="https://example.ru/doc">the doc</a>.`, "See the doc (https://example.ru/doc)."},
		{`Go to <a href="https://example.ru">example.ru</a>`, "Go to example.ru"},
		{`<head><title>T</title><style>p{}</style></head><script>x()</script>Body &amp; soul&nbsp;!`, "Body & soul !"},
		{`<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>`, "a b\nc"},
		{"<pre>  keep\n    indent</pre>", "keep\nindent"},
	}
	for _, tt := range tests {
		if got := HTMLToText(tt.in); got != tt.want {
			t.Errorf("HTMLToText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

package mail

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// unsafeHTML names the first element or attribute of s that the sanitiser
// should have removed, or returns "".
func unsafeHTML(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "iframe", "form", "input", "object", "embed", "meta", "base", "link", "svg":
				return "element " + string(name)
			}
			for _, a := range attrs(z) {
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" || a.Key == "srcset" ||
					strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
					return "attribute " + a.Key
				}
				if a.Key == "src" && !localImageSrc.MatchString(a.Val) {
					return "remote src"
				}
			}
		}
	}
}

// FuzzParse holds that Parse never panics, always returns a message, and
// that what it returns is UTF-8 and sanitised.
func FuzzParse(f *testing.F) {
	seeds := [][]byte{
		crlf("From: a@example.ru", "Subject: =?utf-8?B?0J/RgNC40LLQtdGC?=", "", "body"),
		crlf("From: a@example.ru", `Content-Type: multipart/alternative; boundary="b"`, "", "--b",
			"Content-Type: text/html", "", "<p onclick=x>hi<script>y</script>", "--b--"),
		crlf("Content-Type: multipart/mixed; boundary=b", "", "--b", "Content-Type: application/pdf",
			"Content-Transfer-Encoding: base64", "Content-Disposition: attachment; filename*=utf-8''%D0%90.pdf", "", "JVBE!!", "--b"),
		crlf(`Content-Type: multipart/report; report-type=delivery-status; boundary=r`, "", "--r",
			"Content-Type: message/delivery-status", "", "Action: failed", "Status: 5.1.1", "--r",
			"Content-Type: message/rfc822", "", "Message-ID: <x@y>", "", "--r--"),
		crlf("Subject: \xcf\xf0\xe8", "Content-Type: text/plain; charset=koi8-r", "Content-Transfer-Encoding: quoted-printable", "", "=F0=D2=C9=3"),
		[]byte("no header at all"),
		[]byte(" leading space\r\n\r\n"),
		crlf("Content-Type: multipart/mixed; boundary=a", "", "--a", "Content-Type: multipart/mixed; boundary=a", "", "--a", "--a--"),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw)
		if m == nil {
			t.Fatal("nil message")
		}
		if err != nil && ErrorKind(err) == "" {
			t.Fatalf("error of no kind: %v", err)
		}
		for _, s := range []string{m.Subject, m.Text, m.HTML, m.From.Name} {
			if !utf8.ValidString(s) {
				t.Fatalf("not UTF-8: %q", s)
			}
		}
		if strings.ContainsAny(m.Subject, "\r\n") {
			t.Fatalf("subject spans lines: %q", m.Subject)
		}
		if bad := unsafeHTML(m.HTML); bad != "" {
			t.Fatalf("unsafe HTML (%s): %q", bad, m.HTML)
		}
	})
}

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

// FuzzCompose holds that nothing in a subject, a name or a body can add a
// header field, and that the subject and name come back as sent (on one
// line).
func FuzzCompose(f *testing.F) {
	f.Add("Re: Не работает", "Анна via Поддержка", "текст")
	f.Add("x\r\nBcc: v@example.org", "n\nX-Evil: 1", "\r\n.\r\nMAIL FROM:<x>")
	f.Add("=?utf-8?B?0J/RgNC40LLQtdGC?=", "\"quoted\" <a@b>", "")
	f.Fuzz(func(t *testing.T, subject, name, body string) {
		raw, _, err := Compose(Outgoing{From: Address{Name: name, Email: "support@example.com"},
			To: []Address{{Email: "client@example.ru"}}, Subject: subject, Text: body})
		if err != nil {
			t.Fatal(err)
		}
		hdr := headerOf(raw)
		fields := map[string]int{}
		for _, line := range strings.Split(hdr, "\r\n") {
			if line == "" || line[0] == ' ' || line[0] == '\t' {
				continue
			}
			k, _, ok := strings.Cut(line, ":")
			if !ok {
				t.Fatalf("header line without a colon: %q\n%s", line, hdr)
			}
			fields[strings.ToLower(k)]++
		}
		allowed := map[string]bool{"date": true, "from": true, "to": true, "subject": true, "message-id": true,
			"mime-version": true, "content-type": true, "content-transfer-encoding": true, "content-disposition": true}
		for k, n := range fields {
			if !allowed[k] || n > 1 {
				t.Fatalf("header field %q appears %d times:\n%s", k, n, hdr)
			}
		}
		m, _ := Parse(raw)
		if want := strings.TrimSpace(oneLine(subject)); utf8.ValidString(subject) && m.Subject != want {
			t.Fatalf("subject %q came back as %q", want, m.Subject)
		}
		if want := strings.TrimSpace(oneLine(name)); utf8.ValidString(name) && m.From.Name != want {
			t.Fatalf("name %q came back as %q", want, m.From.Name)
		}
	})
}

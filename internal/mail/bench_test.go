package mail

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"strings"
	"testing"
)

// realisticMessage builds a message of about size bytes as mail clients
// send a reply in a long thread: text and HTML alternatives in Russian,
// quoted-printable, a quoted history, and an inline logo and a PDF in
// base64.
func realisticMessage(size int) []byte {
	var text, html strings.Builder
	for i := 0; text.Len() < size/9; i++ {
		fmt.Fprintf(&text, "> %d. Здравствуйте! Подскажите, пожалуйста, почему не проходит звонок на номер 8 (495) 123-45-67?\r\n", i)
		fmt.Fprintf(&html, "<blockquote><p>%d. Здравствуйте! Подскажите, <b>пожалуйста</b>, почему не проходит звонок на <a href=\"tel:+74951234567\">номер</a>?</p></blockquote>\r\n", i)
	}
	qp := func(s string) string {
		var b bytes.Buffer
		w := quotedprintable.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.String()
	}
	b64 := func(n int) string {
		enc := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x89, 'P', 'N', 'G', 1, 2, 3}, n/7))
		var b strings.Builder
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc)
		return b.String()
	}
	var m bytes.Buffer
	m.Write(crlf(
		"Received: from mx.example.ru (mx.example.ru [192.0.2.1]) by mail.example.com",
		"From: =?utf-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <ivan@example.ru>",
		"To: Support <support@example.com>",
		"Subject: =?utf-8?B?UmU6INCd0LUg0YDQsNCx0L7RgtCw0LXRgiDRgtC10LvQtdGE0L7QvSBbIzEyM10=?=",
		"Date: Thu, 03 Dec 2026 09:00:00 +0300",
		"Message-ID: <bench.1@mail.example.ru>",
		"In-Reply-To: <reply.9@desk.example.com>",
		"References: <root.1@mail.example.ru> <reply.9@desk.example.com>",
		"MIME-Version: 1.0",
		`Content-Type: multipart/mixed; boundary="mixed"`,
		"",
		"--mixed",
		`Content-Type: multipart/alternative; boundary="alt"`,
		"",
		"--alt",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		qp("Добрый день!\r\nВсё ещё не работает.\r\n\r\n"+text.String()),
		"--alt",
		`Content-Type: multipart/related; boundary="rel"`,
		"",
		"--rel",
		"Content-Type: text/html; charset=utf-8",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		qp(`<html><head><style>p{margin:0}</style></head><body><p>Добрый день!</p><img src="cid:logo@x"><img src="https://t.example/o.gif">`+html.String()+"</body></html>"),
		"--rel",
		"Content-Type: image/png",
		"Content-ID: <logo@x>",
		"Content-Transfer-Encoding: base64",
		"",
		b64(size/10),
		"--rel--",
		"--alt--",
		"--mixed",
		"Content-Type: application/pdf",
		`Content-Disposition: attachment; filename="=?utf-8?B?0KHRh9C10YIucGRm?="`,
		"Content-Transfer-Encoding: base64",
		"",
		b64(size/10),
		"--mixed--",
		""))
	return m.Bytes()
}

func BenchmarkParse50KB(b *testing.B) {
	raw := realisticMessage(50 << 10)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := Parse(raw)
		if err != nil || len(m.Attachments) != 2 || m.HTML == "" {
			b.Fatalf("Parse: %v, %d attachments", err, len(m.Attachments))
		}
	}
}

func TestRealisticMessageParses(t *testing.T) {
	raw := realisticMessage(50 << 10)
	if len(raw) < 45<<10 || len(raw) > 70<<10 {
		t.Fatalf("realistic message is %d bytes", len(raw))
	}
	m := mustParse(t, raw)
	if len(m.Attachments) != 2 || !m.HasRemoteImages || !strings.HasPrefix(m.Text, "Добрый день!") || m.Subject != "Re: Не работает телефон [#123]" {
		t.Errorf("attachments %d, remote %v, text %q, subject %q", len(m.Attachments), m.HasRemoteImages, m.Text[:40], m.Subject)
	}
}

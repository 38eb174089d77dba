package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"strings"
)

// RealisticMessage is message n of a stream of realistic client mail of
// about size bytes, for benchmarks and the tests that check them: a reply
// in a long thread as mail clients send it, text and HTML alternatives in
// Russian, quoted-printable, a quoted history, an inline logo (cid:) and a
// remote tracking image in the HTML, a PDF attachment with an RFC 2047
// name, all base64. The senders are client0..client299@client.example;
// from message 300 on, every third answers message n-300 by In-Reply-To and
// References. Its Message-ID is <bench.N@client.example>.
func RealisticMessage(n, size int) []byte {
	var text, html strings.Builder
	for i := 0; text.Len() < size/9; i++ {
		fmt.Fprintf(&text, "> %d. Здравствуйте! Подскажите, пожалуйста, почему не проходит звонок на номер 8 (495) 123-45-67?\r\n", i)
		fmt.Fprintf(&html, "<blockquote><p>%d. Здравствуйте! Подскажите, <b>пожалуйста</b>, почему не проходит звонок на <a href=\"tel:+74951234567\">номер</a>?</p></blockquote>\r\n", i)
	}
	thread := ""
	if n%3 == 2 && n >= 300 {
		thread = fmt.Sprintf("In-Reply-To: <bench.%d@client.example>\r\nReferences: <bench.%d@client.example>\r\n", n-300, n-300)
	}
	var m bytes.Buffer
	fmt.Fprintf(&m, "Received: from mx.client.example (mx.client.example [192.0.2.1]) by mail.example.com\r\n"+
		"From: =?utf-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <client%d@client.example>\r\nTo: Support <support@example.com>\r\n"+
		"Subject: =?utf-8?B?0J3QtSDRgNCw0LHQvtGC0LDQtdGCINGC0LXQu9C10YTQvtC9?= %d\r\nDate: Thu, 03 Dec 2026 09:00:00 +0300\r\n"+
		"Message-ID: <bench.%d@client.example>\r\n%sMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"mixed\"\r\n\r\n",
		n%300, n, n, thread)
	m.WriteString("--mixed\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n" +
		"--alt\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	m.WriteString(qpEncode("Добрый день!\r\nВсё ещё не работает.\r\n\r\n" + text.String()))
	m.WriteString("\r\n--alt\r\nContent-Type: multipart/related; boundary=\"rel\"\r\n\r\n" +
		"--rel\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	m.WriteString(qpEncode(`<html><head><style>p{margin:0}</style></head><body><p>Добрый день!</p><img src="cid:logo@x"><img src="https://t.example/o.gif">` +
		html.String() + "</body></html>"))
	m.WriteString("\r\n--rel\r\nContent-Type: image/png\r\nContent-ID: <logo@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	m.WriteString(base64Lines(size / 10))
	m.WriteString("\r\n--rel--\r\n--alt--\r\n--mixed\r\nContent-Type: application/pdf\r\n" +
		"Content-Disposition: attachment; filename=\"=?utf-8?B?0KHRh9C10YIucGRm?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	m.WriteString(base64Lines(size / 10))
	m.WriteString("\r\n--mixed--\r\n")
	return m.Bytes()
}

func qpEncode(s string) string {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.String()
}

// base64Lines is about n bytes of binary data in base64, 76 characters a line.
func base64Lines(n int) string {
	enc := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x89, 'P', 'N', 'G', 1, 2, 3}, n/7))
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc)
	return b.String()
}

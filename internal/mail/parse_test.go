package mail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// crlf joins lines with CRLF, as messages travel.
func crlf(lines ...string) []byte {
	return []byte(strings.Join(lines, "\r\n"))
}

func mustParse(t *testing.T, raw []byte) *Message {
	t.Helper()
	m, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return m
}

func encode(t *testing.T, cm *charmap.Charmap, s string) string {
	t.Helper()
	b, err := cm.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseAlternative(t *testing.T) {
	t.Parallel()
	raw := crlf(
		"From: =?utf-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <ivan@example.ru>",
		"To: Support <support@example.com>, =?utf-8?Q?=D0=90=D0=BD=D0=BD=D0=B0?= <anna@example.com>",
		"Cc: boss@example.ru",
		"Reply-To: ivan.private@example.ru",
		"Subject: =?utf-8?B?0J3QtSDRgNCw0LHQvtGC0LDQtdGCINGC0LXQu9C10YTQvtC9?=",
		"Date: Mon, 30 Nov 2026 10:15:00 +0300",
		"Message-ID: <abc.123@mail.example.ru>",
		"In-Reply-To: <parent@example.com>",
		"References: <root@example.com>",
		" <parent@example.com>",
		"MIME-Version: 1.0",
		`Content-Type: multipart/alternative; boundary="b1"`,
		"",
		"--b1",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		"=D0=97=D0=B4=D1=80=D0=B0=D0=B2=D1=81=D1=82=D0=B2=D1=83=D0=B9=D1=82=D0=B5, =",
		"this is a soft break.",
		"--b1",
		"Content-Type: text/html; charset=utf-8",
		"Content-Transfer-Encoding: base64",
		"",
		base64.StdEncoding.EncodeToString([]byte(`<p onclick="x()">Здравствуйте, <b>this</b> is HTML.</p><script>alert(1)</script>`)),
		"--b1--",
		"")
	m := mustParse(t, raw)
	if got, want := m.From, (Address{Name: "Иван Петров", Email: "ivan@example.ru"}); got != want {
		t.Errorf("From = %+v, want %+v", got, want)
	}
	if len(m.To) != 2 || m.To[1].Name != "Анна" || m.To[1].Email != "anna@example.com" {
		t.Errorf("To = %+v", m.To)
	}
	if len(m.Cc) != 1 || m.Cc[0].Email != "boss@example.ru" || len(m.ReplyTo) != 1 {
		t.Errorf("Cc = %+v, Reply-To = %+v", m.Cc, m.ReplyTo)
	}
	if m.Subject != "Не работает телефон" {
		t.Errorf("Subject = %q", m.Subject)
	}
	if want := time.Date(2026, 11, 30, 7, 15, 0, 0, time.UTC); !m.Date.Equal(want) {
		t.Errorf("Date = %v, want %v", m.Date, want)
	}
	if m.MessageID != "abc.123@mail.example.ru" || m.InReplyTo != "parent@example.com" {
		t.Errorf("MessageID = %q, InReplyTo = %q", m.MessageID, m.InReplyTo)
	}
	if got := strings.Join(m.References, " "); got != "root@example.com parent@example.com" {
		t.Errorf("References = %q", got)
	}
	if m.Text != "Здравствуйте, this is a soft break." {
		t.Errorf("Text = %q", m.Text)
	}
	if m.HTML != "<p>Здравствуйте, <b>this</b> is HTML.</p>" {
		t.Errorf("HTML = %q", m.HTML)
	}
	if m.Machine != MachineNone || len(m.Attachments) != 0 {
		t.Errorf("Machine = %q, attachments %d", m.Machine, len(m.Attachments))
	}
}

func TestParseMixedAttachments(t *testing.T) {
	t.Parallel()
	pdf := []byte("%PDF-1.4 fake pdf \x00\x01\x02 bytes")
	raw := crlf(
		"From: client@example.ru",
		"To: support@example.com",
		"Subject: files",
		"Content-Type: multipart/mixed; boundary=outer",
		"",
		"preamble to ignore",
		"--outer",
		"Content-Type: text/plain; charset=utf-8",
		"",
		"See attached.",
		"--outer",
		"Content-Type: application/pdf",
		"Content-Transfer-Encoding: base64",
		"Content-Disposition: attachment; filename*=utf-8''%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%20%E2%84%961.pdf",
		"",
		base64.StdEncoding.EncodeToString(pdf),
		"--outer",
		`Content-Type: application/octet-stream; name="=?utf-8?B?0KHRh9C10YIueGxzeA==?="`,
		"Content-Transfer-Encoding: base64",
		`Content-Disposition: attachment; filename="=?utf-8?B?0KHRh9C10YIueGxzeA==?="`,
		"",
		base64.StdEncoding.EncodeToString([]byte("xlsx")),
		"--outer",
		"Content-Type: application/zip",
		"Content-Transfer-Encoding: base64",
		`Content-Disposition: attachment; filename*0*=utf-8''%D0%90%D1%80%D1%85; filename*1="ive.zip"`,
		"",
		base64.StdEncoding.EncodeToString([]byte("PK")),
		"--outer",
		`Content-Type: text/plain; name="../../etc/passwd"`,
		"Content-Disposition: attachment",
		"",
		"root:x:0:0",
		"--outer--",
		"")
	m := mustParse(t, raw)
	if m.Text != "See attached." {
		t.Errorf("Text = %q", m.Text)
	}
	want := []struct{ name, typ, data string }{
		{"Договор №1.pdf", "application/pdf", string(pdf)},
		{"Счет.xlsx", "application/octet-stream", "xlsx"},
		{"Архive.zip", "application/zip", "PK"},
		{"passwd", "text/plain", "root:x:0:0"},
	}
	if len(m.Attachments) != len(want) {
		t.Fatalf("%d attachments, want %d: %+v", len(m.Attachments), len(want), m.Attachments)
	}
	for i, w := range want {
		a := m.Attachments[i]
		if a.Filename != w.name || a.ContentType != w.typ || string(a.Data) != w.data || a.Inline {
			t.Errorf("attachment %d = %q %q %q inline=%v, want %q %q %q", i, a.Filename, a.ContentType, a.Data, a.Inline, w.name, w.typ, w.data)
		}
	}
}

func TestParseRelatedCIDImages(t *testing.T) {
	t.Parallel()
	png := []byte("\x89PNG\r\n\x1a\nfake")
	raw := crlf(
		"From: a@example.ru",
		"To: support@example.com",
		"Subject: logo",
		`Content-Type: multipart/alternative; boundary="alt"`,
		"",
		"--alt",
		"Content-Type: text/plain",
		"",
		"Logo inside",
		"--alt",
		`Content-Type: multipart/related; boundary="rel"; type="text/html"`,
		"",
		"--rel",
		"Content-Type: text/html; charset=utf-8",
		"",
		`<p>Logo: <img src="cid:logo@example.ru" alt="logo"> and <img src="https://tracker.example/p.gif?u=1" width="1" height="1"></p>`,
		"--rel",
		"Content-Type: image/png",
		"Content-Transfer-Encoding: base64",
		"Content-ID: <logo@example.ru>",
		"",
		base64.StdEncoding.EncodeToString(png),
		"--rel--",
		"--alt--",
		"")
	m := mustParse(t, raw)
	if !strings.Contains(m.HTML, `src="cid:logo@example.ru"`) {
		t.Errorf("cid image lost: %s", m.HTML)
	}
	if strings.Contains(m.HTML, "tracker.example") || !m.HasRemoteImages {
		t.Errorf("remote image kept or not reported (HasRemoteImages=%v): %s", m.HasRemoteImages, m.HTML)
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("attachments = %+v", m.Attachments)
	}
	a := m.Attachments[0]
	if !a.Inline || a.ContentID != "logo@example.ru" || !bytes.Equal(a.Data, png) || a.Filename != "attachment-2-2.png" {
		t.Errorf("inline image = %+v", a)
	}
	allowed, err := ParseWithOptions(raw, ParseOptions{AllowRemoteImages: true})
	if err != nil || !strings.Contains(allowed.HTML, "https://tracker.example/p.gif") {
		t.Errorf("AllowRemoteImages: err %v, HTML %s", err, allowed.HTML)
	}
}

func TestParseRussianCharsets(t *testing.T) {
	t.Parallel()
	body1251 := encode(t, charmap.Windows1251, "Добрый день! Счёт №42 не оплачен.")
	subj1251 := base64.StdEncoding.EncodeToString([]byte(encode(t, charmap.Windows1251, "Счёт на оплату")))
	nameKOI := "=?koi8-r?B?" + base64.StdEncoding.EncodeToString([]byte(encode(t, charmap.KOI8R, "Ольга Смирнова"))) + "?="
	tests := []struct {
		name        string
		raw         []byte
		subject     string
		from        string
		text        string
		attachments int
	}{
		{
			name: "windows-1251 body and encoded subject",
			raw: crlf("From: shop@example.ru", "Subject: =?windows-1251?B?"+subj1251+"?=",
				"Content-Type: text/plain; charset=windows-1251", "Content-Transfer-Encoding: 8bit", "", body1251),
			subject: "Счёт на оплату", text: "Добрый день! Счёт №42 не оплачен.",
		},
		{
			name: "koi8-r quoted-printable body and name",
			raw: crlf("From: "+nameKOI+" <olga@example.ru>", "Subject: =?KOI8-R?Q?"+qEncode(encode(t, charmap.KOI8R, "Привет"))+"?=",
				`Content-Type: text/plain; charset="KOI8-R"`, "Content-Transfer-Encoding: quoted-printable", "",
				qEncode(encode(t, charmap.KOI8R, "Ваш заказ готов"))),
			from: "Ольга Смирнова", subject: "Привет", text: "Ваш заказ готов",
		},
		{
			name: "raw 8-bit windows-1251 header takes the body's charset",
			raw: crlf("From: "+encode(t, charmap.Windows1251, "Пётр")+" <petr@example.ru>", "Subject: "+encode(t, charmap.Windows1251, "Заявка"),
				"Content-Type: text/plain; charset=windows-1251", "", body1251),
			from: "Пётр", subject: "Заявка", text: "Добрый день! Счёт №42 не оплачен.",
		},
		{
			name: "koi8-r html only",
			raw: crlf("From: a@example.ru", "Subject: html", "Content-Type: text/html; charset=koi8-r", "",
				encode(t, charmap.KOI8R, "<html><head><title>T</title><style>p{}</style></head><body><p>Привет,</p><p>мир</p></body></html>")),
			subject: "html", text: "Привет,\n\nмир",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, tt.raw)
			if m.Subject != tt.subject || m.Text != tt.text || (tt.from != "" && m.From.Name != tt.from) {
				t.Errorf("got subject %q from %q text %q, want %q %q %q", m.Subject, m.From.Name, m.Text, tt.subject, tt.from, tt.text)
			}
		})
	}
}

// qEncode writes s as quoted-printable (every byte escaped).
func qEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "=%02X", s[i])
	}
	return b.String()
}

func TestParseMalformed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		raw      []byte
		kind     ParseErrorKind
		text     string // must be contained in Text
		attData  string // first attachment's data, when set
		subject  string
		fromAddr string
	}{
		{
			name: "unknown charset",
			raw:  crlf("From: a@example.ru", "Subject: x", "Content-Type: text/plain; charset=x-martian", "", "plain ascii survives"),
			kind: ErrCharset, text: "plain ascii survives", subject: "x",
		},
		{
			name: "unknown charset in subject word",
			raw:  crlf("From: a@example.ru", "Subject: =?x-martian?Q?hello?=", "", "body"),
			kind: ErrCharset, text: "body", subject: "=?x-martian?Q?hello?=",
		},
		{
			name: "multipart without boundary",
			raw:  crlf("From: a@example.ru", "Subject: nb", "Content-Type: multipart/mixed", "", "just some text"),
			kind: ErrMIME, text: "just some text", subject: "nb",
		},
		{
			name: "boundary never appears",
			raw:  crlf("From: a@example.ru", "Subject: nb", `Content-Type: multipart/mixed; boundary="zzz"`, "", "--other", "", "lost text?"),
			kind: ErrMIME, text: "lost text?", subject: "nb",
		},
		{
			name: "broken base64 keeps what decodes",
			raw: crlf("From: a@example.ru", "Subject: b64", "Content-Type: multipart/mixed; boundary=b", "", "--b",
				"Content-Type: text/plain", "", "body", "--b", "Content-Type: application/octet-stream",
				"Content-Transfer-Encoding: base64", `Content-Disposition: attachment; filename="a.bin"`, "",
				"aGVsbG8gd29y!!!###bGQ=", "--b--"),
			kind: ErrEncoding, text: "body", attData: "hello wor", subject: "b64",
		},
		{
			name: "unknown transfer encoding",
			raw:  crlf("From: a@example.ru", "Subject: te", "Content-Transfer-Encoding: x-uuencode", "", "begin 644 a"),
			kind: ErrEncoding, text: "begin 644 a", subject: "te",
		},
		{
			name: "garbage header line keeps the fields after it",
			raw:  crlf("From: a@example.ru", "this line is no header", "Subject: after", "", "body text"),
			kind: ErrHeader, text: "body text", subject: "after",
		},
		{
			name: "broken From falls back to the address inside",
			raw:  crlf("From: Иван, Иванович <ivan@example.ru>", "Subject: s", "", "b"),
			kind: ErrHeader, text: "b", subject: "s", fromAddr: "ivan@example.ru",
		},
		{
			name: "bad date",
			raw:  crlf("From: a@example.ru", "Date: yesterday at noon", "Subject: d", "", "b"),
			kind: ErrHeader, text: "b", subject: "d",
		},
		{
			name: "no header at all",
			raw:  []byte("Hello, this is just text\r\nwithout any header"),
			kind: ErrHeader, text: "Hello, this is just text\nwithout any header",
		},
		{
			name: "closing boundary missing (truncated message)",
			raw: crlf("From: a@example.ru", "Subject: cut", "Content-Type: multipart/mixed; boundary=b", "", "--b",
				"Content-Type: text/plain", "", "the text before the cut", "--b", "Content-Type: application/pdf",
				"Content-Transfer-Encoding: base64", "", "JVBERi0xLjQK"),
			kind: ErrMIME, text: "the text before the cut", subject: "cut", attData: "%PDF-1.4\n",
		},
		{
			name: "empty",
			raw:  []byte("\r\n"),
			kind: ErrEmpty,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.raw)
			if m == nil {
				t.Fatal("nil message")
			}
			if ErrorKind(err) != tt.kind {
				t.Fatalf("error %v (kind %q), want kind %q", err, ErrorKind(err), tt.kind)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Error() == "" {
				t.Errorf("error %v is not a *ParseError", err)
			}
			if !strings.Contains(m.Text, tt.text) {
				t.Errorf("Text = %q, want it to contain %q", m.Text, tt.text)
			}
			if m.Subject != tt.subject {
				t.Errorf("Subject = %q, want %q", m.Subject, tt.subject)
			}
			if tt.attData != "" && (len(m.Attachments) == 0 || string(m.Attachments[0].Data) != tt.attData) {
				t.Errorf("attachments = %+v, want data %q", m.Attachments, tt.attData)
			}
			if tt.fromAddr != "" && m.From.Email != tt.fromAddr {
				t.Errorf("From = %+v, want %q", m.From, tt.fromAddr)
			}
		})
	}
}

func TestParseMachineMail(t *testing.T) {
	t.Parallel()
	base := []string{"From: someone@example.ru", "To: support@example.com", "Subject: s"}
	tests := []struct {
		name   string
		header []string
		kind   MachineKind
		reason string
	}{
		{"human", nil, MachineNone, ""},
		{"auto-submitted no", []string{"Auto-Submitted: no"}, MachineNone, ""},
		{"auto-replied", []string{"Auto-Submitted: auto-replied"}, MachineAutoReply, "Auto-Submitted: auto-replied"},
		{"auto-generated", []string{"Auto-Submitted: auto-generated; owner-email=x@y"}, MachineAutoReply, "Auto-Submitted: auto-generated; owner-email=x@y"},
		{"x-autoreply", []string{"X-Autoreply: yes"}, MachineAutoReply, "X-Autoreply: yes"},
		{"x-autorespond", []string{"X-Autorespond: vacation"}, MachineAutoReply, "X-Autorespond: vacation"},
		{"auto-reply-from", []string{"Auto-Reply-From: x@y"}, MachineAutoReply, "Auto-Reply-From: x@y"},
		{"precedence auto_reply", []string{"Precedence: auto_reply"}, MachineAutoReply, "Precedence: auto_reply"},
		{"precedence bulk", []string{"Precedence: bulk"}, MachineBulk, "Precedence: bulk"},
		{"precedence list", []string{"Precedence: List"}, MachineBulk, "Precedence: list"},
		{"precedence junk", []string{"Precedence: junk"}, MachineBulk, "Precedence: junk"},
		{"list-id", []string{"List-Id: News <news.example.ru>"}, MachineBulk, "List-Id: News <news.example.ru>"},
		{"list-unsubscribe", []string{"List-Unsubscribe: <mailto:u@example.ru>"}, MachineBulk, "List-Unsubscribe"},
		{"empty return-path", []string{"Return-Path: <>"}, MachineAutoReply, "Return-Path: <>"},
		{"read receipt", []string{`Content-Type: multipart/report; report-type=disposition-notification; boundary="m"`, "",
			"--m", "Content-Type: text/plain", "", "Your message was displayed.", "--m",
			"Content-Type: message/disposition-notification", "", "Disposition: manual-action/MDN-sent-manually; displayed", "--m--"},
			MachineAutoReply, "disposition-notification report (read receipt)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := append(append([]string{}, base...), tt.header...)
			if !strings.HasPrefix(tt.name, "read receipt") {
				lines = append(lines, "", "body")
			}
			m := mustParse(t, crlf(lines...))
			if m.Machine != tt.kind || m.MachineReason != tt.reason {
				t.Errorf("Machine = %q (%q), want %q (%q)", m.Machine, m.MachineReason, tt.kind, tt.reason)
			}
		})
	}
}

func TestParseBounce(t *testing.T) {
	t.Parallel()
	raw := crlf(
		"From: Mail Delivery System <MAILER-DAEMON@mx.example.ru>",
		"To: support@example.com",
		"Subject: Undelivered Mail Returned to Sender",
		"Auto-Submitted: auto-replied",
		`Content-Type: multipart/report; report-type=delivery-status; boundary="r"`,
		"",
		"--r",
		"Content-Type: text/plain; charset=us-ascii",
		"",
		"I'm sorry to have to inform you that your message could not be delivered.",
		"--r",
		"Content-Type: message/delivery-status",
		"",
		"Reporting-MTA: dns; mx.example.ru",
		"Arrival-Date: Mon, 30 Nov 2026 10:00:00 +0300",
		"",
		"Final-Recipient: rfc822; ok@example.org",
		"Action: delayed",
		"Status: 4.4.1",
		"",
		"Final-Recipient: rfc822; nobody@example.org",
		"Original-Recipient: rfc822;nobody@example.org",
		"Action: failed",
		"Status: 5.1.1",
		"Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: Recipient address",
		"    rejected: User unknown",
		"",
		"--r",
		"Content-Type: message/rfc822",
		"",
		"From: Anna via Support <support@example.com>",
		"To: nobody@example.org",
		"Subject: Re: help [#12]",
		"Message-ID: <f00d.42@example.com>",
		"",
		"Our reply.",
		"--r--",
		"")
	m := mustParse(t, raw)
	if m.Machine != MachineBounce || m.Bounce == nil {
		t.Fatalf("Machine = %q, Bounce = %+v", m.Machine, m.Bounce)
	}
	want := Bounce{OriginalMessageID: "f00d.42@example.com", Action: "failed", Status: "5.1.1",
		Diagnostic: "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown", Recipient: "nobody@example.org"}
	if *m.Bounce != want {
		t.Errorf("Bounce = %+v\nwant     %+v", *m.Bounce, want)
	}
	if !m.Bounce.Permanent() {
		t.Error("a 5.1.1 failure is permanent")
	}
	if !strings.Contains(m.Text, "could not be delivered") || len(m.Attachments) != 0 {
		t.Errorf("Text = %q, attachments %d", m.Text, len(m.Attachments))
	}

	// A bounce without a report: the original id is found in the text.
	plain := crlf("From: MAILER-DAEMON@old.example.ru", "Subject: failure notice", "", "Sorry. 5.7.1 rejected.",
		"--- Below this line is a copy of the message.", "", "Message-ID: <orig.7@example.com>", "Subject: hi")
	m = mustParse(t, plain)
	if m.Machine != MachineBounce || m.Bounce == nil || m.Bounce.OriginalMessageID != "orig.7@example.com" || m.Bounce.Status != "5.7.1" {
		t.Errorf("plain bounce: Machine %q Bounce %+v", m.Machine, m.Bounce)
	}
}

func TestParseLargeMessage(t *testing.T) {
	const size = 30 << 20
	data := bytes.Repeat([]byte("0123456789abcdefghij"), size/20*3/4)
	var b bytes.Buffer
	b.Write(crlf("From: big@example.ru", "To: support@example.com", "Subject: big", "Content-Type: multipart/mixed; boundary=B",
		"", "--B", "Content-Type: text/plain", "", "big file attached", "--B", "Content-Type: application/octet-stream",
		"Content-Transfer-Encoding: base64", `Content-Disposition: attachment; filename="big.bin"`, "", ""))
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--B--\r\n")
	raw := b.Bytes()
	if len(raw) < size*9/10 {
		t.Fatalf("test message is %d bytes", len(raw))
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	m, err := Parse(raw)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 1 || !bytes.Equal(m.Attachments[0].Data, data) || m.Text != "big file attached" {
		t.Fatalf("attachments %d, text %q", len(m.Attachments), m.Text)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("raw %d MB, allocated while parsing %d MB", len(raw)>>20, allocated>>20)
	if allocated > uint64(len(raw))*3 && !raceEnabled {
		t.Errorf("parsing a %d MB message allocated %d MB (more than 3x)", len(raw)>>20, allocated>>20)
	}
}

func TestParseLongTextTruncated(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("строка текста\r\n", 1000)
	m, err := ParseWithOptions(crlf("From: a@example.ru", "Subject: long", "Content-Type: text/plain; charset=utf-8", "", body), ParseOptions{MaxTextBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Truncated || len(m.Text) > 1000 || !strings.HasPrefix(m.Text, "строка текста") {
		t.Errorf("Truncated = %v, len(Text) = %d", m.Truncated, len(m.Text))
	}
}

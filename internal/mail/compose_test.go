package mail

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// headerOf returns the header block of a raw message.
func headerOf(raw []byte) string {
	end, _ := headerEnd(raw)
	return string(raw[:end])
}

func TestComposeRoundTrip(t *testing.T) {
	t.Parallel()
	pdf := []byte("%PDF-1.4\x00\x01binary")
	o := Outgoing{
		From:            Address{Name: "Анна via Поддержка", Email: "support@example.com"},
		To:              []Address{{Name: "Иван Петров", Email: "ivan@example.ru"}},
		Cc:              []Address{{Email: "boss@example.ru"}},
		ReplyTo:         []Address{{Email: "support+12@example.com"}},
		Subject:         "Re: Не работает телефон",
		Text:            "Здравствуйте, Иван!\nМы проверили линию.\n\n-- \nАнна",
		HTML:            "<p>Здравствуйте, <b>Иван</b>!</p>",
		InReplyTo:       "<client.1@mail.example.ru>",
		References:      []string{"root@mail.example.ru", "<client.1@mail.example.ru>"},
		TicketRef:       "[#123]",
		MessageIDDomain: "desk.example.com",
		Date:            time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC),
		Attachments:     []Attachment{{Filename: "Акт сверки.pdf", ContentType: "application/pdf", Data: pdf}},
	}
	raw, id, err := Compose(o)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}@desk\.example\.com$`).MatchString(id) {
		t.Errorf("Message-ID = %q", id)
	}
	hdr := headerOf(raw)
	for i := 0; i < len(hdr); i++ {
		if hdr[i] > '~' {
			t.Fatalf("non-ASCII byte in header (not RFC 2047 encoded):\n%s", hdr)
		}
	}
	if !strings.Contains(hdr, "=?utf-8?") {
		t.Errorf("no encoded words in header:\n%s", hdr)
	}
	m := mustParse(t, raw)
	if m.MessageID != id || m.InReplyTo != "client.1@mail.example.ru" {
		t.Errorf("MessageID %q InReplyTo %q", m.MessageID, m.InReplyTo)
	}
	if got := strings.Join(m.References, " "); got != "root@mail.example.ru client.1@mail.example.ru" {
		t.Errorf("References = %q", got)
	}
	if m.Subject != "Re: Не работает телефон [#123]" {
		t.Errorf("Subject = %q", m.Subject)
	}
	if m.From != o.From || len(m.To) != 1 || m.To[0] != o.To[0] || len(m.Cc) != 1 || m.Cc[0].Email != "boss@example.ru" {
		t.Errorf("From %+v To %+v Cc %+v", m.From, m.To, m.Cc)
	}
	if len(m.ReplyTo) != 1 || m.ReplyTo[0].Email != "support+12@example.com" {
		t.Errorf("Reply-To = %+v", m.ReplyTo)
	}
	if !m.Date.Equal(o.Date) {
		t.Errorf("Date = %v", m.Date)
	}
	if strings.ReplaceAll(m.Text, "\r\n", "\n") != o.Text {
		t.Errorf("Text = %q, want %q", m.Text, o.Text)
	}
	if m.HTML != o.HTML {
		t.Errorf("HTML = %q", m.HTML)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Filename != "Акт сверки.pdf" || !bytes.Equal(m.Attachments[0].Data, pdf) {
		t.Errorf("attachments = %+v", m.Attachments)
	}
	if m.Machine != MachineNone {
		t.Errorf("a human reply is machine mail: %s", m.MachineReason)
	}
}

func TestComposePlainAndAutomatic(t *testing.T) {
	t.Parallel()
	raw, _, err := Compose(Outgoing{
		From: Address{Name: "Support", Email: "support@example.com"}, To: []Address{{Email: "a@example.ru"}},
		Subject: "We got your request [#7]", TicketRef: "[#7]", Text: "Thanks.", Automatic: true,
		Headers: map[string]string{"X-Ringdesk-Ticket": "7"},
	})
	if err != nil {
		t.Fatal(err)
	}
	m := mustParse(t, raw)
	if m.Subject != "We got your request [#7]" {
		t.Errorf("ticket reference doubled: %q", m.Subject)
	}
	if m.Machine != MachineAutoReply || m.Text != "Thanks." || m.HTML != "" {
		t.Errorf("Machine %q Text %q HTML %q", m.Machine, m.Text, m.HTML)
	}
	if !strings.Contains(headerOf(raw), "X-Ringdesk-Ticket: 7\r\n") || !strings.Contains(headerOf(raw), "Content-Type: text/plain; charset=utf-8") {
		t.Errorf("header:\n%s", headerOf(raw))
	}
	if strings.Contains(headerOf(raw), "In-Reply-To") || strings.Contains(headerOf(raw), "References") {
		t.Errorf("a new message has threading headers:\n%s", headerOf(raw))
	}
}

func TestComposeHeaderInjection(t *testing.T) {
	t.Parallel()
	o := Outgoing{
		From:    Address{Name: "Anna\r\nBcc: victim@example.org", Email: "support@example.com"},
		To:      []Address{{Name: "Client\nX-Evil: 1", Email: "client@example.ru"}},
		Subject: "Hello\r\nBcc: victim@example.org\r\n\r\nInjected body",
		Text:    "body",
		Headers: map[string]string{"X-Note": "one\r\nBcc: victim@example.org"},
	}
	raw, _, err := Compose(o)
	if err != nil {
		t.Fatal(err)
	}
	hdr := headerOf(raw)
	for _, line := range strings.Split(hdr, "\r\n") {
		if strings.HasPrefix(strings.ToLower(line), "bcc:") || strings.HasPrefix(strings.ToLower(line), "x-evil:") {
			t.Fatalf("header injected:\n%s", hdr)
		}
	}
	m := mustParse(t, raw)
	if m.Subject != "Hello Bcc: victim@example.org Injected body" || m.Text != "body" {
		t.Errorf("Subject %q Text %q", m.Subject, m.Text)
	}
	if m.From.Name != "Anna Bcc: victim@example.org" || m.To[0].Name != "Client X-Evil: 1" || len(m.To) != 1 {
		t.Errorf("From %+v To %+v", m.From, m.To)
	}

	bad := []struct {
		name string
		o    Outgoing
		err  error
	}{
		{"CRLF in address", Outgoing{From: o.From, To: []Address{{Email: "a@example.ru\r\nBcc: v@example.org"}}}, ErrInvalidAddress},
		{"two addresses in one", Outgoing{From: o.From, To: []Address{{Email: "a@example.ru, v@example.org"}}}, ErrInvalidAddress},
		{"angle brackets", Outgoing{From: o.From, To: []Address{{Email: "<a@example.ru>"}}}, ErrInvalidAddress},
		{"no at", Outgoing{From: o.From, To: []Address{{Email: "nobody"}}}, ErrInvalidAddress},
		{"bad from", Outgoing{From: Address{Email: ""}, To: []Address{{Email: "a@example.ru"}}}, ErrInvalidAddress},
		{"no recipients", Outgoing{From: Address{Email: "s@example.com"}}, ErrNoRecipients},
		{"header name injection", Outgoing{From: Address{Email: "s@example.com"}, To: []Address{{Email: "a@example.ru"}},
			Headers: map[string]string{"X-A: b\r\nBcc": "v@example.org"}}, ErrInvalidHeader},
		{"header replaces a composed one", Outgoing{From: Address{Email: "s@example.com"}, To: []Address{{Email: "a@example.ru"}},
			Headers: map[string]string{"bcc": "v@example.org"}}, ErrInvalidHeader},
		{"bad message id", Outgoing{From: Address{Email: "s@example.com"}, To: []Address{{Email: "a@example.ru"}},
			MessageID: "x\r\ny@z"}, ErrInvalidHeader},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := Compose(tt.o); !errors.Is(err, tt.err) {
				t.Errorf("Compose error = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestComposeReferencesTrimmedFromTheMiddle(t *testing.T) {
	t.Parallel()
	var refs []string
	for i := 1; i <= 40; i++ {
		refs = append(refs, fmt.Sprintf("<m%d@example.ru>", i))
	}
	refs = append(refs, "<m3@example.ru>", "bad id with spaces", "")
	raw, _, err := Compose(Outgoing{From: Address{Email: "s@example.com"}, To: []Address{{Email: "a@example.ru"}},
		Subject: "Re: x", Text: "x", InReplyTo: "m41@example.ru", References: refs, MessageID: "<fixed.1@example.com>"})
	if err != nil {
		t.Fatal(err)
	}
	m := mustParse(t, raw)
	if m.MessageID != "fixed.1@example.com" {
		t.Errorf("MessageID = %q", m.MessageID)
	}
	if len(m.References) != MaxReferences || m.References[0] != "m1@example.ru" || m.References[MaxReferences-1] != "m41@example.ru" || m.References[1] != "m23@example.ru" {
		t.Errorf("References = %v", m.References)
	}
	for _, line := range strings.Split(headerOf(raw), "\r\n") {
		if len(line) > 998 {
			t.Errorf("header line of %d characters", len(line))
		}
	}
}

func TestCheckEmail(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"a@example.ru", " ivan.petrov+tag@mail.example.ru ", "o'brien@example.ie"} {
		if _, err := CheckEmail(ok); err != nil {
			t.Errorf("CheckEmail(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "a", "a@", "@b", "a@b@c", "a b@c", "a@b\r\nBcc: c@d", "Name <a@b>", "a@b,c@d", `"a"@b`} {
		if _, err := CheckEmail(bad); !errors.Is(err, ErrInvalidAddress) {
			t.Errorf("CheckEmail(%q) = %v, want ErrInvalidAddress", bad, err)
		}
	}
}

package mail_test

import (
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/mail"
	"github.com/ringdesk/ringdesk/internal/mailtest"
)

func BenchmarkParse50KB(b *testing.B) {
	raw := mailtest.RealisticMessage(0, 50<<10)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := mail.Parse(raw)
		if err != nil || len(m.Attachments) != 2 || m.HTML == "" {
			b.Fatalf("Parse: %v, %d attachments", err, len(m.Attachments))
		}
	}
}

func TestRealisticMessageParses(t *testing.T) {
	t.Parallel()
	raw := mailtest.RealisticMessage(0, 50<<10)
	if len(raw) < 45<<10 || len(raw) > 70<<10 {
		t.Fatalf("realistic message is %d bytes", len(raw))
	}
	m, err := mail.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 2 || !m.HasRemoteImages || !strings.HasPrefix(m.Text, "Добрый день!") || m.Subject != "Не работает телефон 0" ||
		m.Attachments[1].Filename != "Счет.pdf" {
		t.Errorf("attachments %d, remote %v, text %q, subject %q", len(m.Attachments), m.HasRemoteImages, m.Text[:40], m.Subject)
	}
}

package desk_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/mailtest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestMailboxBadInputThroughIMAP is the channel end to end on bad input:
// messages go into a Dovecot mailbox, the fetch worker reads them through
// a proxy that can cut the link, and each must end up on a ticket, none
// lost and none twice: windows-1251 and koi8-r bodies and subjects shown
// right; malformed MIME (a multipart without a boundary, a part cut short)
// shown as far as it reads, with a clear "could not be read, the original
// is kept" note and the raw message downloadable byte for byte; a 30 MB
// message with its attachment whole, although the IMAP link drops in the
// middle of fetching it (the worker reconnects and reads it again).
func TestMailboxBadInputThroughIMAP(t *testing.T) {
	t.Parallel()
	dc := mailtest.StartDovecot(t)
	proxy := mailtest.StartProxy(t, dc.Host, dc.Port)
	var log lockedLog
	// The worker reconnects after the cut at once rather than after the
	// production pause (15 s): the test is about what it reads, not when.
	a := apptest.NewLogged(t, &log, func(_ *app.Config, o *app.Options) { o.Desk.MailRetryAfter = 50 * time.Millisecond })
	ctx := context.Background()
	if _, err := a.Desk.CreateChannel(ctx, ringdesk.System, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeEmail, Name: "Support",
		AppSecret: dc.Password, Email: ringdesk.EmailSettings{Address: "support@example.com", IMAPHost: "127.0.0.1", IMAPPort: proxy.Port,
			IMAPTLS: ringdesk.TLSNone, IMAPUser: dc.Username, SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPTLS: ringdesk.TLSNone, PollSeconds: 5}}); err != nil {
		t.Fatal(err)
	}
	b := &inbox{t: t, a: a}
	waitApplied := func(id string, within time.Duration) int64 {
		t.Helper()
		for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			var state string
			if err := a.DB.QueryRowForTest(ctx, `SELECT state FROM email_inbound WHERE message_key = $1`, id).Scan(&state); err == nil && state == ringdesk.InboundApplied {
				return b.ticketOf(id)
			}
		}
		t.Fatalf("message %s not applied within %s", id, within)
		return 0
	}
	entry := func(tid int64) *ringdesk.TicketEvent {
		t.Helper()
		evs, err := a.DB.TicketEvents(ctx, tid)
		if err != nil || len(evs) != 1 {
			t.Fatalf("ticket %d: %d entries, want 1 (%v)", tid, len(evs), err)
		}
		return evs[0]
	}

	// Russian charsets, 8-bit bodies and RFC 2047 subjects and names.
	enc := func(cm *charmap.Charmap, s string) string {
		out, err := cm.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, c := range []struct {
		name, label string
		cm          *charmap.Charmap
	}{{"cp1251", "windows-1251", charmap.Windows1251}, {"koi8r", "koi8-r", charmap.KOI8R}} {
		raw := strings.Join([]string{"From: =?" + c.label + "?B?" + b64(enc(c.cm, "Пётр Щукин")) + "?= <" + c.name + "@client.example>",
			"To: support@example.com", "Subject: =?" + c.label + "?B?" + b64(enc(c.cm, "Счёт за электроэнергию")) + "?=",
			"Message-ID: <" + c.name + "@client.example>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=" + c.label,
			"Content-Transfer-Encoding: 8bit"}, "\r\n") + "\r\n\r\n" + enc(c.cm, "Здравствуйте! Съешь ещё этих мягких французских булок.") + "\r\n"
		dc.Deliver(t, []byte(raw))
	}
	for _, name := range []string{"cp1251", "koi8r"} {
		tid := waitApplied(name+"@client.example", time.Minute)
		tk, _ := a.DB.TicketByID(ctx, tid)
		c, _ := a.DB.ClientByID(ctx, tk.ClientID)
		e := entry(tid)
		if tk.Subject != "Счёт за электроэнергию" || c.Name != "Пётр Щукин" || e.Body != "Здравствуйте! Съешь ещё этих мягких французских булок." ||
			strings.Contains(e.Data, "problems") {
			t.Errorf("%s: subject %q, client %q, body %q, data %s", name, tk.Subject, c.Name, e.Body, e.Data)
		}
	}

	// Malformed MIME: read as far as it goes, with the note and the original.
	noBoundary := msg("broken@client.example", "nob@client.example", "Без границы", "Текст письма без границы частей.")
	noBoundary = bytes.Replace(noBoundary, []byte("Content-Type: text/plain; charset=utf-8"), []byte("Content-Type: multipart/mixed"), 1)
	cutShort := []byte(strings.Join([]string{"From: broken@client.example", "To: support@example.com", "Subject: Обрыв",
		"Message-ID: <cut@client.example>", "MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="b1"`, "", "--b1",
		"Content-Type: text/plain; charset=utf-8", "", "Начало письма дошло.", "--b1", "Content-Type: application/pdf",
		"Content-Transfer-Encoding: base64", "", "JVBERi0x"}, "\r\n"))
	dc.Deliver(t, noBoundary)
	dc.Deliver(t, cutShort)
	admin := a.Admin(t)
	for id, text := range map[string]string{"nob@client.example": "Текст письма без границы частей.", "cut@client.example": "Начало письма дошло."} {
		tid := waitApplied(id, time.Minute)
		e := entry(tid)
		if !strings.Contains(e.Body, text) || !strings.Contains(e.Data, `"problems":[`) {
			t.Errorf("%s: body %q, data %s", id, e.Body, e.Data)
		}
		page := admin.Get(t, fmt.Sprintf("/tickets/%d", tid))
		if !strings.Contains(page.Body, "Part of this message could not be read") || !strings.Contains(page.Body, text) {
			t.Errorf("%s: the ticket page does not say the message could not be read whole", id)
		}
		var inboundID int64
		if err := a.DB.QueryRowForTest(ctx, `SELECT id FROM email_inbound WHERE message_key = $1`, id).Scan(&inboundID); err != nil {
			t.Fatal(err)
		}
		want := noBoundary
		if id == "cut@client.example" {
			want = cutShort
		}
		if raw := admin.Get(t, fmt.Sprintf("/mail/%d/raw", inboundID)); raw.StatusCode != 200 || raw.Body != string(want) ||
			!strings.Contains(raw.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s: raw download %d, %d bytes of %d", id, raw.StatusCode, len(raw.Body), len(want))
		}
	}

	// A 30 MB message, and the IMAP link cut 10 MB into fetching it.
	data := make([]byte, 22<<20)
	_, _ = rand.Read(data)
	var big bytes.Buffer
	big.WriteString(strings.Join([]string{"From: big@client.example", "To: support@example.com", "Subject: Архив документов",
		"Message-ID: <big@client.example>", "MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="big"`, "", "--big",
		"Content-Type: text/plain; charset=utf-8", "", "Архив во вложении.", "--big", "Content-Type: application/zip",
		`Content-Disposition: attachment; filename="docs.zip"`, "Content-Transfer-Encoding: base64", "", ""}, "\r\n"))
	enc64 := base64.StdEncoding.EncodeToString(data)
	for len(enc64) > 76 {
		big.WriteString(enc64[:76] + "\r\n")
		enc64 = enc64[76:]
	}
	big.WriteString(enc64 + "\r\n--big--\r\n")
	if big.Len() < 30<<20 {
		t.Fatalf("the big message is %d bytes", big.Len())
	}
	proxy.CutAfter(10 << 20)
	dc.Deliver(t, big.Bytes())
	tid := waitApplied("big@client.example", 3*time.Minute)
	if !strings.Contains(log.String(), "mailbox reading stopped; trying again") {
		t.Error("the IMAP link was not cut while the big message was fetched")
	}
	if e := entry(tid); e.Body != "Архив во вложении." || strings.Contains(e.Data, "problems") {
		t.Errorf("big message: body %q, data %.300s", e.Body, e.Data)
	}
	var rawLen, attLen int64
	if err := a.DB.QueryRowForTest(ctx, `SELECT LENGTH(r.raw), LENGTH(f.data) FROM email_inbound i JOIN email_inbound_raw r ON r.inbound_id = i.id
		JOIN email_attachments f ON f.inbound_id = i.id WHERE i.message_key = $1`, "big@client.example").Scan(&rawLen, &attLen); err != nil {
		t.Fatal(err)
	}
	if rawLen != int64(big.Len()) || attLen != int64(len(data)) {
		t.Errorf("big message stored %d bytes of %d, attachment %d of %d", rawLen, big.Len(), attLen, len(data))
	}

	// Nothing lost, nothing twice.
	var stored, entries int
	_ = a.DB.QueryRowForTest(ctx, `SELECT COUNT(*) FROM email_inbound`).Scan(&stored)
	_ = a.DB.QueryRowForTest(ctx, `SELECT COUNT(*) FROM ticket_events WHERE kind = 'reply' AND author_type = 'client'`).Scan(&entries)
	if stored != 5 || entries != 5 {
		t.Fatalf("%d stored, %d entries, want 5 each", stored, entries)
	}
}

// lockedLog collects the app's log lines for a test to read.
type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

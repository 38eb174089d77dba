package desk_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/mailtest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestFetchWorkerOnceAcrossInstancesAndRestarts: two instances on one
// database read a Dovecot mailbox; one holds its lease, every message
// becomes one ticket entry; after both stop, mail that came meanwhile is
// read by the next start, and nothing is read twice.
func TestFetchWorkerOnceAcrossInstancesAndRestarts(t *testing.T) {
	t.Parallel()
	dc := mailtest.StartDovecot(t)
	dir := t.TempDir()
	var dsn string
	keep := func(c *app.Config, _ *app.Options) {
		c.DataDir = dir
		if dsn != "" {
			c.DB = dsn
		}
	}
	a := apptest.New(t, keep)
	dsn = a.Config.DB
	ctx := context.Background()
	ch, err := a.Desk.CreateChannel(ctx, ringdesk.System, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeEmail, Name: "Support",
		AppSecret: dc.Password, Email: ringdesk.EmailSettings{Address: "support@example.com", IMAPHost: dc.Host, IMAPPort: dc.Port,
			IMAPTLS: ringdesk.TLSNone, IMAPUser: dc.Username, SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPTLS: ringdesk.TLSNone, PollSeconds: 5}})
	if err != nil {
		t.Fatal(err)
	}
	a2 := apptest.New(t, keep)
	count := func(app *apptest.App) (stored, applied int) {
		_ = app.DB.QueryRowForTest(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = 'applied' THEN 1 ELSE 0 END), 0) FROM email_inbound`).Scan(&stored, &applied)
		return
	}
	waitApplied := func(app *apptest.App, n int) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if _, applied := count(app); applied >= n {
				return
			}
		}
		stored, applied := count(app)
		t.Fatalf("%d stored, %d applied, want %d", stored, applied, n)
	}
	for i := range 6 {
		dc.Deliver(t, msg(fmt.Sprintf("c%d@client.example", i%3), fmt.Sprintf("f%d@client.example", i), fmt.Sprint("Вопрос ", i), "Текст."))
	}
	waitApplied(a, 6)
	var holders int
	if err := a.DB.QueryRowForTest(ctx, `SELECT COUNT(*) FROM job_leases WHERE name = $1`, fmt.Sprint("mail-fetch:", ch.ID)).Scan(&holders); err != nil || holders != 1 {
		t.Fatalf("lease rows %d %v", holders, err)
	}
	a.Stop()
	a2.Stop()
	for i := 6; i < 9; i++ {
		dc.Deliver(t, msg("c0@client.example", fmt.Sprintf("f%d@client.example", i), fmt.Sprint("Вопрос ", i), "Текст."))
	}
	a3 := apptest.New(t, keep)
	waitApplied(a3, 9)
	time.Sleep(500 * time.Millisecond)
	if stored, applied := count(a3); stored != 9 || applied != 9 {
		t.Fatalf("after the restart: %d stored, %d applied, want 9", stored, applied)
	}
	var entries int
	_ = a3.DB.QueryRowForTest(ctx, `SELECT COUNT(*) FROM ticket_events WHERE kind = 'reply' AND author_type = 'client'`).Scan(&entries)
	if entries != 9 {
		t.Fatalf("%d client entries, want 9", entries)
	}
	cur, err := a3.DB.EmailCursor(ctx, ch.ID)
	if err != nil || cur.LastUID != 9 || cur.UIDValidity != dc.UIDValidity(t) {
		t.Fatalf("cursor %+v %v (UIDVALIDITY %d)", cur, err, dc.UIDValidity(t))
	}
}

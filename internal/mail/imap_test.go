package mail_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/ringdesk/ringdesk/internal/mail"
	"github.com/ringdesk/ringdesk/internal/mailtest"
)

func dovecotConfig(d *mailtest.Dovecot) mail.IMAPConfig { return d.IMAPConfig() }

// testMessage is a small message whose Message-ID names n.
func testMessage(n int, pad int) []byte {
	return []byte(fmt.Sprintf("From: Client %d <client%d@example.ru>\r\nTo: support@example.com\r\nSubject: Request %d\r\n"+
		"Message-ID: <msg.%d@example.ru>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nЗдравствуйте, это письмо %d.\r\n%s\r\nend.\r\n",
		n, n, n, n, n, strings.Repeat("x", pad)))
}

// collector records what Fetch handed over, by Message-ID.
type collector struct {
	mu   sync.Mutex
	ids  []string
	uids []uint32
	fail map[string]bool // Message-IDs to refuse once
}

func (c *collector) handle(uid uint32, raw []byte) error {
	m, err := mail.Parse(raw)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail[m.MessageID] {
		delete(c.fail, m.MessageID)
		return errors.New("database is busy")
	}
	if !strings.HasSuffix(strings.TrimSpace(m.Text), "end.") {
		return fmt.Errorf("message %s handed over incomplete (%d bytes)", m.MessageID, len(raw))
	}
	c.ids = append(c.ids, m.MessageID)
	c.uids = append(c.uids, uid)
	return nil
}

func (c *collector) got() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.ids...)
}

func wantIDs(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("msg.%d@example.ru", i))
	}
	return out
}

func TestFetchFromDovecot(t *testing.T) {
	t.Parallel()
	d := mailtest.StartDovecot(t)
	d.Append(t, "INBOX", testMessage(1, 0))
	d.Append(t, "INBOX", testMessage(2, 0))
	d.Deliver(t, testMessage(3, 0)) // a file in Maildir/new, as a delivery agent leaves it
	ctx := context.Background()
	f := mail.NewFetcher(dovecotConfig(d), nil)
	defer f.Close()
	var c collector
	cur, err := f.Fetch(ctx, mail.Cursor{}, 0, c.handle)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(c.got(), " "), strings.Join(wantIDs(1, 3), " "); got != want {
		t.Errorf("fetched %s, want %s", got, want)
	}
	if cur.LastUID != 3 || cur.UIDValidity != d.UIDValidity(t) {
		t.Errorf("cursor = %+v", cur)
	}
	if fmt.Sprint(c.uids) != "[1 2 3]" {
		t.Errorf("uids = %v", c.uids)
	}
	// Nothing new: nothing handed over, the cursor stays.
	again, err := f.Fetch(ctx, cur, 0, c.handle)
	if err != nil || again != cur || len(c.got()) != 3 {
		t.Errorf("second fetch: cursor %+v err %v, %d messages", again, err, len(c.got()))
	}
	// BODY.PEEK[]: the messages are still unseen.
	ic := d.Client(t)
	defer ic.Close()
	if _, err := ic.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	unseen, err := ic.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(unseen.AllUIDs()); n != 3 {
		t.Errorf("%d unseen messages after fetching, want 3", n)
	}
}

func TestFetchCursorAcrossReconnects(t *testing.T) {
	t.Parallel()
	d := mailtest.StartDovecot(t)
	for i := 1; i <= 5; i++ {
		d.Append(t, "INBOX", testMessage(i, 0))
	}
	ctx := context.Background()
	c := collector{fail: map[string]bool{"msg.4@example.ru": true}}

	// A batch of at most 2, then a new connection goes on from the cursor.
	f1 := mail.NewFetcher(dovecotConfig(d), nil)
	cur, err := f1.Fetch(ctx, mail.Cursor{}, 2, c.handle)
	if err != nil || cur.LastUID != 2 {
		t.Fatalf("first fetch: %+v %v", cur, err)
	}
	f1.Close()
	f2 := mail.NewFetcher(dovecotConfig(d), nil)
	defer f2.Close()
	// The handler refuses message 4 once: the cursor stops before it.
	cur, err = f2.Fetch(ctx, cur, 0, c.handle)
	if err == nil || !strings.Contains(err.Error(), "database is busy") || cur.LastUID != 3 {
		t.Fatalf("fetch with a refusing handler: cursor %+v err %v", cur, err)
	}
	d.Append(t, "INBOX", testMessage(6, 0))
	// The server crashes between two fetches (its open connection dies
	// without a goodbye) and comes back: the fetcher reconnects.
	d.Kill()
	if _, err := f2.Fetch(ctx, cur, 0, c.handle); err == nil {
		t.Fatal("fetch from a stopped server succeeded")
	} else if fe := (*mail.FetchError)(nil); !errors.As(err, &fe) {
		t.Fatalf("fetch from a stopped server: %v, want a *FetchError", err)
	}
	d.Start(t)
	cur, err = f2.Fetch(ctx, cur, 0, c.handle)
	if err != nil || cur.LastUID != 6 {
		t.Fatalf("fetch after restart: %+v %v", cur, err)
	}
	if got, want := strings.Join(c.got(), " "), strings.Join(wantIDs(1, 6), " "); got != want {
		t.Errorf("fetched %s\nwant    %s (each once, none skipped)", got, want)
	}
}

func TestFetchUIDValidityChange(t *testing.T) {
	t.Parallel()
	d := mailtest.StartDovecot(t)
	d.Append(t, "INBOX", testMessage(1, 0))
	d.Append(t, "INBOX", testMessage(2, 0))
	ctx := context.Background()
	f := mail.NewFetcher(dovecotConfig(d), nil)
	defer f.Close()
	var c collector
	cur, err := f.Fetch(ctx, mail.Cursor{}, 0, c.handle)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	d.SetUIDValidity(t, cur.UIDValidity+1000)
	d.Append(t, "INBOX", testMessage(3, 0))
	next, err := f.Fetch(ctx, cur, 0, c.handle)
	if err != nil {
		t.Fatal(err)
	}
	if next.UIDValidity != cur.UIDValidity+1000 || next.LastUID != 3 {
		t.Errorf("cursor after the change = %+v (was %+v)", next, cur)
	}
	// Read again from the start: the caller drops 1 and 2 by Message-ID.
	if got := strings.Join(c.got(), " "); got != strings.Join(append(wantIDs(1, 2), wantIDs(1, 3)...), " ") {
		t.Errorf("fetched %s", got)
	}
}

func TestFetchConnectionDroppedMidFetch(t *testing.T) {
	t.Parallel()
	d := mailtest.StartDovecot(t)
	const n = 8
	for i := 1; i <= n; i++ {
		d.Append(t, "INBOX", testMessage(i, 60_000))
	}
	proxy := mailtest.StartProxy(t, d.Host, d.Port)
	cfg := dovecotConfig(d)
	cfg.Port = proxy.Port
	ctx := context.Background()
	f := mail.NewFetcher(cfg, nil)
	defer f.Close()
	var c collector
	cur := mail.Cursor{}
	drops := 0
	for attempt := 0; attempt < 10; attempt++ {
		if attempt < 3 {
			proxy.CutAfter(150_000) // in the middle of the third message or so
		}
		next, err := f.Fetch(ctx, cur, 0, c.handle)
		if next.LastUID < cur.LastUID {
			t.Fatalf("cursor went back: %+v -> %+v", cur, next)
		}
		cur = next
		if err == nil {
			break
		}
		var fe *mail.FetchError
		if !errors.As(err, &fe) {
			t.Fatalf("Fetch: %v, want a *FetchError", err)
		}
		drops++
	}
	if drops == 0 {
		t.Fatal("the proxy never cut the connection")
	}
	if got, want := strings.Join(c.got(), " "), strings.Join(wantIDs(1, n), " "); got != want {
		t.Errorf("after %d drops fetched %s\nwant %s (each once, none lost)", drops, got, want)
	}
}

func TestWaitNewWakesOnNewMail(t *testing.T) {
	t.Parallel()
	d := mailtest.StartDovecot(t)
	for _, tt := range []struct {
		name    string
		disable bool
	}{{"IDLE", false}, {"polling", true}} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := dovecotConfig(d)
			cfg.DisableIdle, cfg.PollInterval = tt.disable, 200*time.Millisecond
			f := mail.NewFetcher(cfg, nil)
			defer f.Close()
			ctx := context.Background()
			var c collector
			cur, err := f.Fetch(ctx, mail.Cursor{}, 0, c.handle)
			if err != nil {
				t.Fatal(err)
			}
			before := len(c.got())
			go func() {
				time.Sleep(300 * time.Millisecond)
				d.Append(t, "INBOX", testMessage(100+before, 0))
			}()
			start := time.Now()
			if err := f.WaitNew(ctx, 20*time.Second); err != nil {
				t.Fatal(err)
			}
			if waited := time.Since(start); waited > 5*time.Second {
				t.Errorf("WaitNew returned after %v", waited)
			}
			if _, err := f.Fetch(ctx, cur, 0, c.handle); err != nil || len(c.got()) != before+1 {
				t.Errorf("fetch after WaitNew: %v, %d new", err, len(c.got())-before)
			}
		})
	}

	// Without mail WaitNew returns at its timeout; a cancelled context ends it.
	f := mail.NewFetcher(dovecotConfig(d), nil)
	defer f.Close()
	start := time.Now()
	if err := f.WaitNew(context.Background(), 300*time.Millisecond); err != nil || time.Since(start) < 250*time.Millisecond {
		t.Errorf("WaitNew without mail: %v after %v", err, time.Since(start))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := f.WaitNew(ctx, time.Minute); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitNew with an ending context = %v", err)
	}
	// And the fetcher still works after that.
	if _, err := f.Fetch(context.Background(), mail.Cursor{}, 1, func(uint32, []byte) error { return nil }); err != nil {
		t.Errorf("Fetch after a cancelled WaitNew: %v", err)
	}

	// Close ends a long WaitNew at once.
	waited := make(chan error, 1)
	go func() { waited <- f.WaitNew(context.Background(), 10*time.Minute) }()
	time.Sleep(300 * time.Millisecond)
	start = time.Now()
	f.Close()
	select {
	case err := <-waited:
		if err == nil {
			t.Error("WaitNew cut by Close returned no error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("WaitNew still waits after Close")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Close took %v", d)
	}
}

func TestFetchOverTLS(t *testing.T) {
	t.Parallel()
	d := mailtest.StartDovecotWith(t, mailtest.DovecotOptions{TLS: true})
	d.Append(t, "INBOX", testMessage(1, 0))
	for _, tt := range []struct {
		mode mail.TLSMode
		port int
	}{{mail.TLSImplicit, d.TLSPort}, {mail.TLSStartTLS, d.Port}} {
		t.Run(string(tt.mode), func(t *testing.T) {
			cfg := dovecotConfig(d)
			cfg.TLS, cfg.Port, cfg.TLSConfig = tt.mode, tt.port, d.TLSConfig
			f := mail.NewFetcher(cfg, nil)
			defer f.Close()
			var c collector
			if _, err := f.Fetch(context.Background(), mail.Cursor{}, 0, c.handle); err != nil || len(c.got()) != 1 {
				t.Fatalf("fetch over %s: %v, %d messages", tt.mode, err, len(c.got()))
			}
		})
	}
}

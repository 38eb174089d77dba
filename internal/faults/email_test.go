package faults

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/mailtest"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestEmailSurvivesKill9: the real ringdesk binary reads a Dovecot mailbox
// and sends replies through Mailpit while it is SIGKILLed several times;
// mail keeps arriving in the IMAP inbox and agents keep posting replies
// through the API the whole time (a reply whose POST died with the process
// is looked up and posted again only if it was not stored). Afterwards:
//   - every incoming message is exactly one timeline entry (none lost,
//     none doubled);
//   - every stored reply is marked sent and reached Mailpit exactly once,
//     counted as deliveries by Message-ID (Mailpit keeps every copy); a
//     second copy is allowed only for a reply the restarted process named
//     in its log as being sent when it was killed (at least once, the
//     same Message-ID; docs/email-channel.md), and never more;
//   - each restart freed at once what the killed process held under its
//     instance id (its mailbox lease, at least), instead of waiting for the
//     lease (1 minute) and the outbox claims (2 minutes) to expire.
//
// SQLite always; PostgreSQL (a fresh schema) when RINGDESK_TEST_POSTGRES is set.
func TestEmailSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary for a minute")
	}
	// Side by side with TestSuiteShort: its own Dovecot, Mailpit, data
	// dir, process and database (a schema of its own on PostgreSQL).
	t.Parallel()
	dc := mailtest.StartDovecot(t)
	mp := mailtest.StartMailpit(t)
	// A slow SMTP link: every server reply comes 80 ms late, so a send
	// takes about half a second and the kills find replies mid-send,
	// some between Mailpit's accepting one and Ringdesk's marking it sent.
	smtp := mailtest.StartProxy(t, mp.Host, mp.SMTPPort)
	smtp.Delay(80 * time.Millisecond)
	exe := BuildRingdesk(t)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	var db database = &sqliteDB{}
	if base := os.Getenv(storetest.EnvPostgres); base != "" {
		p, err := newPGSchema(ctx, base, "email")
		if err != nil {
			t.Fatal(err)
		}
		db = p
	}
	defer db.Close()
	dir := t.TempDir()
	logFile, err := os.Create(filepath.Join(dir, "ringdesk.log"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := newChild(exe, dir, db.DSN(), logFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.stop()
	out, err := c.command(ctx, "token", "create", "--email", adminEmail, "--name", "email kill test")
	if err != nil {
		t.Fatal(err)
	}
	api := newAPI(c.url(), strings.TrimSpace(out))
	if err := api.do(ctx, "POST", "/api/v1/channels", map[string]any{"type": "email", "name": "Support", "email": map[string]any{
		"address": dc.Username, "display_name": "Support", "imap_host": dc.Host, "imap_port": dc.Port, "imap_tls": "none",
		"imap_user": dc.Username, "imap_password": dc.Password, "smtp_host": "127.0.0.1", "smtp_port": smtp.Port, "smtp_tls": "none"}}, nil); err != nil {
		t.Fatal(err)
	}

	const (
		incoming = 36 // messages delivered into the IMAP inbox
		replies  = 30 // replies posted through the API
		kills    = 4
	)
	rng := rand.New(rand.NewPCG(17, 4))
	var wg sync.WaitGroup
	posted := make(chan error, 1)
	var unanswered int
	wg.Add(1)
	go func() {
		defer wg.Done()
		var err error
		unanswered, err = postReplies(ctx, c, api, replies)
		posted <- err
	}()
	restarts := 0
	for round := range kills + 1 {
		for i := round * incoming / (kills + 1); i < (round+1)*incoming/(kills+1); i++ {
			dc.Deliver(t, clientMessage(i))
			time.Sleep(time.Duration(rng.IntN(60)) * time.Millisecond)
		}
		if round == kills {
			break
		}
		// The process must have started reading mail (a message of this
		// round on a ticket proves its fetcher holds the mailbox lease)
		// before the kill, or its successor has no lease to release: on a
		// loaded machine a process killed a second after it started may
		// not have reached the mailbox yet (CI, PostgreSQL under -race).
		if err := waitIncoming(ctx, api, fmt.Sprintf("in-%d@client.example", round*incoming/(kills+1)), time.Minute); err != nil {
			t.Fatalf("round %d: %v; see %s", round+1, err, logFile.Name())
		}
		time.Sleep(time.Duration(300+rng.IntN(1200)) * time.Millisecond)
		pid := c.pid()
		if err := c.kill(); err != nil {
			t.Fatal(err)
		}
		started := time.Now()
		if err := c.start(ctx); err != nil {
			t.Fatalf("restart after kill %d: %v", round+1, err)
		}
		restarts++
		seg := lastStart(t, logFile.Name())
		leases := 0
		if m := regexp.MustCompile(`released what this instance held.* leases=(\d+)`).FindStringSubmatch(seg); m != nil {
			leases, _ = strconv.Atoi(m[1])
		}
		claims := "0"
		if m := regexp.MustCompile(`outbox_claims=(\d+)`).FindStringSubmatch(seg); m != nil {
			claims = m[1]
		}
		t.Logf("kill %d: pid %d, back in %s, released %d leases and %s outbox claims", round+1, pid, time.Since(started).Round(time.Millisecond), leases, claims)
		if leases == 0 {
			t.Errorf("restart %d released no lease of the killed process (its mailbox lease, at least): it would wait for them to expire", round+1)
		}
	}
	// No kill is coming: the slow link was there for the kills to find
	// replies mid-send, and the replies still queued go out at full speed.
	smtp.Delay(0)
	if err := <-posted; err != nil {
		t.Fatal(err)
	}
	wg.Wait()

	// Everything arrives and goes out; the wait is generous for a loaded
	// machine, the proof that nothing waited for an expiry is the log above.
	settled := time.Now()
	var tally emailTally
	for {
		tally, err = readEmailState(ctx, api)
		if err == nil && tally.settled(incoming, replies, mp.Messages(t)) {
			break
		}
		if time.Since(settled) > 3*time.Minute {
			t.Fatalf("not settled after 3 minutes: %v; incoming seen %d of %d, replies stored %d of %d, sent %d; see %s",
				err, len(tally.incoming), incoming, len(tally.replies), replies, tally.sent, logFile.Name())
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("settled %s after the last restart", time.Since(settled).Round(time.Millisecond))

	for i := range incoming {
		id := fmt.Sprintf("in-%d@client.example", i)
		if n := tally.incoming[id]; n != 1 {
			t.Errorf("incoming %s: %d timeline entries, want 1", id, n)
		}
	}
	inDoubt := map[string]bool{}
	for _, m := range regexp.MustCompile(`the server may have taken it.* message_id=(\S+)`).FindAllStringSubmatch(readFile(t, logFile.Name()), -1) {
		inDoubt[strings.Trim(m[1], `"<>`)] = true
	}
	// One process sends one reply at a time: a kill leaves at most one in doubt.
	if len(inDoubt) > kills {
		t.Errorf("%d replies in doubt after %d kills", len(inDoubt), kills)
	}
	delivered := map[string]int{}
	for _, m := range mp.Messages(t) {
		delivered[strings.Trim(m.MessageID, "<>")]++
	}
	total := 0
	for body, r := range tally.replies {
		if r.count != 1 {
			t.Errorf("reply %q stored %d times, want 1", body, r.count)
		}
		n := delivered[r.messageID]
		total += n
		switch {
		case n == 1:
		case n == 2 && inDoubt[r.messageID]:
			t.Logf("reply %q was being sent when the process was killed: delivered twice with one Message-ID, as documented", body)
		default:
			t.Errorf("reply %q (%s): %d deliveries, want 1 (in doubt after a kill: %v)", body, r.messageID, n, inDoubt[r.messageID])
		}
	}
	if all := len(mp.Messages(t)); all != total {
		t.Errorf("mailpit holds %d messages, %d of them replies of this desk", all, total)
	}
	t.Logf("%d incoming, %d replies (%d POSTs cut by a kill), %d restarts, %d deliveries, %d replies in doubt after a kill",
		incoming, replies, unanswered, restarts, total, len(inDoubt))
}

// clientMessage is the i-th client's message: a new thread, so each is a ticket.
func clientMessage(i int) []byte {
	h := []string{fmt.Sprintf(`From: "Клиент %d" <client%d@client.example>`, i%5, i%5), "To: support@example.com",
		fmt.Sprintf("Subject: Вопрос %d", i), fmt.Sprintf("Message-ID: <in-%d@client.example>", i),
		"Date: " + time.Now().Format(time.RFC1123Z), "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"}
	return []byte(strings.Join(h, "\r\n") + fmt.Sprintf("\r\n\r\nТекст письма %d.\r\n", i))
}

// postReplies posts n replies ("reply-0"...) through the API to the
// tickets the mail made, while the child is killed and restarted. A POST
// that fails without an answer may or may not have been stored: the
// ticket's timeline says, and only a missing reply is posted again.
func postReplies(ctx context.Context, c *child, a *api, n int) (unanswered int, err error) {
	for k := 0; k < n; {
		if ctx.Err() != nil {
			return unanswered, ctx.Err()
		}
		tickets, err := ticketIDs(ctx, a)
		if err != nil || len(tickets) == 0 {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		tid := tickets[k%len(tickets)]
		body := fmt.Sprintf("reply-%d", k)
		err = a.do(ctx, "POST", fmt.Sprintf("/api/v1/tickets/%d/comments", tid), map[string]any{"kind": "reply", "body": body}, nil)
		var urlErr *url.Error
		switch {
		case err == nil:
			k++
		case errors.As(err, &urlErr):
			// No answer: the process died. Stored or not?
			unanswered++
			for {
				if _, err := getStatus(ctx, c.url()+"/readyz"); err == nil {
					evs, err := ticketEvents(ctx, a, tid)
					if err == nil {
						if evs.has(body) {
							k++
						}
						break
					}
				}
				if ctx.Err() != nil {
					return unanswered, ctx.Err()
				}
				time.Sleep(100 * time.Millisecond)
			}
		default:
			// An answer that is not 2xx: a 5xx is "not stored"; try again.
			if !strings.Contains(err.Error(), ": 5") {
				return unanswered, err
			}
			time.Sleep(100 * time.Millisecond)
		}
		// Spread over the kills (about 6 s in all).
		time.Sleep(time.Duration(120+k%7*30) * time.Millisecond)
	}
	return unanswered, nil
}

func ticketIDs(ctx context.Context, a *api) ([]int64, error) {
	var ids []int64
	cursor := ""
	for {
		var page struct {
			Tickets []struct {
				ID int64 `json:"id"`
			} `json:"tickets"`
			NextCursor string `json:"next_cursor"`
		}
		q := url.Values{"limit": {"100"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		if err := a.do(ctx, http.MethodGet, "/api/v1/tickets?"+q.Encode(), nil, &page); err != nil {
			return nil, err
		}
		for _, t := range page.Tickets {
			ids = append(ids, t.ID)
		}
		if page.NextCursor == "" || len(page.Tickets) == 0 {
			return ids, nil
		}
		cursor = page.NextCursor
	}
}

type events struct {
	Events []struct {
		Kind  string `json:"kind"`
		Body  string `json:"body"`
		Email *struct {
			MessageID string `json:"message_id"`
		} `json:"email"`
		Delivery *struct {
			Status    string `json:"status"`
			MessageID string `json:"message_id"`
		} `json:"delivery"`
	} `json:"events"`
}

func (e events) has(body string) bool {
	for _, ev := range e.Events {
		if ev.Body == body {
			return true
		}
	}
	return false
}

func ticketEvents(ctx context.Context, a *api, id int64) (events, error) {
	var e events
	err := a.do(ctx, http.MethodGet, fmt.Sprintf("/api/v1/tickets/%d/events", id), nil, &e)
	return e, err
}

// emailTally is what the desk shows: incoming entries by Message-ID and
// replies by body.
type emailTally struct {
	incoming map[string]int
	replies  map[string]*replyState
	sent     int
}

type replyState struct {
	count     int
	messageID string
	status    string
}

func readEmailState(ctx context.Context, a *api) (emailTally, error) {
	t := emailTally{incoming: map[string]int{}, replies: map[string]*replyState{}}
	ids, err := ticketIDs(ctx, a)
	if err != nil {
		return t, err
	}
	for _, id := range ids {
		evs, err := ticketEvents(ctx, a, id)
		if err != nil {
			return t, err
		}
		for _, ev := range evs.Events {
			switch {
			case ev.Email != nil:
				t.incoming[ev.Email.MessageID]++
			case ev.Delivery != nil:
				r := t.replies[ev.Body]
				if r == nil {
					r = &replyState{}
					t.replies[ev.Body] = r
				}
				r.count++
				r.messageID, r.status = ev.Delivery.MessageID, ev.Delivery.Status
				if r.status == "sent" {
					t.sent++
				}
			}
		}
	}
	return t, nil
}

// settled: every message is on a ticket, every reply stored and sent, and
// Mailpit has at least one copy of each.
func (t emailTally) settled(incoming, replies int, delivered []mailtest.MailpitMessage) bool {
	if len(t.incoming) < incoming || len(t.replies) < replies || t.sent < replies {
		return false
	}
	got := map[string]bool{}
	for _, m := range delivered {
		got[strings.Trim(m.MessageID, "<>")] = true
	}
	for _, r := range t.replies {
		if !got[r.messageID] {
			return false
		}
	}
	return true
}

// lastStart is the child's log since its latest start.
func lastStart(t *testing.T, path string) string {
	s := readFile(t, path)
	if i := strings.LastIndex(s, "--- faults: starting"); i >= 0 {
		return s[i:]
	}
	return s
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitIncoming waits until the incoming message with Message-ID id is on a
// ticket's timeline.
func waitIncoming(ctx context.Context, api *api, id string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		tally, err := readEmailState(ctx, api)
		if err == nil && tally.incoming[id] > 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("incoming %s not on a ticket after %v (last read: %v)", id, timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

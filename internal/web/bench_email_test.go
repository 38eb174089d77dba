package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/url"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/mailtest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// Email benchmarks:
//
//	go test -run '^$' -bench 'ApplyInbound|ReplyClick' -benchtime 1000x ./internal/web/
//
// BenchmarkApplyInbound50KB stores (in the fetcher's batches of 50) and
// applies realistic 50 KB messages
// (text and HTML alternatives in quoted-printable, a quoted history, an
// inline image and a PDF in base64) from 300 senders, a third of them
// replies threaded by In-Reply-To, and reports messages applied per second.
// BenchmarkReplyClickSlowSMTP posts replies from the ticket page while the
// SMTP server accepts connections but answers nothing (a stalled server):
// the click must not wait for it.

func BenchmarkApplyInbound50KB(b *testing.B) {
	a := apptest.New(b)
	ctx := context.Background()
	ch, err := a.Desk.CreateChannel(ctx, ringdesk.System, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeEmail, Name: "Support",
		Email: ringdesk.EmailSettings{Address: "support@example.com", IMAPHost: "127.0.0.1", IMAPPort: 1, IMAPTLS: ringdesk.TLSNone,
			SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPTLS: ringdesk.TLSNone}})
	if err != nil {
		b.Fatal(err)
	}
	msgs := make([][]byte, b.N)
	for i := range msgs {
		msgs[i] = mailtest.RealisticMessage(i, 50<<10)
	}
	b.SetBytes(int64(len(msgs[0])))
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	// As the fetcher hands them over: batches of up to 50.
	for i := 0; i < len(msgs); i += 50 {
		var batch []desk.FetchedMail
		for j := i; j < min(i+50, len(msgs)); j++ {
			batch = append(batch, desk.FetchedMail{UID: uint32(j + 1), Raw: msgs[j]})
		}
		if _, err := a.Desk.ReceiveEmails(ctx, ch.ID, 1, batch); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	b.StopTimer()
	var applied, threaded int
	_ = a.DB.QueryRowForTest(ctx, `SELECT COUNT(*) FROM email_inbound WHERE state = 'applied'`).Scan(&applied)
	_ = a.DB.QueryRowForTest(ctx, `SELECT COUNT(*) FROM tickets`).Scan(&threaded)
	if applied != b.N {
		b.Fatalf("%d of %d messages applied", applied, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	// The shared machine is often loaded many times over; the process's
	// own CPU time per message shows what one idle core would do.
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "msgs/cpu-s")
	b.ReportMetric(float64(threaded), "tickets")
}

// stalledSMTP accepts connections and never answers, like an SMTP server
// that hangs; it returns its port.
func stalledSMTP(tb testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go func() { _, _ = bufio.NewReader(c).ReadString(0) }()
		}
	}()
	tb.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return ln.Addr().(*net.TCPAddr).Port
}

// replyClicks posts n replies from the ticket page while SMTP is stalled
// and returns their durations, sorted.
func replyClicks(tb testing.TB, n int) []time.Duration {
	a := apptest.New(tb)
	ctx := context.Background()
	ch, err := a.Desk.CreateChannel(ctx, ringdesk.System, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeEmail, Name: "Support",
		Email: ringdesk.EmailSettings{Address: "support@example.com", IMAPHost: "127.0.0.1", IMAPPort: 1, IMAPTLS: ringdesk.TLSNone,
			SMTPHost: "127.0.0.1", SMTPPort: stalledSMTP(tb), SMTPTLS: ringdesk.TLSNone}})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := a.Desk.ReceiveEmail(ctx, ch.ID, store.EmailCursor{UIDValidity: 1, LastUID: 1}, mailtest.RealisticMessage(0, 50<<10)); err != nil {
		tb.Fatal(err)
	}
	var tid int64
	if err := a.DB.QueryRowForTest(ctx, `SELECT ticket_id FROM email_inbound`).Scan(&tid); err != nil {
		tb.Fatal(err)
	}
	c := a.Admin(tb)
	path := fmt.Sprintf("/tickets/%d/comments", tid)
	out := make([]time.Duration, 0, n)
	for i := range n {
		start := time.Now()
		res := c.PostForm(tb, path, url.Values{"kind": {"reply"}, "body": {fmt.Sprint("Ответ ", i)}, "to": {"client0@client.example"}})
		out = append(out, time.Since(start))
		if res.StatusCode != 303 {
			tb.Fatalf("reply %d: %d", i, res.StatusCode)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func BenchmarkReplyClickSlowSMTP(b *testing.B) {
	d := replyClicks(b, b.N)
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(d[len(d)*95/100].Microseconds())/1000, "p95-ms")
}

// TestReplyClickDoesNotWaitForSMTP: with the SMTP server stalled (it
// accepts and never answers, so a send waits a minute for its timeout),
// a reply from the page still answers at once.
func TestReplyClickDoesNotWaitForSMTP(t *testing.T) {
	t.Parallel()
	d := replyClicks(t, 40)
	if p95 := d[len(d)*95/100]; p95 > time.Second {
		t.Fatalf("reply click p95 %v while SMTP is stalled", p95)
	}
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// Pop-up latency: 200 agents keep their pages' event streams (/live) open
// while calls arrive at a steady rate; for every agent and call, the delay
// from the moment the incoming_call_started webhook is sent to the moment
// the agent's stream delivers the ringing call. One instance on the
// configured database; on PostgreSQL also two instances on one database,
// the agents split over both and the webhooks alternating between them,
// so half the pop-ups cross instances through LISTEN/NOTIFY.
//
//	go test -run '^$' -bench PopupLatency -benchtime 300x ./internal/web/
//	RINGDESK_TEST_POSTGRES=postgres://... go test -run '^$' -bench PopupLatency -benchtime 300x ./internal/web/
//
// b.N is the number of calls; they start popupRate a second, and each is
// finished (missed) a second later, so about popupRate calls ring at once.
const (
	popupAgents = 200
	popupRate   = 20.0
)

func BenchmarkPopupLatency(b *testing.B) {
	b.Run("instances=1", func(b *testing.B) { popupLatency(b, 1) })
	if storetest.Dialect() == "postgres" {
		b.Run("instances=2", func(b *testing.B) { popupLatency(b, 2) })
	}
}

func popupLatency(b *testing.B, instances int) {
	a := apptest.New(b)
	apps := []*apptest.App{a}
	for len(apps) < instances {
		dsn := a.Config.DB
		apps = append(apps, apptest.New(b, func(c *app.Config, _ *app.Options) { c.DB = dsn }))
	}
	ctx := context.Background()
	ch, err := a.Desk.CreateChannel(ctx, ringdesk.System, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeUIS, Name: "UIS bench",
		UIS: ringdesk.UISSettings{VirtualPhoneNumber: "74951234567"}})
	if err != nil {
		b.Fatal(err)
	}
	tok, _, err := a.Desk.CreateChannelToken(ctx, ringdesk.System, ch.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}

	// Call n rings from its own number, which identifies it in the streams.
	calls := b.N
	sent := make([]time.Time, calls)
	var sentMu sync.RWMutex
	number := func(n int) string { return fmt.Sprintf("7917%07d", n) }
	byNumber := map[string]int{}
	for n := range calls {
		byNumber["+"+number(n)] = n
	}

	type sample struct{ agent, call int }
	var mu sync.Mutex
	lat := make([]time.Duration, 0, calls*popupAgents)
	seen := map[sample]bool{}
	var streams sync.WaitGroup
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	for i := range popupAgents {
		email := fmt.Sprintf("popup%03d@example.com", i)
		a.CreateAgent(b, ringdesk.AgentCreate{Email: email, Role: ringdesk.RoleAgent})
		c := apps[i%len(apps)].Login(b, email, "agent-password-1")
		body := openStream(b, sctx, c, apps[i%len(apps)].URL)
		streams.Go(func() {
			defer body.Close()
			readStream(body, func(name, data string) {
				if name != "call" {
					return
				}
				now := time.Now()
				var ev struct {
					State        string `json:"state"`
					ContactPhone string `json:"contact_phone"`
				}
				if json.Unmarshal([]byte(data), &ev) != nil || ev.State != ringdesk.CallRinging {
					return
				}
				n, ok := byNumber[ev.ContactPhone]
				if !ok {
					return
				}
				sentMu.RLock()
				t0 := sent[n]
				sentMu.RUnlock()
				mu.Lock()
				if s := (sample{i, n}); !seen[s] && !t0.IsZero() {
					seen[s] = true
					lat = append(lat, now.Sub(t0))
				}
				mu.Unlock()
			})
		})
	}

	client := &http.Client{Timeout: 30 * time.Second}
	post := func(base, kind, body string) {
		res, err := client.Post(base+"/telephony/uis/webhook/"+kind+"/", "application/json", strings.NewReader(body))
		if err != nil {
			b.Error(err)
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Errorf("%s: %d", kind, res.StatusCode)
		}
	}
	body := func(kind string, n int) string {
		return strings.NewReplacer("3960098281", fmt.Sprint(7_000_000_000+n), "79261234567", number(n)).Replace(benchFixture(b, kind, tok))
	}
	var finishing sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for n := range calls {
		time.Sleep(time.Until(start.Add(time.Duration(float64(n) / popupRate * float64(time.Second)))))
		base := apps[n%len(apps)].URL
		started := body("incoming_call_started", n)
		sentMu.Lock()
		sent[n] = time.Now()
		sentMu.Unlock()
		post(base, "incoming_call_started", started)
		finishing.Go(func() {
			time.Sleep(time.Second)
			post(base, "call_finished", body("call_finished", n))
		})
	}
	finishing.Wait()
	// Let the last pop-ups arrive.
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		got := len(lat)
		mu.Unlock()
		if got == calls*popupAgents || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.StopTimer()
	stop()
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(lat)
	missing := calls*popupAgents - len(lat)
	if missing > 0 {
		b.Errorf("%d of %d pop-ups never arrived", missing, calls*popupAgents)
	}
	if len(lat) == 0 {
		return
	}
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(float64(len(lat))*p))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1])/float64(time.Millisecond), "max-ms")
	b.ReportMetric(float64(len(lat)), "popups")
}

// openStream opens /live with c's session and returns the stream's body.
func openStream(b *testing.B, ctx context.Context, c *apptest.Client, base string) io.ReadCloser {
	b.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/live", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	hc := *c.Client
	hc.Timeout = 0
	res, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	if res.StatusCode != 200 {
		b.Fatalf("/live: %d", res.StatusCode)
	}
	return res.Body
}

// readStream calls fn for every event of an SSE stream until it ends.
func readStream(r io.Reader, fn func(name, data string)) {
	buf := make([]byte, 64<<10)
	var pending, name, data string
	for {
		n, err := r.Read(buf)
		pending += string(buf[:n])
		for {
			i := strings.Index(pending, "\n")
			if i < 0 {
				break
			}
			line := pending[:i]
			pending = pending[i+1:]
			switch {
			case line == "":
				if name != "" {
					fn(name, data)
				}
				name, data = "", ""
			case strings.HasPrefix(line, "event: "):
				name = line[len("event: "):]
			case strings.HasPrefix(line, "data: "):
				data += line[len("data: "):]
			}
		}
		if err != nil {
			return
		}
	}
}

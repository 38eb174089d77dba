package web_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// Webhook ingestion benchmarks, end to end over HTTP on loopback.
//
//	go test -run '^$' -bench Webhook -benchtime 6000x ./internal/web/
//	RINGDESK_TEST_POSTGRES=postgres://... go test -run '^$' -bench Webhook ./internal/web/
//
// Each call is three notifications (incoming, conversation, finished) with
// the real seed bodies (the call_finished one is 2.7 KB with 65 keys); every
// call is new, and contacts repeat across 5,000 numbers, so the write set is
// the full one: raw event, call, client lookup or creation, ticket, timeline.
// "bare" is a net/http handler that only reads the body, measured in the
// same run as the ceiling; Ringdesk's figures are reported as a ratio to it.

const benchConcurrency = 32

// benchBodies returns the three bodies of call n, with token tok.
func benchBodies(b testing.TB, tok string, n int) [3]captured {
	b.Helper()
	kinds := [3]string{"incoming_call_started", "conversation_started", "call_finished"}
	var out [3]captured
	session := strconv.Itoa(6_000_000_000 + n)
	contact := fmt.Sprintf("7916%07d", n%5000)
	for i, k := range kinds {
		out[i] = captured{kind: k, body: strings.NewReplacer("3960098281", session, "79261234567", contact).Replace(benchFixture(b, k, tok))}
	}
	return out
}

var fixtures sync.Map

func benchFixture(b testing.TB, kind, tok string) string {
	if v, ok := fixtures.Load(kind + tok); ok {
		return v.(string)
	}
	raw, err := os.ReadFile(filepath.Join("..", "uis", "testdata", kind+".json"))
	if err != nil {
		b.Fatal(err)
	}
	s := string(raw)
	i := strings.Index(s, `"ud_channel_token":"`) + len(`"ud_channel_token":"`)
	j := strings.Index(s[i:], `"`)
	s = s[:i] + tok + s[i+j:]
	fixtures.Store(kind+tok, s)
	return s
}

// result of one load run.
type loadResult struct {
	events  int
	elapsed time.Duration
	lat     []time.Duration
}

func (r loadResult) rate() float64 { return float64(r.events) / r.elapsed.Seconds() }

func (r loadResult) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	sort.Slice(r.lat, func(i, j int) bool { return r.lat[i] < r.lat[j] })
	return r.lat[min(len(r.lat)-1, int(float64(len(r.lat))*p))]
}

// drive sends calls*3 events to base with benchConcurrency workers, for
// the calls numbered from first on; if perSecond > 0 calls are started at
// that event rate (open loop).
func drive(b *testing.B, base, tok string, calls int, perSecond float64, first int) loadResult {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchConcurrency, DialContext: (&net.Dialer{}).DialContext}}
	var next atomic.Int64
	var failed atomic.Int64
	lats := make([][]time.Duration, benchConcurrency)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range benchConcurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := int(next.Add(1)) - 1
				if n >= calls {
					return
				}
				if perSecond > 0 {
					due := start.Add(time.Duration(float64(n*3) / perSecond * float64(time.Second)))
					time.Sleep(time.Until(due))
				}
				for _, e := range benchBodies(b, tok, first+n) {
					t0 := time.Now()
					res, err := client.Post(base+"/telephony/uis/webhook/"+e.kind+"/", "application/json", strings.NewReader(e.body))
					if err != nil {
						failed.Add(1)
						continue
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != 200 {
						failed.Add(1)
					}
					lats[w] = append(lats[w], time.Since(t0))
				}
			}
		}()
	}
	wg.Wait()
	r := loadResult{events: calls * 3, elapsed: time.Since(start)}
	for _, l := range lats {
		r.lat = append(r.lat, l...)
	}
	if f := failed.Load(); f > 0 {
		b.Fatalf("%d of %d requests failed", f, r.events)
	}
	return r
}

func bareServer(b *testing.B) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Write([]byte(`{"ok":true}`))
	}))
	b.Cleanup(srv.Close)
	return srv.URL
}

// BenchmarkWebhookIngest measures sustained throughput with 32 concurrent
// senders; b.N is the number of calls (3 events each).
func BenchmarkWebhookIngest(b *testing.B) {
	a := apptest.New(b)
	tel := apptest.NewTelephony(b, a)
	calls := max(b.N, 300)
	bare := drive(b, bareServer(b), tel.Token, calls, 0, 0)
	b.ResetTimer()
	rd := drive(b, a.URL, tel.Token, calls, 0, 0)
	b.StopTimer()
	b.ReportMetric(rd.rate(), "events/s")
	b.ReportMetric(bare.rate(), "bare_events/s")
	b.ReportMetric(rd.rate()/bare.rate(), "ratio")
	b.ReportMetric(float64(rd.pct(0.5).Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(rd.pct(0.99).Microseconds())/1000, "p99_ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkWebhookAt500 sends events at a steady 500 per second (open loop)
// and reports latency; b.N is the number of calls.
func BenchmarkWebhookAt500(b *testing.B) {
	a := apptest.New(b)
	tel := apptest.NewTelephony(b, a)
	calls := max(b.N, 300)
	b.ResetTimer()
	rd := drive(b, a.URL, tel.Token, calls, 500, 0)
	b.StopTimer()
	b.ReportMetric(rd.rate(), "events/s")
	b.ReportMetric(float64(rd.pct(0.5).Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(rd.pct(0.99).Microseconds())/1000, "p99_ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkWebhookRouting measures what call routing costs a webhook: 50
// agents in 5 groups keep the live stream open while events arrive at a
// steady 300 per second, alternately without routing rules and with a
// channel routing every call (6 rules and a default group, so most calls
// fall through every rule), four rounds each way in one run. b.N is the
// number of calls per round.
//
//	go test -run '^$' -bench WebhookRouting -benchtime 400x ./internal/web/
func BenchmarkWebhookRouting(b *testing.B) {
	a := apptest.New(b)
	tel := apptest.NewTelephony(b, a)
	ctx := b.Context()
	var groups []int64
	for g := range 5 {
		var members []int64
		for i := range 10 {
			ag := a.CreateAgent(b, ringdesk.AgentCreate{Email: fmt.Sprintf("bench-%d-%d@example.com", g, i), Role: ringdesk.RoleAgent})
			members = append(members, ag.ID)
			s := a.Login(b, ag.Email, "agent-password-1").Stream(b, "/live")
			go func() { // read every event, as a browser does
				for {
					if _, ok := s.Next("", time.Hour); !ok {
						return
					}
				}
			}()
		}
		grp, err := a.Desk.CreateGroup(ctx, ringdesk.System, ringdesk.GroupInput{Name: ptrTo(fmt.Sprintf("Bench %d", g)), AgentIDs: &members})
		if err != nil {
			b.Fatal(err)
		}
		groups = append(groups, grp.ID)
	}
	scen := int64(424242)
	routed := tel.Channel.UIS
	routed.RoutingRules = []ringdesk.RoutingRule{
		{VirtualPhoneNumber: "74990000001", GroupID: groups[0]}, {VirtualPhoneNumber: "74990000002", GroupID: groups[1]},
		{ScenarioID: &scen, GroupID: groups[2]}, {ScenarioName: "Bench VIP", GroupID: groups[3]},
		{EmployeeID: &scen, GroupID: groups[3]}, {VirtualPhoneNumber: "74990000003", GroupID: groups[4]},
	}
	routed.DefaultGroupID = &groups[1]
	plain := tel.Channel.UIS
	calls := max(b.N, 100)
	var off, on loadResult
	b.ResetTimer()
	for round := range 8 {
		st, into := plain, &off
		if round%2 == 1 {
			st, into = routed, &on
		}
		if _, err := a.Desk.UpdateChannel(ctx, ringdesk.System, tel.Channel.ID, ringdesk.ChannelUpdate{UIS: &st}); err != nil {
			b.Fatal(err)
		}
		r := drive(b, a.URL, tel.Token, calls, 300, round*calls)
		into.events += r.events
		into.elapsed += r.elapsed
		into.lat = append(into.lat, r.lat...)
	}
	b.StopTimer()
	b.ReportMetric(float64(off.pct(0.5).Microseconds())/1000, "p50_ms_plain")
	b.ReportMetric(float64(on.pct(0.5).Microseconds())/1000, "p50_ms_routed")
	b.ReportMetric(float64(off.pct(0.99).Microseconds())/1000, "p99_ms_plain")
	b.ReportMetric(float64(on.pct(0.99).Microseconds())/1000, "p99_ms_routed")
	b.ReportMetric(float64(on.pct(0.5))/float64(off.pct(0.5)), "p50_ratio")
	b.ReportMetric(0, "ns/op")
}

func ptrTo[T any](v T) *T { return &v }

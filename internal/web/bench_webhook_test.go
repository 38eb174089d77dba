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
)

// Webhook ingestion benchmarks, end to end over HTTP on loopback.
//
//	go test -run x -bench Webhook -benchtime 6000x ./internal/web/
//	RINGDESK_TEST_POSTGRES=postgres://... go test -run x -bench Webhook ./internal/web/
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

// drive sends calls*3 events to base with benchConcurrency workers; if
// perSecond > 0 calls are started at that event rate (open loop).
func drive(b *testing.B, base, tok string, calls int, perSecond float64) loadResult {
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
				for _, e := range benchBodies(b, tok, n) {
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
	bare := drive(b, bareServer(b), tel.Token, calls, 0)
	b.ResetTimer()
	rd := drive(b, a.URL, tel.Token, calls, 0)
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
	rd := drive(b, a.URL, tel.Token, calls, 500)
	b.StopTimer()
	b.ReportMetric(rd.rate(), "events/s")
	b.ReportMetric(float64(rd.pct(0.5).Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(rd.pct(0.99).Microseconds())/1000, "p99_ms")
	b.ReportMetric(0, "ns/op")
}

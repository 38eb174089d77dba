package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// BenchmarkWallboardLatency: a wallboard's live update after a webhook. A
// supervisor's wallboard stream (/wallboard/live) is open; each call's
// incoming_call_started webhook is sent, and the benchmark times (1) the
// board event on the stream and (2) the board read after it
// (/wallboard/data, what the page does on the event) showing the call
// ringing, both from the moment the webhook was sent; then the call is
// finished (missed) and the next one starts, so one call rings at a time.
// b.N is the number of calls. The target is 50 ms.
//
//	go test -run '^$' -bench WallboardLatency -benchtime 200x ./internal/web/
func BenchmarkWallboardLatency(b *testing.B) {
	a := apptest.New(b)
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
	a.CreateAgent(b, ringdesk.AgentCreate{Email: "board@example.com", Role: ringdesk.RoleSupervisor})
	c := a.Login(b, "board@example.com", "agent-password-1")
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	req, err := http.NewRequestWithContext(sctx, http.MethodGet, a.URL+"/wallboard/live", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	hc := *c.Client
	hc.Timeout = 0
	res, err := hc.Do(req)
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("/wallboard/live: %v %v", res, err)
	}
	events := make(chan time.Time, 1024)
	go func() {
		defer res.Body.Close()
		readStream(res.Body, func(name, _ string) {
			if name == "board" {
				events <- time.Now()
			}
		})
	}()
	client := &http.Client{Timeout: 30 * time.Second}
	post := func(kind string, n int) error {
		// The call happens now (the board shows calls ringing now), in
		// the channel's zone as UIS writes times.
		now := time.Now().In(ch.UIS.Location())
		at := func(d time.Duration) string { return now.Add(d).Format("2006-01-02 15:04:05.000") }
		body := strings.NewReplacer("3960098281", fmt.Sprint(8_000_000_000+n), "79261234567", fmt.Sprintf("7918%07d", n),
			"2026-03-02 10:15:02.987654", at(-time.Second), "2026-03-02 10:15:03.123", at(0),
			"2026-03-02 10:15:21.400", at(-time.Second), "2026-03-02 10:18:25.004", at(0), "2026-03-02 10:18:25.311", at(0)).
			Replace(benchFixture(b, kind, tok))
		res, err := client.Post(a.URL+"/telephony/uis/webhook/"+kind+"/", "application/json", strings.NewReader(body))
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			return fmt.Errorf("%s: %d", kind, res.StatusCode)
		}
		return nil
	}
	ringing := func() int {
		var v struct {
			Ringing int `json:"ringing"`
		}
		c.Do(b, http.MethodGet, "/wallboard/data", nil, http.Header{"Accept": {"application/json"}}).JSON(b, &v)
		return v.Ringing
	}
	drain := func() {
		for {
			select {
			case <-events:
			case <-time.After(50 * time.Millisecond):
				return
			}
		}
	}
	var toEvent, toBoard []time.Duration
	b.ResetTimer()
	for n := range b.N {
		drain()
		t0 := time.Now()
		sent := make(chan error, 1)
		go func() { sent <- post("incoming_call_started", n) }()
		// The first board event after which the board shows the call (an
		// event of the previous call may still be on its way).
		for shown := false; !shown; {
			select {
			case at := <-events:
				if shown = ringing() == 1; shown {
					toEvent = append(toEvent, at.Sub(t0))
				}
			case <-time.After(30 * time.Second):
				b.Fatalf("call %d: the board never showed it", n)
			}
		}
		toBoard = append(toBoard, time.Since(t0))
		if err := <-sent; err != nil {
			b.Fatal(err)
		}
		if err := post("call_finished", n); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	for _, m := range []struct {
		name string
		v    []time.Duration
	}{{"event", toEvent}, {"board", toBoard}} {
		slices.Sort(m.v)
		b.ReportMetric(float64(m.v[len(m.v)/2].Microseconds())/1000, m.name+"-p50-ms")
		b.ReportMetric(float64(m.v[min(len(m.v)-1, len(m.v)*95/100)].Microseconds())/1000, m.name+"-p95-ms")
	}
	b.ReportMetric(0, "ns/op")
}

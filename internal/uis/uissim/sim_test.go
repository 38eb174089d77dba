package uissim

import (
	"context"
	"net/http"
	"runtime"
	"testing"
	"time"
)

// TestCloseStopsEverything starts long calls, a load run and a server, closes the simulator
// and checks no goroutine is left behind.
func TestCloseStopsEverything(t *testing.T) {
	before := runtime.NumGoroutine()
	rv := newReceiver(t)
	sim, err := New(Config{TimeScale: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	sim.SetNotifications(SeedNotifications(rv.srv.URL, "tok"))
	if _, err := sim.Start(context.Background(), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := sim.StartCall(context.Background(), CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567", TalkSeconds: 3600}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sim.StartLoad(LoadSpec{Rate: 10, Duration: Duration(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	sim.Close()
	sim.Close() // idempotent
	if _, err := sim.StartCall(context.Background(), CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567"}); err == nil {
		t.Errorf("StartCall after Close succeeded")
	}
	rv.srv.Close()
	// Idle keep-alive connections of the default transport hold goroutines of their own.
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Close, %d before", n, before)
	}
}

func TestClearLogsAndTimestampMillis(t *testing.T) {
	t.Parallel()
	sim, url, rv := seedSim(t, func(c *Config) {
		c.Account = DefaultAccount()
		c.Account.Behaviour.TimestampMillis = true
		c.Account.Behaviour.Mnemonics = map[EventType]string{EventCallFinished: "custom_finished"}
	})
	rpcCall(t, url+"/v4.0", "list.calls", map[string]any{"access_token": DefaultAPIKey})
	startAnswered(t, sim)
	waitIdle(t, sim)
	fin := rv.decoded(t, EventCallFinished)[0]
	if ts := num(t, fin["notification_timestamp"]); ts < 1e12 {
		t.Errorf("notification_timestamp = %d, want milliseconds", ts)
	}
	if fin["notification_mnemonic"] != "custom_finished" {
		t.Errorf("mnemonic = %v, want custom_finished", fin["notification_mnemonic"])
	}
	if len(sim.Deliveries(0)) == 0 || len(sim.Requests()) == 0 {
		t.Fatal("logs empty before ClearLogs")
	}
	sim.ClearLogs()
	if len(sim.Deliveries(0)) != 0 || len(sim.Requests()) != 0 {
		t.Errorf("logs not cleared")
	}
	rpcCall(t, url+"/v4.0", "list.calls", map[string]any{"access_token": DefaultAPIKey})
	if r := sim.Requests(); len(r) != 1 || r[0].Seq != 2 {
		t.Errorf("requests after clear = %+v, want one with seq 2", r)
	}
}

func TestLoadAccountExample(t *testing.T) {
	t.Parallel()
	a, err := LoadAccount("testdata/account.example.json")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := New(Config{Account: a})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	if got := len(sim.Notifications()); got != 5 {
		t.Errorf("notifications = %d, want 5", got)
	}
	if got := sim.Account().Behaviour.Mnemonics[EventConversationStarted]; got != "call_connected" {
		t.Errorf("mnemonic = %q", got)
	}
}

func TestMaxCallsPrunesOldest(t *testing.T) {
	t.Parallel()
	sim, _ := newSim(t, func(c *Config) { c.MaxCalls = 3 })
	var ids []int64
	for i := 0; i < 5; i++ {
		ids = append(ids, startAnswered(t, sim))
		waitIdle(t, sim)
	}
	calls := sim.Calls()
	if len(calls) != 3 || calls[0].CallSessionID != ids[2] {
		t.Fatalf("kept %d calls starting at %d, want 3 starting at %d", len(calls), calls[0].CallSessionID, ids[2])
	}
	if _, ok := sim.Call(ids[0]); ok {
		t.Errorf("oldest call still known")
	}
}

package uissim

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"
)

func startAnswered(t *testing.T, sim *Simulator) int64 {
	t.Helper()
	id, err := sim.StartCall(context.Background(), CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func statuses(ds []Delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, string(d.Event)+":"+d.Status)
	}
	return out
}

func TestDeliveryRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		retries int
		status  func(n int) int
		want    []string
	}{
		{"fails twice then ok", 3, func(n int) int { return map[bool]int{true: 500, false: 200}[n <= 2] },
			[]string{"incoming_call_started:retrying", "incoming_call_started:retrying", "incoming_call_started:delivered"}},
		{"always failing gives up after 3 retries", 3, func(int) int { return 503 },
			[]string{"incoming_call_started:retrying", "incoming_call_started:retrying", "incoming_call_started:retrying", "incoming_call_started:failed"}},
		{"no retries by default", 0, func(int) int { return 500 }, []string{"incoming_call_started:failed"}},
		{"no retries", -1, func(int) int { return 404 }, []string{"incoming_call_started:failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rv := newReceiver(t)
			rv.status = tt.status
			sim, _ := newSim(t, func(c *Config) { c.Delivery.Retries = tt.retries })
			sim.SetNotifications([]Notification{{Event: EventIncomingCallStarted, URL: rv.srv.URL + "/in", Body: `{"id":{{call_session_id}}}`}})
			id := startAnswered(t, sim)
			waitIdle(t, sim)
			ds := sim.Deliveries(id)
			if got := statuses(ds); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("deliveries = %v, want %v", got, tt.want)
			}
			for i, d := range ds {
				if d.Attempt != i+1 || d.CallSessionID != id || d.URL != rv.srv.URL+"/in" || d.Body == "" || d.Time.IsZero() {
					t.Errorf("attempt %d logged as %+v", i+1, d)
				}
				if d.Status != StatusDelivered && (d.StatusCode == 200 || d.Error == "") {
					t.Errorf("failed attempt without status/error: %+v", d)
				}
			}
			if got := len(rv.all()); got != len(tt.want) {
				t.Errorf("receiver got %d requests, want %d", got, len(tt.want))
			}
		})
	}
}

func TestDeliveryTimeout(t *testing.T) {
	t.Parallel()
	rv := newReceiver(t)
	rv.delay = 200 * time.Millisecond
	sim, _ := newSim(t, func(c *Config) {
		c.Delivery.Timeout = 20 * time.Millisecond
		c.Delivery.Retries = 1
	})
	sim.SetNotifications([]Notification{{Event: EventIncomingCallStarted, URL: rv.srv.URL + "/in", Body: `{}`}})
	id := startAnswered(t, sim)
	waitIdle(t, sim)
	ds := sim.Deliveries(id)
	if got, want := statuses(ds), []string{"incoming_call_started:retrying", "incoming_call_started:failed"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("deliveries = %v, want %v", got, want)
	}
	if ds[0].Error == "" || ds[0].StatusCode != 0 {
		t.Errorf("timed-out attempt = %+v, want an error and no status", ds[0])
	}
}

// TestDeliveryOrder checks that a slow receiver does not reorder a call's notifications.
func TestDeliveryOrder(t *testing.T) {
	t.Parallel()
	rv := newReceiver(t)
	rv.delay = 15 * time.Millisecond
	sim, _ := newSim(t, nil)
	sim.SetNotifications(SeedNotifications(rv.srv.URL, "tok"))
	startAnswered(t, sim)
	waitIdle(t, sim)
	if got, want := rv.events(), []string{"incoming_call_started", "conversation_started", "call_finished"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	natural := []string{"incoming_call_started", "conversation_started", "conversation_started", "call_finished"}
	tests := []struct {
		name   string
		faults Faults
		check  func(t *testing.T, got []string, ds []Delivery)
	}{
		{"duplicate count", Faults{Duplicates: 2}, func(t *testing.T, got []string, ds []Delivery) {
			if len(got) != 12 {
				t.Errorf("got %d deliveries, want 12 (each notification 3 times)", len(got))
			}
			dups := 0
			for _, d := range ds {
				if d.Duplicate {
					dups++
				}
			}
			if dups != 8 {
				t.Errorf("%d marked duplicate, want 8", dups)
			}
		}},
		{"duplicate probability 1", Faults{DuplicateProbability: 1}, func(t *testing.T, got []string, _ []Delivery) {
			if len(got) != 8 {
				t.Errorf("got %d deliveries, want 8", len(got))
			}
		}},
		{"drop event", Faults{DropEvents: []EventType{EventConversationStarted}}, func(t *testing.T, got []string, ds []Delivery) {
			if want := []string{"incoming_call_started", "call_finished"}; !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			if n := len(slices.DeleteFunc(ds, func(d Delivery) bool { return d.Status != StatusDropped })); n != 2 {
				t.Errorf("%d dropped in the log, want 2", n)
			}
		}},
		{"drop probability 1", Faults{DropProbability: 1}, func(t *testing.T, got []string, _ []Delivery) {
			if len(got) != 0 {
				t.Errorf("got %v, want nothing", got)
			}
		}},
		{"shuffle", Faults{Shuffle: true}, func(t *testing.T, got []string, _ []Delivery) {
			sorted, want := slices.Clone(got), slices.Clone(natural)
			slices.Sort(sorted)
			slices.Sort(want)
			if !reflect.DeepEqual(sorted, want) {
				t.Errorf("got %v, want a permutation of %v", got, natural)
			}
			if reflect.DeepEqual(got, natural) {
				t.Errorf("order unchanged with seed 42: %v", got)
			}
		}},
		{"delay", Faults{Delay: Duration(40 * time.Millisecond)}, func(t *testing.T, got []string, ds []Delivery) {
			if !reflect.DeepEqual(got, natural) {
				t.Errorf("got %v, want %v", got, natural)
			}
			if span := ds[len(ds)-1].Time.Sub(ds[0].Time); span < 100*time.Millisecond {
				t.Errorf("deliveries spread over %v, want at least 3 extra delays", span)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rv := newReceiver(t)
			sim, _ := newSim(t, nil)
			sim.SetNotifications(SeedNotifications(rv.srv.URL, "tok"))
			if err := sim.SetFaults(tt.faults); err != nil {
				t.Fatal(err)
			}
			id, err := sim.StartCall(context.Background(), CallSpec{Kind: KindIncomingTransfer, ContactNumber: "79261234567"})
			if err != nil {
				t.Fatal(err)
			}
			waitIdle(t, sim)
			tt.check(t, rv.events(), sim.Deliveries(id))
		})
	}
}

func TestFaultsValidation(t *testing.T) {
	t.Parallel()
	sim, _ := newSim(t, nil)
	for _, f := range []Faults{{DropProbability: 2}, {DuplicateProbability: -0.1}, {Duplicates: -1}, {Delay: -1}} {
		if err := sim.SetFaults(f); err == nil {
			t.Errorf("SetFaults(%+v) = nil, want error", f)
		}
	}
}

// TestSeededFaultsReproducible runs the same random faults twice with one seed.
func TestSeededFaultsReproducible(t *testing.T) {
	t.Parallel()
	run := func() []string {
		rv := newReceiver(t)
		sim, _ := newSim(t, func(c *Config) { c.Seed = 7 })
		sim.SetNotifications(SeedNotifications(rv.srv.URL, "tok"))
		sim.SetFaults(Faults{DropProbability: 0.3, DuplicateProbability: 0.3})
		for i := 0; i < 5; i++ {
			sim.StartCall(context.Background(), CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567"})
			waitIdle(t, sim)
		}
		var out []string
		for _, c := range sim.Calls() {
			// Within a call, drops are logged at emit time and attempts at send time, so
			// compare each call's outcomes as a sorted list.
			st := statuses(sim.Deliveries(c.CallSessionID))
			slices.Sort(st)
			out = append(out, st...)
		}
		return out
	}
	if a, b := run(), run(); !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
}

// TestNextBackoff: the wait between retries doubles and stops growing at
// MaxBackoff (none without one).
func TestNextBackoff(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	for _, tt := range []struct{ cur, max, want time.Duration }{
		{50 * ms, 0, 100 * ms},
		{400 * ms, 0, 800 * ms},
		{50 * ms, 100 * ms, 100 * ms},
		{100 * ms, 100 * ms, 100 * ms},
		{600 * ms, time.Second, time.Second},
		{200 * ms, time.Second, 400 * ms},
	} {
		if got := nextBackoff(tt.cur, tt.max); got != tt.want {
			t.Errorf("nextBackoff(%s, %s) = %s, want %s", tt.cur, tt.max, got, tt.want)
		}
	}
}

// TestWaitCall: WaitCall returns once one call's notifications are all
// sent, while another call still rings; WaitIdle waits for both.
func TestWaitCall(t *testing.T) {
	t.Parallel()
	rv := newReceiver(t)
	sim, _ := newSim(t, nil)
	sim.SetNotifications(SeedNotifications(rv.srv.URL, "tok"))
	// A day of ringing: 17 s at testScale, far longer than the test.
	long, err := sim.StartCall(context.Background(), CallSpec{Kind: KindIncomingMissed, ContactNumber: "79261230001", WaitSeconds: 86_400})
	if err != nil {
		t.Fatal(err)
	}
	short := startAnswered(t, sim)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sim.WaitCall(ctx, short); err != nil {
		t.Fatalf("WaitCall: %v", err)
	}
	if got, want := statuses(sim.Deliveries(short)), []string{"incoming_call_started:delivered", "conversation_started:delivered", "call_finished:delivered"}; !reflect.DeepEqual(got, want) {
		t.Errorf("deliveries of the short call = %v, want %v", got, want)
	}
	if c, _ := sim.Call(long); c.State == "finished" {
		t.Fatalf("the long call finished: %+v", c)
	}
	idle, cancelIdle := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancelIdle()
	if err := sim.WaitIdle(idle); err == nil {
		t.Error("WaitIdle returned while a call rings")
	}
	if err := sim.WaitCall(ctx, 999); err != nil {
		t.Errorf("WaitCall of an unknown call: %v", err)
	}
}

package uissim

import (
	"testing"
	"time"
)

func TestLoadBounded(t *testing.T) {
	// Serial: it counts the calls started within 150 ms.
	sim, _, rv := seedSim(t, nil)
	if err := sim.StartLoad(LoadSpec{Rate: 200, Duration: Duration(150 * time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
	if err := sim.StartLoad(LoadSpec{Rate: 1, Duration: Duration(time.Second)}); err == nil {
		t.Errorf("second concurrent load started, want an error")
	}
	select {
	case <-sim.LoadDone():
	case <-time.After(5 * time.Second):
		t.Fatal("load did not stop by itself")
	}
	waitIdle(t, sim)
	calls := sim.Calls()
	if n := len(calls); n < 5 || n > 40 {
		t.Fatalf("load started %d calls in 150ms at 200/s, want about 30", n)
	}
	kinds := map[ScenarioKind]int{}
	for _, c := range calls {
		kinds[c.Kind]++
		if c.State != "finished" {
			t.Errorf("call %d still %s", c.CallSessionID, c.State)
		}
	}
	if len(kinds) < 2 {
		t.Errorf("kinds = %v, want a mix", kinds)
	}
	fin := rv.decoded(t, EventCallFinished)
	if len(fin) != len(calls) {
		t.Errorf("%d call_finished for %d calls", len(fin), len(calls))
	}
	for _, b := range fin {
		if s, _ := b["contact_phone_number"].(string); len(s) != 11 || s[:2] != "79" {
			t.Errorf("contact number %q, want +7 9xx mobile", s)
		}
	}
	time.Sleep(20 * time.Millisecond)
	if n := len(sim.Calls()); n != len(calls) {
		t.Errorf("calls kept coming after the load ended: %d -> %d", len(calls), n)
	}
}

func TestLoadStopViaControl(t *testing.T) {
	t.Parallel()
	sim, url := newSim(t, nil)
	if code := ctl(t, "POST", url+"/sim/v1/load", map[string]any{"rate": 100, "duration": "1h"}, nil); code != 202 {
		t.Fatalf("start load = %d", code)
	}
	time.Sleep(50 * time.Millisecond)
	var out struct {
		CallsStarted int `json:"calls_started"`
	}
	if code := ctl(t, "POST", url+"/sim/v1/load", map[string]any{"action": "stop"}, &out); code != 200 || out.CallsStarted == 0 {
		t.Fatalf("stop load = %d %+v", code, out)
	}
	waitIdle(t, sim)
	n := len(sim.Calls())
	time.Sleep(30 * time.Millisecond)
	if m := len(sim.Calls()); m != n {
		t.Errorf("calls after stop: %d -> %d", n, m)
	}
}

// TestLoadGivesCallsToFreeEmployees: generated calls go only to employees
// who are not on a call; with everyone busy, incoming calls are missed.
func TestLoadGivesCallsToFreeEmployees(t *testing.T) {
	t.Parallel()
	clock := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	sim, _ := newSim(t, func(c *Config) { c.Now = func() time.Time { return clock } })
	busy := map[int64]bool{}
	for i := 0; i < 200; i++ {
		sim.mu.Lock()
		spec := sim.randomSpecLocked(0)
		sim.mu.Unlock()
		for _, id := range spec.EmployeeIDs {
			if busy[id] {
				t.Fatalf("call %d (%s) goes to employee %d, who is already on a call", i, spec.Kind, id)
			}
			busy[id] = true
		}
	}
	if len(busy) != len(sim.Account().Employees) {
		t.Errorf("%d of %d employees got calls", len(busy), len(sim.Account().Employees))
	}
	// Once the calls are over, employees are free again.
	clock = clock.Add(24 * time.Hour)
	sim.mu.Lock()
	defer sim.mu.Unlock()
	for i := 0; i < 50; i++ {
		if spec := sim.randomSpecLocked(0); len(spec.EmployeeIDs) > 0 {
			return
		}
	}
	t.Error("no employee took a call after every call had ended")
}

// TestLoadCalls: a load run with Calls stops after that many calls.
func TestLoadCalls(t *testing.T) {
	t.Parallel()
	sim, _, _ := seedSim(t, nil)
	if err := sim.StartLoad(LoadSpec{Rate: 200, Duration: Duration(10 * time.Second), Calls: 7}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-sim.LoadDone():
	case <-time.After(5 * time.Second):
		t.Fatal("load did not stop after its calls")
	}
	waitIdle(t, sim)
	if n := len(sim.Calls()); n != 7 {
		t.Fatalf("%d calls, want 7", n)
	}
	if err := sim.StartLoad(LoadSpec{Rate: 1, Duration: Duration(time.Second), Calls: -1}); err == nil {
		t.Errorf("negative calls accepted")
	}
}

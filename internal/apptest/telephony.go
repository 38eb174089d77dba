package apptest

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// Telephony is a test app wired to a UIS simulator over real HTTP: a UIS
// channel whose API URLs point at the simulator, a channel token, the
// simulator's notifications pointing at the app, and one agent per UIS
// employee with the employee id as Operator ID.
type Telephony struct {
	App     *App
	Sim     *uissim.Simulator
	SimURL  string
	Channel *ringdesk.Channel
	Token   string
	// Agents maps UIS employee ids to their agents.
	Agents map[int64]*ringdesk.Agent
}

// SimOption changes the simulator's configuration.
type SimOption func(*uissim.Config)

// NewTelephony starts a simulator (100x... 1000x faster than real time) and
// wires it to a.
func NewTelephony(tb testing.TB, a *App, opts ...SimOption) *Telephony {
	tb.Helper()
	cfg := uissim.Config{TimeScale: 0.001, Seed: 42, Delivery: uissim.DeliveryConfig{Retries: 5, Backoff: 20 * time.Millisecond, Timeout: 10 * time.Second}}
	for _, o := range opts {
		o(&cfg)
	}
	sim, err := uissim.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	simURL, err := sim.Start(ctx, "127.0.0.1:0")
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cancel(); sim.Close() })
	u, _ := url.Parse(simURL)
	ch, err := a.Desk.CreateChannel(ctx, ringdesk.System, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeUIS, Name: "UIS test",
		AppSecret: uissim.DefaultAPIKey, UIS: ringdesk.UISSettings{CallAPIURL: simURL + "/v4.0", DataAPIURL: simURL + "/v2.0",
			VirtualPhoneNumber: "74951234567", RecordingHosts: []string{u.Host}}})
	if err != nil {
		tb.Fatal(err)
	}
	token, _, err := a.Desk.CreateChannelToken(ctx, ringdesk.System, ch.ID, "simulator")
	if err != nil {
		tb.Fatal(err)
	}
	if err := sim.SetNotifications(uissim.SeedNotifications(a.URL, token)); err != nil {
		tb.Fatal(err)
	}
	t := &Telephony{App: a, Sim: sim, SimURL: simURL, Channel: ch, Token: token, Agents: map[int64]*ringdesk.Agent{}}
	for _, e := range sim.Account().Employees {
		id := e.ID
		t.Agents[id] = a.CreateAgent(tb, ringdesk.AgentCreate{Name: e.FullName(), Email: e.Email, Role: ringdesk.RoleAgent, OperatorID: &id})
	}
	return t
}

// Call runs a scenario to the end and waits until every notification was
// delivered (or given up), then returns the call Ringdesk made of it.
func (t *Telephony) Call(tb testing.TB, spec uissim.CallSpec) *ringdesk.Call {
	tb.Helper()
	id := t.Start(tb, spec)
	t.Wait(tb)
	c, err := t.App.DB.CallBySession(context.Background(), t.Channel.ID, id)
	if err != nil {
		tb.Fatalf("apptest: call %d not in Ringdesk: %v; deliveries: %+v", id, err, t.Sim.Deliveries(id))
	}
	return c
}

// CallOnly is Call that waits for this call's notifications only, not for
// the other calls in progress: a test with a call that rings for the whole
// test (tens of seconds of real time) uses it for the calls it makes
// meanwhile, where Call would wait for the ringing call to end.
func (t *Telephony) CallOnly(tb testing.TB, spec uissim.CallSpec) *ringdesk.Call {
	tb.Helper()
	id := t.Start(tb, spec)
	t.WaitCall(tb, id)
	c, err := t.App.DB.CallBySession(context.Background(), t.Channel.ID, id)
	if err != nil {
		tb.Fatalf("apptest: call %d not in Ringdesk: %v; deliveries: %+v", id, err, t.Sim.Deliveries(id))
	}
	return c
}

// WaitCall blocks until the call id has finished and every one of its
// notifications was delivered (or given up).
func (t *Telephony) WaitCall(tb testing.TB, id int64) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := t.Sim.WaitCall(ctx, id); err != nil {
		tb.Fatalf("apptest: call %d not over: %v", id, err)
	}
}

// Start begins a scenario and returns its call_session_id.
func (t *Telephony) Start(tb testing.TB, spec uissim.CallSpec) int64 {
	tb.Helper()
	id, err := t.Sim.StartCall(context.Background(), spec)
	if err != nil {
		tb.Fatalf("apptest: start call: %v", err)
	}
	return id
}

// Wait blocks until the simulator has nothing left to deliver.
func (t *Telephony) Wait(tb testing.TB) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := t.Sim.WaitIdle(ctx); err != nil {
		tb.Fatalf("apptest: simulator not idle: %v", err)
	}
}

package web_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

const testMetricsToken = "metrics-token-0123456789"

func withMetrics(cfg *app.Config, o *app.Options) { cfg.MetricsToken = testMetricsToken }

// scrape reads /metrics with the token and returns each sample line's value
// by its series text (name{labels}).
func scrape(t *testing.T, base string) map[string]float64 {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+testMetricsToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET /metrics with the token: %d", res.StatusCode)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, line := range strings.Split(string(body), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("unparseable sample %q", line)
		}
		out[line[:i]] = v
	}
	return out
}

// TestMetricsAuth: /metrics is off without a token, and with one it needs
// that exact bearer token.
func TestMetricsAuth(t *testing.T) {
	t.Parallel()
	off := apptest.New(t)
	if res := off.Anon(t).Get(t, "/metrics"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("/metrics without --metrics-token: %d, want 404", res.StatusCode)
	}
	a := apptest.New(t, withMetrics)
	for _, h := range []string{"", "Bearer", "Bearer wrong-token-0123456789", "Basic " + testMetricsToken, "Bearer " + testMetricsToken + "x"} {
		res := a.Anon(t).Do(t, "GET", "/metrics", nil, http.Header{"Authorization": {h}})
		if res.StatusCode != http.StatusUnauthorized || strings.Contains(res.Body, "ringdesk_") {
			t.Errorf("Authorization %q: %d, want 401 without series", h, res.StatusCode)
		}
	}
	res := a.Anon(t).Do(t, "GET", "/metrics", nil, http.Header{"Authorization": {"Bearer " + testMetricsToken}})
	if res.StatusCode != 200 || !strings.Contains(res.Body, "go_goroutines") || !strings.Contains(res.Body, "process_") {
		t.Fatalf("with the token: %d, Go runtime or process series missing", res.StatusCode)
	}
}

// TestMetricsSeparateListener: --metrics-addr serves /metrics there (with
// the token) and the main listener no longer does.
func TestMetricsSeparateListener(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, withMetrics, func(cfg *app.Config, o *app.Options) { cfg.MetricsAddr = "127.0.0.1:0" })
	if res := a.Anon(t).Do(t, "GET", "/metrics", nil, http.Header{"Authorization": {"Bearer " + testMetricsToken}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("/metrics on the main listener with --metrics-addr: %d, want 404", res.StatusCode)
	}
	m := scrape(t, "http://"+a.MetricsAddr())
	if m["go_goroutines"] == 0 {
		t.Fatal("no go_goroutines on the metrics listener")
	}
	res, err := http.Get("http://" + a.MetricsAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("metrics listener without the token: %d", res.StatusCode)
	}
}

// TestMetricsMove scrapes /metrics, sends calls through the UIS simulator
// (and a bad notification, a reconciliation, a click-to-call, a recording,
// a live page) and checks that the named series move.
func TestMetricsMove(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, withMetrics)
	tel := apptest.NewTelephony(t, a)
	before := scrape(t, a.URL)

	stream := a.Admin(t).Stream(t, "/live")
	defer stream.Close()
	waitFor(t, func() bool { return scrape(t, a.URL)["ringdesk_live_clients"] >= 1 })

	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770301", EmployeeIDs: []int64{ivanov}, TalkSeconds: 4})
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79037770302"})
	// A notification with a valid token that cannot be understood: a dead letter.
	res := a.Anon(t).Do(t, "POST", "/telephony/uis/webhook/call_finished", strings.NewReader(`{"ud_channel_token":"`+tel.Token+`","call_session_id":"x"}`), nil)
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad notification: %d", res.StatusCode)
	}
	// A notification without a valid token: refused.
	a.Anon(t).Do(t, "POST", "/telephony/uis/webhook/call_finished", strings.NewReader(`{"ud_channel_token":"nope"}`), nil)
	if _, err := a.Desk.ReconcileChannel(context.Background(), tel.Channel.ID); err != nil {
		t.Fatal(err)
	}
	api := a.TokenClient(t, tel.Agents[ivanov])
	if res := api.JSON(t, "POST", "/api/v1/calls", map[string]any{"phone": "+79037770303"}); res.StatusCode != http.StatusAccepted {
		t.Fatalf("click-to-call: %d %s", res.StatusCode, res.Body)
	}
	tel.Wait(t)
	rec := a.Admin(t).Get(t, "/calls/"+strconv.FormatInt(c.ID, 10)+"/recordings/1")
	if rec.StatusCode != 200 {
		t.Fatalf("recording: %d", rec.StatusCode)
	}
	waitFor(t, func() bool {
		return scrape(t, a.URL)["ringdesk_live_events_total"] > before["ringdesk_live_events_total"]
	})

	after := scrape(t, a.URL)
	moved := func(series string, by float64) {
		t.Helper()
		if d := after[series] - before[series]; d < by {
			t.Errorf("%s moved by %v, want at least %v", series, d, by)
		}
	}
	moved(`ringdesk_webhooks_total{kind="incoming_call_started",outcome="accepted"}`, 2)
	moved(`ringdesk_webhooks_total{kind="call_finished",outcome="accepted"}`, 2)
	moved(`ringdesk_webhooks_total{kind="call_finished",outcome="dead_letter"}`, 1)
	moved(`ringdesk_webhooks_total{kind="call_finished",outcome="refused"}`, 1)
	moved(`ringdesk_webhook_ingest_seconds_count{kind="call_finished"}`, 4)
	moved(`ringdesk_store_batch_size_count`, 1)
	moved(`ringdesk_dead_letters_total{source="webhook"}`, 1)
	moved(`ringdesk_reconcile_runs_total{outcome="ok"}`, 1)
	moved(`ringdesk_uis_requests_total{method="get.calls_report",mnemonic="",outcome="ok"}`, 1)
	moved(`ringdesk_uis_requests_total{method="start.employee_call",mnemonic="",outcome="ok"}`, 1)
	moved(`ringdesk_uis_request_seconds_count{method="get.account"}`, 1)
	moved(`ringdesk_click_to_call_total{outcome="started"}`, 1)
	moved(`ringdesk_recordings_proxied_total{outcome="ok",source="uis"}`, 1)
	moved(`ringdesk_recordings_proxied_bytes_total`, float64(len(rec.Body)))
	moved(`ringdesk_live_events_total`, 1)
	if after[`ringdesk_webhook_last_accepted_timestamp_seconds`] < float64(time.Now().Add(-time.Minute).Unix()) {
		t.Error("the last accepted webhook's time did not move")
	}
	for _, s := range []string{`go_sql_open_connections{db_name="pool"}`, `go_sql_open_connections{db_name="write"}`} {
		if _, ok := after[s]; ok {
			return
		}
	}
	t.Error("no database pool series (go_sql_*)")
}

// TestMetricsUISKeyRejected: a click-to-call UIS refuses for the key is
// counted with its mnemonic, the series the "UIS key rejected" alert reads.
func TestMetricsUISKeyRejected(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, withMetrics)
	tel := apptest.NewTelephony(t, a)
	if err := tel.Sim.SetFaults(uissim.Faults{MethodErrors: map[string]string{"start.employee_call": "access_token_invalid"}}); err != nil {
		t.Fatal(err)
	}
	api := a.TokenClient(t, tel.Agents[ivanov])
	if res := api.JSON(t, "POST", "/api/v1/calls", map[string]any{"phone": "+79037770304"}); res.StatusCode < 400 {
		t.Fatalf("click-to-call with a rejected key: %d", res.StatusCode)
	}
	m := scrape(t, a.URL)
	if m[`ringdesk_uis_requests_total{method="start.employee_call",mnemonic="access_token_invalid",outcome="uis_error"}`] != 1 {
		t.Errorf("UIS key rejection not counted; series: %v", pick(m, "ringdesk_uis_requests_total"))
	}
	if m[`ringdesk_click_to_call_total{outcome="uis_error"}`] != 1 {
		t.Errorf("click-to-call outcome not counted; series: %v", pick(m, "ringdesk_click_to_call_total"))
	}
}

func pick(m map[string]float64, prefix string) map[string]float64 {
	out := map[string]float64{}
	for k, v := range m {
		if strings.HasPrefix(k, prefix) {
			out[k] = v
		}
	}
	return out
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

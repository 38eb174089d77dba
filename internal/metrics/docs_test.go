package metrics_test

import (
	"database/sql"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // a driver for a pool that is never connected

	"github.com/ringdesk/ringdesk/internal/metrics"
)

// liveStub stands for the live broker's counters.
type liveStub struct{}

func (liveStub) Subscribers() int { return 0 }
func (liveStub) Delivered() int64 { return 0 }
func (liveStub) Dropped() int64   { return 0 }

// seriesNames is every series an app's registry can expose, with the
// _bucket/_sum/_count series of its histograms.
func seriesNames(t *testing.T) map[string]bool {
	t.Helper()
	m := metrics.New()
	db, err := sql.Open("pgx", "postgres://127.0.0.1:1/none")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m.WatchDB("pool", db)
	m.WatchLive(liveStub{})
	names, err := m.Names()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			out[n+suffix] = true
		}
	}
	return out
}

var seriesRef = regexp.MustCompile(`\b(?:ringdesk|go|process)_[a-z0-9_]+\b`)

// checkExpr fails for a PromQL expression naming a series the registry
// does not have.
func checkExpr(t *testing.T, where, expr string, known map[string]bool) {
	t.Helper()
	refs := seriesRef.FindAllString(expr, -1)
	if len(refs) == 0 {
		t.Errorf("%s: %q names no Ringdesk series", where, expr)
	}
	for _, r := range refs {
		if !known[r] {
			t.Errorf("%s: %q names %s, which the registry does not have", where, expr, r)
		}
	}
	if strings.Count(expr, "(") != strings.Count(expr, ")") || strings.Count(expr, "{") != strings.Count(expr, "}") || strings.Count(expr, "[") != strings.Count(expr, "]") {
		t.Errorf("%s: %q has unbalanced brackets", where, expr)
	}
}

// TestGrafanaDashboard: docs/grafana-dashboard.json is a dashboard whose
// panels show the series, each query naming series that exist.
func TestGrafanaDashboard(t *testing.T) {
	raw, err := os.ReadFile("../../docs/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Title  string `json:"title"`
		UID    string `json:"uid"`
		Panels []struct {
			ID      int                      `json:"id"`
			Title   string                   `json:"title"`
			Type    string                   `json:"type"`
			GridPos struct{ X, Y, W, H int } `json:"gridPos"`
			Targets []struct {
				Expr  string `json:"expr"`
				RefID string `json:"refId"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("dashboard JSON: %v", err)
	}
	if dash.Title == "" || dash.UID == "" {
		t.Fatal("dashboard without title or uid")
	}
	known := seriesNames(t)
	shown := map[string]bool{}
	ids := map[int]bool{}
	for _, p := range dash.Panels {
		if p.Title == "" || (p.Type != "timeseries" && p.Type != "stat") || len(p.Targets) == 0 || ids[p.ID] {
			t.Errorf("panel %d %q: type %q, %d targets", p.ID, p.Title, p.Type, len(p.Targets))
		}
		ids[p.ID] = true
		if p.GridPos.W <= 0 || p.GridPos.X+p.GridPos.W > 24 || p.GridPos.H <= 0 {
			t.Errorf("panel %q: grid position %+v", p.Title, p.GridPos)
		}
		for _, tg := range p.Targets {
			checkExpr(t, "panel "+p.Title, tg.Expr, known)
			for _, r := range seriesRef.FindAllString(tg.Expr, -1) {
				shown[strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(r, "_bucket"), "_count"), "_sum")] = true
			}
		}
	}
	// The list: every one has a panel.
	for _, s := range []string{"ringdesk_webhooks_total", "ringdesk_webhook_ingest_seconds", "ringdesk_store_batch_size",
		"ringdesk_dead_letters_total", "ringdesk_reconcile_runs_total", "ringdesk_reconcile_repaired_calls_total",
		"ringdesk_uis_requests_total", "ringdesk_uis_request_seconds", "ringdesk_click_to_call_total",
		"ringdesk_recordings_proxied_total", "ringdesk_recordings_archived_total", "ringdesk_recordings_proxied_bytes_total",
		"ringdesk_recordings_archived_bytes_total", "ringdesk_live_clients", "ringdesk_live_events_total", "ringdesk_live_drops_total",
		"go_sql_in_use_connections", "go_goroutines", "ringdesk_job_lease_held"} {
		if !shown[s] {
			t.Errorf("no panel shows %s", s)
		}
	}
}

// TestAlertRules: docs/alerts.yml (JSON, which is YAML) is a Prometheus
// rules file with the alerts, each naming series that exist.
func TestAlertRules(t *testing.T) {
	raw, err := os.ReadFile("../../docs/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var body []string
	for _, line := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			body = append(body, line)
		}
	}
	var rules struct {
		Groups []struct {
			Name  string `json:"name"`
			Rules []struct {
				Alert       string            `json:"alert"`
				Expr        string            `json:"expr"`
				For         string            `json:"for"`
				Labels      map[string]string `json:"labels"`
				Annotations map[string]string `json:"annotations"`
			} `json:"rules"`
		} `json:"groups"`
	}
	dec := json.NewDecoder(strings.NewReader(strings.Join(body, "\n")))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rules); err != nil {
		t.Fatalf("alerts.yml: %v", err)
	}
	known := seriesNames(t)
	var names []string
	for _, g := range rules.Groups {
		if g.Name == "" {
			t.Error("a rule group without a name")
		}
		for _, r := range g.Rules {
			names = append(names, r.Alert)
			checkExpr(t, "alert "+r.Alert, r.Expr, known)
			if _, err := time.ParseDuration(r.For); err != nil {
				t.Errorf("alert %s: for %q: %v", r.Alert, r.For, err)
			}
			if r.Labels["severity"] != "warning" && r.Labels["severity"] != "critical" {
				t.Errorf("alert %s: severity %q", r.Alert, r.Labels["severity"])
			}
			if r.Annotations["summary"] == "" || r.Annotations["description"] == "" {
				t.Errorf("alert %s: summary and description wanted", r.Alert)
			}
		}
	}
	for _, want := range []string{"RingdeskWebhookFeedStalled", "RingdeskDeadLettersRising", "RingdeskUISKeyRejected", "RingdeskReconciliationRepairingMany"} {
		if !slices.Contains(names, want) {
			t.Errorf("alert %s missing; have %v", want, names)
		}
	}
}

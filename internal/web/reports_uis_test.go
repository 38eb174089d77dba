package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// uisCallBacks is the UIS part of the report's "callbacks".
type uisCallBacks struct {
	Missed           int    `json:"missed"`
	MedianSeconds    *int64 `json:"median_seconds"`
	UISReported      int    `json:"uis_reported"`
	UISMedianSeconds *int64 `json:"uis_median_seconds"`
	UISP90Seconds    *int64 `json:"uis_p90_seconds"`
}

// simClock is a simulated UIS clock the test moves on: call times, and so
// the delay of a call back, are known to the second.
type simClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *simClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *simClock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// uisReportSetup is an app wired to a simulator on a clock half an hour
// back (inside reconciliation's first window), with the UIS account's
// lost_call_processing behaviour, and a supervisor's API and browser.
func uisReportSetup(t *testing.T, lostField string) (*apptest.App, *apptest.Telephony, *simClock, *apptest.Client, *apptest.Client) {
	t.Helper()
	a := apptest.New(t)
	clock := &simClock{now: time.Now().Add(-30 * time.Minute).Truncate(time.Second)}
	tel := apptest.NewTelephony(t, a, func(c *uissim.Config) { c.Now = clock.Now })
	b := tel.Sim.Behaviour()
	b.LostCallProcessing = lostField
	if err := tel.Sim.SetBehaviour(b); err != nil {
		t.Fatal(err)
	}
	sup := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Lead", Email: "lead@example.com", Role: ringdesk.RoleSupervisor})
	return a, tel, clock, a.TokenClient(t, sup), a.Login(t, "lead@example.com", "agent-password-1")
}

func uisReport(t *testing.T, api *apptest.Client, q url.Values) uisCallBacks {
	t.Helper()
	res := api.Get(t, "/api/v1/reports/calls?"+q.Encode())
	if res.StatusCode != http.StatusOK {
		t.Fatalf("report: %d %s", res.StatusCode, res.Body)
	}
	var r struct {
		CallBacks uisCallBacks `json:"callbacks"`
	}
	res.JSON(t, &r)
	return r.CallBacks
}

func reconcileOK(t *testing.T, a *apptest.App, tel *apptest.Telephony) *ringdesk.ReconcileState {
	t.Helper()
	st, err := a.Desk.ReconcileChannel(context.Background(), tel.Channel.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != ringdesk.ReconcileOK {
		t.Fatalf("reconciliation: %s %s", st.Status, st.Error)
	}
	return st
}

func todayQuery() url.Values {
	today := time.Now().UTC()
	return url.Values{"from": {today.AddDate(0, 0, -1).Format("2006-01-02")}, "to": {today.AddDate(0, 0, 1).Format("2006-01-02")}, "tz": {"UTC"}}
}

// TestCallReportUISCallBackTime: a missed call (40 s of ringing) called
// back 7 minutes after it started; reconciliation reads UIS's
// lost_call_processing_duration (7 min - 40 s, as the simulator computes
// it) onto the call, which needed no other repair, and the report shows
// it beside our own figure. A second missed call called back later gets
// its time at the next run. The page shows the figure and links to its
// calls.
func TestCallReportUISCallBackTime(t *testing.T) {
	t.Parallel()
	a, tel, clock, api, browser := uisReportSetup(t, uissim.LostProcessingSent)
	q := todayQuery()
	first := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79035550001", WaitSeconds: 40})
	clock.Add(7 * time.Minute)
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindOutgoing, ContactNumber: "79035550001", EmployeeIDs: []int64{ivanov},
		Outcome: uissim.OutcomeAnswered, WaitSeconds: 5, TalkSeconds: 30})
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79035550002", WaitSeconds: 20})
	if cb := uisReport(t, api, q); cb.Missed != 2 || cb.UISReported != 0 || cb.UISMedianSeconds != nil || cb.UISP90Seconds != nil {
		t.Fatalf("before reconciliation: %+v", cb)
	}
	page := browser.Get(t, "/reports?"+q.Encode())
	if !strings.Contains(page.Body, `id="fig-uis_median_seconds"`) || !strings.Contains(page.Body, "no UIS data") {
		t.Errorf("the page without UIS data does not say so:\n%s", figureHTML(page.Body))
	}

	st := reconcileOK(t, a, tel)
	if st.Recovered != 0 || st.Finished != 0 {
		t.Errorf("nothing to repair, yet %+v", st)
	}
	want := int64(7*60 - 40)
	cb := uisReport(t, api, q)
	if cb.Missed != 2 || cb.UISReported != 1 || cb.UISMedianSeconds == nil || *cb.UISMedianSeconds != want ||
		cb.UISP90Seconds == nil || *cb.UISP90Seconds != want {
		t.Fatalf("after reconciliation: %+v, want UIS median and p90 %d s", cb, want)
	}
	if cb.MedianSeconds == nil || *cb.MedianSeconds != want {
		t.Errorf("our own time to call back %v, UIS's %d: the scenario's delay is known to both", cb.MedianSeconds, want)
	}
	page = browser.Get(t, "/reports?"+q.Encode())
	if fig := figureHTML(page.Body); !strings.Contains(fig, "median 6:20, p90 6:20 (1 call)") || !strings.Contains(fig, "metric=uis_reported") {
		t.Errorf("the page's UIS figure:\n%s", fig)
	}
	csv := browser.Get(t, "/reports/calls.csv?table=summary&"+q.Encode())
	for _, line := range []string{"callbacks_uis_reported,1", "callbacks_uis_median_seconds,380", "callbacks_uis_p90_seconds,380"} {
		if !strings.Contains(csv.Body, line+"\r\n") && !strings.Contains(csv.Body, line+"\n") {
			t.Errorf("summary CSV lacks %q:\n%s", line, csv.Body)
		}
	}
	calls := browser.Get(t, "/calls?metric=uis_reported&"+q.Encode())
	if n := strings.Count(calls.Body, `<td class="c-start">`); calls.StatusCode != http.StatusOK || n != 1 {
		t.Errorf("calls behind the UIS figure: %d, %d rows, want 1", calls.StatusCode, n)
	}

	// The second caller is called back later: the next run records it,
	// though that call, too, needs no repair.
	clock.Add(5 * time.Minute)
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79035550002", EmployeeIDs: []int64{petrova},
		WaitSeconds: 3, TalkSeconds: 20})
	reconcileOK(t, a, tel)
	cb = uisReport(t, api, q)
	want2 := int64(5*60 - 20)
	if cb.UISReported != 2 || cb.UISMedianSeconds == nil || *cb.UISMedianSeconds != want2 || cb.UISP90Seconds == nil || *cb.UISP90Seconds != want {
		t.Errorf("after the second call back: %+v, want median %d p90 %d", cb, want2, want)
	}
	// A filter applies to UIS's figure as to ours.
	q.Set("direction", "out")
	if cb := uisReport(t, api, q); cb.UISReported != 0 || cb.UISMedianSeconds != nil {
		t.Errorf("outgoing only: %+v", cb)
	}
	// The report read from the calls (the definition) agrees.
	utc, _ := ringdesk.LoadLocation("UTC")
	today := time.Now().UTC()
	p, err := ringdesk.NewReportPeriod(today.AddDate(0, 0, -1), today.AddDate(0, 0, 1), utc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rolled, err := a.Desk.CallReport(ctx, ringdesk.System, ringdesk.ReportQuery{Period: p})
	if err != nil {
		t.Fatal(err)
	}
	fromCalls, err := a.Desk.CallReportFromCalls(ctx, ringdesk.System, ringdesk.ReportQuery{Period: p})
	if err != nil {
		t.Fatal(err)
	}
	if r, c := rolled.CallBacks, fromCalls.CallBacks; r.UISReported != c.UISReported || *r.UISMedianSeconds != *c.UISMedianSeconds ||
		*r.UISP90Seconds != *c.UISP90Seconds {
		t.Errorf("rollup report %+v, calls report %+v", r, c)
	}
	// The store writes only a change, only to a call it has, never a
	// negative time.
	for _, tc := range []struct {
		session, secs int64
		wrote         bool
		code          string
	}{
		{first.CallSessionID, want, false, ""},
		{first.CallSessionID, want + 1, true, ""},
		{first.CallSessionID, want, true, ""},
		{999999, want, false, ""},
		{first.CallSessionID, -1, false, ringdesk.EINVALID},
	} {
		wrote, err := a.DB.SetCallUISLostSeconds(ctx, tel.Channel.ID, tc.session, tc.secs)
		if wrote != tc.wrote || ringdesk.ErrorCode(err) != tc.code {
			t.Errorf("SetCallUISLostSeconds(%d, %d) = %v, %v; want %v, %q", tc.session, tc.secs, wrote, err, tc.wrote, tc.code)
		}
	}
}

// TestCallReportWithoutUISCallBackTime: an account whose calls report
// leaves lost_call_processing_duration out, or refuses it, is reconciled
// as before (a call whose notifications were lost is still recovered) and
// the report says there is no UIS data.
func TestCallReportWithoutUISCallBackTime(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{uissim.LostProcessingIgnored, uissim.LostProcessingRefused} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			a, tel, clock, api, browser := uisReportSetup(t, mode)
			q := todayQuery()
			tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79035560001", WaitSeconds: 40})
			clock.Add(7 * time.Minute)
			tel.Sim.SetFaults(uissim.Faults{DropProbability: 1})
			tel.Start(t, uissim.CallSpec{Kind: uissim.KindOutgoing, ContactNumber: "79035560001", EmployeeIDs: []int64{ivanov},
				Outcome: uissim.OutcomeAnswered, WaitSeconds: 5, TalkSeconds: 30})
			tel.Wait(t)
			tel.Sim.SetFaults(uissim.Faults{})
			for run := range 2 {
				st := reconcileOK(t, a, tel)
				if run == 0 && st.Recovered != 1 {
					t.Errorf("the call back whose notifications were lost: recovered %d, want 1", st.Recovered)
				}
			}
			cb := uisReport(t, api, q)
			if cb.Missed != 1 || cb.MedianSeconds == nil || cb.UISReported != 0 || cb.UISMedianSeconds != nil || cb.UISP90Seconds != nil {
				t.Errorf("report: %+v", cb)
			}
			if fig := figureHTML(browser.Get(t, "/reports?"+q.Encode()).Body); !strings.Contains(fig, "no UIS data") {
				t.Errorf("the page's UIS figure:\n%s", fig)
			}
		})
	}
}

// figureHTML is the page's UIS figure, for messages and checks.
func figureHTML(body string) string {
	i := strings.Index(body, `id="fig-uis_median_seconds"`)
	if i < 0 {
		return "(no UIS figure)"
	}
	rest := body[i:]
	if j := strings.Index(rest, "</div>"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// reportRequests counts the simulator's get.calls_report requests after
// seq: all of them, and the look-backs among them (asking for the
// look-back's fields only), and returns the last seq seen; filters are the
// look-backs' filters as sent, errors the mnemonics of those UIS refused.
func reportRequests(t *testing.T, sim *uissim.Simulator, seq int64) (all, lookBacks int, last int64, filters, errors []string) {
	t.Helper()
	last = seq
	for _, r := range sim.Requests() {
		if r.Seq <= seq || r.Method != "get.calls_report" {
			continue
		}
		last = max(last, r.Seq)
		all++
		var p struct {
			Fields []string        `json:"fields"`
			Filter json.RawMessage `json:"filter"`
		}
		if err := json.Unmarshal(r.Params, &p); err != nil {
			t.Fatal(err)
		}
		if slices.Equal(p.Fields, uis.LostFields) {
			lookBacks++
			filters = append(filters, string(p.Filter))
			if r.Error != "" {
				errors = append(errors, r.Error)
			}
		}
	}
	return all, lookBacks, last, filters, errors
}

// TestCallReportUISCallBackLookBack: a missed call called back three
// hours later, long after it left reconciliation's window (the runs read
// every half hour, then every minute). The runs before the look-back is
// due again do not see UIS's time to call back; the next look-back
// records it. A look-back costs one request per interval, not per run.
// An account that refuses a filter by is_lost gets the same figure (the
// look-back skips the answered rows itself); one that refuses the field
// still reconciles, without look-backs. A look-back UIS refuses (here:
// an account allowing 12 hours a request) stops, and the runs succeed.
func TestCallReportUISCallBackLookBack(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"sent", "unfilterable", "refused", "failing"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			lost := uissim.LostProcessingSent
			if mode == "refused" {
				lost = uissim.LostProcessingRefused
			}
			a, tel, clock, api, _ := uisReportSetup(t, lost)
			clock.Add(-4 * time.Hour)
			a.Desk.SetClock(clock.Now)
			b := tel.Sim.Behaviour()
			switch mode {
			case "unfilterable":
				b.CallsReportUnfilterable = []string{"is_lost"}
			case "failing":
				b.ReportMaxInterval = uissim.Duration(12 * time.Hour)
			}
			if err := tel.Sim.SetBehaviour(b); err != nil {
				t.Fatal(err)
			}
			q := todayQuery()
			tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79035570001", WaitSeconds: 40})
			// An answered call in the day: the look-back leaves it alone.
			tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79035570002", EmployeeIDs: []int64{petrova},
				WaitSeconds: 3, TalkSeconds: 20})
			var seq int64
			seen := 0
			run := func(wantLookBacks int) {
				t.Helper()
				reconcileOK(t, a, tel)
				all, lb, last, filters, errs := reportRequests(t, tel.Sim, seq)
				own := 1
				if mode == "refused" && seq == 0 {
					own = 2 // refused with the field, then read without it
				}
				seq = last
				if lb != wantLookBacks || all != own+lb {
					t.Errorf("at %s: %d calls report requests, %d of them look-backs; want %d look-backs and %d of the run's own",
						clock.Now().Format(time.TimeOnly), all, lb, wantLookBacks, own)
				}
				var wantErrs []string
				switch {
				case mode == "failing":
					for range lb {
						wantErrs = append(wantErrs, "date_interval_limit_reached")
					}
				case mode == "unfilterable" && seen == 0:
					wantErrs = []string{"filter_prohibited"}
				}
				if !slices.Equal(errs, wantErrs) {
					t.Errorf("look-backs refused: %v, want %v", errs, wantErrs)
				}
				for _, f := range filters {
					// Filtered by is_lost unless the account refused that (its first look-back asked).
					if filtered := strings.Contains(f, `"is_lost"`); filtered != (mode != "unfilterable" || seen == 0) {
						t.Errorf("look-back %d filter %s", seen, f)
					}
					seen++
				}
			}
			lookBack := 1
			switch mode {
			case "unfilterable":
				lookBack = 2 // refused with the filter, then read without it
			case "refused":
				lookBack = 0
			}
			clock.Add(time.Minute)
			run(lookBack)
			if mode == "unfilterable" {
				lookBack = 1
			}
			for range 5 {
				clock.Add(30 * time.Minute)
				run(lookBack)
			}
			clock.Add(26 * time.Minute) // 2:57 after the miss
			run(lookBack)
			clock.Add(3 * time.Minute)
			tel.Call(t, uissim.CallSpec{Kind: uissim.KindOutgoing, ContactNumber: "79035570001", EmployeeIDs: []int64{ivanov},
				Outcome: uissim.OutcomeAnswered, WaitSeconds: 5, TalkSeconds: 30})
			for range 2 {
				clock.Add(time.Minute)
				run(0) // the last look-back was 4 and 5 minutes ago
				if cb := uisReport(t, api, q); cb.Missed != 1 || cb.UISReported != 0 {
					t.Fatalf("before the look-back: %+v", cb)
				}
			}
			clock.Add(8 * time.Minute)
			run(lookBack)
			cb := uisReport(t, api, q)
			if mode == "refused" || mode == "failing" {
				if cb.Missed != 1 || cb.MedianSeconds == nil || cb.UISReported != 0 || cb.UISMedianSeconds != nil {
					t.Errorf("no look-back read: %+v", cb)
				}
				return
			}
			want := int64(3*3600 - 40)
			if cb.Missed != 1 || cb.UISReported != 1 || cb.UISMedianSeconds == nil || *cb.UISMedianSeconds != want {
				t.Fatalf("after the look-back: %+v, want UIS's time to call back %d s", cb, want)
			}
			if cb.MedianSeconds == nil || *cb.MedianSeconds != want {
				t.Errorf("our own time to call back %v, want %d", cb.MedianSeconds, want)
			}
		})
	}
}

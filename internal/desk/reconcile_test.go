package desk_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

const (
	ivanov  = int64(323401) // the simulator's default employees
	petrova = int64(323402)
	smirnov = int64(323403)
)

var allEvents = []uissim.EventType{uissim.EventIncomingCallStarted, uissim.EventOutgoingCallStarted,
	uissim.EventConversationStarted, uissim.EventCallFinished}

// reconcileCases are calls of every shape; each is also made once with all
// notifications delivered, the twin a recovered call must look like.
var reconcileCases = []struct {
	name string
	spec uissim.CallSpec
}{
	{"incoming answered", uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79031112233", EmployeeIDs: []int64{petrova}, WaitSeconds: 5, TalkSeconds: 40}},
	{"incoming missed", uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79031112244", WaitSeconds: 20}},
	{"incoming transferred", uissim.CallSpec{Kind: uissim.KindIncomingTransfer, ContactNumber: "79031112255", EmployeeIDs: []int64{ivanov, smirnov}, WaitSeconds: 3, TalkSeconds: 20, TransferTalkSeconds: 30}},
	{"outgoing answered", uissim.CallSpec{Kind: uissim.KindOutgoing, ContactNumber: "79031112266", EmployeeIDs: []int64{ivanov}, Outcome: uissim.OutcomeAnswered, TalkSeconds: 15}},
	{"outgoing busy", uissim.CallSpec{Kind: uissim.KindOutgoing, ContactNumber: "79031112277", EmployeeIDs: []int64{ivanov}, Outcome: "busy"}},
}

type ticketRow struct {
	status   string
	assignee *int64
	missed   bool
	clientID int64
}

func readTicket(t *testing.T, a *apptest.App, id int64) ticketRow {
	t.Helper()
	var r ticketRow
	row := a.DB.QueryRowForTest(context.Background(), `SELECT status, assignee_id, missed, client_id FROM tickets WHERE id = $1`, id)
	if err := row.Scan(&r.status, &r.assignee, &r.missed, &r.clientID); err != nil {
		t.Fatalf("ticket %d: %v", id, err)
	}
	return r
}

func count(t *testing.T, a *apptest.App, q string, args ...any) int {
	t.Helper()
	var n int
	if err := a.DB.QueryRowForTest(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func setDrops(t *testing.T, tel *apptest.Telephony, events ...uissim.EventType) {
	t.Helper()
	if err := tel.Sim.SetFaults(uissim.Faults{DropEvents: events}); err != nil {
		t.Fatal(err)
	}
}

// sameCall checks that got, made from the calls report, says what want,
// made from notifications of the same scenario, says.
func sameCall(t *testing.T, a *apptest.App, got, want *ringdesk.Call) {
	t.Helper()
	if got.Direction != want.Direction || got.State != ringdesk.CallFinished || got.IsLost != want.IsLost ||
		got.FinishReason != want.FinishReason || got.ContactPhone != want.ContactPhone {
		t.Errorf("call = %s %s lost %v %q %s, want %s finished lost %v %q %s", got.Direction, got.State, got.IsLost,
			got.FinishReason, got.ContactPhone, want.Direction, want.IsLost, want.FinishReason, want.ContactPhone)
	}
	if got.WaitSeconds != want.WaitSeconds || got.TalkSeconds != want.TalkSeconds || got.TotalSeconds != want.TotalSeconds {
		t.Errorf("durations = wait %d talk %d total %d, want %d %d %d", got.WaitSeconds, got.TalkSeconds, got.TotalSeconds,
			want.WaitSeconds, want.TalkSeconds, want.TotalSeconds)
	}
	if (got.AnsweredAt == nil) != (want.AnsweredAt == nil) || got.FinishedAt == nil || got.CallOutcome() != want.CallOutcome() {
		t.Errorf("answered %v finished %v outcome %q, want answered %v outcome %q", got.AnsweredAt, got.FinishedAt,
			got.CallOutcome(), want.AnsweredAt, want.CallOutcome())
	}
	if !eqID(got.EmployeeID, want.EmployeeID) || !eqID(got.AgentID, want.AgentID) {
		t.Errorf("employee %v agent %v, want %v %v", deref(got.EmployeeID), deref(got.AgentID), deref(want.EmployeeID), deref(want.AgentID))
	}
	if len(got.Recordings) != len(want.Recordings) {
		t.Errorf("recordings = %v, want %v", got.Recordings, want.Recordings)
	}
	gt, wt := readTicket(t, a, got.TicketID), readTicket(t, a, want.TicketID)
	if got.TicketID == want.TicketID || gt.status != wt.status || gt.missed != wt.missed || !eqID(gt.assignee, wt.assignee) {
		t.Errorf("ticket %d = %s missed %v assignee %v, want its own, %s missed %v assignee %v", got.TicketID, gt.status,
			gt.missed, deref(gt.assignee), wt.status, wt.missed, deref(wt.assignee))
	}
	if gt.clientID != got.ClientID || got.ClientID != want.ClientID {
		t.Errorf("client = %d (ticket %d), want %d: the contact's number finds the client", got.ClientID, gt.clientID, want.ClientID)
	}
}

func eqID(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// twins makes every case once with all notifications delivered.
func twins(t *testing.T, tel *apptest.Telephony) []*ringdesk.Call {
	t.Helper()
	setDrops(t, tel)
	out := make([]*ringdesk.Call, len(reconcileCases))
	for i, c := range reconcileCases {
		out[i] = tel.Call(t, c.spec)
	}
	return out
}

func reconcile(t *testing.T, a *apptest.App, tel *apptest.Telephony) *ringdesk.ReconcileState {
	t.Helper()
	st, err := a.Desk.ReconcileChannel(context.Background(), tel.Channel.ID)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestReconcileRecoversCallsWithoutNotifications(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ctx := context.Background()
	want := twins(t, tel)
	if st := reconcile(t, a, tel); st.Status != ringdesk.ReconcileOK || st.Recovered != 0 || st.Finished != 0 {
		t.Fatalf("first pass over calls Ringdesk has = %+v, want ok and nothing applied", st)
	}

	setDrops(t, tel, allEvents...)
	ids := make([]int64, len(reconcileCases))
	for i, c := range reconcileCases {
		ids[i] = tel.Start(t, c.spec)
	}
	tel.Wait(t)
	for _, id := range ids {
		if _, err := a.DB.CallBySession(ctx, tel.Channel.ID, id); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
			t.Fatalf("call %d known before reconciliation: %v", id, err)
		}
	}
	calls, tickets := count(t, a, `SELECT COUNT(*) FROM calls`), count(t, a, `SELECT COUNT(*) FROM tickets`)

	st := reconcile(t, a, tel)
	if st.Status != ringdesk.ReconcileOK || st.Recovered != len(ids) || st.Finished != 0 || st.Checked != 2*len(ids) {
		t.Fatalf("state = %+v, want ok, %d recovered of %d checked", st, len(ids), 2*len(ids))
	}
	for i, c := range reconcileCases {
		t.Run(c.name, func(t *testing.T) {
			got, err := a.DB.CallBySession(ctx, tel.Channel.ID, ids[i])
			if err != nil {
				t.Fatal(err)
			}
			sameCall(t, a, got, want[i])
			if got.Details.Recovered != ringdesk.RecoveredCall {
				t.Errorf("recovered = %q, want %q", got.Details.Recovered, ringdesk.RecoveredCall)
			}
		})
	}
	if n := count(t, a, `SELECT COUNT(*) FROM calls`); n != calls+len(ids) {
		t.Errorf("calls = %d, want %d", n, calls+len(ids))
	}
	if n := count(t, a, `SELECT COUNT(*) FROM tickets`); n != tickets+len(ids) {
		t.Errorf("tickets = %d, want %d", n, tickets+len(ids))
	}

	// A second pass changes nothing.
	if st := reconcile(t, a, tel); st.Status != ringdesk.ReconcileOK || st.Recovered != 0 || st.Finished != 0 {
		t.Errorf("second pass = %+v, want nothing applied", st)
	}
	if n := count(t, a, `SELECT COUNT(*) FROM tickets`); n != tickets+len(ids) {
		t.Errorf("tickets after a second pass = %d, want %d", n, tickets+len(ids))
	}
	if n := count(t, a, `SELECT COUNT(*) FROM call_events WHERE kind = 'calls_report'`); n != len(ids) {
		t.Errorf("calls_report events = %d, want one per recovered call (%d)", n, len(ids))
	}
}

func TestReconcileFinishesCallsWhoseCallFinishedWasLost(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ctx := context.Background()
	want := twins(t, tel)

	setDrops(t, tel, uissim.EventCallFinished)
	ids := make([]int64, len(reconcileCases))
	for i, c := range reconcileCases {
		ids[i] = tel.Start(t, c.spec)
	}
	tel.Wait(t)
	for i, id := range ids {
		c, err := a.DB.CallBySession(ctx, tel.Channel.ID, id)
		if err != nil {
			t.Fatalf("%s: %v", reconcileCases[i].name, err)
		}
		if c.State == ringdesk.CallFinished || c.CallOutcome() != "" {
			t.Fatalf("%s before reconciliation: state %s outcome %q, want unfinished, in progress", reconcileCases[i].name, c.State, c.CallOutcome())
		}
	}
	tickets := count(t, a, `SELECT COUNT(*) FROM tickets`)

	st := reconcile(t, a, tel)
	if st.Status != ringdesk.ReconcileOK || st.Recovered != 0 || st.Finished != len(ids) {
		t.Fatalf("state = %+v, want ok, %d finished", st, len(ids))
	}
	for i, c := range reconcileCases {
		t.Run(c.name, func(t *testing.T) {
			got, err := a.DB.CallBySession(ctx, tel.Channel.ID, ids[i])
			if err != nil {
				t.Fatal(err)
			}
			sameCall(t, a, got, want[i])
			if got.Details.Recovered != ringdesk.RecoveredFinish {
				t.Errorf("recovered = %q, want %q", got.Details.Recovered, ringdesk.RecoveredFinish)
			}
		})
	}
	if n := count(t, a, `SELECT COUNT(*) FROM tickets`); n != tickets {
		t.Errorf("tickets = %d, want %d: finishing a call makes no ticket", n, tickets)
	}
}

// TestReconcileWithLateNotifications delivers the notifications UIS had
// dropped while reconciliation runs: whatever the order, there is one call
// with one ticket, and the real call_finished has the final word.
func TestReconcileWithLateNotifications(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ctx := context.Background()
	want := twins(t, tel)

	setDrops(t, tel, allEvents...)
	ids := make([]int64, len(reconcileCases))
	for i, c := range reconcileCases {
		ids[i] = tel.Start(t, c.spec)
	}
	tel.Wait(t)
	tickets := count(t, a, `SELECT COUNT(*) FROM tickets`)
	var late []uissim.Delivery
	for _, id := range ids {
		late = append(late, tel.Sim.Deliveries(id)...)
	}
	if len(late) < 2*len(ids) {
		t.Fatalf("dropped deliveries = %d, want every notification of %d calls", len(late), len(ids))
	}

	var wg sync.WaitGroup
	wg.Go(func() {
		if st, err := a.Desk.ReconcileChannel(ctx, tel.Channel.ID); err != nil || st.Status != ringdesk.ReconcileOK {
			t.Errorf("reconcile = %+v, %v", st, err)
		}
	})
	for _, d := range late {
		wg.Go(func() { deliver(t, d) })
	}
	wg.Wait()
	if st := reconcile(t, a, tel); st.Recovered != 0 || st.Finished != 0 {
		t.Errorf("pass after the late notifications = %+v, want nothing applied", st)
	}
	for _, d := range late {
		deliver(t, d) // and once more, late and duplicate
	}

	for i, c := range reconcileCases {
		t.Run(c.name, func(t *testing.T) {
			if n := count(t, a, `SELECT COUNT(*) FROM calls WHERE channel_id = $1 AND call_session_id = $2`, tel.Channel.ID, ids[i]); n != 1 {
				t.Fatalf("calls = %d, want 1", n)
			}
			got, err := a.DB.CallBySession(ctx, tel.Channel.ID, ids[i])
			if err != nil {
				t.Fatal(err)
			}
			sameCall(t, a, got, want[i])
			fin := lateFinished(t, late, ids[i])
			if !got.FinishedAt.Equal(fin.FinishTime) || (got.AnsweredAt != nil && !fin.ConnectionTime.IsZero() && !got.AnsweredAt.Equal(fin.ConnectionTime)) {
				t.Errorf("answered %v finished %v, want call_finished's %v %v", got.AnsweredAt, got.FinishedAt, fin.ConnectionTime, fin.FinishTime)
			}
			if got.Details.Recovered != "" {
				t.Errorf("recovered = %q, want none: every notification arrived in the end", got.Details.Recovered)
			}
		})
	}
	if n := count(t, a, `SELECT COUNT(*) FROM tickets`); n != tickets+len(ids) {
		t.Errorf("tickets = %d, want one per call (%d)", n, tickets+len(ids))
	}
}

// lateFinished parses the call_finished UIS dropped for a call.
func lateFinished(t *testing.T, late []uissim.Delivery, id int64) uis.Event {
	t.Helper()
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range late {
		if d.CallSessionID == id && d.Event == uissim.EventCallFinished {
			ev, err := uis.ParseEvent(uis.CallFinished, []byte(d.Body), moscow)
			if err != nil {
				t.Fatal(err)
			}
			return ev
		}
	}
	t.Fatalf("no call_finished for call %d", id)
	return uis.Event{}
}

// deliver posts a notification the simulator dropped, as UIS would have.
func deliver(t *testing.T, d uissim.Delivery) {
	req, err := http.NewRequest(d.Method, d.URL, strings.NewReader(d.Body))
	if err != nil {
		t.Error(err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("late %s of call %d: HTTP %d", d.Event, d.CallSessionID, resp.StatusCode)
	}
}

// TestReconcileRecordsUISErrors: a failing calls report is recorded on the
// channel, applies nothing and keeps the window for the next pass.
func TestReconcileRecordsUISErrors(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ctx := context.Background()
	setDrops(t, tel, allEvents...)
	id := tel.Start(t, reconcileCases[0].spec)
	tel.Wait(t)
	if err := tel.Sim.SetFaults(uissim.Faults{DropEvents: allEvents, InternalErrorMethods: []string{"get.calls_report"}}); err != nil {
		t.Fatal(err)
	}
	calls, tickets := count(t, a, `SELECT COUNT(*) FROM calls`), count(t, a, `SELECT COUNT(*) FROM tickets`)
	for n := 1; n <= 2; n++ {
		st := reconcile(t, a, tel)
		if st.Status != ringdesk.ReconcileError || !strings.Contains(st.Error, "internal_error") || st.Failures != n || !st.SyncedUntil.IsZero() {
			t.Fatalf("state after failure %d = %+v, want error internal_error, %d failures, nothing synced", n, st, n)
		}
		if strings.Contains(st.Error, uissim.DefaultAPIKey) {
			t.Fatalf("the error shows the App Secret: %q", st.Error)
		}
	}
	if c, t2 := count(t, a, `SELECT COUNT(*) FROM calls`), count(t, a, `SELECT COUNT(*) FROM tickets`); c != calls || t2 != tickets {
		t.Fatalf("calls %d tickets %d after failures, want %d %d", c, t2, calls, tickets)
	}
	saved, err := a.DB.ReconcileState(ctx, tel.Channel.ID)
	if err != nil || saved.Status != ringdesk.ReconcileError || saved.Failures != 2 {
		t.Fatalf("stored state = %+v, %v", saved, err)
	}

	// UIS answers again: the next pass recovers the call and clears the error.
	setDrops(t, tel, allEvents...)
	st := reconcile(t, a, tel)
	if st.Status != ringdesk.ReconcileOK || st.Recovered != 1 || st.Failures != 0 || st.Error != "" {
		t.Fatalf("state after UIS recovered = %+v", st)
	}
	if _, err := a.DB.CallBySession(ctx, tel.Channel.ID, id); err != nil {
		t.Fatal(err)
	}

	// A wrong App Secret is an error of its own.
	admin, _, err := a.DB.AgentCredentials(ctx, apptest.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Desk.UpdateChannel(ctx, admin, tel.Channel.ID, ringdesk.ChannelUpdate{AppSecret: ptr("wrong-secret")}); err != nil {
		t.Fatal(err)
	}
	if st := reconcile(t, a, tel); st.Status != ringdesk.ReconcileError || st.Error == "" || strings.Contains(st.Error, "wrong-secret") {
		t.Fatalf("state with a wrong App Secret = %+v", st)
	}
}

func ptr[T any](v T) *T { return &v }

// TestReconcileReachesBackToUnfinishedCalls: a call whose call_finished was
// lost is finished even when it started long before the window.
func TestReconcileReachesBackToUnfinishedCalls(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ctx := context.Background()
	setDrops(t, tel, uissim.EventCallFinished)
	id := tel.Start(t, reconcileCases[0].spec)
	tel.Wait(t)
	later := time.Now().Add(5 * time.Hour)
	if err := a.DB.SaveReconcileRun(ctx, ringdesk.ReconcileState{ChannelID: tel.Channel.ID, SyncedUntil: later, LastRunAt: later}); err != nil {
		t.Fatal(err)
	}
	a.Desk.SetClock(func() time.Time { return later.Add(5 * time.Minute) })
	defer a.Desk.SetClock(time.Now)
	if st := reconcile(t, a, tel); st.Status != ringdesk.ReconcileOK || st.Finished != 1 {
		t.Fatalf("state = %+v, want the call 5 hours back finished", st)
	}
	if c, err := a.DB.CallBySession(ctx, tel.Channel.ID, id); err != nil || c.State != ringdesk.CallFinished || c.TalkSeconds != 40 {
		t.Fatalf("call = %+v, %v", c, err)
	}
}

// TestReconcileDue runs passes only for active UIS channels with an App
// Secret.
func TestReconcileDue(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ctx := context.Background()
	admin, _, err := a.DB.AgentCredentials(ctx, apptest.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	bare, err := a.Desk.CreateChannel(ctx, admin, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeUIS, Name: "No secret",
		UIS: ringdesk.UISSettings{CallAPIURL: tel.SimURL + "/v4.0", DataAPIURL: tel.SimURL + "/v2.0"}})
	if err != nil {
		t.Fatal(err)
	}
	setDrops(t, tel, allEvents...)
	id := tel.Start(t, reconcileCases[1].spec)
	tel.Wait(t)
	if err := a.Desk.ReconcileDue(ctx); err != nil {
		t.Fatal(err)
	}
	if c, err := a.DB.CallBySession(ctx, tel.Channel.ID, id); err != nil || !c.IsLost {
		t.Fatalf("missed call after a due pass: %+v, %v", c, err)
	}
	if _, err := a.DB.ReconcileState(ctx, bare.ID); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("a channel without an App Secret was reconciled: %v", err)
	}
	// "Reconcile now" on it says why it cannot.
	st, err := a.Desk.ReconcileNow(ctx, admin, bare.ID)
	if err != nil || st.Status != ringdesk.ReconcileError || !strings.Contains(st.Error, "App Secret") {
		t.Errorf("reconcile now without a secret = %+v, %v", st, err)
	}
	agent := tel.Agents[ivanov]
	if _, err := a.Desk.ReconcileNow(ctx, agent, tel.Channel.ID); ringdesk.ErrorCode(err) != ringdesk.EFORBIDDEN {
		t.Errorf("agent reconcile now: %v, want forbidden", err)
	}
}

// TestReconcileSurvivesHostileRows: a report row whose contact name holds
// NUL and invalid text (it used to abort every pass on PostgreSQL at that
// row) is applied with the text made safe, and every other call of the pass
// is recovered too.
func TestReconcileSurvivesHostileRows(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ctx := context.Background()
	setDrops(t, tel, allEvents...)
	var ids []int64
	for i, name := range []string{"Иван", "Ан\x00на \uFFFE" + strings.Repeat("я", 400), "Пётр"} {
		ids = append(ids, tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "7903222330" + string(rune('1'+i)),
			ContactName: name, WaitSeconds: 10}))
	}
	tel.Wait(t)
	st := reconcile(t, a, tel)
	if st.Status != ringdesk.ReconcileOK || st.Recovered != len(ids) || st.Skipped != 0 {
		t.Fatalf("state = %+v, want ok with all %d calls recovered", st, len(ids))
	}
	c, err := a.DB.CallBySession(ctx, tel.Channel.ID, ids[1])
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(c.ContactName, 0) || !strings.HasPrefix(c.ContactName, "Анна") || len([]rune(c.ContactName)) != 255 {
		t.Errorf("name %q: want NUL removed and cut to 255 characters", c.ContactName)
	}
}

// TestReconcileScopedToChannel: an account shared with another department
// (its own virtual number) and with dialler calls: reconciliation of a
// channel that names its numbers and sources recovers only its own calls.
func TestReconcileScopedToChannel(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ctx := context.Background()
	s := tel.Channel.UIS
	s.VirtualNumbers, s.ReportSources = []string{"+7 (495) 123-45-67"}, []string{"va"}
	if _, err := a.Desk.UpdateChannel(ctx, ringdesk.System, tel.Channel.ID, ringdesk.ChannelUpdate{UIS: &s}); err != nil {
		t.Fatal(err)
	}
	setDrops(t, tel, allEvents...)
	ours := tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79033334401", VirtualNumber: "74951234567", WaitSeconds: 5})
	otherNumber := tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79033334402", VirtualNumber: "74997654321", WaitSeconds: 5})
	dialler := tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79033334403", VirtualNumber: "74951234567",
		Source: "auto_out_calls", WaitSeconds: 5})
	tel.Wait(t)
	if st := reconcile(t, a, tel); st.Status != ringdesk.ReconcileOK || st.Recovered != 1 || st.Checked != 1 {
		t.Fatalf("state = %+v, want only the channel's own call checked and recovered", st)
	}
	if _, err := a.DB.CallBySession(ctx, tel.Channel.ID, ours); err != nil {
		t.Errorf("own call not recovered: %v", err)
	}
	for _, id := range []int64{otherNumber, dialler} {
		if _, err := a.DB.CallBySession(ctx, tel.Channel.ID, id); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
			t.Errorf("call %d of another number or source imported: %v", id, err)
		}
	}
}

// TestReconcileRefusesWhileTimezonesDiffer: with the account in
// Novosibirsk and the channel on the Moscow default, reconciliation reads
// nothing (every time and the window would be four hours off) and the
// channel says why; checking the connection takes the account's zone, and
// the next pass recovers the call at the right time.
func TestReconcileRefusesWhileTimezonesDiffer(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a, func(c *uissim.Config) {
		c.Account = uissim.DefaultAccount()
		c.Account.Timezone = "Asia/Novosibirsk"
	})
	ctx := context.Background()
	setDrops(t, tel, allEvents...)
	before := time.Now()
	id := tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79033334410", WaitSeconds: 5})
	tel.Wait(t)
	st := reconcile(t, a, tel)
	if st.Status != ringdesk.ReconcileError || st.UISTimezone != "Asia/Novosibirsk" || st.Recovered != 0 {
		t.Fatalf("state = %+v, want an error naming the account's zone", st)
	}
	page := a.Admin(t).Get(t, "/channels/"+strconvI(tel.Channel.ID))
	if !strings.Contains(page.Body, `id="reconcile-timezone"`) || !strings.Contains(page.Body, "Asia/Novosibirsk") {
		t.Error("the channel page does not say the time zones differ")
	}
	check, err := a.Desk.CheckChannel(ctx, ringdesk.System, tel.Channel.ID)
	if err != nil || check.TimezoneFrom != ringdesk.DefaultTimezone {
		t.Fatalf("check = %+v, %v; want the account's zone taken", check, err)
	}
	if st := reconcile(t, a, tel); st.Status != ringdesk.ReconcileOK || st.Recovered != 1 {
		t.Fatalf("after the check: %+v, want the call recovered", st)
	}
	c, err := a.DB.CallBySession(ctx, tel.Channel.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.StartedAt.Before(before.Add(-2*time.Second)) || c.StartedAt.After(time.Now().Add(2*time.Second)) {
		t.Errorf("started %v, want between %v and now: read in the wrong zone", c.StartedAt, before)
	}
}

func strconvI(v int64) string { return strconv.FormatInt(v, 10) }

// TestRecordingReadyAloneThenReconciled: with every call notification lost
// but recording_ready, Ringdesk knows the call is over and has its
// recording without claiming an outcome or popping it up; reconciliation
// then tells how it went.
func TestRecordingReadyAloneThenReconciled(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ctx := context.Background()
	ns := append(uissim.SeedNotifications(a.URL, tel.Token), uissim.RecordingReadyNotification(a.URL, tel.Token))
	if err := tel.Sim.SetNotifications(ns); err != nil {
		t.Fatal(err)
	}
	setDrops(t, tel, allEvents...)
	id := tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79033334420", EmployeeIDs: []int64{petrova}, TalkSeconds: 30})
	tel.Wait(t)
	c, err := a.DB.CallBySession(ctx, tel.Channel.ID, id)
	if err != nil {
		t.Fatalf("recording_ready made no call: %v", err)
	}
	if c.State != ringdesk.CallFinished || len(c.Recordings) == 0 || c.CallOutcome() == "answered" {
		t.Fatalf("call from recording_ready = %s, %d recordings, outcome %q", c.State, len(c.Recordings), c.CallOutcome())
	}
	if live, err := a.Desk.ActiveCallsFor(ctx, tel.Agents[petrova].ID); err != nil || len(live) != 0 {
		t.Errorf("active calls %v, %v: a call known only from its recording must not pop up", live, err)
	}
	if st := reconcile(t, a, tel); st.Status != ringdesk.ReconcileOK || st.Finished != 1 {
		t.Fatalf("reconcile = %+v, want the call finished from the report", st)
	}
	c, _ = a.DB.CallBySession(ctx, tel.Channel.ID, id)
	if c.CallOutcome() != "answered" || c.TalkSeconds != 30 || c.AgentID == nil || *c.AgentID != tel.Agents[petrova].ID || len(c.Recordings) == 0 {
		t.Errorf("after reconciliation: outcome %q talk %d agent %v recordings %v", c.CallOutcome(), c.TalkSeconds, c.AgentID, c.Recordings)
	}
}

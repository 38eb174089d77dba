package demo_test

import (
	"context"
	"encoding/json"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/demo"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// run is one demo run on a data dir and database.
type run struct {
	app  *apptest.App
	dm   *demo.Demo
	stop func()
}

// startRun starts Ringdesk on dir and dsn with the demo wired to it, as
// `ringdesk --demo` does, with calls ten times faster than real time and
// no call stream of note.
func startRun(t *testing.T, dir, dsn string) *run {
	t.Helper()
	redirect := demo.NewRedirect()
	a := apptest.New(t, func(c *app.Config, o *app.Options) {
		c.DataDir, c.DB = dir, dsn
		o.Recordings.DialContext = redirect.DialContext
	})
	ctx, cancel := context.WithCancel(context.Background())
	dm, err := demo.Start(ctx, a.Desk, a.DB, a.Log, demo.Config{AppURL: a.URL, Rate: 0.0001, TimeScale: 0.1,
		DataDir: dir, Redirect: redirect})
	if err != nil {
		cancel()
		t.Fatalf("demo start: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- dm.Run(ctx) }()
	r := &run{app: a, dm: dm}
	r.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("demo run: %v", err)
		}
		a.Stop()
	}
	t.Cleanup(func() {
		cancel()
		a.Stop()
	})
	return r
}

func host(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// TestDemoMovesWhenItsPortIsTaken: when another program holds the
// simulator's address at a restart, the simulator listens elsewhere, the
// demo channel follows it (API URLs, the new host allowed and the old one
// kept), and the recording of a call from the earlier run, whose link names
// the old address, still plays.
func TestDemoMovesWhenItsPortIsTaken(t *testing.T) {
	t.Parallel()
	dir, dsn := t.TempDir(), storetest.DSN(t)
	ctx := context.Background()
	r1 := startRun(t, dir, dsn)
	session, err := r1.dm.Sim.StartCall(ctx, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79031234511",
		EmployeeIDs: []int64{323402}, WaitSeconds: 1, TalkSeconds: 3})
	if err != nil {
		t.Fatal(err)
	}
	var c *ringdesk.Call
	deadline := time.Now().Add(20 * time.Second)
	for c == nil || c.FinishedAt == nil || len(c.Recordings) != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the call did not reach Ringdesk finished with a recording: %+v", c)
		}
		time.Sleep(50 * time.Millisecond)
		c, _ = r1.app.DB.CallBySession(ctx, r1.dm.Channel.ID, session)
	}
	oldHost := host(t, r1.dm.SimURL)
	if host(t, c.Recordings[0]) != oldHost {
		t.Fatalf("recording link %s is not on the simulator's address %s", c.Recordings[0], oldHost)
	}
	r1.stop()

	// Something else takes the address while the demo is down. It accepts
	// connections and never answers: without the redirect, the recording
	// request would wait there.
	taken, err := net.Listen("tcp", oldHost)
	if err != nil {
		t.Fatalf("take the simulator's address: %v", err)
	}
	defer taken.Close()

	r2 := startRun(t, dir, dsn)
	newHost := host(t, r2.dm.SimURL)
	ch, err := r2.app.DB.ChannelByID(ctx, r2.dm.Channel.ID)
	if err != nil {
		t.Fatal(err)
	}
	if newHost == oldHost || ch.UIS.CallAPIURL != r2.dm.SimURL+"/v4.0" || ch.UIS.DataAPIURL != r2.dm.SimURL+"/v2.0" ||
		!slices.Equal(ch.UIS.RecordingHosts, []string{newHost, oldHost}) {
		t.Fatalf("after the move from %s: simulator %s, channel %+v", oldHost, r2.dm.SimURL, ch.UIS)
	}
	admin := r2.app.Admin(t)
	res := admin.Get(t, "/calls/"+strconv.FormatInt(c.ID, 10)+"/recordings/1")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "audio/wav" || len(res.Body) != 44+3*2*8000 {
		t.Fatalf("recording of the earlier call: HTTP %d %s, %d bytes: %.200s", res.StatusCode, res.Header.Get("Content-Type"), len(res.Body), res.Body)
	}
	r2.stop()

	var saved struct {
		Addr    string   `json:"addr"`
		Earlier []string `json:"earlier_addrs"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "uis-sim.json"))
	if err == nil {
		err = json.Unmarshal(b, &saved)
	}
	if err != nil || saved.Addr != newHost || !slices.Equal(saved.Earlier, []string{oldHost}) {
		t.Errorf("saved %+v (%v), want the new address and the old one as earlier", saved, err)
	}
}

// TestDemoStartsAfreshOnABadFile: an unreadable uis-sim.json is logged and
// replaced; the demo starts rather than not at all.
func TestDemoStartsAfreshOnABadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "uis-sim.json"), []byte(`{"addr":`), 0o600); err != nil {
		t.Fatal(err)
	}
	r := startRun(t, dir, storetest.DSN(t))
	r.stop()
	var saved struct {
		Addr string `json:"addr"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "uis-sim.json"))
	if err == nil {
		err = json.Unmarshal(b, &saved)
	}
	if err != nil || saved.Addr != host(t, r.dm.SimURL) {
		t.Errorf("saved %q (%v), want the simulator's address %s", b, err, r.dm.SimURL)
	}
}

// TestDemoCannedReplies: the demo desk has shared canned replies to insert
// from its first start, filled for a ticket without a raw placeholder, and
// a restart neither repeats them nor brings back one deleted.
func TestDemoCannedReplies(t *testing.T) {
	t.Parallel()
	dir, dsn := t.TempDir(), storetest.DSN(t)
	ctx := context.Background()
	r1 := startRun(t, dir, dsn)
	list, err := r1.app.Desk.CannedReplies(ctx, ringdesk.System, ringdesk.CannedFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 4 {
		t.Fatalf("the demo has %d canned replies", len(list))
	}
	for _, c := range list {
		if !c.Shared() || c.Shortcut == "" {
			t.Errorf("%q: shared %v, shortcut %q", c.Title, c.Shared(), c.Shortcut)
		}
		text := ringdesk.FillCanned(c.Body, ringdesk.CannedValues{ClientName: "+7 903 123-45-11", AgentName: "Иванов Иван", TicketNumber: 12, TicketSubject: "Звонок"})
		if strings.Contains(text, "{{") || strings.Contains(text, ", ,") || strings.HasPrefix(text, ",") {
			t.Errorf("%q filled for a client without a name: %q", c.Title, text)
		}
	}
	if err := r1.app.Desk.DeleteCannedReply(ctx, ringdesk.System, list[0].ID); err != nil {
		t.Fatal(err)
	}
	r1.stop()
	r2 := startRun(t, dir, dsn)
	again, err := r2.app.Desk.CannedReplies(ctx, ringdesk.System, ringdesk.CannedFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(list)-1 {
		t.Errorf("after a restart %d canned replies, want %d", len(again), len(list)-1)
	}
	r2.stop()
}

// TestDemoMailbox: the demo has a mailbox whose first client message
// becomes a ticket; an agent's reply is delivered to the client's
// mailbox; after a restart the mailbox is the same channel, on the mail
// server's new ports, and nothing is read twice.
func TestDemoMailbox(t *testing.T) {
	t.Parallel()
	dir, dsn := t.TempDir(), storetest.DSN(t)
	r := startRun(t, dir, dsn)
	ctx := context.Background()
	box := r.dm.Mailbox()
	if box.Type != ringdesk.ChannelTypeEmail || !box.Active {
		t.Fatalf("demo mailbox %+v", box)
	}
	var ticketID int64
	for deadline := time.Now().Add(30 * time.Second); ticketID == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		_ = r.app.DB.QueryRowForTest(ctx, `SELECT COALESCE(MAX(ticket_id), 0) FROM email_inbound WHERE state = 'applied'`).Scan(&ticketID)
	}
	if ticketID == 0 {
		t.Fatal("the demo client's first message made no ticket")
	}
	agent := r.dm.Agents[0]
	ev, err := r.app.Desk.AddComment(ctx, agent, ticketID, ringdesk.CommentCreate{Kind: ringdesk.EventReply, Body: "Счёт отправлен ещё раз."})
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	out, err := r.dm.MailServer().WaitOutbox(wctx, 1)
	if err != nil || len(out) != 1 {
		t.Fatalf("the reply did not reach the client: %v", err)
	}
	// The server has the message before the outbox marks it sent.
	var d map[int64]*ringdesk.Delivery
	for wctx.Err() == nil {
		if d, _ = r.app.Desk.TicketDeliveries(ctx, ticketID); d[ev.ID] != nil && d[ev.ID].Status == ringdesk.DeliverySent {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if d[ev.ID] == nil || d[ev.ID].Status != ringdesk.DeliverySent {
		t.Fatalf("delivery %+v", d[ev.ID])
	}
	var before int
	_ = r.app.DB.QueryRowForTest(ctx, `SELECT COUNT(*) FROM email_inbound`).Scan(&before)
	r.stop()

	r2 := startRun(t, dir, dsn)
	if r2.dm.Mailbox().ID != box.ID {
		t.Fatalf("the restarted demo made another mailbox: %d, was %d", r2.dm.Mailbox().ID, box.ID)
	}
	time.Sleep(time.Second) // the fetcher has read the mailbox again by now
	var after int
	_ = r2.app.DB.QueryRowForTest(ctx, `SELECT COUNT(*) FROM email_inbound`).Scan(&after)
	if after != before {
		t.Fatalf("%d stored messages after the restart, %d before", after, before)
	}
	r2.stop()
}

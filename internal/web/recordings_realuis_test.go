package web_test

// Recordings as a real UIS serves them: late, from the CoMagic hosts, behind
// an http->https redirect (issue 14). Each test drives the simulator in that
// mode over HTTP.

import (
	"context"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/recording"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

func setBehaviour(t *testing.T, sim *uissim.Simulator, edit func(b *uissim.Behaviour)) {
	t.Helper()
	b := sim.Behaviour()
	edit(&b)
	if err := sim.SetBehaviour(b); err != nil {
		t.Fatal(err)
	}
}

// TestRecordingsFromCoMagicHostBehindRedirect: the channel keeps the default
// recording hosts; UIS gives links on app.comagic.ru over plain http, which
// answers 308 to https. Playback, the archive and a call recovered from the
// calls report all get the recording.
func TestRecordingsFromCoMagicHostBehindRedirect(t *testing.T) {
	t.Parallel()
	hosts := apptest.NewRecordingHosts(t)
	a := apptest.New(t, hosts.AppOption(), fastArchive)
	tel := apptest.NewTelephony(t, a, hosts.SimOption())
	hosts.Serve(t, tel)
	s := tel.Channel.UIS
	s.RecordingHosts, s.ArchiveRecordings = nil, true
	ch, err := a.Desk.UpdateChannel(context.Background(), ringdesk.System, tel.Channel.ID, ringdesk.ChannelUpdate{UIS: &s})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ch.UIS.RecordingHosts, ringdesk.DefaultRecordingHosts) {
		t.Fatalf("default recording hosts = %q", ch.UIS.RecordingHosts)
	}
	setBehaviour(t, tel.Sim, func(b *uissim.Behaviour) { b.RecordingBaseURL, b.RecordingRedirect = "https://app.comagic.ru", 308 })

	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770201", EmployeeIDs: []int64{ivanov}, TalkSeconds: 4})
	if len(c.Recordings) != 1 || !strings.HasPrefix(c.Recordings[0], "http://app.comagic.ru/system/media/talk/") {
		t.Fatalf("recordings = %q", c.Recordings)
	}
	web := a.Admin(t)
	path := "/calls/" + strconv.FormatInt(c.ID, 10) + "/recordings/1"
	if res := web.Get(t, path); res.StatusCode != 200 || !strings.HasPrefix(res.Body, "RIFF") {
		t.Fatalf("playback: %d %.200s", res.StatusCode, res.Body)
	}
	waitArchive(t, a, c.ID, func(s string, _ int) bool { return s == "done" })

	// Lost notifications: the calls report's links lead to the same recording.
	if err := tel.Sim.SetFaults(uissim.Faults{DropEvents: []uissim.EventType{uissim.EventIncomingCallStarted,
		uissim.EventConversationStarted, uissim.EventCallFinished}}); err != nil {
		t.Fatal(err)
	}
	id := tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770202", EmployeeIDs: []int64{petrova}, TalkSeconds: 3})
	tel.Wait(t)
	if st, err := a.Desk.ReconcileChannel(context.Background(), tel.Channel.ID); err != nil || st.Recovered != 1 {
		t.Fatalf("reconcile: %+v %v", st, err)
	}
	rc, err := a.DB.CallBySession(context.Background(), tel.Channel.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := tel.Sim.Call(id)
	if !reflect.DeepEqual(rc.Recordings, info.RecordLinks) {
		t.Fatalf("recovered call's recordings = %q, want the talk links %q", rc.Recordings, info.RecordLinks)
	}
	if res := web.Get(t, "/calls/"+strconv.FormatInt(rc.ID, 10)+"/recordings/1"); res.StatusCode != 200 || !strings.HasPrefix(res.Body, "RIFF") {
		t.Fatalf("recovered call's playback: %d %.200s", res.StatusCode, res.Body)
	}
}

// TestRecordingNotReadyYet: UIS answers 404 until the recording is ready.
// Playback says so in words, in the agent's language, and works once it is.
func TestRecordingNotReadyYet(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	setBehaviour(t, tel.Sim, func(b *uissim.Behaviour) { b.RecordingReadySeconds = 600_000 }) // 10 minutes of real time
	id := tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770203", EmployeeIDs: []int64{petrova}, TalkSeconds: 3})
	var c *ringdesk.Call
	deadline := time.Now().Add(20 * time.Second)
	for c == nil || c.State != ringdesk.CallFinished {
		if time.Now().After(deadline) {
			t.Fatalf("call not finished in Ringdesk: %+v", c)
		}
		time.Sleep(10 * time.Millisecond)
		c, _ = a.DB.CallBySession(context.Background(), tel.Channel.ID, id)
	}
	path := "/calls/" + strconv.FormatInt(c.ID, 10) + "/recordings/1"
	en := a.Login(t, tel.Agents[petrova].Email, "agent-password-1")
	if res := en.Get(t, path); res.StatusCode != 404 || !strings.Contains(res.Body, "has not made this recording available yet") {
		t.Fatalf("not ready: %d %.300s", res.StatusCode, res.Body)
	}
	ru := a.CreateAgent(t, ringdesk.AgentCreate{Email: "ru-recording@example.com", Role: ringdesk.RoleAgent, Lang: "ru"})
	var body struct {
		Error struct{ Code, Message string }
	}
	res := a.Login(t, ru.Email, "agent-password-1").Do(t, "GET", path, nil, http.Header{"Accept": {"application/json"}, "Range": {"bytes=0-0"}})
	res.JSON(t, &body)
	if res.StatusCode != 404 || body.Error.Code != ringdesk.ENOTFOUND || !strings.Contains(body.Error.Message, "ещё не подготовил") {
		t.Fatalf("the player's question in Russian: %d %+v", res.StatusCode, body)
	}
	if page := en.Get(t, "/calls/"+strconv.FormatInt(c.ID, 10)); page.StatusCode != 200 || !strings.Contains(page.Body, `src="`+path+`"`) {
		t.Fatalf("call page: %d", page.StatusCode)
	}

	setBehaviour(t, tel.Sim, func(b *uissim.Behaviour) { b.RecordingReadySeconds = 0 }) // now it is ready
	if res := en.Get(t, path); res.StatusCode != 200 || !strings.HasPrefix(res.Body, "RIFF") {
		t.Fatalf("once ready: %d %.200s", res.StatusCode, res.Body)
	}
	// Long after the call a 404 means gone, not late.
	if _, err := a.DB.ExecForTest(context.Background(), `UPDATE calls SET finished_at = $1 WHERE id = $2`,
		time.Now().Add(-recording.NotReadyWindow-time.Minute).UnixMicro(), c.ID); err != nil {
		t.Fatal(err)
	}
	setBehaviour(t, tel.Sim, func(b *uissim.Behaviour) { b.RecordingReadySeconds = 600_000 })
	if res := en.Get(t, path); res.StatusCode != 404 || !strings.Contains(res.Body, "no longer available") {
		t.Fatalf("hours later: %d %.300s", res.StatusCode, res.Body)
	}
}

// TestRecordingArchiveWaitsForUIS: on an archived channel the first
// downloads find no recording; the archiver keeps trying while UIS may
// still be preparing it and archives it once it is there, and gives up
// with the reason when the window passes.
func TestRecordingArchiveWaitsForUIS(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, func(cfg *app.Config, o *app.Options) {
		o.Archive = recording.Config{Interval: 20 * time.Millisecond, Backoff: 20 * time.Millisecond, MaxAttempts: 2,
			NotReadyBackoff: 20 * time.Millisecond, NotReadyMaxWait: 40 * time.Millisecond, NotReadyFor: time.Hour}
	})
	tel := apptest.NewTelephony(t, a)
	enableArchive(t, a, tel)
	// Ready 1.5 s after the call: several "not ready" answers first, more than MaxAttempts.
	setBehaviour(t, tel.Sim, func(b *uissim.Behaviour) { b.RecordingReadySeconds = 1500 })
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770204", EmployeeIDs: []int64{ivanov}, TalkSeconds: 4})
	waitArchive(t, a, c.ID, func(s string, n int) bool { return s == "done" })
	if _, n, _ := a.DB.RecordingArchiveState(context.Background(), c.ID, 1); n < 3 {
		t.Errorf("archived after %d attempts, want a few not-ready ones first", n)
	}
	tel.Sim.Close()
	if res := a.Admin(t).Get(t, "/calls/"+strconv.FormatInt(c.ID, 10)+"/recordings/1"); res.StatusCode != 200 || !strings.HasPrefix(res.Body, "RIFF") {
		t.Fatalf("archived copy: %d", res.StatusCode)
	}
}

func TestRecordingArchiveGivesUpAfterTheWindow(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, func(cfg *app.Config, o *app.Options) {
		o.Archive = recording.Config{Interval: 20 * time.Millisecond, NotReadyBackoff: 20 * time.Millisecond, NotReadyFor: 300 * time.Millisecond}
	})
	tel := apptest.NewTelephony(t, a)
	enableArchive(t, a, tel)
	setBehaviour(t, tel.Sim, func(b *uissim.Behaviour) { b.RecordingReadySeconds = 600_000 })
	// The window counts from the call's end as UIS reports it, which the
	// simulator puts the call's simulated length ahead of the real clock:
	// a short call keeps the test from waiting that out.
	id := tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770205", EmployeeIDs: []int64{ivanov}, WaitSeconds: 1, TalkSeconds: 1})
	var c *ringdesk.Call
	for deadline := time.Now().Add(20 * time.Second); c == nil || c.State != ringdesk.CallFinished; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("call not finished in Ringdesk")
		}
		c, _ = a.DB.CallBySession(context.Background(), tel.Channel.ID, id)
	}
	waitArchive(t, a, c.ID, func(s string, _ int) bool { return s == "failed" })
	reason, err := a.DB.RecordingArchiveReason(context.Background(), c.ID, 1)
	if err != nil || !strings.Contains(reason, "UIS still had no recording 300ms after the call ended") || !strings.Contains(reason, "HTTP 404") {
		t.Fatalf("reason = %q %v", reason, err)
	}
}

// TestRecordingsDueNow: a recording waiting out a long "not ready" backoff is
// fetched at once when told (as the recording-ready notification will).
func TestRecordingsDueNow(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, func(cfg *app.Config, o *app.Options) {
		o.Archive = recording.Config{Interval: 20 * time.Millisecond, NotReadyBackoff: time.Hour}
	})
	tel := apptest.NewTelephony(t, a)
	enableArchive(t, a, tel)
	setBehaviour(t, tel.Sim, func(b *uissim.Behaviour) { b.RecordingReadySeconds = 600_000 })
	id := tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770206", EmployeeIDs: []int64{ivanov}, TalkSeconds: 4})
	var c *ringdesk.Call
	for deadline := time.Now().Add(20 * time.Second); c == nil || c.State != ringdesk.CallFinished; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("call not finished in Ringdesk")
		}
		c, _ = a.DB.CallBySession(context.Background(), tel.Channel.ID, id)
	}
	waitArchive(t, a, c.ID, func(s string, n int) bool { return s == "pending" && n == 1 })
	setBehaviour(t, tel.Sim, func(b *uissim.Behaviour) { b.RecordingReadySeconds = 0 })
	time.Sleep(100 * time.Millisecond)
	if st, n, _ := a.DB.RecordingArchiveState(context.Background(), c.ID, 1); st != "pending" || n != 1 {
		t.Fatalf("tried again before the backoff: %s after %d attempts", st, n)
	}
	if err := a.DB.RecordingsDueNow(context.Background(), c.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	waitArchive(t, a, c.ID, func(s string, _ int) bool { return s == "done" })
}

package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/recording"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

func fastArchive(cfg *app.Config, o *app.Options) {
	o.Archive = recording.Config{Interval: 20 * time.Millisecond, Backoff: 20 * time.Millisecond, MaxAttempts: 1000}
}

func enableArchive(t *testing.T, a *apptest.App, tel *apptest.Telephony, extraHosts ...string) {
	t.Helper()
	s := tel.Channel.UIS
	s.ArchiveRecordings = true
	s.RecordingHosts = append(s.RecordingHosts, extraHosts...)
	if _, err := a.Desk.UpdateChannel(context.Background(), ringdesk.System, tel.Channel.ID, ringdesk.ChannelUpdate{UIS: &s}); err != nil {
		t.Fatal(err)
	}
}

// waitArchive polls until the recording's archive state satisfies ok.
func waitArchive(t *testing.T, a *apptest.App, callID int64, ok func(state string, attempts int) bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		state, attempts, err := a.DB.RecordingArchiveState(context.Background(), callID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if ok(state, attempts) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("archive of call %d: state %q after %d attempts", callID, state, attempts)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRecordingArchiveOutlivesUIS(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, fastArchive)
	tel := apptest.NewTelephony(t, a)
	enableArchive(t, a, tel)
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770101", EmployeeIDs: []int64{ivanov}, TalkSeconds: 4})
	web := a.Admin(t)
	path := "/calls/" + strconv.FormatInt(c.ID, 10) + "/recordings/1"
	upstream := web.Get(t, path)
	waitArchive(t, a, c.ID, func(s string, _ int) bool { return s == "done" })
	tel.Sim.Close() // UIS is gone

	full := web.Get(t, path)
	if full.StatusCode != 200 || full.Body != upstream.Body || full.Header.Get("Content-Type") != "audio/wav" {
		t.Fatalf("archived copy: %d %v (%d bytes, upstream %d)", full.StatusCode, full.Header, len(full.Body), len(upstream.Body))
	}
	part := web.Do(t, "GET", path, nil, http.Header{"Range": {"bytes=10-19"}})
	if part.StatusCode != 206 || part.Body != upstream.Body[10:20] || !strings.HasPrefix(part.Header.Get("Content-Range"), "bytes 10-19/") {
		t.Fatalf("archived range: %d %v", part.StatusCode, part.Header)
	}
	if page := web.Get(t, "/calls/"+strconv.FormatInt(c.ID, 10)); !strings.Contains(page.Body, "Archived") {
		t.Fatal("the call page does not say the recording is archived")
	}
}

func TestRecordingArchiveResumesAfterRestart(t *testing.T) {
	t.Parallel()
	var blocked atomic.Bool
	blocked.Store(true)
	var target atomic.Pointer[url.URL]
	gate := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if blocked.Load() || target.Load() == nil {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		httputil.NewSingleHostReverseProxy(target.Load()).ServeHTTP(w, r)
	}))
	defer gate.Close()

	a1 := apptest.New(t, fastArchive)
	tel := apptest.NewTelephony(t, a1, func(c *uissim.Config) { c.MediaBaseURL = gate.URL })
	u, _ := url.Parse(tel.SimURL)
	target.Store(u)
	enableArchive(t, a1, tel, strings.TrimPrefix(gate.URL, "http://"))
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770102", EmployeeIDs: []int64{ivanov}, TalkSeconds: 4})
	waitArchive(t, a1, c.ID, func(s string, n int) bool { return s == "pending" && n >= 2 })
	dsn, dir := a1.Config.DB, a1.Config.DataDir
	a1.Stop()

	blocked.Store(false)
	a2 := apptest.New(t, fastArchive, func(cfg *app.Config, o *app.Options) { cfg.DB, cfg.DataDir = dsn, dir })
	waitArchive(t, a2, c.ID, func(s string, _ int) bool { return s == "done" })
	blocked.Store(true) // from now on only the copy can answer
	res := a2.Admin(t).Get(t, "/calls/"+strconv.FormatInt(c.ID, 10)+"/recordings/1")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Body, "RIFF") {
		t.Fatalf("after restart: %d (%d bytes)", res.StatusCode, len(res.Body))
	}
}

// TestRecordingArchiveInDatabase: with the archive in the database (the
// default on PostgreSQL; --archive-store db on SQLite) a recording larger
// than a chunk is stored in several rows and played back whole and by
// ranges, across chunk boundaries too, after UIS has forgotten it.
func TestRecordingArchiveInDatabase(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, fastArchive, func(cfg *app.Config, o *app.Options) { cfg.ArchiveStore = "db" })
	tel := apptest.NewTelephony(t, a)
	enableArchive(t, a, tel)
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770103", EmployeeIDs: []int64{ivanov}, TalkSeconds: 150})
	web := a.Admin(t)
	path := "/calls/" + strconv.FormatInt(c.ID, 10) + "/recordings/1"
	upstream := web.Get(t, path).Body
	if len(upstream) < 2*store.BlobChunk {
		t.Fatalf("recording of %d bytes: want more than two chunks", len(upstream))
	}
	waitArchive(t, a, c.ID, func(s string, _ int) bool { return s == "done" })
	if files, _ := filepath.Glob(filepath.Join(a.Config.DataDir, "recordings", "*")); len(files) != 0 {
		t.Fatalf("files in the data dir: %v", files)
	}
	tel.Sim.Close()

	if full := web.Get(t, path); full.StatusCode != 200 || full.Body != upstream || full.Header.Get("Content-Length") != strconv.Itoa(len(upstream)) {
		t.Fatalf("archived copy: %d, %d bytes of %d", full.StatusCode, len(full.Body), len(upstream))
	}
	for _, r := range [][2]int{{0, 43}, {store.BlobChunk - 5, store.BlobChunk + 5}, {2*store.BlobChunk - 1, 2 * store.BlobChunk}, {len(upstream) - 10, len(upstream) - 1}} {
		part := web.Do(t, "GET", path, nil, http.Header{"Range": {"bytes=" + strconv.Itoa(r[0]) + "-" + strconv.Itoa(r[1])}})
		if part.StatusCode != 206 || part.Body != upstream[r[0]:r[1]+1] {
			t.Fatalf("range %v: %d, %d bytes", r, part.StatusCode, len(part.Body))
		}
	}
}

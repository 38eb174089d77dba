package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// setRecordings points a stored call's recordings at links (a webhook
// could say anything).
func setRecordings(t *testing.T, a *apptest.App, callID int64, links ...string) {
	t.Helper()
	raw, _ := json.Marshal(links)
	if _, err := a.DB.ExecForTest(context.Background(), `UPDATE calls SET recordings = $1 WHERE id = $2`, string(raw), callID); err != nil {
		t.Fatal(err)
	}
}

func TestRecordingStreams(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79036660101", EmployeeIDs: []int64{petrova}, TalkSeconds: 3})
	if len(c.Recordings) == 0 {
		t.Fatal("the call has no recording")
	}
	web := a.Login(t, tel.Agents[petrova].Email, "agent-password-1")
	path := "/calls/" + strconv.FormatInt(c.ID, 10) + "/recordings/1"
	full := web.Get(t, path)
	if full.StatusCode != 200 || full.Header.Get("Content-Type") != "audio/wav" || !strings.HasPrefix(full.Body, "RIFF") ||
		full.Header.Get("Accept-Ranges") != "bytes" || full.Header.Get("Content-Length") != strconv.Itoa(len(full.Body)) {
		t.Fatalf("full: %d %v (%d bytes)", full.StatusCode, full.Header, len(full.Body))
	}
	part := web.Do(t, "GET", path, nil, http.Header{"Range": {"bytes=100-199"}})
	if part.StatusCode != 206 || len(part.Body) != 100 || part.Body != full.Body[100:200] ||
		part.Header.Get("Content-Range") != "bytes 100-199/"+strconv.Itoa(len(full.Body)) {
		t.Fatalf("range: %d %v (%d bytes)", part.StatusCode, part.Header, len(part.Body))
	}
	if dl := web.Get(t, path+"?download=1"); !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %v", dl.Header)
	}
	if res := a.Anon(t).Get(t, path); res.StatusCode != 303 {
		t.Fatalf("anonymous: %d", res.StatusCode)
	}
	if res := web.Get(t, "/calls/"+strconv.FormatInt(c.ID, 10)+"/recordings/9"); res.StatusCode != 404 {
		t.Fatalf("no such recording: %d", res.StatusCode)
	}

	// Expired at UIS: 410 upstream becomes a 404 in words. (Right after the
	// call it would be "not ready yet": see TestRecordingNotReadyYet.)
	if err := tel.Sim.SetFaults(uissim.Faults{RecordingsExpireAfter: uissim.Duration(time.Nanosecond)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.ExecForTest(context.Background(), `UPDATE calls SET finished_at = $1 WHERE id = $2`,
		time.Now().Add(-7*time.Hour).UnixMicro(), c.ID); err != nil {
		t.Fatal(err)
	}
	if res := web.Get(t, path); res.StatusCode != 404 || !strings.Contains(res.Body, "no longer available") {
		t.Fatalf("expired: %d %s", res.StatusCode, res.Body)
	}
}

func TestRecordingHostsAreChecked(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79036660102", EmployeeIDs: []int64{petrova}, TalkSeconds: 3})
	var forbiddenHits atomic.Int64
	forbidden := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		forbiddenHits.Add(1)
		w.Header().Set("Content-Type", "audio/wav")
		w.Write([]byte("RIFFstolen"))
	}))
	defer forbidden.Close()
	// An allowed host that redirects to the forbidden one.
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, forbidden.URL+"/x.wav", http.StatusFound)
	}))
	defer redirector.Close()
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()
	s := tel.Channel.UIS
	s.RecordingHosts = append(s.RecordingHosts, strings.TrimPrefix(redirector.URL, "http://"), strings.TrimPrefix(downURL, "http://"))
	if _, err := a.Desk.UpdateChannel(context.Background(), ringdesk.System, tel.Channel.ID, ringdesk.ChannelUpdate{UIS: &s}); err != nil {
		t.Fatal(err)
	}
	setRecordings(t, a, c.ID, forbidden.URL+"/system/media/talk/1/x.wav", redirector.URL+"/r.wav", downURL+"/d.wav",
		"http://user:pw@"+strings.TrimPrefix(redirector.URL, "http://")+"/u.wav", "file:///etc/passwd")
	web := a.Admin(t)
	base := "/calls/" + strconv.FormatInt(c.ID, 10) + "/recordings/"
	cases := []struct {
		n      string
		status int
		text   string
	}{
		{"1", 403, "not allowed for this channel"},
		{"2", 403, "not allowed for this channel"},
		{"3", 503, "cannot be reached"},
		{"4", 403, "not allowed"},
		{"5", 403, "not allowed"},
	}
	for _, tc := range cases {
		res := web.Get(t, base+tc.n)
		if res.StatusCode != tc.status || !strings.Contains(res.Body, tc.text) {
			t.Errorf("recording %s: %d %s", tc.n, res.StatusCode, res.Body)
		}
	}
	if n := forbiddenHits.Load(); n != 0 {
		t.Fatalf("the disallowed host got %d requests", n)
	}
}

package uissim

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestStateSurvivesRestart: a simulator closed with one finished call and one call under way
// is restarted from its state. The new one reports both as finished (the one under way cut off
// when the first stopped), serves both recordings under the new address, and gives new calls
// ids after the old ones even with the same seed.
func TestStateSurvivesRestart(t *testing.T) {
	t.Parallel()
	const scale = 0.001 // a simulated hour is 3.6 real seconds
	ctx := context.Background()
	sim1, err := New(Config{TimeScale: scale, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	srv1 := httptest.NewServer(sim1.Handler())
	defer srv1.Close()
	sim1.SetBaseURL(srv1.URL)
	short, err := sim1.StartCall(ctx, CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567", WaitSeconds: 1, TalkSeconds: 2})
	if err != nil {
		t.Fatal(err)
	}
	long, err := sim1.StartCall(ctx, CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79031112233", WaitSeconds: 1, TalkSeconds: 3600})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		s, _ := sim1.Call(short)
		l, _ := sim1.Call(long)
		return s.State == "finished" && len(l.Timeline) >= 2 // the long one is talking
	})
	time.Sleep(50 * time.Millisecond) // 50 simulated seconds of talk
	sim1.Close()
	data, err := sim1.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := sim1.MarshalState(); string(again) != string(data) {
		t.Error("the state of a closed simulator changed between two reads")
	}

	sim2, err := New(Config{TimeScale: scale, Seed: 7, State: data})
	if err != nil {
		t.Fatal(err)
	}
	srv2 := httptest.NewServer(sim2.Handler())
	defer srv2.Close()
	defer sim2.Close()
	sim2.SetBaseURL(srv2.URL)
	l, ok := sim2.Call(long)
	if !ok || l.State != "finished" || l.FinishReason != "operator_disconnects" || len(l.RecordLinks) != 1 {
		t.Fatalf("restored long call = %+v, want finished by the operator with one recording", l)
	}
	if last := l.Timeline[len(l.Timeline)-1]; last.Event != EventCallFinished || last.Notifications != 0 {
		t.Errorf("restored long call's timeline ends with %+v, want call_finished without notifications", last)
	}
	var rows []map[string]any
	mustData(t, srv2.URL+"/v2.0", "get.calls_report", period(nil), &rows)
	got := map[int64]map[string]any{}
	for _, r := range rows {
		got[num(t, r["id"])] = r
	}
	if len(rows) != 2 || got[short] == nil || got[long] == nil {
		t.Fatalf("calls report after restart: %v", rows)
	}
	talk := num(t, got[long]["talk_duration"])
	if got[long]["finish_time"] == nil || talk < 40 || talk > 600 {
		t.Errorf("long call reported with finish %v and talk %d s, want cut after about 50 s", got[long]["finish_time"], talk)
	}
	if num(t, got[short]["talk_duration"]) != 2 {
		t.Errorf("short call talk = %v, want 2", got[short]["talk_duration"])
	}
	s, _ := sim2.Call(short)
	if !strings.HasPrefix(s.RecordLinks[0], srv2.URL+"/system/media/talk/") {
		t.Fatalf("short call's link %s is not on the new address", s.RecordLinks[0])
	}
	for _, c := range []struct {
		link    string
		seconds int64
	}{{s.RecordLinks[0], 2}, {l.RecordLinks[0], talk}} {
		res, err := http.Get(c.link)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || int64(len(b)) != 44+c.seconds*2*wavRate {
			t.Errorf("GET %s = %d with %d bytes, want 200 with %d s of audio", c.link, res.StatusCode, len(b), c.seconds)
		}
	}
	next, err := sim2.StartCall(ctx, CallSpec{Kind: KindIncomingMissed, ContactNumber: "79261234567", WaitSeconds: 1})
	if err != nil || next <= long {
		t.Errorf("new call id %d (%v), want above the restored %d", next, err, long)
	}

	if _, err := New(Config{State: []byte(`{"version":1,"calls":[{"id":5},{"id":5}]}`)}); err == nil {
		t.Error("a state with a repeated call was accepted")
	}
	if _, err := New(Config{State: []byte(`{"version":99}`)}); err == nil {
		t.Error("a state of an unknown version was accepted")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// captured is one notification body as UIS sent it.
type captured struct {
	kind string
	body string
}

// captureCalls runs scenarios on a simulator whose notifications go to a
// recorder instead of Ringdesk, and returns each call's bodies in the order
// UIS sent them.
func captureCalls(t *testing.T, token string, specs []uissim.CallSpec) [][]captured {
	t.Helper()
	var mu sync.Mutex
	bySession := map[string][]captured{}
	rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var v struct {
			ID json.Number `json:"call_session_id"`
		}
		if err := json.Unmarshal(b, &v); err != nil {
			t.Errorf("simulator sent invalid JSON: %v: %s", err, b)
		}
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		mu.Lock()
		bySession[v.ID.String()] = append(bySession[v.ID.String()], captured{kind: parts[len(parts)-1], body: string(b)})
		mu.Unlock()
	}))
	defer rec.Close()
	sim, err := uissim.New(uissim.Config{TimeScale: 0.001, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	if err := sim.SetNotifications(uissim.SeedNotifications(rec.URL, token)); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, s := range specs {
		id, err := sim.StartCall(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := sim.WaitIdle(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := make([][]captured, len(ids))
	for i, id := range ids {
		out[i] = bySession[strconv.FormatInt(id, 10)]
		if len(out[i]) < 2 {
			t.Fatalf("call %d: only %d notifications captured", id, len(out[i]))
		}
	}
	return out
}

// withSession rewrites a call's bodies to another call_session_id (and the
// communication id and recording links that carry it).
func withSession(evs []captured, session int64) []captured {
	var old string
	var v struct {
		ID json.Number `json:"call_session_id"`
	}
	json.Unmarshal([]byte(evs[0].body), &v)
	old = v.ID.String()
	out := make([]captured, len(evs))
	for i, e := range evs {
		out[i] = captured{kind: e.kind, body: strings.ReplaceAll(e.body, old, strconv.FormatInt(session, 10))}
	}
	return out
}

func post(t *testing.T, url string, e captured) int {
	res, err := http.Post(url+"/telephony/uis/webhook/"+e.kind+"/", "application/json", strings.NewReader(e.body))
	if err != nil {
		t.Errorf("post %s: %v", e.kind, err)
		return 0
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// outcome is what must not depend on arrival order.
type outcome struct {
	Call         ringdesk.CallFacts
	AgentID      *int64
	TicketStatus string
	Assignee     *int64
	Missed       bool
	Calls        int
	Tickets      int
	Events       int
}

func observe(t *testing.T, tel *apptest.Telephony, session int64) outcome {
	t.Helper()
	a := tel.App
	c, err := a.DB.CallBySession(context.Background(), tel.Channel.ID, session)
	if err != nil {
		t.Fatalf("session %d: %v", session, err)
	}
	tk := readTicket(t, a, c.TicketID)
	o := outcome{Call: c.CallFacts, AgentID: c.AgentID, TicketStatus: tk.status, Assignee: tk.assignee, Missed: tk.missed}
	a.DB.QueryRowForTest(context.Background(), `SELECT COUNT(*) FROM calls WHERE channel_id = $1 AND call_session_id = $2`, tel.Channel.ID, session).Scan(&o.Calls)
	a.DB.QueryRowForTest(context.Background(), `SELECT COUNT(*) FROM ticket_events WHERE ticket_id = $1 AND kind = 'call'`, c.TicketID).Scan(&o.Tickets)
	a.DB.QueryRowForTest(context.Background(), `SELECT COUNT(*) FROM call_events WHERE call_id = $1`, c.ID).Scan(&o.Events)
	// Recording links carry the session id; compare them by count only.
	o.Call.Recordings = []string{fmt.Sprint(len(o.Call.Recordings))}
	o.Call.Details.CommunicationID = 0
	return o
}

func permutations(n int) [][]int {
	if n == 1 {
		return [][]int{{0}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}

// TestEventOrderDoesNotMatter delivers every call's notifications in every
// order, with duplicates, and all at once, and expects the same call and
// ticket each time: one call, one ticket, right client, right agent.
func TestEventOrderDoesNotMatter(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	scenarios := []struct {
		name string
		spec uissim.CallSpec
	}{
		{"incoming answered", uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79035550001", EmployeeIDs: []int64{petrova}, TalkSeconds: 30}},
		{"incoming transferred", uissim.CallSpec{Kind: uissim.KindIncomingTransfer, ContactNumber: "79035550002", EmployeeIDs: []int64{ivanov, smirnov}, TalkSeconds: 20, TransferTalkSeconds: 25}},
		{"incoming missed", uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79035550003", WaitSeconds: 15}},
		{"outgoing answered", uissim.CallSpec{Kind: uissim.KindOutgoing, ContactNumber: "79035550004", EmployeeIDs: []int64{smirnov}, Outcome: uissim.OutcomeAnswered, TalkSeconds: 12}},
	}
	specs := make([]uissim.CallSpec, len(scenarios))
	for i, s := range scenarios {
		specs[i] = s.spec
	}
	bodies := captureCalls(t, tel.Token, specs)
	session := int64(5_000_000_000)
	for i, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			evs := bodies[i]
			session++
			ref := session
			for _, e := range withSession(evs, ref) {
				if code := post(t, a.URL, e); code != 200 {
					t.Fatalf("in-order %s: %d", e.kind, code)
				}
			}
			want := observe(t, tel, ref)
			if want.Calls != 1 || want.Tickets != 1 || want.Events != len(evs) {
				t.Fatalf("reference: %+v", want)
			}
			perms := permutations(len(evs))
			for _, p := range perms {
				session++
				re := withSession(evs, session)
				// In this order, then a duplicate of each.
				for _, k := range append(append([]int{}, p...), p...) {
					if code := post(t, a.URL, re[k]); code != 200 {
						t.Fatalf("order %v: %s: %d", p, re[k].kind, code)
					}
				}
				if got := observe(t, tel, session); !reflect.DeepEqual(got, want) {
					t.Fatalf("order %v:\n got %+v\nwant %+v", p, got, want)
				}
			}
			// All at once, three copies of each, ten times.
			for round := 0; round < 10; round++ {
				session++
				re := withSession(evs, session)
				var wg sync.WaitGroup
				for copyN := 0; copyN < 3; copyN++ {
					for _, e := range re {
						wg.Add(1)
						go func(e captured) {
							defer wg.Done()
							if code := post(t, a.URL, e); code != 200 {
								t.Errorf("concurrent %s: %d", e.kind, code)
							}
						}(e)
					}
				}
				wg.Wait()
				if got := observe(t, tel, session); !reflect.DeepEqual(got, want) {
					t.Fatalf("concurrent round %d:\n got %+v\nwant %+v", round, got, want)
				}
			}
		})
	}
}

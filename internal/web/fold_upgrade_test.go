package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
)

// TestCallsStoredBeforeFoldsUpgrade: a call stored before calls kept their
// fold (an empty fold column, as after migration 0014) folds its stored
// webhook bodies once when its next event arrives, and ends exactly like
// its twin that always had a fold.
func TestCallsStoredBeforeFoldsUpgrade(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	ctx := context.Background()
	send := func(n, upTo int) {
		for i, e := range benchBodies(t, tel.Token, n) {
			if i == upTo {
				return
			}
			res := a.Anon(t).Do(t, "POST", "/telephony/uis/webhook/"+e.kind+"/", strings.NewReader(e.body), nil)
			if res.StatusCode != 200 {
				t.Fatalf("%s: %d %s", e.kind, res.StatusCode, res.Body)
			}
		}
	}
	send(1, 3) // the twin: all three events, folded as they come
	send(2, 2) // incoming and conversation...
	if _, err := a.DB.ExecForTest(ctx, `UPDATE calls SET fold = '' WHERE call_session_id = 6000000002`); err != nil {
		t.Fatal(err)
	}
	// ...then call_finished finds no fold and folds the stored bodies first.
	e := benchBodies(t, tel.Token, 2)[2]
	if res := a.Anon(t).Do(t, "POST", "/telephony/uis/webhook/"+e.kind+"/", strings.NewReader(e.body), nil); res.StatusCode != 200 {
		t.Fatalf("call_finished: %d %s", res.StatusCode, res.Body)
	}
	twin, err := a.DB.CallBySession(ctx, tel.Channel.ID, 6000000001)
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.DB.CallBySession(ctx, tel.Channel.ID, 6000000002)
	if err != nil {
		t.Fatal(err)
	}
	// Everything but what each call has of its own: ids, session, contact.
	g, w := *got, *twin
	g.ID, g.CallSessionID, g.TicketID, g.ClientID, g.CreatedAt, g.UpdatedAt = 0, 0, 0, 0, w.CreatedAt, w.UpdatedAt
	w.ID, w.CallSessionID, w.TicketID, w.ClientID = 0, 0, 0, 0
	g.ContactPhone, g.Details.ContactRaw = w.ContactPhone, w.Details.ContactRaw
	gj, _ := json.Marshal(g)
	wj, _ := json.Marshal(w)
	if own := strings.NewReplacer("6000000002", "6000000001", "79160000002", "79160000001"); own.Replace(string(gj)) != string(wj) {
		t.Errorf("upgraded call differs from its twin:\n got %s\nwant %s", gj, wj)
	}
	var fold string
	if err := a.DB.QueryRowForTest(ctx, `SELECT fold FROM calls WHERE call_session_id = 6000000002`).Scan(&fold); err != nil || fold == "" {
		t.Errorf("the upgraded call keeps no fold: %q %v", fold, err)
	}
}

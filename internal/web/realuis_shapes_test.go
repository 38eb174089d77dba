package web_test

import (
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestRealUISFieldShapes drives the simulator in each odd shape real UIS
// may render notification variables in (issue 14): no call is lost, and
// the call page's facts are right; what could not be used is a warning.
func TestRealUISFieldShapes(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	const petrova = int64(323402)
	cases := []struct {
		name   string
		shapes uissim.FieldShapes
		warn   string // a warning the call must carry ("" none)
	}{
		{"durations as decimals", uissim.FieldShapes{Durations: uissim.ShapeDecimal}, ""},
		{"durations as hh:mm:ss", uissim.FieldShapes{Durations: "hms"}, ""},
		{"lists as JSON text", uissim.FieldShapes{Lists: "json_text"}, ""},
		{"lists as PostgreSQL arrays", uissim.FieldShapes{Lists: "pg"}, ""},
		{"operator rating in words", uissim.FieldShapes{OperatorRating: "отлично"}, "operator_rating/unreadable"},
		{"tp_project as an object", uissim.FieldShapes{TPProjectObject: true}, "tp_project/unreadable"},
		{"unescaped quotes", uissim.FieldShapes{UnescapedQuotes: true}, "contact_full_name/repaired"},
		{"numeric connection time", uissim.FieldShapes{NumericConnectionTime: true}, ""},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := tel.Sim.Behaviour()
			b.FieldShapes = tc.shapes
			if err := tel.Sim.SetBehaviour(b); err != nil {
				t.Fatal(err)
			}
			c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "7903555660" + itoa(int64(i)),
				ContactName: `ООО "Ромашка"`, EmployeeIDs: []int64{petrova}, WaitSeconds: 4, TalkSeconds: 33})
			if c.State != ringdesk.CallFinished || c.CallOutcome() != "answered" || c.TalkSeconds != 33 || c.WaitSeconds != 4 ||
				c.AgentID == nil || *c.AgentID != tel.Agents[petrova].ID || c.ContactName != `ООО "Ромашка"` {
				t.Errorf("call = %s %q talk %d wait %d agent %v name %q", c.State, c.CallOutcome(), c.TalkSeconds, c.WaitSeconds, c.AgentID, c.ContactName)
			}
			found := tc.warn == ""
			for _, w := range c.Details.Warnings {
				if w.Field+"/"+w.Problem == tc.warn {
					found = true
				}
			}
			if !found {
				t.Errorf("warnings %v lack %s", c.Details.Warnings, tc.warn)
			}
			for _, d := range tel.Sim.Deliveries(c.CallSessionID) {
				if d.StatusCode != 200 {
					t.Errorf("delivery %s answered %d", d.Event, d.StatusCode)
				}
			}
		})
	}
}

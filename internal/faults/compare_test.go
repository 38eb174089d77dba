package faults

import (
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

func p(v int64) *int64 { return &v }

// TestCompare: each kind of difference is counted once, in its column.
func TestCompare(t *testing.T) {
	answered := uissim.CallInfo{CallSessionID: 1, Kind: uissim.KindIncomingAnswered, State: "finished", Direction: "in",
		ContactNumber: "79261234567", VirtualNumber: "74951234567", FinishReason: "subscriber_disconnects",
		WaitSeconds: 5, TalkSeconds: 30, TotalSeconds: 35}
	missed := uissim.CallInfo{CallSessionID: 2, Kind: uissim.KindIncomingMissed, State: "finished", Direction: "in",
		ContactNumber: "79261234568", VirtualNumber: "74951234567", FinishReason: "subscriber_disconnects", IsLost: true,
		WaitSeconds: 12, TotalSeconds: 12}
	good := func(c uissim.CallInfo) StoredCall {
		return StoredCall{CallSessionID: c.CallSessionID, State: "finished", Direction: c.Direction, ContactPhone: "+" + c.ContactNumber,
			VirtualPhoneNumber: "+" + c.VirtualNumber, FinishReason: c.FinishReason, IsLost: c.IsLost,
			WaitSeconds: p(c.WaitSeconds), TalkSeconds: p(c.TalkSeconds), TotalSeconds: p(c.TotalSeconds), TicketID: 9}
	}
	truth := []uissim.CallInfo{answered, missed}
	talking := good(answered)
	talking.State, talking.TalkSeconds = "talking", nil
	for _, tt := range []struct {
		name                                  string
		calls                                 []StoredCall
		lost, doubled, wrong, stored, problem int
		says                                  string
	}{
		{"all right", []StoredCall{good(answered), good(missed)}, 0, 0, 0, 2, 0, ""},
		{"one lost", []StoredCall{good(answered)}, 1, 0, 0, 1, 1, "call 2 (incoming_missed, finished) was not stored"},
		{"one twice", []StoredCall{good(answered), good(missed), good(missed)}, 0, 1, 0, 3, 1, "call 2 stored 2 times"},
		{"one never made", []StoredCall{good(answered), good(missed), {CallSessionID: 3}}, 0, 1, 0, 3, 1, "call 3 stored but"},
		{"left talking", []StoredCall{talking, good(missed)}, 0, 0, 1, 2, 1, "state talking, want finished; talk null, want 30"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Compare(truth, tt.calls)
			if got.Expected != 2 || got.Lost != tt.lost || got.Doubled != tt.doubled || got.Wrong != tt.wrong || got.Stored != tt.stored ||
				len(got.Problems) != tt.problem {
				t.Fatalf("got %+v, want lost %d doubled %d wrong %d stored %d", got, tt.lost, tt.doubled, tt.wrong, tt.stored)
			}
			if tt.says != "" && !strings.Contains(got.Problems[0], tt.says) {
				t.Errorf("problem %q, want it to say %q", got.Problems[0], tt.says)
			}
		})
	}
}

// TestDiffFields: every compared field is named when it differs.
func TestDiffFields(t *testing.T) {
	want := uissim.CallInfo{State: "finished", Direction: "out", ContactNumber: "79261234567", VirtualNumber: "74951234567",
		FinishReason: "a", IsTransfer: true, WaitSeconds: 1, TalkSeconds: 2, TotalSeconds: 3}
	got := StoredCall{State: "ringing", Direction: "in", ContactPhone: "+79990000000", VirtualPhoneNumber: "+74997654321",
		FinishReason: "b", IsLost: true, WaitSeconds: p(9), TotalSeconds: p(9)}
	d := strings.Join(Diff(want, got), "; ")
	for _, f := range []string{"state", "direction", "contact", "virtual number", "missed", "transfer", "finish reason", "wait", "talk null", "total", "ticket"} {
		if !strings.Contains(d, f) {
			t.Errorf("diff %q does not name %s", d, f)
		}
	}
}

package faults

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// StoredCall is what Ringdesk's API says about one call: the fields the
// suite holds against the simulator's truth.
type StoredCall struct {
	ID                 int64  `json:"id"`
	CallSessionID      int64  `json:"call_session_id"`
	Direction          string `json:"direction"`
	State              string `json:"state"`
	ContactPhone       string `json:"contact_phone"`
	VirtualPhoneNumber string `json:"virtual_phone_number"`
	WaitSeconds        *int64 `json:"wait_seconds"`
	TalkSeconds        *int64 `json:"talk_seconds"`
	TotalSeconds       *int64 `json:"total_seconds"`
	IsLost             bool   `json:"is_lost"`
	IsTransfer         bool   `json:"is_transfer"`
	FinishReason       string `json:"finish_reason"`
	TicketID           int64  `json:"ticket_id"`
}

// Tally is the outcome of holding the stored calls against the truth.
type Tally struct {
	Expected, Stored, Lost, Doubled, Wrong int
	// Problems describes the first few differences, for the log.
	Problems []string
}

// maxProblems bounds the differences kept for the log.
const maxProblems = 20

// Compare holds the calls Ringdesk stored against the simulator's calls,
// field by field: every call of the simulator must be stored exactly once
// (lost: not stored; doubled: stored more than once, or stored though the
// simulator never made it), finished, with the same direction, numbers,
// outcome, durations, transfer flag and finish reason.
func Compare(truth []uissim.CallInfo, stored []StoredCall) Tally {
	var t Tally
	t.Stored = len(stored)
	bySession := map[int64][]StoredCall{}
	for _, c := range stored {
		bySession[c.CallSessionID] = append(bySession[c.CallSessionID], c)
	}
	known := map[int64]bool{}
	for _, want := range truth {
		if want.NoNotifications {
			continue
		}
		t.Expected++
		known[want.CallSessionID] = true
		got := bySession[want.CallSessionID]
		switch {
		case len(got) == 0:
			t.Lost++
			t.problem("call %d (%s, %s) was not stored", want.CallSessionID, want.Kind, want.State)
			continue
		case len(got) > 1:
			t.Doubled += len(got) - 1
			t.problem("call %d stored %d times", want.CallSessionID, len(got))
		}
		if diffs := Diff(want, got[0]); len(diffs) > 0 {
			t.Wrong++
			t.problem("call %d (%s): %s", want.CallSessionID, want.Kind, strings.Join(diffs, "; "))
		}
	}
	ids := make([]int64, 0, len(bySession))
	for id := range bySession {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if !known[id] {
			t.Doubled += len(bySession[id])
			t.problem("call %d stored but the simulator never made it", id)
		}
	}
	return t
}

func (t *Tally) problem(format string, args ...any) {
	if len(t.Problems) < maxProblems {
		t.Problems = append(t.Problems, fmt.Sprintf(format, args...))
	}
}

// Diff lists the fields of got that differ from the simulator's call want.
func Diff(want uissim.CallInfo, got StoredCall) []string {
	var d []string
	check := func(name string, ok bool, w, g any) {
		if !ok {
			d = append(d, fmt.Sprintf("%s %v, want %v", name, g, w))
		}
	}
	wantState := "finished"
	if want.State != "finished" {
		wantState = "(unfinished in the simulator)"
	}
	check("state", got.State == wantState, wantState, got.State)
	check("direction", got.Direction == want.Direction, want.Direction, got.Direction)
	check("contact", digits(got.ContactPhone) == digits(want.ContactNumber), want.ContactNumber, got.ContactPhone)
	check("virtual number", digits(got.VirtualPhoneNumber) == digits(want.VirtualNumber), want.VirtualNumber, got.VirtualPhoneNumber)
	check("missed", got.IsLost == want.IsLost, want.IsLost, got.IsLost)
	check("transfer", got.IsTransfer == want.IsTransfer, want.IsTransfer, got.IsTransfer)
	check("finish reason", got.FinishReason == want.FinishReason, want.FinishReason, got.FinishReason)
	check("wait", eq(got.WaitSeconds, want.WaitSeconds), want.WaitSeconds, show(got.WaitSeconds))
	check("talk", eq(got.TalkSeconds, want.TalkSeconds), want.TalkSeconds, show(got.TalkSeconds))
	check("total", eq(got.TotalSeconds, want.TotalSeconds), want.TotalSeconds, show(got.TotalSeconds))
	check("ticket", got.TicketID > 0, "a ticket", got.TicketID)
	return d
}

func eq(got *int64, want int64) bool { return got != nil && *got == want }

func show(v *int64) any {
	if v == nil {
		return "null"
	}
	return *v
}

// digits keeps the digits of a phone number: Ringdesk stores +7…, UIS 7….
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

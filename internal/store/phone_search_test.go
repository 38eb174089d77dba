package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// phoneDesk is a small desk for the partial-number tests: clients with
// numbers, a ticket each, and calls from their numbers.
type phoneDesk struct {
	t       *testing.T
	db      *store.DB
	channel int64
	session int64
	now     time.Time
	clients map[string]int64 // name -> id
	tickets map[int64]int64  // client id -> ticket id
}

func newPhoneDesk(t *testing.T) *phoneDesk {
	t.Helper()
	d := &phoneDesk{t: t, db: storetest.Open(t), now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		clients: map[string]int64{}, tickets: map[int64]int64{}}
	ch, err := d.db.CreateChannel(context.Background(), ringdesk.ChannelCreate{Type: "uis", Name: "UIS"}, "", d.now)
	if err != nil {
		t.Fatal(err)
	}
	d.channel = ch.ID
	return d
}

// client makes a client with phones and a ticket.
func (d *phoneDesk) client(name string, phones ...string) int64 {
	d.t.Helper()
	ctx := context.Background()
	id, err := d.db.SeedClient(ctx, name, phones, nil, d.now)
	if err != nil {
		d.t.Fatal(err)
	}
	tk, err := d.db.CreateTicket(ctx, ringdesk.TicketCreate{Subject: "Вопрос " + name, ClientID: id}, nil, d.now)
	if err != nil {
		d.t.Fatal(err)
	}
	d.clients[name], d.tickets[id] = id, tk.ID
	return id
}

// call stores a call with contact number from, on client's ticket, as the
// webhooks do.
func (d *phoneDesk) call(client int64, from string) int64 {
	d.t.Helper()
	d.session++
	d.now = d.now.Add(time.Minute)
	facts := ringdesk.CallFacts{Direction: ringdesk.DirectionIn, State: "ringing", Stage: 1, ContactPhone: from, StartedAt: d.now}
	var id int64
	err := d.db.InCallTx(context.Background(), d.channel, d.session, func(ctx context.Context, tx *store.CallTx) error {
		saved, err := tx.SaveCall(ctx, &store.CallWrite{ChannelID: d.channel, CallSessionID: d.session, Facts: facts, Fold: []byte(`{}`),
			Place:  ringdesk.CallPlacement{TicketID: d.tickets[client], ClientID: client},
			Ticket: ringdesk.CallTicketChange{CallTicket: ringdesk.CallTicket{Status: ringdesk.StatusOpen}},
			Kind:   "call_started", Stage: 1, DedupeKey: "k" + strconv.FormatInt(d.session, 10), Raw: []byte(`{}`), Now: d.now})
		if saved != nil {
			id = saved.CallID
		}
		return err
	})
	if err != nil {
		d.t.Fatal(err)
	}
	return id
}

// clientIDs returns the ids of every client matching part, all pages.
func (d *phoneDesk) clientIDs(part ringdesk.PartialPhone) []int64 {
	d.t.Helper()
	var out []int64
	f := store.ClientFilter{PhonePart: part, Limit: 3}
	for {
		list, next, err := d.db.ListClients(context.Background(), f)
		if err != nil {
			d.t.Fatalf("clients %+v: %v", part, err)
		}
		for _, c := range list {
			out = append(out, c.ID)
		}
		if next == "" {
			slices.Sort(out)
			return out
		}
		f.Cursor = next
	}
}

// ticketClients returns the clients of every ticket a search for part lists.
func (d *phoneDesk) ticketClients(part ringdesk.PartialPhone) []int64 {
	d.t.Helper()
	var out []int64
	f := store.TicketFilter{PhonePart: part, Limit: 3}
	for {
		list, next, err := d.db.ListTickets(context.Background(), f)
		if err != nil {
			d.t.Fatalf("tickets %+v: %v", part, err)
		}
		for _, r := range list {
			out = append(out, r.ClientID)
		}
		if next == "" {
			slices.Sort(out)
			return out
		}
		f.Cursor = next
	}
}

// callIDs returns every call the Calls page lists for part, in list order.
func (d *phoneDesk) callIDs(part ringdesk.PartialPhone) ([]int64, error) {
	var out []int64
	f := store.CallFilter{PhonePart: part, Limit: 3}
	for {
		list, next, err := d.db.ListCalls(context.Background(), f)
		if err != nil {
			return nil, err
		}
		for _, c := range list {
			out = append(out, c.ID)
		}
		if next == "" {
			return out, nil
		}
		f.Cursor = next
	}
}

func matchesPart(number string, p ringdesk.PartialPhone) bool {
	return p.Digits != "" && strings.Contains(number, p.Digits) || p.Prefix != "" && strings.HasPrefix(number, p.Prefix)
}

// TestPhonePartMatching: part of a number finds the clients with a number
// containing the digits or starting with the prefix, their tickets, and the
// calls from such numbers, on both databases; nothing else.
func TestPhonePartMatching(t *testing.T) {
	t.Parallel()
	d := newPhoneDesk(t)
	anna := d.client("Анна", "+79261234567")
	boris := d.client("Борис", "+74958926123", "+79031112233")
	gleb := d.client("Глеб", "+79269991234")
	dan := d.client("Dan", "+442079460958")
	vera := d.client("Вера") // no number
	callAnna := d.call(anna, "+79261234567")
	callBoris := d.call(boris, "+74958926123")
	callBoris2 := d.call(boris, "+79031112233")
	callGleb := d.call(gleb, "+79269991234")
	callDan := d.call(dan, "+442079460958")
	callExt := d.call(vera, "1050") // an internal extension, kept as UIS sent it
	callAnna2 := d.call(anna, "+79261234567")

	cases := []struct {
		name    string
		part    ringdesk.PartialPhone
		clients []int64
		calls   []int64 // newest first
	}{
		{"digits in the middle", ringdesk.PartialPhone{Digits: "926123"}, []int64{anna, boris}, []int64{callAnna2, callBoris, callAnna}},
		{"8 typed: as typed or +7", ringdesk.PartialPhone{Digits: "8926123", Prefix: "+7926123"}, []int64{anna, boris},
			[]int64{callAnna2, callBoris, callAnna}},
		{"+7 typed: the beginning only", ringdesk.PartialPhone{Prefix: "+7926123"}, []int64{anna}, []int64{callAnna2, callAnna}},
		{"five digits", ringdesk.PartialPhone{Digits: "12345"}, []int64{anna}, []int64{callAnna2, callAnna}},
		{"four digits", ringdesk.PartialPhone{Digits: "1234"}, []int64{anna, gleb}, []int64{callAnna2, callGleb, callAnna}},
		{"a short prefix", ringdesk.PartialPhone{Prefix: "+7926"}, []int64{anna, gleb}, []int64{callAnna2, callGleb, callAnna}},
		{"second number of a client", ringdesk.PartialPhone{Digits: "1112233"}, []int64{boris}, []int64{callBoris2}},
		{"either reading", ringdesk.PartialPhone{Digits: "4567", Prefix: "+7903"}, []int64{anna, boris}, []int64{callAnna2, callBoris2, callAnna}},
		{"foreign", ringdesk.PartialPhone{Digits: "7946"}, []int64{dan}, []int64{callDan}},
		{"prefix ending in 9", ringdesk.PartialPhone{Prefix: "+79"}, []int64{anna, boris, gleb}, []int64{callAnna2, callGleb, callBoris2, callAnna}},
		{"prefix of nines", ringdesk.PartialPhone{Prefix: "+999"}, nil, nil},
		{"an extension", ringdesk.PartialPhone{Digits: "1050"}, nil, []int64{callExt}},
		{"no match", ringdesk.PartialPhone{Digits: "0000"}, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := d.clientIDs(c.part); !slices.Equal(got, c.clients) {
				t.Errorf("clients: got %v, want %v", got, c.clients)
			}
			if got := d.ticketClients(c.part); !slices.Equal(got, c.clients) {
				t.Errorf("tickets of clients: got %v, want %v", got, c.clients)
			}
			got, err := d.callIDs(c.part)
			if err != nil || !slices.Equal(got, c.calls) {
				t.Errorf("calls: got %v, %v; want %v", got, err, c.calls)
			}
		})
	}

	// Anything but digits never reaches the SQL.
	for _, p := range []ringdesk.PartialPhone{{Digits: "12'4"}, {Prefix: "79261"}, {Prefix: "+7a"}} {
		if _, _, err := d.db.ListClients(context.Background(), store.ClientFilter{PhonePart: p}); ringdesk.ErrorCode(err) != ringdesk.EINVALID {
			t.Errorf("clients %+v: %v, want EINVALID", p, err)
		}
		if _, _, err := d.db.ListTickets(context.Background(), store.TicketFilter{PhonePart: p}); ringdesk.ErrorCode(err) != ringdesk.EINVALID {
			t.Errorf("tickets %+v: %v, want EINVALID", p, err)
		}
		if _, _, err := d.db.ListCalls(context.Background(), store.CallFilter{PhonePart: p}); ringdesk.ErrorCode(err) != ringdesk.EINVALID {
			t.Errorf("calls %+v: %v, want EINVALID", p, err)
		}
	}
}

// TestPhonePartFollowsChanges: the indexes follow a client's numbers as they
// are changed and merged, and calls keep their numbers findable after the
// client's card lost them; too many matching numbers is a clear refusal.
func TestPhonePartFollowsChanges(t *testing.T) {
	ctx := context.Background()
	d := newPhoneDesk(t)
	anna := d.client("Анна", "+79261234567")
	boris := d.client("Борис", "+79035550011")
	callAnna := d.call(anna, "+79261234567")
	part := ringdesk.PartialPhone{Digits: "1234567"}

	phones := []string{"+79167654321"}
	if _, err := d.db.UpdateClient(ctx, anna, ringdesk.ClientUpdate{Phones: &phones}, d.now); err != nil {
		t.Fatal(err)
	}
	if got := d.clientIDs(part); len(got) != 0 {
		t.Errorf("old number after the change: %v", got)
	}
	if got := d.clientIDs(ringdesk.PartialPhone{Digits: "7654"}); !slices.Equal(got, []int64{anna}) {
		t.Errorf("new number: %v", got)
	}
	// The call keeps the number it came from.
	if got, err := d.callIDs(part); err != nil || !slices.Equal(got, []int64{callAnna}) {
		t.Errorf("calls from the old number: %v, %v", got, err)
	}
	if _, err := d.db.MergeClients(ctx, anna, boris, 0, d.now); err != nil {
		t.Fatal(err)
	}
	if got := d.clientIDs(ringdesk.PartialPhone{Digits: "5550011"}); !slices.Equal(got, []int64{anna}) {
		t.Errorf("merged number: %v", got)
	}
	if got := d.ticketClients(ringdesk.PartialPhone{Prefix: "+7903555"}); !slices.Equal(got, []int64{anna, anna}) {
		t.Errorf("tickets after the merge: %v", got)
	}
	// A call whose contact number changes (a later event told the real one)
	// is found by the new number.
	if _, err := d.db.ExecForTest(ctx, `UPDATE calls SET contact_phone = '+79998887766' WHERE id = $1`, callAnna); err != nil {
		t.Fatal(err)
	}
	if got, err := d.callIDs(ringdesk.PartialPhone{Digits: "8887766"}); err != nil || !slices.Equal(got, []int64{callAnna}) {
		t.Errorf("calls from the changed number: %v, %v", got, err)
	}
	if got, err := d.callIDs(part); err != nil || len(got) != 0 {
		t.Errorf("calls from the number the call no longer has: %v, %v", got, err)
	}

	d.call(anna, "+79261230000")
	d.call(anna, "+79261231111")
	old := store.SetCallNumberCap(2)
	defer store.SetCallNumberCap(old)
	_, _, err := d.db.ListCalls(ctx, store.CallFilter{PhonePart: ringdesk.PartialPhone{Prefix: "+79"}})
	var e *ringdesk.Error
	if ringdesk.ErrorCode(err) != ringdesk.EINVALID || !errors.As(err, &e) || e.Fields["phone"] == "" {
		t.Errorf("four numbers over a cap of two: %v", err)
	}
	if got, err := d.callIDs(ringdesk.PartialPhone{Digits: "1231111"}); err != nil || len(got) != 1 {
		t.Errorf("one number under a cap of two: %v, %v", got, err)
	}
}

// TestPhonePartMatchesScan compares every lookup with a scan of the numbers
// in Go, for random parts of random numbers (digits, 8-prefixed, +7), with
// few and many candidates.
func TestPhonePartMatchesScan(t *testing.T) {
	d := newPhoneDesk(t)
	rng := rand.New(rand.NewPCG(16, 2026))
	numberOf := map[int64][]string{}
	var callNumber = map[int64]string{}
	var all []string
	for i := range 120 {
		n := fmt.Sprintf("+79%02d%07d", rng.IntN(40), rng.IntN(10_000_000))
		if slices.Contains(all, n) {
			continue
		}
		phones := []string{n}
		if i%5 == 0 {
			phones = append(phones, fmt.Sprintf("+7495%07d", rng.IntN(10_000_000)))
		}
		if slices.Contains(all, phones[len(phones)-1]) {
			phones = phones[:1]
		}
		id := d.client(fmt.Sprintf("Клиент %03d", i), phones...)
		numberOf[id] = phones
		all = append(all, phones...)
		if i%3 == 0 {
			callNumber[d.call(id, phones[0])] = phones[0]
		}
	}
	var parts []ringdesk.PartialPhone
	for range 60 {
		n := all[rng.IntN(len(all))]
		digits := n[1:]
		l := 4 + rng.IntN(5)
		start := rng.IntN(len(digits) - l + 1)
		switch rng.IntN(3) {
		case 0:
			parts = append(parts, ringdesk.PartialPhone{Digits: digits[start : start+l]})
		case 1: // "8 9xx ...": as typed, and +7 9xx ...
			parts = append(parts, ringdesk.PartialPhone{Digits: "8" + digits[1:l], Prefix: "+7" + digits[1:l]})
		default:
			parts = append(parts, ringdesk.PartialPhone{Prefix: n[:l]})
		}
	}
	// Above the candidate cap the client list walks the clients in name
	// order instead: the same clients.
	old := store.SetPhoneCandidateCap(3)
	checkPartsAgainstScan(t, d, parts, numberOf, callNumber)
	store.SetPhoneCandidateCap(old)
	checkPartsAgainstScan(t, d, parts, numberOf, callNumber)
}

func checkPartsAgainstScan(t *testing.T, d *phoneDesk, parts []ringdesk.PartialPhone, numberOf map[int64][]string, callNumber map[int64]string) {
	t.Helper()
	for _, p := range parts {
		var wantClients []int64
		for id, phones := range numberOf {
			if slices.ContainsFunc(phones, func(n string) bool { return matchesPart(n, p) }) {
				wantClients = append(wantClients, id)
			}
		}
		slices.Sort(wantClients)
		var wantCalls []int64
		for id, n := range callNumber {
			if matchesPart(n, p) {
				wantCalls = append(wantCalls, id)
			}
		}
		slices.Sort(wantCalls)
		if got := d.clientIDs(p); !slices.Equal(got, wantClients) {
			t.Errorf("clients %+v: got %v, want %v", p, got, wantClients)
		}
		if got := d.ticketClients(p); !slices.Equal(got, wantClients) {
			t.Errorf("tickets %+v: got clients %v, want %v", p, got, wantClients)
		}
		got, err := d.callIDs(p)
		slices.Sort(got)
		if err != nil || !slices.Equal(got, wantCalls) {
			t.Errorf("calls %+v: got %v, %v; want %v", p, got, err, wantCalls)
		}
	}
}

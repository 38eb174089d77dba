package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

func mustMailbox(t *testing.T, db *store.DB, now time.Time) *ringdesk.Channel {
	t.Helper()
	c := ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeEmail, Name: "Support",
		Email: ringdesk.EmailSettings{Address: "support@example.com", IMAPHost: "imap.example.com", SMTPHost: "smtp.example.com"}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	ch, err := db.CreateChannel(context.Background(), c, "sealed-imap", now, "sealed-smtp")
	if err != nil {
		t.Fatal(err)
	}
	if ch.Type != ringdesk.ChannelTypeEmail || ch.Email.Address != "support@example.com" || !ch.HasSecret || !ch.HasSMTPSecret {
		t.Fatalf("mailbox %+v", ch)
	}
	return ch
}

// TestInboundStoredOnceAndCursorMoves: a message is stored with the cursor
// in one step; the same Message-ID again is a duplicate that still moves
// the cursor and stores nothing.
func TestInboundStoredOnceAndCursorMoves(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ch := mustMailbox(t, db, now)
	id, dup, err := db.StoreInbound(ctx, ch.ID, "a@x", store.EmailCursor{UIDValidity: 7, LastUID: 3}, []byte("raw a"), now)
	if err != nil || dup || id == 0 {
		t.Fatalf("first store: %d %v %v", id, dup, err)
	}
	_, dup, err = db.StoreInbound(ctx, ch.ID, "a@x", store.EmailCursor{UIDValidity: 7, LastUID: 4}, []byte("raw a again"), now)
	if err != nil || !dup {
		t.Fatalf("duplicate: %v %v", dup, err)
	}
	cur, err := db.EmailCursor(ctx, ch.ID)
	if err != nil || cur != (store.EmailCursor{UIDValidity: 7, LastUID: 4}) {
		t.Fatalf("cursor %+v %v", cur, err)
	}
	var n int
	if err := db.QueryRowForTest(ctx, `SELECT COUNT(*) FROM email_inbound`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("stored %d messages, want 1 (%v)", n, err)
	}
	pending, err := db.PendingInbound(ctx, 10, false)
	if err != nil || len(pending) != 1 || pending[0] != id {
		t.Fatalf("pending %v %v", pending, err)
	}
}

// TestApplyInboundMakesClientTicketAndThreads: applying a message creates
// the client and the ticket; its Message-ID then finds the ticket for a
// reply, which reopens it; applying twice changes nothing.
func TestApplyInboundMakesClientTicketAndThreads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ch := mustMailbox(t, db, now)
	id, _, err := db.StoreInbound(ctx, ch.ID, "first@client", store.EmailCursor{UIDValidity: 1, LastUID: 1}, []byte("raw"), now)
	if err != nil {
		t.Fatal(err)
	}
	a := store.InboundApply{InboundID: id, ChannelID: ch.ID, State: ringdesk.InboundApplied, FromEmail: "Anna@Client.example",
		FromName: "Анна", NewSubject: "Счёт", Body: "Здравствуйте", MessageID: "first@client", HTML: "<p>Здравствуйте</p>",
		Meta:        ringdesk.EmailMeta{From: "anna@client.example", FromName: "Анна"},
		Attachments: []store.InboundAttachment{{EmailAttachment: ringdesk.EmailAttachment{Index: 0, Name: "счёт.pdf", ContentType: "application/pdf", Size: 3}, Data: []byte("pdf")}}}
	res, already, err := db.ApplyInbound(ctx, a, now)
	if err != nil || already || !res.NewTicket || res.TicketID == 0 || res.EventID == 0 {
		t.Fatalf("apply: %+v %v %v", res, already, err)
	}
	if _, again, err := db.ApplyInbound(ctx, a, now); err != nil || !again {
		t.Fatalf("second apply: %v %v", again, err)
	}
	client, err := db.ClientIDByEmail(ctx, "anna@client.example")
	if err != nil || client != res.ClientID {
		t.Fatalf("client by email %d, want %d (%v)", client, res.ClientID, err)
	}
	refs, err := db.ThreadRefs(ctx, []string{"first@client"}, 0)
	if err != nil || len(refs) != 1 || refs[0].TicketID != res.TicketID || refs[0].ClientID != client {
		t.Fatalf("thread refs %+v %v", refs, err)
	}
	f, ticket, err := db.EmailAttachment(ctx, id, 0)
	if err != nil || string(f.Data) != "pdf" || ticket != res.TicketID || f.Name != "счёт.pdf" {
		t.Fatalf("attachment %+v %d %v", f, ticket, err)
	}
	html, err := db.InboundHTML(ctx, res.TicketID)
	if err != nil || html[res.EventID] != "<p>Здравствуйте</p>" {
		t.Fatalf("html %v %v", html, err)
	}
	from, err := db.LastInboundFrom(ctx, res.TicketID)
	if err != nil || from != "anna@client.example" {
		t.Fatalf("last from %q %v", from, err)
	}
	// The ticket is solved; the client's answer joins and reopens it.
	solved := ringdesk.StatusSolved
	if _, err := db.UpdateTicket(ctx, res.TicketID, ringdesk.TicketUpdate{Status: &solved}, nil, false, now); err != nil {
		t.Fatal(err)
	}
	id2, _, err := db.StoreInbound(ctx, ch.ID, "second@client", store.EmailCursor{UIDValidity: 1, LastUID: 2}, []byte("raw2"), now)
	if err != nil {
		t.Fatal(err)
	}
	res2, _, err := db.ApplyInbound(ctx, store.InboundApply{InboundID: id2, ChannelID: ch.ID, State: ringdesk.InboundApplied,
		FromEmail: "anna@client.example", JoinTicketID: res.TicketID, Reopen: true, Status: ringdesk.StatusOpen, Body: "Ещё вопрос",
		MessageID: "second@client"}, now.Add(time.Minute))
	if err != nil || res2.NewTicket || res2.TicketID != res.TicketID {
		t.Fatalf("reply apply %+v %v", res2, err)
	}
	tk, _ := db.TicketByID(ctx, res.TicketID)
	if tk.Status != ringdesk.StatusOpen {
		t.Fatalf("status %s, want open", tk.Status)
	}
	last, err := db.LastInboundMessageID(ctx, res.TicketID)
	if err != nil || last != "second@client" {
		t.Fatalf("last inbound message id %q %v", last, err)
	}
}

// TestOutboxClaimedOnce: many claimers at once never get the same reply;
// a claim expires so a crashed sender's reply is taken again, and a sent
// reply is not.
func TestOutboxClaimedOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ch := mustMailbox(t, db, now)
	client, err := db.SeedClient(ctx, "Анна", nil, []string{"anna@client.example"}, now)
	if err != nil {
		t.Fatal(err)
	}
	in := ringdesk.TicketCreate{Subject: "Счёт", ClientID: client}
	in.Normalize()
	tk, err := db.CreateTicket(ctx, in, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	const replies = 30
	for i := range replies {
		_, err := db.AddComment(ctx, tk.ID, ringdesk.CommentCreate{Kind: "reply", AuthorType: "agent", Body: fmt.Sprint("ответ ", i)}, nil, false, now,
			&store.OutboxCreate{ChannelID: ch.ID, To: []string{"anna@client.example"}, FromName: "Olga via Support", Subject: "Re: Счёт [#1]"})
		if err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	seen := map[int64]string{}
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := fmt.Sprint("worker-", w)
			for {
				items, err := db.ClaimOutbox(ctx, owner, 3, now.Add(time.Minute), now)
				if err != nil {
					t.Error(err)
					return
				}
				if len(items) == 0 {
					return
				}
				mu.Lock()
				for _, it := range items {
					if prev, ok := seen[it.ID]; ok {
						t.Errorf("reply %d claimed by %s and %s", it.ID, prev, owner)
					}
					seen[it.ID] = owner
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != replies {
		t.Fatalf("claimed %d replies, want %d", len(seen), replies)
	}
	// Every claim is live: nothing more to claim until they expire.
	if items, _ := db.ClaimOutbox(ctx, "late", 100, now.Add(time.Minute), now.Add(30*time.Second)); len(items) != 0 {
		t.Fatalf("claimed %d live claims", len(items))
	}
	// After expiry the unsent ones come back; one marked sent does not.
	var sentID int64
	for id := range seen {
		sentID = id
		break
	}
	if err := db.MarkOutboxSent(ctx, sentID, now); err != nil {
		t.Fatal(err)
	}
	again, err := db.ClaimOutbox(ctx, "after-crash", 100, now.Add(3*time.Minute), now.Add(2*time.Minute))
	if err != nil || len(again) != replies-1 {
		t.Fatalf("after expiry claimed %d, want %d (%v)", len(again), replies-1, err)
	}
	// The message recorded before a send is kept for a resend; a claim
	// held by another owner cannot record one.
	it := again[0]
	if err := db.RecordOutboxMessage(ctx, it.ID, "someone-else", "x@example.com", []byte("raw"), now); ringdesk.ErrorCode(err) != ringdesk.ECONFLICT {
		t.Fatalf("record by another owner: %v", err)
	}
	if err := db.RecordOutboxMessage(ctx, it.ID, "after-crash", "m1@example.com", []byte("raw"), now); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkOutboxRetry(ctx, it.ID, "451 try later", now.Add(10*time.Minute), now.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	back, _ := db.ClaimOutbox(ctx, "next", 100, now.Add(20*time.Minute), now.Add(11*time.Minute))
	var got *store.OutboxItem
	for _, b := range back {
		if b.ID == it.ID {
			got = b
		}
	}
	if got == nil || got.MessageID != "m1@example.com" || string(got.Raw) != "raw" || got.Attempts != 1 {
		t.Fatalf("retried reply %+v", got)
	}
	d, err := db.TicketDeliveries(ctx, tk.ID)
	if err != nil || d[got.EventID] == nil || d[got.EventID].Status != ringdesk.DeliveryQueued || d[got.EventID].Error != "451 try later" {
		t.Fatalf("deliveries %v %v", d[got.EventID], err)
	}
	if id, err := db.OutboxByMessageID(ctx, "m1@example.com"); err != nil || id != it.ID {
		t.Fatalf("by message id %d %v", id, err)
	}
	if err := db.MarkOutboxFailed(ctx, it.ID, "550 no such user", now); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.RetryOutbox(ctx, tk.ID, got.EventID, now); err != nil || !ok {
		t.Fatalf("retry %v %v", ok, err)
	}
	if ok, _ := db.RetryOutbox(ctx, tk.ID, got.EventID, now); ok {
		t.Fatal("a queued reply was retried again")
	}
}

// TestLeaseOneHolder: one owner holds a lease until it expires.
func TestLeaseOneHolder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	if ok, err := db.TakeLease(ctx, "mail-fetch:1", "a", now, now.Add(time.Minute)); err != nil || !ok {
		t.Fatalf("a: %v %v", ok, err)
	}
	if ok, err := db.TakeLease(ctx, "mail-fetch:1", "b", now.Add(time.Second), now.Add(time.Minute)); err != nil || ok {
		t.Fatalf("b while a holds it: %v %v", ok, err)
	}
	if ok, _ := db.TakeLease(ctx, "mail-fetch:1", "a", now.Add(30*time.Second), now.Add(2*time.Minute)); !ok {
		t.Fatal("a could not renew")
	}
	if ok, _ := db.TakeLease(ctx, "mail-fetch:1", "b", now.Add(3*time.Minute), now.Add(5*time.Minute)); !ok {
		t.Fatal("b could not take an expired lease")
	}
	if err := db.ReleaseLease(ctx, "mail-fetch:1", "b"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := db.TakeLease(ctx, "mail-fetch:1", "c", now.Add(3*time.Minute), now.Add(5*time.Minute)); !ok {
		t.Fatal("c could not take a released lease")
	}
}

// TestTicketMessageIDsTrimmed: a long thread's References keep its first
// Message-ID and the latest ones, at most 20, oldest first.
func TestTicketMessageIDsTrimmed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	client, err := db.SeedClient(ctx, "Анна", nil, []string{"anna@client.example"}, now)
	if err != nil {
		t.Fatal(err)
	}
	in := ringdesk.TicketCreate{Subject: "Долгая переписка", ClientID: client}
	in.Normalize()
	tk, err := db.CreateTicket(ctx, in, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 30; i++ {
		if _, err := db.ExecForTest(ctx, `INSERT INTO email_message_ids (message_id, ticket_id, event_id, outgoing) VALUES ($1, $2, $3, $4)`,
			fmt.Sprintf("m%02d@x", i), tk.ID, i, i%2 == 0); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.TicketMessageIDs(ctx, tk.ID)
	if err != nil || len(got) != 20 || got[0] != "m01@x" || got[1] != "m12@x" || got[19] != "m30@x" {
		t.Fatalf("references %v %v", got, err)
	}
}

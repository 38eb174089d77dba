package ringdesk

import (
	"slices"
	"testing"
	"time"
)

func TestChooseThread(t *testing.T) {
	mine := ThreadRef{TicketID: 10, ClientID: 1, Status: StatusOpen, Via: "in-reply-to"}
	other := ThreadRef{TicketID: 20, ClientID: 2, Status: StatusOpen, Via: "in-reply-to"}
	deleted := ThreadRef{TicketID: 30, ClientID: 1, Status: StatusDeleted, Via: "references"}
	bySubject := ThreadRef{TicketID: 40, ClientID: 1, Status: StatusClosed, Via: "subject"}
	for _, tc := range []struct {
		name string
		in   ThreadInput
		want int64
	}{
		{"reply of the ticket's client joins", ThreadInput{SenderClientID: 1, Refs: []ThreadRef{mine}}, 10},
		{"forged In-Reply-To from another sender", ThreadInput{SenderClientID: 1, Refs: []ThreadRef{other}}, 0},
		{"unknown sender never joins", ThreadInput{SenderClientID: 0, Refs: []ThreadRef{mine}}, 0},
		{"first trusted match wins", ThreadInput{SenderClientID: 1, Refs: []ThreadRef{other, mine, bySubject}}, 10},
		{"deleted tickets are skipped", ThreadInput{SenderClientID: 1, Refs: []ThreadRef{deleted, bySubject}}, 40},
		{"subject number of another client's ticket", ThreadInput{SenderClientID: 2, Refs: []ThreadRef{bySubject}}, 0},
		{"no refs", ThreadInput{SenderClientID: 1}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ChooseThread(tc.in)
			var id int64
			if got != nil {
				id = got.TicketID
			}
			if id != tc.want {
				t.Errorf("ChooseThread = %d, want %d", id, tc.want)
			}
		})
	}
}

func TestClientReplyStatus(t *testing.T) {
	for _, tc := range []struct {
		status, machine, want string
		changed               bool
	}{
		{StatusSolved, MachineNone, StatusOpen, true},
		{StatusClosed, MachineNone, StatusOpen, true},
		{StatusPending, MachineNone, StatusOpen, true},
		{StatusOnHold, MachineNone, StatusOpen, true},
		{StatusNew, MachineNone, StatusNew, false},
		{StatusOpen, MachineNone, StatusOpen, false},
		{StatusSpam, MachineNone, StatusSpam, false},
		{StatusSolved, MachineAutoReply, StatusSolved, false},
		{StatusClosed, MachineBulk, StatusClosed, false},
	} {
		got, changed := ClientReplyStatus(tc.status, tc.machine)
		if got != tc.want || changed != tc.changed {
			t.Errorf("ClientReplyStatus(%q, %q) = %q, %v; want %q, %v", tc.status, tc.machine, got, changed, tc.want, tc.changed)
		}
	}
}

func TestDecideInbound(t *testing.T) {
	thread := &ThreadRef{TicketID: 5, ClientID: 1}
	for _, tc := range []struct {
		name string
		in   InboundInput
		want InboundAction
	}{
		{"new mail makes a ticket", InboundInput{}, InboundAction{NewTicket: true}},
		{"reply joins", InboundInput{Thread: thread}, InboundAction{}},
		{"our own mail is ignored", InboundInput{FromMailbox: true, Thread: thread}, InboundAction{Ignore: true, Reason: "sent from the mailbox itself"}},
		{"auto-reply to a ticket joins it", InboundInput{Machine: MachineAutoReply, Thread: thread}, InboundAction{}},
		{"auto-reply to nothing is only kept", InboundInput{Machine: MachineAutoReply}, InboundAction{Ignore: true, Reason: "an auto-reply to no ticket"}},
		{"list mail makes a ticket", InboundInput{Machine: MachineBulk}, InboundAction{NewTicket: true}},
		{"bounce of our reply marks it", InboundInput{Machine: MachineBounce, BouncedReply: true}, InboundAction{MarkBounce: true}},
		{"other bounces are only kept", InboundInput{Machine: MachineBounce}, InboundAction{Ignore: true, Reason: "a bounce of no reply of ours"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := DecideInbound(tc.in); got != tc.want {
				t.Errorf("DecideInbound = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestSubjects(t *testing.T) {
	for _, tc := range []struct{ in, reply, inbound string }{
		{"Printer broken", "Re: Printer broken [#7]", "Printer broken"},
		{"Re: Printer broken [#7]", "Re: Printer broken [#7]", "Printer broken"},
		{"RE: Fwd: re:  Счёт   [#3]", "Re: Счёт [#7]", "Счёт"},
		{"Отв: Счёт", "Re: Счёт [#7]", "Счёт"},
		{"", "Re: [#7]", "(no subject)"},
	} {
		if got := ReplySubject(tc.in, 7); got != tc.reply {
			t.Errorf("ReplySubject(%q) = %q, want %q", tc.in, got, tc.reply)
		}
		if got := InboundSubject(tc.in); got != tc.inbound {
			t.Errorf("InboundSubject(%q) = %q, want %q", tc.in, got, tc.inbound)
		}
	}
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"Re: Printer [#12]", 12, true},
		{"Fwd: [#3] old, Re: [#45]", 45, true},
		{"Order #12", 0, false},
		{"[#0]", 0, false},
	} {
		n, ok := SubjectTicketNumber(tc.in)
		if n != tc.want || ok != tc.ok {
			t.Errorf("SubjectTicketNumber(%q) = %d, %v; want %d, %v", tc.in, n, ok, tc.want, tc.ok)
		}
	}
}

func TestReplyRecipients(t *testing.T) {
	emails := []string{"a@example.com", "b@example.com"}
	for _, tc := range []struct {
		last string
		want []string
	}{
		{"B@Example.com", []string{"b@example.com"}},
		{"stranger@example.com", []string{"a@example.com"}},
		{"", []string{"a@example.com"}},
	} {
		if got := ReplyRecipients(emails, tc.last); !slices.Equal(got, tc.want) {
			t.Errorf("ReplyRecipients(%q) = %v, want %v", tc.last, got, tc.want)
		}
	}
	if got := ReplyRecipients(nil, "x@example.com"); got != nil {
		t.Errorf("without addresses: %v, want nil", got)
	}
}

func TestParseRecipients(t *testing.T) {
	got, err := ParseRecipients(" A@example.com, <b@example.com>; a@example.com ")
	if err != nil || !slices.Equal(got, []string{"a@example.com", "b@example.com"}) {
		t.Errorf("ParseRecipients = %v, %v", got, err)
	}
	for _, bad := range []string{"not-an-address", "Anna <a@example.com>", "a@example.com,@"} {
		if _, err := ParseRecipients(bad); err == nil {
			t.Errorf("ParseRecipients(%q) accepted", bad)
		}
	}
	// CR/LF split the input into words: the injected header becomes an invalid address.
	if _, err := ParseRecipients("x@example.com\r\nBcc: y@example.com"); err == nil {
		t.Error("header injection accepted")
	}
}

func TestReplyFromName(t *testing.T) {
	for _, tc := range []struct{ agent, box, want string }{
		{"Anna", "Support", "Anna via Support"},
		{"", "Support", "Support"},
		{"Anna\r\nBcc: x", "", "Anna Bcc: x"},
	} {
		if got := ReplyFromName(tc.agent, tc.box); got != tc.want {
			t.Errorf("ReplyFromName(%q, %q) = %q, want %q", tc.agent, tc.box, got, tc.want)
		}
	}
}

func TestOutboxRetry(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		attempt int
		want    time.Duration
	}{{1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute}, {8, time.Hour}, {50, time.Hour}} {
		if got := OutboxBackoff(tc.attempt); got != tc.want {
			t.Errorf("OutboxBackoff(%d) = %v, want %v", tc.attempt, got, tc.want)
		}
	}
	if next, give := OutboxRetry(true, 2, now.Add(-time.Hour), now); give || !next.Equal(now.Add(time.Minute)) {
		t.Errorf("temporary: %v %v", next, give)
	}
	if _, give := OutboxRetry(false, 1, now, now); !give {
		t.Error("a permanent failure must give up")
	}
	if _, give := OutboxRetry(true, 30, now.Add(-OutboxGiveUp), now); !give {
		t.Error("a reply unsent for two days must give up")
	}
}

func TestEmailSettings(t *testing.T) {
	s := EmailSettings{Address: " Support@Example.com ", IMAPHost: "imap.example.com", SMTPHost: "smtp.example.com"}.WithDefaults()
	if s.Address != "support@example.com" || s.IMAPPort != 993 || s.SMTPPort != 587 || s.IMAPFolder != "INBOX" || s.IMAPUser != "support@example.com" {
		t.Errorf("defaults: %+v", s)
	}
	var v Validation
	s.Validate(&v)
	if err := v.Err(); err != nil {
		t.Errorf("valid settings refused: %v", err)
	}
	bad := EmailSettings{Address: "nope", IMAPHost: "imap.example.com/x", SMTPHost: "", IMAPTLS: "ssl", DisplayName: "a\r\nb"}.WithDefaults()
	var v2 Validation
	bad.Validate(&v2)
	fields := ErrorFields(v2.Err())
	for _, f := range []string{"address", "imap_host", "smtp_host", "imap_tls", "display_name"} {
		if fields[f] == "" {
			t.Errorf("no error for %s: %v", f, fields)
		}
	}
}

func TestInboundKeyAndThreadIDs(t *testing.T) {
	if got := InboundKey(" <abc@x> ", nil); got != "abc@x" {
		t.Errorf("InboundKey = %q", got)
	}
	a, b := InboundKey("", []byte("one")), InboundKey("", []byte("two"))
	if a == b || len(a) != len("sha256:")+64 {
		t.Errorf("digest keys %q %q", a, b)
	}
	got := ThreadMessageIDs("<c@x>", []string{"<a@x>", "<b@x>", "<c@x>"})
	if !slices.Equal(got, []string{"c@x", "b@x", "a@x"}) {
		t.Errorf("ThreadMessageIDs = %v", got)
	}
}

func TestReplyMailbox(t *testing.T) {
	uis := &Channel{ID: 1, Type: ChannelTypeUIS, Active: true}
	boxA := &Channel{ID: 3, Type: ChannelTypeEmail, Active: true}
	boxB := &Channel{ID: 2, Type: ChannelTypeEmail, Active: true}
	off := &Channel{ID: 4, Type: ChannelTypeEmail, Active: false}
	all := []*Channel{uis, boxA, boxB, off}
	id := func(n int64) *int64 { return &n }
	for _, tc := range []struct {
		name    string
		channel *int64
		list    []*Channel
		want    int64
	}{
		{"the ticket's own mailbox", id(3), all, 3},
		{"a call ticket uses the first mailbox", id(1), all, 2},
		{"a ticket without a channel too", nil, all, 2},
		{"an inactive own mailbox is not used", id(4), all, 2},
		{"no mailbox", id(1), []*Channel{uis, off}, 0},
	} {
		got := ReplyMailbox(tc.channel, tc.list)
		var gotID int64
		if got != nil {
			gotID = got.ID
		}
		if gotID != tc.want {
			t.Errorf("%s: ReplyMailbox = %d, want %d", tc.name, gotID, tc.want)
		}
	}
}

func TestRewriteCIDs(t *testing.T) {
	in := `<p><img src="cid:logo@x"> <img src="cid:other@x"> <img src="https://x/y.png"></p>`
	got := RewriteCIDs(in, map[string]string{"logo@x": "/mail/1/attachments/0"})
	want := `<p><img src="/mail/1/attachments/0"> <img src="cid:other@x"> <img src="https://x/y.png"></p>`
	if got != want {
		t.Errorf("RewriteCIDs = %s\nwant %s", got, want)
	}
}

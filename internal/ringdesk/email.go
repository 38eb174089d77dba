package ringdesk

import (
	"crypto/sha256"
	"encoding/hex"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ChannelTypeEmail is a mailbox: IMAP for incoming mail, SMTP for replies.
const ChannelTypeEmail = "email"

// TLS modes of an email channel's IMAP and SMTP connections.
const (
	TLSNone     = "none"     // plain text (a server on the same host)
	TLSStartTLS = "starttls" // plain, then STARTTLS
	TLSImplicit = "tls"      // TLS from the first byte (IMAPS 993, SMTPS 465)
)

// EmailSettings are an email channel's settings, stored as JSON; the IMAP
// and SMTP passwords are sealed apart and never part of them.
type EmailSettings struct {
	Address     string `json:"address"`
	DisplayName string `json:"display_name"`
	IMAPHost    string `json:"imap_host"`
	IMAPPort    int    `json:"imap_port"`
	IMAPTLS     string `json:"imap_tls"`
	IMAPUser    string `json:"imap_user"`
	IMAPFolder  string `json:"imap_folder"`
	SMTPHost    string `json:"smtp_host"`
	SMTPPort    int    `json:"smtp_port"`
	SMTPTLS     string `json:"smtp_tls"`
	SMTPUser    string `json:"smtp_user"`
	// PollSeconds is how often the mailbox is read when the server has no
	// IDLE (0: 60).
	PollSeconds int `json:"poll_seconds,omitempty"`
}

// WithDefaults fills empty settings: the usual ports for the TLS modes,
// INBOX, the address as login.
func (s EmailSettings) WithDefaults() EmailSettings {
	s.Address = NormalizeEmail(s.Address)
	s.DisplayName = strings.TrimSpace(s.DisplayName)
	s.IMAPHost = strings.ToLower(strings.TrimSpace(s.IMAPHost))
	s.SMTPHost = strings.ToLower(strings.TrimSpace(s.SMTPHost))
	s.IMAPUser = strings.TrimSpace(s.IMAPUser)
	s.SMTPUser = strings.TrimSpace(s.SMTPUser)
	s.IMAPFolder = strings.TrimSpace(s.IMAPFolder)
	if s.IMAPTLS == "" {
		s.IMAPTLS = TLSImplicit
	}
	if s.SMTPTLS == "" {
		s.SMTPTLS = TLSStartTLS
	}
	if s.IMAPPort == 0 {
		s.IMAPPort = map[string]int{TLSImplicit: 993, TLSStartTLS: 143, TLSNone: 143}[s.IMAPTLS]
	}
	if s.SMTPPort == 0 {
		s.SMTPPort = map[string]int{TLSImplicit: 465, TLSStartTLS: 587, TLSNone: 25}[s.SMTPTLS]
	}
	if s.IMAPFolder == "" {
		s.IMAPFolder = "INBOX"
	}
	if s.IMAPUser == "" {
		s.IMAPUser = s.Address
	}
	if s.PollSeconds == 0 {
		s.PollSeconds = 60
	}
	return s
}

// Poll returns how often the mailbox is read without IDLE.
func (s EmailSettings) Poll() time.Duration {
	return time.Duration(max(s.PollSeconds, 1)) * time.Second
}

func validTLS(m string) bool { return m == TLSNone || m == TLSStartTLS || m == TLSImplicit }

func validHost(h string) bool {
	return h != "" && len(h) <= 253 && !strings.ContainsAny(h, "/ ?#@:\r\n\t")
}

// Validate reports every invalid setting (of settings with defaults).
func (s EmailSettings) Validate(v *Validation) {
	v.Check(ValidEmail(s.Address), "address", "Enter the mailbox's email address, such as support@example.com.")
	v.Check(utf8.RuneCountInString(s.DisplayName) <= 100 && !strings.ContainsAny(s.DisplayName, "\r\n"), "display_name",
		"The display name must be one line of at most 100 characters.")
	v.Check(validHost(s.IMAPHost), "imap_host", "Enter the IMAP server's host name, such as imap.example.com.")
	v.Check(validHost(s.SMTPHost), "smtp_host", "Enter the SMTP server's host name, such as smtp.example.com.")
	v.Check(s.IMAPPort > 0 && s.IMAPPort < 65536, "imap_port", "The port must be between 1 and 65535.")
	v.Check(s.SMTPPort > 0 && s.SMTPPort < 65536, "smtp_port", "The port must be between 1 and 65535.")
	v.Check(validTLS(s.IMAPTLS), "imap_tls", "TLS must be none, starttls or tls.")
	v.Check(validTLS(s.SMTPTLS), "smtp_tls", "TLS must be none, starttls or tls.")
	v.Check(len(s.IMAPUser) <= 254 && !strings.ContainsAny(s.IMAPUser, "\r\n"), "imap_user", "The login is too long.")
	v.Check(len(s.SMTPUser) <= 254 && !strings.ContainsAny(s.SMTPUser, "\r\n"), "smtp_user", "The login is too long.")
	v.Check(len(s.IMAPFolder) <= 200 && !strings.ContainsAny(s.IMAPFolder, "\r\n\"*%"), "imap_folder", "Enter a folder name such as INBOX.")
	v.Check(s.PollSeconds >= 5 && s.PollSeconds <= 3600, "poll_seconds", "Poll every 5 to 3600 seconds.")
}

// ValidEmail reports whether s is a bare lower-case email address.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254 && strings.Contains(s, "@")
}

// Delivery statuses of a public reply sent by email.
const (
	DeliveryQueued = "queued" // waiting to be sent (or retried)
	DeliverySent   = "sent"   // the SMTP server accepted it
	DeliveryFailed = "failed" // refused for good, or bounced
)

// Delivery is how a reply's email went.
type Delivery struct {
	OutboxID int64
	Status   string
	Error    string // the server's reason when failed (or the last temporary one while queued)
	To       []string
	Attempts int
	// NextAttemptAt is when a queued reply is tried again.
	NextAttemptAt time.Time
	SentAt        *time.Time
	MessageID     string
}

// Machine mail kinds (what internal/mail detects in headers).
const (
	MachineNone      = ""
	MachineAutoReply = "auto-reply" // Auto-Submitted, X-Autoreply, vacation
	MachineBulk      = "bulk"       // Precedence bulk/list, List-Id
	MachineBounce    = "bounce"     // a delivery-status report
)

// InboundState is what became of a stored incoming message.
const (
	InboundPending = "pending" // stored raw, not applied yet
	InboundApplied = "applied" // on a ticket
	InboundIgnored = "ignored" // kept raw only (Reason says why)
	InboundFailed  = "failed"  // could not be applied (Reason says why); kept to apply again
)

// ThreadRef is a ticket an incoming message may belong to, as the store
// found it: by a Message-ID the message refers to or by the ticket number
// in its subject.
type ThreadRef struct {
	TicketID int64
	ClientID int64 // the ticket's client
	Status   string
	// Via is how it was found: "in-reply-to", "references" or "subject".
	Via string
}

// ThreadInput is what decides which ticket an incoming message joins.
type ThreadInput struct {
	// SenderClientID is the client whose address sent the message (0: nobody's).
	SenderClientID int64
	// Refs are the candidate tickets in order of trust: In-Reply-To first,
	// then References from the newest, then the subject's number.
	Refs []ThreadRef
}

// ChooseThread returns the ticket an incoming message joins, or nil for a
// new ticket. A message joins a ticket only when its sender is that
// ticket's client: a forged In-Reply-To or a number typed into a subject
// by somebody else must not put text into another client's ticket.
// Deleted tickets are never joined.
func ChooseThread(in ThreadInput) *ThreadRef {
	if in.SenderClientID == 0 {
		return nil
	}
	for i := range in.Refs {
		r := in.Refs[i]
		if r.ClientID == in.SenderClientID && r.Status != StatusDeleted {
			return &r
		}
	}
	return nil
}

// ClientReplyStatus returns the status a ticket takes when its client
// writes to it: a reply to a solved, closed, pending or on-hold ticket
// reopens it (as Usedesk does); new, open and spam stay. Machine mail
// (auto-replies, lists, bounces) never changes the status.
func ClientReplyStatus(status, machine string) (string, bool) {
	if machine != MachineNone {
		return status, false
	}
	switch status {
	case StatusSolved, StatusClosed, StatusPending, StatusOnHold:
		return StatusOpen, true
	}
	return status, false
}

// InboundAction is what to do with an incoming message.
type InboundAction struct {
	// Ignore keeps the message raw only, for Reason.
	Ignore bool
	Reason string
	// NewTicket makes a ticket; otherwise the message joins Thread.
	NewTicket bool
	// MarkBounce marks the reply the bounce names as failed.
	MarkBounce bool
}

// InboundInput is what decides an incoming message's fate.
type InboundInput struct {
	Machine string
	// FromMailbox: the sender is the mailbox itself (a message Ringdesk
	// sent, copied back): never applied, or it could loop.
	FromMailbox bool
	Thread      *ThreadRef // ChooseThread's answer
	// BouncedReply: a bounce whose original Message-ID is one of our replies.
	BouncedReply bool
}

// DecideInbound says what an incoming message does. Machine mail never
// creates a ticket that could answer it back (Ringdesk never answers
// automatically anyway): an auto-reply joins the ticket it threads into
// without reopening it, or is only kept; a list message is a ticket like
// any other mail; a bounce marks the reply it bounced.
func DecideInbound(in InboundInput) InboundAction {
	switch {
	case in.FromMailbox:
		return InboundAction{Ignore: true, Reason: "sent from the mailbox itself"}
	case in.Machine == MachineBounce && in.BouncedReply:
		return InboundAction{MarkBounce: true}
	case in.Machine == MachineBounce:
		return InboundAction{Ignore: true, Reason: "a bounce of no reply of ours"}
	case in.Machine == MachineAutoReply && in.Thread == nil:
		return InboundAction{Ignore: true, Reason: "an auto-reply to no ticket"}
	case in.Thread == nil:
		return InboundAction{NewTicket: true}
	}
	return InboundAction{}
}

var subjectRef = regexp.MustCompile(`\[#(\d{1,18})\]`)

// SubjectTicketNumber returns the ticket number written in a subject as
// "[#N]" (the last one: a forwarded subject keeps older ones in front).
func SubjectTicketNumber(subject string) (int64, bool) {
	m := subjectRef.FindAllStringSubmatch(subject, -1)
	if len(m) == 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(m[len(m)-1][1], 10, 64)
	return n, err == nil && n > 0
}

// TicketRef is the reference put in subjects of replies: "[#N]".
func TicketRef(number int64) string { return "[#" + strconv.FormatInt(number, 10) + "]" }

var replyPrefix = regexp.MustCompile(`(?i)^\s*((re|fw|fwd|aw|wg|sv|отв|ответ|пересл)\s*(\[\d+\])?\s*:\s*)+`)

// ReplySubject is the subject of a reply on ticket number: "Re: " and the
// subject without earlier reply prefixes and ticket references, then the
// ticket reference, so the client's answer finds the ticket.
func ReplySubject(subject string, number int64) string {
	s := subjectRef.ReplaceAllString(subject, "")
	s = strings.Join(strings.Fields(replyPrefix.ReplaceAllString(s, "")), " ")
	if s == "" {
		return "Re: " + TicketRef(number)
	}
	return "Re: " + s + " " + TicketRef(number)
}

// InboundSubject is the subject of a ticket made from a message: without
// reply prefixes and our reference, one line, within MaxSubjectLen; "(no
// subject)" when empty.
func InboundSubject(subject string) string {
	s := subjectRef.ReplaceAllString(subject, "")
	s = strings.Join(strings.Fields(replyPrefix.ReplaceAllString(s, "")), " ")
	if s == "" {
		return "(no subject)"
	}
	if utf8.RuneCountInString(s) > MaxSubjectLen {
		s = string([]rune(s)[:MaxSubjectLen-1]) + "…"
	}
	return s
}

// ReplyRecipients returns who a reply goes to by default: the address the
// client last wrote to the ticket from if it is still theirs, else their
// first address; nil when they have none.
func ReplyRecipients(clientEmails []string, lastFrom string) []string {
	lastFrom = NormalizeEmail(lastFrom)
	for _, e := range clientEmails {
		if e == lastFrom {
			return []string{e}
		}
	}
	if len(clientEmails) > 0 {
		return []string{clientEmails[0]}
	}
	return nil
}

// MaxRecipients bounds the addresses one reply goes to.
const MaxRecipients = 10

// ParseRecipients reads the recipients an agent typed (commas, semicolons
// or spaces between them) into lower-case bare addresses, each once.
func ParseRecipients(raw string) ([]string, error) {
	var out []string
	var v Validation
	for _, f := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\t' || r == '\r' }) {
		e := NormalizeEmail(strings.Trim(f, "<>"))
		if !ValidEmail(e) {
			v.Addf("to", "%s is not a valid email address.", f)
			continue
		}
		if !oneOf(e, out) {
			out = append(out, e)
		}
	}
	v.Check(len(out) <= MaxRecipients, "to", "At most 10 recipients.")
	return out, v.Err()
}

// ReplyFromName is the sender name of a reply: "Anna via Support" (the
// agent's name and the mailbox's), or whichever of them there is.
func ReplyFromName(agentName, mailboxName string) string {
	agentName = strings.Join(strings.Fields(agentName), " ")
	mailboxName = strings.Join(strings.Fields(mailboxName), " ")
	switch {
	case agentName == "":
		return mailboxName
	case mailboxName == "":
		return agentName
	}
	return agentName + " via " + mailboxName
}

// Outbox retry policy: a temporary failure is tried again after
// OutboxBackoff; a reply still unsent OutboxGiveUp after it was written
// fails with the last reason.
const (
	outboxFirstRetry = 30 * time.Second
	outboxMaxRetry   = time.Hour
	OutboxGiveUp     = 48 * time.Hour
)

// OutboxBackoff returns how long to wait after the attempt-th failed
// attempt (1-based): 30 s doubling to at most an hour.
func OutboxBackoff(attempt int) time.Duration {
	d := outboxFirstRetry
	for i := 1; i < attempt && d < outboxMaxRetry; i++ {
		d *= 2
	}
	return min(d, outboxMaxRetry)
}

// OutboxRetry decides what follows a failed attempt to send: retry at
// next, or give up (a permanent refusal, or a temporary one past the
// give-up age).
func OutboxRetry(temporary bool, attempts int, queuedAt, now time.Time) (next time.Time, giveUp bool) {
	if !temporary || now.Sub(queuedAt) >= OutboxGiveUp {
		return time.Time{}, true
	}
	return now.Add(OutboxBackoff(attempts)), false
}

// InboundKey is the key an incoming message is deduplicated by: its
// Message-ID, or for a message without one a digest of its bytes.
func InboundKey(messageID string, raw []byte) string {
	id := strings.TrimSpace(messageID)
	id = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	if id != "" && len(id) <= 900 {
		return id
	}
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// NormalizeMessageID strips the angle brackets and space of a Message-ID.
func NormalizeMessageID(id string) string {
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(id), "<"), ">")
}

// ThreadMessageIDs returns the Message-IDs an incoming message refers to,
// in order of trust: In-Reply-To, then References newest first, each once.
func ThreadMessageIDs(inReplyTo string, references []string) []string {
	var out []string
	add := func(id string) {
		if id = NormalizeMessageID(id); id != "" && !oneOf(id, out) && len(out) < 50 {
			out = append(out, id)
		}
	}
	add(inReplyTo)
	for i := len(references) - 1; i >= 0; i-- {
		add(references[i])
	}
	return out
}

// EmailAttachment describes a file that came with an incoming message.
type EmailAttachment struct {
	Index       int    `json:"index"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Inline      bool   `json:"inline,omitempty"`
	ContentID   string `json:"content_id,omitempty"`
}

// EmailMeta is what a timeline entry of an incoming message records (its
// data JSON "email" object).
type EmailMeta struct {
	InboundID   int64             `json:"inbound_id"`
	From        string            `json:"from"`
	FromName    string            `json:"from_name,omitempty"`
	To          []string          `json:"to,omitempty"`
	Subject     string            `json:"subject,omitempty"`
	MessageID   string            `json:"message_id,omitempty"`
	Machine     string            `json:"machine,omitempty"`
	HasHTML     bool              `json:"has_html,omitempty"`
	Remote      bool              `json:"remote_images,omitempty"`
	Attachments []EmailAttachment `json:"attachments,omitempty"`
	// Problems are what could not be read of the message (broken MIME, an
	// unknown charset, a part cut short, the whole message cut at the size
	// limit), in English; the raw message is kept for the agent to
	// download. Empty for a message read whole.
	Problems []string `json:"problems,omitempty"`
}

// ReplyMailbox returns the mailbox an agent's public reply on a ticket is
// sent from: the ticket's own channel when it is an active mailbox, else
// (a call ticket, a ticket made by hand) the first active mailbox; nil
// when there is none.
func ReplyMailbox(ticketChannelID *int64, channels []*Channel) *Channel {
	var first *Channel
	for _, c := range channels {
		if c.Type != ChannelTypeEmail || !c.Active {
			continue
		}
		if ticketChannelID != nil && c.ID == *ticketChannelID {
			return c
		}
		if first == nil || c.ID < first.ID {
			first = c
		}
	}
	return first
}

// MessageIDDomain is the domain part of a mailbox address, for the
// Message-IDs of its replies.
func MessageIDDomain(address string) string {
	if i := strings.LastIndexByte(address, '@'); i >= 0 && i < len(address)-1 {
		return address[i+1:]
	}
	return "ringdesk.invalid"
}

// RewriteCIDs points the cid: image sources of sanitised HTML at the URLs
// of the attachments with those Content-IDs; a cid: naming no attachment
// is left as is (it shows nothing).
func RewriteCIDs(html string, urls map[string]string) string {
	if len(urls) == 0 || !strings.Contains(html, "cid:") {
		return html
	}
	pairs := make([]string, 0, len(urls)*4)
	for cid, u := range urls {
		esc := htmlAttrEscaper.Replace(cid)
		pairs = append(pairs, `"cid:`+esc+`"`, `"`+u+`"`, `'cid:`+esc+`'`, `'`+u+`'`)
	}
	return strings.NewReplacer(pairs...).Replace(html)
}

var htmlAttrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

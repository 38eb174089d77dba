package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	gomail "github.com/emersion/go-message/mail"
)

// MaxReferences is how many ids an outgoing References header keeps: the
// first (the thread's root) and the most recent ones, as clients trim long
// threads from the middle.
const MaxReferences = 20

// Compose errors; wrapped with the offending value.
var (
	ErrInvalidAddress = errors.New("invalid email address")
	ErrNoRecipients   = errors.New("no recipients")
	ErrInvalidHeader  = errors.New("invalid header")
)

// Outgoing is a message to send.
type Outgoing struct {
	// From is the mailbox; its Name is usually the agent's name and the
	// mailbox's ("Anna via Support").
	From    Address
	To, Cc  []Address
	ReplyTo []Address
	Subject string
	Text    string // the plain-text body; made from HTML when empty
	HTML    string // optional HTML alternative
	// InReplyTo and References thread the reply under the client's
	// message: InReplyTo is the parent's Message-ID, References the
	// parent's References (Compose appends InReplyTo when missing).
	InReplyTo  string
	References []string
	// TicketRef such as "[#123]" is appended to the subject when the
	// subject does not contain it, for clients that break threading.
	TicketRef string
	// MessageID is used as is when set (a retry must resend the same id);
	// otherwise Compose generates one @MessageIDDomain (default: From's
	// domain).
	MessageID       string
	MessageIDDomain string
	Date            time.Time // zero: now
	// Automatic marks mail no human wrote (acknowledgements):
	// Auto-Submitted: auto-replied (RFC 3834), so other robots do not answer.
	Automatic bool
	// Headers are extra header fields. Names must be plain tokens and may
	// not replace the ones Compose writes.
	Headers     map[string]string
	Attachments []Attachment
}

// Compose builds the raw RFC 5322 message for o and returns it with its
// Message-ID (without angle brackets). Header injection is impossible:
// CR, LF and other control characters in names, subjects and header values
// become spaces, addresses are checked, and non-ASCII text is RFC 2047
// encoded.
func Compose(o Outgoing) (raw []byte, messageID string, err error) {
	h, messageID, err := composeHeader(o)
	if err != nil {
		return nil, "", err
	}
	text := o.Text
	if strings.TrimSpace(text) == "" && o.HTML != "" {
		text = HTMLToText(o.HTML)
	}
	var buf bytes.Buffer
	switch {
	case len(o.Attachments) > 0:
		err = writeMixed(&buf, h, text, o.HTML, o.Attachments)
	case o.HTML != "":
		err = writeAlternative(&buf, h, text, o.HTML)
	default:
		h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		var w io.WriteCloser
		if w, err = gomail.CreateSingleInlineWriter(&buf, h); err == nil {
			err = writeAndClose(w, text)
		}
	}
	if err != nil {
		return nil, "", fmt.Errorf("mail: compose: %w", err)
	}
	return buf.Bytes(), messageID, nil
}

func writeAndClose(w io.WriteCloser, s string) error {
	if _, err := io.WriteString(w, s); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

func writeAlternative(buf *bytes.Buffer, h gomail.Header, text, html string) error {
	iw, err := gomail.CreateInlineWriter(buf, h)
	if err != nil {
		return err
	}
	if err := writeInlineParts(iw, text, html); err != nil {
		return err
	}
	return iw.Close()
}

func writeInlineParts(iw *gomail.InlineWriter, text, html string) error {
	for _, part := range []struct{ typ, body string }{{"text/plain", text}, {"text/html", html}} {
		var ph gomail.InlineHeader
		ph.SetContentType(part.typ, map[string]string{"charset": "utf-8"})
		w, err := iw.CreatePart(ph)
		if err != nil {
			return err
		}
		if err := writeAndClose(w, part.body); err != nil {
			return err
		}
	}
	return nil
}

func writeMixed(buf *bytes.Buffer, h gomail.Header, text, html string, atts []Attachment) error {
	mw, err := gomail.CreateWriter(buf, h)
	if err != nil {
		return err
	}
	if html != "" {
		iw, err := mw.CreateInline()
		if err != nil {
			return err
		}
		if err := writeInlineParts(iw, text, html); err != nil {
			return err
		}
		if err := iw.Close(); err != nil {
			return err
		}
	} else {
		var ph gomail.InlineHeader
		ph.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		w, err := mw.CreateSingleInline(ph)
		if err != nil {
			return err
		}
		if err := writeAndClose(w, text); err != nil {
			return err
		}
	}
	for _, a := range atts {
		var ah gomail.AttachmentHeader
		ct := a.ContentType
		if _, _, err := mime.ParseMediaType(ct); err != nil || ct == "" {
			ct = "application/octet-stream"
		}
		ah.SetContentType(ct, nil)
		ah.SetFilename(cleanFilename(a.Filename))
		if a.ContentID != "" {
			ah.Set("Content-Id", "<"+oneLine(a.ContentID)+">")
		}
		w, err := mw.CreateAttachment(ah)
		if err != nil {
			return err
		}
		if _, err := w.Write(a.Data); err != nil {
			w.Close()
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	return mw.Close()
}

// composedHeaders are the fields Compose writes; Outgoing.Headers may not
// set them.
var composedHeaders = map[string]bool{
	"From": true, "To": true, "Cc": true, "Bcc": true, "Reply-To": true, "Subject": true,
	"Date": true, "Message-Id": true, "In-Reply-To": true, "References": true,
	"Mime-Version": true, "Content-Type": true, "Content-Transfer-Encoding": true,
	"Content-Disposition": true, "Sender": true, "Return-Path": true,
}

var headerNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,75}$`)

func composeHeader(o Outgoing) (gomail.Header, string, error) {
	var h gomail.Header
	from, err := cleanAddresses("from", []Address{o.From})
	if err != nil {
		return h, "", err
	}
	to, err := cleanAddresses("to", o.To)
	if err != nil {
		return h, "", err
	}
	cc, err := cleanAddresses("cc", o.Cc)
	if err != nil {
		return h, "", err
	}
	replyTo, err := cleanAddresses("reply-to", o.ReplyTo)
	if err != nil {
		return h, "", err
	}
	if len(to)+len(cc) == 0 {
		return h, "", ErrNoRecipients
	}
	id, err := messageIDFor(o)
	if err != nil {
		return h, "", err
	}
	date := o.Date
	if date.IsZero() {
		date = time.Now()
	}
	h.SetDate(date)
	h.SetAddressList("From", from)
	h.SetAddressList("To", to)
	h.SetAddressList("Cc", cc)
	h.SetAddressList("Reply-To", replyTo)
	h.Set("Subject", headerText(subjectFor(o.Subject, o.TicketRef)))
	h.SetMessageID(id)
	if irt := cleanMsgID(o.InReplyTo); irt != "" {
		h.SetMsgIDList("In-Reply-To", []string{irt})
	}
	h.SetMsgIDList("References", references(o.References, o.InReplyTo))
	if o.Automatic {
		h.Set("Auto-Submitted", "auto-replied")
		h.Set("X-Auto-Response-Suppress", "All")
	}
	for k, v := range o.Headers {
		if !headerNameRe.MatchString(k) {
			return h, "", fmt.Errorf("%w: name %q", ErrInvalidHeader, k)
		}
		if composedHeaders[textproto.CanonicalMIMEHeaderKey(k)] {
			return h, "", fmt.Errorf("%w: %s is written by Compose", ErrInvalidHeader, k)
		}
		h.Set(k, headerText(oneLine(v)))
	}
	return h, id, nil
}

// subjectFor puts the subject on one line and the ticket reference in it.
func subjectFor(subject, ref string) string {
	s := oneLine(subject)
	ref = oneLine(ref)
	if ref != "" && !strings.Contains(s, ref) {
		s = strings.TrimSpace(s + " " + ref)
	}
	return s
}

func cleanAddresses(field string, in []Address) ([]*gomail.Address, error) {
	out := make([]*gomail.Address, 0, len(in))
	for _, a := range in {
		email, err := CheckEmail(a.Email)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		name := strings.TrimSpace(oneLine(a.Name))
		if strings.Contains(name, "=?") {
			// Written as is, it would be decoded as an encoded word on the
			// other side; encoded, it comes back as typed.
			name = encodedWords(name)
		}
		out = append(out, &gomail.Address{Name: name, Address: email})
	}
	return out, nil
}

// headerText encodes header text as RFC 2047 words when it is not plain
// ASCII, or when it holds "=?" that a reader would take for an encoded word.
func headerText(s string) string {
	if strings.Contains(s, "=?") {
		return encodedWords(s)
	}
	return mime.QEncoding.Encode("utf-8", s)
}

// encodedWords writes s as UTF-8 "B" encoded words of at most 45 bytes of
// text each (under the 75 characters RFC 2047 allows a word), never
// splitting a character. The mime package has no way to force encoding.
func encodedWords(s string) string {
	var words []string
	for len(s) > 0 {
		n := 0
		for n < len(s) {
			_, size := utf8.DecodeRuneInString(s[n:])
			if n+size > 45 {
				break
			}
			n += size
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, " ")
}

// CheckEmail returns the address trimmed when it is a plain addr-spec
// (local@domain, nothing around it), else an error wrapping
// ErrInvalidAddress.
func CheckEmail(s string) (string, error) {
	e := strings.TrimSpace(s)
	bad := e == "" || strings.ContainsAny(e, "<>,;\" \t\r\n\\()[]") || strings.Count(e, "@") != 1 ||
		strings.HasPrefix(e, "@") || strings.HasSuffix(e, "@")
	if !bad {
		a, err := mail.ParseAddress(e)
		bad = err != nil || a.Address != e
	}
	if bad {
		return "", fmt.Errorf("%w: %q", ErrInvalidAddress, s)
	}
	return e, nil
}

// cleanMsgID strips angle brackets and refuses ids that could not be
// written back into a header.
func cleanMsgID(id string) string {
	id = strings.TrimSpace(id)
	id = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	if id == "" || strings.ContainsAny(id, "<> \t\r\n") || !isPrintableASCII(id) {
		return ""
	}
	return id
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// references builds the References of a reply: the parent's References
// plus the parent's id, without duplicates, trimmed from the middle.
func references(refs []string, inReplyTo string) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range append(append([]string{}, refs...), inReplyTo) {
		if id := cleanMsgID(r); id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	if len(out) > MaxReferences {
		out = append(out[:1], out[len(out)-(MaxReferences-1):]...)
	}
	return out
}

var domainRe = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]{0,250}[A-Za-z0-9])?$`)

func messageIDFor(o Outgoing) (string, error) {
	if o.MessageID != "" {
		id := cleanMsgID(o.MessageID)
		if id == "" || !strings.Contains(id, "@") {
			return "", fmt.Errorf("%w: Message-ID %q", ErrInvalidHeader, o.MessageID)
		}
		return id, nil
	}
	domain := o.MessageIDDomain
	if domain == "" {
		_, domain, _ = strings.Cut(o.From.Email, "@")
	}
	domain = strings.TrimSpace(domain)
	if !domainRe.MatchString(domain) {
		return "", fmt.Errorf("%w: Message-ID domain %q", ErrInvalidHeader, domain)
	}
	return NewMessageID(domain), nil
}

// NewMessageID returns a new unique Message-ID (without angle brackets) in
// domain: 128 random bits, so ids never collide across instances.
func NewMessageID(domain string) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:]) + "@" + domain
}

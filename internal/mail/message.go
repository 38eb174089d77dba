// Package mail is Ringdesk's email adapter: it parses incoming messages
// (MIME, charsets, attachments, machine mail, bounces), sanitises their HTML,
// composes outgoing replies, sends them over SMTP and fetches new mail over
// IMAP. It imports no database and no other Ringdesk package; the MIME, IMAP
// and SMTP work is done by the emersion libraries and the HTML sanitising by
// bluemonday (see docs/email.md, "Libraries").
package mail

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Address is a mailbox: a display name and an email address.
type Address struct {
	Name  string
	Email string
}

// String formats the address for a header, RFC 2047-encoding a non-ASCII
// name ("Anna via Support" <support@example.com>).
func (a Address) String() string {
	return (&mail.Address{Name: a.Name, Address: a.Email}).String()
}

// MachineKind says whether a message was written by a machine, and which
// kind of machine: such mail must never be answered automatically.
type MachineKind string

// Machine kinds.
const (
	MachineNone      MachineKind = ""
	MachineAutoReply MachineKind = "auto-reply" // Auto-Submitted, X-Autoreply, out-of-office
	MachineBulk      MachineKind = "bulk"       // Precedence: bulk/list/junk, List-Id, newsletters
	MachineBounce    MachineKind = "bounce"     // delivery-status report, MAILER-DAEMON
)

// Message is a parsed incoming message. Every text field is UTF-8.
type Message struct {
	MessageID  string // without angle brackets; empty when the message has none
	InReplyTo  string // the first id of In-Reply-To, without angle brackets
	References []string
	From       Address
	To, Cc     []Address
	ReplyTo    []Address
	Subject    string
	Date       time.Time // zero when missing or unparseable

	// Text is the plain-text body; when the message has only HTML it is a
	// text rendering of the HTML.
	Text string
	// HTML is the HTML body, already sanitised (see SanitizeHTML): safe to
	// put into a page as is. cid: image sources are kept for the caller to
	// rewrite to attachment URLs; remote images are removed unless
	// ParseOptions.AllowRemoteImages.
	HTML string
	// HasRemoteImages tells that the original HTML loads images from the
	// network (tracking beacons, mostly), which HTML does not show.
	HasRemoteImages bool
	// Truncated tells that a text or HTML body was longer than
	// ParseOptions.MaxTextBytes and was cut.
	Truncated bool

	Attachments []Attachment

	Machine       MachineKind
	MachineReason string  // the header or part that made it machine mail
	Bounce        *Bounce // set when Machine is MachineBounce and a report was found

	// Problems lists what was malformed; Parse returns the first one as
	// its error.
	Problems []*ParseError
}

// Attachment is a file carried by a message, including inline images.
type Attachment struct {
	Filename    string // RFC 2231 / RFC 2047 decoded; generated when the part has none
	ContentType string // lower case, without parameters
	ContentID   string // without angle brackets; what cid: URLs name
	Inline      bool   // shown in the body (Content-Disposition: inline or a related image)
	Data        []byte
}

// Bounce is what a delivery-status report (RFC 3464) says about a message
// that could not be delivered.
type Bounce struct {
	OriginalMessageID string // the Message-ID of the message that bounced
	Action            string // failed, delayed, delivered, relayed, expanded
	Status            string // e.g. 5.1.1
	Diagnostic        string // the remote server's words
	Recipient         string // the address that failed
}

// Permanent tells whether the bounce is a final failure (a 5.x.x status or
// Action: failed) rather than a delay warning.
func (b *Bounce) Permanent() bool {
	if strings.HasPrefix(b.Status, "4.") || strings.EqualFold(b.Action, "delayed") {
		return false
	}
	return true
}

// ParseErrorKind names what was wrong with a message, for the caller to
// record or translate.
type ParseErrorKind string

// Parse error kinds.
const (
	ErrHeader   ParseErrorKind = "header"   // a malformed header line or field
	ErrMIME     ParseErrorKind = "mime"     // broken multipart structure (e.g. missing boundary)
	ErrEncoding ParseErrorKind = "encoding" // broken base64/quoted-printable or unknown transfer encoding
	ErrCharset  ParseErrorKind = "charset"  // unknown charset: the text is shown as best we can
	ErrEmpty    ParseErrorKind = "empty"    // no bytes at all
)

// ParseError is a problem Parse met while still returning a best-effort
// Message.
type ParseError struct {
	Kind ParseErrorKind
	Part string // which part ("" for the top-level header, else e.g. "1.2")
	Err  error
}

func (e *ParseError) Error() string {
	where := "message"
	if e.Part != "" {
		where = "part " + e.Part
	}
	return fmt.Sprintf("mail: %s: %s: %v", where, e.Kind, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// ErrorKind returns the ParseErrorKind of err, or "" when err is not a
// ParseError.
func ErrorKind(err error) ParseErrorKind {
	var pe *ParseError
	if errors.As(err, &pe) {
		return pe.Kind
	}
	return ""
}

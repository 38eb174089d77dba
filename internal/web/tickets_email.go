package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

func init() {
	ticketFuncs["tlsName"] = func(m string) string {
		switch m {
		case ringdesk.TLSImplicit:
			return "TLS"
		case ringdesk.TLSStartTLS:
			return "STARTTLS"
		}
		return "No TLS"
	}
	ticketFuncs["fileSize"] = fileSize
	ticketFuncs["machineName"] = func(kind string) string {
		switch kind {
		case ringdesk.MachineAutoReply:
			return "Auto-reply"
		case ringdesk.MachineBulk:
			return "Mailing list"
		case ringdesk.MachineBounce:
			return "Bounce"
		}
		return kind
	}
}

// replyView is where the composer's public reply goes.
type replyView struct {
	// Sends: the reply is emailed (from Mailbox to To).
	Sends   bool
	Mailbox string
	To      string
	// NoMailbox / NoAddress say why it is not.
	NoMailbox, NoAddress bool
}

// emailView is an incoming message in the timeline.
type emailView struct {
	ringdesk.EmailMeta
	// HTML is the sanitised HTML body ("" for a text message).
	HTML template.HTML
	// ImagesShown: the agent asked to see remote images of this message.
	ImagesShown bool
	Files       []fileView
}

type fileView struct {
	ringdesk.EmailAttachment
	URL string
}

// fileSize is a byte count for people: 512 B, 12 KB, 3.4 MB.
func fileSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%d KB", (n+512)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
}

// emailData is the "email" object of an incoming message's entry.
func emailData(e *ringdesk.TicketEvent) *ringdesk.EmailMeta {
	if !strings.HasPrefix(e.Data, `{"email":{`) {
		return nil
	}
	var d struct {
		Email ringdesk.EmailMeta `json:"email"`
	}
	if json.Unmarshal([]byte(e.Data), &d) != nil {
		return nil
	}
	return &d.Email
}

// ticketEmail reads what the ticket page shows of email: the deliveries of
// replies, the HTML of incoming mail, and where a reply would go.
type ticketEmail struct {
	deliveries map[int64]*ringdesk.Delivery
	html       map[int64]string
	// images is the entry whose remote images are shown (0: none).
	images     int64
	imagesHTML string
}

func (s *Server) loadTicketEmail(ctx context.Context, r *http.Request, t *ringdesk.Ticket) (ticketEmail, error) {
	var te ticketEmail
	var err error
	if te.deliveries, err = s.desk.TicketDeliveries(ctx, t.ID); err != nil {
		return te, err
	}
	if te.html, err = s.db.InboundHTML(ctx, t.ID); err != nil {
		return te, err
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("images"), 10, 64); err == nil && id > 0 {
		te.images = id
	}
	return te, nil
}

// decorate adds the email parts of a timeline entry.
func (te *ticketEmail) decorate(ctx context.Context, s *Server, it *timelineItem) {
	if d := te.deliveries[it.ID]; d != nil {
		it.Delivery = d
	}
	meta := emailData(it.TicketEvent)
	if meta == nil {
		return
	}
	v := &emailView{EmailMeta: *meta, HTML: template.HTML(te.html[it.ID])} // sanitised by internal/mail when stored
	if te.images == it.ID && meta.Remote {
		html, err := s.desk.RemoteImagesHTML(ctx, meta.InboundID)
		if err == nil && html != "" {
			v.HTML, v.ImagesShown = template.HTML(html), true
		}
	}
	for _, f := range meta.Attachments {
		if f.Inline && f.ContentID != "" && strings.Contains(string(v.HTML), desk.AttachmentURL(meta.InboundID, f.Index)) {
			continue // shown in the body
		}
		v.Files = append(v.Files, fileView{EmailAttachment: f, URL: desk.AttachmentURL(meta.InboundID, f.Index)})
	}
	it.Email = v
	if meta.FromName != "" {
		it.Author = meta.FromName
	}
}

// replyTarget is the composer's reply view of a ticket.
func (s *Server) replyTarget(ctx context.Context, t *ringdesk.Ticket) (replyView, error) {
	rt, err := s.desk.ReplyTarget(ctx, t)
	if err != nil {
		return replyView{}, err
	}
	v := replyView{Sends: rt.Sends(), To: strings.Join(rt.To, ", "), NoMailbox: rt.Reason == desk.ReplyNoMailbox,
		NoAddress: rt.Reason == desk.ReplyNoAddress}
	if rt.Mailbox != nil {
		v.Mailbox = rt.Mailbox.Email.Address
	}
	return v, nil
}

// commentRecipients reads the composer's "To" field for a public reply:
// nil when the composer has no such field (no mailbox).
func commentRecipients(kind string, has bool, raw string) ([]string, error) {
	if kind != ringdesk.EventReply || !has {
		return nil, nil
	}
	to, err := ringdesk.ParseRecipients(raw)
	if err != nil {
		return nil, err
	}
	if len(to) == 0 {
		return nil, ringdesk.NewFieldError(ringdesk.EINVALID, "to", ringdesk.T("Enter the client's email address, or write an internal note."))
	}
	return to, nil
}

// mailAttachment downloads an attachment of an incoming message.
func (s *Server) mailAttachment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	idx, err := strconv.Atoi(r.PathValue("idx"))
	if err != nil || idx < 0 {
		s.fail(w, r, ringdesk.Errorf(ringdesk.ENOTFOUND, "The page you asked for does not exist."))
		return
	}
	f, _, err := s.db.EmailAttachment(r.Context(), id, idx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ct := f.ContentType
	// Only images are shown in the page; anything else is downloaded, so
	// an HTML or SVG attachment never runs as Ringdesk's own page.
	inline := strings.HasPrefix(ct, "image/") && ct != "image/svg+xml" && r.URL.Query().Get("download") == ""
	if !inline || ct == "" {
		ct = "application/octet-stream"
	}
	disp := "attachment"
	if inline {
		disp = "inline"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": f.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Header().Set("Content-Length", strconv.Itoa(len(f.Data)))
	_, _ = w.Write(f.Data)
}

// mailRaw downloads an incoming message exactly as it was stored (an
// .eml file), for a message that could not be read whole.
func (s *Server) mailRaw(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := s.db.InboundByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fmt.Sprintf("message-%d.eml", id)}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Header().Set("Content-Length", strconv.Itoa(len(in.Raw)))
	_, _ = w.Write(in.Raw)
}

// RawURL is where agents download an incoming message as it arrived.
func rawURL(inboundID int64) string { return fmt.Sprintf("/mail/%d/raw", inboundID) }

// ticketReplyRetry queues a failed emailed reply again.
func (s *Server) ticketReplyRetry(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	eventID, err := pathID(r, "event_id")
	if err == nil {
		err = s.desk.RetryReply(r.Context(), agentFrom(r), id, eventID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/tickets/%d?flash=retry#ev-%d", id, eventID), http.StatusSeeOther)
}

// ticketClientEmail adds an email address to the ticket's client from the
// composer, so replies can be emailed.
func (s *Server) ticketClientEmail(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.db.TicketByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.db.ClientByID(r.Context(), t.ClientID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	addr := strings.TrimSpace(r.PostForm.Get("email"))
	if addr == "" {
		s.renderTicket(w, r, r.PostForm, ringdesk.NewFieldError(ringdesk.EINVALID, "email", ringdesk.T("Enter the client's email address.")))
		return
	}
	emails := append(append([]string{}, c.Emails...), addr)
	if _, err := s.desk.UpdateClient(r.Context(), agentFrom(r), c.ID, ringdesk.ClientUpdate{Emails: &emails}); err != nil {
		if fields := ringdesk.ErrorFields(err); fields["emails"] != "" {
			err = ringdesk.NewFieldError(ringdesk.ErrorCode(err), "email", ringdesk.T(fields["emails"]))
		}
		s.renderTicket(w, r, r.PostForm, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/tickets/%d?flash=client-email#last", id), http.StatusSeeOther)
}

// deliveryJSON is how an emailed reply went, in the API.
type deliveryJSON struct {
	Status string   `json:"status"`
	Error  string   `json:"error"`
	To     []string `json:"to"`
	// Attempts and SentAt add detail; NextAttemptAt is set while queued.
	Attempts      int        `json:"attempts"`
	SentAt        *time.Time `json:"sent_at"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	MessageID     string     `json:"message_id,omitempty"`
}

func toDeliveryJSON(d *ringdesk.Delivery) *deliveryJSON {
	if d == nil {
		return nil
	}
	out := &deliveryJSON{Status: d.Status, Error: d.Error, To: d.To, Attempts: d.Attempts, SentAt: d.SentAt, MessageID: d.MessageID}
	if d.Status == ringdesk.DeliveryQueued {
		next := d.NextAttemptAt
		out.NextAttemptAt = &next
	}
	if out.To == nil {
		out.To = []string{}
	}
	return out
}

// emailJSON is an incoming message's sender and files, in the API.
type emailJSON struct {
	From        string           `json:"from"`
	FromName    string           `json:"from_name"`
	Subject     string           `json:"subject"`
	MessageID   string           `json:"message_id"`
	Machine     string           `json:"machine,omitempty"`
	Attachments []attachmentJSON `json:"attachments"`
	// Problems and RawURL are set when part of the message could not be
	// read: what, and where the message as it arrived is kept.
	Problems []string `json:"problems,omitempty"`
	RawURL   string   `json:"raw_url,omitempty"`
}

type attachmentJSON struct {
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	Inline      bool   `json:"inline"`
	URL         string `json:"url"`
}

func toEmailJSON(e *ringdesk.TicketEvent) *emailJSON {
	m := emailData(e)
	if m == nil {
		return nil
	}
	out := &emailJSON{From: m.From, FromName: m.FromName, Subject: m.Subject, MessageID: m.MessageID, Machine: m.Machine,
		Attachments: []attachmentJSON{}}
	for _, f := range m.Attachments {
		out.Attachments = append(out.Attachments, attachmentJSON{Name: f.Name, Size: f.Size, ContentType: f.ContentType, Inline: f.Inline,
			URL: "/api/v1" + desk.AttachmentURL(m.InboundID, f.Index)})
	}
	if len(m.Problems) > 0 {
		out.Problems, out.RawURL = m.Problems, "/api/v1"+rawURL(m.InboundID)
	}
	return out
}

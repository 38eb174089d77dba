package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// channelEmailPage is the form of a mailbox (an email channel).
type channelEmailPage struct {
	Edit *ringdesk.Channel // nil when creating
	Form url.Values
	// Check is the last "Check connection" result; nil before one.
	Check *mailCheckView
	// Queued and Failed count the mailbox's replies waiting and failed.
	Queued, Failed int64
}

// mailCheckView is a mailbox check in the reader's language.
type mailCheckView struct {
	OK       bool
	Problems []mailProblemView
}

type mailProblemView struct {
	Side   string // IMAP or SMTP
	Advice string // what to fix, translated
	Detail string // the server's or the library's words
}

// TLSModes are the choices of the TLS fields.
func (channelEmailPage) TLSModes() []string {
	return []string{ringdesk.TLSImplicit, ringdesk.TLSStartTLS, ringdesk.TLSNone}
}

func emailValues(c *ringdesk.Channel) url.Values {
	s := c.Email
	v := url.Values{
		"type": {ringdesk.ChannelTypeEmail}, "name": {c.Name},
		"address": {s.Address}, "display_name": {s.DisplayName},
		"imap_host": {s.IMAPHost}, "imap_port": {strconv.Itoa(s.IMAPPort)}, "imap_tls": {s.IMAPTLS}, "imap_user": {s.IMAPUser},
		"imap_folder": {s.IMAPFolder},
		"smtp_host":   {s.SMTPHost}, "smtp_port": {strconv.Itoa(s.SMTPPort)}, "smtp_tls": {s.SMTPTLS}, "smtp_user": {s.SMTPUser},
		"poll_seconds": {strconv.Itoa(s.PollSeconds)},
	}
	if c.Active {
		v.Set("active", "on")
	}
	return v
}

// emailSettingsForm reads the mailbox fields of the form.
func emailSettingsForm(f url.Values) (ringdesk.EmailSettings, error) {
	var v ringdesk.Validation
	port := func(field string) int {
		raw := strings.TrimSpace(f.Get(field))
		if raw == "" {
			return 0
		}
		n, err := strconv.Atoi(raw)
		v.Check(err == nil && n > 0 && n < 65536, field, "The port must be between 1 and 65535.")
		return n
	}
	s := ringdesk.EmailSettings{Address: f.Get("address"), DisplayName: f.Get("display_name"),
		IMAPHost: f.Get("imap_host"), IMAPPort: port("imap_port"), IMAPTLS: f.Get("imap_tls"), IMAPUser: f.Get("imap_user"),
		IMAPFolder: f.Get("imap_folder"),
		SMTPHost:   f.Get("smtp_host"), SMTPPort: port("smtp_port"), SMTPTLS: f.Get("smtp_tls"), SMTPUser: f.Get("smtp_user")}
	if raw := strings.TrimSpace(f.Get("poll_seconds")); raw != "" {
		n, err := strconv.Atoi(raw)
		v.Check(err == nil, "poll_seconds", "Poll every 5 to 3600 seconds.")
		s.PollSeconds = n
	}
	return s, v.Err()
}

// formPassword reads a write-only password field: nil keeps the stored
// one, "" removes it when the remove box is ticked.
func formPassword(f url.Values, field, clear string) (*string, error) {
	p := f.Get(field)
	switch remove := f.Get(clear) == "on"; {
	case remove && p != "":
		msg := "Either type a new password or tick Remove, not both."
		return nil, &ringdesk.Error{Code: ringdesk.EINVALID, Message: msg, Fields: map[string]string{field: msg}}
	case remove:
		return &p, nil
	case p != "":
		return &p, nil
	}
	return nil, nil
}

func (s *Server) emailChannelNew(w http.ResponseWriter, r *http.Request) {
	c := &ringdesk.Channel{Type: ringdesk.ChannelTypeEmail, Active: true, Email: ringdesk.EmailSettings{}.WithDefaults()}
	f := emailValues(c)
	f.Set("imap_user", "")
	s.render(w, r, "channel_email", pageData{Title: "New mailbox", Nav: "channels", Data: channelEmailPage{Form: f}})
}

func (s *Server) emailChannelCreate(w http.ResponseWriter, r *http.Request, f url.Values) {
	st, err := emailSettingsForm(f)
	var ch *ringdesk.Channel
	if err == nil {
		ch, err = s.desk.CreateChannel(r.Context(), agentFrom(r), ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeEmail,
			Name: f.Get("name"), AppSecret: f.Get("imap_password"), SMTPSecret: f.Get("smtp_password"), Email: st})
	}
	if err != nil {
		f.Del("imap_password")
		f.Del("smtp_password")
		s.formError(w, r, "channel_email", pageData{Title: "New mailbox", Nav: "channels", Data: channelEmailPage{Form: f}}, err)
		return
	}
	http.Redirect(w, r, "/channels/"+strconv.FormatInt(ch.ID, 10)+"?flash=channel-created", http.StatusSeeOther)
}

func (s *Server) emailChannelPage(r *http.Request, ch *ringdesk.Channel, form url.Values) (channelEmailPage, error) {
	if form == nil {
		form = emailValues(ch)
	}
	p := channelEmailPage{Edit: ch, Form: form}
	var err error
	p.Queued, p.Failed, err = s.db.OutboxCounts(r.Context(), ch.ID)
	return p, err
}

func (s *Server) emailChannelEdit(w http.ResponseWriter, r *http.Request, ch *ringdesk.Channel, flash string) {
	p, err := s.emailChannelPage(r, ch, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "channel_email", pageData{Title: ch.Name, Nav: "channels", Flash: flash, Data: p})
}

func (s *Server) emailChannelUpdate(w http.ResponseWriter, r *http.Request, ch *ringdesk.Channel, f url.Values) {
	p, err := s.emailChannelPage(r, ch, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := emailSettingsForm(f)
	if err == nil {
		name, active := f.Get("name"), f.Get("active") == "on"
		u := ringdesk.ChannelUpdate{Name: &name, Active: &active, Email: &st}
		if u.AppSecret, err = formPassword(f, "imap_password", "clear_imap_password"); err == nil {
			if u.SMTPSecret, err = formPassword(f, "smtp_password", "clear_smtp_password"); err == nil {
				_, err = s.desk.UpdateChannel(r.Context(), agentFrom(r), ch.ID, u)
			}
		}
	}
	if err != nil {
		f.Del("imap_password")
		f.Del("smtp_password")
		s.formError(w, r, "channel_email", pageData{Title: ch.Name, Nav: "channels", Data: p}, err)
		return
	}
	http.Redirect(w, r, "/channels/"+strconv.FormatInt(ch.ID, 10)+"?flash=saved", http.StatusSeeOther)
}

func (s *Server) emailChannelCheck(w http.ResponseWriter, r *http.Request, ch *ringdesk.Channel) {
	problems, err := s.desk.CheckMailbox(r.Context(), agentFrom(r), ch.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.emailChannelPage(r, ch, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := s.lang(agentFrom(r), r)
	v := &mailCheckView{OK: len(problems) == 0}
	for _, pr := range problems {
		v.Problems = append(v.Problems, mailProblemView{Side: pr.Side, Advice: translate(lang, desk.MailAdvice(pr.Code)), Detail: pr.Detail})
	}
	p.Check = v
	s.render(w, r, "channel_email", pageData{Title: ch.Name, Nav: "channels", Data: p})
}

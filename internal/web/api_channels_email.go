package web

import (
	"net/http"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// emailChannelJSON is a mailbox's settings in the API: the passwords are
// write-only, answers only say whether they are set.
type emailChannelJSON struct {
	Address         string `json:"address"`
	DisplayName     string `json:"display_name"`
	IMAPHost        string `json:"imap_host"`
	IMAPPort        int    `json:"imap_port"`
	IMAPTLS         string `json:"imap_tls"`
	IMAPUser        string `json:"imap_user"`
	IMAPFolder      string `json:"imap_folder"`
	IMAPPasswordSet bool   `json:"imap_password_set"`
	SMTPHost        string `json:"smtp_host"`
	SMTPPort        int    `json:"smtp_port"`
	SMTPTLS         string `json:"smtp_tls"`
	SMTPUser        string `json:"smtp_user"`
	SMTPPasswordSet bool   `json:"smtp_password_set"`
	PollSeconds     int    `json:"poll_seconds"`
}

func toEmailChannelJSON(c *ringdesk.Channel) *emailChannelJSON {
	if c.Type != ringdesk.ChannelTypeEmail {
		return nil
	}
	s := c.Email
	return &emailChannelJSON{Address: s.Address, DisplayName: s.DisplayName, IMAPHost: s.IMAPHost, IMAPPort: s.IMAPPort,
		IMAPTLS: s.IMAPTLS, IMAPUser: s.IMAPUser, IMAPFolder: s.IMAPFolder, IMAPPasswordSet: c.HasSecret,
		SMTPHost: s.SMTPHost, SMTPPort: s.SMTPPort, SMTPTLS: s.SMTPTLS, SMTPUser: s.SMTPUser, SMTPPasswordSet: c.HasSMTPSecret,
		PollSeconds: s.PollSeconds}
}

// emailInJSON is the "email" object of POST and PATCH: absent fields keep
// their values (PATCH) or defaults (POST); a password absent or null keeps
// the stored one, "" removes it.
type emailInJSON struct {
	Address      *string `json:"address"`
	DisplayName  *string `json:"display_name"`
	IMAPHost     *string `json:"imap_host"`
	IMAPPort     *int    `json:"imap_port"`
	IMAPTLS      *string `json:"imap_tls"`
	IMAPUser     *string `json:"imap_user"`
	IMAPFolder   *string `json:"imap_folder"`
	IMAPPassword *string `json:"imap_password"`
	SMTPHost     *string `json:"smtp_host"`
	SMTPPort     *int    `json:"smtp_port"`
	SMTPTLS      *string `json:"smtp_tls"`
	SMTPUser     *string `json:"smtp_user"`
	SMTPPassword *string `json:"smtp_password"`
	PollSeconds  *int    `json:"poll_seconds"`
}

// settings applies the object over base.
func (in *emailInJSON) settings(base ringdesk.EmailSettings) ringdesk.EmailSettings {
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	num := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	str(&base.Address, in.Address)
	str(&base.DisplayName, in.DisplayName)
	str(&base.IMAPHost, in.IMAPHost)
	num(&base.IMAPPort, in.IMAPPort)
	str(&base.IMAPTLS, in.IMAPTLS)
	str(&base.IMAPUser, in.IMAPUser)
	str(&base.IMAPFolder, in.IMAPFolder)
	str(&base.SMTPHost, in.SMTPHost)
	num(&base.SMTPPort, in.SMTPPort)
	str(&base.SMTPTLS, in.SMTPTLS)
	str(&base.SMTPUser, in.SMTPUser)
	num(&base.PollSeconds, in.PollSeconds)
	return base
}

// emailFieldError names a mailbox field as the API does ("email.address").
func emailFieldError(err error) error {
	e, ok := err.(*ringdesk.Error)
	if !ok || e.Fields == nil {
		return err
	}
	c := *e
	c.Fields = map[string]string{}
	for k, v := range e.Fields {
		switch k {
		case "name", "type":
			c.Fields[k] = v
		default:
			c.Fields["email."+k] = v
		}
	}
	return &c
}

// apiEmailChannelUpdate applies a PATCH to a mailbox.
func (s *Server) apiEmailChannelUpdate(w http.ResponseWriter, r *http.Request, cur *ringdesk.Channel, in channelInJSON) {
	if in.changesSettings() || in.AppSecret != nil {
		s.fail(w, r, ringdesk.NewFieldError(ringdesk.EINVALID, "type", ringdesk.T("A mailbox takes its settings in the email object.")))
		return
	}
	u := ringdesk.ChannelUpdate{Name: in.Name, Active: in.Active}
	if in.Email != nil {
		st := in.Email.settings(cur.Email)
		u.Email = &st
		u.AppSecret, u.SMTPSecret = in.Email.IMAPPassword, in.Email.SMTPPassword
	}
	ch, err := s.desk.UpdateChannel(r.Context(), agentFrom(r), cur.ID, u)
	if err != nil {
		s.fail(w, r, emailFieldError(err))
		return
	}
	writeJSON(w, http.StatusOK, toChannelJSON(ch))
}

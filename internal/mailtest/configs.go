package mailtest

import (
	"time"

	"github.com/ringdesk/ringdesk/internal/mail"
)

// IMAPConfig is how a client reads this Dovecot's INBOX without TLS (set
// TLS, Port and TLSConfig from d for the TLS variant).
func (d *Dovecot) IMAPConfig() mail.IMAPConfig {
	return mail.IMAPConfig{Host: d.Host, Port: d.Port, TLS: mail.TLSNone, Username: d.Username, Password: d.Password,
		Timeout: 10 * time.Second}
}

// SMTPConfig is how a client sends through this Mailpit (any AUTH is
// accepted; no TLS).
func (m *Mailpit) SMTPConfig() mail.SMTPConfig {
	return mail.SMTPConfig{Host: m.Host, Port: m.SMTPPort, TLS: mail.TLSNone, Username: "support@example.com",
		Password: "mailpit", Timeout: 10 * time.Second}
}

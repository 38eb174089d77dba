package mail_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/mail"
	"github.com/ringdesk/ringdesk/internal/mailtest"
)

// silentServer accepts connections and never says a word.
func silentServer(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

// noDNS is a resolver that fails every lookup without asking anyone.
var noDNS = &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
	return nil, errors.New("no DNS server in tests")
}}

func TestCheck(t *testing.T) {
	t.Parallel()
	d := mailtest.StartDovecotWith(t, mailtest.DovecotOptions{TLS: true})
	d.CreateFolder(t, "Support")
	mp := mailtest.StartMailpit(t)
	closedPort := mailtest.FreePort(t)
	silent := silentServer(t)
	goodIMAP := dovecotConfig(d)
	goodSMTP := mailpitConfig(mp)

	imapWith := func(change func(*mail.IMAPConfig)) mail.IMAPConfig {
		c := goodIMAP
		change(&c)
		return c
	}
	smtpWith := func(change func(*mail.SMTPConfig)) mail.SMTPConfig {
		c := goodSMTP
		change(&c)
		return c
	}
	tests := []struct {
		name   string
		imap   mail.IMAPConfig
		smtp   mail.SMTPConfig
		want   []mail.ProblemCode // in order: imap's, then smtp's
		detail string             // in the first problem's Detail
	}{
		{name: "all good", imap: goodIMAP, smtp: goodSMTP},
		{name: "other folder", imap: imapWith(func(c *mail.IMAPConfig) { c.Folder = "Support" }), smtp: goodSMTP},
		{name: "imaps with the trusted certificate", imap: imapWith(func(c *mail.IMAPConfig) {
			c.TLS, c.Port, c.TLSConfig = mail.TLSImplicit, d.TLSPort, d.TLSConfig
		})},
		{name: "wrong imap password", imap: imapWith(func(c *mail.IMAPConfig) { c.Password = "wrong" }),
			want: []mail.ProblemCode{mail.ProblemLogin}, detail: "uthentication failed"},
		{name: "missing folder", imap: imapWith(func(c *mail.IMAPConfig) { c.Folder = "Nope" }),
			want: []mail.ProblemCode{mail.ProblemFolder}, detail: "Nope"},
		{name: "wrong imap port", imap: imapWith(func(c *mail.IMAPConfig) { c.Port = closedPort }),
			want: []mail.ProblemCode{mail.ProblemRefused}},
		{name: "wrong smtp port", smtp: smtpWith(func(c *mail.SMTPConfig) { c.Port = closedPort }),
			want: []mail.ProblemCode{mail.ProblemRefused}},
		{name: "both wrong", imap: imapWith(func(c *mail.IMAPConfig) { c.Port = closedPort }), smtp: smtpWith(func(c *mail.SMTPConfig) { c.Port = closedPort }),
			want: []mail.ProblemCode{mail.ProblemRefused, mail.ProblemRefused}},
		{name: "imap port is smtp", imap: imapWith(func(c *mail.IMAPConfig) { c.Port = mp.SMTPPort }),
			want: []mail.ProblemCode{mail.ProblemProtocol}},
		{name: "smtp port is imap", smtp: smtpWith(func(c *mail.SMTPConfig) { c.Port = d.Port }),
			want: []mail.ProblemCode{mail.ProblemProtocol}},
		{name: "untrusted certificate", imap: imapWith(func(c *mail.IMAPConfig) { c.TLS, c.Port = mail.TLSImplicit, d.TLSPort }),
			want: []mail.ProblemCode{mail.ProblemTLSCertificate}, detail: "certificate"},
		{name: "untrusted certificate on starttls", imap: imapWith(func(c *mail.IMAPConfig) { c.TLS = mail.TLSStartTLS }),
			want: []mail.ProblemCode{mail.ProblemTLSCertificate}, detail: "certificate"},
		{name: "tls on a plain port", imap: imapWith(func(c *mail.IMAPConfig) { c.TLS, c.TLSConfig = mail.TLSImplicit, d.TLSConfig }),
			want: []mail.ProblemCode{mail.ProblemTLS}},
		{name: "smtp starttls the server lacks", smtp: smtpWith(func(c *mail.SMTPConfig) { c.TLS = mail.TLSStartTLS }),
			want: []mail.ProblemCode{mail.ProblemSMTPStartTLS}},
		{name: "dns", imap: imapWith(func(c *mail.IMAPConfig) { c.Host, c.Resolver = "imap.example.invalid", noDNS }),
			want: []mail.ProblemCode{mail.ProblemDNS}, detail: "imap.example.invalid"},
		{name: "silent server", imap: imapWith(func(c *mail.IMAPConfig) { c.Port, c.Timeout = silent, 300*time.Millisecond }),
			smtp: smtpWith(func(c *mail.SMTPConfig) { c.Port, c.Timeout = silent, 300*time.Millisecond }),
			want: []mail.ProblemCode{mail.ProblemTimeout, mail.ProblemTimeout}},
		{name: "no port", imap: imapWith(func(c *mail.IMAPConfig) { c.Port = 0 }), want: []mail.ProblemCode{mail.ProblemConfig}},
	}
	// The cases run side by side (each its own connections to the shared
	// servers); the group ends before Mailpit is told to refuse below.
	t.Run("cases", func(t *testing.T) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				problems := mail.Check(context.Background(), tt.imap, tt.smtp)
				t.Logf("%v", problems)
				var got []mail.ProblemCode
				for _, p := range problems {
					got = append(got, p.Code)
				}
				if len(got) != len(tt.want) || (len(got) > 0 && strings.Join(codes(got), ",") != strings.Join(codes(tt.want), ",")) {
					t.Fatalf("Check = %v, want %v", problems, tt.want)
				}
				if tt.detail != "" && !strings.Contains(problems[0].Detail, tt.detail) {
					t.Errorf("detail %q does not name %q", problems[0].Detail, tt.detail)
				}
			})
		}
	})

	// SMTP AUTH refused: Mailpit answers 535.
	mp.Refuse(t, mailtest.Refusal{Auth: 535})
	problems := mail.CheckSMTP(context.Background(), goodSMTP)
	if len(problems) != 1 || problems[0].Code != mail.ProblemSMTPAuth || !strings.Contains(problems[0].Detail, "535") {
		t.Errorf("CheckSMTP with AUTH refused = %v", problems)
	}
}

func codes(l []mail.ProblemCode) []string {
	out := make([]string, len(l))
	for i, c := range l {
		out[i] = string(c)
	}
	return out
}

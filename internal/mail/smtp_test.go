package mail_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/ringdesk/ringdesk/internal/mail"
	"github.com/ringdesk/ringdesk/internal/mailtest"
)

func mailpitConfig(mp *mailtest.Mailpit) mail.SMTPConfig {
	cfg := mp.SMTPConfig()
	cfg.HELO = "desk.example.com"
	return cfg
}

func TestSendThroughMailpit(t *testing.T) {
	t.Parallel()
	mp := mailtest.StartMailpit(t)
	raw, id, err := mail.Compose(mail.Outgoing{
		From:       mail.Address{Name: "Анна via Поддержка", Email: "support@example.com"},
		To:         []mail.Address{{Name: "Иван", Email: "ivan@example.ru"}},
		Cc:         []mail.Address{{Email: "boss@example.ru"}},
		Subject:    "Re: Не работает телефон",
		TicketRef:  "[#42]",
		Text:       "Линию починили.",
		InReplyTo:  "client.1@mail.example.ru",
		References: []string{"root@mail.example.ru"},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := mail.Send(ctx, mailpitConfig(mp), "support@example.com", []string{"ivan@example.ru", "boss@example.ru"}, raw); err != nil {
		t.Fatal(err)
	}
	msgs := mp.WaitMessages(t, 1, 5*time.Second)
	got := msgs[0]
	if got.MessageID != id || got.Subject != "Re: Не работает телефон [#42]" || got.From.Name != "Анна via Поддержка" {
		t.Errorf("mailpit got id %q subject %q from %+v", got.MessageID, got.Subject, got.From)
	}
	delivered := mp.Raw(t, got.ID)
	m, err := mail.Parse(delivered)
	if err != nil {
		t.Fatal(err)
	}
	if m.MessageID != id || m.InReplyTo != "client.1@mail.example.ru" || strings.Join(m.References, " ") != "root@mail.example.ru client.1@mail.example.ru" {
		t.Errorf("threading headers changed on the way: id %q in-reply-to %q refs %v", m.MessageID, m.InReplyTo, m.References)
	}
	if m.Text != "Линию починили." || len(m.Cc) != 1 {
		t.Errorf("Text %q Cc %+v", m.Text, m.Cc)
	}
}

func TestSendRefused(t *testing.T) {
	t.Parallel()
	mp := mailtest.StartMailpit(t)
	raw, _, err := mail.Compose(mail.Outgoing{From: mail.Address{Email: "support@example.com"},
		To: []mail.Address{{Email: "ivan@example.ru"}}, Subject: "x", Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cfg := mailpitConfig(mp)
	tests := []struct {
		name      string
		refusal   mailtest.Refusal
		code      int
		temporary bool
		op        string
	}{
		{"sender 451 is temporary", mailtest.Refusal{Sender: 451}, 451, true, "mail"},
		{"recipient 550 is permanent", mailtest.Refusal{Recipient: 550}, 550, false, "rcpt"},
		{"recipient 452 is temporary", mailtest.Refusal{Recipient: 452}, 452, true, "rcpt"},
		{"auth 535 is permanent", mailtest.Refusal{Auth: 535}, 535, false, "auth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mp.Refuse(t, tt.refusal)
			err := mail.Send(ctx, cfg, "support@example.com", []string{"ivan@example.ru"}, raw)
			var se *mail.SendError
			if !errors.As(err, &se) {
				t.Fatalf("Send = %v, want a *SendError", err)
			}
			if se.Code != tt.code || se.Temporary != tt.temporary || se.Op != tt.op || se.Message == "" {
				t.Errorf("SendError = %+v, want code %d temporary %v op %s", se, tt.code, tt.temporary, tt.op)
			}
		})
	}
	mp.Refuse(t, mailtest.Refusal{})
	if n := len(mp.Messages(t)); n != 0 {
		t.Errorf("a refused message was delivered (%d messages)", n)
	}

	// The server down: a temporary network error; back up: it sends.
	mp.Stop()
	err = mail.Send(ctx, cfg, "support@example.com", []string{"ivan@example.ru"}, raw)
	var se *mail.SendError
	if !errors.As(err, &se) || !se.Temporary || se.Code != 0 || se.Op != "connect" {
		t.Fatalf("Send to a stopped server = %#v, want a temporary connect error", err)
	}
	mp.Start(t)
	if err := mail.Send(ctx, cfg, "support@example.com", []string{"ivan@example.ru"}, raw); err != nil {
		t.Fatalf("Send after the server came back: %v", err)
	}
	mp.WaitMessages(t, 1, 5*time.Second)
}

// A server that stops answering is cut by the context, not waited on.
func TestSendContextCancelsSilentServer(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // accept and say nothing
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	port := l.Addr().(*net.TCPAddr).Port
	start := time.Now()
	err = mail.Send(ctx, mail.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: mail.TLSNone}, "a@example.com", []string{"b@example.com"}, []byte("x"))
	var se *mail.SendError
	if !errors.As(err, &se) || !se.Temporary {
		t.Fatalf("Send = %v, want a temporary SendError", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send took %v after the context ended", d)
	}
}

// testSMTP is a tiny go-smtp server for what Mailpit cannot do: refuse at
// DATA, and speak TLS.
type testSMTP struct {
	port     int
	mu       sync.Mutex
	got      [][]byte
	dataErr  *smtp.SMTPError
	username string
}

func startTestSMTP(t *testing.T, tlsCfg *tls.Config, implicit bool, dataErr *smtp.SMTPError) *testSMTP {
	t.Helper()
	ts := &testSMTP{dataErr: dataErr}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &testSession{ts: ts}, nil }))
	srv.Domain, srv.AllowInsecureAuth, srv.TLSConfig = "localhost", true, tlsCfg
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if implicit {
		l = tls.NewListener(l, tlsCfg)
	}
	ts.port = l.Addr().(*net.TCPAddr).Port
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return ts
}

func (ts *testSMTP) messages() [][]byte {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([][]byte(nil), ts.got...)
}

func (ts *testSMTP) user() string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.username
}

type testSession struct{ ts *testSMTP }

func (s *testSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *testSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if password != "right" {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Bad password"}
		}
		s.ts.mu.Lock()
		s.ts.username = username
		s.ts.mu.Unlock()
		return nil
	}), nil
}
func (s *testSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *testSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *testSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.ts.dataErr != nil {
		return s.ts.dataErr
	}
	s.ts.mu.Lock()
	s.ts.got = append(s.ts.got, b)
	s.ts.mu.Unlock()
	return nil
}
func (s *testSession) Reset()        {}
func (s *testSession) Logout() error { return nil }

func TestSendRefusedAtData(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		reply     *smtp.SMTPError
		temporary bool
	}{
		{&smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Message rejected as spam"}, false},
		{&smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}, true},
	} {
		ts := startTestSMTP(t, nil, false, tt.reply)
		err := mail.Send(context.Background(), mail.SMTPConfig{Host: "127.0.0.1", Port: ts.port, TLS: mail.TLSNone},
			"support@example.com", []string{"ivan@example.ru"}, []byte("Subject: x\r\n\r\nx\r\n"))
		var se *mail.SendError
		if !errors.As(err, &se) || se.Op != "data" || se.Code != tt.reply.Code || se.Temporary != tt.temporary || se.Message != tt.reply.Message {
			t.Errorf("Send refused at DATA with %d = %#v", tt.reply.Code, err)
		}
	}
}

func TestSendOverTLS(t *testing.T) {
	t.Parallel()
	serverTLS, clientTLS := mailtest.SelfSignedTLS(t)
	raw := []byte("Subject: tls\r\n\r\nover TLS\r\n")
	for _, tt := range []struct {
		mode     mail.TLSMode
		implicit bool
	}{{mail.TLSStartTLS, false}, {mail.TLSImplicit, true}} {
		t.Run(string(tt.mode), func(t *testing.T) {
			ts := startTestSMTP(t, serverTLS, tt.implicit, nil)
			cfg := mail.SMTPConfig{Host: "127.0.0.1", Port: ts.port, TLS: tt.mode, Username: "support@example.com",
				Password: "right", TLSConfig: clientTLS}
			if err := mail.Send(context.Background(), cfg, "support@example.com", []string{"ivan@example.ru"}, raw); err != nil {
				t.Fatal(err)
			}
			if got := ts.messages(); len(got) != 1 || !strings.Contains(string(got[0]), "over TLS") || ts.user() != "support@example.com" {
				t.Errorf("server got %q as %q", got, ts.user())
			}
			// Without trusting the certificate: a permanent TLS failure.
			cfg.TLSConfig = nil
			err := mail.Send(context.Background(), cfg, "support@example.com", []string{"ivan@example.ru"}, raw)
			var se *mail.SendError
			if !errors.As(err, &se) || se.Op != "tls" || se.Temporary {
				t.Errorf("Send to an untrusted certificate = %#v, want a permanent tls error", err)
			}
			// A wrong password: permanent, named.
			cfg.TLSConfig, cfg.Password = clientTLS, "wrong"
			err = mail.Send(context.Background(), cfg, "support@example.com", []string{"ivan@example.ru"}, raw)
			if !errors.As(err, &se) || se.Op != "auth" || se.Code != 535 || se.Temporary {
				t.Errorf("Send with a wrong password = %#v", err)
			}
		})
	}
}

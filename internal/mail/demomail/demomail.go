// Package demomail is a small mail provider for the demo: an IMAP server
// (go-imap's imapserver with its in-memory backend) and an SMTP server
// (go-smtp's server) on 127.0.0.1. Mail sent to the mailbox address lands
// in the mailbox's INBOX, which Ringdesk reads over IMAP; mail to any other
// address lands in the "client outbox", where the demo's simulated clients
// read the replies. With a Dir, both survive restarts (the INBOX comes back
// with the same UIDs and UIDVALIDITY, so a stored cursor stays right).
package demomail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/ringdesk/ringdesk/internal/mail"
)

// MaxMessageBytes bounds a message the demo SMTP server accepts.
const MaxMessageBytes = 30 << 20

// Options configure Start.
type Options struct {
	Mailbox  string // the support address whose mail goes to the INBOX, e.g. support@demo.example
	Password string // for IMAP LOGIN and SMTP AUTH (the username is Mailbox)
	// Dir keeps the INBOX and the client outbox as files; empty: memory only.
	Dir string
	// IMAPAddr and SMTPAddr are where to listen (host must be loopback);
	// empty: 127.0.0.1 on a free port. A busy port falls back to a free one.
	IMAPAddr, SMTPAddr string
	// OnOutbox is called for every message to a client (not the mailbox),
	// after it is kept, in a goroutine of its own so the sender does not
	// wait for it; the demo's simulated clients answer from it.
	OnOutbox func(OutboxMessage)
	Logger   *slog.Logger
}

// OutboxMessage is a message the helpdesk sent to a client.
type OutboxMessage struct {
	From     string   // envelope sender
	To       []string // the envelope recipients other than the mailbox
	Raw      []byte
	Received time.Time
}

// Server is the running demo mail provider.
type Server struct {
	Host     string // 127.0.0.1
	IMAPPort int
	SMTPPort int
	Mailbox  string
	Password string

	opts Options
	log  *slog.Logger
	user *imapmemserver.User
	imap *imapserver.Server
	smtp *smtp.Server

	// closing says Close has begun: a session it cuts (a client waiting
	// in IDLE) is not news.
	closing atomic.Bool

	mu     sync.Mutex
	outbox []OutboxMessage
	seq    int
	wg     sync.WaitGroup
}

// Start starts both servers.
func Start(opts Options) (*Server, error) {
	email, err := mail.CheckEmail(opts.Mailbox)
	if err != nil {
		return nil, fmt.Errorf("demomail: mailbox: %w", err)
	}
	if opts.Password == "" {
		return nil, errors.New("demomail: no password")
	}
	s := &Server{Host: "127.0.0.1", Mailbox: email, Password: opts.Password, opts: opts, log: opts.Logger}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.log = s.log.With("component", "demomail")
	mem := imapmemserver.New()
	s.user = imapmemserver.NewUser(email, opts.Password)
	if err := s.user.Create("INBOX", nil); err != nil {
		return nil, err
	}
	mem.AddUser(s.user)
	if err := s.load(); err != nil {
		return nil, err
	}
	imapLn, err := listenLoopback(opts.IMAPAddr)
	if err != nil {
		return nil, fmt.Errorf("demomail: imap: %w", err)
	}
	smtpLn, err := listenLoopback(opts.SMTPAddr)
	if err != nil {
		imapLn.Close()
		return nil, fmt.Errorf("demomail: smtp: %w", err)
	}
	s.IMAPPort = imapLn.Addr().(*net.TCPAddr).Port
	s.SMTPPort = smtpLn.Addr().(*net.TCPAddr).Port
	s.imap = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true, // loopback only
		Logger:       slogPrintf{s},
	})
	s.smtp = smtp.NewServer(&backend{s: s})
	s.smtp.Domain = "localhost"
	s.smtp.AllowInsecureAuth = true // loopback only
	s.smtp.MaxMessageBytes = MaxMessageBytes
	s.smtp.MaxRecipients = 100
	s.smtp.ReadTimeout, s.smtp.WriteTimeout = time.Minute, time.Minute
	s.smtp.ErrorLog = slogPrintf{s}
	s.wg.Add(2)
	go func() { defer s.wg.Done(); _ = s.imap.Serve(imapLn) }()
	go func() { defer s.wg.Done(); _ = s.smtp.Serve(smtpLn) }()
	s.log.Info("demo mail server", "mailbox", email, "imap", imapLn.Addr().String(), "smtp", smtpLn.Addr().String())
	return s, nil
}

// listenLoopback listens on addr, which must be on a loopback address; a
// busy port gives way to a free one.
func listenLoopback(addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("%s is not a loopback address", addr)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return net.Listen("tcp", net.JoinHostPort(host, "0"))
	}
	return l, nil
}

// Close stops both servers and waits for running OnOutbox calls.
func (s *Server) Close() error {
	s.closing.Store(true)
	err := errors.Join(s.imap.Close(), s.smtp.Close())
	s.wg.Wait()
	return err
}

// IMAPConfig is how Ringdesk reads the demo mailbox.
func (s *Server) IMAPConfig() mail.IMAPConfig {
	return mail.IMAPConfig{Host: s.Host, Port: s.IMAPPort, TLS: mail.TLSNone, Username: s.Mailbox, Password: s.Password}
}

// SMTPConfig is how Ringdesk sends through the demo server.
func (s *Server) SMTPConfig() mail.SMTPConfig {
	return mail.SMTPConfig{Host: s.Host, Port: s.SMTPPort, TLS: mail.TLSNone, Username: s.Mailbox, Password: s.Password}
}

// Deliver puts a message into the INBOX, as if a client had written.
func (s *Server) Deliver(raw []byte) error {
	if err := s.save("inbox", raw); err != nil {
		return err
	}
	return s.appendInbox(raw)
}

func (s *Server) appendInbox(raw []byte) error {
	_, err := s.user.Append("INBOX", literal{bytes.NewReader(raw), int64(len(raw))}, &imap.AppendOptions{Time: time.Now()})
	return err
}

// Outbox returns what was sent to clients so far, oldest first.
func (s *Server) Outbox() []OutboxMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.outbox)
}

// WaitOutbox waits until the outbox holds at least n messages.
func (s *Server) WaitOutbox(ctx context.Context, n int) ([]OutboxMessage, error) {
	for {
		if out := s.Outbox(); len(out) >= n {
			return out, nil
		}
		select {
		case <-ctx.Done():
			return s.Outbox(), ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// accept files a message sent over SMTP: to the INBOX when it is for the
// mailbox, to the client outbox for everyone else.
func (s *Server) accept(from string, rcpts []string, raw []byte) error {
	var others []string
	toMailbox := false
	for _, r := range rcpts {
		if strings.EqualFold(r, s.Mailbox) {
			toMailbox = true
		} else {
			others = append(others, r)
		}
	}
	if toMailbox {
		if err := s.Deliver(raw); err != nil {
			return err
		}
	}
	if len(others) == 0 {
		return nil
	}
	msg := OutboxMessage{From: from, To: others, Raw: raw, Received: time.Now()}
	if err := s.save("outbox", raw); err != nil {
		return err
	}
	s.mu.Lock()
	s.outbox = append(s.outbox, msg)
	s.mu.Unlock()
	if s.opts.OnOutbox != nil {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.opts.OnOutbox(msg)
		}()
	}
	return nil
}

// save keeps a message as a file named in arrival order.
func (s *Server) save(box string, raw []byte) error {
	if s.opts.Dir == "" {
		return nil
	}
	dir := filepath.Join(s.opts.Dir, box)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	s.mu.Lock()
	s.seq++
	name := fmt.Sprintf("%d-%06d.eml", time.Now().UnixNano(), s.seq)
	s.mu.Unlock()
	tmp := filepath.Join(dir, "."+name)
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, name))
}

// load brings back the INBOX and the outbox from Dir, in arrival order, so
// the INBOX gets the UIDs it had.
func (s *Server) load() error {
	if s.opts.Dir == "" {
		return nil
	}
	for _, box := range []string{"inbox", "outbox"} {
		files, err := filepath.Glob(filepath.Join(s.opts.Dir, box, "*.eml"))
		if err != nil {
			return err
		}
		slices.Sort(files)
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			if box == "inbox" {
				if err := s.appendInbox(raw); err != nil {
					return err
				}
				continue
			}
			st, _ := os.Stat(f)
			s.outbox = append(s.outbox, OutboxMessage{Raw: raw, Received: st.ModTime()})
		}
	}
	return nil
}

type literal struct {
	*bytes.Reader
	size int64
}

func (l literal) Size() int64 { return l.size }

// slogPrintf is the servers' error log: a warning, except for what the
// server's own Close causes.
type slogPrintf struct{ s *Server }

func (l slogPrintf) Printf(format string, args ...any) { l.log(fmt.Sprintf(format, args...)) }
func (l slogPrintf) Println(args ...any)               { l.log(fmt.Sprint(args...)) }

func (l slogPrintf) log(msg string) {
	if l.s.closing.Load() {
		l.s.log.Debug(msg)
		return
	}
	l.s.log.Warn(msg)
}

// backend is the SMTP side: AUTH PLAIN with the mailbox's credentials
// (optional, as on a local relay), any sender, any recipients.
type backend struct{ s *Server }

func (b *backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s     *Server
	from  string
	rcpts []string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if !strings.EqualFold(username, ss.s.Mailbox) || password != ss.s.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Invalid credentials"}
		}
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if _, err := mail.CheckEmail(to); err != nil {
		return &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 1, 3}, Message: "Bad recipient address"}
	}
	ss.rcpts = append(ss.rcpts, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := ss.s.accept(ss.from, ss.rcpts, raw); err != nil {
		ss.s.log.Error("demo mail: keeping a message", "err", err)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Could not keep the message"}
	}
	return nil
}

func (ss *session) Reset()        { ss.from, ss.rcpts = "", nil }
func (ss *session) Logout() error { return nil }

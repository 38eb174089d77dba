package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// TLSMode is how a connection to a mail server is secured.
type TLSMode string

// TLS modes.
const (
	TLSNone     TLSMode = "none"     // plain TCP (local relays and tests only)
	TLSStartTLS TLSMode = "starttls" // plain, then STARTTLS before anything else (SMTP 587, IMAP 143)
	TLSImplicit TLSMode = "tls"      // TLS from the first byte (SMTP 465, IMAP 993)
)

// Valid tells whether m is a known mode.
func (m TLSMode) Valid() bool {
	return m == TLSNone || m == TLSStartTLS || m == TLSImplicit
}

// DefaultTimeout bounds connecting and each command when a config sets no
// Timeout.
const DefaultTimeout = 30 * time.Second

// SMTPConfig is how to reach the outgoing mail server.
type SMTPConfig struct {
	Host     string
	Port     int
	TLS      TLSMode
	Username string // empty: no AUTH
	Password string
	HELO     string // the name we greet with; empty: "localhost"
	Timeout  time.Duration
	// TLSConfig overrides the TLS settings (tests trust their own CA with
	// it); ServerName defaults to Host.
	TLSConfig *tls.Config
	// Resolver looks host names up; nil: the system's.
	Resolver *net.Resolver
}

func (c SMTPConfig) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

func tlsConfigFor(host string, override *tls.Config) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if override != nil {
		cfg = override.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	return cfg
}

// SendError is why a message was not sent. Temporary errors (4xx replies,
// network failures) are worth retrying later; permanent ones (5xx replies,
// refused certificates) are not.
type SendError struct {
	Temporary bool
	Code      int    // the SMTP reply code; 0 for network and TLS failures
	Message   string // the server's words, or what failed on the way
	Op        string // connect, tls, auth, mail, rcpt, data
	Err       error
}

func (e *SendError) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("smtp %s: %d %s", e.Op, e.Code, e.Message)
	}
	return fmt.Sprintf("smtp %s: %s", e.Op, e.Message)
}

func (e *SendError) Unwrap() error { return e.Err }

// Send delivers raw to the recipients through the server in cfg, with
// from as the envelope sender ("" for none, as for bounces). It returns
// nil only when the server accepted the message for every recipient; a
// recipient refused aborts the whole transaction, so a retry never delivers
// twice to the others.
func Send(ctx context.Context, cfg SMTPConfig, from string, to []string, raw []byte) error {
	if len(to) == 0 {
		return &SendError{Op: "rcpt", Message: "no recipients", Err: ErrNoRecipients}
	}
	c, err := dialSMTP(ctx, cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := authSMTP(c, cfg); err != nil {
		return err
	}
	if err := c.Mail(from, nil); err != nil {
		return sendError("mail", err)
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt, nil); err != nil {
			return sendError("rcpt", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return sendError("data", err)
	}
	if _, err := w.Write(raw); err != nil {
		w.Close()
		return sendError("data", err)
	}
	if err := w.Close(); err != nil {
		return sendError("data", err)
	}
	_ = c.Quit() // the message is accepted; a failing QUIT changes nothing
	return nil
}

// smtpClient is a go-smtp client that closes its connection when the
// context ends.
type smtpClient struct {
	*smtp.Client
	stop func() bool
}

func (c *smtpClient) Close() error {
	c.stop()
	return c.Client.Close()
}

func dialSMTP(ctx context.Context, cfg SMTPConfig) (*smtpClient, error) {
	if !cfg.TLS.Valid() && cfg.TLS != "" {
		return nil, &SendError{Op: "connect", Message: fmt.Sprintf("unknown TLS mode %q", cfg.TLS)}
	}
	conn, err := dial(ctx, cfg.Host, cfg.Port, cfg.timeout(), cfg.Resolver)
	if err != nil {
		return nil, sendError("connect", err)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	fail := func(op string, err error) (*smtpClient, error) {
		stop()
		conn.Close()
		return nil, sendError(op, err)
	}
	tcfg := tlsConfigFor(cfg.Host, cfg.TLSConfig)
	var c *smtp.Client
	helloOp := "connect"
	switch cfg.TLS {
	case TLSImplicit:
		tc := tls.Client(conn, tcfg)
		if err := handshake(ctx, tc, cfg.timeout()); err != nil {
			return fail("tls", err)
		}
		c = smtp.NewClient(tc)
	case TLSStartTLS:
		// The certificate is checked on the first command after STARTTLS,
		// the EHLO below: its failure is a TLS one.
		if c, err = smtp.NewClientStartTLS(conn, tcfg); err != nil {
			return fail("tls", err)
		}
		helloOp = "tls"
	default:
		c = smtp.NewClient(conn)
	}
	c.CommandTimeout, c.SubmissionTimeout = cfg.timeout(), 2*cfg.timeout()
	if err := c.Hello(heloName(cfg)); err != nil {
		return fail(helloOp, err)
	}
	return &smtpClient{Client: c, stop: stop}, nil
}

func heloName(cfg SMTPConfig) string {
	if cfg.HELO != "" {
		return cfg.HELO
	}
	return "localhost"
}

func dial(ctx context.Context, host string, port int, timeout time.Duration, resolver *net.Resolver) (net.Conn, error) {
	d := net.Dialer{Timeout: timeout, Resolver: resolver}
	return d.DialContext(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(port)))
}

func handshake(ctx context.Context, tc *tls.Conn, timeout time.Duration) error {
	hctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return tc.HandshakeContext(hctx)
}

func authSMTP(c *smtpClient, cfg SMTPConfig) error {
	if cfg.Username == "" {
		return nil
	}
	var a sasl.Client
	switch {
	case c.SupportsAuth("PLAIN"):
		a = sasl.NewPlainClient("", cfg.Username, cfg.Password)
	case c.SupportsAuth("LOGIN"):
		a = sasl.NewLoginClient(cfg.Username, cfg.Password)
	default:
		ok, _ := c.Extension("AUTH")
		msg := "the server offers no AUTH (PLAIN or LOGIN)"
		if !ok && cfg.TLS == TLSNone {
			msg += "; it may offer it only over TLS"
		}
		return &SendError{Op: "auth", Message: msg}
	}
	if err := c.Auth(a); err != nil {
		return sendError("auth", err)
	}
	return nil
}

// sendError turns what go-smtp or the network returned into a SendError.
func sendError(op string, err error) *SendError {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return &SendError{Temporary: se.Code >= 400 && se.Code < 500, Code: se.Code, Message: oneLine(se.Message), Op: op, Err: err}
	}
	if isCertificateError(err) {
		return &SendError{Op: op, Message: err.Error(), Err: err}
	}
	return &SendError{Temporary: true, Op: op, Message: err.Error(), Err: err}
}

// isCertificateError tells whether err is a refused server certificate:
// waiting does not fix it, the settings must.
func isCertificateError(err error) bool {
	var cv *tls.CertificateVerificationError
	return errors.As(err, &cv) || strings.Contains(err.Error(), "x509:")
}

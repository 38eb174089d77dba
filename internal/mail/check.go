package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-smtp"
)

// ProblemCode names what to fix in a mailbox's settings; the UI translates
// it and shows Problem.Detail (the server's or the system's words) beside.
type ProblemCode string

// Problem codes, in the order a connection meets them.
const (
	ProblemConfig         ProblemCode = "config"             // host or port missing, unknown TLS mode
	ProblemDNS            ProblemCode = "dns"                // the host name does not resolve
	ProblemRefused        ProblemCode = "connection_refused" // nothing listens on that port
	ProblemTimeout        ProblemCode = "timeout"            // no answer in time (firewall, wrong port)
	ProblemNetwork        ProblemCode = "network"            // any other network failure
	ProblemTLSCertificate ProblemCode = "tls_certificate"    // the server's certificate is not trusted
	ProblemTLS            ProblemCode = "tls_handshake"      // TLS failed (wrong TLS mode for the port, old TLS)
	ProblemProtocol       ProblemCode = "protocol"           // the port answers, but not in IMAP/SMTP
	ProblemLogin          ProblemCode = "login_refused"      // IMAP refused the username or password
	ProblemFolder         ProblemCode = "folder_missing"     // the IMAP folder does not exist
	ProblemSMTPAuth       ProblemCode = "smtp_auth_refused"  // SMTP refused the username or password
	ProblemSMTPNoAuth     ProblemCode = "smtp_auth_missing"  // the SMTP server offers no AUTH we can use
	ProblemSMTPStartTLS   ProblemCode = "smtp_no_starttls"   // STARTTLS asked for, the server lacks it
	ProblemIMAPNoStartTLS ProblemCode = "imap_no_starttls"   // the same for IMAP
	ProblemServer         ProblemCode = "server_error"       // the server refused something else
	ProblemCanceled       ProblemCode = "canceled"           // the check was cancelled
)

// Problem is one thing Check found wrong.
type Problem struct {
	Server string      // "imap" or "smtp"
	Code   ProblemCode // what to fix
	Detail string      // the server's or the system's words
}

func (p Problem) String() string { return fmt.Sprintf("%s: %s: %s", p.Server, p.Code, p.Detail) }

// Check connects to both servers as the channel will (TLS, login, folder;
// SMTP AUTH) and returns what stops it, nothing when all is well. Each side
// whose Host is empty is skipped.
func Check(ctx context.Context, in IMAPConfig, out SMTPConfig) []Problem {
	var problems []Problem
	if in.Host != "" {
		problems = append(problems, CheckIMAP(ctx, in)...)
	}
	if out.Host != "" {
		problems = append(problems, CheckSMTP(ctx, out)...)
	}
	return problems
}

// CheckIMAP checks the incoming side: connection, TLS, login, folder.
func CheckIMAP(ctx context.Context, cfg IMAPConfig) []Problem {
	if p := checkConfig("imap", cfg.Host, cfg.Port, cfg.TLS); p != nil {
		return []Problem{*p}
	}
	c, err := dialIMAP(ctx, cfg, nil)
	if err != nil {
		return []Problem{imapProblem(ctx, err)}
	}
	defer c.Close()
	_, err = withDeadline(ctx, cfg.timeout(), c, func() (*imap.SelectData, error) {
		return c.Select(cfg.folder(), &imap.SelectOptions{ReadOnly: true}).Wait()
	})
	if err != nil {
		var ie *imap.Error
		if errors.As(err, &ie) {
			return []Problem{{Server: "imap", Code: ProblemFolder, Detail: fmt.Sprintf("%s: %s", cfg.folder(), ie.Text)}}
		}
		return []Problem{netProblem(ctx, "imap", err)}
	}
	_ = c.Logout().Wait()
	return nil
}

// CheckSMTP checks the outgoing side: connection, TLS, AUTH.
func CheckSMTP(ctx context.Context, cfg SMTPConfig) []Problem {
	if p := checkConfig("smtp", cfg.Host, cfg.Port, cfg.TLS); p != nil {
		return []Problem{*p}
	}
	c, err := dialSMTP(ctx, cfg)
	if err != nil {
		return []Problem{smtpProblem(ctx, err)}
	}
	defer c.Close()
	if err := authSMTP(c, cfg); err != nil {
		return []Problem{smtpProblem(ctx, err)}
	}
	_ = c.Quit()
	return nil
}

func checkConfig(server, host string, port int, mode TLSMode) *Problem {
	switch {
	case strings.TrimSpace(host) == "":
		return &Problem{Server: server, Code: ProblemConfig, Detail: "no host"}
	case port <= 0 || port > 65535:
		return &Problem{Server: server, Code: ProblemConfig, Detail: fmt.Sprintf("port %d", port)}
	case mode != "" && !mode.Valid():
		return &Problem{Server: server, Code: ProblemConfig, Detail: fmt.Sprintf("TLS mode %q", mode)}
	}
	return nil
}

func imapProblem(ctx context.Context, err error) Problem {
	var fe *FetchError
	op := ""
	if errors.As(err, &fe) {
		op = fe.Op
	}
	var ie *imap.Error
	switch {
	case op == "login" && errors.As(err, &ie):
		return Problem{Server: "imap", Code: ProblemLogin, Detail: ie.Text}
	case op == "tls" && strings.Contains(err.Error(), "STARTTLS"):
		return Problem{Server: "imap", Code: ProblemIMAPNoStartTLS, Detail: err.Error()}
	case errors.As(err, &ie):
		return Problem{Server: "imap", Code: ProblemServer, Detail: ie.Text}
	}
	return classify(ctx, "imap", op, err)
}

func smtpProblem(ctx context.Context, err error) Problem {
	var se *SendError
	if !errors.As(err, &se) {
		return netProblem(ctx, "smtp", err)
	}
	var reply *smtp.SMTPError
	switch {
	case se.Op == "auth" && errors.As(err, &reply):
		return Problem{Server: "smtp", Code: ProblemSMTPAuth, Detail: fmt.Sprintf("%d %s", reply.Code, oneLine(reply.Message))}
	case se.Op == "auth":
		return Problem{Server: "smtp", Code: ProblemSMTPNoAuth, Detail: se.Message}
	case se.Op == "tls" && strings.Contains(se.Message, "STARTTLS"):
		return Problem{Server: "smtp", Code: ProblemSMTPStartTLS, Detail: se.Message}
	case errors.As(err, &reply):
		return Problem{Server: "smtp", Code: ProblemServer, Detail: fmt.Sprintf("%d %s", reply.Code, oneLine(reply.Message))}
	}
	if se.Err == nil {
		return Problem{Server: "smtp", Code: ProblemConfig, Detail: se.Message}
	}
	return classify(ctx, "smtp", se.Op, se.Err)
}

// classify names a failure below the protocol: DNS, refused, timeout, TLS,
// or a port that answers in another protocol.
func classify(ctx context.Context, server, op string, err error) Problem {
	p := netProblem(ctx, server, err)
	if p.Code != ProblemNetwork {
		return p
	}
	switch {
	case op == "tls" && isCertificateError(err):
		p.Code = ProblemTLSCertificate
	case op == "tls":
		p.Code = ProblemTLS
	case op == "connect" || op == "login":
		// Connected, but the greeting or the answer was not the protocol's.
		var ne net.Error
		if !errors.As(err, &ne) && !errors.Is(err, syscall.ECONNRESET) {
			p.Code = ProblemProtocol
		}
	}
	return p
}

// netProblem names DNS, refused, timeout and cancelled; anything else is
// ProblemNetwork.
func netProblem(ctx context.Context, server string, err error) Problem {
	p := Problem{Server: server, Code: ProblemNetwork, Detail: err.Error()}
	var dnsErr *net.DNSError
	var ne net.Error
	switch {
	case ctx.Err() != nil:
		p.Code = ProblemCanceled
	case errors.As(err, &dnsErr):
		p.Code, p.Detail = ProblemDNS, dnsErr.Error()
	case errors.Is(err, syscall.ECONNREFUSED):
		p.Code = ProblemRefused
	case errors.Is(err, errTimeout), errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		p.Code = ProblemTimeout
	}
	return p
}

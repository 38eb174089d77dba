package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Dovecot is a running Dovecot IMAP server with one mailbox (Username,
// Password), Maildir storage in a temporary folder, plain authentication
// and, with TLS, a self-signed certificate (trusted by TLSConfig) for
// STARTTLS on Port and implicit TLS on TLSPort.
type Dovecot struct {
	Host     string // 127.0.0.1
	Port     int    // IMAP (STARTTLS offered when TLS)
	TLSPort  int    // IMAPS; 0 without TLS
	Username string
	Password string
	// TLSConfig trusts the server's certificate (nil without TLS).
	TLSConfig *tls.Config

	bin, dir, conf string
	uid, gid       int
	proc           *process
	seq            atomic.Int64
}

// DovecotOptions choose how StartDovecotWith runs Dovecot.
type DovecotOptions struct {
	TLS bool // a self-signed certificate, STARTTLS and an IMAPS port
}

// StartDovecot runs Dovecot without TLS for the test.
func StartDovecot(tb testing.TB) *Dovecot {
	tb.Helper()
	return StartDovecotWith(tb, DovecotOptions{})
}

// StartDovecotWith runs Dovecot for the test (Debian's dovecot-imapd:
// apt-get install dovecot-imapd).
func StartDovecotWith(tb testing.TB, opts DovecotOptions) *Dovecot {
	tb.Helper()
	bin, ok := findBinary("dovecot")
	if !ok {
		if _, err := os.Stat("/usr/sbin/dovecot"); err == nil {
			bin, ok = "/usr/sbin/dovecot", true
		}
	}
	if !ok {
		skip(tb, "dovecot is not installed (apt-get install dovecot-imapd)")
	}
	d := &Dovecot{Host: "127.0.0.1", Username: "support@example.com", Password: "imap-secret", bin: bin}
	dir, err := os.MkdirTemp("", "ringdesk-dovecot-")
	if err != nil {
		tb.Fatal(err)
	}
	d.dir = dir
	tb.Cleanup(func() { os.RemoveAll(dir) })
	if err := d.prepare(opts); err != nil {
		tb.Fatalf("dovecot: %v", err)
	}
	for attempt := 0; attempt < 3; attempt++ {
		d.Port = FreePort(tb)
		if opts.TLS {
			d.TLSPort = FreePort(tb)
		}
		if err = d.writeConfig(opts); err == nil {
			err = d.start()
		}
		if err == nil {
			break
		}
	}
	if err != nil {
		tb.Fatalf("dovecot: %v", err)
	}
	tb.Cleanup(d.Stop)
	return d
}

// prepare makes the folders, the users file and the certificate. As root,
// mail belongs to the "dovecot" user (Dovecot refuses uid 0 for mail);
// otherwise to the current user.
func (d *Dovecot) prepare(opts DovecotOptions) error {
	d.uid, d.gid = os.Getuid(), os.Getgid()
	if d.uid == 0 {
		u, err := user.Lookup("dovecot")
		if err != nil {
			return fmt.Errorf("running as root needs the dovecot user: %w", err)
		}
		d.uid, _ = strconv.Atoi(u.Uid)
		d.gid, _ = strconv.Atoi(u.Gid)
	}
	if err := os.Chmod(d.dir, 0o755); err != nil {
		return err
	}
	for _, sub := range []string{"run", "state", "home"} {
		if err := os.MkdirAll(filepath.Join(d.dir, sub), 0o755); err != nil {
			return err
		}
	}
	home := d.home()
	if err := os.MkdirAll(filepath.Join(home, "Maildir", "new"), 0o700); err != nil {
		return err
	}
	for _, sub := range []string{"cur", "tmp"} {
		if err := os.MkdirAll(filepath.Join(home, "Maildir", sub), 0o700); err != nil {
			return err
		}
	}
	if err := chownTree(home, d.uid, d.gid); err != nil {
		return err
	}
	passwd := fmt.Sprintf("%s:{PLAIN}%s\n", d.Username, d.Password)
	if err := os.WriteFile(filepath.Join(d.dir, "passwd"), []byte(passwd), 0o644); err != nil {
		return err
	}
	if opts.TLS {
		return d.makeCertificate()
	}
	return nil
}

func (d *Dovecot) home() string { return filepath.Join(d.dir, "home", d.Username) }

func chownTree(root string, uid, gid int) error {
	if os.Getuid() != 0 {
		return nil
	}
	return filepath.Walk(root, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

func (d *Dovecot) writeConfig(opts DovecotOptions) error {
	internalUser, loginUser, chroot := "dovecot", "dovenull", ""
	if os.Getuid() != 0 {
		u, err := user.Current()
		if err != nil {
			return err
		}
		internalUser, loginUser, chroot = u.Username, u.Username, "  chroot =\n"
	}
	ssl := "ssl = no\n"
	imaps := "  inet_listener imaps {\n    port = 0\n  }\n"
	if opts.TLS {
		ssl = fmt.Sprintf("ssl = yes\nssl_cert = <%s\nssl_key = <%s\n", filepath.Join(d.dir, "cert.pem"), filepath.Join(d.dir, "key.pem"))
		imaps = fmt.Sprintf("  inet_listener imaps {\n    address = 127.0.0.1\n    port = %d\n    ssl = yes\n  }\n", d.TLSPort)
	}
	conf := fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
instance_name = ringdesk-test-%[2]d
login_greeting = ringdesk-test-%[2]d
log_path = /dev/stderr
protocols = imap
listen = 127.0.0.1
%[3]sdisable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = %[4]s
default_login_user = %[5]s
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/passwd
}
userdb {
  driver = static
  args = uid=%[6]d gid=%[7]d home=%[1]s/home/%%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
%[8]s%[9]s}
service anvil {
%[9]s}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
`, d.dir, d.Port, ssl, internalUser, loginUser, d.uid, d.gid, imaps, chroot)
	d.conf = filepath.Join(d.dir, "dovecot.conf")
	return os.WriteFile(d.conf, []byte(conf), 0o644)
}

func (d *Dovecot) start() error {
	p, err := startProcess(d.bin, "-F", "-c", d.conf)
	if err != nil {
		return err
	}
	// The greeting names the port: a Dovecot of another test that took
	// this port would name its own.
	greeting := fmt.Sprintf("ringdesk-test-%d", d.Port)
	err = waitServer(d.Port, 15*time.Second, p.exited, greets(greeting))
	if err == nil && d.TLSPort != 0 {
		err = waitServer(d.TLSPort, 5*time.Second, p.exited, greetsTLS(greeting))
	}
	if err != nil || p.exited() {
		p.stop()
		return fmt.Errorf("did not start (%v): %s", err, p.out.String())
	}
	d.proc = p
	return nil
}

// Stop stops Dovecot and waits until it has let go of its ports.
func (d *Dovecot) Stop() {
	if d.proc == nil {
		return
	}
	d.proc.stop()
	d.proc = nil
}

// Kill kills Dovecot and every process it started at once, as a crash
// or a pulled cable would: open connections drop without a goodbye.
func (d *Dovecot) Kill() {
	if d.proc == nil {
		return
	}
	d.proc.kill()
	d.proc = nil
}

// Start starts a stopped Dovecot again on the same ports, with the same
// mail.
func (d *Dovecot) Start(tb testing.TB) {
	tb.Helper()
	if d.proc != nil {
		return
	}
	var err error
	for attempt := 0; attempt < 50; attempt++ {
		if err = d.start(); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond) // the old master may still be leaving
	}
	tb.Fatalf("dovecot restart: %v", err)
}

// Log returns what Dovecot logged so far.
func (d *Dovecot) Log() string {
	if d.proc == nil {
		return ""
	}
	return d.proc.out.String()
}

// Client logs in as the mailbox's user (for tests that need to look or
// change things themselves).
func (d *Dovecot) Client(tb testing.TB) *imapclient.Client {
	tb.Helper()
	c, err := imapclient.DialInsecure(net.JoinHostPort(d.Host, strconv.Itoa(d.Port)), nil)
	if err != nil {
		tb.Fatalf("dovecot: dial: %v", err)
	}
	if err := c.Login(d.Username, d.Password).Wait(); err != nil {
		c.Close()
		tb.Fatalf("dovecot: login: %v", err)
	}
	return c
}

// Append delivers raw into folder by IMAP APPEND and returns its UID.
func (d *Dovecot) Append(tb testing.TB, folder string, raw []byte) uint32 {
	tb.Helper()
	c := d.Client(tb)
	defer c.Close()
	cmd := c.Append(folder, int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		tb.Fatalf("dovecot: append: %v", err)
	}
	if err := cmd.Close(); err != nil {
		tb.Fatalf("dovecot: append: %v", err)
	}
	data, err := cmd.Wait()
	if err != nil {
		tb.Fatalf("dovecot: append: %v", err)
	}
	_ = c.Logout().Wait()
	return uint32(data.UID)
}

// Deliver files raw into the INBOX's Maildir new/, as a local delivery
// agent does; Dovecot gives it a UID when a client next looks.
func (d *Dovecot) Deliver(tb testing.TB, raw []byte) {
	tb.Helper()
	name := fmt.Sprintf("%d.M%dP%d.ringdesk-test", time.Now().Unix(), d.seq.Add(1), os.Getpid())
	tmp := filepath.Join(d.home(), "Maildir", "tmp", name)
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		tb.Fatal(err)
	}
	if os.Getuid() == 0 {
		if err := os.Chown(tmp, d.uid, d.gid); err != nil {
			tb.Fatal(err)
		}
	}
	if err := os.Rename(tmp, filepath.Join(d.home(), "Maildir", "new", name)); err != nil {
		tb.Fatal(err)
	}
}

// CreateFolder creates a mailbox folder.
func (d *Dovecot) CreateFolder(tb testing.TB, name string) {
	tb.Helper()
	c := d.Client(tb)
	defer c.Close()
	if err := c.Create(name, nil).Wait(); err != nil {
		tb.Fatalf("dovecot: create %s: %v", name, err)
	}
}

// UIDValidity returns the INBOX's UIDVALIDITY.
func (d *Dovecot) UIDValidity(tb testing.TB) uint32 {
	tb.Helper()
	c := d.Client(tb)
	defer c.Close()
	data, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		tb.Fatalf("dovecot: select: %v", err)
	}
	return data.UIDValidity
}

// SetUIDValidity changes the INBOX's UIDVALIDITY (doveadm mailbox update),
// as when a server's mail store is rebuilt: every UID a client kept is void.
func (d *Dovecot) SetUIDValidity(tb testing.TB, v uint32) {
	tb.Helper()
	doveadm := filepath.Join(filepath.Dir(d.bin), "..", "bin", "doveadm")
	if p, err := exec.LookPath("doveadm"); err == nil {
		doveadm = p
	}
	out, err := exec.Command(doveadm, "-c", d.conf, "mailbox", "update", "-u", d.Username,
		"--uid-validity", strconv.FormatUint(uint64(v), 10), "INBOX").CombinedOutput()
	if err != nil {
		tb.Fatalf("doveadm mailbox update: %v: %s", err, out)
	}
}

// makeCertificate writes a self-signed certificate for Dovecot and a
// TLSConfig trusting it.
func (d *Dovecot) makeCertificate() error {
	certPEM, keyPEM, err := selfSigned()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(d.dir, "cert.pem"), certPEM, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(d.dir, "key.pem"), keyPEM, 0o600); err != nil {
		return err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	d.TLSConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return nil
}

// SelfSignedTLS returns a server TLS configuration with a fresh self-signed
// certificate for 127.0.0.1 and localhost, and a client configuration that
// trusts it (and nothing else).
func SelfSignedTLS(tb testing.TB) (server, client *tls.Config) {
	tb.Helper()
	certPEM, keyPEM, err := selfSigned()
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

// selfSigned makes a certificate valid for a day for 127.0.0.1 and
// localhost, as PEM.
func selfSigned() (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "Ringdesk test mail server"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), nil
}

// CertificatePEM returns the self-signed certificate (TLS only).
func (d *Dovecot) CertificatePEM() string {
	b, _ := os.ReadFile(filepath.Join(d.dir, "cert.pem"))
	return strings.TrimSpace(string(b))
}

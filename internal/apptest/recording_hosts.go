package apptest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// RecordingHosts lets a test app fetch recordings from the real recording
// host names (app.uiscom.ru, media.comagic.ru...) served by the simulator:
// the app dials those names at the simulator's http and https listeners and
// trusts the simulator's certificate, so a test can keep the channel's
// default recording hosts. Pass AppOption to New, SimOption to
// NewTelephony, then call Serve.
type RecordingHosts struct {
	cert   tls.Certificate
	pool   *x509.CertPool
	mu     sync.Mutex
	routes map[string]string // host:port -> local address
}

// NewRecordingHosts makes the certificate the simulator will serve.
func NewRecordingHosts(tb testing.TB) *RecordingHosts {
	tb.Helper()
	cert, err := uissim.SelfSignedCertificate()
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	return &RecordingHosts{cert: cert, pool: pool, routes: map[string]string{}}
}

// AppOption makes the app's recording fetcher use the routes and trust the
// simulator's certificate.
func (h *RecordingHosts) AppOption() Option {
	return func(_ *app.Config, o *app.Options) {
		o.Recordings.RootCAs = h.pool
		o.Recordings.DialContext = h.dial
	}
}

// SimOption gives the simulator the certificate.
func (h *RecordingHosts) SimOption() SimOption {
	return func(c *uissim.Config) { c.TLSCertificate = &h.cert }
}

// Serve starts the simulator's https listener and routes the app. and
// media. hosts of UIS and CoMagic to it: port 80 to its http listener, 443
// to the https one.
func (h *RecordingHosts) Serve(tb testing.TB, t *Telephony) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	tlsURL, err := t.Sim.StartTLS(ctx, "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	plain, _ := url.Parse(t.SimURL)
	secure, _ := url.Parse(tlsURL)
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, brand := range []string{"uiscom.ru", "comagic.ru"} {
		for _, host := range []string{"app.", "media."} {
			h.routes[host+brand+":80"] = plain.Host
			h.routes[host+brand+":443"] = secure.Host
		}
	}
}

// dial reaches routed hosts at their local addresses; any other address
// is refused, so a test never leaves the machine.
func (h *RecordingHosts) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	h.mu.Lock()
	to, ok := h.routes[strings.ToLower(addr)]
	h.mu.Unlock()
	if !ok {
		if host, _, err := net.SplitHostPort(addr); err != nil || net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback() {
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "not routed in this test", Name: addr, IsNotFound: true}}
		}
		to = addr
	}
	var d net.Dialer
	return d.DialContext(ctx, network, to)
}

package uissim

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"time"
)

// tlsHosts are the names the simulator's certificate covers besides local addresses: the
// recording hosts of the UIS, CoMagic and CallGear brands, so a client that routes those names
// to the simulator (a test dialer) can verify it.
var tlsHosts = []string{"localhost", "app.uiscom.ru", "media.uiscom.ru", "app.comagic.ru", "media.comagic.ru",
	"app.callgear.com", "media.callgear.com"}

// StartTLS serves Handler over https on addr (e.g. "127.0.0.1:0") with a self-signed
// certificate for 127.0.0.1, ::1, localhost, the brand recording hosts and the host of
// Behaviour.RecordingBaseURL (or with Config.TLSCertificate). It returns the https base URL; TLSCertificate gives the
// certificate a client must trust. With Behaviour.RecordingRedirect, plain-http recording
// requests to the simulator's own address are redirected here.
func (s *Simulator) StartTLS(ctx context.Context, addr string) (string, error) {
	var cert tls.Certificate
	if s.cfg.TLSCertificate != nil {
		cert = *s.cfg.TLSCertificate
	} else {
		var hosts []string
		if u, err := url.Parse(s.behaviour().RecordingBaseURL); err == nil && u.Hostname() != "" {
			hosts = append(hosts, u.Hostname())
		}
		var err error
		if cert, err = SelfSignedCertificate(hosts...); err != nil {
			return "", fmt.Errorf("uissim: certificate: %w", err)
		}
	}
	leaf := cert.Leaf
	if leaf == nil && len(cert.Certificate) > 0 {
		leaf, _ = x509.ParseCertificate(cert.Certificate[0])
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("uissim: listen: %w", err)
	}
	base := "https://" + ln.Addr().String()
	srv := &http.Server{Handler: s.mux, ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return "", errors.New("uissim: simulator closed")
	}
	s.tlsBase, s.tlsCert, s.tlsServer = base, leaf, srv
	s.mu.Unlock()
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		if err := srv.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("uissim: serve tls", "err", err)
		}
	}()
	go func() {
		defer s.wg.Done()
		select {
		case <-ctx.Done():
			srv.Close()
		case <-s.ctx.Done():
		}
	}()
	return base, nil
}

// TLSCertificate is the certificate of the https listener (nil before StartTLS).
func (s *Simulator) TLSCertificate() *x509.Certificate {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tlsCert
}

// SelfSignedCertificate makes an ECDSA certificate, valid for a day, for 127.0.0.1, ::1,
// localhost, the brand recording hosts (app. and media. of uiscom.ru, comagic.ru and
// callgear.com) and hosts; Leaf is set. Config.TLSCertificate takes one, so a test can trust
// it before the simulator starts.
func SelfSignedCertificate(hosts ...string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: "uissim"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
		DNSNames: append(append([]string(nil), tlsHosts...), hosts...), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

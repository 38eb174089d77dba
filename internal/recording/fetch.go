// Package recording fetches UIS call recordings for playback and keeps
// archived copies of them in the data dir.
package recording

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// Fetcher fetches recordings from hosts a channel allows, and from no
// other host: neither the link nor any redirect may leave the allowed set.
// Redirects within it (UIS answers plain http with 308 to https) are
// followed, each logged with its target.
type Fetcher struct {
	hc  *http.Client
	log *slog.Logger
}

// FetchOptions tune a Fetcher; the zero value is right for production.
type FetchOptions struct {
	// Log receives a line for every redirect a recording link takes.
	Log *slog.Logger
	// DialContext replaces the dialer. Tests use it to reach real recording
	// host names (app.comagic.ru) at the UIS simulator.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	// RootCAs replaces the system roots for https hosts (tests trust the
	// simulator's certificate).
	RootCAs *x509.CertPool
}

// allowedKey carries the host check of one fetch into CheckRedirect.
type allowedKey struct{}

// maxRedirects bounds the hops of one fetch: http to https, then perhaps
// a move within the host.
const maxRedirects = 3

// NewFetcher returns a Fetcher with connection and header timeouts; the
// body streams for as long as the caller reads it.
func NewFetcher(opts FetchOptions) *Fetcher {
	dial := opts.DialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	tr := &http.Transport{
		Proxy:                 nil, // recordings go to UIS directly
		DialContext:           dial,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: 15 * time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   4,
	}
	if opts.RootCAs != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: opts.RootCAs, MinVersion: tls.VersionTLS12}
	}
	f := &Fetcher{log: opts.Log}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	f.hc = &http.Client{Transport: tr, CheckRedirect: f.checkRedirect}
	return f
}

// checkRedirect follows a redirect only to an allowed URL and logs every
// target: its scheme and host, not its path, which is the recording's key.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	from, status := via[len(via)-1].URL, 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	allowed, _ := req.Context().Value(allowedKey{}).(func(string) bool)
	ok := len(via) < maxRedirects && allowed != nil && allowed(req.URL.String())
	f.log.LogAttrs(req.Context(), logLevel(ok), "recording link redirected", slog.Int("status", status),
		slog.String("from", from.Scheme+"://"+from.Host), slog.String("to", req.URL.Scheme+"://"+req.URL.Host), slog.Bool("followed", ok))
	switch {
	case len(via) >= maxRedirects:
		return errTooManyRedirects
	case !ok:
		return &hostError{host: req.URL.Host}
	}
	return nil
}

func logLevel(ok bool) slog.Level {
	if ok {
		return slog.LevelInfo
	}
	return slog.LevelWarn
}

var errTooManyRedirects = errors.New("recording: too many redirects")

type hostError struct{ host string }

func (e *hostError) Error() string { return "recording: host not allowed: " + e.host }

// ErrHostNotAllowed, ErrExpired, ErrUnavailable classify fetch failures;
// ErrNotReady is ErrExpired while UIS may still be preparing the file (see
// NotReadyYet).
var (
	ErrHostNotAllowed = &ringdesk.Error{Code: ringdesk.EFORBIDDEN, Message: "The recording link points to a host that is not allowed for this channel, so Ringdesk did not fetch it. An administrator can allow the host in the channel settings."}
	ErrExpired        = &ringdesk.Error{Code: ringdesk.ENOTFOUND, Message: "The recording is no longer available at UIS: the link has expired or the recording was deleted."}
	ErrUnavailable    = &ringdesk.Error{Code: ringdesk.EUNAVAILABLE, Message: "UIS cannot be reached to fetch the recording. Try again in a moment."}
	ErrNotReady       = &ringdesk.Error{Code: ringdesk.ENOTFOUND, Message: "UIS has not made this recording available yet: recordings appear some time after the call ends. Try again in a few minutes."}
)

// NotReadyWindow is how long after a call ends Ringdesk takes a 404, 410 or
// 403 from UIS for "not ready yet" rather than "gone": UIS makes a recording
// available some time after the call (it has a separate "recording ready"
// notification), and how long is not documented.
const NotReadyWindow = 6 * time.Hour

// NotReadyYet reports whether err, from Open, means the recording of a call
// that finished at finishedAt (zero: not finished yet) may still appear:
// UIS answered 404, 410 or 403 within window after the call.
func NotReadyYet(err error, finishedAt, now time.Time, window time.Duration) bool {
	if !errors.Is(err, ErrExpired) {
		return false
	}
	return finishedAt.IsZero() || now.Before(finishedAt.Add(window))
}

// Open requests a recording. allowed decides each URL (the link and every
// redirect); rangeHeader is passed through. The caller closes the body of
// a nil-error response, whose status is 200 or 206.
func (f *Fetcher) Open(ctx context.Context, link string, allowed func(string) bool, rangeHeader string) (*http.Response, error) {
	if !allowed(link) {
		return nil, ErrHostNotAllowed
	}
	ctx = context.WithValue(ctx, allowedKey{}, allowed)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return nil, ErrHostNotAllowed
	}
	if rangeHeader != "" {
		req.Header.Set("Range", rangeHeader)
	}
	res, err := f.hc.Do(req)
	if err != nil {
		var he *hostError
		if errors.As(err, &he) {
			return nil, ErrHostNotAllowed
		}
		return nil, fmt.Errorf("%w (%v)", ErrUnavailable, redactURL(err))
	}
	switch {
	case res.StatusCode == http.StatusOK || res.StatusCode == http.StatusPartialContent:
		return res, nil
	case res.StatusCode == http.StatusRequestedRangeNotSatisfiable:
		res.Body.Close()
		return nil, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "The requested part of the recording does not exist."}
	case res.StatusCode == http.StatusNotFound || res.StatusCode == http.StatusGone || res.StatusCode == http.StatusForbidden:
		res.Body.Close()
		return nil, fmt.Errorf("%w (HTTP %d)", ErrExpired, res.StatusCode)
	default:
		res.Body.Close()
		return nil, fmt.Errorf("%w (HTTP %d)", ErrUnavailable, res.StatusCode)
	}
}

// redactURL drops the URL from a client error: recording links may carry
// access keys.
func redactURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// ContentType picks the Content-Type for a recording: the upstream one
// when it is audio, else one guessed from the link's extension.
func ContentType(upstream, link string) string {
	if mt, _, err := mime.ParseMediaType(upstream); err == nil && strings.HasPrefix(mt, "audio/") {
		return upstream
	}
	u, err := url.Parse(link)
	if err == nil {
		switch strings.ToLower(path.Ext(u.Path)) {
		case ".wav":
			return "audio/wav"
		case ".mp3":
			return "audio/mpeg"
		case ".ogg", ".oga":
			return "audio/ogg"
		}
	}
	return "application/octet-stream"
}

// Ext is the file extension for a content type.
func Ext(contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "audio/wav", "audio/x-wav", "audio/wave":
		return ".wav"
	case "audio/mpeg", "audio/mp3":
		return ".mp3"
	case "audio/ogg":
		return ".ogg"
	}
	return ".bin"
}

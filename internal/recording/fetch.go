// Package recording fetches UIS call recordings for playback and keeps
// archived copies of them in the data dir.
package recording

import (
	"context"
	"errors"
	"fmt"
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
type Fetcher struct {
	hc *http.Client
}

// allowedKey carries the host check of one fetch into CheckRedirect.
type allowedKey struct{}

// NewFetcher returns a Fetcher with connection and header timeouts; the
// body streams for as long as the caller reads it.
func NewFetcher() *Fetcher {
	tr := &http.Transport{
		Proxy:                 nil, // recordings go to UIS directly
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: 15 * time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   4,
	}
	hc := &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 3 {
			return errTooManyRedirects
		}
		allowed, _ := req.Context().Value(allowedKey{}).(func(string) bool)
		if allowed == nil || !allowed(req.URL.String()) {
			return &hostError{host: req.URL.Host}
		}
		return nil
	}}
	return &Fetcher{hc: hc}
}

var errTooManyRedirects = errors.New("recording: too many redirects")

type hostError struct{ host string }

func (e *hostError) Error() string { return "recording: host not allowed: " + e.host }

// ErrHostNotAllowed, ErrExpired, ErrUnavailable classify fetch failures.
var (
	ErrHostNotAllowed = &ringdesk.Error{Code: ringdesk.EFORBIDDEN, Message: "The recording link points to a host that is not allowed for this channel, so Ringdesk did not fetch it. An administrator can allow the host in the channel settings."}
	ErrExpired        = &ringdesk.Error{Code: ringdesk.ENOTFOUND, Message: "The recording is no longer available at UIS: the link has expired or the recording was deleted."}
	ErrUnavailable    = &ringdesk.Error{Code: ringdesk.EUNAVAILABLE, Message: "UIS cannot be reached to fetch the recording. Try again in a moment."}
)

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
		return nil, ErrExpired
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

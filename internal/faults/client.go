package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// api talks to the child over HTTP as an operator's tools and a browser do.
type api struct {
	base  string
	token string       // an admin's API token
	http  *http.Client // no redirects followed: a 303 is an answer
}

func newAPI(base, token string) *api {
	return &api{base: base, token: token, http: &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a JSON request with the token and decodes a JSON answer into out.
func (a *api) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := a.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %.300s", method, path, res.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// calls pages through every call of the channel.
func (a *api) calls(ctx context.Context, channelID int64) ([]StoredCall, error) {
	var all []StoredCall
	cursor := ""
	for {
		var page struct {
			Calls      []StoredCall `json:"calls"`
			NextCursor string       `json:"next_cursor"`
		}
		q := url.Values{"limit": {"200"}, "channel_id": {fmt.Sprint(channelID)}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		if err := a.do(ctx, http.MethodGet, "/api/v1/calls?"+q.Encode(), nil, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Calls...)
		if page.NextCursor == "" || len(page.Calls) == 0 {
			return all, nil
		}
		cursor = page.NextCursor
	}
}

// browser is a logged-in person's session.
type browser struct {
	base string
	http *http.Client
}

func login(ctx context.Context, base, email, password string) (*browser, error) {
	jar, _ := cookiejar.New(nil)
	b := &browser{base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	code, body, err := b.post(ctx, "/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return nil, err
	}
	if code != http.StatusSeeOther {
		return nil, fmt.Errorf("log in as %s: %d %.300s", email, code, body)
	}
	return b, nil
}

func (b *browser) post(ctx context.Context, path string, form url.Values) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.send(req)
}

func (b *browser) get(ctx context.Context, path string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return 0, "", err
	}
	return b.send(req)
}

func (b *browser) send(req *http.Request) (int, string, error) {
	res, err := b.http.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	return res.StatusCode, string(body), nil
}

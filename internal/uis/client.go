package uis

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Default UIS endpoints; a channel may override them (tests point them at
// the UIS simulator).
const (
	DefaultCallAPIURL = "https://callapi.uiscom.ru/v4.0"
	DefaultDataAPIURL = "https://dataapi.uiscom.ru/v2.0"
)

// MaxResponseSize bounds a UIS response body; a larger one is a
// *TransportError rather than a memory problem.
const MaxResponseSize = 10 << 20

// defaultTimeout applies when NewClient is given no *http.Client. UIS calls
// sit behind an agent's click, so a slow UIS must fail in seconds.
const defaultTimeout = 15 * time.Second

// Client calls the UIS Call API and Data API (JSON-RPC 2.0 over HTTP POST).
// The access token (the channel's App Secret) is passed to every method
// rather than stored, so one Client serves every channel. It is safe for
// concurrent use.
type Client struct {
	callURL string
	dataURL string
	hc      *http.Client
	nextID  atomic.Int64

	// Observe, if set, is told of every request: the method, its outcome
	// (ok, uis_error, unavailable), UIS's error mnemonic and how long it
	// took (metrics; it must not block).
	Observe func(method, outcome, mnemonic string, took time.Duration)

	// Location is the UIS account's time zone, used to write the dates of
	// Data API requests and to read dates in responses. NewClient sets
	// Europe/Moscow; set it from GetAccount's Timezone when it differs.
	Location *time.Location
}

// NewClient returns a client for the given API base URLs (empty means the
// real UIS hosts). A nil httpClient gets a 15 s timeout.
func NewClient(callAPIURL, dataAPIURL string, httpClient *http.Client) *Client {
	if callAPIURL == "" {
		callAPIURL = DefaultCallAPIURL
	}
	if dataAPIURL == "" {
		dataAPIURL = DefaultDataAPIURL
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: defaultTimeout}
	}
	return &Client{callURL: callAPIURL, dataURL: dataAPIURL, hc: httpClient, Location: moscowTZ()}
}

func moscowTZ() *time.Location {
	if loc, err := time.LoadLocation("Europe/Moscow"); err == nil {
		return loc
	}
	return time.FixedZone("MSK", 3*3600) // no tzdata; Moscow has no DST since 2014
}

// wireMeta is the part of a response's metadata Ringdesk uses. The limits
// UIS also reports are left out until something acts on them.
type wireMeta struct {
	TotalItems flexNumber `json:"total_items"`
}

type rpcRequest struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      int64           `json:"id"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
}

type rpcResponse struct {
	ID     json.RawMessage `json:"id"`
	Result *struct {
		Data     json.RawMessage `json:"data"`
		Metadata *wireMeta       `json:"metadata"`
		MetaData *wireMeta       `json:"meta_data"` // one UIS doc example spells it so
	} `json:"result"`
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Data    *struct {
			Mnemonic string `json:"mnemonic"`
			Field    string `json:"field"`
			Value    any    `json:"value"`
		} `json:"data"`
	} `json:"error"`
}

// call performs one JSON-RPC request. params is marshalled to an object and
// given the access token; the result's data is decoded into out (if not
// nil). It returns the metadata's total_items (0 when absent).
func (c *Client) call(ctx context.Context, url, method, token string, params, out any) (int64, error) {
	start := time.Now()
	total, err := c.roundTrip(ctx, url, method, token, params, out)
	if c.Observe != nil {
		outcome, mnemonic := Outcome(err)
		c.Observe(method, outcome, mnemonic, time.Since(start))
	}
	return total, redact(err, token)
}

// Outcome classifies a request's error for metrics: "ok", "uis_error" with
// UIS's mnemonic, or "unavailable" (UIS not reached or no JSON-RPC answer,
// or the request could not be made).
func Outcome(err error) (outcome, mnemonic string) {
	var ue *Error
	switch {
	case err == nil:
		return "ok", ""
	case errors.As(err, &ue):
		return "uis_error", ue.Mnemonic
	}
	return "unavailable", ""
}

func (c *Client) roundTrip(ctx context.Context, url, method, token string, params, out any) (int64, error) {
	id := c.nextID.Add(1)
	body, err := c.envelope(id, method, token, params)
	if err != nil {
		return 0, fmt.Errorf("uis: %s: encode request: %w", method, err)
	}
	raw, status, err := c.post(ctx, url, body)
	if err != nil {
		return 0, &TransportError{Method: method, Status: status, Err: err}
	}
	var resp rpcResponse
	if err := json.Unmarshal(raw, &resp); err != nil || (resp.Result == nil && resp.Error == nil) {
		return 0, &TransportError{Method: method, Status: status, Err: errors.New("response is not JSON-RPC: " + snippet(raw, token))}
	}
	if resp.Error != nil {
		// 5xx with an error body is still an outage; anything else is UIS's answer.
		if status >= 500 {
			return 0, &TransportError{Method: method, Status: status, Err: errors.New(resp.Error.Message)}
		}
		return 0, rpcError(method, resp.Error.Code, resp.Error.Message, resp.Error.Data)
	}
	if status < 200 || status > 299 {
		return 0, &TransportError{Method: method, Status: status, Err: errors.New("unexpected status")}
	}
	if !sameID(resp.ID, id) {
		return 0, &TransportError{Method: method, Status: status, Err: errors.New("response id " + snippet(resp.ID, token) + " does not match request id " + strconv.FormatInt(id, 10))}
	}
	meta := resp.Result.Metadata
	if meta == nil {
		meta = resp.Result.MetaData
	}
	if out != nil {
		if err := json.Unmarshal(resp.Result.Data, out); err != nil {
			return 0, &TransportError{Method: method, Status: status, Err: fmt.Errorf("unexpected result data: %w", err)}
		}
	}
	if meta == nil {
		return 0, nil
	}
	return int64(meta.TotalItems), nil
}

// redact removes the token from an error's text, in case a proxy or UIS
// echoes the request back into a message.
func redact(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	switch e := err.(type) {
	case *Error:
		c := *e
		c.Message = strings.ReplaceAll(c.Message, token, "[redacted]")
		if s, ok := c.Value.(string); ok {
			c.Value = strings.ReplaceAll(s, token, "[redacted]")
		}
		return &c
	case *TransportError:
		return &TransportError{Method: e.Method, Status: e.Status, Err: errors.New(strings.ReplaceAll(e.Err.Error(), token, "[redacted]"))}
	}
	return errors.New(strings.ReplaceAll(err.Error(), token, "[redacted]"))
}

// envelope builds the request body. The token is spliced into the params
// object here so that request structs never carry it (and never print it).
func (c *Client) envelope(id int64, method, token string, params any) ([]byte, error) {
	p := []byte("{}")
	if params != nil {
		var err error
		if p, err = json.Marshal(params); err != nil {
			return nil, err
		}
	}
	if len(p) < 2 || p[0] != '{' {
		return nil, errors.New("params must be an object")
	}
	tok, _ := json.Marshal(token)
	withToken := make([]byte, 0, len(p)+len(tok)+20)
	withToken = append(withToken, `{"access_token":`...)
	withToken = append(withToken, tok...)
	if rest := bytes.TrimSpace(p[1:]); len(rest) > 0 && rest[0] != '}' {
		withToken = append(withToken, ',')
	}
	withToken = append(withToken, p[1:]...)
	return json.Marshal(rpcRequest{JSONRPC: "2.0", ID: id, Method: method, Params: withToken})
}

// post sends body and returns the response body, bounded by MaxResponseSize.
func (c *Client) post(ctx context.Context, url string, body []byte) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseSize+1))
	if err != nil {
		return nil, resp.StatusCode, err
	}
	if len(raw) > MaxResponseSize {
		return nil, resp.StatusCode, fmt.Errorf("response larger than %d bytes", MaxResponseSize)
	}
	return raw, resp.StatusCode, nil
}

func rpcError(method string, code int, message string, data *struct {
	Mnemonic string `json:"mnemonic"`
	Field    string `json:"field"`
	Value    any    `json:"value"`
}) *Error {
	e := &Error{Code: code, Message: message, Method: method}
	if data != nil {
		e.Mnemonic, e.Field, e.Value = data.Mnemonic, data.Field, data.Value
	}
	if strings.Contains(e.Field, "access_token") {
		e.Value = nil // UIS echoes the value sent; that would be the secret
	}
	return e
}

// sameID accepts the id echoed as a number or a string, and null: UIS's
// documented error example carries "id": null.
func sameID(raw json.RawMessage, id int64) bool {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	return s == "" || s == "null" || s == strconv.FormatInt(id, 10)
}

// snippet quotes the start of a response for an error message, with the
// token removed before cutting so no part of it survives.
func snippet(b []byte, token string) string {
	const max = 80
	s := strings.ToValidUTF8(string(b), "?")
	if token != "" {
		s = strings.ReplaceAll(s, token, "[redacted]")
	}
	if len(s) > max {
		s = s[:max] + "…"
	}
	return strconv.Quote(s)
}

// flexNumber is an integer in a response that UIS may also write as a
// string; anything unreadable is 0 (responses are informative, not input).
type flexNumber int64

func (n *flexNumber) UnmarshalJSON(b []byte) error {
	var f flexInt
	f.decode(string(b))
	*n = flexNumber(f.v)
	return nil
}

// flexSuccess is the "success" of management methods: true or "true".
type flexSuccess bool

func (s *flexSuccess) UnmarshalJSON(b []byte) error {
	var f flexBool
	f.decode(string(b))
	*s = flexSuccess(f.v)
	return nil
}

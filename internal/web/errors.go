package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// statusOf maps a domain error code to its HTTP status: the only such mapping.
func statusOf(code string) int {
	switch code {
	case ringdesk.EINVALID:
		return http.StatusBadRequest
	case ringdesk.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case ringdesk.EFORBIDDEN:
		return http.StatusForbidden
	case ringdesk.ENOTFOUND:
		return http.StatusNotFound
	case ringdesk.ECONFLICT:
		return http.StatusConflict
	case ringdesk.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case ringdesk.ETOOMANY:
		return http.StatusTooManyRequests
	case ringdesk.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// wantsJSON reports whether the client should get JSON errors: the API,
// webhooks, and scripts that ask for it.
func wantsJSON(r *http.Request) bool {
	p := r.URL.Path
	return strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/telephony/") ||
		strings.Contains(r.Header.Get("Accept"), "application/json") && !strings.Contains(r.Header.Get("Accept"), "text/html")
}

// apiError is the JSON error body: {"error": {"code", "message", "fields"}}.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Mnemonic is UIS's name of the error when UIS refused (Code is then
	// uis_error).
	Mnemonic string            `json:"mnemonic,omitempty"`
	Fields   map[string]string `json:"fields,omitempty"`
}

// uisRefusal is an error UIS gave, with UIS's mnemonic (desk.CallError).
type uisRefusal interface{ UISMnemonic() string }

// fail writes err as JSON or as an HTML page with the matching status, and
// logs internal errors with their detail (which never reaches the client).
// JSON for the pages' own scripts (a browser session) is in the agent's
// language; the API (a bearer token) keeps English. A database outage
// answers 503 with Retry-After and a message that says only that; it is
// logged once per outage and then counted (outage.go).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && errors.Is(err, context.Canceled) {
		// The client went away (a page left mid-load, an aborted fetch):
		// nobody reads an answer, and nothing went wrong here.
		s.log.Debug("request abandoned by the client", "method", r.Method, "path", r.URL.Path)
		return
	}
	code := ringdesk.ErrorCode(err)
	status := statusOf(code)
	switch {
	case isDatabaseDown(err):
		s.dbUnavailable(r, err, false) // logged once per outage, then counted
	case code == ringdesk.EINTERNAL || code == ringdesk.EUNAVAILABLE:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	}
	switch code {
	case ringdesk.ETOOMANY:
		w.Header().Set("Retry-After", "60")
	case ringdesk.EUNAVAILABLE:
		w.Header().Set("Retry-After", retryAfterSeconds)
	}
	if wantsJSON(r) {
		body := apiErrorBody{Code: code, Message: ringdesk.ErrorMessage(err), Fields: ringdesk.ErrorFields(err)}
		var ur uisRefusal
		if errors.As(err, &ur) && ur.UISMnemonic() != "" {
			body.Code, body.Mnemonic = "uis_error", ur.UISMnemonic()
		}
		if sessionFrom(r) != nil {
			body.Message, body.Fields = s.localize(r, err)
		}
		writeJSON(w, status, apiError{body})
		return
	}
	if code == ringdesk.EUNAUTHORIZED && r.Method == http.MethodGet && !hasBearer(r) {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	msg, _ := s.localize(r, err)
	s.renderStatus(w, r, status, "error", pageData{Title: "Error", Data: errorPage{Status: status, Message: msg}})
}

type errorPage struct {
	Status  int
	Message string
}

// notFound answers unknown URLs. A logged-in agent gets the page inside the
// usual top bar, so they can go on from it; anyone else gets the bare page.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if r2, err := s.authenticate(r); err == nil {
		r = r2
	}
	s.fail(w, r, ringdesk.Errorf(ringdesk.ENOTFOUND, "The page you asked for does not exist."))
}

// crossOriginDenied answers a state-changing request from another site.
func (s *Server) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, ringdesk.Errorf(ringdesk.EFORBIDDEN, "The request was refused: it came from another site."))
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// maxJSONBody bounds API request bodies.
const maxJSONBody = 1 << 20

// decodeJSON reads a JSON object body into v, refusing unknown fields,
// trailing data and bodies over 1 MiB with clear messages.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBody)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if asMaxBytes(err, &mbe) {
			return ringdesk.Errorf(ringdesk.ETOOLARGE, "The request body is larger than 1 MiB.")
		}
		return ringdesk.Errorf(ringdesk.EINVALID, "The request body is not valid JSON for this endpoint: %s.", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return ringdesk.Errorf(ringdesk.EINVALID, "The request body has data after the JSON object.")
	}
	return nil
}

package uis

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Error is an error answered by UIS itself (a JSON-RPC error object): the
// request arrived and UIS refused it. Switch on Mnemonic, not on Code: UIS
// reuses codes across unrelated errors.
type Error struct {
	Code     int    // JSON-RPC error code, e.g. -32602
	Mnemonic string // e.g. "employee_not_found", "access_token_invalid"
	Message  string // UIS's English text
	Field    string // the offending parameter, dotted for nested ones ("employee.id")
	Value    any    // the value sent for Field; never holds the access token
	Method   string // the method called, e.g. "start.employee_call"
}

// Error implements error. It never contains the access token.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("uis: ")
	if e.Method != "" {
		b.WriteString(e.Method + ": ")
	}
	b.WriteString(e.Mnemonic)
	b.WriteString(" (" + strconv.Itoa(e.Code) + ")")
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Field != "" {
		b.WriteString(" [field " + e.Field)
		if e.Value != nil {
			fmt.Fprintf(&b, " = %v", e.Value)
		}
		b.WriteString("]")
	}
	return b.String()
}

// IsMnemonic reports whether err is, or wraps, a UIS *Error with one of the
// given mnemonics.
func IsMnemonic(err error, mnemonics ...string) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	for _, m := range mnemonics {
		if e.Mnemonic == m {
			return true
		}
	}
	return false
}

// ErrUnavailable matches every *TransportError with errors.Is: UIS could not
// be reached or did not answer with a JSON-RPC response, so the request may
// be retried later and says nothing about the request's own correctness.
var ErrUnavailable = errors.New("uis: unavailable")

// TransportError means UIS did not give a usable answer: the connection
// failed or timed out, the HTTP status was not a success, or the body was not
// a JSON-RPC response.
type TransportError struct {
	Method string // the JSON-RPC method
	Status int    // HTTP status, 0 if no response arrived
	Err    error  // the cause (a net error, context.DeadlineExceeded, ...)
}

// Error implements error.
func (e *TransportError) Error() string {
	s := "uis: " + e.Method + ": unavailable"
	if e.Status != 0 {
		s += ": HTTP " + strconv.Itoa(e.Status)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause, so errors.Is(err, context.DeadlineExceeded)
// works.
func (e *TransportError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrUnavailable) true for every TransportError.
func (e *TransportError) Is(target error) bool { return target == ErrUnavailable }

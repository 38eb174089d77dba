// Package ringdesk holds the domain types, enums, validation and the error
// vocabulary shared by every other package. It imports only the standard library.
package ringdesk

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. Every error that crosses a package boundary maps to one of
// these; ErrorCode turns anything unknown into EINTERNAL.
const (
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOMANY      = "too_many_requests"
	ETOOLARGE     = "too_large"
	EUNAVAILABLE  = "unavailable"
)

// Error is a domain error: a machine-readable code, a human message and,
// for validation failures, the message for each offending field.
//
// Messages are English. One that names values (a number, a tag) keeps its
// wording and its values apart (Text), so each language puts the values
// into its own words: Localize. Set them with Errorf, Validation.Addf or
// NewFieldError rather than formatting the English text.
type Error struct {
	Code    string
	Message string
	// Fields maps a field name (as the API spells it) to what is wrong with it.
	Fields map[string]string

	text       Text              // Message with its values apart, when it has values
	fieldTexts map[string][]Text // the same per field (a field may have several)
}

// Text is a message that names values: Format is the English wording with
// fmt verbs where the values go (the translation catalogue's key), Args the
// values.
type Text struct {
	Format string
	Args   []any
}

// T returns the Text of format and args.
func T(format string, args ...any) Text { return Text{Format: format, Args: args} }

// String returns the English message.
func (t Text) String() string {
	if len(t.Args) == 0 {
		return t.Format
	}
	return fmt.Sprintf(t.Format, t.Args...)
}

// In returns the message in the language tr translates wordings into.
func (t Text) In(tr func(string) string) string {
	if len(t.Args) == 0 {
		return tr(t.Format)
	}
	return fmt.Sprintf(tr(t.Format), t.Args...)
}

// NewFieldError returns an error with code whose message, and field's, is t.
func NewFieldError(code, field string, t Text) *Error {
	return &Error{Code: code, Message: t.String(), Fields: map[string]string{field: t.String()}, text: t,
		fieldTexts: map[string][]Text{field: {t}}}
}

// AddField adds t to what is wrong with field (after anything said before).
func (e *Error) AddField(field string, t Text) {
	if e.Fields == nil {
		e.Fields, e.fieldTexts = map[string]string{}, map[string][]Text{}
	}
	if e.fieldTexts == nil {
		e.fieldTexts = map[string][]Text{}
	}
	if old, ok := e.Fields[field]; ok {
		e.Fields[field] = old + " " + t.String()
	} else {
		e.Fields[field] = t.String()
	}
	e.fieldTexts[field] = append(e.fieldTexts[field], t)
	if e.Message == "" {
		e.Message, e.text = t.String(), t
	}
}

// Localize returns err's message and field messages in the language tr
// translates wordings into; anything not an *Error is "Internal error.".
func Localize(err error, tr func(string) string) (string, map[string]string) {
	var e *Error
	if err == nil {
		return "", nil
	} else if !errors.As(err, &e) {
		return tr("Internal error."), nil
	}
	msg := tr(e.Message)
	if e.text.Format != "" {
		msg = e.text.In(tr)
	}
	var fields map[string]string
	if len(e.Fields) > 0 {
		fields = make(map[string]string, len(e.Fields))
		for k, v := range e.Fields {
			ts, ok := e.fieldTexts[k]
			if !ok {
				fields[k] = tr(v)
				continue
			}
			parts := make([]string, len(ts))
			for i, t := range ts {
				parts[i] = t.In(tr)
			}
			fields[k] = strings.Join(parts, " ")
		}
	}
	return msg, fields
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("ringdesk: %s: %s", e.Code, e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return fmt.Sprintf("ringdesk: %s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf returns an *Error with the given code and a formatted message
// (its values kept apart for translation, see Text).
func Errorf(code, format string, args ...any) *Error {
	t := T(format, args...)
	return &Error{Code: code, Message: t.String(), text: t}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, EINTERNAL otherwise.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of err if it is an *Error, and a
// generic message otherwise, so internal details never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorFields returns the per-field messages of err, if any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validation collects field errors; Err returns nil when there are none.
type Validation struct {
	fields map[string]Text
}

// Add records msg for field unless the field already has an error.
func (v *Validation) Add(field, msg string) { v.add(field, Text{Format: msg}) }

// Addf records a message with values for field unless the field already
// has an error.
func (v *Validation) Addf(field, format string, args ...any) { v.add(field, T(format, args...)) }

func (v *Validation) add(field string, t Text) {
	if v.fields == nil {
		v.fields = make(map[string]Text)
	}
	if _, ok := v.fields[field]; !ok {
		v.fields[field] = t
	}
}

// Check records msg for field when ok is false.
func (v *Validation) Check(ok bool, field, msg string) {
	if !ok {
		v.Add(field, msg)
	}
}

// Err returns an EINVALID *Error carrying the collected fields, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	e := &Error{Code: EINVALID, Message: "Please correct the highlighted fields.", Fields: make(map[string]string, len(v.fields)),
		fieldTexts: make(map[string][]Text, len(v.fields))}
	for k, t := range v.fields {
		e.Fields[k], e.fieldTexts[k] = t.String(), []Text{t}
	}
	return e
}

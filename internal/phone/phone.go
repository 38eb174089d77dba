// Package phone normalises and formats telephone numbers. It is the only
// package in Ringdesk that imports github.com/nyaruka/phonenumbers, so the
// rules for what counts as "the same number" live in one place.
//
// Every number is stored as E.164 ("+79261234567"). Normalize accepts the
// spellings people and UIS actually use; Format turns E.164 back into a human
// form; UIS gives the digits-only form the UIS Call API wants.
//
// Short internal numbers (PBX extensions of 2 to 5 digits, e.g. "105") are not
// phone numbers in E.164 terms: Normalize returns an *Error whose Err is
// ErrInternal, and callers decide whether to keep the raw value (a call record
// does) or to refuse it (a client card does).
//
// All functions are safe for concurrent use: phonenumbers loads its region
// metadata once and shares it read-only, and Normalize's small result cache
// (cache.go) is guarded by a lock.
package phone

import (
	"errors"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Reasons a number is rejected; an *Error wraps exactly one of them, so
// callers can use errors.Is.
var (
	ErrEmpty    = errors.New("the phone number is empty")
	ErrLetters  = errors.New("the phone number contains letters or symbols")
	ErrTooShort = errors.New("the phone number is too short")
	ErrTooLong  = errors.New("the phone number is too long")
	ErrInvalid  = errors.New("the phone number does not exist in its country's numbering plan")
	ErrInternal = errors.New("the number looks like an internal extension, not a phone number")
)

// Error is returned by Normalize for any number it cannot turn into E.164.
// Its message is meant for humans, e.g.
// `phone number "12a": the phone number contains letters or symbols`.
type Error struct {
	Input string // the raw input, as given
	Err   error  // one of the Err* reasons above
}

// Error implements error.
func (e *Error) Error() string { return "phone number " + quote(e.Input) + ": " + e.Err.Error() }

// Unwrap lets errors.Is match the reason.
func (e *Error) Unwrap() error { return e.Err }

func quote(s string) string {
	const max = 40 // keep log lines short when someone pastes a paragraph
	if len(s) > max {
		s = s[:max] + "…"
	}
	return `"` + s + `"`
}

// maxDigits bounds the input before the library sees it: E.164 allows 15
// digits, plus room for an international prefix such as 810 or 00.
const maxDigits = 18

// Normalize returns raw in E.164 form. Numbers without a leading "+" are read
// as dialled in region (an ISO 3166 code such as "RU"); for RU that covers
// "8 (926) 123-45-67", "79261234567" (how UIS sends numbers) and "9261234567".
// A UIS post-dial suffix ("...2345" or ",2345") and an extension ("ext. 12",
// "доб. 12", "#12") are stripped: E.164 has no place for them.
func Normalize(raw, region string) (string, error) {
	if len(raw) > maxInput {
		return "", &Error{Input: raw, Err: ErrTooLong} // and keep it out of the cache
	}
	key := cacheKey(raw, region)
	if r, ok := results.get(key); ok {
		return r.e164, r.err
	}
	var r result
	if num, err := parse(raw, region); err != nil {
		r.err = err
	} else {
		r.e164 = phonenumbers.Format(num, phonenumbers.E164)
	}
	results.put(key, r)
	return r.e164, r.err
}

// maxInput bounds the raw text Normalize looks at; nobody types a phone
// number (with an extension) longer than this.
const maxInput = 64

func parse(raw, region string) (*phonenumbers.PhoneNumber, error) {
	s, reason := clean(raw)
	if reason != nil {
		return nil, &Error{Input: raw, Err: reason}
	}
	num, reason := parseValid(s, region)
	if reason != nil && s[0] != '+' {
		// UIS sends foreign numbers as E.164 digits without the plus
		// ("375291234567"); they are not national numbers of region, so give
		// them a second chance as international ones.
		if n, r := parseValid("+"+s, ""); r == nil {
			return n, nil
		}
	}
	if reason != nil {
		return nil, &Error{Input: raw, Err: reason}
	}
	return num, nil
}

func parseValid(s, region string) (*phonenumbers.PhoneNumber, error) {
	num, err := phonenumbers.Parse(s, region)
	if err != nil {
		return nil, libReason(err)
	}
	switch phonenumbers.IsPossibleNumberWithReason(num) {
	case phonenumbers.TOO_SHORT:
		return nil, ErrTooShort
	case phonenumbers.TOO_LONG:
		return nil, ErrTooLong
	}
	if !phonenumbers.IsValidNumber(num) {
		return nil, ErrInvalid
	}
	return num, nil
}

func libReason(err error) error {
	switch {
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return ErrTooShort
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return ErrTooLong
	case errors.Is(err, phonenumbers.ErrNotANumber):
		return ErrLetters
	}
	return ErrInvalid
}

// clean cuts off post-dial digits and extensions, checks what remains holds
// only digits and the punctuation people type between them, and returns the
// digits (with the leading "+", if any). It is
// stricter than phonenumbers, which would read "1-800-FLOWERS" as digits: a
// helpdesk number field with letters in it is a typo, not a vanity number.
func clean(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if i := cutIndex(s); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	digits, plus := 0, false
	var buf [maxDigits + 1]byte // the digits handed to phonenumbers, '+' first if any
	n := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
			if n < len(buf) {
				buf[n] = byte(r)
				n++
			}
		case r == '+':
			// One plus, and only before the first digit.
			if plus || digits > 0 {
				return "", ErrLetters
			}
			plus = true
			buf[0] = '+'
			n = 1
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.' || r == '/' ||
			r == '\u00a0' || r == '\t' || r == '–' || r == '—':
		default:
			return "", ErrLetters
		}
	}
	switch {
	case digits == 0:
		return "", ErrEmpty
	case digits > maxDigits:
		return "", ErrTooLong
	case !plus && digits >= 2 && digits <= 5:
		return "", ErrInternal
	case digits < 6:
		return "", ErrTooShort
	}
	// Only digits reach the library: its extension and punctuation regexps
	// are most of its cost and have nothing left to do.
	return string(buf[:n]), nil
}

// cutIndex finds where the dialable part of s ends: at a UIS post-dial
// suffix, a pause, or an extension marker. It returns -1 if there is none.
func cutIndex(s string) int {
	cut := -1
	consider := func(i int) {
		if i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	consider(strings.Index(s, "..."))
	consider(strings.IndexAny(s, ",;#"))
	if !hasLetter(s) {
		return cut
	}
	l := strings.ToLower(s)
	if len(l) != len(s) {
		// Some letters change width when lowered; byte offsets into l would
		// not fit s. Such input holds letters that are not a marker anyway,
		// and clean rejects it.
		return cut
	}
	for _, m := range extMarkers {
		consider(strings.Index(l, m))
	}
	return cut
}

// extMarkers are the extension markers seen in Russian and English input.
// Whichever comes first in the input wins, so "ext" beats its own "x".
var extMarkers = []string{"ext", "доб", "вн", "x"}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || (c|0x20 >= 'a' && c|0x20 <= 'z') {
			return true
		}
	}
	return false
}

// Format returns e164 in the international format of its own country, e.g.
// "+7 926 123-45-67" or "+44 20 7946 0958". Anything that is not a valid
// E.164 number is returned unchanged, so a raw value shown in a page is never
// lost.
func Format(e164 string) string {
	if !strings.HasPrefix(e164, "+") {
		return e164
	}
	return display(e164, func() string {
		num, err := phonenumbers.Parse(e164, "")
		if err != nil {
			return e164
		}
		return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
	})
}

// Display writes a number for people: E.164 and UIS's digits-only form
// with a country code ("74951234567") in the international format of their
// country, anything else as it is. It is the one way pages, pop-ups and
// ticket subjects show numbers.
func Display(s string) string {
	switch {
	case len(s) > 1 && s[0] == '+':
		return Format(s)
	case len(s) >= 8 && strings.Trim(s, "0123456789") == "":
		return display(s, func() string {
			if num, err := phonenumbers.Parse("+"+s, ""); err == nil && phonenumbers.IsValidNumber(num) {
				return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
			}
			return s
		})
	}
	return s
}

// display returns the display form of s, computed by format once and then
// remembered (every event of a call and every page row shows its number).
func display(s string, format func() string) string {
	key := cacheKey(s, "display")
	if r, ok := displays.get(key); ok {
		return r.e164
	}
	d := format()
	displays.put(key, result{e164: d})
	return d
}

// UIS returns e164 the way the UIS Call API wants a number: digits only,
// without the "+" ("79261234567").
func UIS(e164 string) string { return strings.TrimPrefix(e164, "+") }

// Variants returns the spellings under which raw may already be stored or
// searched: E.164, the UIS digits, the national significant number and, for
// countries with a trunk prefix, the national form with it ("89261234567").
// It returns nil if raw cannot be normalised.
func Variants(raw, region string) []string {
	num, err := parse(raw, region)
	if err != nil {
		return nil
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	nsn := phonenumbers.GetNationalSignificantNumber(num)
	out := []string{e164, UIS(e164), nsn}
	regionOf := phonenumbers.GetRegionCodeForNumber(num)
	if p := phonenumbers.GetNddPrefixForRegion(regionOf, true); p != "" && p+nsn != out[1] {
		out = append(out, p+nsn)
	}
	return out
}

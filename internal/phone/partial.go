package phone

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// MinPartialDigits is how many digits a part of a number needs before a
// search looks for numbers containing it. Three digits occur in about one
// ten-digit number in a hundred and twenty, so a search for them lists
// thousands of numbers of a big desk and finds nobody in particular; four
// narrow that tenfold, and are what agents type when a caller dictates the
// end of a number ("…45-67").
const MinPartialDigits = 4

// Part is part of a phone number typed into a search. A number matches when
// it contains Digits anywhere or starts with Prefix, the beginning of an
// E.164 number ("+7926123"). Either may be empty; both never are.
type Part struct {
	Digits string
	Prefix string
}

// Partial reads raw, typed into a search box, as part of a phone number.
// It holds the digits and the punctuation people type between them (spaces,
// dashes, brackets, dots, slashes) and at least MinPartialDigits digits;
// letters make it no number (ErrLetters), fewer digits too short
// (ErrTooShort).
//
// The digits are matched where they are, anywhere in a number ("926123"
// finds +79261234567), with two readings of how a number starts:
//
//   - A leading "+" starts the number with its country code: "+7 926 123"
//     finds the numbers beginning with +7926123 (Prefix only).
//   - A leading national trunk prefix of region (8 in Russia, 0 in most of
//     Europe) followed by at least MinPartialDigits digits is also read as
//     the start of a national number: "8926123" finds the numbers
//     containing 8926123 and those beginning with +7926123, which is how a
//     Russian caller dictates "8 926 123…". With fewer digits after it
//     ("8926") the digits are as likely the end of a number ("…89-26"),
//     and "+7926" would match every number of a mobile operator's code.
//
// Partial does not tell whether raw is a whole number: callers try
// Normalize first, so a whole number is matched exactly.
func Partial(raw, region string) (Part, error) {
	digits, plus, reason := partDigits(raw)
	if reason != nil {
		return Part{}, &Error{Input: raw, Err: reason}
	}
	if plus {
		return Part{Prefix: "+" + digits}, nil
	}
	p := Part{Digits: digits}
	if ndd := phonenumbers.GetNddPrefixForRegion(region, true); ndd != "" && len(digits)-len(ndd) >= MinPartialDigits &&
		strings.HasPrefix(digits, ndd) {
		if cc := phonenumbers.GetCountryCodeForRegion(region); cc > 0 {
			p.Prefix = "+" + strconv.Itoa(cc) + digits[len(ndd):]
		}
	}
	return p, nil
}

// partDigits returns the digits of raw and whether they follow a "+", or
// why raw is no part of a number.
func partDigits(raw string) (string, bool, error) {
	var b strings.Builder
	plus := false
	for _, r := range strings.TrimSpace(raw) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+':
			if plus || b.Len() > 0 {
				return "", false, ErrLetters
			}
			plus = true
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.' || r == '/' ||
			r == '\u00a0' || r == '\t' || r == '–' || r == '—':
		default:
			return "", false, ErrLetters
		}
	}
	switch n := b.Len(); {
	case n == 0:
		return "", false, ErrEmpty
	case n < MinPartialDigits:
		return "", false, ErrTooShort
	case n > maxDigits:
		return "", false, ErrTooLong
	}
	return b.String(), plus, nil
}

package desk

import (
	"errors"
	"testing"

	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestPhoneSearch: what agents type into a search box is a whole number
// (exact), part of one (4 digits or more), or no number (the caller falls
// back to a text search or says what to type).
func TestPhoneSearch(t *testing.T) {
	t.Parallel()
	d := &Desk{cfg: Config{PhoneRegion: "RU"}}
	for _, c := range []struct {
		in   string
		e164 string
		part ringdesk.PartialPhone
		err  error
	}{
		{"8 (926) 123-45-67", "+79261234567", ringdesk.PartialPhone{}, nil},
		{"+7 926 123 45 67", "+79261234567", ringdesk.PartialPhone{}, nil},
		{"926123", "", ringdesk.PartialPhone{Digits: "926123"}, nil},
		{"8926123", "", ringdesk.PartialPhone{Digits: "8926123", Prefix: "+7926123"}, nil},
		{"+7 926 123", "", ringdesk.PartialPhone{Prefix: "+7926123"}, nil},
		{"123-45", "", ringdesk.PartialPhone{Digits: "12345"}, nil},
		{"926", "", ringdesk.PartialPhone{}, phone.ErrTooShort},
		{"Иванов 926123", "", ringdesk.PartialPhone{}, phone.ErrLetters},
		{"+7 495 123-45-67 доб. 12", "+74951234567", ringdesk.PartialPhone{}, nil}, // an extension is dropped
		{"8 926 123 доб. 12", "", ringdesk.PartialPhone{}, phone.ErrLetters},
	} {
		e164, part, err := d.PhoneSearch(c.in)
		if e164 != c.e164 || part != c.part || !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
			t.Errorf("PhoneSearch(%q) = %q, %+v, %v; want %q, %+v, %v", c.in, e164, part, err, c.e164, c.part, c.err)
		}
	}
}

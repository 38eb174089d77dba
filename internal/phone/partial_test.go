package phone

import (
	"errors"
	"testing"
)

func TestPartial(t *testing.T) {
	tests := []struct {
		raw, region    string
		digits, prefix string
	}{
		{"926123", "RU", "926123", ""},
		{"8926123", "RU", "8926123", "+7926123"},
		{"8 (926) 123", "RU", "8926123", "+7926123"},
		{"+7 926 123", "RU", "", "+7926123"},
		{"+7(926)", "RU", "", "+7926"},
		{"123-45", "RU", "12345", ""},
		{"45-67", "RU", "4567", ""},
		{"8926", "RU", "8926", ""}, // four digits after the 8 make a start of a number
		{"8 9261", "RU", "89261", "+79261"},
		{"7926123", "RU", "7926123", ""}, // the country code without "+" is found where it is
		{" 12\u00a034 ", "RU", "1234", ""},
		{"0207946", "GB", "0207946", "+44207946"},
		{"0207946", "US", "0207946", ""}, // no trunk prefix 0 in the US
		{"8926123", "", "8926123", ""},   // no region, no trunk prefix
	}
	for _, tt := range tests {
		got, err := Partial(tt.raw, tt.region)
		if err != nil || got != (Part{Digits: tt.digits, Prefix: tt.prefix}) {
			t.Errorf("Partial(%q, %q) = %+v, %v; want digits %q, prefix %q", tt.raw, tt.region, got, err, tt.digits, tt.prefix)
		}
	}
}

func TestPartialRejects(t *testing.T) {
	tests := []struct {
		raw  string
		want error
	}{
		{"", ErrEmpty},
		{" - ", ErrEmpty},
		{"926", ErrTooShort},
		{"+7 9", ErrTooShort},
		{"12-3", ErrTooShort},
		{"заказ 512345", ErrLetters},
		{"926123a", ErrLetters},
		{"92+6123", ErrLetters},
		{"++79261", ErrLetters},
		{"1234567890123456789", ErrTooLong},
	}
	for _, tt := range tests {
		got, err := Partial(tt.raw, "RU")
		var pe *Error
		if !errors.Is(err, tt.want) || !errors.As(err, &pe) || pe.Input != tt.raw {
			t.Errorf("Partial(%q) = %+v, %v; want %v", tt.raw, got, err, tt.want)
		}
	}
}

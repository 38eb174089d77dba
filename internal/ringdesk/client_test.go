package ringdesk_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// fakeNormalize accepts "+7" followed by ten digits, or ten digits alone.
func fakeNormalize(raw string) (string, error) {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		if r == ' ' || r == '-' || r == '+' {
			return -1
		}
		return 'x'
	}, raw)
	switch {
	case strings.Contains(d, "x"):
		return "", errors.New("letters")
	case len(d) == 10:
		return "+7" + d, nil
	case len(d) == 11 && d[0] == '7':
		return "+" + d, nil
	}
	return "", errors.New("length")
}

func TestClientInputValidate(t *testing.T) {
	in := ringdesk.ClientInput{Name: "  Иван  ", Company: " ACME ", Phones: []string{"926 123 45 67", "", "+7 926 123-45-67", "903 111 22 33"},
		Emails: []string{" Ivan@Example.com ", "ivan@example.com", ""}}
	if err := in.Validate(fakeNormalize); err != nil {
		t.Fatal(err)
	}
	if in.Name != "Иван" || in.Company != "ACME" || !slices.Equal(in.Phones, []string{"+79261234567", "+79031112233"}) ||
		!slices.Equal(in.Emails, []string{"ivan@example.com"}) {
		t.Errorf("normalised = %+v", in)
	}
	cases := []struct {
		in    ringdesk.ClientInput
		field string
		text  string
	}{
		{ringdesk.ClientInput{}, "name", "required"},
		{ringdesk.ClientInput{Name: strings.Repeat("ж", 201)}, "name", "200"},
		{ringdesk.ClientInput{Name: "X", Company: strings.Repeat("a", 201)}, "company", "200"},
		{ringdesk.ClientInput{Name: "X", Note: strings.Repeat("a", 10001)}, "note", "10000"},
		{ringdesk.ClientInput{Name: "X", Phones: []string{"9261234567", "12a"}}, "phones", "12a is not a valid phone number."},
		{ringdesk.ClientInput{Name: "X", Emails: []string{"a@b.c", "no at"}}, "emails", "no at is not a valid email address."},
	}
	for _, c := range cases {
		err := c.in.Validate(fakeNormalize)
		if ringdesk.ErrorCode(err) != ringdesk.EINVALID || !strings.Contains(ringdesk.ErrorFields(err)[c.field], c.text) {
			t.Errorf("%+v: err = %v, want %s error with %q", c.in, err, c.field, c.text)
		}
	}
}

func TestClientUpdateValidate(t *testing.T) {
	empty := ""
	if err := (&ringdesk.ClientUpdate{Name: &empty}).Validate(fakeNormalize); ringdesk.ErrorFields(err)["name"] == "" {
		t.Errorf("empty name accepted: %v", err)
	}
	phones := []string{"8 926"}
	if err := (&ringdesk.ClientUpdate{Phones: &phones}).Validate(fakeNormalize); ringdesk.ErrorFields(err)["phones"] == "" {
		t.Errorf("bad phone accepted: %v", err)
	}
	phones = []string{"926 123 45 67"}
	u := ringdesk.ClientUpdate{Phones: &phones}
	if err := u.Validate(fakeNormalize); err != nil || !slices.Equal(*u.Phones, []string{"+79261234567"}) {
		t.Errorf("update phones = %v, %v", *u.Phones, err)
	}
	// Absent fields stay absent.
	if u.Name != nil || u.Emails != nil {
		t.Errorf("absent fields set: %+v", u)
	}
}

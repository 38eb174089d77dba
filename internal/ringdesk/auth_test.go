package ringdesk

import (
	"testing"
	"time"
)

func TestParseTokenLifetime(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, true},
		{" 30d ", 30 * 24 * time.Hour, true},
		{"1d", 24 * time.Hour, true},
		{"12h", 12 * time.Hour, true},
		{"90m", 90 * time.Minute, true},
		{"3660d", 3660 * 24 * time.Hour, true},
		{"3661d", 0, false},
		{"0d", 0, false},
		{"-1d", 0, false},
		{"-5h", 0, false},
		{"0s", 0, false},
		{"30", 0, false},
		{"d", 0, false},
		{"1.5d", 0, false},
		{"never", 0, false},
		{"999999999999d", 0, false},
	} {
		got, err := ParseTokenLifetime(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseTokenLifetime(%q) = %v, %v; want %v, ok %v", c.in, got, err, c.want, c.ok)
		}
		if err != nil && (ErrorCode(err) != EINVALID || ErrorFields(err)["expires"] == "") {
			t.Errorf("ParseTokenLifetime(%q): error %v is not EINVALID on expires", c.in, err)
		}
	}
	exp := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	tok := &APIToken{ExpiresAt: &exp}
	if tok.Expired(exp.Add(-time.Second)) || !tok.Expired(exp) || (&APIToken{}).Expired(exp.Add(1000*time.Hour)) {
		t.Error("Expired is wrong at the edges")
	}
}

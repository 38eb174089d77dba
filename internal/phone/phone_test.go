package phone

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		raw, region, want string
	}{
		// The RU spellings from the issue.
		{"8 (926) 123-45-67", "RU", "+79261234567"},
		{"+7 926 123 45 67", "RU", "+79261234567"},
		{"79261234567", "RU", "+79261234567"},
		{"9261234567", "RU", "+79261234567"},
		{"8-926-123-45-67", "RU", "+79261234567"},
		{" +7(926)1234567 ", "RU", "+79261234567"},
		{"89261234567", "RU", "+79261234567"},
		{"+79261234567", "RU", "+79261234567"},
		{"8.926.123.45.67", "RU", "+79261234567"},
		{"8 926 123 45 67", "RU", "+79261234567"},
		{"+7\u00a0926\u00a0123-45-67", "RU", "+79261234567"},
		{"8 (495) 123-45-67", "RU", "+74951234567"},
		{"8 800 555 35 35", "RU", "+78005553535"},
		// As UIS sends them: digits without the plus, post-dial suffixes.
		{"74951234567", "RU", "+74951234567"},
		{"74955140578...2345", "RU", "+74955140578"},
		{"74959268686...9.2.3.3", "RU", "+74959268686"},
		{"79261234567,,12", "RU", "+79261234567"},
		{"375291234567", "RU", "+375291234567"},
		{"442079460958", "RU", "+442079460958"},
		// Extensions are dropped.
		{"+7 495 123-45-67 доб. 123", "RU", "+74951234567"},
		{"+7 495 123-45-67 ext. 123", "RU", "+74951234567"},
		{"+7 495 123-45-67 x123", "RU", "+74951234567"},
		{"+7 495 123-45-67#123", "RU", "+74951234567"},
		// Foreign numbers.
		{"+1 650 253 0000", "RU", "+16502530000"},
		{"+1 (650) 253-0000", "US", "+16502530000"},
		{"650-253-0000", "US", "+16502530000"},
		{"+44 20 7946 0958", "RU", "+442079460958"},
		{"020 7946 0958", "GB", "+442079460958"},
		{"8 10 44 20 7946 0958", "RU", "+442079460958"},
		{"+375 29 123-45-67", "RU", "+375291234567"},
		{"+375 (17) 123-45-67", "BY", "+375171234567"},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.raw, tt.region)
		if err != nil || got != tt.want {
			t.Errorf("Normalize(%q, %q) = %q, %v; want %q", tt.raw, tt.region, got, err, tt.want)
		}
	}
}

func TestNormalizeRejects(t *testing.T) {
	tests := []struct {
		raw  string
		want error
	}{
		{"", ErrEmpty},
		{"   ", ErrEmpty},
		{"()-", ErrEmpty},
		{"abc", ErrLetters},
		{"8 926 ABC 45 67", ErrLetters},
		{"1-800-FLOWERS", ErrLetters},
		{"+7 926 +123", ErrLetters},
		{"79261234567@mail.ru", ErrLetters},
		{"105", ErrInternal},
		{"12345", ErrInternal},
		{"+12345", ErrTooShort},
		{"123456", ErrTooShort},
		{"1234567890123456789", ErrTooLong},
		{"+7 926 123 45 67 89 01 23 45", ErrTooLong},
		{strings.Repeat("7", 100), ErrTooLong},
		{"7926123456", ErrInvalid},
		{"792612345678", ErrInvalid},
		{"+000000000", ErrInvalid},
		{"+7 000 000-00-00", ErrInvalid},
		{"...2345", ErrEmpty},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.raw, "RU")
		var pe *Error
		if !errors.As(err, &pe) || !errors.Is(err, tt.want) {
			t.Errorf("Normalize(%q) = %q, %v; want *Error wrapping %q", tt.raw, got, err, tt.want)
			continue
		}
		if pe.Input != tt.raw {
			t.Errorf("Normalize(%q): Input = %q", tt.raw, pe.Input)
		}
	}
}

func TestErrorMessage(t *testing.T) {
	_, err := Normalize("12a", "RU")
	if got, want := err.Error(), `phone number "12a": the phone number contains letters or symbols`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+79261234567", "+7 926 123-45-67"},
		{"+74951234567", "+7 495 123-45-67"},
		{"+16502530000", "+1 650-253-0000"},
		{"+442079460958", "+44 20 7946 0958"},
		{"+375291234567", "+375 29 123-45-67"},
		{"105", "105"},
		{"", ""},
		{"+", "+"},
	}
	for _, tt := range tests {
		if got := Format(tt.in); got != tt.want {
			t.Errorf("Format(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUIS(t *testing.T) {
	if got, want := UIS("+79261234567"), "79261234567"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestVariants(t *testing.T) {
	tests := []struct {
		raw  string
		want []string
	}{
		{"8 (926) 123-45-67", []string{"+79261234567", "79261234567", "9261234567", "89261234567"}},
		{"+1 650 253 0000", []string{"+16502530000", "16502530000", "6502530000"}},
		{"+44 20 7946 0958", []string{"+442079460958", "442079460958", "2079460958", "02079460958"}},
		{"garbage", nil},
	}
	for _, tt := range tests {
		if got := Variants(tt.raw, "RU"); !slices.Equal(got, tt.want) {
			t.Errorf("Variants(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

// TestConcurrent lets the race detector watch the library's shared metadata.
func TestConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				got, err := Normalize("8 (926) 123-45-67", "RU")
				if err != nil || got != "+79261234567" {
					t.Errorf("got %q, %v", got, err)
				}
				_ = Format("+442079460958")
			}
		})
	}
	wg.Wait()
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"8 (926) 123-45-67", "+44 20 7946 0958", "74955140578...2345", "доб", "105", "+", "x", "Ⱥ1234567ext"} {
		f.Add(s, "RU")
	}
	f.Add("650-253-0000", "US")
	f.Fuzz(func(t *testing.T, raw, region string) {
		got, err := Normalize(raw, region)
		if err != nil {
			if got != "" {
				t.Fatalf("Normalize(%q) = %q with error %v", raw, got, err)
			}
			return
		}
		again, err := Normalize(got, region)
		if err != nil || again != got {
			t.Fatalf("Normalize(Normalize(%q)) = %q, %v; want %q", raw, again, err, got)
		}
		_ = Format(got)
	})
}

// BenchmarkNormalize measures the uncached path: it cycles through far more
// distinct numbers than the cache holds.
func BenchmarkNormalize(b *testing.B) {
	inputs := make([]string, 16*cacheSize)
	for i := range inputs {
		inputs[i] = fmt.Sprintf("8 (926) %03d-%02d-%02d", i/10000%1000, i/100%100, i%100)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := Normalize(inputs[i%len(inputs)], "RU"); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkNormalizeCached measures a number seen recently, the common case
// for a call's later webhooks.
func BenchmarkNormalizeCached(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Normalize("79261234567", "RU"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCacheBounded(t *testing.T) {
	for i := range 2 * cacheSize {
		_, _ = Normalize(fmt.Sprintf("+7926%07d", i), "RU")
	}
	results.mu.RLock()
	n := len(results.m)
	results.mu.RUnlock()
	if n > cacheSize {
		t.Errorf("cache holds %d entries, want at most %d", n, cacheSize)
	}
}

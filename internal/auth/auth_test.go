package auth

import (
	"strings"
	"testing"
)

func TestSealerRoundTrip(t *testing.T) {
	s, err := NewSealer([]byte("a-key-of-enough-length"))
	if err != nil {
		t.Fatal(err)
	}
	sealed := s.Seal("uis-api-key-123")
	if strings.Contains(sealed, "uis-api-key") {
		t.Fatalf("sealed value shows the secret: %s", sealed)
	}
	if got, err := s.Open(sealed); err != nil || got != "uis-api-key-123" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	other, _ := NewSealer([]byte("another-key-of-enough-length"))
	if _, err := other.Open(sealed); err == nil {
		t.Error("a different key opened the secret")
	}
}

func TestLoadOrCreateKeyPersists(t *testing.T) {
	dir := t.TempDir()
	a, err := LoadOrCreateKey("", dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadOrCreateKey("", dir)
	if err != nil || string(a) != string(b) || len(a) < 32 {
		t.Fatalf("keys differ or short: %q %q %v", a, b, err)
	}
	if env, _ := LoadOrCreateKey("from-env-0123456789", dir); string(env) != "from-env-0123456789" {
		t.Errorf("env key ignored")
	}
}

func TestPasswords(t *testing.T) {
	h, err := HashPassword("correct horse", MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "correct horse") || CheckPassword(h, "wrong horse") {
		t.Error("CheckPassword is wrong")
	}
	if _, err := HashPassword(strings.Repeat("й", 40), MinCost); err == nil || !strings.Contains(err.Error(), "72 bytes") {
		t.Errorf("80-byte password: %v", err)
	}
	for _, h := range []string{"Bearer  ", "Basic x", "bearer a b", ""} {
		if _, err := ParseBearer(h); err == nil {
			t.Errorf("ParseBearer(%q) accepted", h)
		}
	}
	if tok, err := ParseBearer("bearer rdt_x"); err != nil || tok != "rdt_x" {
		t.Errorf("ParseBearer = %q %v", tok, err)
	}
}

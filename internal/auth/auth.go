// Package auth provides password hashing and the generation and hashing of
// high-entropy secrets (session cookies, API tokens, channel tokens).
//
// Passwords use bcrypt because people choose weak ones. Generated secrets
// carry 256 bits of entropy, so a single SHA-256 is enough to store them and
// a lookup costs microseconds instead of bcrypt's tens of milliseconds.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// DefaultCost is the bcrypt cost for production.
const DefaultCost = bcrypt.DefaultCost

// MinCost is the cheapest bcrypt cost, for tests.
const MinCost = bcrypt.MinCost

// HashPassword validates pw and returns its bcrypt hash.
func HashPassword(pw string, cost int) (string, error) {
	if err := ringdesk.ValidatePassword(pw); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// CheckPassword reports whether pw matches hash.
func CheckPassword(hash, pw string) bool {
	if hash == "" || len(pw) > ringdesk.MaxPasswordBytes {
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// DummyCheck spends the time of one CheckPassword so that a login for an
// unknown email takes as long as one with a wrong password.
func DummyCheck(cost int) {
	h, _ := bcrypt.GenerateFromPassword([]byte("dummy-password"), cost)
	_ = bcrypt.CompareHashAndPassword(h, []byte("other-password"))
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns prefix followed by 256 random bits in lower-case base32.
func NewSecret(prefix string) string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return prefix + strings.ToLower(b32.EncodeToString(b[:]))
}

// NewPassword returns a strong random password of 20 characters.
func NewPassword() string {
	return NewSecret("")[:20]
}

// HashSecret returns the hex SHA-256 of a generated secret, as stored.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// ErrMalformed is returned by ParseBearer for a header that is not a bearer token.
var ErrMalformed = errors.New("auth: malformed authorization header")

// ParseBearer extracts the token from an "Authorization: Bearer <token>" value.
func ParseBearer(header string) (string, error) {
	const prefix = "bearer "
	if len(header) <= len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return "", ErrMalformed
	}
	tok := strings.TrimSpace(header[len(prefix):])
	if tok == "" || strings.ContainsAny(tok, " \t") {
		return "", ErrMalformed
	}
	return tok, nil
}

package ringdesk

import (
	"strconv"
	"strings"
	"time"
)

// Session is a logged-in browser. Only a hash of its secret is stored.
type Session struct {
	ID         int64
	AgentID    int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string
	UserAgent  string
}

// APIToken is a personal token for the JSON API; only its hash is stored.
type APIToken struct {
	ID         int64
	AgentID    int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	// ExpiresAt is when the token stops working; nil: it never expires.
	ExpiresAt *time.Time
}

// Expired reports whether the token no longer works at now.
func (t *APIToken) Expired(now time.Time) bool {
	return t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)
}

// MaxTokenLifetime bounds how far ahead a token's expiry may be.
const MaxTokenLifetime = 10 * 366 * 24 * time.Hour

// tokenLifetimeMsg explains the accepted forms of a token lifetime.
const tokenLifetimeMsg = "Expiry must be a number of days such as 30d, or of hours such as 12h, up to 10 years."

// ParseTokenLifetime reads how long a new API token should work: "" for
// no expiry (0), a number of days ("30d"), or a Go duration ("12h",
// "90m"). Anything else, zero, negative or longer than MaxTokenLifetime is
// EINVALID on the field "expires".
func ParseTokenLifetime(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > int(MaxTokenLifetime/(24*time.Hour)) {
			return 0, lifetimeErr()
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, lifetimeErr()
		}
	}
	if d <= 0 || d > MaxTokenLifetime {
		return 0, lifetimeErr()
	}
	return d, nil
}

func lifetimeErr() error {
	return &Error{Code: EINVALID, Message: tokenLifetimeMsg, Fields: map[string]string{"expires": tokenLifetimeMsg}}
}

package ringdesk

import "time"

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
}

package desk

import (
	"sync"
	"time"
)

// RejectedWebhooks says what this instance refused for want of a valid
// channel token, so an administrator who revoked the wrong token, or pasted
// a body without one, sees it instead of silently getting no calls. It is
// kept in memory (a flood of bad requests must not become database writes)
// and covers the last rejectedWindow.
type RejectedWebhooks struct {
	Count  int       // refused within the window
	LastAt time.Time // zero when none
	// LastKind is the notification refused last; LastReason why;
	// LastTokenEnd the last 4 characters of the token it carried ("" when
	// it had none), enough to tell which token without revealing one.
	LastKind, LastReason, LastTokenEnd, LastIP string
}

const rejectedWindow = 24 * time.Hour

// rejections counts refusals in hourly buckets.
type rejections struct {
	mu      sync.Mutex
	buckets [24]struct {
		hour int64
		n    int
	}
	last RejectedWebhooks
	// loggedAt rate-limits the warning to one a minute.
	loggedAt time.Time
}

// note records a refusal and says whether it should be logged.
func (r *rejections) note(now time.Time, kind, reason, token, ip string) (log bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := now.Unix() / 3600
	b := &r.buckets[h%int64(len(r.buckets))]
	if b.hour != h {
		b.hour, b.n = h, 0
	}
	b.n++
	end := ""
	if len(token) >= 8 {
		end = token[len(token)-4:]
	}
	r.last = RejectedWebhooks{LastAt: now, LastKind: kind, LastReason: reason, LastTokenEnd: end, LastIP: ip}
	if now.Sub(r.loggedAt) >= time.Minute {
		r.loggedAt = now
		return true
	}
	return false
}

func (r *rejections) snapshot(now time.Time) RejectedWebhooks {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.last
	h := now.Unix() / 3600
	for _, b := range r.buckets {
		if b.n > 0 && h-b.hour < int64(len(r.buckets)) {
			out.Count += b.n
		}
	}
	if out.Count == 0 || now.Sub(out.LastAt) > rejectedWindow {
		return RejectedWebhooks{}
	}
	return out
}

// RejectedWebhooks returns the refusals of the last 24 hours on this
// instance.
func (d *Desk) RejectedWebhooks() RejectedWebhooks { return d.rejected.snapshot(d.Now()) }

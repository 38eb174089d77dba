package web

import (
	"net/http"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// apiTokenJSON is a personal API token as the API shows it; Token (the
// secret) only in the answer that created it.
type apiTokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Token      string     `json:"token,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	Expired    bool       `json:"expired"`
}

func (s *Server) toAPITokenJSON(t *ringdesk.APIToken) apiTokenJSON {
	return apiTokenJSON{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt,
		ExpiresAt: t.ExpiresAt, Expired: t.Expired(s.desk.Now())}
}

// apiMyTokens lists the caller's personal API tokens (never their secrets).
func (s *Server) apiMyTokens(w http.ResponseWriter, r *http.Request) {
	toks, err := s.db.ListAPITokens(r.Context(), agentFrom(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]apiTokenJSON, len(toks))
	for i, t := range toks {
		out[i] = s.toAPITokenJSON(t)
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
}

// apiMyTokenCreate makes a personal API token for a browser session (the
// profile page's scripts); a request authenticated by a token is refused,
// so a leaked token cannot outlive its revocation through tokens it made.
func (s *Server) apiMyTokenCreate(w http.ResponseWriter, r *http.Request) {
	if err := requireSession(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		Name      string     `json:"name"`
		ExpiresIn string     `json:"expires_in"`
		ExpiresAt *time.Time `json:"expires_at"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	expires := in.ExpiresAt
	if in.ExpiresIn != "" {
		if in.ExpiresAt != nil {
			s.fail(w, r, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "Give expires_in or expires_at, not both.",
				Fields: map[string]string{"expires_at": "Give expires_in or expires_at, not both."}})
			return
		}
		var err error
		if expires, err = s.tokenExpiry(in.ExpiresIn); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	secret, t, err := s.desk.CreateAPIToken(r.Context(), agentFrom(r), in.Name, expires)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := s.toAPITokenJSON(t)
	out.Token = secret
	writeJSON(w, http.StatusCreated, out)
}

// apiMyTokenRevoke revokes one of the caller's tokens (a token may revoke
// itself).
func (s *Server) apiMyTokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = s.desk.DeleteAPIToken(r.Context(), agentFrom(r), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

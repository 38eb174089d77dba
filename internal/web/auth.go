package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/ringdesk/ringdesk/internal/auth"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// sessionCookie names the login cookie.
const sessionCookie = "ringdesk_session"

type ctxKey int

const (
	agentKey ctxKey = iota
	sessionKey
)

// agentFrom returns the authenticated agent, or nil.
func agentFrom(r *http.Request) *ringdesk.Agent {
	a, _ := r.Context().Value(agentKey).(*ringdesk.Agent)
	return a
}

// sessionFrom returns the browser session, or nil for token requests.
func sessionFrom(r *http.Request) *ringdesk.Session {
	s, _ := r.Context().Value(sessionKey).(*ringdesk.Session)
	return s
}

// isAPI reports whether a path belongs to the JSON API, the only part of
// Ringdesk a personal API token opens.
func isAPI(path string) bool { return strings.HasPrefix(path, "/api/") }

// hasBearer reports whether the request carries an API token: a script,
// which is told why it was refused instead of being sent to the login form.
func hasBearer(r *http.Request) bool {
	_, err := auth.ParseBearer(r.Header.Get("Authorization"))
	return err == nil
}

// authenticate resolves a bearer token (JSON API only) or a session cookie
// to an agent. A token is refused everywhere else, so a leaked token opens
// neither the pages nor the forms that make more tokens.
func (s *Server) authenticate(r *http.Request) (*http.Request, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, err := auth.ParseBearer(h)
		switch {
		case err == nil && !isAPI(r.URL.Path):
			return r, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "API tokens open only the JSON API under /api/; log in to use the pages.")
		case err != nil && isAPI(r.URL.Path):
			return r, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "The Authorization header must be: Bearer <token>.")
		case err == nil:
			a, err := s.desk.TokenAgent(r.Context(), tok)
			if err != nil {
				return r, err
			}
			return r.WithContext(context.WithValue(r.Context(), agentKey, a)), nil
		}
		// Another scheme (a proxy's Basic auth) on a page: the cookie decides.
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return r, ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "Please log in.")
	}
	sess, a, err := s.desk.SessionAgent(r.Context(), c.Value)
	if err != nil {
		return r, err
	}
	ctx := context.WithValue(context.WithValue(r.Context(), agentKey, a), sessionKey, sess)
	return r.WithContext(ctx), nil
}

// requireSession refuses requests that are not from a logged-in browser
// session: making API tokens needs a person, never a token.
func requireSession(r *http.Request) error {
	if sessionFrom(r) == nil {
		return ringdesk.Errorf(ringdesk.EFORBIDDEN, "API tokens are made only by a logged-in person: on the profile page or with ringdesk token create, never with a token.")
	}
	return nil
}

// authed requires a logged-in agent (a session, or a token on the API).
func (s *Server) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r2, err := s.authenticate(r)
		if err != nil {
			if ringdesk.ErrorCode(err) == ringdesk.EUNAUTHORIZED {
				s.clearSessionCookie(w, r)
			}
			s.fail(w, r, err)
			return
		}
		h(w, r2)
	}
}

// admin requires a logged-in admin.
func (s *Server) admin(h http.HandlerFunc) http.HandlerFunc {
	return s.authed(func(w http.ResponseWriter, r *http.Request) {
		if !agentFrom(r).IsAdmin() {
			s.fail(w, r, ringdesk.Errorf(ringdesk.EFORBIDDEN, "Only administrators can do this."))
			return
		}
		h(w, r)
	})
}

func (s *Server) setSessionCookie(w http.ResponseWriter, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, Secure: s.secureCookies(),
		SameSite: http.SameSiteLaxMode, MaxAge: int(s.desk.Config().SessionMax.Seconds()),
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(sessionCookie); err != nil {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

type loginPage struct {
	Email string
	Next  string
	Error string
}

// safeNext keeps post-login redirects on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" {
		return "/"
	}
	return next
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if _, _, err := s.desk.SessionAgent(r.Context(), c.Value); err == nil {
			http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
			return
		}
	}
	s.render(w, r, "login", pageData{Title: "Log in", Data: loginPage{Next: r.URL.Query().Get("next")}})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	email, next := r.PostForm.Get("email"), r.PostForm.Get("next")
	secret, _, _, err := s.desk.Login(r.Context(), email, r.PostForm.Get("password"), s.clientIP(r), r.UserAgent())
	if err != nil {
		code := ringdesk.ErrorCode(err)
		if code != ringdesk.EUNAUTHORIZED && code != ringdesk.ETOOMANY {
			s.fail(w, r, err)
			return
		}
		if code == ringdesk.ETOOMANY {
			w.Header().Set("Retry-After", "60")
		}
		msg, _ := s.localize(r, err)
		s.renderStatus(w, r, statusOf(code), "login", pageData{Title: "Log in",
			Data: loginPage{Email: email, Next: next, Error: msg}})
		return
	}
	s.setSessionCookie(w, secret)
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if sess := sessionFrom(r); sess != nil {
		if err := s.desk.Logout(r.Context(), sess.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode, MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

type profilePage struct {
	Form  url.Values
	Zones []zoneOption
	// DefaultZone describes the server's zone, the choice "".
	DefaultZone string
	Tokens      []profileToken
	NewToken    string
	Lifetimes   []struct{ Value, Label string }
}

// profileToken is a token as the profile lists it.
type profileToken struct {
	*ringdesk.APIToken
	Expired bool
}

func (s *Server) profileData(r *http.Request, form url.Values, newToken string) (pageData, error) {
	a := agentFrom(r)
	toks, err := s.db.ListAPITokens(r.Context(), a.ID)
	if err != nil {
		return pageData{}, err
	}
	if form == nil {
		form = agentValues(a)
	}
	now := s.desk.Now()
	list := make([]profileToken, len(toks))
	for i, t := range toks {
		list[i] = profileToken{APIToken: t, Expired: t.Expired(now)}
	}
	return pageData{Title: "Profile", Nav: "profile", Data: profilePage{Form: form, Tokens: list, NewToken: newToken, Lifetimes: tokenLifetimes,
		Zones: zoneOptions(time.Now()), DefaultZone: displayZone.String() + " (" + zoneLabel(displayZone, time.Now()) + ")"}}, nil
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) {
	d, err := s.profileData(r, nil, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "profile", d)
}

func (s *Server) profileUpdate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := agentFrom(r)
	f := r.PostForm
	name, email, lang, zone := f.Get("name"), f.Get("email"), f.Get("lang"), f.Get("time_zone")
	u := ringdesk.AgentUpdate{Name: &name, Email: &email, Lang: &lang}
	var err error
	if f.Has("time_zone") {
		u.TimeZone = &zone
		if zone != "" && !offeredZone(zone) {
			err = badFilter("time_zone", "Unknown time zone.")
		}
	}
	if err == nil {
		_, err = s.desk.UpdateAgent(r.Context(), a, a.ID, u)
	}
	if err != nil {
		d, derr := s.profileData(r, f, "")
		if derr != nil {
			s.fail(w, r, derr)
			return
		}
		s.formError(w, r, "profile", d, err)
		return
	}
	http.Redirect(w, r, "/profile?flash=saved", http.StatusSeeOther)
}

func (s *Server) profilePassword(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	var sessID int64
	if sess := sessionFrom(r); sess != nil {
		sessID = sess.ID
	}
	err := s.desk.ChangeOwnPassword(r.Context(), agentFrom(r), sessID, r.PostForm.Get("current_password"), r.PostForm.Get("password"))
	if err != nil {
		d, derr := s.profileData(r, nil, "")
		if derr != nil {
			s.fail(w, r, derr)
			return
		}
		s.formError(w, r, "profile", d, err)
		return
	}
	http.Redirect(w, r, "/profile?flash=password", http.StatusSeeOther)
}

// tokenLifetimes are the expiry choices of the profile page's token form.
var tokenLifetimes = []struct{ Value, Label string }{
	{"", "Never expires"}, {"7d", "7 days"}, {"30d", "30 days"}, {"90d", "90 days"}, {"365d", "1 year"},
}

// tokenExpiry turns a lifetime ("30d", "" for none) into the expiry time.
func (s *Server) tokenExpiry(lifetime string) (*time.Time, error) {
	d, err := ringdesk.ParseTokenLifetime(lifetime)
	if err != nil || d == 0 {
		return nil, err
	}
	t := s.desk.Now().Add(d)
	return &t, nil
}

func (s *Server) profileTokenCreate(w http.ResponseWriter, r *http.Request) {
	if err := requireSession(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	expires, err := s.tokenExpiry(r.PostForm.Get("expires"))
	var secret string
	if err == nil {
		secret, _, err = s.desk.CreateAPIToken(r.Context(), agentFrom(r), r.PostForm.Get("name"), expires)
	}
	d, derr := s.profileData(r, nil, secret)
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	if err != nil {
		// The token form's fields: its name is not the profile's name.
		if f := ringdesk.ErrorFields(err); f["name"] != "" {
			err = &ringdesk.Error{Code: ringdesk.ErrorCode(err), Message: ringdesk.ErrorMessage(err), Fields: map[string]string{"token_name": f["name"]}}
		}
		s.formError(w, r, "profile", d, err)
		return
	}
	// Rendered directly (not redirected) so the secret is never in a URL.
	s.renderStatus(w, r, http.StatusCreated, "profile", d)
}

func (s *Server) profileTokenDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = s.desk.DeleteAPIToken(r.Context(), agentFrom(r), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/profile?flash=revoked", http.StatusSeeOther)
}

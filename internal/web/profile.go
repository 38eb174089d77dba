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
	Tokens      []*ringdesk.APIToken
	NewToken    string
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
	return pageData{Title: "Profile", Nav: "profile", Data: profilePage{Form: form, Tokens: toks, NewToken: newToken,
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

func (s *Server) profileTokenCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	secret, _, err := s.desk.CreateAPIToken(r.Context(), agentFrom(r), r.PostForm.Get("name"))
	d, derr := s.profileData(r, nil, secret)
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	if err != nil {
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

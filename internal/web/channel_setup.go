package web

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

type channelSetupPage struct {
	Channel       *ringdesk.Channel
	Notifications []desk.SetupNotification
	// TokenFilled is true when the bodies carry a token created just now.
	TokenFilled bool
	Placeholder string
	LiveTokens  int
	// LocalBaseURL: --base-url names this machine only, so UIS could not
	// reach the URLs shown.
	LocalBaseURL bool
	BaseURL      string
	// RoutingVars are the variables the channel's call routing reads;
	// NeedsEmployees: among them the employees a call was offered to.
	RoutingVars    []string
	NeedsEmployees bool
}

// localURL reports whether raw points at a host UIS cannot reach: a
// loopback, private or unspecified address, or localhost.
func localURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return true
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".local") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast())
}

func (s *Server) channelSetupData(r *http.Request, token string) (pageData, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return pageData{}, err
	}
	ch, err := s.db.ChannelByID(r.Context(), id)
	if err != nil {
		return pageData{}, err
	}
	toks, err := s.db.ListChannelTokens(r.Context(), id)
	if err != nil {
		return pageData{}, err
	}
	vars := ch.UIS.Routing().NeededVariables()
	p := channelSetupPage{Channel: ch, Notifications: desk.SetupNotifications(s.cfg.BaseURL, token, vars),
		RoutingVars: vars, NeedsEmployees: slices.Contains(vars, "employee_ids"),
		TokenFilled: token != "", Placeholder: desk.SetupTokenPlaceholder,
		LocalBaseURL: localURL(s.cfg.BaseURL), BaseURL: s.cfg.BaseURL}
	for _, t := range toks {
		if t.RevokedAt == nil {
			p.LiveTokens++
		}
	}
	return pageData{Title: "Channel setup", Nav: "channels", Data: p}, nil
}

// channelSetup shows the UIS notifications to create, with a marked
// placeholder where the token goes (tokens are only shown once).
func (s *Server) channelSetup(w http.ResponseWriter, r *http.Request) {
	d, err := s.channelSetupData(r, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "channel_setup", d)
}

// channelSetupToken creates a token labelled for setup and shows the page
// with it filled into every body, this one time.
func (s *Server) channelSetupToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	label := "UIS setup " + time.Now().In(displayZone).Format("02.01.2006 15:04")
	secret, _, err := s.desk.CreateChannelToken(r.Context(), agentFrom(r), id, label)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.channelSetupData(r, secret)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderStatus(w, r, http.StatusCreated, "channel_setup", d)
}

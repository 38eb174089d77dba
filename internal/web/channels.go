package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

type channelsPage struct {
	Channels    []*ringdesk.ChannelSummary
	Unlinked    []*ringdesk.UISEmployee
	Linkable    []*ringdesk.Agent // active agents without an Operator ID
	ChannelName map[int64]string
	DeadLetters int // dead letters not yet replayed, among the newest deadLettersCounted
	// Rejected is what this instance refused for want of a valid token.
	Rejected desk.RejectedWebhooks
}

type channelFormPage struct {
	Edit     *ringdesk.Channel // nil when creating
	Form     url.Values
	Tokens   []*ringdesk.ChannelToken
	NewToken string // a token just created: shown once
	Check    *channelCheckView
	// Reconcile is the last reconciliation with the UIS calls report; nil before the first.
	Reconcile *ringdesk.ReconcileState
	// Routing is the call routing card.
	Routing *routingCard
}

// channelCheckView is a "check connection" result in the viewer's language.
type channelCheckView struct {
	OK         bool
	Account    string
	AppID      int64
	Timezone   string
	DataError  string
	DataAdvice string
	CallError  string
	CallAdvice string
	// CallManagementOff notes that the UIS "Call management" option is off.
	CallManagementOff bool
	// ZoneMismatch: UIS reports a time zone other than the channel's, so
	// notification times would be read wrong.
	ZoneMismatch bool
	ChannelZone  string
	// TimezoneFrom is the channel's zone before the check took the account's.
	TimezoneFrom string
}

func (s *Server) channelsList(w http.ResponseWriter, r *http.Request) {
	list, err := s.db.ListChannelSummaries(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	unlinked, err := s.db.UnlinkedEmployees(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	dls, _, err := s.db.ListDeadLetters(r.Context(), "", deadLettersCounted)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := channelsPage{Channels: list, Unlinked: unlinked, ChannelName: map[int64]string{}, Rejected: s.desk.RejectedWebhooks()}
	if len(unlinked) > 0 {
		agents, err := s.desk.Agents(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, ag := range agents {
			if ag.Active && ag.OperatorID == nil {
				p.Linkable = append(p.Linkable, ag)
			}
		}
	}
	for _, c := range list {
		p.ChannelName[c.ID] = c.Name
	}
	for _, d := range dls {
		if d.ReplayedAt == nil {
			p.DeadLetters++
		}
	}
	s.render(w, r, "channels", pageData{Title: "Channels", Nav: "channels", Flash: channelFlash(r), Data: p})
}

// channelFlash turns the ?flash= codes of channel redirects into messages.
func channelFlash(r *http.Request) string {
	switch r.URL.Query().Get("flash") {
	case "channel-created":
		return "Channel created."
	case "token-revoked":
		return "Token revoked. Webhooks with it are refused from now on."
	case "linked":
		return "Operator ID set: this employee's calls are assigned to the agent from now on."
	case "replayed":
		return "The notification was replayed and applied."
	case "reconciled":
		return "Reconciled with the UIS calls report."
	case "routing-saved":
		return "Call routing saved."
	}
	return ""
}

func (s *Server) channelNew(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("type") == ringdesk.ChannelTypeEmail {
		s.emailChannelNew(w, r)
		return
	}
	s.render(w, r, "channel_form", pageData{Title: "New channel", Nav: "channels",
		Data: channelFormPage{Form: channelValues(&ringdesk.Channel{Active: true, UIS: ringdesk.UISSettings{}.WithDefaults()})}})
}

// channelValues is the form of an existing channel; the App Secret is
// never put back into a form.
func channelValues(c *ringdesk.Channel) url.Values {
	v := url.Values{
		"name":                 {c.Name},
		"call_api_url":         {c.UIS.CallAPIURL},
		"data_api_url":         {c.UIS.DataAPIURL},
		"timezone":             {c.UIS.Timezone},
		"virtual_phone_number": {c.UIS.VirtualPhoneNumber},
		"recording_hosts":      {strings.Join(c.UIS.RecordingHosts, "\n")},
		"virtual_numbers":      {strings.Join(c.UIS.VirtualNumbers, "\n")},
		"report_sources":       {strings.Join(c.UIS.ReportSources, ", ")},
		"ticket_policy":        {c.UIS.TicketPolicy},
		"reuse_hours":          {strconv.Itoa(c.UIS.ReuseHours)},
	}
	if c.UIS.TicketPolicy != ringdesk.PolicyReuseTicket {
		v.Set("reuse_hours", "24")
	}
	if c.UIS.AnswerWithin != nil {
		v.Set("sl_answer_within", strconv.FormatInt(*c.UIS.AnswerWithin, 10))
	}
	if c.UIS.ShortAbandon != nil {
		v.Set("sl_short_abandon", strconv.FormatInt(*c.UIS.ShortAbandon, 10))
	}
	if c.Active {
		v.Set("active", "on")
	}
	if c.UIS.ArchiveRecordings {
		v.Set("archive_recordings", "on")
	}
	return v
}

// splitList reads a list typed one per line or separated by commas.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ';' }) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// channelSettings reads the settings fields of the channel form over base
// (so settings the form does not show are kept).
func channelSettings(f url.Values, base ringdesk.UISSettings) (ringdesk.UISSettings, error) {
	st := base
	st.CallAPIURL = strings.TrimSpace(f.Get("call_api_url"))
	st.DataAPIURL = strings.TrimSpace(f.Get("data_api_url"))
	st.Timezone = strings.TrimSpace(f.Get("timezone"))
	st.VirtualPhoneNumber = strings.TrimSpace(f.Get("virtual_phone_number"))
	st.RecordingHosts = nil
	for _, h := range strings.FieldsFunc(f.Get("recording_hosts"), func(r rune) bool { return r == '\n' || r == '\r' || r == ',' }) {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			st.RecordingHosts = append(st.RecordingHosts, h)
		}
	}
	st.VirtualNumbers = splitList(f.Get("virtual_numbers"))
	st.ReportSources = splitList(f.Get("report_sources"))
	st.ArchiveRecordings = f.Get("archive_recordings") == "on"
	for name, dst := range map[string]**int64{"sl_answer_within": &st.AnswerWithin, "sl_short_abandon": &st.ShortAbandon} {
		*dst = nil
		if raw := strings.TrimSpace(f.Get(name)); raw != "" {
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				msg := "Enter a whole number of seconds."
				return st, &ringdesk.Error{Code: ringdesk.EINVALID, Message: msg, Fields: map[string]string{name: msg}}
			}
			*dst = &n
		}
	}
	st.TicketPolicy = f.Get("ticket_policy")
	st.ReuseHours = 0
	if st.TicketPolicy == ringdesk.PolicyReuseTicket {
		n, err := strconv.Atoi(strings.TrimSpace(f.Get("reuse_hours")))
		if err != nil || n < 1 {
			msg := "Enter the number of hours, at least 1."
			return st, &ringdesk.Error{Code: ringdesk.EINVALID, Message: msg, Fields: map[string]string{"reuse_hours": msg}}
		}
		st.ReuseHours = n
	}
	return st, nil
}

func (s *Server) channelCreate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	if f.Get("type") == ringdesk.ChannelTypeEmail {
		s.emailChannelCreate(w, r, f)
		return
	}
	st, err := channelSettings(f, ringdesk.UISSettings{})
	var ch *ringdesk.Channel
	if err == nil {
		ch, err = s.desk.CreateChannel(r.Context(), agentFrom(r), ringdesk.ChannelCreate{
			Type: ringdesk.ChannelTypeUIS, Name: f.Get("name"), AppSecret: f.Get("app_secret"), UIS: st})
	}
	if err != nil {
		f.Del("app_secret") // never echoed back
		s.formError(w, r, "channel_form", pageData{Title: "New channel", Nav: "channels", Data: channelFormPage{Form: f}}, err)
		return
	}
	http.Redirect(w, r, "/channels/"+strconv.FormatInt(ch.ID, 10)+"?flash=channel-created", http.StatusSeeOther)
}

// channelPage loads what the channel edit page shows.
func (s *Server) channelPage(r *http.Request, id int64, form url.Values) (*ringdesk.Channel, channelFormPage, error) {
	ch, err := s.db.ChannelByID(r.Context(), id)
	if err != nil {
		return nil, channelFormPage{}, err
	}
	toks, err := s.db.ListChannelTokens(r.Context(), id)
	if err != nil {
		return nil, channelFormPage{}, err
	}
	if form == nil {
		form = channelValues(ch)
	}
	rec, err := s.db.ReconcileState(r.Context(), id)
	if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND {
		rec, err = nil, nil
	}
	if err != nil {
		return nil, channelFormPage{}, err
	}
	card, err := s.routingCardFor(r, ch, routingRowsOf(ch.UIS.RoutingRules), ch.UIS.DefaultGroupID)
	if err != nil {
		return nil, channelFormPage{}, err
	}
	return ch, channelFormPage{Edit: ch, Form: form, Tokens: toks, Reconcile: rec, Routing: card}, nil
}

func (s *Server) channelEdit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	flash := channelFlash(r)
	if r.URL.Query().Get("flash") == "saved" {
		flash = "Saved."
	}
	if ch, err := s.db.ChannelByID(r.Context(), id); err == nil && ch.Type == ringdesk.ChannelTypeEmail {
		s.emailChannelEdit(w, r, ch, flash)
		return
	}
	ch, p, err := s.channelPage(r, id, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "channel_form", pageData{Title: ch.Name, Nav: "channels", Flash: flash, Data: p})
}

func (s *Server) channelUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	if ch, err := s.db.ChannelByID(r.Context(), id); err == nil && ch.Type == ringdesk.ChannelTypeEmail {
		s.emailChannelUpdate(w, r, ch, f)
		return
	}
	ch, p, err := s.channelPage(r, id, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := channelSettings(f, ch.UIS)
	if err == nil {
		name, active := f.Get("name"), f.Get("active") == "on"
		u := ringdesk.ChannelUpdate{Name: &name, Active: &active, UIS: &st}
		u.AppSecret, err = formAppSecret(f)
		if err == nil {
			_, err = s.desk.UpdateChannel(r.Context(), agentFrom(r), id, u)
		}
	}
	if err != nil {
		f.Del("app_secret")
		s.formError(w, r, "channel_form", pageData{Title: ch.Name, Nav: "channels", Data: p}, err)
		return
	}
	http.Redirect(w, r, "/channels/"+strconv.FormatInt(id, 10)+"?flash=saved", http.StatusSeeOther)
}

// formAppSecret reads the App Secret of the edit form: nil keeps the stored
// one (browsers send the empty field), "" removes it when "Remove the App
// Secret" is ticked, anything else replaces it.
func formAppSecret(f url.Values) (*string, error) {
	secret := strings.TrimSpace(f.Get("app_secret"))
	switch remove := f.Get("clear_app_secret") == "on"; {
	case remove && secret != "":
		msg := "Either type a new App Secret or tick Remove, not both."
		return nil, &ringdesk.Error{Code: ringdesk.EINVALID, Message: msg, Fields: map[string]string{"app_secret": msg}}
	case remove:
		return &secret, nil
	case secret != "":
		return &secret, nil
	}
	return nil, nil
}

func (s *Server) channelTokenCreate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	secret, _, err := s.desk.CreateChannelToken(r.Context(), agentFrom(r), id, r.PostForm.Get("label"))
	ch, p, perr := s.channelPage(r, id, nil)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	d := pageData{Title: ch.Name, Nav: "channels", Data: p}
	if err != nil {
		s.formError(w, r, "channel_form", d, err)
		return
	}
	// Rendered directly (not redirected) so the token is never in a URL;
	// only its hash is stored, so this is the one time it can be shown.
	p.NewToken = secret
	d.Data = p
	s.renderStatus(w, r, http.StatusCreated, "channel_form", d)
}

func (s *Server) channelTokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tokenID, err := pathID(r, "token_id")
	if err == nil {
		err = s.desk.RevokeChannelToken(r.Context(), agentFrom(r), id, tokenID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/channels/"+strconv.FormatInt(id, 10)+"?flash=token-revoked", http.StatusSeeOther)
}

func (s *Server) channelCheck(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ch, err := s.db.ChannelByID(r.Context(), id); err == nil && ch.Type == ringdesk.ChannelTypeEmail {
		s.emailChannelCheck(w, r, ch)
		return
	}
	res, err := s.desk.CheckChannel(r.Context(), agentFrom(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ch, p, err := s.channelPage(r, id, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := s.lang(agentFrom(r), r)
	v := &channelCheckView{OK: res.OK(), CallManagementOff: res.CallManagementOff, Account: res.Account.Name, AppID: res.Account.AppID, Timezone: res.Account.Timezone,
		DataAdvice: translate(lang, desk.UISAdvice(res.DataErr)), CallAdvice: translate(lang, desk.UISAdvice(res.CallErr)), TimezoneFrom: res.TimezoneFrom}
	if res.DataErr != nil {
		v.DataError = res.DataErr.Error()
	}
	if tz := res.Account.Timezone; res.DataErr == nil && tz != "" && tz != ch.UIS.Timezone {
		v.ZoneMismatch, v.ChannelZone = true, ch.UIS.Timezone
	}
	if res.CallErr != nil {
		v.CallError = res.CallErr.Error()
	}
	p.Check = v
	s.render(w, r, "channel_form", pageData{Title: ch.Name, Nav: "channels", Data: p})
}

// TimeZones suggests the time zones of Russia and its neighbours for the
// account time zone field; any IANA name is accepted.
func (channelFormPage) TimeZones() []string {
	return []string{"Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
		"Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan",
		"Asia/Kamchatka", "Europe/Minsk", "Asia/Almaty", "Asia/Tashkent", "Asia/Tbilisi", "Asia/Yerevan", "Asia/Baku"}
}

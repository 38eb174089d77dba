package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// channelJSON is a channel as the API shows it: never the App Secret.
type channelJSON struct {
	ID                 int64    `json:"id"`
	Type               string   `json:"type"`
	Name               string   `json:"name"`
	Active             bool     `json:"active"`
	AppSecretSet       bool     `json:"app_secret_set"`
	CallAPIURL         string   `json:"call_api_url"`
	DataAPIURL         string   `json:"data_api_url"`
	TimeZone           string   `json:"time_zone"`
	VirtualPhoneNumber string   `json:"virtual_phone_number"`
	RecordingHosts     []string `json:"recording_hosts"`
	TicketPolicy       string   `json:"ticket_policy"`
	ReuseHours         int      `json:"reuse_hours"`
	ArchiveRecordings  bool     `json:"archive_recordings"`
	VirtualNumbers     []string `json:"virtual_numbers"`
	ReportSources      []string `json:"report_sources"`
	// Routing sends calls to groups, first matching rule first; calls no
	// rule matches go to DefaultGroupID (null: no group, every agent).
	Routing        []ringdesk.RoutingRule `json:"routing"`
	DefaultGroupID *int64                 `json:"default_group_id"`
	// SLAnswerWithin and SLShortAbandon are the service level's T and S in
	// seconds, as the reports use them (defaults filled in).
	SLAnswerWithin int64 `json:"sl_answer_within"`
	SLShortAbandon int64 `json:"sl_short_abandon"`
	// Email is a mailbox's settings (type email only).
	Email     *emailChannelJSON `json:"email,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

func toChannelJSON(c *ringdesk.Channel) channelJSON {
	hosts := c.UIS.RecordingHosts
	if hosts == nil {
		hosts = []string{}
	}
	return channelJSON{ID: c.ID, Type: c.Type, Name: c.Name, Active: c.Active, AppSecretSet: c.HasSecret,
		CallAPIURL: c.UIS.CallAPIURL, DataAPIURL: c.UIS.DataAPIURL, TimeZone: c.UIS.Timezone,
		VirtualPhoneNumber: c.UIS.VirtualPhoneNumber, RecordingHosts: hosts, TicketPolicy: c.UIS.TicketPolicy,
		ReuseHours: c.UIS.ReuseHours, ArchiveRecordings: c.UIS.ArchiveRecordings, VirtualNumbers: orEmpty(c.UIS.VirtualNumbers),
		ReportSources: orEmpty(c.UIS.ReportSources), Routing: routingRules(c.UIS.RoutingRules), DefaultGroupID: c.UIS.DefaultGroupID,
		SLAnswerWithin: c.UIS.Thresholds().AnswerWithin, SLShortAbandon: c.UIS.Thresholds().ShortAbandon,
		Email: toEmailChannelJSON(c), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

func routingRules(l []ringdesk.RoutingRule) []ringdesk.RoutingRule {
	if l == nil {
		return []ringdesk.RoutingRule{}
	}
	return l
}

// orEmpty makes a nil list an empty one, so JSON shows [] rather than null.
func orEmpty(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// channelInJSON is the body of POST and PATCH; absent fields are unchanged
// (PATCH) or defaulted (POST). AppSecret absent or null keeps the stored
// secret, "" removes it.
type channelInJSON struct {
	Type               *string   `json:"type"`
	Name               *string   `json:"name"`
	Active             *bool     `json:"active"`
	AppSecret          *string   `json:"app_secret"`
	ArchiveRecordings  *bool     `json:"archive_recordings"`
	CallAPIURL         *string   `json:"call_api_url"`
	DataAPIURL         *string   `json:"data_api_url"`
	TimeZone           *string   `json:"time_zone"`
	VirtualPhoneNumber *string   `json:"virtual_phone_number"`
	RecordingHosts     *[]string `json:"recording_hosts"`
	TicketPolicy       *string   `json:"ticket_policy"`
	ReuseHours         *int      `json:"reuse_hours"`
	VirtualNumbers     *[]string `json:"virtual_numbers"`
	ReportSources      *[]string `json:"report_sources"`
	// Routing: absent keeps the rules, null or [] removes them.
	Routing json.RawMessage `json:"routing"`
	// DefaultGroupID: absent keeps it, null clears it.
	DefaultGroupID json.RawMessage `json:"default_group_id"`
	// SLAnswerWithin and SLShortAbandon: absent keep them, null restores
	// the defaults (20 and 5 seconds).
	SLAnswerWithin json.RawMessage `json:"sl_answer_within"`
	SLShortAbandon json.RawMessage `json:"sl_short_abandon"`
	// Email holds a mailbox's settings and write-only passwords.
	Email *emailInJSON `json:"email"`
}

// changesSettings reports whether the body changes any UIS setting.
func (in *channelInJSON) changesSettings() bool {
	return in.CallAPIURL != nil || in.DataAPIURL != nil || in.TimeZone != nil || in.VirtualPhoneNumber != nil ||
		in.RecordingHosts != nil || in.TicketPolicy != nil || in.ReuseHours != nil || in.ArchiveRecordings != nil ||
		in.VirtualNumbers != nil || in.ReportSources != nil || len(in.Routing) > 0 || len(in.DefaultGroupID) > 0 ||
		len(in.SLAnswerWithin) > 0 || len(in.SLShortAbandon) > 0
}

// settings applies the body's settings over base.
func (in *channelInJSON) settings(base ringdesk.UISSettings) (ringdesk.UISSettings, error) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&base.CallAPIURL, in.CallAPIURL)
	set(&base.DataAPIURL, in.DataAPIURL)
	set(&base.Timezone, in.TimeZone)
	set(&base.VirtualPhoneNumber, in.VirtualPhoneNumber)
	set(&base.TicketPolicy, in.TicketPolicy)
	if in.RecordingHosts != nil {
		base.RecordingHosts = *in.RecordingHosts
	}
	if in.ReuseHours != nil {
		base.ReuseHours = *in.ReuseHours
	}
	if in.VirtualNumbers != nil {
		base.VirtualNumbers = *in.VirtualNumbers
	}
	if in.ReportSources != nil {
		base.ReportSources = *in.ReportSources
	}
	if in.ArchiveRecordings != nil {
		base.ArchiveRecordings = *in.ArchiveRecordings
	}
	if base.TicketPolicy == ringdesk.PolicyNewTicket {
		base.ReuseHours = 0
	}
	for name, f := range map[string]struct {
		raw json.RawMessage
		dst **int64
	}{"sl_answer_within": {in.SLAnswerWithin, &base.AnswerWithin}, "sl_short_abandon": {in.SLShortAbandon, &base.ShortAbandon}} {
		switch {
		case len(f.raw) == 0:
		case bytes.Equal(f.raw, []byte("null")):
			*f.dst = nil
		default:
			var n int64
			if err := json.Unmarshal(f.raw, &n); err != nil {
				return base, ringdesk.NewFieldError(ringdesk.EINVALID, name, ringdesk.T("Enter a whole number of seconds."))
			}
			*f.dst = &n
		}
	}
	switch raw := in.Routing; {
	case len(raw) == 0:
	case bytes.Equal(raw, []byte("null")):
		base.RoutingRules = nil
	default:
		var rules []ringdesk.RoutingRule
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rules); err != nil {
			return base, ringdesk.NewFieldError(ringdesk.EINVALID, "routing",
				ringdesk.T("Routing is a list of rules such as {\"virtual_phone_number\": \"74951234567\", \"group_id\": 2}."))
		}
		base.RoutingRules = rules
	}
	switch raw := in.DefaultGroupID; {
	case len(raw) == 0:
	case bytes.Equal(raw, []byte("null")):
		base.DefaultGroupID = nil
	default:
		var g int64
		if err := json.Unmarshal(raw, &g); err != nil {
			return base, ringdesk.NewFieldError(ringdesk.EINVALID, "default_group_id", ringdesk.T("The default group must be a group id or null."))
		}
		base.DefaultGroupID = &g
	}
	return base, nil
}

// channelAPIError names fields as the API does (time_zone, not the
// settings' timezone).
func channelAPIError(err error) error {
	var e *ringdesk.Error
	if !errors.As(err, &e) || e.Fields == nil {
		return err
	}
	if msg, ok := e.Fields["timezone"]; ok {
		c := *e
		c.Fields = map[string]string{}
		for k, v := range e.Fields {
			c.Fields[k] = v
		}
		delete(c.Fields, "timezone")
		c.Fields["time_zone"] = msg
		return &c
	}
	return err
}

func (s *Server) apiChannels(w http.ResponseWriter, r *http.Request) {
	list, err := s.db.ListChannels(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]channelJSON, len(list))
	for i, c := range list {
		out[i] = toChannelJSON(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"channels": out, "next_cursor": ""})
}

func (s *Server) apiChannel(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.db.ChannelByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toChannelJSON(c))
}

func (s *Server) apiChannelCreate(w http.ResponseWriter, r *http.Request) {
	var in channelInJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := in.settings(ringdesk.UISSettings{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c := ringdesk.ChannelCreate{UIS: st}
	if in.Type != nil {
		c.Type = *in.Type
	}
	if c.Type == ringdesk.ChannelTypeEmail {
		if in.changesSettings() || in.AppSecret != nil {
			s.fail(w, r, ringdesk.NewFieldError(ringdesk.EINVALID, "type", ringdesk.T("A mailbox takes its settings in the email object.")))
			return
		}
		em := in.Email
		if em == nil {
			em = &emailInJSON{}
		}
		c.Email = em.settings(ringdesk.EmailSettings{})
		if em.IMAPPassword != nil {
			c.AppSecret = *em.IMAPPassword
		}
		if em.SMTPPassword != nil {
			c.SMTPSecret = *em.SMTPPassword
		}
	} else if in.Email != nil {
		s.fail(w, r, ringdesk.NewFieldError(ringdesk.EINVALID, "email", ringdesk.T("Only an email channel has email settings.")))
		return
	}
	if in.Name != nil {
		c.Name = *in.Name
	}
	if in.AppSecret != nil {
		c.AppSecret = *in.AppSecret
	}
	ch, err := s.desk.CreateChannel(r.Context(), agentFrom(r), c)
	if err == nil && in.Active != nil && !*in.Active {
		ch, err = s.desk.UpdateChannel(r.Context(), agentFrom(r), ch.ID, ringdesk.ChannelUpdate{Active: in.Active})
	}
	if err != nil {
		if c.Type == ringdesk.ChannelTypeEmail {
			err = emailFieldError(err)
		}
		s.fail(w, r, channelAPIError(err))
		return
	}
	writeJSON(w, http.StatusCreated, toChannelJSON(ch))
}

func (s *Server) apiChannelUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in channelInJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	cur, err := s.db.ChannelByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Type != nil && *in.Type != cur.Type {
		s.fail(w, r, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "A channel's type cannot be changed.",
			Fields: map[string]string{"type": "A channel's type cannot be changed."}})
		return
	}
	if cur.Type == ringdesk.ChannelTypeEmail {
		s.apiEmailChannelUpdate(w, r, cur, in)
		return
	}
	if in.Email != nil {
		s.fail(w, r, ringdesk.NewFieldError(ringdesk.EINVALID, "email", ringdesk.T("Only an email channel has email settings.")))
		return
	}
	u := ringdesk.ChannelUpdate{Name: in.Name, Active: in.Active, AppSecret: in.AppSecret}
	if in.changesSettings() {
		st, err := in.settings(cur.UIS)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		u.UIS = &st
	}
	ch, err := s.desk.UpdateChannel(r.Context(), agentFrom(r), id, u)
	if err != nil {
		s.fail(w, r, channelAPIError(err))
		return
	}
	writeJSON(w, http.StatusOK, toChannelJSON(ch))
}

// channelTokenJSON is a token as listed; the secret appears only in the
// answer that created it.
type channelTokenJSON struct {
	ID         int64      `json:"id"`
	Token      string     `json:"token,omitempty"`
	Label      string     `json:"label"`
	Hint       string     `json:"hint"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

func toChannelTokenJSON(t *ringdesk.ChannelToken) channelTokenJSON {
	return channelTokenJSON{ID: t.ID, Label: t.Label, Hint: t.Hint, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
}

func (s *Server) apiChannelTokens(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.db.ChannelByID(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	toks, err := s.db.ListChannelTokens(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]channelTokenJSON, len(toks))
	for i, t := range toks {
		out[i] = toChannelTokenJSON(t)
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out, "next_cursor": ""})
}

func (s *Server) apiChannelTokenCreate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		Label string `json:"label"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	secret, t, err := s.desk.CreateChannelToken(r.Context(), agentFrom(r), id, in.Label)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := toChannelTokenJSON(t)
	out.Token = secret
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) apiChannelTokenRevoke(w http.ResponseWriter, r *http.Request) {
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
	w.WriteHeader(http.StatusNoContent)
}

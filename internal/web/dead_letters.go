package web

import (
	"net/http"
	"net/url"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// deadLettersPerPage is the size of a dead-letter list page.
const deadLettersPerPage = 50

// deadLettersCounted bounds the unreplayed count on the channel list.
const deadLettersCounted = 200

type deadLettersPage struct {
	Letters     []deadLetterRow
	ChannelName map[int64]string
	// Failed is the dead letter whose replay just failed, if any.
	Failed int64
	// Cursor is this page's cursor ("" on the first page), Older the URL of
	// the next page ("" on the last).
	Cursor string
	Older  string
}

// deadLetterRow is a dead letter as the list shows it: why it was not
// understood in the reader's language (Why, and ReplayWhy when a replay
// failed otherwise), and the body and the parser's words (which may quote
// the body) through shownBody and shownText, so secrets are masked and any
// bytes are visible.
type deadLetterRow struct {
	*ringdesk.DeadLetter
	Why, ReplayWhy             string
	Body, Reason, ReplayReason string
}

// deadLettersData loads the page of dead letters that starts at cursor.
func (s *Server) deadLettersData(r *http.Request, cursor string) (deadLettersPage, error) {
	list, next, err := s.db.ListDeadLetters(r.Context(), cursor, deadLettersPerPage)
	if err != nil {
		return deadLettersPage{}, err
	}
	chs, err := s.db.ListChannels(r.Context())
	if err != nil {
		return deadLettersPage{}, err
	}
	p := deadLettersPage{ChannelName: map[int64]string{}, Cursor: cursor}
	tr := func(m string) string { return translate(s.lang(agentFrom(r), r), m) }
	for _, d := range list {
		why := desk.DeadLetterReason(d)
		row := deadLetterRow{DeadLetter: d, Why: deadLetterWhy(d.Kind, why).In(tr), Body: shownBody(d.Raw),
			Reason: shownText(d.Error), ReplayReason: shownText(d.ReplayError)}
		if rw := d.ReplayReason(); rw.Text != "" && (rw.Problem != why.Problem || rw.Field != why.Field) {
			row.ReplayWhy = deadLetterWhy(d.Kind, rw).In(tr)
		}
		p.Letters = append(p.Letters, row)
	}
	for _, c := range chs {
		p.ChannelName[c.ID] = c.Name
	}
	if next != "" {
		p.Older = "/channels/dead-letters?" + url.Values{"cursor": {next}}.Encode()
	}
	return p, nil
}

// deadLetters lists webhooks that had a valid token but could not be
// understood; the raw bodies are shown escaped, with secrets masked.
func (s *Server) deadLetters(w http.ResponseWriter, r *http.Request) {
	p, err := s.deadLettersData(r, r.URL.Query().Get("cursor"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "dead_letters", pageData{Title: "Dead letters", Nav: "channels", Flash: channelFlash(r), Data: p})
}

// deadLetterReplay runs a dead letter through the webhook path again.
func (s *Server) deadLetterReplay(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	cursor := r.PostForm.Get("cursor") // back to the page the button was on
	_, err = s.desk.ReplayDeadLetter(r.Context(), agentFrom(r), id)
	if err == nil {
		q := url.Values{"flash": {"replayed"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		http.Redirect(w, r, "/channels/dead-letters?"+q.Encode()+"#dl-"+itoa(int(id)), http.StatusSeeOther)
		return
	}
	code := ringdesk.ErrorCode(err)
	if code != ringdesk.EINVALID && code != ringdesk.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	p, perr := s.deadLettersData(r, cursor)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	p.Failed = id
	msg, _ := s.localize(r, err)
	s.renderStatus(w, r, statusOf(code), "dead_letters", pageData{Title: "Dead letters", Nav: "channels",
		Errors: map[string]string{"_": msg}, Data: p})
}

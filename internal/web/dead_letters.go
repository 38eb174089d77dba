package web

import (
	"net/http"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// deadLettersShown bounds the dead-letter list page.
const deadLettersShown = 200

type deadLettersPage struct {
	Letters     []*ringdesk.DeadLetter
	ChannelName map[int64]string
	// Failed is the dead letter whose replay just failed, if any.
	Failed int64
}

func (s *Server) deadLettersData(r *http.Request) (deadLettersPage, error) {
	list, err := s.db.ListDeadLetters(r.Context(), deadLettersShown)
	if err != nil {
		return deadLettersPage{}, err
	}
	chs, err := s.db.ListChannels(r.Context())
	if err != nil {
		return deadLettersPage{}, err
	}
	p := deadLettersPage{Letters: list, ChannelName: map[int64]string{}}
	for _, c := range chs {
		p.ChannelName[c.ID] = c.Name
	}
	return p, nil
}

// deadLetters lists webhooks that had a valid token but could not be
// understood; the raw bodies are shown escaped.
func (s *Server) deadLetters(w http.ResponseWriter, r *http.Request) {
	p, err := s.deadLettersData(r)
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
	_, err = s.desk.ReplayDeadLetter(r.Context(), agentFrom(r), id)
	if err == nil {
		http.Redirect(w, r, "/channels/dead-letters?flash=replayed#dl-"+itoa(int(id)), http.StatusSeeOther)
		return
	}
	code := ringdesk.ErrorCode(err)
	if code != ringdesk.EINVALID && code != ringdesk.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	p, perr := s.deadLettersData(r)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	p.Failed = id
	s.renderStatus(w, r, statusOf(code), "dead_letters", pageData{Title: "Dead letters", Nav: "channels",
		Errors: map[string]string{"_": ringdesk.ErrorMessage(err)}, Data: p})
}

package web

import (
	"net/http"
	"time"

	"github.com/ringdesk/ringdesk/internal/live"
)

// The live wallboard: a page for a TV (large type, no top bar) with the
// calls ringing and talking now, the agents, today's service level and the
// missed calls still waiting for a call back. It listens to its own event
// stream (/wallboard/live), which hears every call change, and reads
// /wallboard/data again on each.

// boardJSON is GET /wallboard/data; the page shows the same fields.
type boardJSON struct {
	Ringing         int      `json:"ringing"`
	LongestWait     int64    `json:"longest_wait_seconds"`
	LongestWaitText string   `json:"longest_wait_text"`
	Talking         int      `json:"talking"`
	Available       int      `json:"agents_available"`
	OnCall          int      `json:"agents_on_call"`
	Away            int      `json:"agents_away"`
	Offered         int      `json:"today_offered"`
	Answered        int      `json:"today_answered"`
	Missed          int      `json:"today_missed"`
	ServiceLevel    *float64 `json:"today_service_level"`
	ServiceLevelTxt string   `json:"today_service_level_text"`
	MissedWaiting   int64    `json:"missed_waiting"`
	At              string   `json:"at"`
	// Level is how the service level reads: good (80% and more), fair
	// (60%) or poor; "" without calls.
	Level string `json:"level"`
	// Zone is the IANA zone "today" is counted in (the viewer's); the
	// page's clock shows the time there, Clock at At, so that a TV whose
	// own zone differs never shows a clock that disagrees with its figures.
	Zone  string `json:"time_zone"`
	Clock string `json:"clock"`
}

func (s *Server) board(r *http.Request) (*boardJSON, error) {
	me := agentFrom(r)
	zone := zoneOf(me)
	b, err := s.desk.Wallboard(r.Context(), me, zone)
	if err != nil {
		return nil, err
	}
	in := b.Today.Inbound
	out := &boardJSON{Ringing: b.Ringing, LongestWait: int64(b.LongestWait / time.Second), Talking: b.Talking,
		Available: b.Available, OnCall: b.OnCall, Away: b.Away, Offered: in.Offered, Answered: in.Answered, Missed: in.Missed,
		ServiceLevel: rounded(in.ServiceLevel), ServiceLevelTxt: percent(in.ServiceLevel, s.lang(me, r)),
		MissedWaiting: b.MissedWaiting, At: b.At.UTC().Format(time.RFC3339Nano),
		Zone: zone.String(), Clock: b.At.In(zone).Format("15:04")}
	out.LongestWaitText = durationWords(out.LongestWait)
	if v := in.ServiceLevel; v != nil {
		switch {
		case *v >= 0.8:
			out.Level = "good"
		case *v >= 0.6:
			out.Level = "fair"
		default:
			out.Level = "poor"
		}
	}
	return out, nil
}

// wallboard is GET /wallboard.
func (s *Server) wallboard(w http.ResponseWriter, r *http.Request) {
	b, err := s.board(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "wallboard", pageData{Title: "Wallboard", Nav: "wallboard", Data: b})
}

// wallboardData is GET /wallboard/data.
func (s *Server) wallboardData(w http.ResponseWriter, r *http.Request) {
	b, err := s.board(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

// wallboardLive is GET /wallboard/live: an event each time calls change
// (or the count of missed calls waiting does); the page reads the board
// again on each.
func (s *Server) wallboardLive(w http.ResponseWriter, r *http.Request) {
	b := s.desk.Live()
	if b == nil {
		s.notFound(w, r)
		return
	}
	sub := b.Subscribe(live.Wallboard)
	defer sub.Close()
	s.stream(w, r, sub, "hello", []byte("{}"))
}

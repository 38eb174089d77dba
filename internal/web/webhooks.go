package web

import (
	"io"
	"net/http"
	"time"

	"github.com/ringdesk/ringdesk/internal/metrics"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// maxWebhookBody bounds a UIS notification; real ones are a few KB.
const maxWebhookBody = 1 << 20

type webhookResponse struct {
	OK        bool  `json:"ok"`
	Duplicate bool  `json:"duplicate"`
	CallID    int64 `json:"call_id,omitempty"`
	TicketID  int64 `json:"ticket_id,omitempty"`
}

// uisWebhook receives the four UIS notifications. It answers 200 only after
// the event is committed; 4xx for bodies that will never work; 5xx (so UIS
// retries) when storing failed. The Content-Type is not trusted.
func (s *Server) uisWebhook(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	kind, ok := uis.ParseEventKind(r.PathValue("kind"))
	if !ok {
		err := ringdesk.Errorf(ringdesk.ENOTFOUND, "Unknown notification %q: use incoming_call_started, outgoing_call_started, conversation_started, call_finished or recording_ready.", r.PathValue("kind"))
		s.observeWebhook("unknown", start, false, false, err) // never the path's text: it would make a series per guess
		s.fail(w, r, err)
		return
	}
	if r.Method != http.MethodPost {
		s.cfg.Metrics.Webhook(string(kind), metrics.OutcomeRejected, time.Since(start))
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, apiError{apiErrorBody{Code: "method_not_allowed", Message: "Use POST."}})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if asMaxBytes(err, &mbe) {
			err = ringdesk.Errorf(ringdesk.ETOOLARGE, "The body is larger than 1 MiB.")
		} else {
			err = ringdesk.Errorf(ringdesk.EINVALID, "The body could not be read.")
		}
		s.observeWebhook(string(kind), start, false, false, err)
		s.fail(w, r, err)
		return
	}
	res, err := s.desk.HandleWebhook(r.Context(), kind, body, s.clientIP(r))
	if err != nil {
		if r.Context().Err() != nil {
			err = ringdesk.Errorf(ringdesk.EUNAVAILABLE, "The request ended before the event was stored; send it again.")
		}
		s.observeWebhook(string(kind), start, true, false, err)
		s.fail(w, r, err)
		return
	}
	s.observeWebhook(string(kind), start, true, res.Duplicate, nil)
	writeJSON(w, http.StatusOK, webhookResponse{OK: true, Duplicate: res.Duplicate, CallID: res.CallID, TicketID: res.TicketID})
}

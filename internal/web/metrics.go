package web

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/metrics"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// MetricsHandler serves the Prometheus registry to a scraper that sends
// "Authorization: Bearer TOKEN"; anything else gets 401. The token is
// compared in constant time and never logged. An empty token turns the
// endpoint off (404), as does a nil registry.
func MetricsHandler(m *metrics.Metrics, token string) http.Handler {
	if m == nil || token == "" {
		return http.NotFoundHandler()
	}
	inner := m.Handler()
	want := []byte(token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ringdesk metrics"`)
			writeJSON(w, http.StatusUnauthorized, apiError{apiErrorBody{Code: "unauthorized", Message: "Send the metrics token: Authorization: Bearer TOKEN."}})
			return
		}
		inner.ServeHTTP(w, r)
	})
}

// metricsPage is GET /metrics on the main listener: the registry when a
// metrics token is set and no separate --metrics-addr serves it.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) {
	s.metricsHandler.ServeHTTP(w, r)
}

// webhookOutcome names a webhook's outcome for metrics from the desk's
// answer.
func webhookOutcome(reachedDesk, duplicate bool, err error) string {
	if err == nil {
		if duplicate {
			return metrics.OutcomeDuplicate
		}
		return metrics.OutcomeAccepted
	}
	switch ringdesk.ErrorCode(err) {
	case ringdesk.EUNAUTHORIZED:
		return metrics.OutcomeRefused
	case ringdesk.EINVALID:
		if reachedDesk {
			return metrics.OutcomeDeadLetter
		}
		return metrics.OutcomeRejected
	case ringdesk.ENOTFOUND, ringdesk.ETOOLARGE:
		return metrics.OutcomeRejected
	case ringdesk.EUNAVAILABLE:
		return metrics.OutcomeUnavailable
	}
	return metrics.OutcomeError
}

// observeWebhook records a webhook that arrived at start.
func (s *Server) observeWebhook(kind string, start time.Time, reachedDesk, duplicate bool, err error) {
	s.cfg.Metrics.Webhook(kind, webhookOutcome(reachedDesk, duplicate, err), time.Since(start))
}

package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFailQuietWhenClientLeft: a request the client abandoned (its context
// cancelled, the error says so) is not logged as a failed request; the
// same error on a request still waiting for its answer is.
func TestFailQuietWhenClientLeft(t *testing.T) {
	var logs bytes.Buffer
	s, err := New(nil, nil, Config{Version: "test"}, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})))
	if err != nil {
		t.Fatal(err)
	}
	failure := fmt.Errorf("store: client by id: %w", context.Canceled)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	left := httptest.NewRequest("GET", "/tickets/1", nil).WithContext(ctx)
	s.fail(httptest.NewRecorder(), left, failure)
	if strings.Contains(logs.String(), "request failed") {
		t.Errorf("an abandoned request was logged as failed:\n%s", logs.String())
	}

	waiting := httptest.NewRequest("GET", "/tickets/1", nil)
	w := httptest.NewRecorder()
	s.fail(w, waiting, errors.New("store: client by id: disk I/O error"))
	if !strings.Contains(logs.String(), "request failed") || w.Code != 500 {
		t.Errorf("an internal error on a live request: status %d, log:\n%s", w.Code, logs.String())
	}
}

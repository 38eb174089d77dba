package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
)

// TestNotFoundPage: an unknown URL is a 404 page, inside the top bar for a
// logged-in agent (so they can go on from it) and bare for anyone else.
func TestNotFoundPage(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	res := a.Admin(t).Get(t, "/no/such/page")
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d", res.StatusCode)
	}
	if !strings.Contains(res.Body, `class="topbar"`) || !strings.Contains(res.Body, `action="/logout"`) {
		t.Error("a logged-in agent's 404 page has no top bar")
	}
	res = a.Anon(t).Get(t, "/no/such/page")
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("anonymous: status %d", res.StatusCode)
	}
	if strings.Contains(res.Body, `class="topbar"`) {
		t.Error("an anonymous 404 page shows the top bar")
	}
}

package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestBrowserMarkMissedHandled: on a phone, an agent sees how long a missed
// call waits for a call back, marks it handled with a reason (one without
// is refused: TestMissedCallsOwnedUntilCalledBack) and
// the ticket says so; the Missed calls view and the ticket fit a laptop and
// a phone without sideways scroll (TestBrowserWorkspaceFits checks more).
func TestBrowserMarkMissedHandled(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	m := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79035550201", WaitSeconds: 12})
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingMissed, ContactNumber: "79035550202", WaitSeconds: 4})
	agent := tel.Agents[petrova]
	p := browsertest.New(t, a.URL)
	p.SignIn(agent.Email, "agent-password-1")
	ticket := fmt.Sprintf("/tickets/%d", m.TicketID)
	for _, path := range []string{"/tickets?view=missed", ticket} {
		sweep(t, p, path, "main", "missed-"+strings.Trim(strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(path), "-"))
	}
	// On the phone now.
	if got := p.Text("#tk-waiting"); !strings.Contains(got, "Waiting for a call back for") || !strings.Contains(got, "call-backs tried: 0") {
		t.Errorf("waiting line %q", got)
	}
	p.Click(".tk-handled summary")
	p.WaitVisible(".tk-handled input[name=reason]")
	p.Screenshot("missed-handled-form-390")
	p.Fill(".tk-handled input[name=reason]", "The client wrote by email")
	p.Submit(".tk-handled input[name=reason]")
	p.WaitVisible(".flash")
	if got := p.Text(".flash"); !strings.Contains(got, "Marked handled") {
		t.Errorf("flash %q", got)
	}
	if got := p.Text(".tk-calledback"); !strings.Contains(got, agent.Name+" marked the missed call handled: The client wrote by email") {
		t.Errorf("timeline says %q", got)
	}
	if p.Exists("#tk-waiting") {
		t.Error("a handled ticket still waits")
	}
	p.Go("/tickets?view=missed")
	if p.Exists(fmt.Sprintf(`a[href="%s"]`, ticket)) {
		t.Error("a handled ticket is still in the Missed calls view")
	}
	p.Screenshot("missed-after-handled-390")
}

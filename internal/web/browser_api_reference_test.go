package web_test

import (
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestBrowserAPIReference: the API reference reads without logging in on
// a laptop (1280x800) and a phone (390x844) with no sideways scrolling,
// its longest path and widest field included, and with every operation's
// response fields open; an agent reading Russian reaches it from the
// profile's tokens card, the top bar fitting too. No console error: the
// page keeps to the Content-Security-Policy.
func TestBrowserAPIReference(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ru := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Мария Ковалёва", Email: "maria@example.com", Role: ringdesk.RoleAgent,
		Lang: "ru", Password: "agent-password-1"})
	// The widest things on the page: the longest path, and a field whose
	// type lists many values.
	longest := `Array.from(document.querySelectorAll(".api-path")).sort((a, b) => b.textContent.length - a.textContent.length)[0]`
	widest := `Array.from(document.querySelectorAll(".api-fields dt")).sort((a, b) => b.scrollWidth - a.scrollWidth)[0]`
	fits := func(p *browsertest.Page, what, el string) {
		t.Helper()
		if got := p.Eval(`(() => { const e = ` + el + `; const r = e.getBoundingClientRect();
			return Math.ceil(r.right) <= document.documentElement.clientWidth && r.left >= 0 && e.scrollWidth <= Math.ceil(r.width); })()`); got != "true" {
			t.Errorf("%s runs off the screen", what)
		}
	}
	anon := browsertest.New(t, a.URL)
	for _, vp := range []struct {
		w, h int64
		name string
	}{{1280, 800, "laptop"}, {390, 844, "phone"}} {
		anon.Viewport(vp.w, vp.h)
		anon.Go("/docs/api")
		if got := anon.Text("h1"); got != "API reference" {
			t.Fatalf("%s: heading %q", vp.name, got)
		}
		clickable(t, anon, "API reference on a "+vp.name, `a[href="#tag-tickets"]`, `#openapi-json`, `#getTicketsId h3`)
		fits(anon, "the longest path on a "+vp.name, longest)
		fits(anon, "the widest field on a "+vp.name, widest)
		anon.Eval(`(scrollTo(0, 0), true)`)
		anon.Screenshot("api-reference-" + vp.name)
		anon.Eval(`(document.getElementById("postChannelsIdEmployeesEmployeeIdLink").scrollIntoView(), true)`)
		anon.Screenshot("api-reference-channels-" + vp.name)
		// Every operation's response fields open: still no sideways scroll.
		anon.Eval(`(document.querySelectorAll(".api-op details").forEach((d) => { d.open = true; }), true)`)
		anon.Eval(`(document.getElementById("postTicketsBulk").scrollIntoView(), true)`)
		if got := anon.Eval(`document.documentElement.scrollWidth + " <= " + document.documentElement.clientWidth`); !noOverflow(got) {
			t.Errorf("API reference on a %s with the response fields open: scrollWidth %s", vp.name, got)
		}
		anon.Screenshot("api-reference-bulk-" + vp.name)
		anon.Eval(`(document.getElementById("schema-Channel").scrollIntoView(), true)`)
		anon.Screenshot("api-reference-schema-" + vp.name)
	}
	// The section links work on the page itself.
	anon.Click(`a[href="#tag-channels"]`)
	if got := anon.Eval(`location.hash`); got != "#tag-channels" {
		t.Errorf("the contents link went to %q", got)
	}

	agent := browsertest.New(t, a.URL)
	agent.Viewport(390, 844)
	agent.SignIn(ru.Email, "agent-password-1")
	agent.Go("/profile")
	clickable(t, agent, "profile on a phone", "#api-docs-link")
	agent.ClickNav("#api-docs-link")
	if got := agent.Path(); got != "/docs/api" {
		t.Fatalf("the tokens card's link went to %s", got)
	}
	if got := agent.Text("h1"); got != "Справочник API" {
		t.Errorf("Russian heading %q", got)
	}
	clickable(t, agent, "API reference for an agent on a phone", `a[href="#tag-tickets"]`, `a[href="/profile#tokens"]`)
	fits(agent, "the longest path for an agent on a phone", longest)
	agent.Screenshot("api-reference-ru-phone")
}

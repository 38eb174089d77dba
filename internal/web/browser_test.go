package web_test

// Journeys through the UI in a real headless Chromium (see package
// browsertest for how to write one). Run with
// RINGDESK_SCREENSHOTS=/tmp/shots to get a PNG of every page visited.

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestMain shares one Chromium between the package's browser tests. Tests
// that do not open a browsertest.Page never start it.
func TestMain(m *testing.M) { browsertest.Main(m) }

func TestBrowserLogin(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	p := browsertest.New(t, a.URL)

	p.Go("/profile")
	if got := p.Path(); got != "/login?next=%2Fprofile" {
		t.Fatalf("an anonymous visit to /profile ends on %q, want the login form", got)
	}
	p.Screenshot("login")
	if got := p.Focused(); !strings.HasPrefix(got, "input[name=email]") {
		t.Errorf("the login form opens with focus on %s, want the email field", got)
	}

	p.Fill("input[name=email]", apptest.AdminEmail)
	p.Fill("input[name=password]", "wrong-password")
	p.Submit("input[name=password]")
	if got := p.Text(".alert"); got == "" {
		t.Error("a wrong password shows no error")
	}
	p.Screenshot("login-error")
	if got := p.Value("input[name=email]"); got != apptest.AdminEmail {
		t.Errorf("after a wrong password the email field holds %q, want it kept", got)
	}
	if got := p.Focused(); !strings.HasPrefix(got, "input[name=password]") {
		t.Errorf("after a wrong password the focus is on %s, want the password field", got)
	}
	if p.Exists(".topbar") {
		t.Error("a failed login shows the top bar")
	}

	p.Fill("input[name=password]", apptest.AdminPassword)
	p.Submit("input[name=password]")
	if got := p.Path(); got != "/profile" {
		t.Errorf("after logging in the browser is on %q, want /profile (the page asked for)", got)
	}
	p.WaitVisible(".topbar")
	if got := p.Text(".topbar .me a"); got == "" {
		t.Error("the top bar does not name the logged-in agent")
	}
}

// TestBrowserLoginInRussian: the language picked on the login form stays
// for the error after a wrong password.
func TestBrowserLoginInRussian(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	p := browsertest.New(t, a.URL)
	p.Go("/login")
	p.ClickNav(`.langs a[lang="ru"]`)
	if cur, _ := p.Attr(`.langs a[lang="ru"]`, "aria-current"); cur != "true" {
		t.Error("the chosen language is not marked current")
	}
	if got := p.Text("button[type=submit]"); got != "Войти" {
		t.Errorf("the Russian login button says %q", got)
	}
	p.Fill("input[name=email]", apptest.AdminEmail)
	p.Fill("input[name=password]", "wrong-password")
	p.Submit("input[name=password]")
	if got := p.Text(".alert"); got != "Неверный адрес или пароль." {
		t.Errorf("the error after a wrong password is %q, want it in Russian", got)
	}
	if got := p.Eval("document.documentElement.lang"); got != "ru" {
		t.Errorf("<html lang> = %q after the error, want ru", got)
	}
}

func TestBrowserLogout(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	p := browsertest.New(t, a.URL)
	p.Login(apptest.AdminEmail, apptest.AdminPassword)
	p.WaitVisible(".topbar")

	p.ClickNav(".topbar .me button[type=submit]")
	if got := p.Path(); got != "/login" {
		t.Errorf("logging out ends on %q, want /login", got)
	}
	p.Go("/agents")
	if got := p.Path(); !strings.HasPrefix(got, "/login?") {
		t.Errorf("after logging out /agents ends on %q, want the login form", got)
	}
}

func TestBrowserAdminCreatesAgent(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	p := browsertest.New(t, a.URL)
	p.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	p.Go("/")

	p.ClickNav(`.mainnav a[href="/agents"]`)
	if cur, _ := p.Attr(`.mainnav a[href="/agents"]`, "aria-current"); cur != "page" {
		t.Error("the Agents nav item is not marked as the current page")
	}
	p.Screenshot("agents")
	p.ClickNav(`a[href="/agents/new"]`)
	p.Screenshot("agent-form")

	// An empty form comes back with field errors and keeps what was typed.
	p.Fill("input[name=name]", "Ирина Петрова")
	p.Submit("input[name=name]")
	if n := p.Count(".field-error"); n == 0 {
		t.Fatal("an incomplete agent form shows no field errors")
	}
	if got := p.Value("input[name=name]"); got != "Ирина Петрова" {
		t.Errorf("the name field holds %q after the error, want it kept", got)
	}
	if _, bad := p.Attr("input[name=email]", "aria-invalid"); !bad {
		t.Error("the empty email field is not marked aria-invalid")
	}
	p.Screenshot("agent-form-errors")

	p.Fill("input[name=email]", "irina@example.com")
	p.Fill("select[name=role]", "agent")
	p.Fill("select[name=lang]", "ru")
	p.Fill("input[name=operator_id]", "323401")
	p.Fill("input[name=password]", "irina-password-1")
	p.Submit("input[name=name]")

	if got := p.Path(); !strings.HasPrefix(got, "/agents") {
		t.Errorf("after creating an agent the browser is on %q", got)
	}
	if got := p.Text(".flash"); got != "Agent created." {
		t.Errorf("flash = %q", got)
	}
	var row string
	for _, r := range p.Texts("table.grid tbody tr") {
		if strings.Contains(r, "irina@example.com") {
			row = r
		}
	}
	if !strings.Contains(row, "Ирина Петрова") || !strings.Contains(row, "323401") || !strings.Contains(row, "Русский") {
		t.Errorf("the agents list shows the new agent as %q, want name, Operator ID 323401 and Русский", row)
	}
	p.Screenshot("agents-created")

	p.ClickNav(`table.grid a:not([href="/agents/1"])`)
	if got := p.Value("input[name=operator_id]"); got != "323401" {
		t.Errorf("the edit form shows Operator ID %q", got)
	}
	p.Screenshot("agent-edit")
}

func TestBrowserAgentHasNoAdminNav(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	a.CreateAgent(t, ringdesk.AgentCreate{Name: "Olga", Email: "olga@example.com", Role: ringdesk.RoleAgent})
	p := browsertest.New(t, a.URL)
	p.SignIn("olga@example.com", "agent-password-1")
	p.Go("/")
	p.WaitVisible(".topbar")

	nav := strings.Join(p.Texts(".mainnav a"), ", ")
	for _, admin := range []string{`a[href="/agents"]`, `a[href="/channels"]`} {
		if p.Exists(".topbar " + admin) {
			t.Errorf("an agent's nav (%s) links to %s", nav, admin)
		}
	}
	if !p.Exists(`.mainnav a[href="/tickets"]`) {
		t.Errorf("an agent's nav (%s) has no Tickets", nav)
	}

	p.Go("/agents")
	if got := p.Text(".error-page h1"); got != "403" {
		t.Errorf("an agent opening /agents sees %q, want 403", got)
	}
	if !p.Exists(".topbar") {
		t.Error("the 403 page has no top bar")
	}
	p.Screenshot("forbidden")
}

func TestBrowserNotFoundKeepsTopBar(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	p := browsertest.New(t, a.URL)

	p.Go("/no/such/page")
	if got := p.Text(".error-page h1"); got != "404" {
		t.Errorf("an anonymous unknown URL shows %q, want 404", got)
	}
	if p.Exists(".topbar") {
		t.Error("the anonymous 404 page shows the top bar")
	}

	p.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	p.Go("/no/such/page")
	if got := p.Text(".error-page h1"); got != "404" {
		t.Errorf("a logged-in unknown URL shows %q, want 404", got)
	}
	p.WaitVisible(".topbar")
	if got := p.Text(".topbar .me a"); got == "" {
		t.Error("the 404 page's top bar does not name the agent")
	}
	p.Screenshot("not-found")
	p.ClickNav(".error-page a")
	if got := p.Path(); got != "/tickets" {
		t.Errorf("the 404 page's way back leads to %q, want the ticket list", got)
	}
}

func TestBrowserProfileLanguage(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	a.CreateAgent(t, ringdesk.AgentCreate{Name: "Pavel", Email: "pavel@example.com", Role: ringdesk.RoleAgent, Lang: "ru"})
	p := browsertest.New(t, a.URL)
	p.SignIn("pavel@example.com", "agent-password-1")

	p.Go("/profile")
	if got := p.Text("main h1"); got != "Ваш профиль" {
		t.Fatalf("a Russian-speaking agent's profile is titled %q", got)
	}
	if got := p.Eval("document.documentElement.lang"); got != "ru" {
		t.Errorf("<html lang> = %q, want ru", got)
	}
	p.Screenshot("profile-ru")

	p.Fill("select[name=lang]", "en")
	p.Submit("select[name=lang]")
	if got := p.Text("main h1"); got != "Your profile" {
		t.Errorf("after choosing English the profile is titled %q", got)
	}
	if got := p.Text(".flash"); got != "Saved." {
		t.Errorf("flash = %q", got)
	}
	if got := p.Text(".topbar .me button"); got != "Log out" {
		t.Errorf("the top bar says %q, want it in English", got)
	}
	if got := p.Eval("document.documentElement.lang"); got != "en" {
		t.Errorf("<html lang> = %q, want en", got)
	}
	p.Screenshot("profile-en")

	p.Fill("select[name=lang]", "ru")
	p.Submit("select[name=lang]")
	if got := p.Text("main h1"); got != "Ваш профиль" {
		t.Errorf("back in Russian the profile is titled %q", got)
	}
	if got := p.Text(".topbar .me button"); got != "Выйти" {
		t.Errorf("the top bar says %q, want Выйти", got)
	}
}

func TestBrowserAPIToken(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	p := browsertest.New(t, a.URL)
	p.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	p.Go("/profile")
	if !p.Exists("section.card .empty") {
		t.Error("a profile without tokens does not say so")
	}

	p.Fill("input[name=name]:not([required])", "CRM sync")
	p.Submit("input[placeholder]")
	secret := p.Text("#new-token")
	if len(secret) < 20 {
		t.Fatalf("the new token is shown as %q", secret)
	}
	rows := strings.Join(p.Texts("section.card table.grid tbody tr"), "\n")
	if !strings.Contains(rows, "CRM sync") {
		t.Errorf("the token list is %q, want CRM sync in it", rows)
	}
	if strings.Contains(rows, secret) {
		t.Error("the token list shows the secret")
	}
	p.Screenshot("profile-token")
	p.Click("button[data-copy]")
	p.NoConsoleErrors()
	p.WaitText("button[data-copy]", "Copied")

	// The token works for the API.
	c := a.Anon(t)
	c.Token = secret
	if res := c.Get(t, "/api/v1/me"); res.StatusCode != http.StatusOK {
		t.Errorf("GET /api/v1/me with the new token: %d %s", res.StatusCode, res.Body)
	}

	// Shown once: a reload does not show it again.
	p.Go("/profile")
	if p.Exists("#new-token") {
		t.Error("the token is shown again after a reload")
	}
	if body := p.Eval("document.body.innerText"); strings.Contains(body, secret) {
		t.Error("the reloaded profile contains the secret")
	}
}

func TestBrowserKeyboard(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	p := browsertest.New(t, a.URL)
	p.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	p.Go("/agents")

	// The first Tab shows the skip link on screen.
	p.Press("\t")
	if got := p.Focused(); !strings.HasPrefix(got, "a.skip") {
		t.Fatalf("the first Tab focuses %s, want the skip link", got)
	}
	if got := p.Eval(`(() => { const r = document.activeElement.getBoundingClientRect(); return r.left >= 0 && r.top >= 0 && r.width > 0 })()`); got != "true" {
		t.Error("the focused skip link is not on screen")
	}
	if got := p.Eval(`getComputedStyle(document.activeElement).outlineStyle`); got == "none" {
		t.Error("the focused skip link has no focus ring")
	}
	p.Screenshot("skip-link")

	// Enter on it skips the top bar: the next Tab lands in the content.
	p.Press("\r")
	p.Press("\t")
	if got := p.Eval(`!!document.activeElement.closest("main")`); got != "true" {
		t.Errorf("after the skip link, Tab focuses %s, want something in <main>", p.Focused())
	}

	// From the top, the order is: skip link, brand, main nav, the
	// availability switch, profile, log out, then the page.
	p.Go("/agents")
	var order []string
	for range 15 {
		p.Press("\t")
		order = append(order, p.Focused())
	}
	want := []string{"a.skip", "a.brand", `a "Tickets"`, `a#missed-badge`, `a "Clients"`, `a "Calls"`, `a "Templates"`, `a "Reports"`, `a "Agents"`, `a "Groups"`, `a "Channels"`,
		`button.avail-switch.on "Available"`, `a "` + "Admin", `button.link "Log out"`, `a.button.primary "New agent"`}
	for i, w := range want {
		if !strings.HasPrefix(order[i], w) {
			t.Errorf("Tab stop %d is %s, want %s (order: %s)", i+1, order[i], w, strings.Join(order, " → "))
			break
		}
	}
	t.Logf("Tab order on /agents: %s", strings.Join(order, " → "))
	// Every stop shows a focus ring.
	p.Go("/profile")
	for range 14 {
		p.Press("\t")
		if got := p.Eval(`getComputedStyle(document.activeElement).outlineStyle`); got == "none" {
			t.Errorf("%s has no focus ring", p.Focused())
		}
	}

	// The login form goes email, password, Log in.
	q := browsertest.New(t, a.URL)
	q.Go("/login")
	var login []string
	for range 2 {
		q.Press("\t")
		login = append(login, q.Focused())
	}
	if !strings.HasPrefix(login[0], "input[name=password]") || !strings.HasPrefix(login[1], "button") {
		t.Errorf("Tab on the login form goes %s, want password then the button", strings.Join(login, " → "))
	}
}

// TestBrowserPagesHaveNoConsoleErrors visits every page as an English
// admin, a Russian admin and an agent; the Page fails the test on any JS
// error or CSP violation. With RINGDESK_SCREENSHOTS set it pictures each.
func TestBrowserPagesHaveNoConsoleErrors(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ag := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Olga", Email: "olga@example.com", Role: ringdesk.RoleAgent, OperatorID: ptr(int64(999402))})
	a.CreateAgent(t, ringdesk.AgentCreate{Name: "Мария Иванова", Email: "maria@example.com", Role: ringdesk.RoleAdmin, Lang: "ru"})
	id := strconv.FormatInt(ag.ID, 10)
	// Every kind of page, with a call behind the ticket, client and call pages.
	tel := apptest.NewTelephony(t, a)
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79165550123", ContactName: "Анна <b>Смирнова</b>",
		EmployeeIDs: []int64{323401}, WaitSeconds: 4, TalkSeconds: 30})
	ch := strconv.FormatInt(tel.Channel.ID, 10)
	pages := []struct{ path, shot string }{
		{"/", ""}, {"/profile", "profile"}, {"/agents", "agents"}, {"/agents/new", "agent-new"},
		{"/agents/" + id, "agent-edit"}, {"/no/such/page", "not-found"},
		{"/tickets", ""}, {"/tickets?view=missed", ""}, {"/tickets/new", ""}, {"/tickets/" + strconv.FormatInt(c.TicketID, 10), ""},
		{"/clients", ""}, {"/clients/" + strconv.FormatInt(c.ClientID, 10), ""}, {"/clients/new", ""},
		{"/calls", ""}, {"/calls/" + strconv.FormatInt(c.ID, 10), ""},
		{"/channels", ""}, {"/channels/new", ""}, {"/channels/" + ch, ""}, {"/channels/" + ch + "/setup", ""}, {"/channels/dead-letters", ""},
	}

	// Three readers at once, each on its own page: the administrator in
	// English, one in Russian, and an agent.
	for _, r := range []struct{ lang, email, password string }{
		{"en", apptest.AdminEmail, apptest.AdminPassword}, {"ru", "maria@example.com", "agent-password-1"},
	} {
		t.Run(r.lang, func(t *testing.T) {
			t.Parallel()
			p := browsertest.New(t, a.URL)
			if r.lang == "en" {
				p.Go("/login?lang=ru")
				p.Screenshot("login-ru")
			}
			p.SignIn(r.email, r.password)
			for _, pg := range pages {
				p.Go(pg.path)
				p.WaitVisible("main")
				if pg.shot != "" {
					p.Screenshot(r.lang + "-" + pg.shot)
				}
				p.NoConsoleErrors()
			}
		})
	}
	t.Run("agent", func(t *testing.T) {
		t.Parallel()
		q := browsertest.New(t, a.URL)
		q.SignIn("olga@example.com", "agent-password-1")
		for _, path := range []string{"/profile", "/agents", "/no/such/page"} {
			q.Go(path)
			q.WaitVisible("main")
			q.NoConsoleErrors()
		}
	})
}

func ptr[T any](v T) *T { return &v }

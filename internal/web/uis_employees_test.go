package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestUnlinkedEmployees: a UIS employee no agent has as Operator ID is
// listed by the UIS name as "not linked", with a prefilled new-agent link
// and a form that links an existing agent; after linking, calls are
// assigned to that agent.
func TestUnlinkedEmployees(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	admin := a.Admin(t)
	smirnov := tel.Agents[323403]
	if _, err := a.Desk.UpdateAgent(t.Context(), ringdesk.System, smirnov.ID, ringdesk.AgentUpdate{ClearOperatorID: true}); err != nil {
		t.Fatal(err)
	}
	// Nobody unlinked yet: no heading over an empty list.
	if page := admin.Get(t, "/channels"); page.StatusCode != 200 || strings.Contains(page.Body, `id="unlinked"`) ||
		strings.Contains(page.Body, "UIS employees not linked to an agent") {
		t.Fatalf("channels page with nobody unlinked: %d %.3000s", page.StatusCode, page.Body)
	}
	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79261234567", EmployeeIDs: []int64{323403}})
	if c.AgentID != nil {
		t.Fatalf("call assigned to %d without an Operator ID", *c.AgentID)
	}
	tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79261234568", EmployeeIDs: []int64{323401}})

	page := admin.Get(t, "/channels")
	const name = "Смирнов Алексей Викторович"
	if !strings.Contains(page.Body, name) || !strings.Contains(page.Body, `pill missed">not linked<`) || strings.Contains(page.Body, "Иванов Иван Петрович") ||
		!strings.Contains(page.Body, `<h2>UIS employees not linked to an agent</h2>`) {
		t.Fatalf("unlinked section: %.3000s", page.Body)
	}
	m := regexp.MustCompile(`href="(/agents/new\?operator_id=323403[^"]*)"`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no new-agent link: %.3000s", page.Body)
	}
	link := html.UnescapeString(m[1])
	u, _ := url.Parse(link)
	if u.Query().Get("name") != name {
		t.Fatalf("link %q does not carry the name", link)
	}
	form := admin.Get(t, link)
	if form.StatusCode != 200 || !strings.Contains(form.Body, `name="operator_id" inputmode="numeric" pattern="[0-9]*" value="323403"`) ||
		!strings.Contains(form.Body, `value="`+name+`"`) {
		t.Fatalf("new agent form not prefilled: %.3000s", form.Body)
	}
	if !strings.Contains(page.Body, `<option value="`+itoa(smirnov.ID)+`">`) {
		t.Fatalf("agent without an Operator ID not offered")
	}

	// Linking the existing agent.
	res := admin.PostForm(t, "/channels/employees/323403/link", url.Values{"agent_id": {itoa(smirnov.ID)}})
	if res.StatusCode != 303 {
		t.Fatalf("link: %d %.500s", res.StatusCode, res.Body)
	}
	if got, _ := a.DB.AgentByID(t.Context(), smirnov.ID); got.OperatorID == nil || *got.OperatorID != 323403 {
		t.Fatalf("operator id = %v", got.OperatorID)
	}
	if page := admin.Get(t, "/channels"); strings.Contains(page.Body, `pill missed">not linked<`) || strings.Contains(page.Body, `id="unlinked"`) ||
		strings.Contains(page.Body, "UIS employees not linked to an agent") {
		t.Fatal("employee, or the empty section, still listed after linking")
	}
	c = tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79261234569", EmployeeIDs: []int64{323403}})
	if c.AgentID == nil || *c.AgentID != smirnov.ID {
		t.Fatalf("call after linking assigned to %v, want %d", c.AgentID, smirnov.ID)
	}
	// An id another agent already has is a conflict, not a silent steal.
	if res := admin.PostForm(t, "/channels/employees/323401/link", url.Values{"agent_id": {itoa(smirnov.ID)}}); res.StatusCode != 409 {
		t.Fatalf("link taken id: %d", res.StatusCode)
	}
	if res := admin.PostForm(t, "/channels/employees/323401/link", url.Values{"agent_id": {"x"}}); res.StatusCode != 400 {
		t.Fatalf("link without agent: %d", res.StatusCode)
	}
}

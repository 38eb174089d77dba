package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

func TestAgentPages(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	admin := a.Admin(t)
	long := strings.Repeat("я", 37) // 74 bytes
	runScenarios(t, a, map[string]*apptest.Client{"admin": admin}, []scenario{
		{name: "new agent form", as: "admin", method: "GET", path: "/agents/new", wantStatus: 200, wantIn: []string{`name="operator_id"`}},
		{name: "create with errors re-renders", as: "admin", method: "POST", path: "/agents",
			form: url.Values{"name": {""}, "email": {"not-an-email"}, "role": {"agent"}, "password": {"short"}}, wantStatus: 400,
			wantIn: []string{"Name is required.", "Email address is not valid.", "Password must be at least 8 characters.", `value="not-an-email"`}},
		{name: "password over 72 bytes is refused", as: "admin", method: "POST", path: "/agents",
			form: url.Values{"name": {"Long"}, "email": {"long@example.com"}, "role": {"agent"}, "password": {long}}, wantStatus: 400,
			wantIn: []string{"at most 72 bytes"}},
		{name: "bad operator id", as: "admin", method: "POST", path: "/agents",
			form: url.Values{"name": {"Op"}, "email": {"op@example.com"}, "role": {"agent"}, "password": {"password-123"}, "operator_id": {"abc"}}, wantStatus: 400,
			wantIn: []string{"Operator ID must be a number."}},
		{name: "create agent", as: "admin", method: "POST", path: "/agents",
			form: url.Values{"name": {"Ольга <b>"}, "email": {"Olga@Example.com"}, "role": {"agent"}, "lang": {"ru"}, "password": {"password-123"}, "operator_id": {"1001"}}, wantStatus: 303},
		{name: "list escapes names", as: "admin", method: "GET", path: "/agents", wantStatus: 200,
			wantIn: []string{"Ольга &lt;b&gt;", "olga@example.com", "1001"}, wantNotIn: []string{"Ольга <b>"}},
		{name: "duplicate email is a field error", as: "admin", method: "POST", path: "/agents",
			form: url.Values{"name": {"Dup"}, "email": {"OLGA@example.com"}, "role": {"agent"}, "password": {"password-123"}}, wantStatus: 409,
			wantIn: []string{"An agent with this email already exists."}},
		{name: "duplicate operator id is a field error", as: "admin", method: "POST", path: "/agents",
			form: url.Values{"name": {"Dup"}, "email": {"dup@example.com"}, "role": {"agent"}, "password": {"password-123"}, "operator_id": {"1001"}}, wantStatus: 409,
			wantIn: []string{"Another agent already has this Operator ID."}},
	})

	olga, _, err := a.DB.AgentCredentials(t.Context(), "olga@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if olga.Lang != "ru" || olga.OperatorID == nil || *olga.OperatorID != 1001 {
		t.Fatalf("created agent = %+v", olga)
	}
	// Olga logs in; the UI speaks Russian to her.
	oc := a.Login(t, "olga@example.com", "password-123")
	if res := oc.Get(t, "/profile"); !strings.Contains(res.Body, "Ваш профиль") {
		t.Errorf("profile is not in Russian: %.300s", res.Body)
	}
	// Deactivating her ends her session at once and blocks new logins.
	path := "/agents/" + itoa(olga.ID)
	res := admin.PostForm(t, path, url.Values{"name": {"Ольга"}, "email": {"olga@example.com"}, "role": {"agent"}, "lang": {"ru"}, "operator_id": {""}})
	if res.StatusCode != 303 {
		t.Fatalf("deactivate: %d %.300s", res.StatusCode, res.Body)
	}
	if res := oc.Get(t, "/profile"); res.StatusCode != 303 {
		t.Errorf("deactivated agent's session still works: %d", res.StatusCode)
	}
	res = a.Anon(t).PostForm(t, "/login", url.Values{"email": {"olga@example.com"}, "password": {"password-123"}})
	if res.StatusCode != 401 || !strings.Contains(res.Body, "deactivated") {
		t.Errorf("deactivated login: %d %.300s", res.StatusCode, res.Body)
	}
	got, _ := a.DB.AgentByID(t.Context(), olga.ID)
	if got.Active || got.OperatorID != nil {
		t.Errorf("after edit: active=%v operator=%v, want inactive without operator id", got.Active, got.OperatorID)
	}
	// Reactivate and set a password: old sessions end, the new password works.
	admin.PostForm(t, path, url.Values{"name": {"Ольга"}, "email": {"olga@example.com"}, "role": {"agent"}, "active": {"on"}})
	if res := admin.PostForm(t, path+"/password", url.Values{"password": {"new-password-1"}}); res.StatusCode != 303 {
		t.Fatalf("set password: %d", res.StatusCode)
	}
	a.Login(t, "olga@example.com", "new-password-1")

	// The last admin cannot demote or deactivate themself.
	me, _, _ := a.DB.AgentCredentials(t.Context(), apptest.AdminEmail)
	res = admin.PostForm(t, "/agents/"+itoa(me.ID), url.Values{"name": {"Admin"}, "email": {apptest.AdminEmail}, "role": {"agent"}, "active": {"on"}})
	if res.StatusCode != 409 || !strings.Contains(res.Body, "last active administrator") {
		t.Errorf("demote last admin: %d %.300s", res.StatusCode, res.Body)
	}
}

func TestProfile(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	a.CreateAgent(t, ringdesk.AgentCreate{Email: "p@example.com", Name: "Pavel", Role: ringdesk.RoleAgent})
	c := a.Login(t, "p@example.com", "agent-password-1")
	other := a.Login(t, "p@example.com", "agent-password-1")

	// Edit own profile; the role cannot be smuggled in.
	res := c.PostForm(t, "/profile", url.Values{"name": {"Pavel P."}, "email": {"p@example.com"}, "lang": {"en"}, "role": {"admin"}})
	if res.StatusCode != 303 {
		t.Fatalf("profile save: %d %.300s", res.StatusCode, res.Body)
	}
	me, _, _ := a.DB.AgentCredentials(t.Context(), "p@example.com")
	if me.Name != "Pavel P." || me.Role != ringdesk.RoleAgent {
		t.Errorf("after profile save: %+v", me)
	}
	// Create a token: shown once, then only its name.
	res = c.PostForm(t, "/profile/tokens", url.Values{"name": {"CRM"}})
	if res.StatusCode != 201 || !strings.Contains(res.Body, "rdt_") || !strings.Contains(res.Body, "shown only once") {
		t.Fatalf("create token: %d %.300s", res.StatusCode, res.Body)
	}
	i := strings.Index(res.Body, "rdt_")
	secret := res.Body[i : i+4+52]
	if res := c.Get(t, "/profile"); strings.Contains(res.Body, secret) || !strings.Contains(res.Body, "CRM") {
		t.Errorf("profile shows the token secret again or lacks its name")
	}
	tc := a.Anon(t)
	tc.Token = secret
	if res := tc.Get(t, "/api/v1/me"); res.StatusCode != 200 {
		t.Fatalf("new token: %d %s", res.StatusCode, res.Body)
	}
	toks, _ := a.DB.ListAPITokens(t.Context(), me.ID)
	if len(toks) != 1 {
		t.Fatalf("tokens = %d", len(toks))
	}
	if res := c.PostForm(t, "/profile/tokens/"+itoa(toks[0].ID)+"/delete", url.Values{}); res.StatusCode != 303 {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if res := tc.Get(t, "/api/v1/me"); res.StatusCode != 401 {
		t.Errorf("revoked token: %d, want 401", res.StatusCode)
	}
	// Password change: wrong current password is a field error; success ends other sessions only.
	res = c.PostForm(t, "/profile/password", url.Values{"current_password": {"nope-nope"}, "password": {"brand-new-pass"}})
	if res.StatusCode != 400 || !strings.Contains(res.Body, "Current password is wrong.") {
		t.Errorf("wrong current password: %d", res.StatusCode)
	}
	res = c.PostForm(t, "/profile/password", url.Values{"current_password": {"agent-password-1"}, "password": {"brand-new-pass"}})
	if res.StatusCode != 303 {
		t.Fatalf("change password: %d %.300s", res.StatusCode, res.Body)
	}
	if res := c.Get(t, "/profile"); res.StatusCode != 200 {
		t.Errorf("own session ended by password change: %d", res.StatusCode)
	}
	if res := other.Get(t, "/profile"); res.StatusCode != 303 {
		t.Errorf("other session survived password change: %d", res.StatusCode)
	}
}

func TestAgentsAPI(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	admin, _, _ := a.DB.AgentCredentials(t.Context(), apptest.AdminEmail)
	c := a.TokenClient(t, admin)
	res := c.JSON(t, "POST", "/api/v1/agents", map[string]any{"name": "Ivan", "email": "ivan@example.com", "role": "agent", "password": "password-123", "operator_id": 501})
	if res.StatusCode != 201 {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	var ag struct {
		ID         int64  `json:"id"`
		OperatorID *int64 `json:"operator_id"`
		Email      string `json:"email"`
	}
	res.JSON(t, &ag)
	if ag.OperatorID == nil || *ag.OperatorID != 501 || strings.Contains(res.Body, "password") {
		t.Fatalf("created = %s", res.Body)
	}
	p := "/api/v1/agents/" + itoa(ag.ID)
	runScenarios(t, a, map[string]*apptest.Client{"admintoken": c}, []scenario{
		{name: "patch operator id", as: "admintoken", method: "PATCH", path: p, json: map[string]any{"operator_id": 777}, wantStatus: 200, wantIn: []string{`"operator_id":777`}},
		{name: "clear operator id", as: "admintoken", method: "PATCH", path: p, json: map[string]any{"operator_id": nil}, wantStatus: 200, wantIn: []string{`"operator_id":null`}},
		{name: "patch time zone", as: "admintoken", method: "PATCH", path: p, json: map[string]any{"time_zone": "Asia/Yekaterinburg"}, wantStatus: 200, wantIn: []string{`"time_zone":"Asia/Yekaterinburg"`}},
		{name: "bad time zone", as: "admintoken", method: "PATCH", path: p, json: map[string]any{"time_zone": "Mars/Olympus"}, wantStatus: 400, wantIn: []string{`"time_zone"`}},
		{name: "bad operator id type", as: "admintoken", method: "PATCH", path: p, json: `{"operator_id":"x"}`, wantStatus: 400, wantIn: []string{`"operator_id"`}},
		{name: "unknown field", as: "admintoken", method: "PATCH", path: p, json: `{"nickname":"x"}`, wantStatus: 400, wantIn: []string{"unknown field"}},
		{name: "malformed json", as: "admintoken", method: "POST", path: "/api/v1/agents", json: `{"name":`, wantStatus: 400, wantIn: []string{`"code":"invalid"`}},
		{name: "huge body", as: "admintoken", method: "POST", path: "/api/v1/agents", json: `{"name":"` + strings.Repeat("x", 1<<20+10) + `"}`, wantStatus: 413},
		{name: "validation errors", as: "admintoken", method: "POST", path: "/api/v1/agents", json: map[string]any{"email": "bad"}, wantStatus: 400,
			wantIn: []string{`"fields"`, `"email":"Email address is not valid."`, `"name":"Name is required."`}},
		{name: "missing agent", as: "admintoken", method: "PATCH", path: "/api/v1/agents/99999", json: map[string]any{"name": "x"}, wantStatus: 404},
		{name: "get agent", as: "admintoken", method: "GET", path: p, wantStatus: 200, wantIn: []string{`"email":"ivan@example.com"`}},
	})
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

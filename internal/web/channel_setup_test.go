package web_test

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

var (
	setupBodyRE = regexp.MustCompile(`(?s)<pre class="code" id="body-([a-z_]+)">(.*?)</pre>`)
	setupURLRE  = regexp.MustCompile(`<code id="url-([a-z_]+)">([^<]*)</code>`)
	setupNameRE = regexp.MustCompile(`<tr><th>Event type</th><td>([^<]*)</td></tr>`)
)

// TestChannelSetupEndToEnd copies the five notifications from the setup
// page into the UIS simulator through its control API, exactly as an
// administrator pastes them into UIS, and runs calls through them.
func TestChannelSetupEndToEnd(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	admin := a.Admin(t)
	path := "/channels/" + itoa(tel.Channel.ID) + "/setup"

	// Without a fresh token the bodies carry a marked placeholder.
	page := admin.Get(t, path)
	if page.StatusCode != 200 || tokenRE.MatchString(page.Body) || !strings.Contains(page.Body, desk.SetupTokenPlaceholder) ||
		strings.Count(page.Body, `<pre class="code"`) != 5 {
		t.Fatalf("setup page: %d %.1500s", page.StatusCode, page.Body)
	}

	if !strings.Contains(page.Body, `id="local-base-url"`) {
		t.Error("no warning that UIS cannot reach a 127.0.0.1 base URL")
	}
	// With a public base URL the page builds the URLs from it, without the warning.
	pub := apptest.New(t, func(c *app.Config, _ *app.Options) { c.BaseURL = "https://desk.example.com" })
	pubCh, err := pub.Desk.CreateChannel(t.Context(), ringdesk.System, ringdesk.ChannelCreate{Name: "UIS"})
	if err != nil {
		t.Fatal(err)
	}
	pp := pub.Admin(t).Get(t, "/channels/"+itoa(pubCh.ID)+"/setup")
	if strings.Contains(pp.Body, `id="local-base-url"`) || !strings.Contains(pp.Body, ">https://desk.example.com/telephony/uis/webhook/call_finished/<") {
		t.Errorf("public base URL page: %.2000s", pp.Body)
	}

	// Only the token created for setup will work.
	toks, _ := a.DB.ListChannelTokens(t.Context(), tel.Channel.ID)
	for _, tk := range toks {
		if err := a.Desk.RevokeChannelToken(t.Context(), ringdesk.System, tel.Channel.ID, tk.ID); err != nil {
			t.Fatal(err)
		}
	}
	page = admin.PostForm(t, path, nil)
	if page.StatusCode != 201 {
		t.Fatalf("create setup token: %d %.500s", page.StatusCode, page.Body)
	}
	tok := tokenRE.FindString(page.Body)
	if tok == "" || strings.Contains(page.Body, desk.SetupTokenPlaceholder+`"`) {
		t.Fatalf("token not filled in: %.1500s", page.Body)
	}
	bodies := setupBodyRE.FindAllStringSubmatch(page.Body, -1)
	urls := setupURLRE.FindAllStringSubmatch(page.Body, -1)
	names := setupNameRE.FindAllStringSubmatch(page.Body, -1)
	if len(bodies) != 5 || len(urls) != 5 || len(names) != 5 {
		t.Fatalf("want 5 bodies, urls and names; got %d %d %d", len(bodies), len(urls), len(names))
	}
	wantNames := []string{"Входящий звонок на виртуальный номер", "Исходящий звонок", "Начало разговора", "Завершение звонка", "Записанный разговор"}
	type notification struct {
		Name   string `json:"name"`
		Event  string `json:"event"`
		URL    string `json:"url"`
		Method string `json:"method"`
		Body   string `json:"body"`
	}
	var ns []notification
	for i := range bodies {
		kind, body := bodies[i][1], html.UnescapeString(bodies[i][2])
		if names[i][1] != wantNames[i] {
			t.Errorf("event type %d = %q, want %q", i, names[i][1], wantNames[i])
		}
		wantURL := a.Config.BaseURL + "/telephony/uis/webhook/" + kind + "/"
		if got := html.UnescapeString(urls[i][2]); got != wantURL {
			t.Errorf("URL = %q, want %q", got, wantURL)
		}
		if !strings.Contains(body, `"ud_channel_token":"`+tok+`"`) {
			t.Errorf("%s body lacks the token: %.200s", kind, body)
		}
		// The body is the seed's, verbatim, apart from the token (the
		// recording-ready one is written the same way).
		want := uissim.SeedTemplates(tok)[uissim.EventType(kind)]
		if kind == string(uissim.EventRecordingReady) {
			want = uissim.RecordingReadyTemplate(tok)
		}
		if strings.TrimSpace(body) != strings.TrimSpace(want) {
			t.Errorf("%s body differs from the seed:\n%s\nwant\n%s", kind, body, want)
		}
		// The base URL of a test app is its listen address with port 0;
		// the simulator posts to where the app really listens.
		ns = append(ns, notification{Name: "Ringdesk " + kind, Event: names[i][1], Method: "POST", Body: body,
			URL: a.URL + strings.TrimPrefix(html.UnescapeString(urls[i][2]), a.Config.BaseURL)})
	}
	raw, _ := json.Marshal(ns)
	req, _ := http.NewRequest("PUT", tel.SimURL+"/sim/v1/notifications", bytes.NewReader(raw))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("PUT /sim/v1/notifications: %d", res.StatusCode)
	}

	in := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79261234567", EmployeeIDs: []int64{323402}})
	if in.State != "finished" || in.TicketID == 0 || in.AgentID == nil || *in.AgentID != tel.Agents[323402].ID || in.TalkSeconds == 0 {
		t.Fatalf("incoming call through the setup bodies = %+v", in)
	}
	out := tel.Call(t, uissim.CallSpec{Kind: uissim.KindOutgoing, ContactNumber: "79031112233", EmployeeIDs: []int64{323401}})
	if out.Direction != "out" || out.State != "finished" || out.AgentID == nil || *out.AgentID != tel.Agents[323401].ID {
		t.Fatalf("outgoing call through the setup bodies = %+v", out)
	}
	ready := 0
	for _, d := range tel.Sim.Deliveries(in.CallSessionID) {
		if d.StatusCode != 200 {
			t.Errorf("delivery %+v was not accepted", d)
		}
		if d.Event == uissim.EventRecordingReady {
			ready++
		}
	}
	if ready == 0 || len(in.Recordings) == 0 {
		t.Errorf("recording ready: %d deliveries, recordings %v", ready, in.Recordings)
	}
	// The setup token is listed with its label and has been used.
	toks, _ = a.DB.ListChannelTokens(t.Context(), tel.Channel.ID)
	if toks[0].RevokedAt != nil || !strings.HasPrefix(toks[0].Label, "UIS setup ") || toks[0].LastUsedAt == nil {
		t.Errorf("setup token = %+v", toks[0])
	}
}

package uissim

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSeedTemplatesVerbatim(t *testing.T) {
	t.Parallel()
	// The seed lives in shared/ beside the repository; skip when it is not there.
	path := filepath.Join("..", "..", "..", "..", "shared", "seed", "000_8539f605a667f6cb.txt")
	if _, err := os.Stat(path); err != nil {
		path = "/work/shared/seed/000_8539f605a667f6cb.txt"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("seed not available: %v", err)
	}
	seed := string(b)
	for ev, body := range SeedTemplates(SeedTokenPlaceholder) {
		if !strings.Contains(seed, body) {
			t.Errorf("%s template is not verbatim in the seed", ev)
		}
	}
}

func TestSeedTemplatesVariables(t *testing.T) {
	t.Parallel()
	want := map[EventType]int{EventIncomingCallStarted: 25, EventOutgoingCallStarted: 28, EventConversationStarted: 32, EventCallFinished: 64}
	for ev, body := range SeedTemplates("t") {
		if got := len(TemplateVariables(body)); got != want[ev] {
			t.Errorf("%s names %d variables, want %d", ev, got, want[ev])
		}
	}
}

func TestRenderJSONEscaping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		val  any
		want string
	}{
		{"plain string", "Иванов", `"Иванов"`},
		{"quotes", `say "hi"`, `"say \"hi\""`},
		{"backslash", `C:\calls`, `"C:\\calls"`},
		{"newline and tab", "a\nb\tc", `"a\nb\tc"`},
		{"html kept", "<b>&", `"<b>&"`},
		{"control char", "a\x01", `"a\u0001"`},
		{"emoji", "☎️", `"☎️"`},
		{"number", int64(5604973206), `5604973206`},
		{"bool", true, `true`},
		{"empty string", "", `null`},
		{"nil", nil, `null`},
		{"int list", []int64{1, 2}, `[1,2]`},
		{"string list", []string{"a\"b", "в"}, `["a\"b","в"]`},
		{"empty list", []int64{}, `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RenderJSON(`{"x":{{x}}}`, map[string]any{"x": tt.val})
			if want := `{"x":` + tt.want + `}`; got != want {
				t.Errorf("got %s, want %s", got, want)
			}
			if !json.Valid([]byte(got)) {
				t.Errorf("%s is not valid JSON", got)
			}
		})
	}
	if got := RenderJSON(`{"a":{{ unknown }}}`, nil); got != `{"a":null}` {
		t.Errorf("unknown variable rendered %s, want null", got)
	}
}

func TestRenderQuery(t *testing.T) {
	t.Parallel()
	got := RenderQuery("http://h/cb?id={{call_session_id}}&name={{contact_full_name}}&lost={{is_lost}}&links={{record_file_links}}&ext={{external_id}}",
		map[string]any{"call_session_id": int64(42), "contact_full_name": "Пётр & Co", "is_lost": false, "record_file_links": []string{"http://a/1/", "http://a/2/"}})
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	want := map[string]string{"id": "42", "name": "Пётр & Co", "lost": "false", "links": "http://a/1/,http://a/2/", "ext": ""}
	for k, w := range want {
		if q.Get(k) != w {
			t.Errorf("%s = %q, want %q", k, q.Get(k), w)
		}
	}
}

func TestSeedNotifications(t *testing.T) {
	t.Parallel()
	ns := SeedNotifications("https://desk.example/", `to"ken`)
	if len(ns) != 4 {
		t.Fatalf("got %d notifications, want 4", len(ns))
	}
	for _, n := range ns {
		if want := "https://desk.example/telephony/uis/webhook/" + string(n.Event) + "/"; n.URL != want || n.Method != "POST" {
			t.Errorf("%s: %s %s, want POST %s", n.Event, n.Method, n.URL, want)
		}
		if n.Name != n.Event.LKName() || n.Name == "" {
			t.Errorf("name = %q, want the LK name", n.Name)
		}
		body := RenderJSON(n.Body, map[string]any{})
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%s renders invalid JSON: %v", n.Event, err)
		}
		if m["ud_channel_token"] != `to"ken` {
			t.Errorf("token = %v", m["ud_channel_token"])
		}
	}
	for _, name := range []string{"Входящий звонок на виртуальный номер", "Исходящий звонок", "Начало разговора", "Завершение звонка"} {
		if _, ok := ParseEventType(name); !ok {
			t.Errorf("LK name %q not accepted", name)
		}
	}
}

// TestGETAndPOSTRendering delivers a GET notification with variables in the query string, and
// checks escaping of an awkward contact name in both modes.
func TestGETAndPOSTRendering(t *testing.T) {
	t.Parallel()
	rv := newReceiver(t)
	sim, _ := newSim(t, nil)
	err := sim.SetNotifications([]Notification{
		{Name: "get-fin", Event: EventCallFinished, Method: "GET", URL: rv.srv.URL + "/get?id={{call_session_id}}&name={{contact_full_name}}&lost={{is_lost}}&n={{notification_name}}"},
		{Name: "post-in", Event: EventIncomingCallStarted, URL: rv.srv.URL + "/post", Body: `{"name":{{contact_full_name}},"id":{{call_session_id}},"n":{{notification_name}}}`},
	})
	if err != nil {
		t.Fatal(err)
	}
	name := "О'Нил \"Джон\" \\ \n<юр.лицо>"
	id, err := sim.StartCall(context.Background(), CallSpec{Kind: KindIncomingMissed, ContactNumber: "79261112233", ContactName: name})
	if err != nil {
		t.Fatal(err)
	}
	waitIdle(t, sim)
	got := rv.all()
	if len(got) != 2 {
		t.Fatalf("got %d requests, want 2", len(got))
	}
	var post map[string]any
	if err := json.Unmarshal([]byte(got[0].Body), &post); err != nil {
		t.Fatalf("POST body invalid: %v: %s", err, got[0].Body)
	}
	if want := map[string]any{"name": name, "id": float64(id), "n": "post-in"}; !reflect.DeepEqual(post, want) {
		t.Errorf("POST body = %v, want %v", post, want)
	}
	if got[1].Method != "GET" || got[1].Path != "/get" {
		t.Fatalf("second request %s %s, want GET /get", got[1].Method, got[1].Path)
	}
	q, _ := url.ParseQuery(got[1].RawQuery)
	if q.Get("name") != name || q.Get("lost") != "true" || q.Get("n") != "get-fin" || q.Get("id") == "" {
		t.Errorf("GET query = %v", q)
	}
}

func TestNotificationValidation(t *testing.T) {
	t.Parallel()
	sim, _ := newSim(t, nil)
	bad := []Notification{
		{Event: "ringing", URL: "http://127.0.0.1/x"},
		{Event: EventCallFinished, URL: "ftp://x/"},
		{Event: EventCallFinished, URL: "http://127.0.0.1/x", Method: "PUT"},
	}
	for _, n := range bad {
		if err := sim.SetNotifications([]Notification{n}); err == nil {
			t.Errorf("SetNotifications(%+v) = nil, want error", n)
		}
	}
}

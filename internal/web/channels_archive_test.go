package web_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestChannelsAPIArchiveRecordings: archive_recordings set through the API
// makes the archive job copy a finished call's recording into the archive
// (the data directory on SQLite, the database on PostgreSQL); unset, new
// calls are left alone.
func TestChannelsAPIArchiveRecordings(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, fastArchive)
	tel := apptest.NewTelephony(t, a)
	me, _, err := a.DB.AgentCredentials(t.Context(), apptest.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	api := a.TokenClient(t, me)
	path := "/api/v1/channels/" + itoa(tel.Channel.ID)

	if res := api.Get(t, path); res.StatusCode != 200 || !strings.Contains(res.Body, `"archive_recordings":false`) {
		t.Fatalf("before: %d %s", res.StatusCode, res.Body)
	}
	res := api.JSON(t, "PATCH", path, map[string]any{"archive_recordings": true})
	var ch channelOut
	res.JSON(t, &ch)
	if res.StatusCode != 200 || !ch.ArchiveRecordings || ch.TimeZone != "Europe/Moscow" || len(ch.RecordingHosts) != 1 || !ch.AppSecretSet {
		t.Fatalf("patch: %d %s", res.StatusCode, res.Body)
	}
	if strings.Contains(res.Body, uissim.DefaultAPIKey) {
		t.Fatal("the App Secret was echoed back")
	}

	c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770201", EmployeeIDs: []int64{ivanov}, TalkSeconds: 4})
	waitArchive(t, a, c.ID, func(s string, _ int) bool { return s == "done" })
	files, err := filepath.Glob(filepath.Join(a.Config.DataDir, "recordings", itoa(c.ID)+"-1.*"))
	if a.Archive.InDB() {
		// PostgreSQL: the shared archive in the database, no file.
		if size, ok, err := a.DB.RecordingBlobSize(t.Context(), c.ID, 1); err != nil || !ok || size == 0 || len(files) != 0 {
			t.Fatalf("archived in the database: %d bytes, %v, %v; files %v", size, ok, err, files)
		}
	} else {
		if err != nil || len(files) != 1 {
			t.Fatalf("archived files: %v %v", files, err)
		}
		if fi, err := os.Stat(files[0]); err != nil || fi.Size() == 0 {
			t.Fatalf("archived file: %v %v", fi, err)
		}
	}

	// Switched off, a new call's recording is not queued.
	if res := api.JSON(t, "PATCH", path, map[string]any{"archive_recordings": false}); res.StatusCode != 200 || !strings.Contains(res.Body, `"archive_recordings":false`) {
		t.Fatalf("patch off: %d %s", res.StatusCode, res.Body)
	}
	c2 := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79037770202", EmployeeIDs: []int64{ivanov}, TalkSeconds: 4})
	time.Sleep(300 * time.Millisecond) // many archive passes at 20 ms
	if state, _, err := a.DB.RecordingArchiveState(t.Context(), c2.ID, 1); err != nil || state != "" {
		t.Fatalf("call on a channel without archiving: state %q, %v", state, err)
	}

	// POST takes it too.
	res = api.JSON(t, "POST", "/api/v1/channels", map[string]any{"name": "Archived", "archive_recordings": true})
	res.JSON(t, &ch)
	if res.StatusCode != 201 || !ch.ArchiveRecordings {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	if got, err := a.DB.ChannelByID(t.Context(), ch.ID); err != nil || !got.UIS.ArchiveRecordings {
		t.Fatalf("stored: %+v %v", got, err)
	}
}

// TestChannelsAPIRemoveAppSecret: absent or null keeps the App Secret, ""
// removes it, and no answer ever contains it.
func TestChannelsAPIRemoveAppSecret(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	me, _, err := a.DB.AgentCredentials(t.Context(), apptest.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	api := a.TokenClient(t, me)
	const secret = "uis-secret-remove-me-42"
	var bodies []string
	res := api.JSON(t, "POST", "/api/v1/channels", map[string]any{"name": "UIS", "app_secret": secret})
	bodies = append(bodies, res.Body)
	var ch channelOut
	res.JSON(t, &ch)
	if res.StatusCode != 201 || !ch.AppSecretSet {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	path := "/api/v1/channels/" + itoa(ch.ID)

	for _, body := range []string{`{"name":"UIS 2"}`, `{"app_secret":null}`} {
		res := api.Do(t, "PATCH", path, strings.NewReader(body), map[string][]string{"Content-Type": {"application/json"}})
		bodies = append(bodies, res.Body)
		if res.StatusCode != 200 || !strings.Contains(res.Body, `"app_secret_set":true`) {
			t.Fatalf("PATCH %s: %d %s", body, res.StatusCode, res.Body)
		}
		if got, _ := a.Desk.AppSecret(t.Context(), ch.ID); got != secret {
			t.Fatalf("PATCH %s changed the secret to %q", body, got)
		}
	}

	res = api.JSON(t, "PATCH", path, map[string]any{"app_secret": ""})
	bodies = append(bodies, res.Body)
	if res.StatusCode != 200 || !strings.Contains(res.Body, `"app_secret_set":false`) {
		t.Fatalf("remove: %d %s", res.StatusCode, res.Body)
	}
	if got, err := a.DB.ChannelByID(t.Context(), ch.ID); err != nil || got.HasSecret {
		t.Fatalf("after remove: %+v %v", got, err)
	}
	if got, _ := a.Desk.AppSecret(t.Context(), ch.ID); got != "" {
		t.Fatalf("after remove the secret opens to %q", got)
	}
	bodies = append(bodies, api.Get(t, path).Body, api.Get(t, "/api/v1/channels").Body)
	for _, b := range bodies {
		if strings.Contains(b, secret) || strings.Contains(b, `"app_secret":`) {
			t.Fatalf("an answer shows the App Secret: %s", b)
		}
	}
}

// TestChannelFormArchiveAndRemoveSecret: the form sets archive_recordings,
// shows it, and removes the App Secret only when asked to.
func TestChannelFormArchiveAndRemoveSecret(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	admin := a.Admin(t)
	const secret = "uis-form-secret-0987654321"
	form := url.Values{"name": {"UIS"}, "app_secret": {secret}, "call_api_url": {ringdesk.DefaultCallAPIURL},
		"data_api_url": {ringdesk.DefaultDataAPIURL}, "timezone": {"Europe/Moscow"}, "recording_hosts": {"app.uiscom.ru"},
		"ticket_policy": {"new"}, "archive_recordings": {"on"}}
	if page := admin.Get(t, "/channels/new"); !strings.Contains(page.Body, `name="archive_recordings"`) ||
		strings.Contains(page.Body, `name="archive_recordings" checked`) || !strings.Contains(page.Body, "kept after UIS deletes them") {
		t.Fatalf("new form: %.3000s", page.Body)
	}
	res := admin.PostForm(t, "/channels", form)
	if res.StatusCode != 303 {
		t.Fatalf("create: %d %.600s", res.StatusCode, res.Body)
	}
	path := strings.TrimSuffix(res.Header.Get("Location"), "?flash=channel-created")
	chs, err := a.DB.ListChannels(t.Context())
	if err != nil || len(chs) != 1 || !chs[0].UIS.ArchiveRecordings || !chs[0].HasSecret {
		t.Fatalf("created: %+v %v", chs, err)
	}
	id := chs[0].ID
	page := admin.Get(t, path)
	if !strings.Contains(page.Body, `name="archive_recordings" checked`) || !strings.Contains(page.Body, "Recordings archived") ||
		!strings.Contains(page.Body, `name="clear_app_secret"`) || strings.Contains(page.Body, secret) {
		t.Fatalf("edit page: %.3000s", page.Body)
	}
	if list := admin.Get(t, "/channels"); !strings.Contains(list.Body, "Recordings archived") {
		t.Fatal("the list does not show that recordings are archived")
	}

	// Saving with the box unticked turns archiving off; the secret stays.
	form.Del("archive_recordings")
	form.Set("app_secret", "")
	form.Set("active", "on")
	if res := admin.PostForm(t, path, form); res.StatusCode != 303 {
		t.Fatalf("update: %d %.600s", res.StatusCode, res.Body)
	}
	if ch, _ := a.DB.ChannelByID(t.Context(), id); ch.UIS.ArchiveRecordings || !ch.HasSecret {
		t.Fatalf("after unticking: %+v", ch)
	}
	if page := admin.Get(t, path); !strings.Contains(page.Body, "Recordings not archived") {
		t.Fatal("the page does not say recordings are not archived")
	}

	// Remove together with a new secret is refused, and neither is echoed.
	form.Set("clear_app_secret", "on")
	form.Set("app_secret", "another-secret-123")
	res = admin.PostForm(t, path, form)
	if res.StatusCode != 400 || !strings.Contains(res.Body, "Either type a new App Secret or tick Remove") ||
		strings.Contains(res.Body, "another-secret-123") || strings.Contains(res.Body, secret) {
		t.Fatalf("remove and replace: %d %.600s", res.StatusCode, res.Body)
	}
	if got, _ := a.Desk.AppSecret(t.Context(), id); got != secret {
		t.Fatalf("a refused save changed the secret to %q", got)
	}

	// Remove alone clears it.
	form.Set("app_secret", "")
	if res := admin.PostForm(t, path, form); res.StatusCode != 303 {
		t.Fatalf("remove: %d %.600s", res.StatusCode, res.Body)
	}
	if ch, _ := a.DB.ChannelByID(t.Context(), id); ch.HasSecret {
		t.Fatal("the App Secret was not removed")
	}
	page = admin.Get(t, path)
	if strings.Contains(page.Body, `name="clear_app_secret"`) || !strings.Contains(page.Body, "not set") {
		t.Fatalf("after removal: %.3000s", page.Body)
	}
}

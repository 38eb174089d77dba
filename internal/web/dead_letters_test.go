package web_test

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

func TestDeadLetters(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	admin := a.Admin(t)
	agent := a.Login(t, tel.Agents[323401].Email, "agent-password-1")

	// A body with a valid token but no call_session_id is refused and kept;
	// it carries markup that must be shown escaped.
	bad := strings.Replace(seedBody(tel.Token, uissim.EventIncomingCallStarted, "null"), `"contact_full_name":null`, `"contact_full_name":"<script>alert(1)</script>"`, 1)
	if st := postWebhook(t, a, uissim.EventIncomingCallStarted, bad); st != 400 {
		t.Fatalf("bad body: %d, want 400", st)
	}
	// A valid body kept as a dead letter (as if the parser had refused it
	// before a fix): replaying it creates the call.
	good := seedBody(tel.Token, uissim.EventIncomingCallStarted, "880001")
	good = strings.Replace(good, `"contact_phone_number":null`, `"contact_phone_number":"79261234567"`, 1)
	if err := a.DB.AddDeadLetter(t.Context(), tel.Channel.ID, "incoming_call_started", []byte(good), ringdesk.DeadLetterReason{Text: "parser bug"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	list, _, err := a.DB.ListDeadLetters(t.Context(), "", 10)
	if err != nil || len(list) != 2 {
		t.Fatalf("dead letters = %v, %v", list, err)
	}
	goodID, badID := list[0].ID, list[1].ID
	if list[0].Error != "parser bug" || !strings.Contains(list[1].Error, "call_session_id") {
		t.Fatalf("reasons: %q, %q", list[0].Error, list[1].Error)
	}

	if res := agent.Get(t, "/channels/dead-letters"); res.StatusCode != 403 {
		t.Fatalf("agent sees dead letters: %d", res.StatusCode)
	}
	page := admin.Get(t, "/channels/dead-letters")
	if page.StatusCode != 200 || strings.Contains(page.Body, "<script>alert(1)") || !strings.Contains(page.Body, "&lt;script&gt;alert(1)") ||
		!strings.Contains(page.Body, "incoming_call_started") || !strings.Contains(page.Body, "call_session_id") || strings.Count(page.Body, "/replay\"") != 2 {
		t.Fatalf("dead letter page: %d %.3000s", page.StatusCode, page.Body)
	}
	// The valid body kept by "an older version" reads now: the page says to replay it.
	if !strings.Contains(page.Body, "Ringdesk reads this body now; an earlier version kept it for the reason below. Replay it.") ||
		!strings.Contains(page.Body, "The notification has no call_session_id") {
		t.Errorf("dead letter reasons: %.3000s", page.Body)
	}
	if list := admin.Get(t, "/channels"); !strings.Contains(list.Body, `<span class="pill missed">2</span>`) {
		t.Errorf("channels page does not count the dead letters")
	}

	// The bad one still fails, and says why.
	res := admin.PostForm(t, "/channels/dead-letters/"+itoa(badID)+"/replay", nil)
	if res.StatusCode != 400 || !strings.Contains(res.Body, "still cannot be understood") || !strings.Contains(res.Body, "call_session_id") {
		t.Fatalf("replay bad: %d %.1500s", res.StatusCode, res.Body)
	}
	dl, _ := a.DB.DeadLetterByID(t.Context(), badID)
	if dl.ReplayedAt != nil || !strings.Contains(dl.ReplayError, "call_session_id") {
		t.Fatalf("bad after replay = %+v", dl)
	}

	// The good one creates the call and its ticket, and is marked replayed.
	res = admin.PostForm(t, "/channels/dead-letters/"+itoa(goodID)+"/replay", nil)
	if res.StatusCode != 303 {
		t.Fatalf("replay good: %d %.1500s", res.StatusCode, res.Body)
	}
	call, err := a.DB.CallBySession(t.Context(), tel.Channel.ID, 880001)
	if err != nil || call.TicketID == 0 || call.ContactPhone != "+79261234567" || call.Direction != ringdesk.DirectionIn {
		t.Fatalf("replayed call = %+v, %v", call, err)
	}
	dl, _ = a.DB.DeadLetterByID(t.Context(), goodID)
	if dl.ReplayedAt == nil || dl.ReplayError != "" {
		t.Fatalf("good after replay = %+v", dl)
	}
	// Replaying twice is refused; the page shows it replayed without a button.
	if res := admin.PostForm(t, "/channels/dead-letters/"+itoa(goodID)+"/replay", nil); res.StatusCode != 409 {
		t.Fatalf("second replay: %d", res.StatusCode)
	}
	page = admin.Get(t, "/channels/dead-letters?flash=replayed")
	if !strings.Contains(page.Body, "replayed") || strings.Count(page.Body, "/replay\"") != 1 || !strings.Contains(page.Body, "The notification was replayed") {
		t.Fatalf("page after replay: %.3000s", page.Body)
	}
	// The event then arrives from UIS as usual: a duplicate of nothing new.
	if st := postWebhook(t, a, uissim.EventIncomingCallStarted, good); st != 200 {
		t.Fatalf("same event from UIS after replay: %d", st)
	}
	if n := countRows(t, a, "calls"); n != 1 {
		t.Fatalf("calls = %d, want 1", n)
	}
	if res := admin.PostForm(t, "/channels/dead-letters/999999/replay", nil); res.StatusCode != 404 {
		t.Fatalf("unknown dead letter: %d", res.StatusCode)
	}
}

// TestDeadLettersPaged: the list shows 50 per page, newest first, with a
// link to older ones; a replay returns to the page its button was on.
func TestDeadLettersPaged(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	admin := a.Admin(t)
	t0 := time.Now().Add(-time.Hour)
	for i := range 120 {
		body := seedBody(tel.Token, uissim.EventIncomingCallStarted, itoa(int64(770000+i)))
		body = strings.Replace(body, `"contact_phone_number":null`, `"contact_phone_number":"7926123`+fmt.Sprintf("%04d", i)+`"`, 1)
		if err := a.DB.AddDeadLetter(t.Context(), tel.Channel.ID, "incoming_call_started", []byte(body), ringdesk.DeadLetterReason{Text: "letter " + itoa(int64(i))}, t0.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	rowRE := regexp.MustCompile(`<tr id="dl-(\d+)"`)
	olderRE := regexp.MustCompile(`href="(/channels/dead-letters\?cursor=[^"]+)" rel="next"`)
	var ids []string
	var pages []string // the URL of each page
	next := "/channels/dead-letters"
	for next != "" {
		pages = append(pages, next)
		page := admin.Get(t, strings.ReplaceAll(next, "&amp;", "&"))
		if page.StatusCode != 200 {
			t.Fatalf("%s: %d", next, page.StatusCode)
		}
		rows := rowRE.FindAllStringSubmatch(page.Body, -1)
		if want := min(50, 120-len(ids)); len(rows) != want {
			t.Fatalf("%s: %d rows, want %d", next, len(rows), want)
		}
		if len(ids) == 0 && !strings.Contains(page.Body, "letter 119<") {
			t.Fatal("the first page does not start with the newest letter")
		}
		if (len(ids) > 0) != strings.Contains(page.Body, `href="/channels/dead-letters">Newest dead letters`) {
			t.Fatalf("%s: link to the newest letters wrong", next)
		}
		for _, r := range rows {
			ids = append(ids, r[1])
		}
		next = ""
		if m := olderRE.FindStringSubmatch(page.Body); m != nil {
			next = m[1]
		}
	}
	if len(pages) != 3 || len(ids) != 120 {
		t.Fatalf("%d pages, %d rows", len(pages), len(ids))
	}
	if !strings.Contains(admin.Get(t, strings.ReplaceAll(pages[2], "&amp;", "&")).Body, "letter 0<") {
		t.Fatal("the last page does not end with the oldest letter")
	}

	// Replaying from the second page comes back to it.
	cursor := strings.TrimPrefix(strings.ReplaceAll(pages[1], "&amp;", "&"), "/channels/dead-letters?cursor=")
	cursor, _ = url.QueryUnescape(cursor)
	res := admin.PostForm(t, "/channels/dead-letters/"+ids[60]+"/replay", url.Values{"cursor": {cursor}})
	if res.StatusCode != 303 || !strings.Contains(res.Header.Get("Location"), "cursor="+url.QueryEscape(cursor)) ||
		!strings.HasSuffix(res.Header.Get("Location"), "#dl-"+ids[60]) {
		t.Fatalf("replay from page 2: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := admin.Get(t, "/channels/dead-letters?cursor=nonsense"); res.StatusCode != 400 {
		t.Fatalf("bad cursor: %d", res.StatusCode)
	}
}

// TestDeadLettersMaskedAndCounted: a malformed body sent again and again is
// one dead letter with a count and both times; its bytes (NUL, cp1251) are
// stored exactly on either database and shown escaped, and the channel token
// in it is masked on the page as on the call page.
func TestDeadLettersMaskedAndCounted(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	admin := a.Admin(t)
	body := `{"ud_channel_token":"` + tel.Token + `","call_session_id":12,"contact_full_name":"Ив` + "\x00" + `ан ` + "\xcf\xf0\xe8" + `", "ud_channel_token":"` + tel.Token + `"`
	for i := range 3 {
		if st := postWebhook(t, a, uissim.EventCallFinished, body); st != 400 {
			t.Fatalf("copy %d: status %d, want 400", i, st)
		}
	}
	list, _, err := a.DB.ListDeadLetters(t.Context(), "", 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("dead letters = %d, %v; want one for three copies", len(list), err)
	}
	if d := list[0]; string(d.Raw) != body || d.Count != 3 || d.LastReceivedAt.Before(d.ReceivedAt) {
		t.Fatalf("dead letter = %q count %d first %v last %v", d.Raw, d.Count, d.ReceivedAt, d.LastReceivedAt)
	}
	page := admin.Get(t, "/channels/dead-letters")
	if page.StatusCode != 200 {
		t.Fatalf("dead letters page: %d", page.StatusCode)
	}
	if strings.Contains(page.Body, tel.Token) || strings.Contains(page.Body, tel.Token[4:20]) {
		t.Fatal("the dead-letter page shows the channel token")
	}
	for _, want := range []string{
		`&#34;ud_channel_token&#34;:&#34;••••••&#34;`, // both copies of the key masked
		`Ив\u0000ан`,            // NUL shown, not dropped
		"ан \uFFFD\uFFFD\uFFFD", // cp1251 bytes as U+FFFD
		`<td class="num" data-label="Times received">3</td>`,
		"first received",
	} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("dead-letter page lacks %q", want)
		}
	}
	if n := strings.Count(page.Body, "••••••"); n != 2 {
		t.Errorf("%d masked tokens on the page, want 2", n)
	}
}

// TestDeadLetterReasonsInWords: the dead letters page says what was wrong
// with each body and what to do, in the reader's language, from the
// problem the parser recorded (or, for a dead letter kept before it was
// recorded, found by parsing the body again); the parser's own words are
// one click away in a <details>.
func TestDeadLetterReasonsInWords(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	admin := a.Admin(t)
	ru := a.CreateAgent(t, ringdesk.AgentCreate{Email: "ru-admin@example.com", Role: ringdesk.RoleAdmin, Lang: "ru"})
	ruAdmin := a.Login(t, ru.Email, "agent-password-1")
	tok := `{"ud_channel_token":"` + tel.Token + `"`
	cases := []struct {
		body, raw, en, ru string
	}{
		{tok + `,"call_session_id":{{call_session_id}}}`, "body: invalid JSON: invalid character",
			"The body is not valid JSON: usually a quote or a comma is missing", "Тело — некорректный JSON"},
		{tok + `,"call_session_id":"abc"}`, "call_session_id: cannot parse",
			"The field call_session_id holds a value Ringdesk cannot read", "В поле call_session_id значение, которое Ringdesk не может прочитать"},
		{tok + `}`, "call_session_id: missing",
			"The notification has no call_session_id (or it is empty)", "В уведомлении нет поля call_session_id"},
		{tok + `,"call_session_id":-5}`, "call_session_id: must be positive, got -5",
			"The field call_session_id is not a positive number.", "Поле call_session_id — не положительное число."},
		{tok + `,"call_session_id":5,"ud_channel_token":"rdc_other"}`, "ud_channel_token: appears more than once",
			"The field ud_channel_token appears in the body more than once", "Поле ud_channel_token встречается в теле несколько раз"},
	}
	for _, c := range cases {
		if st := postWebhook(t, a, uissim.EventCallFinished, c.body); st != 400 {
			t.Fatalf("%s: status %d, want 400", c.body, st)
		}
	}
	// Kept by a Ringdesk that did not record the problem: parsed again.
	if err := a.DB.AddDeadLetter(t.Context(), tel.Channel.ID, "call_finished", []byte(`[1]`),
		ringdesk.DeadLetterReason{Text: "body: not a JSON object (old words)"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	cases = append(cases, struct{ body, raw, en, ru string }{"", "body: not a JSON object (old words)",
		"The body is not a JSON object: it must start with { and end with }.", "Тело — не объект JSON"})

	en, rus := admin.Get(t, "/channels/dead-letters").Body, ruAdmin.Get(t, "/channels/dead-letters").Body
	for _, c := range cases {
		if !strings.Contains(en, c.en) {
			t.Errorf("the page does not say %q", c.en)
		}
		if !strings.Contains(rus, c.ru) {
			t.Errorf("the Russian page does not say %q", c.ru)
		}
		if !strings.Contains(html.UnescapeString(en), "<summary>Technical details</summary><code>"+c.raw) ||
			!strings.Contains(html.UnescapeString(rus), "<summary>Технические подробности</summary><code>"+c.raw) {
			t.Errorf("the parser's words %q are not one click away", c.raw)
		}
	}
	// Go's own words show only inside the details.
	if n, hidden := strings.Count(en, "invalid character"), strings.Count(en, "<code>body: invalid JSON: invalid character"); n != hidden {
		t.Errorf("the JSON decoder's words show %d times, %d of them in details", n, hidden)
	}

	// A replay that fails for the same reason adds no second explanation;
	// the alert points at the row.
	list, _, err := a.DB.ListDeadLetters(t.Context(), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	var missing int64
	for _, d := range list {
		if d.Problem == ringdesk.ProblemMissing {
			missing = d.ID
		}
	}
	res := admin.PostForm(t, "/channels/dead-letters/"+itoa(missing)+"/replay", nil)
	if res.StatusCode != 400 || !strings.Contains(res.Body, "The notification still cannot be understood; its row below says why.") ||
		strings.Count(res.Body, "The notification has no call_session_id") != 1 || !strings.Contains(res.Body, "replay failed") {
		t.Errorf("failed replay: %d %.3000s", res.StatusCode, res.Body)
	}
	if dl, _ := a.DB.DeadLetterByID(t.Context(), missing); dl.ReplayProblem != ringdesk.ProblemMissing || dl.ReplayField != "call_session_id" {
		t.Errorf("replay reason = %q in %q", dl.ReplayProblem, dl.ReplayField)
	}
}

package web_test

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestWebhookHostileBytes sends what a careless PBX or an attacker might
// through real HTTP (on SQLite, and on PostgreSQL in CI) and checks the
// answer, what was stored and what the pages show. None of these may cost
// the call: the webhook answers 200, the call and its ticket are stored,
// text is made safe (U+FFFD for invalid UTF-8, NUL removed, lengths capped)
// and every repair is a warning an administrator sees on the call page.
func TestWebhookHostileBytes(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	admin := a.Admin(t)
	ctx := context.Background()
	huge := strings.Repeat("Я", 450_000) // 900 KB of name
	cases := []struct {
		name    string
		members string // JSON members after the token and session
		raw     []byte // instead of members: the bytes after the session, as sent
		check   func(t *testing.T, c *ringdesk.Call)
		warns   []string // field/problem
		page    string   // text the ticket list shows (HTML-escaped)
	}{
		{name: "cp1251 name (invalid UTF-8)", raw: []byte{',', '"', 'c', 'o', 'n', 't', 'a', 'c', 't', '_', 'f', 'u', 'l', 'l', '_', 'n', 'a', 'm', 'e', '"', ':', '"', 0xcf, 0xe5, 0xf2, 0xf0, 0xee, 0xe2, '"'},
			check: func(t *testing.T, c *ringdesk.Call) {
				if c.ContactName != strings.Repeat("\uFFFD", 6) {
					t.Errorf("name %q, want six U+FFFD", c.ContactName)
				}
			}, warns: []string{"contact_full_name/invalid_text"}},
		{name: "NUL in the name", members: `"contact_full_name":"Ан\u0000на Петрова"`,
			check: func(t *testing.T, c *ringdesk.Call) {
				if c.ContactName != "Анна Петрова" {
					t.Errorf("name %q", c.ContactName)
				}
			}, warns: []string{"contact_full_name/invalid_text"}, page: "Анна Петрова"},
		{name: "900 KB name", members: `"contact_full_name":"` + huge + `"`,
			check: func(t *testing.T, c *ringdesk.Call) {
				if n := len([]rune(c.ContactName)); n != 255 {
					t.Errorf("name of %d characters, want 255", n)
				}
			}, warns: []string{"contact_full_name/cut"}},
		{name: "negative talk time", members: `"talk_time_duration":-5,"wait_time_duration":7,"connection_time":"2026-11-20 10:00:07"`,
			check: func(t *testing.T, c *ringdesk.Call) {
				if c.CallOutcome() != "answered" || c.Details.DurationKnown("talk") || c.WaitSeconds != 7 {
					t.Errorf("outcome %q, talk known %v, wait %d: an unknown talk time is no other outcome",
						c.CallOutcome(), c.Details.DurationKnown("talk"), c.WaitSeconds)
				}
			}, warns: []string{"talk_time_duration/negative"}},
		{name: "finish before the start", members: `"start_time":"2026-11-20 10:00:00","finish_time":"2026-11-20 09:00:00"`,
			check: func(t *testing.T, c *ringdesk.Call) {
				if c.FinishedAt != nil || c.State != ringdesk.CallFinished {
					t.Errorf("finished at %v, state %s: want finished with an unknown time", c.FinishedAt, c.State)
				}
			}, warns: []string{"finish_time/finish_before_start"}},
		{name: "unescaped quotes", members: `"contact_full_name":"ООО "Ромашка""`,
			check: func(t *testing.T, c *ringdesk.Call) {
				if c.ContactName != `ООО "Ромашка"` {
					t.Errorf("name %q", c.ContactName)
				}
			}, warns: []string{"contact_full_name/repaired"}, page: html.EscapeString(`ООО "Ромашка"`)},
		{name: "odd shapes", members: `"talk_time_duration":"00:00:12","wait_time_duration":2.5,"operator_rating":"отлично","tp_project":{"id":1},"leg_ids":"{1,2}","connection_time":12`,
			check: func(t *testing.T, c *ringdesk.Call) {
				if c.TalkSeconds != 12 || c.WaitSeconds != 3 {
					t.Errorf("talk %d wait %d, want 12 and 3", c.TalkSeconds, c.WaitSeconds)
				}
			}, warns: []string{"connection_time/unreadable", "operator_rating/unreadable", "tp_project/unreadable"}},
		{name: "script in the name", members: `"contact_full_name":"<script>alert(1)</script>"`,
			check: func(t *testing.T, c *ringdesk.Call) {}, page: "&lt;script&gt;alert(1)&lt;/script&gt;"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			session := int64(7_000_000 + i)
			body := []byte(fmt.Sprintf(`{"ud_channel_token":%q,"call_session_id":%d,"contact_phone_number":"7926555%04d"`, tel.Token, session, i))
			if tc.raw != nil {
				body = append(body, tc.raw...)
			} else {
				body = append(body, ","+tc.members...)
			}
			body = append(body, '}')
			res := a.Anon(t).Do(t, "POST", "/telephony/uis/webhook/call_finished/", strings.NewReader(string(body)), nil)
			if res.StatusCode != 200 {
				t.Fatalf("answer %d %s, want 200", res.StatusCode, res.Body)
			}
			c, err := a.DB.CallBySession(ctx, tel.Channel.ID, session)
			if err != nil {
				t.Fatalf("call not stored: %v", err)
			}
			tc.check(t, c)
			var warns []string
			for _, w := range c.Details.Warnings {
				warns = append(warns, w.Field+"/"+w.Problem)
			}
			if strings.Join(warns, " ") != strings.Join(tc.warns, " ") {
				t.Errorf("warnings %v, want %v", warns, tc.warns)
			}
			var raw []byte
			if err := a.DB.QueryRowForTest(ctx, `SELECT raw FROM call_events WHERE call_id = $1`, c.ID).Scan(&raw); err != nil || string(raw) != string(body) {
				t.Errorf("raw body not kept as sent (%d bytes of %d): %v", len(raw), len(body), err)
			}
			list := admin.Get(t, fmt.Sprintf("/tickets?q=7926555%04d", i))
			if list.StatusCode != 200 || len(list.Body) > 200_000 {
				t.Errorf("ticket list: %d, %d bytes", list.StatusCode, len(list.Body))
			}
			if tc.page != "" && !strings.Contains(list.Body, tc.page) {
				t.Errorf("ticket list does not show %q", tc.page)
			}
			if strings.Contains(list.Body, "<script>alert") {
				t.Error("ticket list shows the script unescaped")
			}
			call := admin.Get(t, fmt.Sprintf("/calls/%d", c.ID))
			if call.StatusCode != 200 {
				t.Fatalf("call page: %d", call.StatusCode)
			}
			if len(tc.warns) > 0 != strings.Contains(call.Body, `id="call-warnings"`) {
				t.Errorf("call page warnings shown: %v, want %v", !(len(tc.warns) > 0), len(tc.warns) > 0)
			}
		})
	}
}

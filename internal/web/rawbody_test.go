package web

import (
	"testing"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestShownBody: the one way raw webhook bodies reach a page masks the
// token, indents JSON without reordering it, and shows every byte.
func TestShownBody(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, in, want string }{
		{"JSON indented in its order, token masked", `{"ud_channel_token":"rdc_x","b":1,"a":"Иван"}`,
			"{\n  \"ud_channel_token\": \"••••••\",\n  \"b\": 1,\n  \"a\": \"Иван\"\n}"},
		{"broken JSON as it came", `{"ud_channel_token":"rdc_x","call_session_id":`, `{"ud_channel_token":"••••••","call_session_id":`},
		{"NUL and controls escaped", "{\"a\":\"x\x00y\x1b\"}\n", `{"a":"x\u0000y\u001b"}` + "\n"},
		{"invalid UTF-8 as U+FFFD", "{\"a\":\"\xcf\xf0\"}", "{\n  \"a\": \"\uFFFD\uFFFD\"\n}"},
		{"C1 control escaped", "a\u0085b", `a\u0085b`},
		{"tabs and line breaks kept", "a\tb\r\nc", "a\tb\r\nc"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := shownBody([]byte(c.in)); got != c.want {
				t.Errorf("shownBody(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

// TestMaskedWarnings: values quoted from a body are masked like the body.
func TestMaskedWarnings(t *testing.T) {
	t.Parallel()
	ws := maskedWarnings([]ringdesk.CallWarning{{Field: "contact_full_name", Problem: ringdesk.WarnCut,
		Value: "rdc_abcdefghijklmnopqrstuvwxyz234567 \x00"}, {Field: "x", Problem: ringdesk.WarnUnreadable}})
	if len(ws) != 2 || ws[0].Value != `rdc_•••••• \u0000` || ws[1].Value != "" {
		t.Errorf("masked warnings = %+v", ws)
	}
}

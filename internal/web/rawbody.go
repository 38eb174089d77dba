package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// shownBody is how a raw webhook body (or text taken from one) is shown to
// administrators, on the call page and the dead-letter list alike: secrets
// masked by uis.MaskSecrets, indented when it is valid JSON, and made
// printable (see printable), so whatever bytes arrived can be seen and none
// of them is a secret.
func shownBody(raw []byte) string {
	b := uis.MaskSecrets(raw)
	var buf bytes.Buffer
	if json.Valid(b) && json.Indent(&buf, b, "", "  ") == nil {
		b = buf.Bytes()
	}
	return printable(b)
}

// printable turns bytes into text a page can show: invalid UTF-8 becomes
// U+FFFD and control characters other than tab and line breaks (NUL
// included) become \u escapes, so nothing is dropped silently.
func printable(b []byte) string {
	var s strings.Builder
	s.Grow(len(b))
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n == 1:
			s.WriteRune(utf8.RuneError)
		case r == '\t' || r == '\n' || r == '\r':
			s.WriteRune(r)
		case r < 0x20 || r >= 0x7f && r < 0xa0:
			fmt.Fprintf(&s, `\u%04x`, r)
		default:
			s.Write(b[:n])
		}
		b = b[n:]
	}
	return s.String()
}

// shownText is shownBody for text quoted from a body (a reason, a value),
// kept on one line as it is.
func shownText(s string) string { return printable(uis.MaskSecrets([]byte(s))) }

// maskedWarnings returns a call's warnings with the values quoted from what
// UIS sent passed through shownText, like the raw bodies they come from.
func maskedWarnings(ws []ringdesk.CallWarning) []ringdesk.CallWarning {
	out := make([]ringdesk.CallWarning, len(ws))
	for i, w := range ws {
		if w.Value != "" {
			w.Value = shownText(w.Value)
		}
		out[i] = w
	}
	return out
}

package uis

import (
	"bytes"
	"strings"
	"testing"
)

const testToken = "rdc_abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst"

func TestMaskSecrets(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"first member", `{"ud_channel_token":"` + testToken + `","call_session_id":1}`,
			`{"ud_channel_token":"••••••","call_session_id":1}`},
		{"spaces and later member", "{\"a\":1,\n  \"ud_channel_token\" :  \"secret-1\" }",
			"{\"a\":1,\n  \"ud_channel_token\" :  \"••••••\" }"},
		{"repeated key", `{"ud_channel_token":"one","ud_channel_token":"two"}`,
			`{"ud_channel_token":"••••••","ud_channel_token":"••••••"}`},
		{"invalid JSON after the token", `{"ud_channel_token":"t1","call_session_id":` + "\x00\xff",
			`{"ud_channel_token":"••••••","call_session_id":` + "\x00\xff"},
		{"escaped quote inside", `{"ud_channel_token":"a\"b","x":2}`, `{"ud_channel_token":"••••••","x":2}`},
		{"unterminated", `{"ud_channel_token":"abc`, `{"ud_channel_token":"••••••`},
		{"not a string", `{"ud_channel_token":12345,"x":2}`, `{"ud_channel_token":••••••,"x":2}`},
		{"key text as a value is kept", `{"x":"ud_channel_token","y":"v"}`, `{"x":"ud_channel_token","y":"v"}`},
		{"token in another field", `{"contact_full_name":"` + testToken + `"}`, `{"contact_full_name":"rdc_••••••"}`},
		{"escaped key, token shape", `{"ud\u005fchannel_token":"` + testToken + `"}`, `{"ud\u005fchannel_token":"rdc_••••••"}`},
		{"nothing to mask", `{"call_session_id":1}`, `{"call_session_id":1}`},
		{"empty", ``, ``},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := string(MaskSecrets([]byte(c.in))); got != c.want {
				t.Errorf("MaskSecrets(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

// FuzzMaskSecrets: whatever surrounds it, a token given as the value of
// ud_channel_token never survives masking, and masking never panics.
func FuzzMaskSecrets(f *testing.F) {
	f.Add([]byte(`{"call_session_id":1}`), "tok-1")
	f.Add([]byte("{\"a\":\"\xff\x00\"}"), testToken)
	f.Add([]byte(`{"x":"ud_channel_token"`), `a\"b`)
	f.Fuzz(func(t *testing.T, rest []byte, tok string) {
		if strings.ContainsAny(tok, "\"\\") || len(tok) < 4 {
			return // a token is one JSON string without quotes or escapes
		}
		body := append([]byte(`{"ud_channel_token":"`+tok+`",`), rest...)
		got := MaskSecrets(body)
		if bytes.Contains(got[:min(len(got), len(`{"ud_channel_token":"`)+len(Masked)+1)], []byte(tok)) {
			t.Fatalf("token %q survived in %q", tok, got)
		}
		if !bytes.HasSuffix(got, MaskSecrets(rest)) && !bytes.Contains(rest, []byte("rd")) {
			t.Fatalf("the rest of the body changed: %q -> %q", rest, got)
		}
	})
}

package uis

import "encoding/json"

// repairQuotes mends a notification body that is invalid JSON only because
// string values hold unescaped double quotes, as when UIS renders a
// contact named ООО "Ромашка" into `"contact_full_name":"ООО "Ромашка""`.
//
// Inside a value string, a quote closes the string only when what follows
// it (after space) can follow a value: a comma, a closing bracket or brace,
// or the end. Any other quote is taken as part of the text and escaped. The
// repair counts as unambiguous only when every repaired value gained an
// even number of quotes (a text quote opens and closes) and the result is
// valid JSON; otherwise ok is false and the body stays a dead letter.
// Keys are never repaired. It returns the keys whose values it repaired.
func repairQuotes(b []byte) (fixed []byte, fields []string, ok bool) {
	out := make([]byte, 0, len(b)+16)
	var stack []byte // open containers: '{' or '['
	expectKey := false
	lastKey := ""
	for i := 0; i < len(b); {
		c := b[i]
		switch c {
		case '{', '[':
			stack = append(stack, c)
			expectKey = c == '{'
			out = append(out, c)
			i++
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			out = append(out, c)
			i++
		case ',':
			expectKey = len(stack) > 0 && stack[len(stack)-1] == '{'
			out = append(out, c)
			i++
		case ':':
			expectKey = false
			out = append(out, c)
			i++
		case '"':
			if expectKey {
				end := skipString(string(b), i)
				lastKey = string(b[i+1 : max(i+1, end-1)])
				out = append(out, b[i:end]...)
				i = end
				continue
			}
			var inner int
			out, i, inner = copyValueString(out, b, i)
			if inner > 0 {
				if inner%2 != 0 {
					return nil, nil, false
				}
				fields = append(fields, lastKey)
			}
		default:
			out = append(out, c)
			i++
		}
	}
	if len(fields) == 0 || !json.Valid(out) {
		return nil, nil, false
	}
	return out, fields, true
}

// copyValueString copies the value string starting at b[i] to out, escaping
// quotes that cannot close it, and returns where it ended and how many
// quotes it escaped. A value wrapped in doubled quotes (""Анна"", what a
// template with "{{x}}" in quotes renders) loses the extra pair.
func copyValueString(out, b []byte, i int) ([]byte, int, int) {
	start := len(out)
	out, end, inner := copyValueText(out, b, i)
	v := out[start:]
	if inner == 2 && len(v) >= 6 && string(v[:3]) == `"\"` && string(v[len(v)-3:]) == `\""` {
		out = append(out[:start], '"')
		out = append(out, v[3:len(v)-3]...)
		out = append(out, '"')
	}
	return out, end, inner
}

func copyValueText(out, b []byte, i int) ([]byte, int, int) {
	out = append(out, '"')
	inner := 0
	for i++; i < len(b); i++ {
		switch c := b[i]; c {
		case '\\':
			if i+1 < len(b) {
				out = append(out, c, b[i+1])
				i++
				continue
			}
			out = append(out, c)
		case '"':
			if closesValue(b, i+1) {
				return append(out, '"'), i + 1, inner
			}
			out = append(out, '\\', '"')
			inner++
		default:
			out = append(out, c)
		}
	}
	return out, len(b), inner
}

// closesValue reports whether what starts at b[j] (after space) may follow
// a complete value.
func closesValue(b []byte, j int) bool {
	for ; j < len(b); j++ {
		switch b[j] {
		case ' ', '\t', '\r', '\n':
			continue
		case ',', '}', ']':
			return true
		}
		return false
	}
	return true
}

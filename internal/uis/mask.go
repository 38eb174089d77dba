package uis

import (
	"bytes"
	"regexp"
)

// Masked stands for a secret that was removed from a body.
const Masked = "••••••"

// tokenKey is the member of a notification body that carries the channel token.
const tokenKey = `"ud_channel_token"`

// secretShape matches Ringdesk's generated secrets (auth.NewSecret: a prefix
// such as rdc_ for channel tokens, rdt_ for API tokens or rds_ for sessions,
// then lower-case base32) wherever they appear, so a token sent in another
// field, under an escaped key or in a body too broken to find the key in is
// masked too.
var secretShape = regexp.MustCompile(`rd[a-z]_[a-z2-7]{16,}`)

// MaskSecrets returns a copy of a raw notification body, or of text derived
// from one, with every secret masked: the value of each "ud_channel_token"
// member, whatever the rest of the body looks like (invalid JSON, a repeated
// key, a value that is not a string), and anything shaped like a Ringdesk
// secret. Every other byte is kept as it was, so the body still shows what
// was wrong with it.
//
// It is the one mechanism for raw bodies in front of people: the call page,
// the dead-letter list and logs all pass bodies through it.
func MaskSecrets(body []byte) []byte {
	out := make([]byte, 0, len(body))
	rest := body
	for {
		i := bytes.Index(rest, []byte(tokenKey))
		if i < 0 {
			break
		}
		start, end, ok := memberValue(rest, i+len(tokenKey))
		if !ok {
			out = append(out, rest[:i+len(tokenKey)]...)
			rest = rest[i+len(tokenKey):]
			continue
		}
		out = append(out, rest[:start]...)
		out = append(out, Masked...)
		rest = rest[end:]
	}
	out = append(out, rest...)
	return secretShape.ReplaceAllFunc(out, func(s []byte) []byte {
		return append(append([]byte(nil), s[:4]...), Masked...)
	})
}

// memberValue finds the value after a member key that ends at i: after
// optional space and a colon, the inside of a string (up to its closing
// quote, or the end of the body when there is none) or any other value up to
// the next comma, brace, bracket or line break. ok is false when no colon
// follows, i.e. the key text was itself a value.
func memberValue(b []byte, i int) (start, end int, ok bool) {
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != ':' {
		return 0, 0, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '"' {
		start = i + 1
		for end = start; end < len(b) && b[end] != '"'; end++ {
			if b[end] == '\\' {
				end++
			}
		}
		return start, min(end, len(b)), true
	}
	start = i
	for end = start; end < len(b) && bytes.IndexByte([]byte(",}]\r\n"), b[end]) < 0; end++ {
	}
	return start, end, true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

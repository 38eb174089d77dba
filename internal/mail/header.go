package mail

import (
	"fmt"
	"io"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
)

// wordDecoder decodes RFC 2047 encoded words in every charset
// go-message/charset knows (windows-1251, koi8-r, ...).
var wordDecoder = &mime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
	return charset.Reader(strings.ToLower(cs), r)
}}

// addressParser is net/mail's parser with that decoder.
var addressParser = &mail.AddressParser{WordDecoder: wordDecoder}

// decodeWords decodes RFC 2047 words in s, leaving s as it is when a word
// cannot be decoded.
func decodeWords(s string) string {
	if !strings.Contains(s, "=?") {
		return s
	}
	d, err := wordDecoder.DecodeHeader(s)
	if err != nil {
		return s
	}
	return d
}

// oneLine turns control characters (CR, LF, TAB...) into spaces, so header
// text is a single line wherever it goes, and invalid UTF-8 (an encoded word
// that lied about its charset) into U+FFFD.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r < ' ' || r == 0x7f
	}), " ")
}

// value returns a header field with raw 8-bit bytes (old clients write
// windows-1251 or koi8-r without RFC 2047) decoded from the body's charset.
func (p *parser) value(key string) string {
	v := p.header.Get(key)
	if utf8.ValidString(v) {
		return v
	}
	fb := p.textCharset
	if fb == "" {
		fb = "windows-1251"
	}
	return toUTF8([]byte(v), fb)
}

func (p *parser) readHeader() {
	m := p.msg
	if v := p.value("Subject"); v != "" {
		s, err := wordDecoder.DecodeHeader(v)
		if err != nil {
			p.problem(ErrCharset, "", fmt.Errorf("subject: %w", err))
			s = v
		}
		m.Subject = strings.TrimSpace(oneLine(s))
	}
	m.From = first(p.addresses("From"))
	if m.From.Email == "" {
		m.From = first(p.addresses("Sender"))
	}
	m.To = p.addresses("To")
	m.Cc = p.addresses("Cc")
	m.ReplyTo = p.addresses("Reply-To")
	if v := p.value("Date"); v != "" {
		d, err := mail.ParseDate(strings.TrimSpace(v))
		if err != nil {
			p.problem(ErrHeader, "", fmt.Errorf("date: %w", err))
		}
		m.Date = d
	}
	if ids := msgIDs(p.value("Message-Id")); len(ids) > 0 {
		m.MessageID = ids[0]
	}
	if ids := msgIDs(p.value("In-Reply-To")); len(ids) > 0 {
		m.InReplyTo = ids[0]
	}
	m.References = msgIDs(p.value("References"))
}

func first(l []Address) Address {
	if len(l) == 0 {
		return Address{}
	}
	return l[0]
}

// addresses parses an address list; when net/mail refuses it (unquoted
// specials, raw 8-bit names, missing brackets) the addresses are picked out
// one by one and a header problem is recorded.
func (p *parser) addresses(key string) []Address {
	v := strings.TrimSpace(p.value(key))
	if v == "" {
		return nil
	}
	list, err := addressParser.ParseList(v)
	if err == nil {
		out := make([]Address, 0, len(list))
		for _, a := range list {
			out = append(out, Address{Name: strings.TrimSpace(oneLine(a.Name)), Email: a.Address})
		}
		return out
	}
	p.problem(ErrHeader, "", fmt.Errorf("%s: %w", strings.ToLower(key), err))
	return looseAddresses(v)
}

var emailRe = regexp.MustCompile(`[^\s<>"',;:()\[\]]+@[^\s<>"',;:()\[\]]+`)

func looseAddresses(v string) []Address {
	var out []Address
	for _, piece := range strings.Split(v, ",") {
		if a, err := addressParser.Parse(piece); err == nil {
			out = append(out, Address{Name: strings.TrimSpace(oneLine(a.Name)), Email: a.Address})
			continue
		}
		loc := emailRe.FindStringIndex(piece)
		if loc == nil {
			continue
		}
		name := piece[:loc[0]]
		name = strings.Trim(strings.TrimSpace(name), `"'< `)
		out = append(out, Address{Name: oneLine(decodeWords(name)), Email: piece[loc[0]:loc[1]]})
	}
	return out
}

var msgIDRe = regexp.MustCompile(`<([^<>\s]+)>`)

// msgIDs returns the message ids in a Message-ID, In-Reply-To or References
// value, without angle brackets. Ids written without brackets (broken
// clients) are taken when they hold an @.
func msgIDs(v string) []string {
	var ids []string
	for _, m := range msgIDRe.FindAllStringSubmatch(v, -1) {
		ids = append(ids, m[1])
	}
	if len(ids) > 0 || strings.TrimSpace(v) == "" {
		return ids
	}
	for _, f := range strings.Fields(v) {
		f = strings.Trim(f, "<>,;")
		if strings.Contains(f, "@") {
			ids = append(ids, f)
		}
	}
	return ids
}

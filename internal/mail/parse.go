package mail

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/textproto"
)

// DefaultMaxTextBytes bounds each text or HTML body Parse keeps (4 MiB):
// longer bodies are cut and Message.Truncated is set. Attachments are not
// bounded here: the size limit of a whole message is the caller's (it
// decides before calling Parse, from the raw size).
const DefaultMaxTextBytes = 4 << 20

// maxDepth bounds how deep multiparts may nest; deeper parts are skipped.
const maxDepth = 20

// ParseOptions tune Parse.
type ParseOptions struct {
	// AllowRemoteImages keeps remote <img> sources in Message.HTML, for when
	// the agent asked to see them.
	AllowRemoteImages bool
	// MaxTextBytes bounds each text/HTML body; 0 means DefaultMaxTextBytes.
	MaxTextBytes int64
}

// Parse reads a raw RFC 5322 message: headers (RFC 2047 words decoded,
// windows-1251, koi8-r and the other charsets go-message/charset knows),
// text and sanitised HTML bodies, attachments and inline images, and
// whether machines sent it (see MachineKind).
//
// Parse never panics and always returns a usable Message: malformed input
// gives a best-effort Message plus a *ParseError naming the first problem
// (all of them are in Message.Problems). The caller bounds the size of raw;
// Parse streams through it and holds about the decoded attachments on top
// of raw, so a 30 MB message needs about twice its size.
func Parse(raw []byte) (*Message, error) {
	return ParseWithOptions(raw, ParseOptions{})
}

// ParseWithOptions is Parse with options.
func ParseWithOptions(raw []byte, opts ParseOptions) (msg *Message, err error) {
	if opts.MaxTextBytes <= 0 {
		opts.MaxTextBytes = DefaultMaxTextBytes
	}
	p := &parser{opts: opts, msg: &Message{}}
	defer func() {
		// The libraries are not supposed to panic on bad input; if one
		// does, the message is still stored raw and shown as far as read.
		if r := recover(); r != nil {
			p.problem(ErrMIME, "", fmt.Errorf("unexpected structure: %v", r))
			msg, err = p.msg, p.msg.Problems[0]
		}
	}()
	if len(bytes.TrimSpace(raw)) == 0 {
		p.problem(ErrEmpty, "", errors.New("the message has no content"))
		return p.msg, p.msg.Problems[0]
	}
	h, bodyOffset := p.readTopHeader(raw)
	p.header = h
	body := bufio.NewReader(bytes.NewReader(raw[bodyOffset:]))
	p.raw, p.bodyOffset = raw, bodyOffset
	e, newErr := message.New(h, body)
	p.walk(e, newErr, "", "", 0)
	p.readHeader()
	p.finish()
	if len(p.msg.Problems) > 0 {
		return p.msg, p.msg.Problems[0]
	}
	return p.msg, nil
}

type parser struct {
	opts       ParseOptions
	msg        *Message
	header     message.Header
	raw        []byte
	bodyOffset int

	texts, htmls []string
	textCharset  string // charset of the first labelled text part: the fallback for raw 8-bit headers
	inReport     bool   // inside multipart/report; report-type=delivery-status
	receipt      bool   // a multipart/report; report-type=disposition-notification (RFC 8098)
	dsn          *Bounce
}

func (p *parser) problem(kind ParseErrorKind, part string, err error) {
	p.msg.Problems = append(p.msg.Problems, &ParseError{Kind: kind, Part: part, Err: err})
}

// readTopHeader reads the top-level header. A malformed line stops
// go-message's reader; then the header block is read again without the
// lines that are not fields, so the fields after a bad line survive.
func (p *parser) readTopHeader(raw []byte) (message.Header, int) {
	rd := bytes.NewReader(raw)
	br := bufio.NewReader(rd)
	h, err := textproto.ReadHeader(br)
	if err == nil {
		return message.Header{Header: h}, len(raw) - rd.Len() - br.Buffered()
	}
	p.problem(ErrHeader, "", err)
	end, next := headerEnd(raw)
	var clean bytes.Buffer
	for _, line := range bytes.SplitAfter(raw[:end], []byte("\n")) {
		if isFieldLine(line) || (clean.Len() > 0 && len(line) > 0 && (line[0] == ' ' || line[0] == '\t')) {
			clean.Write(line)
		}
	}
	if clean.Len() == 0 {
		// Not a single field: the whole input is text without a header.
		return message.Header{}, 0
	}
	clean.WriteString("\r\n")
	h2, err2 := textproto.ReadHeader(bufio.NewReader(&clean))
	if err2 != nil && err2 != io.EOF {
		return message.Header{Header: h}, next
	}
	return message.Header{Header: h2}, next
}

// headerEnd returns where the header block ends (before the blank line)
// and where the body starts; a message without a blank line is all header.
func headerEnd(raw []byte) (end, body int) {
	crlf := bytes.Index(raw, []byte("\r\n\r\n"))
	lf := bytes.Index(raw, []byte("\n\n"))
	switch {
	case crlf >= 0 && (lf < 0 || crlf <= lf):
		return crlf + 2, crlf + 4
	case lf >= 0:
		return lf + 1, lf + 2
	}
	return len(raw), len(raw)
}

func isFieldLine(line []byte) bool {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return false
	}
	for _, c := range line[:i] {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

// walk visits an entity: a multipart recurses, a leaf becomes body text,
// an attachment or bounce data.
func (p *parser) walk(e *message.Entity, newErr error, path, parent string, depth int) {
	if e == nil {
		return
	}
	if newErr != nil {
		p.entityProblem(newErr, path)
	}
	mediaType, params, err := e.Header.ContentType()
	if err != nil {
		p.problem(ErrHeader, path, fmt.Errorf("content-type: %w", err))
		mediaType, params = looseMediaType(e.Header.Get("Content-Type")), map[string]string{}
	}
	mediaType = strings.ToLower(mediaType)
	if strings.HasPrefix(mediaType, "multipart/") {
		p.walkMultipart(e, mediaType, params, path, depth)
		return
	}
	p.leaf(e, mediaType, params, path, parent)
}

func (p *parser) entityProblem(err error, path string) {
	switch {
	case message.IsUnknownCharset(err):
		p.problem(ErrCharset, path, err)
	case message.IsUnknownEncoding(err):
		p.problem(ErrEncoding, path, err)
	default:
		p.problem(ErrMIME, path, err)
	}
}

func (p *parser) walkMultipart(e *message.Entity, mediaType string, params map[string]string, path string, depth int) {
	if depth >= maxDepth {
		p.problem(ErrMIME, path, errors.New("multiparts nested too deep; the inner parts are skipped"))
		return
	}
	if mediaType == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status") {
		p.inReport = true
	}
	if mediaType == "multipart/report" && strings.EqualFold(params["report-type"], "disposition-notification") {
		p.receipt = true
	}
	mr := e.MultipartReader()
	if mr == nil || params["boundary"] == "" {
		p.problem(ErrMIME, path, fmt.Errorf("%s without a boundary: the body is shown as text", mediaType))
		p.fallbackText(e.Body, path)
		return
	}
	n := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if part == nil {
			if err == nil {
				err = errors.New("empty part")
			}
			p.problem(ErrMIME, path, err)
			if n == 0 && path == "" {
				// The boundary never appeared: show the body as it is.
				p.fallbackText(bytes.NewReader(p.raw[p.bodyOffset:]), path)
			}
			return
		}
		n++
		p.walk(part, err, childPath(path, n), mediaType, depth+1)
	}
}

func childPath(path string, n int) string {
	if path == "" {
		return strconv.Itoa(n)
	}
	return path + "." + strconv.Itoa(n)
}

// looseMediaType takes the type/subtype from a Content-Type that
// mime.ParseMediaType refused (duplicate or broken parameters).
func looseMediaType(v string) string {
	t, _, _ := strings.Cut(v, ";")
	t = strings.TrimSpace(t)
	if !strings.Contains(t, "/") {
		return "text/plain"
	}
	return t
}

func (p *parser) fallbackText(r io.Reader, path string) {
	s, _ := p.readText(r, path, "")
	if strings.TrimSpace(s) != "" {
		p.texts = append(p.texts, s)
	}
}

// leaf handles a part that is not multipart.
func (p *parser) leaf(e *message.Entity, mediaType string, params map[string]string, path, parent string) {
	disp, dparams, derr := e.Header.ContentDisposition()
	if derr != nil && e.Header.Get("Content-Disposition") != "" {
		disp = strings.ToLower(looseDisposition(e.Header.Get("Content-Disposition")))
	}
	disp = strings.ToLower(disp)
	filename := dparams["filename"]
	if filename == "" {
		filename = params["name"]
	}
	filename = cleanFilename(decodeWords(filename))
	switch {
	case mediaType == "message/delivery-status" || mediaType == "message/global-delivery-status":
		p.readDSN(e.Body)
		return
	case p.inReport && (mediaType == "message/rfc822" || mediaType == "text/rfc822-headers" || mediaType == "message/global-headers"):
		p.readOriginal(e.Body)
		return
	case disp != "attachment" && filename == "" && (mediaType == "text/plain" || mediaType == "text/html"):
		s, _ := p.readText(e.Body, path, params["charset"])
		if mediaType == "text/html" {
			p.htmls = append(p.htmls, s)
		} else {
			p.texts = append(p.texts, s)
		}
		return
	}
	p.attachment(e, mediaType, disp, filename, path)
}

// bodyProblem records why a part's body could not be read to its end: a
// part cut short (the closing boundary missing, a truncated message) is a
// MIME problem, anything else (broken base64, quoted-printable) an encoding
// one. What was read is kept either way.
func (p *parser) bodyProblem(path string, err error) {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		p.problem(ErrMIME, path, fmt.Errorf("the part is cut short (closing boundary missing?): %w", err))
		return
	}
	p.problem(ErrEncoding, path, err)
}

func looseDisposition(v string) string {
	d, _, _ := strings.Cut(v, ";")
	return strings.TrimSpace(d)
}

func (p *parser) attachment(e *message.Entity, mediaType, disp, filename, path string) {
	data, err := io.ReadAll(e.Body)
	if err != nil {
		p.bodyProblem(path, err)
	}
	cid := strings.TrimSpace(e.Header.Get("Content-Id"))
	cid = strings.TrimSuffix(strings.TrimPrefix(cid, "<"), ">")
	if filename == "" {
		filename = defaultFilename(mediaType, path)
	}
	p.msg.Attachments = append(p.msg.Attachments, Attachment{
		Filename:    filename,
		ContentType: mediaType,
		ContentID:   cid,
		Inline:      disp == "inline" || (disp != "attachment" && cid != ""),
		Data:        data,
	})
}

func defaultFilename(mediaType, path string) string {
	name := "attachment"
	if path != "" {
		name += "-" + strings.ReplaceAll(path, ".", "-")
	}
	switch mediaType {
	case "message/rfc822":
		return name + ".eml"
	case "text/plain":
		return name + ".txt"
	case "text/calendar":
		return name + ".ics"
	}
	if exts, _ := mime.ExtensionsByType(mediaType); len(exts) > 0 {
		return name + exts[0]
	}
	return name
}

// cleanFilename keeps the last path element and drops control characters,
// so a name can neither climb directories nor break a header.
func cleanFilename(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSpace(s)
	if s == "." || s == ".." {
		return ""
	}
	return s
}

// readText reads a text body up to MaxTextBytes. The entity's charset was
// converted by go-message already; bytes that are still not UTF-8 (an
// unknown or missing charset) are read as windows-1251, the usual
// unlabelled charset in Russian mail.
func (p *parser) readText(r io.Reader, path, cs string) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, p.opts.MaxTextBytes+1))
	if err != nil {
		p.bodyProblem(path, err)
	}
	if int64(len(b)) > p.opts.MaxTextBytes {
		b = cutRunes(b[:p.opts.MaxTextBytes])
		p.msg.Truncated = true
		if _, derr := io.Copy(io.Discard, r); derr != nil && err == nil {
			p.problem(ErrEncoding, path, derr)
		}
	}
	if cs != "" && p.textCharset == "" && knownCharset(cs) {
		p.textCharset = strings.ToLower(cs)
	}
	return toUTF8(b, "windows-1251"), err
}

func knownCharset(cs string) bool {
	_, err := charset.Reader(cs, strings.NewReader(""))
	return err == nil
}

// toUTF8 returns b as a string when it is valid UTF-8, else decodes it from
// fallback, else replaces the invalid bytes.
func toUTF8(b []byte, fallback string) string {
	if utf8.Valid(b) {
		return string(b)
	}
	if fallback != "" {
		if r, err := charset.Reader(fallback, bytes.NewReader(b)); err == nil {
			if s, err := io.ReadAll(r); err == nil && utf8.Valid(s) {
				return string(s)
			}
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// cutRunes drops a UTF-8 sequence cut in half at the end of b.
func cutRunes(b []byte) []byte {
	i := len(b) - 1
	for i >= 0 && i > len(b)-utf8.UTFMax && !utf8.RuneStart(b[i]) {
		i--
	}
	if i >= 0 && !utf8.FullRune(b[i:]) {
		return b[:i]
	}
	return b
}

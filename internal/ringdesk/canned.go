package ringdesk

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of canned replies.
const (
	MaxCannedTitle    = 200
	MaxCannedBody     = 20000
	MaxCannedShortcut = 30
)

// CannedReply is a reply template (Usedesk's «шаблон», Zendesk's macro
// text): a title to find it by, the body inserted into the composer with
// its placeholders filled (see FillCanned), and an optional shortcut, a
// keyword typed after "/" in the composer. A shared reply belongs to the
// whole desk and only administrators change it; a personal one belongs to
// one agent, who alone sees and changes it.
type CannedReply struct {
	ID       int64
	Title    string
	Body     string
	Shortcut string // lower case, letters, digits, - and _; "" for none
	// OwnerID is the agent whose personal reply this is; nil: shared.
	OwnerID   *int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Shared reports whether the reply is the whole desk's.
func (c *CannedReply) Shared() bool { return c.OwnerID == nil }

// CanSeeCanned reports whether actor may see (and use) c: a shared reply
// everyone may, a personal one only its owner; administrators do not read
// other agents' personal replies either.
func CanSeeCanned(actor *Agent, c *CannedReply) bool {
	if actor == nil || c == nil {
		return false
	}
	return c.OwnerID == nil || (!actor.IsSystem() && *c.OwnerID == actor.ID)
}

// CanEditCanned reports whether actor may change or delete c: a shared
// reply only administrators (and the system) may, a personal one only its
// owner.
func CanEditCanned(actor *Agent, c *CannedReply) bool {
	if !CanSeeCanned(actor, c) {
		return false
	}
	return c.OwnerID != nil || actor.CanAdminister()
}

// CannedInput creates a canned reply (Title and Body required) or changes
// one (nil fields stay as they are).
type CannedInput struct {
	Title    *string
	Body     *string
	Shortcut *string
	// Shared makes a new reply the whole desk's (nil or false: the
	// creator's own). It is chosen when the reply is created: a change
	// may only repeat it.
	Shared *bool
}

// Normalize tidies the input: the title on one line with single spaces,
// the body with Unix line ends and no trailing white space, the shortcut
// in lower case without the "/" people type before it.
func (in *CannedInput) Normalize() {
	if in.Title != nil {
		t := strings.Join(strings.Fields(*in.Title), " ")
		in.Title = &t
	}
	if in.Body != nil {
		b := strings.ReplaceAll(strings.ReplaceAll(*in.Body, "\r\n", "\n"), "\r", "\n")
		b = strings.TrimRightFunc(b, unicode.IsSpace)
		b = strings.TrimLeft(b, "\n")
		in.Body = &b
	}
	if in.Shortcut != nil {
		s := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(*in.Shortcut), "/"))
		in.Shortcut = &s
	}
}

// Validate checks a normalised input; creating needs a title and a body.
// A body with an unknown or unclosed placeholder is refused, saying which.
func (in *CannedInput) Validate(creating bool) error {
	var v Validation
	switch {
	case in.Title == nil && creating, in.Title != nil && *in.Title == "":
		v.Add("title", "Title is required.")
	case in.Title != nil && utf8.RuneCountInString(*in.Title) > MaxCannedTitle:
		v.Addf("title", "Title is too long: at most %d characters.", MaxCannedTitle)
	}
	switch {
	case in.Body == nil && creating, in.Body != nil && *in.Body == "":
		v.Add("body", "Text is required.")
	case in.Body != nil && utf8.RuneCountInString(*in.Body) > MaxCannedBody:
		v.Addf("body", "Text is too long: at most %d characters.", MaxCannedBody)
	case in.Body != nil:
		if t, ok := checkPlaceholders(*in.Body); !ok {
			v.add("body", t)
		}
	}
	if in.Shortcut != nil {
		s := *in.Shortcut
		switch {
		case utf8.RuneCountInString(s) > MaxCannedShortcut:
			v.Addf("shortcut", "Shortcut is too long: at most %d characters.", MaxCannedShortcut)
		case strings.ContainsFunc(s, func(r rune) bool { return !isShortcutRune(r) }):
			v.Add("shortcut", "A shortcut is one word: letters, digits, - and _.")
		}
	}
	return v.Err()
}

func isShortcutRune(r rune) bool {
	return r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// Placeholders a canned reply's body may hold, written {{name}}, or
// {{name|text}} to put text in when the value is missing (a client
// without a name). Spaces inside the braces and upper case are allowed.
const (
	PlaceholderClientName    = "client.name"
	PlaceholderAgentName     = "agent.name"
	PlaceholderTicketNumber  = "ticket.number"
	PlaceholderTicketSubject = "ticket.subject"
)

// Placeholders lists the placeholders in the order the help shows them.
var Placeholders = []string{PlaceholderClientName, PlaceholderAgentName, PlaceholderTicketNumber, PlaceholderTicketSubject}

// CannedValues are what a canned reply's placeholders stand for on one
// ticket, as its reader (the agent who inserts it) sees them.
type CannedValues struct {
	ClientName    string
	AgentName     string
	TicketNumber  int64
	TicketSubject string
}

func (v CannedValues) value(name string) string {
	switch name {
	case PlaceholderClientName:
		return PersonName(v.ClientName)
	case PlaceholderAgentName:
		return PersonName(v.AgentName)
	case PlaceholderTicketNumber:
		if v.TicketNumber <= 0 {
			return ""
		}
		return formatInt(v.TicketNumber)
	case PlaceholderTicketSubject:
		return strings.Join(strings.Fields(v.TicketSubject), " ")
	}
	return ""
}

func formatInt(n int64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		if n /= 10; n == 0 {
			return string(b[i:])
		}
	}
}

// PersonName is name as a greeting may use it: trimmed, with runs of
// spaces made one, and "" when it holds no letter. Clients first seen on
// a call are named by their number ("+7 926 123-45-67") or "—" until an
// agent writes their name, and neither is a name to greet.
func PersonName(name string) string {
	if !strings.ContainsFunc(name, unicode.IsLetter) {
		return ""
	}
	return strings.Join(strings.Fields(name), " ")
}

// placeholder is one {{...}} of a body, as found by nextPlaceholder.
type placeholder struct {
	start, end  int    // the byte range of {{...}} in the body
	name        string // lower case, trimmed
	fallback    string
	hasFallback bool
}

// nextPlaceholder finds the first placeholder in s at or after from; ok
// is false when there is none, and unclosed when a "{{" has no "}}" on its
// line (start is then where it opens).
func nextPlaceholder(s string, from int) (p placeholder, ok, unclosed bool) {
	i := strings.Index(s[from:], "{{")
	if i < 0 {
		return p, false, false
	}
	p.start = from + i
	rest := s[p.start+2:]
	j := strings.Index(rest, "}}")
	if nl := strings.IndexByte(rest, '\n'); j < 0 || (nl >= 0 && nl < j) {
		return p, false, true
	}
	inner := rest[:j]
	p.end = p.start + 2 + j + 2
	name, fb, has := strings.Cut(inner, "|")
	p.name = strings.ToLower(strings.TrimSpace(name))
	p.fallback, p.hasFallback = strings.TrimSpace(fb), has
	return p, true, false
}

// checkPlaceholders returns what is wrong with the placeholders of body:
// the first one not closed, or every unknown one.
func checkPlaceholders(body string) (Text, bool) {
	var unknown []string
	for from := 0; ; {
		p, ok, unclosed := nextPlaceholder(body, from)
		if unclosed {
			snippet, _, _ := strings.Cut(body[p.start:], "\n")
			if utf8.RuneCountInString(snippet) > 30 {
				snippet = string([]rune(snippet)[:30]) + "…"
			}
			return T("A placeholder is not closed with }}: %s", snippet), false
		}
		if !ok {
			break
		}
		if !slices.Contains(Placeholders, p.name) {
			if w := body[p.start:p.end]; !slices.Contains(unknown, w) {
				unknown = append(unknown, w)
			}
		}
		from = p.end
	}
	if len(unknown) == 0 {
		return Text{}, true
	}
	known := make([]string, len(Placeholders))
	for i, n := range Placeholders {
		known[i] = "{{" + n + "}}"
	}
	if len(unknown) > 1 {
		return T("Unknown placeholders %s. Use %s.", strings.Join(unknown, ", "), strings.Join(known, ", ")), false
	}
	return T("Unknown placeholder %s. Use %s.", unknown[0], strings.Join(known, ", ")), false
}

// FillCanned returns body with its placeholders replaced by values. A
// placeholder whose value is missing gives its fallback text when it has
// one ({{client.name|коллеги}}); without one it is left out together
// with the comma or space that led to it, so "Здравствуйте,
// {{client.name}}!" reads "Здравствуйте!" and "{{client.name}}, добрый
// день" reads "Добрый день". A placeholder the body should not hold (one
// unknown when the reply was saved cannot be, but a rule may change) is
// left out the same way: a filled reply never shows raw braces of a
// placeholder. A "{{" without "}}" is not a placeholder and stays.
func FillCanned(body string, values CannedValues) string {
	var b strings.Builder
	b.Grow(len(body) + 32)
	from := 0
	for {
		p, ok, unclosed := nextPlaceholder(body, from)
		if !ok {
			if unclosed { // the rest of the line is text: go on after it
				if nl := strings.IndexByte(body[p.start:], '\n'); nl >= 0 {
					b.WriteString(body[from : p.start+nl])
					from = p.start + nl
					continue
				}
			}
			b.WriteString(body[from:])
			return b.String()
		}
		b.WriteString(body[from:p.start])
		v := ""
		if slices.Contains(Placeholders, p.name) {
			v = values.value(p.name)
		}
		if v == "" && p.hasFallback {
			v = p.fallback
		}
		from = p.end
		if v != "" {
			b.WriteString(v)
			continue
		}
		from = leaveOut(&b, body, from)
	}
}

// leaveOut drops a placeholder without a value from the text around it:
// b holds the text before it, body[from:] the text after. It returns
// where the text after goes on.
func leaveOut(b *strings.Builder, body string, from int) int {
	before, after := b.String(), body[from:]
	lineStart := before == "" || strings.HasSuffix(before, "\n")
	trimmed := strings.TrimRight(before, " \t")
	lead := before[len(trimmed):]
	if strings.HasSuffix(trimmed, ",") && !strings.HasSuffix(trimmed, "\n,") {
		trimmed, lead = trimmed[:len(trimmed)-1], ","+lead
	}
	switch {
	case lead != "" && (after == "" || strings.ContainsRune("!?.,;:)\n", rune(after[0]))):
		// "Hello, {{client.name}}!": the comma and space go with it.
		b.Reset()
		b.WriteString(trimmed)
		return from
	case lineStart && strings.HasPrefix(after, ","):
		// "{{client.name}}, good morning": so do the comma and space
		// after it, and the sentence now starts with a capital.
		rest := strings.TrimLeft(after[1:], " \t")
		from += len(after) - len(rest)
		r, n := utf8.DecodeRuneInString(rest)
		if n > 0 && unicode.IsLower(r) {
			b.WriteRune(unicode.ToUpper(r))
			from += n
		}
		return from
	case strings.HasSuffix(before, " ") && strings.HasPrefix(after, " "):
		// "Dear {{client.name}} and team": one space, not two.
		return from + 1
	}
	return from
}

// CannedSearchKey is the text a canned reply is found by: its title,
// shortcut and body folded as CannedQueryWords folds a query.
func CannedSearchKey(title, shortcut, body string) string {
	return foldSearch(title + "\n" + shortcut + "\n" + body)
}

// CannedTitleKey is the form of a title lists order canned replies by.
func CannedTitleKey(title string) string { return foldSearch(title) }

// CannedQueryWords splits a search of canned replies into the words that
// must all occur in a reply's CannedSearchKey (at most 8; the "/" typed
// before a shortcut is not part of the word).
func CannedQueryWords(q string) []string {
	var out []string
	for _, w := range strings.Fields(foldSearch(q)) {
		if w = strings.TrimLeft(w, "/"); w != "" && len(out) < 8 && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// foldSearch lower-cases s and reads ё as е, as Russian is often typed.
func foldSearch(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "ё", "е")
}

// RankCanned orders the canned replies found for q (each already holds
// every word of it) for a picker: a reply whose shortcut is the query
// comes first, then shortcuts starting with it, then titles with a word
// starting with it, then titles holding it, then the rest (found in the
// body). Within each, the agent's personal replies come before shared
// ones, then by title. Without a query: personal, then shared, by title.
func RankCanned(list []*CannedReply, q string) []*CannedReply {
	words := CannedQueryWords(q)
	first := strings.Join(words, " ")
	score := func(c *CannedReply) int {
		if first == "" {
			return 0
		}
		title := foldSearch(c.Title)
		switch {
		case c.Shortcut != "" && foldSearch(c.Shortcut) == first:
			return 0
		case c.Shortcut != "" && strings.HasPrefix(foldSearch(c.Shortcut), first):
			return 1
		case slices.ContainsFunc(strings.Fields(title), func(w string) bool { return strings.HasPrefix(w, words[0]) }):
			return 2
		case strings.Contains(title, first):
			return 3
		}
		return 4
	}
	type ranked struct {
		c            *CannedReply
		score, share int
		title        string
	}
	rs := make([]ranked, len(list))
	for i, c := range list {
		rs[i] = ranked{c, score(c), sharedRank(c), foldSearch(c.Title)}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.score, b.score), cmp.Compare(a.share, b.share), cmp.Compare(a.title, b.title), cmp.Compare(a.c.ID, b.c.ID))
	})
	out := make([]*CannedReply, len(rs))
	for i, r := range rs {
		out[i] = r.c
	}
	return out
}

func sharedRank(c *CannedReply) int {
	if c.Shared() {
		return 1
	}
	return 0
}

// Scopes of canned replies, as lists filter them.
const (
	CannedShared   = "shared"
	CannedPersonal = "personal"
)

// CannedFilter selects the canned replies an agent sees: the shared ones
// and their own (ViewerID's).
type CannedFilter struct {
	ViewerID int64
	// Scope keeps the shared (CannedShared) or the viewer's own
	// (CannedPersonal) replies; "" keeps both.
	Scope string
	// Q keeps the replies holding every word of it (CannedQueryWords) in
	// their title, shortcut or body.
	Q     string
	Limit int
}

// ValidCannedScope reports whether s is a scope a list may filter by.
func ValidCannedScope(s string) bool { return s == "" || s == CannedShared || s == CannedPersonal }

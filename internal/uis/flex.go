package uis

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// The flex types decode the values UIS renders into notification templates.
// UIS is loose about types (an id may arrive as 123 or "123", a list as
// [1,2], "[1,2]", 5 or null), so each type accepts every plausible spelling.
// Their decode methods take one raw JSON value that json.Valid has already
// accepted (ParseEvent checks the body once). None of them fails: each keeps
// a value it cannot read in bad, and the conversion in event.go turns that
// into a ParseError naming the field.

// maxBad bounds how much of a rejected value is quoted back in an error.
const maxBad = 40

// badText is b as an error quotes it: valid UTF-8 (what JSON would make
// of it), cut to maxBad bytes on a character boundary.
func badText(b string) string {
	if len(b) > maxBad {
		cut := maxBad
		for cut > 0 && !utf8.RuneStart(b[cut]) {
			cut--
		}
		b = b[:cut] + "…"
	}
	return ringdesk.ValidText(b)
}

// jsonKind classifies a raw JSON value by its first byte: 'n' null, 's'
// string, '[' array, '{' object, 'l' any other literal (number, true, false).
func jsonKind(b string) byte {
	if len(b) == 0 {
		return 'n'
	}
	switch b[0] {
	case 'n':
		return 'n'
	case '"':
		return 's'
	case '[', '{':
		return b[0]
	}
	return 'l'
}

// unquote returns the text of a JSON string and whether it held invalid
// UTF-8 (replaced by U+FFFD). The common case (no escapes, valid UTF-8) is a
// substring of the body and costs nothing; anything else goes through
// encoding/json, which also replaces invalid UTF-8 so nothing malformed
// reaches the database.
func unquote(b string) (string, bool) {
	in := b[1 : len(b)-1]
	valid := utf8.ValidString(in)
	if valid && strings.IndexByte(in, '\\') < 0 {
		return in, false
	}
	var s string
	_ = json.Unmarshal([]byte(b), &s) // b is a string token json.Valid has accepted
	return s, !valid
}

// parseInt reads an integer written as digits, or as a number with a zero
// fraction or an exponent ("12.0", "1e3"), which some JSON writers produce.
func parseInt(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// flexInt is an integer sent as a JSON number or a string; null and "" are
// "no value".
type flexInt struct {
	v   int64
	set bool
	bad string
}

func (f *flexInt) decode(b string) {
	*f = flexInt{}
	s, ok := scalar(b)
	switch {
	case !ok:
		f.bad = badText(b)
	case s == "":
	default:
		f.v, f.set = parseInt(s)
		if !f.set {
			f.bad = badText(b)
		}
	}
}

// scalar returns the text of a JSON scalar: a number or boolean as written,
// a string's content trimmed; "" for null, "" and "null". ok is false for
// an array or object.
func scalar(b string) (s string, ok bool) {
	switch jsonKind(b) {
	case 'n':
		return "", true
	case 's':
		u, _ := unquote(b)
		if s = strings.TrimSpace(u); s == "null" {
			s = ""
		}
		return s, true
	case 'l':
		return b, true
	}
	return "", false
}

// flexString is text; numbers and booleans are kept as their JSON text so a
// numeric external_id or tp_project is not lost. invalid says the text
// held invalid UTF-8, now replaced.
type flexString struct {
	v       string
	invalid bool
	bad     string
}

func (f *flexString) decode(b string) {
	*f = flexString{}
	switch jsonKind(b) {
	case 'n':
	case 's':
		f.v, f.invalid = unquote(b)
	case 'l':
		f.v = b
	default:
		f.bad = badText(b)
	}
}

// flexBool is true/false, "true"/"false", 1/0, "1"/"0" (and the other
// spellings strconv.ParseBool knows); null and "" are "no value".
type flexBool struct {
	v   bool
	set bool
	bad string
}

func (f *flexBool) decode(b string) {
	*f = flexBool{}
	s, ok := scalar(b)
	switch {
	case !ok:
		f.bad = badText(b)
	case s == "":
	default:
		v, err := strconv.ParseBool(s)
		f.v, f.set = v, err == nil
		if err != nil {
			f.bad = badText(b)
		}
	}
}

// flexInts is a list of integers: a JSON array, a string holding a JSON
// array or a comma-separated list, or a single scalar (a one-element list).
// Null elements are skipped.
type flexInts struct {
	v   []int64
	bad string
}

func (f *flexInts) decode(b string) {
	*f = flexInts{}
	switch jsonKind(b) {
	case 'n':
	case '[':
		f.v = []int64{}
		eachElem(b, func(elem string) {
			var it flexInt
			it.decode(elem)
			switch {
			case it.bad != "":
				f.bad = badText(b)
			case it.set:
				f.v = append(f.v, it.v)
			}
		})
		if f.bad != "" {
			f.v = nil
		}
	case 's':
		f.fromString(b)
	case 'l':
		if v, ok := parseInt(b); ok {
			f.v = []int64{v}
		} else {
			f.bad = badText(b)
		}
	default:
		f.bad = badText(b)
	}
}

func (f *flexInts) fromString(b string) {
	u, _ := unquote(b)
	s := strings.TrimSpace(u)
	if len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}' {
		s = s[1 : len(s)-1] // a PostgreSQL array literal: {1,2}
	}
	switch {
	case s == "" || s == "null":
	case s[0] == '[':
		if !json.Valid([]byte(s)) {
			f.bad = badText(b)
			return
		}
		f.decode(s)
	default:
		for part := range strings.SplitSeq(s, ",") {
			v, ok := parseInt(part)
			if !ok {
				f.v, f.bad = nil, badText(b)
				return
			}
			f.v = append(f.v, v)
		}
	}
}

// flexStrings is a list of strings with the same tolerance as flexInts,
// except that a plain string is one element (names may contain commas).
type flexStrings struct {
	v       []string
	invalid bool
	bad     string
}

func (f *flexStrings) decode(b string) {
	*f = flexStrings{}
	switch jsonKind(b) {
	case 'n':
	case '[':
		f.v = []string{}
		eachElem(b, func(elem string) {
			var it flexString
			it.decode(elem)
			f.invalid = f.invalid || it.invalid
			switch {
			case it.bad != "":
				f.bad = badText(b)
			case it.v != "": // null elements come out as "": drop them like flexInts does
				f.v = append(f.v, it.v)
			}
		})
		if f.bad != "" {
			f.v = nil
		}
	case 's':
		s, invalid := unquote(b)
		f.invalid = invalid
		t := strings.TrimSpace(s)
		switch {
		case t == "" || t == "null":
		case t[0] == '[' && json.Valid([]byte(t)):
			f.decode(t)
		case len(t) >= 2 && t[0] == '{' && t[len(t)-1] == '}':
			f.v = pgArray(t)
		default:
			f.v = []string{s}
		}
	case 'l':
		f.v = []string{b}
	default:
		f.bad = badText(b)
	}
}

// flexTime keeps a time's raw text; it is parsed after decoding because the
// account time zone is needed and UnmarshalJSON cannot be given one.
type flexTime struct {
	s   string // a string value
	num bool   // s is a JSON number (a Unix timestamp)
	bad string
}

func (f *flexTime) decode(b string) {
	*f = flexTime{}
	switch jsonKind(b) {
	case 'n':
	case 's':
		u, _ := unquote(b)
		f.s = strings.TrimSpace(u)
	case 'l':
		f.s, f.num = b, true
	default:
		f.bad = badText(b)
	}
}

// time returns the parsed time, the zero time when absent, or ok=false.
func (f flexTime) time(loc *time.Location) (time.Time, bool) {
	switch {
	case f.bad != "":
		return time.Time{}, false
	case f.s == "" || f.s == "null":
		return time.Time{}, true
	case f.num:
		return parseUnix(f.s, loc)
	}
	if t, ok := parseTime(f.s, loc); ok {
		return t, true
	}
	// A numeric string is a Unix timestamp too.
	return parseUnix(f.s, loc)
}

// Unix timestamps are plausible between these (seconds): a number outside,
// such as a connection_time of 12 meaning "12 s after the start", is no
// date, and reading it as one would put the call in 1970.
const (
	minUnix = 946684800  // 2000-01-01
	maxUnix = 4102444800 // 2100-01-01
)

// parseUnix reads a Unix timestamp in seconds, or in milliseconds when it is
// too large to be seconds.
func parseUnix(s string, loc *time.Location) (time.Time, bool) {
	v, ok := parseInt(s)
	switch {
	case !ok:
		return time.Time{}, false
	case v >= minUnix && v < maxUnix:
		return time.Unix(v, 0).In(loc), true
	case v >= minUnix*1000 && v < maxUnix*1000:
		return time.UnixMilli(v).In(loc), true
	}
	return time.Time{}, false
}

// flexDuration is a number of seconds: an integer, a decimal (rounded), a
// string of either, or a clock reading "hh:mm:ss" / "mm:ss".
type flexDuration struct {
	v   int64
	set bool
	bad string
}

func (f *flexDuration) decode(b string) {
	*f = flexDuration{}
	s, ok := scalar(b)
	switch {
	case !ok:
		f.bad = badText(b)
	case s == "":
	default:
		f.v, f.set = parseSeconds(s)
		if !f.set {
			f.bad = badText(b)
		}
	}
}

// parseSeconds reads "12", "12.5", "-3", "00:00:12", "1:02:03" or "02:03".
func parseSeconds(s string) (int64, bool) {
	if strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if len(parts) > 3 {
			return 0, false
		}
		var total float64
		for i, p := range parts {
			v, err := strconv.ParseFloat(p, 64)
			if err != nil || v < 0 || (i > 0 && v >= 60) || strings.ContainsAny(p, "eE+-") {
				return 0, false
			}
			total = total*60 + v
		}
		return int64(math.Round(total)), true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1<<40 {
		return 0, false
	}
	return int64(math.Round(v)), true
}

// pgArray splits a PostgreSQL array literal of text, {a,"b c",NULL}, into
// its elements (NULL dropped).
func pgArray(s string) []string {
	s = s[1 : len(s)-1]
	var out []string
	var cur strings.Builder
	quoted, inQuotes, escaped := false, false, false
	flush := func() {
		v := cur.String()
		if quoted || (strings.TrimSpace(v) != "" && !strings.EqualFold(strings.TrimSpace(v), "NULL")) {
			if !quoted {
				v = strings.TrimSpace(v)
			}
			out = append(out, v)
		}
		cur.Reset()
		quoted = false
	}
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case r == '\\' && inQuotes:
			escaped = true
		case r == '"':
			inQuotes, quoted = !inQuotes, true
		case r == ',' && !inQuotes:
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 || quoted {
		flush()
	}
	return out
}

// parseTime reads "YYYY-MM-DD hh:mm:ss" with an optional fraction of up to 9
// digits, "T" instead of the space, a date alone, and an optional zone
// ("Z", "+03:00", "+0300", "+03"). Without a zone the time is in loc. It is
// hand-written because it runs several times for every webhook and
// time.Parse would need a layout per variant.
func parseTime(s string, loc *time.Location) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	y, ok1 := atoi(s[0:4])
	mo, ok2 := atoi(s[5:7])
	d, ok3 := atoi(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false
	}
	var h, mi, sec, ns int
	rest := s[10:]
	if rest != "" {
		if (rest[0] != ' ' && rest[0] != 'T') || len(rest) < 9 || rest[3] != ':' || rest[6] != ':' {
			return time.Time{}, false
		}
		var ok4, ok5, ok6 bool
		h, ok4 = atoi(rest[1:3])
		mi, ok5 = atoi(rest[4:6])
		sec, ok6 = atoi(rest[7:9])
		if !ok4 || !ok5 || !ok6 {
			return time.Time{}, false
		}
		rest = rest[9:]
		if rest != "" && (rest[0] == '.' || rest[0] == ',') {
			n := 1
			for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
				n++
			}
			if n == 1 || n > 10 {
				return time.Time{}, false
			}
			frac, _ := atoi(rest[1:n])
			for i := n; i < 10; i++ {
				frac *= 10
			}
			ns, rest = frac, rest[n:]
		}
	}
	zone, ok := parseZone(strings.TrimLeft(rest, " "), loc)
	if !ok || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ns, zone)
	if t.Day() != d { // 2024-02-30 rolls over into March
		return time.Time{}, false
	}
	return t, true
}

func parseZone(z string, loc *time.Location) (*time.Location, bool) {
	switch z {
	case "":
		return loc, true
	case "Z", "UTC":
		return time.UTC, true
	}
	if z[0] != '+' && z[0] != '-' {
		return nil, false
	}
	var hh, mm int
	var ok1, ok2 = false, true
	switch len(z) {
	case 3: // +03
		hh, ok1 = atoi(z[1:3])
	case 5: // +0300
		hh, ok1 = atoi(z[1:3])
		mm, ok2 = atoi(z[3:5])
	case 6: // +03:00
		hh, ok1 = atoi(z[1:3])
		mm, ok2 = atoi(z[4:6])
		ok2 = ok2 && z[3] == ':'
	}
	if !ok1 || !ok2 || hh > 14 || mm > 59 {
		return nil, false
	}
	off := hh*3600 + mm*60
	if z[0] == '-' {
		off = -off
	}
	return time.FixedZone("", off), true
}

// atoi reads a short run of ASCII digits.
func atoi(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

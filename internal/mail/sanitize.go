package mail

import (
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// The two policies are built once; bluemonday policies are safe for
// concurrent use once built.
var (
	policyBlocked = newPolicy(false)
	policyAllowed = newPolicy(true)
)

// localImageSrc matches the image sources that load nothing from the
// network: attachments by Content-ID and inline data.
var localImageSrc = regexp.MustCompile(`(?i)^\s*(cid:|data:image/(png|gif|jpeg|webp);base64,)`)

// newPolicy is an allow-list for email HTML: text structure, lists, tables,
// links and images. No script, style (element or attribute), event handler,
// form, iframe, object or embed survives; links get rel="nofollow noreferrer
// noopener" and target="_blank"; remote images only when allowRemote.
func newPolicy(allowRemote bool) *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowAttrs("title").Matching(bluemonday.Paragraph).Globally()
	p.AllowAttrs("lang").Matching(regexp.MustCompile(`^[a-zA-Z]{2,20}(-[a-zA-Z0-9]{1,20})*$`)).Globally()
	p.AllowAttrs("dir").Matching(bluemonday.Direction).Globally()
	p.AllowElements("p", "br", "div", "span", "hr", "wbr", "pre", "code", "blockquote",
		"h1", "h2", "h3", "h4", "h5", "h6", "b", "i", "u", "s", "strong", "em", "small", "big",
		"sub", "sup", "mark", "del", "ins", "q", "abbr", "cite", "dfn", "kbd", "samp", "var",
		"tt", "strike", "center", "font", "address", "section", "article", "aside", "figure",
		"figcaption", "details", "summary", "hgroup", "caption")
	p.AllowLists()
	p.AllowTables()
	p.AllowURLSchemes("http", "https", "mailto", "tel", "cid")
	p.RequireParseableURLs(true)
	p.AllowAttrs("href").OnElements("a")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowAttrs("alt").Matching(bluemonday.Paragraph).OnElements("img")
	p.AllowAttrs("width", "height").Matching(bluemonday.NumberOrPercent).OnElements("img")
	p.AllowDataURIImages()
	if allowRemote {
		p.AllowAttrs("src").OnElements("img")
	} else {
		p.AllowAttrs("src").Matching(localImageSrc).OnElements("img")
	}
	return p
}

// SanitizeHTML returns html made safe to put into a page: see newPolicy.
// cid: image sources are kept for the caller to rewrite to attachment URLs;
// remote image sources are dropped unless allowRemoteImages (the <img>
// stays, with its alt text).
func SanitizeHTML(s string, allowRemoteImages bool) string {
	if allowRemoteImages {
		return strings.TrimSpace(policyAllowed.Sanitize(s))
	}
	return strings.TrimSpace(policyBlocked.Sanitize(s))
}

// hasRemoteImages tells whether raw HTML loads an image from the network:
// an <img> (or <image>, <input type=image>) src/srcset that is not cid: or
// data:, or a background attribute.
func hasRemoteImages(s string) bool {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken, html.SelfClosingTagToken:
			for _, a := range attrs(z) {
				switch a.Key {
				case "src", "srcset", "background", "poster":
					v := strings.TrimSpace(a.Val)
					if v != "" && !localImageSrc.MatchString(v) && !strings.HasPrefix(strings.ToLower(v), "data:") {
						return true
					}
				}
			}
		}
	}
}

func attrs(z *html.Tokenizer) []html.Attribute {
	var out []html.Attribute
	for {
		k, v, more := z.TagAttr()
		if len(k) > 0 {
			out = append(out, html.Attribute{Key: string(k), Val: string(v)})
		}
		if !more {
			return out
		}
	}
}

// blockTags start and end a line; paragraph tags (2) also leave a blank
// line around them.
var blockTags = map[string]int{
	"p": 2, "table": 2, "ul": 2, "ol": 2, "blockquote": 2, "pre": 2, "dl": 2,
	"h1": 2, "h2": 2, "h3": 2, "h4": 2, "h5": 2, "h6": 2,
	"div": 1, "tr": 1, "section": 1, "article": 1, "header": 1, "footer": 1, "hr": 1,
	"address": 1, "center": 1, "figure": 1, "caption": 1, "dt": 1, "dd": 1,
}

// breakLines ends b with at least n line breaks (none at the very start).
func breakLines(b *strings.Builder, n int) {
	s := b.String()
	if strings.TrimSpace(s) == "" {
		return
	}
	have := len(s) - len(strings.TrimRight(s, "\n"))
	for ; have < n; have++ {
		b.WriteByte('\n')
	}
}

var skipTags = map[string]bool{"script": true, "style": true, "head": true, "title": true, "template": true}

// HTMLToText renders HTML as plain text for previews, search and the Text
// of an HTML-only message: paragraphs and rows on their own lines, list
// items with "- ", links followed by their address when it differs.
func HTMLToText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip, pre := 0, 0
	type link struct {
		href  string
		start int // where the link's text starts in b
	}
	var links []link
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return tidyText(b.String())
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := string(z.Text())
			if pre == 0 {
				t = strings.Join(strings.Fields(t), " ")
				if t != "" && startsWithSpace(z.Raw()) {
					t = " " + t
				}
				if t != "" && endsWithSpace(z.Raw()) {
					t += " "
				}
			}
			b.WriteString(t)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			switch {
			case skipTags[tag]:
				if tt == html.StartTagToken {
					skip++
				}
			case tag == "br":
				b.WriteString("\n")
			case tag == "li":
				b.WriteString("\n- ")
			case tag == "td" || tag == "th":
				b.WriteString(" ")
			case tag == "pre":
				pre++
				breakLines(&b, 2)
			case tag == "a":
				href := ""
				for _, a := range attrs(z) {
					if a.Key == "href" {
						href = a.Val
					}
				}
				links = append(links, link{href, b.Len()})
			case blockTags[tag] > 0:
				breakLines(&b, blockTags[tag])
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			switch {
			case skipTags[tag]:
				if skip > 0 {
					skip--
				}
			case tag == "pre":
				if pre > 0 {
					pre--
				}
				breakLines(&b, 2)
			case tag == "a" && len(links) > 0:
				l := links[len(links)-1]
				links = links[:len(links)-1]
				if linkWorthShowing(l.href, b.String()[l.start:]) {
					b.WriteString(" (" + l.href + ")")
				}
			case blockTags[tag] > 0:
				breakLines(&b, blockTags[tag])
			}
		}
	}
}

func startsWithSpace(raw []byte) bool {
	return len(raw) > 0 && (raw[0] == ' ' || raw[0] == '\n' || raw[0] == '\t' || raw[0] == '\r')
}

func endsWithSpace(raw []byte) bool {
	n := len(raw)
	return n > 0 && (raw[n-1] == ' ' || raw[n-1] == '\n' || raw[n-1] == '\t' || raw[n-1] == '\r')
}

// linkWorthShowing tells whether a link's address adds to its text: a web
// link whose text does not already show the address.
func linkWorthShowing(href, text string) bool {
	if !strings.HasPrefix(href, "http://") && !strings.HasPrefix(href, "https://") {
		return false
	}
	bare := strings.TrimRight(strings.TrimPrefix(strings.TrimPrefix(href, "https://"), "http://"), "/")
	return !strings.Contains(text, bare)
}

var (
	spaceAroundNL = regexp.MustCompile(`[ \t]*\n[ \t]*`)
	manyNL        = regexp.MustCompile(`\n{3,}`)
	manySpaces    = regexp.MustCompile(`[ \t]{2,}`)
)

// tidyText trims the spaces around line breaks and keeps at most one blank
// line in a row.
func tidyText(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = manySpaces.ReplaceAllString(s, " ")
	s = spaceAroundNL.ReplaceAllString(s, "\n")
	s = manyNL.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}

package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

//go:embed templates/*.html
var templatesFS embed.FS

// views holds every page template, parsed once per UI language so that
// {{t "..."}} needs no per-request work.
type views struct {
	assets *assets
	pages  map[string]map[string]*template.Template // lang -> page -> template, in displayZone

	// zoned holds the pages of the other time zones agents chose, parsed on
	// first use: (lang, zone) -> page -> template.
	mu    sync.Mutex
	zoned map[zonedKey]map[string]*template.Template
}

type zonedKey struct{ lang, zone string }

// pageData is what every page template receives.
type pageData struct {
	Title   string
	Nav     string
	Agent   *ringdesk.Agent
	Lang    string
	Flash   string
	Errors  map[string]string
	Version string
	// Missed is the number of open tickets of missed calls, shown in the
	// top bar of every page (-1: not known, nothing shown).
	Missed int64
	// Zone names the time zone the page's times are in, for the tooltip
	// of the profile link: "MSK, UTC+03:00".
	Zone string
	// Path is the page's own URL (GET pages only), where the top bar's
	// availability switch comes back to.
	Path string
	Data any
}

// displayZone is where times are shown; agents work in Moscow time unless
// configured otherwise.
var displayZone = mustZone("Europe/Moscow")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("MSK", 3*3600)
	}
	return l
}

// sharedViews returns the process's assets and page templates, loaded and
// parsed on first use. Both come from embedded files and the templates'
// functions depend only on the language, the zone and the assets, so every
// Server of the process (several in one test binary, one in production)
// can share them; html/template executes concurrently. Parsing every page
// in two languages costs tens of milliseconds of CPU, which tests that
// start an app each paid again and again.
var sharedViews = sync.OnceValues(func() (*views, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	return parseViews(a)
})

func parseViews(a *assets) (*views, error) {
	v := &views{assets: a, pages: map[string]map[string]*template.Template{}, zoned: map[zonedKey]map[string]*template.Template{}}
	for _, lang := range []string{ringdesk.LangRU, ringdesk.LangEN} {
		pages, err := parsePages(lang, displayZone, a)
		if err != nil {
			return nil, err
		}
		v.pages[lang] = pages
	}
	return v, nil
}

// page returns the template of page in lang with times shown in zone.
func (v *views) page(lang string, zone *time.Location, page string) (*template.Template, error) {
	if zone == displayZone {
		return v.pages[lang][page], nil
	}
	k := zonedKey{lang, zone.String()}
	v.mu.Lock()
	defer v.mu.Unlock()
	pages, ok := v.zoned[k]
	if !ok {
		var err error
		if pages, err = parsePages(lang, zone, v.assets); err != nil {
			return nil, err
		}
		v.zoned[k] = pages
	}
	return pages[page], nil
}

// parsePages parses every page template for one language and time zone.
func parsePages(lang string, zone *time.Location, a *assets) (map[string]*template.Template, error) {
	files, err := fs.Glob(templatesFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	funcs := templateFuncs(lang, zone, a)
	// The layout and the partials (files named _*.html) are shared by every page.
	base, err := template.New("").Funcs(funcs).ParseFS(templatesFS, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templatesFS, f)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", f, err)
		}
		pages[name] = t
	}
	return pages, nil
}

func templateFuncs(lang string, zone *time.Location, a *assets) template.FuncMap {
	words := liveWordsJSON(lang)
	m := template.FuncMap{
		"t": func(s string) string { return translate(lang, s) },
		// subject is a ticket's subject in the reader's language (one
		// Ringdesk wrote for a call; an agent's stays as written).
		"subject": func(t interface{ SubjectIn(string) string }) string { return t.SubjectIn(lang) },
		// tf translates a wording with fmt verbs, then puts the values in:
		// {{tf "%s is calling back" .Name}}.
		"tf": func(format string, args ...any) string { return fmt.Sprintf(translate(lang, format), args...) },
		"elapsed": func(d time.Duration) string {
			return elapsedText(d).In(func(s string) string { return translate(lang, s) })
		},
		"liveWords": func() string { return words },
		"asset":     a.url,
		"time": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(zone).Format("02.01.2006 15:04")
		},
		"timep": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.In(zone).Format("02.01.2006 15:04")
		},
		"shortTime": func(t time.Time) string { return shortTime(t, time.Now(), zone) },
		"iso":       func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"deref": func(p *int64) any {
			if p == nil {
				return ""
			}
			return *p
		},
		"eq": func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
		"plural": func(n any, one, other string) string {
			var v int64
			switch n := n.(type) {
			case int:
				v = int64(n)
			case int64:
				v = n
			}
			return plural(lang, v, one, other)
		},
		"employeeRow": func(e *desk.ChannelEmployee, p employeesPage) employeeRowData { return employeeRowData{E: e, Page: p} },
	}
	for k, f := range ticketFuncs {
		m[k] = f
	}
	return m
}

// lang picks the UI language: the agent's own, else the server default.
func (s *Server) lang(a *ringdesk.Agent, r *http.Request) string {
	if a != nil && ringdesk.ValidLang(a.Lang) {
		return a.Lang
	}
	if l := r.URL.Query().Get("lang"); ringdesk.ValidLang(l) {
		return l
	}
	return s.cfg.Lang
}

// render writes a page with status 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, page string, d pageData) {
	s.renderStatus(w, r, http.StatusOK, page, d)
}

// renderStatus executes a page into a buffer first, so a template error
// becomes a clean 500 rather than half a page.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, page string, d pageData) {
	if d.Agent == nil {
		d.Agent = agentFrom(r)
	}
	d.Lang = s.lang(d.Agent, r)
	d.Missed = -1
	if d.Agent != nil {
		if n, err := s.desk.MissedOpenCount(r.Context()); err == nil {
			d.Missed = n
		} else {
			s.log.Warn("missed call count", "err", err)
		}
	}
	d.Version = s.cfg.Version
	if r.Method == http.MethodGet {
		d.Path = r.URL.RequestURI()
	}
	if d.Flash == "" {
		d.Flash = flashMessage(r.URL.Query().Get("flash"))
	}
	zone := zoneOf(d.Agent)
	d.Zone = zoneLabel(zone, time.Now())
	t, err := s.views.page(d.Lang, zone, page)
	if err != nil {
		s.log.Error("parse templates", "zone", zone.String(), "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	if t == nil {
		s.log.Error("no such template", "page", page)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", d); err != nil {
		s.log.Error("render", "page", page, "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// flashMessage turns a ?flash= code from a redirect into a message.
func flashMessage(code string) string {
	switch code {
	case "saved":
		return "Saved."
	case "password":
		return "Password changed."
	case "revoked":
		return "Token revoked."
	case "created":
		return "Agent created."
	case "ticket":
		return "Ticket created."
	case "comment":
		return "Comment added."
	case "reply-queued":
		return "Reply queued: it is emailed to the client in a moment."
	case "retry":
		return "The reply is queued to be sent again."
	case "client-email":
		return "Email address added to the client."
	case "handled":
		return "Marked handled: the missed call no longer waits for a call back."
	case "bulk":
		return "Selected tickets updated."
	case "group":
		return "Group created. Choose its agents."
	case "group_deleted":
		return "Group deleted. Its tickets have no group now."
	case "canned":
		return "Canned reply created."
	case "canned_deleted":
		return "Canned reply deleted."
	}
	return ""
}

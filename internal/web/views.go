package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

//go:embed templates/*.html
var templatesFS embed.FS

// views holds every page template, parsed once per UI language so that
// {{t "..."}} needs no per-request work.
type views struct {
	pages map[string]map[string]*template.Template // lang -> page -> template
}

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
	Data   any
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

func parseViews(a *assets) (*views, error) {
	v := &views{pages: map[string]map[string]*template.Template{}}
	files, err := fs.Glob(templatesFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, lang := range []string{ringdesk.LangRU, ringdesk.LangEN} {
		funcs := templateFuncs(lang, a)
		// The layout and the partials (files named _*.html) are shared by every page.
		base, err := template.New("").Funcs(funcs).ParseFS(templatesFS, "templates/layout.html", "templates/_*.html")
		if err != nil {
			return nil, fmt.Errorf("web: parse layout: %w", err)
		}
		v.pages[lang] = map[string]*template.Template{}
		for _, f := range files {
			name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
			if name == "layout" || strings.HasPrefix(name, "_") {
				continue
			}
			t, err := template.Must(base.Clone()).ParseFS(templatesFS, f)
			if err != nil {
				return nil, fmt.Errorf("web: parse %s: %w", f, err)
			}
			v.pages[lang][name] = t
		}
	}
	return v, nil
}

func templateFuncs(lang string, a *assets) template.FuncMap {
	m := template.FuncMap{
		"t":     func(s string) string { return translate(lang, s) },
		"asset": a.url,
		"time": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(displayZone).Format("02.01.2006 15:04")
		},
		"timep": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.In(displayZone).Format("02.01.2006 15:04")
		},
		"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"deref": func(p *int64) any {
			if p == nil {
				return ""
			}
			return *p
		},
		"eq": func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
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
	if d.Flash == "" {
		d.Flash = flashMessage(r.URL.Query().Get("flash"))
	}
	t, ok := s.views.pages[d.Lang][page]
	if !ok {
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
	}
	return ""
}

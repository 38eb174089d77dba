package web

import "encoding/json"

// liveWords are the words live.js shows (the ringing bar, desktop
// notifications, the list's "new calls" note), by the name the script
// uses. The layout hands them to the script translated, in data-words.
var liveWords = map[string]string{
	"incoming":   "Incoming call",
	"outgoing":   "Outgoing call",
	"talking":    "On the call",
	"missed":     "Missed call",
	"ticket":     "Open ticket",
	"client":     "Client",
	"callBack":   "Call back",
	"dismiss":    "Dismiss",
	"line":       "Line",
	"waiting":    "Waiting",
	"collapse":   "Collapse",
	"missedView": "Missed calls",
	"updates":    "New calls.",
	"refresh":    "Refresh",
}

// livePlurals are the live.js messages that name a count: the script's
// name for each and its key in plurals.
var livePlurals = map[string]string{
	"more": "%d more calls",
}

func init() {
	addRU(map[string]string{
		"Calls now":   "Звонки сейчас",
		"On the call": "Идёт разговор",
		"Open ticket": "Открыть обращение",
		"Dismiss":     "Скрыть",
		"Collapse":    "Свернуть",
		"New calls.":  "Новые звонки.",
		"Refresh":     "Обновить",
	})
}

// liveWordsJSON returns liveWords and livePlurals in lang as the JSON
// object live.js reads: plain words as strings, counted messages as their
// plural forms by CLDR category ({"one": "%d more call", ...}), for the
// script to pick with Intl.PluralRules.
func liveWordsJSON(lang string) string {
	m := make(map[string]any, len(liveWords)+len(livePlurals))
	for k, w := range liveWords {
		m[k] = translate(lang, w)
	}
	for k, p := range livePlurals {
		m[k] = pluralForms(lang, p)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// pluralMsg is a message that names a count (%d), in each form a language
// needs, by CLDR plural category: English "one" and "other", Russian
// "one", "few", "many" (and "other", for fractions, which counts of calls
// never are).
type pluralMsg struct {
	en map[string]string
	ru map[string]string
}

// plurals are the counted messages, keyed by the English "other" form.
var plurals = map[string]pluralMsg{
	"%d more calls": {
		en: map[string]string{"one": "%d more call", "other": "%d more calls"},
		ru: map[string]string{"one": "ещё %d звонок", "few": "ещё %d звонка", "many": "ещё %d звонков", "other": "ещё %d звонка"},
	},
}

// pluralForms returns the forms of the counted message key in lang.
func pluralForms(lang, key string) map[string]string {
	p, ok := plurals[key]
	switch {
	case !ok:
		return map[string]string{"other": key}
	case lang == "ru":
		return p.ru
	}
	return p.en
}

// pluralCategory is the CLDR plural category of the whole number n in lang
// (what Intl.PluralRules(lang).select(n) answers in the browser).
func pluralCategory(lang string, n int) string {
	if n < 0 {
		n = -n
	}
	if lang != "ru" {
		if n == 1 {
			return "one"
		}
		return "other"
	}
	switch d, h := n%10, n%100; {
	case d == 1 && h != 11:
		return "one"
	case d >= 2 && d <= 4 && (h < 12 || h > 14):
		return "few"
	}
	return "many"
}

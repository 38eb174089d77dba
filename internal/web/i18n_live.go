package web

import (
	"encoding/json"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

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

// livePlurals are the live.js messages that name a count, by the name the
// script uses: their English forms for one and for other counts.
var livePlurals = map[string][2]string{
	"more": {"%d more call", "%d more calls"},
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
	addRUPlurals(map[string][3]string{
		"%d more calls": {"ещё %d звонок", "ещё %d звонка", "ещё %d звонков"},
	})
}

// liveWordsJSON returns liveWords and livePlurals in lang as the JSON
// object live.js reads: words as strings, counted messages as their forms
// by CLDR plural category ({"one": "%d more call", "other": ...}), which
// the script picks with Intl.PluralRules.
func liveWordsJSON(lang string) string {
	m := make(map[string]any, len(liveWords)+len(livePlurals))
	for k, w := range liveWords {
		m[k] = translate(lang, w)
	}
	for k, p := range livePlurals {
		m[k] = pluralForms(lang, p[0], p[1])
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// pluralForms returns the forms of a counted message by CLDR plural
// category, for a script: English "one" and "other"; Russian "one", "few",
// "many" (ruPlurals' three forms, and "other", for fractions, which counts
// never are).
func pluralForms(lang, one, other string) map[string]string {
	if f, ok := ruPlurals[other]; ok && lang == ringdesk.LangRU {
		return map[string]string{"one": f[0], "few": f[1], "many": f[2], "other": f[1]}
	}
	return map[string]string{"one": one, "other": other}
}

package web

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// zoneChoice is a time zone offered in the profile.
type zoneChoice struct {
	Name  string // IANA name
	Label string // English, translated by the template
}

// agentZones are the zones the profile offers: Russia's, west to east, and
// UTC. The profile accepts only these, which also bounds the page templates
// parsed per zone.
var agentZones = []zoneChoice{
	{"Europe/Kaliningrad", "Kaliningrad"},
	{"Europe/Moscow", "Moscow"},
	{"Europe/Samara", "Samara"},
	{"Asia/Yekaterinburg", "Yekaterinburg"},
	{"Asia/Omsk", "Omsk"},
	{"Asia/Novosibirsk", "Novosibirsk"},
	{"Asia/Krasnoyarsk", "Krasnoyarsk"},
	{"Asia/Irkutsk", "Irkutsk"},
	{"Asia/Yakutsk", "Yakutsk"},
	{"Asia/Vladivostok", "Vladivostok"},
	{"Asia/Magadan", "Magadan"},
	{"Asia/Kamchatka", "Kamchatka"},
	{"UTC", "UTC"},
}

// offeredZone reports whether name is one of agentZones.
func offeredZone(name string) bool {
	for _, z := range agentZones {
		if z.Name == name {
			return true
		}
	}
	return false
}

// zones caches loaded locations: LoadLocation reads the zone database
// every time.
var zones sync.Map // name -> *time.Location

// zoneOf is the zone agent a reads times in: their own, else displayZone.
func zoneOf(a *ringdesk.Agent) *time.Location {
	// The default zone by name too, so its pages are not parsed twice.
	if a == nil || a.TimeZone == "" || a.TimeZone == displayZone.String() {
		return displayZone
	}
	if l, ok := zones.Load(a.TimeZone); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(a.TimeZone)
	if err != nil {
		return displayZone
	}
	zones.Store(a.TimeZone, l)
	return l
}

// zoneOfCtx is the zone of the agent of a request's context.
func zoneOfCtx(ctx context.Context) *time.Location {
	a, _ := ctx.Value(agentKey).(*ringdesk.Agent)
	return zoneOf(a)
}

// zoneLabel names zone as it is at t: "MSK, UTC+03:00" (Go gives zones
// without an abbreviation a numeric one, shown once).
func zoneLabel(zone *time.Location, t time.Time) string {
	abbr, _ := t.In(zone).Zone()
	off := t.In(zone).Format("-07:00")
	if zone == time.UTC || off == "+00:00" && abbr == "UTC" {
		return "UTC"
	}
	if len(abbr) > 0 && (abbr[0] == '+' || abbr[0] == '-') {
		return "UTC" + off
	}
	return fmt.Sprintf("%s, UTC%s", abbr, off)
}

// zoneOption is a choice of the profile's time zone select.
type zoneOption struct {
	Name, Label, Offset string
}

// zoneOptions lists agentZones with their offsets at t.
func zoneOptions(t time.Time) []zoneOption {
	out := make([]zoneOption, 0, len(agentZones))
	for _, z := range agentZones {
		o := zoneOption{Name: z.Name, Label: z.Label}
		if l, err := time.LoadLocation(z.Name); err == nil {
			o.Offset = "UTC" + t.In(l).Format("-07:00")
		}
		out = append(out, o)
	}
	return out
}

package web

import (
	"net/url"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestCallWho: the list shows a call ticket's caller by name and number
// apart, as CallSubjectOf wrote them.
func TestCallWho(t *testing.T) {
	for _, tc := range []struct {
		facts   ringdesk.CallFacts
		display string
		want    whoCalled
	}{
		{ringdesk.CallFacts{ContactName: "ООО «Ромашка» (Москва)"}, "+7 916 123-45-01", whoCalled{Name: "ООО «Ромашка» (Москва)", Number: "+7 916 123-45-01"}},
		{ringdesk.CallFacts{}, "+7 916 123-45-01", whoCalled{Number: "+7 916 123-45-01"}},
		{ringdesk.CallFacts{}, "8005553535", whoCalled{Number: "8005553535"}},
		{ringdesk.CallFacts{}, "anonymous", whoCalled{Name: "anonymous"}},
		{ringdesk.CallFacts{}, "", whoCalled{Name: "—"}},
		{ringdesk.CallFacts{ContactName: "Анна"}, "", whoCalled{Name: "Анна", Number: "—"}},
	} {
		s := ringdesk.CallSubjectOf(tc.facts, tc.display)
		if got := callWho(&s); got != tc.want {
			t.Errorf("callWho(%q) = %+v, want %+v", s.Who, got, tc.want)
		}
	}
}

func TestShortTime(t *testing.T) {
	msk := time.FixedZone("MSK", 3*3600)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, msk)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 12, 3, 6, 30, 0, 0, time.UTC), "09:30"},
		{time.Date(2026, 12, 2, 22, 30, 0, 0, time.UTC), "01:30"}, // the 3rd in Moscow: today
		{time.Date(2026, 12, 2, 20, 30, 0, 0, time.UTC), "02.12 23:30"},
		{time.Date(2025, 12, 31, 12, 0, 0, 0, msk), "31.12.2025"},
		{time.Time{}, ""},
	} {
		if got := shortTime(tc.t, now, msk); got != tc.want {
			t.Errorf("shortTime(%s) = %q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestFilterCounts(t *testing.T) {
	q, _ := url.ParseQuery("view=group&group_id=3&status=open&tag=vip&created_from=2026-01-01&created_to=2026-02-01&sort=created")
	if more, all := moreFilters(q); more != 3 || all != 4 {
		t.Errorf("ticket filters: %d in the panel, %d in all; want 3 and 4", more, all)
	}
	q, _ = url.ParseQuery("direction=in&from=2026-01-01&to=2026-01-02&phone=&cursor=x")
	if n := callFilterCount(q); n != 2 {
		t.Errorf("call filters: %d, want 2", n)
	}
}

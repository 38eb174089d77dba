package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestAgentTimeZone: an agent who picks a time zone in the profile reads
// every page's times in it, with the zone named in the profile link's
// tooltip; others keep the server's zone (Moscow).
func TestAgentTimeZone(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	a.CreateAgent(t, ringdesk.AgentCreate{Name: "Ольга", Email: "olga@example.com", Role: ringdesk.RoleAgent, Password: "password-123"})
	olga := a.Login(t, "olga@example.com", "password-123")
	admin := a.Admin(t)
	client := seedClient(t, a, "Петров Иван", "+79261234567")
	tk, err := a.Desk.CreateTicket(context.Background(), ringdesk.System, ringdesk.TicketCreate{Subject: "Не приходит SMS", ClientID: client})
	if err != nil {
		t.Fatal(err)
	}
	in := func(zone string) string {
		l, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		return tk.CreatedAt.In(l).Format("02.01.2006 15:04")
	}
	ticket := fmt.Sprintf("/tickets/%d", tk.ID)
	if page := html.UnescapeString(olga.Get(t, ticket).Body); !strings.Contains(page, in("Europe/Moscow")) || !strings.Contains(page, "Times are in MSK, UTC+03:00") {
		t.Fatalf("by default the ticket page is not in Moscow time")
	}
	profile := html.UnescapeString(olga.Get(t, "/profile").Body)
	for _, want := range []string{`<option value="">Server default: Europe/Moscow (MSK, UTC+03:00)</option>`, `value="Asia/Vladivostok"`, `Yekaterinburg (UTC+05:00)`, `value="UTC"`} {
		if !strings.Contains(profile, want) {
			t.Errorf("the profile's zone select lacks %s", want)
		}
	}
	res := olga.PostForm(t, "/profile", url.Values{"name": {"Ольга"}, "email": {"olga@example.com"}, "lang": {"en"}, "time_zone": {"Asia/Vladivostok"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save zone: %d %s", res.StatusCode, res.Body)
	}
	for _, path := range []string{ticket, "/tickets?view=all", fmt.Sprintf("/clients/%d", client)} {
		page := html.UnescapeString(olga.Get(t, path).Body)
		if !strings.Contains(page, in("Asia/Vladivostok")) || strings.Contains(page, in("Europe/Moscow")) {
			t.Errorf("%s is not in Vladivostok time", path)
		}
		if !strings.Contains(page, "Times are in UTC+10:00") {
			t.Errorf("%s does not name the zone", path)
		}
	}
	if !strings.Contains(html.UnescapeString(olga.Get(t, "/profile").Body), `<option value="Asia/Vladivostok" selected>`) {
		t.Errorf("the profile does not show the chosen zone")
	}
	// The admin still reads Moscow time.
	if page := html.UnescapeString(admin.Get(t, ticket).Body); !strings.Contains(page, in("Europe/Moscow")) {
		t.Errorf("another agent's page moved out of Moscow time")
	}
	// Zones outside the list, and nonsense, are refused; "" goes back to
	// the server's zone.
	for _, bad := range []string{"Mars/Olympus", "Local", "Europe/Paris"} {
		res := olga.PostForm(t, "/profile", url.Values{"name": {"Ольга"}, "email": {"olga@example.com"}, "lang": {"en"}, "time_zone": {bad}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(res.Body), "Unknown time zone.") {
			t.Errorf("zone %q: %d", bad, res.StatusCode)
		}
	}
	olga.PostForm(t, "/profile", url.Values{"name": {"Ольга"}, "email": {"olga@example.com"}, "lang": {"ru"}, "time_zone": {""}})
	if page := html.UnescapeString(olga.Get(t, ticket).Body); !strings.Contains(page, in("Europe/Moscow")) || !strings.Contains(page, "Время указано в поясе MSK, UTC+03:00") {
		t.Errorf("back to the default, the page is not in Moscow time")
	}
	if !ringdesk.ValidTimeZone("Asia/Omsk") || ringdesk.ValidTimeZone("Local") || ringdesk.ValidTimeZone("") {
		t.Error("ValidTimeZone is wrong about Asia/Omsk, Local or the empty name")
	}
}

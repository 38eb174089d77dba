package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestLoginThrottleIsAtomic: with many wrong passwords at once over real
// HTTP, no more than the limit are checked (401) before the rest are
// refused (429), for each of the three limits. On PostgreSQL the attempts
// are spread over two instances on one database, which must agree.
func TestLoginThrottleIsAtomic(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	apps := []*apptest.App{a}
	if storetest.Dialect() == "postgres" {
		dsn := a.Config.DB
		apps = append(apps, apptest.New(t, func(c *app.Config, _ *app.Options) { c.DB = dsn }))
	}
	a.CreateAgent(t, ringdesk.AgentCreate{Email: "victim@example.com", Role: ringdesk.RoleAgent})
	const limit, wide = 10, 50

	// attack sends n wrong passwords from workers clients at once, the i-th
	// for email(i) from ip(i), and counts the answers by status.
	attack := func(t *testing.T, workers, n int, email, ip func(i int) string) map[int]int {
		t.Helper()
		var mu sync.Mutex
		got := map[int]int{}
		next := make(chan int)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := apps[w%len(apps)].Anon(t)
				for i := range next {
					res := c.Do(t, "POST", "/login", strings.NewReader(url.Values{"email": {email(i)}, "password": {"wrong-password"}}.Encode()),
						http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Forwarded-For": {ip(i)}})
					if res.StatusCode == 429 && res.Header.Get("Retry-After") == "" {
						t.Errorf("429 without Retry-After")
					}
					mu.Lock()
					got[res.StatusCode]++
					mu.Unlock()
				}
			}()
		}
		for i := range n {
			next <- i
		}
		close(next)
		wg.Wait()
		return got
	}
	cases := []struct {
		name      string
		n         int
		email, ip func(i int) string
		checked   int
	}{
		{"one account from one IP", 40, func(int) string { return "victim@example.com" }, func(int) string { return "10.0.0.1" }, limit},
		{"one account from many IPs", 80, func(int) string { return "target@example.com" }, func(i int) string { return fmt.Sprintf("10.1.%d.%d", i/8, i%8) }, wide},
		{"many accounts from one IP", 80, func(i int) string { return fmt.Sprintf("nobody%d@example.com", i) }, func(int) string { return "10.2.0.1" }, wide},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := attack(t, 8, c.n, c.email, c.ip)
			if got[401] != c.checked || got[429] != c.n-c.checked || len(got) != 2 {
				t.Errorf("answers %v; want %d checked (401) and %d refused (429)", got, c.checked, c.n-c.checked)
			}
		})
	}
	// The right password is refused too once a limit is reached, and a
	// success elsewhere is untouched by the attack.
	res := a.Anon(t).Do(t, "POST", "/login", strings.NewReader(url.Values{"email": {"victim@example.com"}, "password": {"agent-password-1"}}.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Forwarded-For": {"10.0.0.1"}})
	if res.StatusCode != 429 {
		t.Errorf("right password after the attack: %d, want 429", res.StatusCode)
	}
	res = a.Anon(t).Do(t, "POST", "/login", strings.NewReader(url.Values{"email": {apptest.AdminEmail}, "password": {apptest.AdminPassword}}.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Forwarded-For": {"10.3.0.1"}})
	if res.StatusCode != 303 {
		t.Errorf("another account from another IP: %d, want a login", res.StatusCode)
	}
}

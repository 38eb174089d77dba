package desk

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

func TestReconcileWait(t *testing.T) {
	t.Parallel()
	every := 5 * time.Minute
	for _, c := range []struct {
		failures int
		want     time.Duration
	}{{0, 150 * time.Second}, {1, 10 * time.Minute}, {2, 20 * time.Minute}, {3, 40 * time.Minute}, {4, time.Hour}, {30, time.Hour}} {
		if got := reconcileWait(every, c.failures); got != c.want {
			t.Errorf("reconcileWait(%v, %d) = %v, want %v", every, c.failures, got, c.want)
		}
	}
}

// TestLostFilter: the look-back asks for the channel's numbers and sources
// as the run does, and for lost calls only unless the account refused that.
func TestLostFilter(t *testing.T) {
	t.Parallel()
	js := func(f *uis.Filter) string {
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	isLost := `{"field":"is_lost","operator":"=","value":true}`
	num := `{"field":"virtual_phone_number","operator":"=","value":"74950000001"}`
	src := `{"field":"source","operator":"=","value":"va"}`
	one := ringdesk.UISSettings{VirtualNumbers: []string{"74950000001"}}
	both := ringdesk.UISSettings{VirtualNumbers: []string{"74950000001"}, ReportSources: []string{"va"}}
	for _, c := range []struct {
		s    ringdesk.UISSettings
		lost bool
		want string
	}{
		{ringdesk.UISSettings{}, true, isLost},
		{ringdesk.UISSettings{}, false, "null"},
		{one, true, `{"filters":[` + num + `,` + isLost + `],"condition":"and"}`},
		{one, false, num},
		{both, true, `{"filters":[` + num + `,` + src + `,` + isLost + `],"condition":"and"}`},
		{both, false, `{"filters":[` + num + `,` + src + `],"condition":"and"}`},
	} {
		if got := js(lostFilter(c.s, c.lost)); got != c.want {
			t.Errorf("lostFilter(%+v, %v) = %s, want %s", c.s, c.lost, got, c.want)
		}
	}
	// The run's own filter is not changed by the look-back's.
	if got := js(reportFilter(both)); got != `{"filters":[`+num+`,`+src+`],"condition":"and"}` {
		t.Errorf("reportFilter after lostFilter: %s", got)
	}
}

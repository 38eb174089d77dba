package web_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
)

// TestWebhookHangupsDoNotFailOthers: a sender that hangs up must never fail
// its neighbours in the same group commit. Eight senders send every event
// three times with a client timeout of 1-4 ms (so requests are cancelled
// while their batch runs) and at the same time once patiently. No patient send may get
// anything but 200, and every call is stored exactly once.
func TestWebhookHangupsDoNotFailOthers(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	const calls, senders = 120, 8
	url := a.URL + "/telephony/uis/webhook/"
	patient := &http.Client{Timeout: 30 * time.Second}
	work := make(chan int)
	var bad atomic.Int64
	var mu sync.Mutex
	var failures []string
	var wg sync.WaitGroup
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range work {
				for i, e := range benchBodies(t, tel.Token, n) {
					for k := range 3 { // impatient copies, racing the patient one
						wg.Add(1)
						go func() {
							defer wg.Done()
							impatient := &http.Client{Timeout: time.Duration(1+(n+i+k)%4) * time.Millisecond}
							if res, err := impatient.Post(url+e.kind+"/", "application/json", strings.NewReader(e.body)); err == nil {
								res.Body.Close()
							}
						}()
					}
					res, err := patient.Post(url+e.kind+"/", "application/json", strings.NewReader(e.body))
					if err != nil {
						t.Error(err)
						continue
					}
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						bad.Add(1)
						mu.Lock()
						failures = append(failures, e.kind+": "+res.Status)
						mu.Unlock()
					}
				}
			}
		}()
	}
	for n := range calls {
		work <- n
	}
	close(work)
	wg.Wait()
	if bad.Load() > 0 {
		t.Fatalf("%d patient sends failed: %v", bad.Load(), failures[:min(len(failures), 10)])
	}
	var n int
	if err := a.DB.QueryRowForTest(context.Background(), `SELECT COUNT(*) FROM calls WHERE channel_id = $1 AND state = 'finished'`,
		tel.Channel.ID).Scan(&n); err != nil || n != calls {
		t.Fatalf("finished calls = %d (%v), want %d", n, err, calls)
	}
}

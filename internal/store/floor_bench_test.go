package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkIngestFloor measures what the database alone allows webhook
// ingestion on this machine, as a ratio to a bare net/http handler in the
// same run (PERFORMANCE.md's method): 32 senders post 2.3 KB bodies over
// loopback; the handler reads the body and runs N single-row INSERTs of it
// in the group-committed writer Ringdesk's webhooks use (store.inBatch),
// answering after the commit. N=1 is the least any durable webhook can do;
// N=8 is about the statement count of a new call's first event (lookup,
// client, phone, ticket, call, timeline, raw event, employee sighting).
//
//	go test -run '^$' -bench IngestFloor -benchtime 20000x ./internal/store/
//	RINGDESK_TEST_POSTGRES=... go test -run '^$' -bench IngestFloor -benchtime 20000x ./internal/store/
func BenchmarkIngestFloor(b *testing.B) {
	body := bytes.Repeat([]byte(`{"k":"v"}`), 256)
	bareHandler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Write([]byte(`{"ok":true}`))
	})
	for _, n := range []int{1, 8} {
		b.Run(fmt.Sprintf("inserts_%d", n), func(b *testing.B) {
			events := max(b.N, 2000)
			bare := floorDrive(b, bareHandler, body, events)
			db := openBatchTestDB(b)
			ctx := context.Background()
			if _, err := db.w.ExecContext(ctx, `CREATE TABLE floor_events (id BIGINT, body TEXT)`); err != nil {
				b.Fatal(err)
			}
			var seq atomic.Int64
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				raw, _ := io.ReadAll(r.Body)
				id := seq.Add(1)
				err := db.inBatch(r.Context(), id, func(ctx context.Context, tx *sql.Tx) error {
					for range n {
						if _, err := tx.ExecContext(ctx, `INSERT INTO floor_events (id, body) VALUES ($1, $2)`, id, string(raw)); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					http.Error(w, err.Error(), http.StatusServiceUnavailable)
					return
				}
				w.Write([]byte(`{"ok":true}`))
			})
			got := floorDrive(b, h, body, events)
			b.ReportMetric(got/bare, "ratio")
			b.ReportMetric(got, "events/s")
			b.ReportMetric(bare, "bare_events/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// floorDrive posts events bodies to h with 32 senders and returns the rate.
func floorDrive(b *testing.B, h http.Handler, body []byte, events int) float64 {
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(events) {
				res, err := client.Post(srv.URL, "application/json", bytes.NewReader(body))
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if f := failed.Load(); f > 0 {
		b.Fatalf("%d requests failed", f)
	}
	return float64(events) / time.Since(start).Seconds()
}

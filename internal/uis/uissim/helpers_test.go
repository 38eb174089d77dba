package uissim

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// testScale plays a simulated second in 0.2 ms: a 30-second call takes 6 ms.
const testScale = 0.0002

// newSim starts a simulator behind an httptest server and returns both; mod adjusts the
// test config (fast clock, fixed seed, quick retries).
func newSim(t *testing.T, mod func(*Config)) (*Simulator, string) {
	t.Helper()
	cfg := Config{TimeScale: testScale, Seed: 42, Delivery: DeliveryConfig{Backoff: time.Millisecond, Timeout: 2 * time.Second}}
	if mod != nil {
		mod(&cfg)
	}
	sim, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(sim.Handler())
	sim.SetBaseURL(srv.URL)
	t.Cleanup(func() {
		sim.Close()
		srv.Close()
	})
	return sim, srv.URL
}

// received is one request a receiver got.
type received struct {
	Method, Path, RawQuery, Body string
}

// receiver is a helpdesk stand-in that records notifications; status decides the answer
// to the n-th request (1-based), default 200.
type receiver struct {
	mu     sync.Mutex
	got    []received
	status func(n int) int
	delay  time.Duration
	srv    *httptest.Server
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	rv := &receiver{}
	rv.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rv.mu.Lock()
		rv.got = append(rv.got, received{r.Method, r.URL.Path, r.URL.RawQuery, string(b)})
		n, st, d := len(rv.got), rv.status, rv.delay
		rv.mu.Unlock()
		if d > 0 {
			time.Sleep(d)
		}
		code := 200
		if st != nil {
			code = st(n)
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(rv.srv.Close)
	return rv
}

func (rv *receiver) all() []received {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	return append([]received(nil), rv.got...)
}

// events returns the webhook event names in arrival order (the last path segment).
func (rv *receiver) events() []string {
	var out []string
	for _, g := range rv.all() {
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(g.Path, "/telephony/uis/webhook/"), "/"))
	}
	return out
}

// decoded returns the JSON bodies received for an event.
func (rv *receiver) decoded(t *testing.T, ev EventType) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, g := range rv.all() {
		if !strings.Contains(g.Path, "/"+string(ev)+"/") {
			continue
		}
		var m map[string]any
		dec := json.NewDecoder(strings.NewReader(g.Body))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("%s body is not valid JSON: %v\n%s", ev, err, g.Body)
		}
		out = append(out, m)
	}
	return out
}

func waitIdle(t *testing.T, sim *Simulator) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sim.WaitIdle(ctx); err != nil {
		t.Fatalf("WaitIdle: %v", err)
	}
}

// rpcResp is a decoded JSON-RPC response.
type rpcResp struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      any             `json:"id"`
	Result  *rpcResult      `json:"result"`
	Error   *rpcErrResponse `json:"error"`
	Status  int             `json:"-"`
}

type rpcResult struct {
	Data     json.RawMessage `json:"data"`
	Metadata map[string]any  `json:"metadata"`
}

type rpcErrResponse struct {
	Code    int            `json:"code"`
	Message string         `json:"message"`
	Data    map[string]any `json:"data"`
}

func postRaw(t *testing.T, url, body string) rpcResp {
	t.Helper()
	resp, err := http.Post(url, "application/json; charset=UTF-8", strings.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want JSON; body %s", ct, b)
	}
	var r rpcResp
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, b)
	}
	r.Status = resp.StatusCode
	return r
}

// rpcCall sends one JSON-RPC request with id "t1".
func rpcCall(t *testing.T, url, method string, params map[string]any) rpcResp {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": "t1", "method": method, "params": params})
	return postRaw(t, url, string(b))
}

// mustData calls a method that must succeed and decodes result.data into v.
func mustData(t *testing.T, url, method string, params map[string]any, v any) rpcResp {
	t.Helper()
	r := rpcCall(t, url, method, params)
	if r.Error != nil {
		t.Fatalf("%s: error %d %v %s", method, r.Error.Code, r.Error.Data["mnemonic"], r.Error.Message)
	}
	if v != nil {
		dec := json.NewDecoder(bytes.NewReader(r.Result.Data))
		dec.UseNumber()
		if err := dec.Decode(v); err != nil {
			t.Fatalf("%s: decode data: %v", method, err)
		}
	}
	return r
}

func num(t *testing.T, v any) int64 {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("%v (%T) is not a number", v, v)
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatalf("%v is not an integer", v)
	}
	return i
}

// ctl sends a control API request and decodes the JSON answer into out (if not nil).
func ctl(t *testing.T, method, url string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, url, rd)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s %s: Content-Type %q", method, url, ct)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, url, b, err)
		}
	}
	return resp.StatusCode
}

package uissim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRPC feeds arbitrary bodies to both APIs: the answer must always be HTTP 200 with a
// JSON-RPC body carrying either a result or an error with a mnemonic, never a panic.
func FuzzRPC(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `[]`, `null`, `{"jsonrpc":"2.0","id":1,"method":"list.calls","params":{"access_token":"` + DefaultAPIKey + `"}}`,
		envelope("start.employee_call", callParams(nil)),
		envelope("get.calls_report", map[string]any{"access_token": DefaultAPIKey, "date_from": "2024-01-01 00:00:00", "date_till": "2024-01-02 00:00:00",
			"filter": map[string]any{"filters": []any{map[string]any{"field": "id", "operator": "in", "value": []int{1}}}, "condition": "or"}}),
		`{"jsonrpc":"2.0","id":1,"method":"get.employees","params":{"access_token":"` + DefaultAPIKey + `","sort":[{"field":"id","order":"desc"}],"filter":{"field":"id","operator":"regexp","value":"[0-9"}}}`,
	} {
		f.Add(seed)
	}
	sim, err := New(Config{TimeScale: testScale, Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { sim.Close() })
	h := sim.Handler()
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/v4.0", "/v2.0"} {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				t.Fatalf("%s: status %d", path, rec.Code)
			}
			var resp struct {
				Result json.RawMessage `json:"result"`
				Error  *struct {
					Data struct {
						Mnemonic string `json:"mnemonic"`
					} `json:"data"`
				} `json:"error"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
				t.Fatalf("%s: not JSON: %v", path, err)
			}
			if (resp.Error == nil) == (resp.Result == nil) || (resp.Error != nil && resp.Error.Data.Mnemonic == "") {
				t.Fatalf("%s: neither a result nor an error with a mnemonic: %s", path, rec.Body)
			}
		}
	})
}

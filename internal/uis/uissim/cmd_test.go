package uissim

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMainLoadMode(t *testing.T) {
	t.Parallel()
	rv := newReceiver(t)
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := Main(ctx, []string{"--addr", "127.0.0.1:0", "--time-scale", "0.0002", "--load", "100", "--duration", "100ms",
		"--notify-base", rv.srv.URL, "--channel-token", "tok", "--seed", "3"}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("Main: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"API key: " + DefaultAPIKey, "employee 323401 Иванов Иван Петрович", "virtual number 74951234567", "load finished:", "/telephony/uis/webhook/call_finished/"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if len(rv.decoded(t, EventCallFinished)) == 0 {
		t.Errorf("no call_finished delivered in load mode")
	}
}

func TestMainAccountFileAndShutdown(t *testing.T) {
	t.Parallel()
	a := DefaultAccount()
	a.AppID = 777
	a.APIKeys = []APIKey{{Key: "file-key"}}
	b, _ := json.Marshal(a)
	path := filepath.Join(t.TempDir(), "account.json")
	os.WriteFile(path, b, 0o600)
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := Main(ctx, []string{"--addr", "127.0.0.1:0", "--account", path, "--tls-addr", "127.0.0.1:0"}, &stdout, &stderr); err != nil {
		t.Fatalf("Main: %v", err)
	}
	if out := stdout.String(); !strings.Contains(out, "app_id 777") || !strings.Contains(out, "API key: file-key") ||
		!strings.Contains(out, "HTTPS:     https://127.0.0.1:") {
		t.Errorf("stdout = %s", out)
	}
}

func TestMainBadInput(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"app_id":1,"colour":"red"}`), 0o600)
	tests := [][]string{
		{"--no-such-flag"},
		{"--addr", "127.0.0.1:0", "extra"},
		{"--addr", "127.0.0.1:0", "--account", "/nonexistent.json"},
		{"--addr", "127.0.0.1:0", "--account", bad},
		{"--addr", "127.0.0.1:0", "--load", "1000", "--duration", "1s"},
		{"--addr", "127.0.0.1:0", "--notify-base", "not a url"},
	}
	for _, args := range tests {
		var stdout, stderr bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := Main(ctx, args, &stdout, &stderr)
		cancel()
		if err == nil {
			t.Errorf("Main(%q) = nil, want error", args)
		}
	}
}

package app_test

import (
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ringdesk/ringdesk/internal/app"
)

// TestInstanceIDStableAndUnique: a process restarted on the same data dir
// gets the same instance id (so it can release what its dead predecessor
// held); a second process on a data dir in use gets a one-off id, never
// the running one's; --instance-id / RINGDESK_INSTANCE_ID wins.
func TestInstanceIDStableAndUnique(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	dir := filepath.Join(t.TempDir(), "data")
	cfg := app.Config{DataDir: dir}
	first, release1, err := app.ResolveInstanceID(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	if !strings.HasPrefix(first, host+"-") {
		t.Errorf("id %q does not start with the host name %q", first, host)
	}
	second, release2, err := app.ResolveInstanceID(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	if second == first {
		t.Fatalf("two running processes on one data dir share the id %q", first)
	}
	release2()
	release1()
	again, release3, err := app.ResolveInstanceID(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	defer release3()
	if again != first {
		t.Fatalf("after a restart the id is %q, want %q", again, first)
	}

	var c app.Config
	env := map[string]string{"RINGDESK_INSTANCE_ID": "ringdesk-0"}
	if err := c.ParseFlags(flag.NewFlagSet("t", flag.ContinueOnError), []string{"--data", dir}, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if id, release, err := app.ResolveInstanceID(c, log); err != nil || id != "ringdesk-0" {
		t.Fatalf("explicit id: %q %v", id, err)
	} else {
		release()
	}
	env["RINGDESK_INSTANCE_ID"] = "two words"
	if err := c.ParseFlags(flag.NewFlagSet("t", flag.ContinueOnError), nil, func(k string) string { return env[k] }); err == nil ||
		!strings.Contains(err.Error(), "--instance-id") {
		t.Fatalf("an id with a space: %v", err)
	}
}

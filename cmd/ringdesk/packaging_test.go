package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// repoFile reads a file at the repository's root.
func repoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDockerfileBuildsStaticBinary runs the Dockerfile's build line as it
// stands (no container engine runs in CI): it must give a static binary
// with no interpreter and no shared libraries, which then runs; and the
// final image must be small and run it as a user other than root.
func TestDockerfileBuildsStaticBinary(t *testing.T) {
	// The build (cgo off, -trimpath: a build cache of its own) overlaps the
	// package's other parallel tests instead of adding to them.
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	df := repoFile(t, "Dockerfile")
	var build string
	for _, line := range strings.Split(df, "\n") {
		if strings.HasPrefix(line, "RUN ") && strings.Contains(line, "go build") {
			build = strings.TrimPrefix(line, "RUN ")
		}
	}
	if !strings.HasPrefix(build, "CGO_ENABLED=0 go build") || !strings.Contains(build, "-o /out/ringdesk ./cmd/ringdesk") {
		t.Fatalf("the Dockerfile's build line is %q; want CGO_ENABLED=0 go build ... -o /out/ringdesk ./cmd/ringdesk", build)
	}
	out := filepath.Join(t.TempDir(), "ringdesk")
	build = strings.ReplaceAll(strings.ReplaceAll(build, "/out/ringdesk", out), "${VERSION}", "packaging-test")
	cmd := exec.Command("sh", "-c", build)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1") // the line itself must turn cgo off
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", build, err, b)
	}
	f, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("the binary asks for a dynamic loader: not static")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs %v: not static", libs)
	}
	if b, err := exec.Command(out, "version").Output(); err != nil || strings.TrimSpace(string(b)) != "ringdesk packaging-test" {
		t.Errorf("ringdesk version: %q %v", b, err)
	}

	stages := regexp.MustCompile(`(?m)^FROM (\S+)`).FindAllStringSubmatch(df, -1)
	if len(stages) < 2 {
		t.Fatalf("want a multi-stage build, got %v", stages)
	}
	final := stages[len(stages)-1][1]
	if !strings.HasPrefix(final, "gcr.io/distroless/static") && final != "scratch" {
		t.Errorf("final image %s: want distroless/static or scratch", final)
	}
	user := regexp.MustCompile(`(?m)^USER (\S+)`).FindAllStringSubmatch(df, -1)
	if len(user) == 0 || strings.HasPrefix(user[len(user)-1][1], "0") || strings.HasPrefix(user[len(user)-1][1], "root") {
		t.Errorf("the image must run as a user other than root: USER %v", user)
	}
}

// TestComposeTwoInstances: the compose file runs two instances on one
// PostgreSQL with one secret key, behind a proxy that checks /readyz and
// passes live updates on unbuffered.
func TestComposeTwoInstances(t *testing.T) {
	t.Parallel()
	c := repoFile(t, "docker-compose.yml")
	for _, want := range []string{"  ringdesk1:\n    <<: *ringdesk", "  ringdesk2:\n    <<: *ringdesk", "image: postgres:",
		"RINGDESK_DB: postgres://", "RINGDESK_SECRET_KEY_FILE: /run/secrets/ringdesk_secret_key", "image: caddy:",
		"./deploy/Caddyfile:/etc/caddy/Caddyfile", "condition: service_healthy"} {
		if !strings.Contains(c, want) {
			t.Errorf("docker-compose.yml lacks %q", want)
		}
	}
	if strings.Contains(c, "\t") {
		t.Errorf("docker-compose.yml has tabs: YAML wants spaces")
	}
	cf := repoFile(t, "deploy/Caddyfile")
	for _, want := range []string{"reverse_proxy ringdesk1:8080 ringdesk2:8080", "health_uri /readyz", "flush_interval -1"} {
		if !strings.Contains(cf, want) {
			t.Errorf("deploy/Caddyfile lacks %q", want)
		}
	}
}

// TestSystemdUnit: the unit is hardened, and systemd-analyze (when
// installed) finds nothing wrong with it.
func TestSystemdUnit(t *testing.T) {
	t.Parallel()
	u := repoFile(t, "deploy/ringdesk.service")
	for _, want := range []string{"ExecStart=/usr/local/bin/ringdesk serve", "DynamicUser=yes", "StateDirectory=ringdesk",
		"NoNewPrivileges=yes", "ProtectSystem=strict", "CapabilityBoundingSet=\n", "SystemCallFilter=@system-service",
		"RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "MemoryDenyWriteExecute=yes"} {
		if !strings.Contains(u, want) {
			t.Errorf("deploy/ringdesk.service lacks %q", want)
		}
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed")
	}
	// verify wants ExecStart to exist: point it at a stand-in.
	dir := t.TempDir()
	bin := filepath.Join(dir, "ringdesk")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	unit := filepath.Join(dir, "ringdesk.service")
	if err := os.WriteFile(unit, []byte(strings.ReplaceAll(u, "/usr/local/bin/ringdesk", bin)), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(analyze, "verify", unit).CombinedOutput(); err != nil || len(strings.TrimSpace(string(b))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, b)
	}
}

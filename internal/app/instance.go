package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/ringdesk/ringdesk/internal/jobs"
	"github.com/ringdesk/ringdesk/internal/store"
)

// instanceFile keeps the data dir's instance id; while a process uses the
// id it holds an exclusive lock on the file.
const instanceFile = "instance-id"

// checkInstanceID validates --instance-id: empty, or up to 100 printable
// characters without spaces.
func checkInstanceID(id string) error {
	if len(id) > 100 || strings.IndexFunc(id, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return fmt.Errorf("invalid --instance-id %q: use up to 100 characters without spaces", id)
	}
	return nil
}

// ResolveInstanceID returns the name this process holds leases and outbox
// claims under, and a function to call when it stops.
//
// An id from --instance-id is used as it is: the operator promises no other
// running instance has it (a StatefulSet's pod name, a systemd instance
// name). Otherwise the id is the host name and a random id kept in the data
// dir's instance-id file, held under an exclusive lock (flock) while the
// process runs: a process restarted on the same data dir (SQLite's one
// instance, or one of several on PostgreSQL, each with its data dir) gets
// the same id back, so it can release at once what its dead predecessor
// held; the host name keeps instances apart that share a data dir over a
// network file system. When another running process holds the lock (two
// processes on one data dir), this one takes a one-off id (host, pid,
// random) and waits for leases and claims to expire after a crash, as
// before.
//
// The kernel drops the lock when a process dies, even by SIGKILL, so a
// live process never shares its id through the file.
func ResolveInstanceID(cfg Config, log *slog.Logger) (id string, release func(), err error) {
	if cfg.InstanceID != "" {
		return cfg.InstanceID, func() {}, nil
	}
	host, _ := os.Hostname()
	if host == "" {
		host = "ringdesk"
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return "", nil, fmt.Errorf("instance id: %w", err)
	}
	path := filepath.Join(cfg.DataDir, instanceFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return "", nil, fmt.Errorf("instance id: %w", err)
	}
	locked, err := lockFile(f)
	if err != nil {
		f.Close()
		return "", nil, fmt.Errorf("instance id: lock %s: %w", path, err)
	}
	if !locked {
		f.Close()
		id := jobs.DefaultHolder()
		log.Info("another process uses this data dir's instance id; this one runs under a one-off id", "instance_id", id, "data", cfg.DataDir)
		return id, func() {}, nil
	}
	b := make([]byte, 64)
	n, _ := f.ReadAt(b, 0)
	saved := string(bytes.TrimSpace(b[:n]))
	if len(saved) != 16 {
		r := make([]byte, 8)
		_, _ = rand.Read(r)
		saved = hex.EncodeToString(r)
		if err := f.Truncate(0); err == nil {
			_, err = f.WriteAt([]byte(saved+"\n"), 0)
		}
		if err == nil {
			err = f.Sync()
		}
		if err != nil {
			f.Close()
			return "", nil, fmt.Errorf("instance id: write %s: %w", path, err)
		}
	}
	return host + "-" + saved, func() { f.Close() }, nil
}

// releaseInstance gives up, at start, what a dead process of this
// instance id held: without it a restarted process would wait for its own
// mailbox leases (1 minute), job leases (30 s) and outbox claims (2
// minutes) to expire.
func releaseInstance(ctx context.Context, db *store.DB, id string, log *slog.Logger) error {
	r, err := db.ReleaseInstance(ctx, id)
	if err != nil {
		return err
	}
	if r.Leases > 0 || r.Claims > 0 {
		// A process that stops cleanly releases its leases itself: this
		// is after a crash or a kill.
		log.Warn("released what this instance held when it stopped", "instance_id", id, "leases", r.Leases, "outbox_claims", r.Claims)
	}
	for _, r := range r.InDoubt {
		log.Warn("email: a reply was being sent when this instance stopped; the server may have taken it, so it is sent again with the same Message-ID",
			"outbox_id", r.ID, "message_id", r.MessageID, "instance_id", id)
	}
	return nil
}

package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/recording"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestArchiveMigrate: recordings archived as files in the data dir move
// into the database with `ringdesk archive migrate`, the files go, and a
// Ringdesk keeping its archive in the database (on PostgreSQL with
// another data dir, as a second instance would) plays them after UIS has forgotten them. Running
// the command again moves nothing.
func TestArchiveMigrate(t *testing.T) {
	t.Parallel()
	fast := func(store string) apptest.Option {
		return func(cfg *app.Config, o *app.Options) {
			cfg.ArchiveStore = store
			o.Archive = recording.Config{Interval: 20 * time.Millisecond, Backoff: 20 * time.Millisecond, MaxAttempts: 1000}
		}
	}
	a := apptest.New(t, fast("dir"))
	tel := apptest.NewTelephony(t, a)
	s := tel.Channel.UIS
	s.ArchiveRecordings = true
	if _, err := a.Desk.UpdateChannel(context.Background(), ringdesk.System, tel.Channel.ID, ringdesk.ChannelUpdate{UIS: &s}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := range 2 {
		c := tel.Call(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "7903777050" + strconv.Itoa(i), EmployeeIDs: []int64{323401}, TalkSeconds: 4})
		ids = append(ids, c.ID)
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, id := range ids {
		for {
			st, _, err := a.DB.RecordingArchiveState(context.Background(), id, 1)
			if err != nil {
				t.Fatal(err)
			}
			if st == "done" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("call %d not archived: %q", id, st)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	files, _ := filepath.Glob(filepath.Join(a.Config.DataDir, "recordings", "*"))
	if len(files) != 2 {
		t.Fatalf("files before: %v", files)
	}
	dsn, dir := a.Config.DB, a.Config.DataDir
	a.Stop()

	getenv := env(map[string]string{})
	out, err := runCmd(t, getenv, "archive", "migrate", "--data", dir, "--db", dsn)
	if err != nil || !strings.Contains(out, "moved 2 recordings") || !strings.Contains(out, "0 files missing") {
		t.Fatalf("archive migrate: %v\n%s", err, out)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "recordings", "*")); len(files) != 0 {
		t.Fatalf("files after: %v", files)
	}
	if out, err := runCmd(t, getenv, "archive", "migrate", "--data", dir, "--db", dsn); err != nil || !strings.Contains(out, "moved 0 recordings") {
		t.Fatalf("archive migrate again: %v\n%s", err, out)
	}

	tel.Sim.Close() // only the archive has the recordings now
	bdir := dir     // SQLite: the database is in the data dir
	if dsn != "" {
		bdir = t.TempDir() // PostgreSQL: another instance's data dir, without the files
	}
	b := apptest.New(t, fast("db"), func(cfg *app.Config, o *app.Options) { cfg.DB, cfg.DataDir = dsn, bdir })
	web := b.Admin(t)
	for _, id := range ids {
		res := web.Get(t, "/calls/"+strconv.FormatInt(id, 10)+"/recordings/1")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Body, "RIFF") {
			t.Fatalf("call %d after the move: %d (%d bytes)", id, res.StatusCode, len(res.Body))
		}
		if size, ok, err := b.DB.RecordingBlobSize(context.Background(), id, 1); err != nil || !ok || size != int64(len(res.Body)) {
			t.Fatalf("call %d in the database: %d bytes, %v, %v; played %d", id, size, ok, err, len(res.Body))
		}
	}
	if out, err := runCmd(t, getenv, "archive", "copy"); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Fatalf("archive copy: %v %s", err, out)
	}
}

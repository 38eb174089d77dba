package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/ringdesk/ringdesk/internal/app"
	"github.com/ringdesk/ringdesk/internal/recording"
)

// archiveCmd is `ringdesk archive migrate`: it moves recordings archived
// as files in the data dir into the database, the archive every instance
// reads (the default on PostgreSQL), so that a desk that ran on one
// machine can run as several.
func archiveCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || args[0] != "migrate" {
		return fmt.Errorf("usage: ringdesk archive migrate [--data DIR] [--db URL]")
	}
	fs := flag.NewFlagSet("archive migrate", flag.ContinueOnError)
	cfg, log, db, err := openStore(ctx, fs, args[1:], stderr, getenv, "")
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := recording.NewArchive(db, cfg.DataDir, true).Migrate(ctx, log)
	fmt.Fprintf(stdout, "moved %d recordings (%d bytes) into the database; %d files missing\n", res.Moved, res.Bytes, res.Missing)
	if err != nil {
		return fmt.Errorf("archive migrate: %w (run it again to resume)", err)
	}
	if !app.ArchiveInDB(cfg, db.Dialect()) {
		fmt.Fprintln(stdout, "note: with this database and --archive-store, new recordings still go to the data dir; start Ringdesk with --archive-store db to keep them in the database too")
	}
	return nil
}

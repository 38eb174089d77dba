package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"
)

// reportsCmd is `ringdesk reports rebuild`: it rebuilds the call reports'
// per-hour rollups and the missed calls' call-back columns from the calls
// (every channel), e.g. after calls were changed by hand in the database.
// Ringdesk keeps both up to date itself; it can run while Ringdesk runs
// (each channel is one transaction).
func reportsCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || args[0] != "rebuild" {
		return fmt.Errorf("usage: ringdesk reports rebuild [--data DIR] [--db URL]")
	}
	fs := flag.NewFlagSet("reports rebuild", flag.ContinueOnError)
	_, _, db, err := openStore(ctx, fs, args[1:], stderr, getenv, "")
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.RebuildReports(ctx); err != nil {
		return fmt.Errorf("reports rebuild: %w", err)
	}
	fmt.Fprintf(stdout, "rebuilt the call report rollups in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

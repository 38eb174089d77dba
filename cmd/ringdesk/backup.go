package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ringdesk/ringdesk/internal/store"
)

// backupCmd is "ringdesk backup --out FILE": an online copy of the SQLite
// database while Ringdesk runs (docs/backup.md says how to restore it).
func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	out := fs.String("out", "", "file to write the copy to (must not exist)")
	cfg, err := loadConfig(fs, args, stderr, getenv)
	if err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("backup: --out FILE is required")
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("backup: %s already exists; choose another file or remove it", *out)
	}
	if cfg.DB != "" {
		return store.ErrBackupPostgres
	}
	start := time.Now()
	if err := store.BackupSQLite(ctx, cfg.DataDir, *out); err != nil {
		return err
	}
	st, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up to %s (%d bytes in %s)\n", *out, st.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}

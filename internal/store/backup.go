package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupPostgres says that PostgreSQL is backed up with its own tools.
var ErrBackupPostgres = errors.New("ringdesk backup copies SQLite databases; back PostgreSQL up with pg_dump (see docs/backup.md)")

// Backup writes a consistent copy of the SQLite database to path, which must
// not exist, while Ringdesk keeps running: VACUUM INTO reads one snapshot
// (WAL readers never block the writer) and writes a compact database file
// that opens as it is, with no -wal file to go with it. It runs on the
// writer connection (the readers are query-only, which VACUUM refuses),
// which it holds for as long as the copy takes: use it from the backup
// command's own process, not inside a serving one.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return ErrBackupPostgres
	}
	// The database holds clients' numbers and encrypted secrets: so does its
	// copy, created here readable by its owner only. VACUUM INTO accepts an
	// empty file and refuses anything else, so nothing is overwritten.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	f.Close()
	if _, err := db.w.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		os.Remove(path)
		return wrap("backup", err)
	}
	return nil
}

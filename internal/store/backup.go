package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// ErrBackupPostgres says that PostgreSQL is backed up with its own tools.
var ErrBackupPostgres = errors.New("ringdesk backup copies SQLite databases; back PostgreSQL up with pg_dump (see docs/backup.md)")

// BackupSQLite writes a consistent copy of the SQLite database in dataDir to
// path, which must not exist, while Ringdesk keeps running. VACUUM INTO reads
// one snapshot (a WAL reader never blocks the writer, nor waits for it) and
// writes a compact database file that opens as it is, with no -wal file to go
// with it.
//
// It opens the file itself rather than through Open: Open migrates,
// backfills and analyses, and each of those takes the write lock, which a
// busy Ringdesk hands from one transaction straight to the next, so a backup
// that needs it can wait out its busy timeout and fail. A backup takes no
// write lock at all, and it never creates or upgrades the database it copies.
func BackupSQLite(ctx context.Context, dataDir, path string) error {
	src := filepath.Join(dataDir, SQLiteFile)
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("store: backup: no database at %s: %w", src, err)
	}
	// mode=rw: a missing file is an error, not a new empty database. Not
	// query_only: SQLite refuses VACUUM INTO there, although it writes only
	// the new file.
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: src}).EscapedPath()+"?mode=rw&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'`).Scan(&n); err != nil {
		return wrap("backup", err)
	}
	if n == 0 {
		return fmt.Errorf("store: backup: %s is not a Ringdesk database", src)
	}
	// The database holds clients' numbers and encrypted secrets: so does its
	// copy, created here readable by its owner only. VACUUM INTO accepts an
	// empty file and refuses anything else, so nothing is overwritten.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	f.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		os.Remove(path)
		return wrap("backup", err)
	}
	return nil
}

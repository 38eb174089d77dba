package store

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"time"
)

// BlobChunk is the size of a recording_blobs row's data: large enough that
// a recording is a few rows, small enough that no row is a burden and a
// player's Range request reads little more than it asked for.
const BlobChunk = 1 << 20

// BlobPath is call_recordings.path of a recording archived in the database.
const BlobPath = "db:"

// PutRecordingBlob stores a recording read from r in the database, in
// chunks, replacing any earlier copy, and marks it archived there, in one
// transaction: a recording is never marked archived without all its bytes.
// It returns the size stored. attempt counts it as a download attempt (the
// archive job's), not a move of an archived file.
func (db *DB) PutRecordingBlob(ctx context.Context, callID int64, n int, contentType string, r io.Reader, attempt bool, now time.Time) (int64, error) {
	inc := 0
	if attempt {
		inc = 1
	}
	var size int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM recording_blobs WHERE call_id = $1 AND n = $2`, callID, n); err != nil {
			return wrap("put recording blob", err)
		}
		buf := make([]byte, BlobChunk)
		for chunk := 0; ; chunk++ {
			k, err := io.ReadFull(r, buf)
			if k > 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO recording_blobs (call_id, n, chunk, data) VALUES ($1, $2, $3, $4)`,
					callID, n, chunk, buf[:k]); err != nil {
					return wrap("put recording blob", err)
				}
				size += int64(k)
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE call_recordings SET state = 'done', path = $1, content_type = $2, size = $3,
			attempts = attempts + $7, error = '', updated_at = $4 WHERE call_id = $5 AND n = $6`, BlobPath, contentType, size, micros(now), callID, n, inc)
		return wrap("put recording blob", err)
	})
	if err != nil {
		return 0, err
	}
	return size, nil
}

// RecordingBlobSize returns the stored size of a recording kept in the
// database and whether it has any bytes there.
func (db *DB) RecordingBlobSize(ctx context.Context, callID int64, n int) (int64, bool, error) {
	var size, chunks int64
	err := db.r.QueryRowContext(ctx, `SELECT COALESCE(SUM(LENGTH(data)), 0), COUNT(*) FROM recording_blobs WHERE call_id = $1 AND n = $2`,
		callID, n).Scan(&size, &chunks)
	if err != nil {
		return 0, false, wrap("recording blob size", err)
	}
	return size, chunks > 0, nil
}

// RecordingBlobChunk returns one chunk of a recording kept in the database.
func (db *DB) RecordingBlobChunk(ctx context.Context, callID int64, n, chunk int) ([]byte, error) {
	var data []byte
	err := db.r.QueryRowContext(ctx, `SELECT data FROM recording_blobs WHERE call_id = $1 AND n = $2 AND chunk = $3`,
		callID, n, chunk).Scan(&data)
	if err != nil {
		return nil, wrap("recording blob chunk", err)
	}
	return data, nil
}

// LocalRecording is an archived recording kept as a file in a data dir.
type LocalRecording struct {
	CallID      int64
	N           int
	Path        string
	ContentType string
}

// LocalRecordings lists archived recordings kept as files (not in the
// database), after (callID, n), at most limit, for `ringdesk archive
// migrate`.
func (db *DB) LocalRecordings(ctx context.Context, afterCall int64, afterN, limit int) ([]LocalRecording, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT call_id, n, path, content_type FROM call_recordings
		WHERE state = 'done' AND path <> $1 AND (call_id > $2 OR (call_id = $2 AND n > $3))
		ORDER BY call_id, n LIMIT $4`, BlobPath, afterCall, afterN, limit)
	if err != nil {
		return nil, wrap("local recordings", err)
	}
	defer rows.Close()
	var out []LocalRecording
	for rows.Next() {
		var l LocalRecording
		if err := rows.Scan(&l.CallID, &l.N, &l.Path, &l.ContentType); err != nil {
			return nil, wrap("local recordings", err)
		}
		out = append(out, l)
	}
	return out, wrap("local recordings", rows.Err())
}

package recording

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ringdesk/ringdesk/internal/store"
)

// Archive is where archived recordings are kept: files under the data
// dir's recordings folder (the default on SQLite, which serves one
// instance), or the database's recording_blobs table (the default on
// PostgreSQL: every instance reads the same copy, so a recording one
// instance archived plays on all of them).
type Archive struct {
	db   *store.DB
	dir  string
	inDB bool
}

// NewArchive returns the archive of db: in the database when inDB, else
// under dataDir/recordings.
func NewArchive(db *store.DB, dataDir string, inDB bool) *Archive {
	if abs, err := filepath.Abs(dataDir); err == nil {
		dataDir = abs // the table keeps absolute paths
	}
	return &Archive{db: db, dir: filepath.Join(dataDir, "recordings"), inDB: inDB}
}

// InDB reports whether new recordings are kept in the database.
func (a *Archive) InDB() bool { return a.inDB }

// tempFile creates a file to download into.
func (a *Archive) tempFile() (*os.File, error) {
	dir := a.dir
	if a.inDB {
		dir = os.TempDir()
	} else if err := os.MkdirAll(a.dir, 0o750); err != nil {
		return nil, err
	}
	return os.CreateTemp(dir, "ringdesk-recording-*.part")
}

// keep moves a complete download (tmp, closed) into the archive and marks
// the recording archived. tmp is gone afterwards either way.
func (a *Archive) keep(ctx context.Context, it store.ArchiveItem, tmp, ctype string, size int64, now time.Time) error {
	defer os.Remove(tmp) // no-op after the rename
	if a.inDB {
		f, err := os.Open(tmp)
		if err != nil {
			return err
		}
		defer f.Close()
		n, err := a.db.PutRecordingBlob(ctx, it.CallID, it.N, ctype, f, true, now)
		if err == nil && n != size {
			err = fmt.Errorf("recording: stored %d bytes of %d", n, size)
		}
		return err
	}
	final := filepath.Join(a.dir, strconv.FormatInt(it.CallID, 10)+"-"+strconv.Itoa(it.N)+Ext(ctype))
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	return a.db.RecordingArchived(ctx, it.CallID, it.N, final, ctype, size, now)
}

// Stored is an archived recording opened for reading.
type Stored struct {
	io.ReadSeeker
	Size    int64
	ModTime time.Time // zero when unknown (kept in the database)
	close   func() error
}

// Close releases the file, if any.
func (s *Stored) Close() error {
	if s.close == nil {
		return nil
	}
	return s.close()
}

// Open opens the archived copy of a recording whose call_recordings path
// is path: a file, or BlobPath for one kept in the database.
func (a *Archive) Open(ctx context.Context, callID int64, n int, path string) (*Stored, error) {
	if path == store.BlobPath {
		size, ok, err := a.db.RecordingBlobSize(ctx, callID, n)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errors.New("recording: archived in the database, but no bytes are there")
		}
		return &Stored{ReadSeeker: &blobReader{ctx: ctx, db: a.db, call: callID, n: n, size: size}, Size: size}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Stored{ReadSeeker: f, Size: st.Size(), ModTime: st.ModTime(), close: f.Close}, nil
}

// blobReader reads a recording kept in the database chunk by chunk, so a
// seek (a player's Range request) reads only the chunks it needs.
type blobReader struct {
	ctx   context.Context
	db    *store.DB
	call  int64
	n     int
	size  int64
	off   int64
	chunk int    // index of buf's chunk, when buf is set
	buf   []byte // the chunk last read
}

func (b *blobReader) Read(p []byte) (int, error) {
	if b.off >= b.size {
		return 0, io.EOF
	}
	idx := int(b.off / store.BlobChunk)
	if b.buf == nil || b.chunk != idx {
		data, err := b.db.RecordingBlobChunk(b.ctx, b.call, b.n, idx)
		if err != nil {
			return 0, err
		}
		b.buf, b.chunk = data, idx
	}
	at := int(b.off - int64(idx)*store.BlobChunk)
	if at >= len(b.buf) {
		return 0, io.ErrUnexpectedEOF
	}
	k := copy(p, b.buf[at:])
	b.off += int64(k)
	return k, nil
}

func (b *blobReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += b.off
	case io.SeekEnd:
		offset += b.size
	default:
		return 0, errors.New("recording: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("recording: negative position")
	}
	b.off = offset
	return offset, nil
}

// MigrateResult counts what Migrate moved.
type MigrateResult struct {
	Moved   int
	Bytes   int64
	Missing int // rows whose file was not there; left as they were
}

// Migrate copies every recording archived as a file into the database and
// points its row there; the file is deleted once its copy has committed.
// A file that is missing is reported and its row left alone. It is safe
// to run again (it resumes) and while Ringdesk runs.
func (a *Archive) Migrate(ctx context.Context, log *slog.Logger) (MigrateResult, error) {
	var res MigrateResult
	var afterCall int64
	afterN := 0
	for {
		batch, err := a.db.LocalRecordings(ctx, afterCall, afterN, 100)
		if err != nil || len(batch) == 0 {
			return res, err
		}
		for _, l := range batch {
			afterCall, afterN = l.CallID, l.N
			f, err := os.Open(l.Path)
			if errors.Is(err, os.ErrNotExist) {
				res.Missing++
				log.Warn("archived recording's file is missing; left as it is", "call_id", l.CallID, "n", l.N, "path", l.Path)
				continue
			}
			if err != nil {
				return res, err
			}
			n, err := a.db.PutRecordingBlob(ctx, l.CallID, l.N, l.ContentType, f, false, time.Now().UTC())
			f.Close()
			if err != nil {
				return res, fmt.Errorf("recording %d/%d: %w", l.CallID, l.N, err)
			}
			if err := os.Remove(l.Path); err != nil {
				log.Warn("recording copied into the database; its file stays", "path", l.Path, "err", err)
			}
			res.Moved++
			res.Bytes += n
		}
	}
}

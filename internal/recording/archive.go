package recording

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/ringdesk/ringdesk/internal/metrics"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// Config tunes the archive job.
type Config struct {
	// Interval between passes (default 5 s).
	Interval time.Duration
	// Backoff is the wait after the first failed download; it doubles per
	// attempt up to an hour (default 30 s).
	Backoff time.Duration
	// MaxAttempts before a recording that fails for another reason than
	// "not found" (UIS down, a cut download) is given up (default 10); within
	// NotReadyFor after the call it is retried regardless.
	MaxAttempts int
	// MaxSize refuses larger recordings (default 512 MiB).
	MaxSize int64
	// NotReadyFor is how long after the call's end a 404, 410 or 403 from UIS
	// means "not ready yet" and is retried (default NotReadyWindow, 6 h);
	// after that the recording is given up as gone.
	NotReadyFor time.Duration
	// NotReadyBackoff is the wait after the first "not ready" answer; it
	// doubles per attempt up to NotReadyMaxWait (defaults 30 s and 30 min:
	// retries after 30 s, 1, 2, 4, 8, 16 min, then every 30 min, and a last
	// one when NotReadyFor ends; about 18 attempts over 6 h).
	NotReadyBackoff time.Duration
	NotReadyMaxWait time.Duration
	// Fetcher fetches the recordings (default NewFetcher with the
	// archiver's logger); the web server shares one with the archiver.
	Fetcher *Fetcher
	// Archive is where recordings are kept (default: files in the data
	// dir); the web server reads them from the same one.
	Archive *Archive
	// Metrics counts archived recordings, bytes and failures (nil: none).
	Metrics *metrics.Metrics
}

// Archiver copies the recordings of finished calls on channels with
// archive_recordings into the archive (<data dir>/recordings or the
// database). Its state lives in the call_recordings table, so a restart
// resumes pending downloads.
type Archiver struct {
	db    *store.DB
	store *Archive
	log   *slog.Logger
	cfg   Config
	fetch *Fetcher
	now   func() time.Time
	since int64 // updated_at watermark of the calls already queued
}

// NewArchiver returns an archiver writing under dataDir.
func NewArchiver(db *store.DB, dataDir string, log *slog.Logger, cfg Config) *Archiver {
	if cfg.Interval <= 0 {
		cfg.Interval = 5 * time.Second
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 30 * time.Second
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 10
	}
	if cfg.MaxSize <= 0 {
		cfg.MaxSize = 512 << 20
	}
	if cfg.NotReadyFor <= 0 {
		cfg.NotReadyFor = NotReadyWindow
	}
	if cfg.NotReadyBackoff <= 0 {
		cfg.NotReadyBackoff = 30 * time.Second
	}
	if cfg.NotReadyMaxWait <= 0 {
		cfg.NotReadyMaxWait = 30 * time.Minute
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Fetcher == nil {
		cfg.Fetcher = NewFetcher(FetchOptions{Log: log})
	}
	if cfg.Archive == nil {
		cfg.Archive = NewArchive(db, dataDir, false)
	}
	return &Archiver{db: db, store: cfg.Archive, log: log, cfg: cfg, fetch: cfg.Fetcher,
		now: func() time.Time { return time.Now().UTC() }}
}

// Every is how often the archive job runs a Pass.
func (a *Archiver) Every() time.Duration { return a.cfg.Interval }

// Pass queues newly finished calls' recordings and downloads the due ones.
func (a *Archiver) Pass(ctx context.Context) error {
	chs, err := a.db.ListChannels(ctx)
	if err != nil {
		return err
	}
	settings := map[int64]ringdesk.UISSettings{}
	var ids []int64
	for _, ch := range chs {
		settings[ch.ID] = ch.UIS
		if ch.Active && ch.Type == ringdesk.ChannelTypeUIS && ch.UIS.ArchiveRecordings {
			ids = append(ids, ch.ID)
		}
	}
	// Re-read the last minute each pass: an event's updated_at is taken
	// before its transaction commits, so a call may appear behind the mark.
	from := max(0, a.since-time.Minute.Microseconds())
	for {
		next, _, err := a.db.EnqueueRecordings(ctx, ids, from, 500, a.now())
		if err != nil {
			return err
		}
		done := next == from || next == from+1
		from = next
		if done {
			break
		}
	}
	a.since = max(a.since, from)
	for {
		due, err := a.db.DueRecordings(ctx, a.now(), 20)
		if err != nil || len(due) == 0 {
			return err
		}
		for _, it := range due {
			if ctx.Err() != nil {
				return nil
			}
			a.archive(ctx, it, settings[it.ChannelID])
		}
	}
}

// archive downloads one recording and records the result.
func (a *Archiver) archive(ctx context.Context, it store.ArchiveItem, s ringdesk.UISSettings) {
	tmp, ctype, size, err := a.download(ctx, it, s)
	now := a.now()
	if err == nil {
		if err = a.store.keep(ctx, it, tmp, ctype, size, now); err == nil {
			a.cfg.Metrics.RecordingArchived("archived", size)
			a.log.Info("recording archived", "call_id", it.CallID, "n", it.N, "bytes", size)
			return
		}
		if ctx.Err() != nil {
			return
		}
		err = fmt.Errorf("recording: keep the download: %w", err)
	}
	next, reason := a.retryAt(it, err, now)
	if next.IsZero() {
		a.cfg.Metrics.RecordingArchived("given_up", 0)
	} else {
		a.cfg.Metrics.RecordingArchived("retry", 0)
	}
	level := slog.LevelWarn
	if !next.IsZero() && errors.Is(err, ErrExpired) {
		level = slog.LevelInfo // expected: UIS prepares the file after the call
	}
	a.log.Log(ctx, level, "recording archive attempt failed", "call_id", it.CallID, "n", it.N, "attempt", it.Attempts+1, "retry_at", next, "err", reason)
	if err := a.db.RecordingAttemptFailed(ctx, it.CallID, it.N, reason, next, now); err != nil {
		a.log.Warn("recording failure not recorded", "call_id", it.CallID, "err", err)
	}
}

// retryAt decides when a failed download is tried again (zero: never) and
// the reason to record. A host that is not allowed is final. A 404, 410 or
// 403 soon after the call means UIS has not made the file yet: it is
// retried until NotReadyFor after the call's end, then given up as gone.
// Other failures (UIS down, a cut download) back off up to an hour, for
// MaxAttempts attempts or, if longer, while the recording may still be
// on its way.
func (a *Archiver) retryAt(it store.ArchiveItem, err error, now time.Time) (time.Time, string) {
	reason := err.Error()
	end := it.FinishedAt.Add(a.cfg.NotReadyFor)
	switch {
	case errors.Is(err, ErrHostNotAllowed):
		return time.Time{}, reason
	case errors.Is(err, ErrExpired):
		if !NotReadyYet(err, it.FinishedAt, now, a.cfg.NotReadyFor) {
			return time.Time{}, fmt.Sprintf("UIS still had no recording %s after the call ended: %s", a.cfg.NotReadyFor, reason)
		}
		wait := min(a.cfg.NotReadyBackoff<<min(it.Attempts, 20), a.cfg.NotReadyMaxWait)
		return minTime(now.Add(wait), end), "not ready yet at UIS: " + reason
	}
	if it.Attempts+1 >= a.cfg.MaxAttempts && !now.Before(end) {
		return time.Time{}, reason
	}
	return now.Add(min(a.cfg.Backoff<<min(it.Attempts, 20), time.Hour)), reason
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func (a *Archiver) download(ctx context.Context, it store.ArchiveItem, s ringdesk.UISSettings) (string, string, int64, error) {
	dctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	res, err := a.fetch.Open(dctx, it.URL, s.RecordingHostAllowed, "")
	if err != nil {
		return "", "", 0, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return "", "", 0, fmt.Errorf("recording: unexpected HTTP %d", res.StatusCode)
	}
	if res.ContentLength > a.cfg.MaxSize {
		return "", "", 0, fmt.Errorf("recording: %d bytes is more than the %d allowed", res.ContentLength, a.cfg.MaxSize)
	}
	ctype := ContentType(res.Header.Get("Content-Type"), it.URL)
	tmp, err := a.store.tempFile()
	if err != nil {
		return "", "", 0, err
	}
	kept := false
	defer func() {
		if !kept {
			os.Remove(tmp.Name())
		}
	}()
	n, err := io.Copy(tmp, io.LimitReader(res.Body, a.cfg.MaxSize+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", "", 0, fmt.Errorf("recording: download: %w", err)
	}
	if n > a.cfg.MaxSize {
		return "", "", 0, fmt.Errorf("recording: larger than %d bytes", a.cfg.MaxSize)
	}
	if res.ContentLength >= 0 && n != res.ContentLength {
		return "", "", 0, fmt.Errorf("recording: got %d bytes, Content-Length said %d", n, res.ContentLength)
	}
	if n == 0 {
		return "", "", 0, errors.New("recording: empty body")
	}
	kept = true // keep removes it
	return tmp.Name(), ctype, n, nil
}

package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/recording"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// callRecording is GET /calls/{id}/recordings/{n}: the archived copy if
// there is one, else the UIS recording streamed through Ringdesk, only
// from a host the channel allows, with Range passed through so players
// can seek. ?download=1 asks the browser to save it.
func (s *Server) callRecording(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		s.fail(w, r, ringdesk.Errorf(ringdesk.ENOTFOUND, "The call has no such recording."))
		return
	}
	c, err := s.db.CallByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if n > len(c.Recordings) {
		s.fail(w, r, ringdesk.Errorf(ringdesk.ENOTFOUND, "The call has no such recording."))
		return
	}
	name := "call-" + strconv.FormatInt(c.ID, 10) + "-" + strconv.Itoa(n)
	if path, ctype, ok, err := s.db.ArchivedRecording(ctx, c.ID, n); err != nil {
		s.fail(w, r, err)
		return
	} else if ok {
		f, err := s.archive.Open(ctx, c.ID, n, path)
		if err == nil {
			defer f.Close()
			recordingHeaders(w, r, ctype, name+recording.Ext(ctype))
			cw := &countingWriter{ResponseWriter: w}
			http.ServeContent(cw, r, "", f.ModTime, f)
			s.cfg.Metrics.RecordingProxied("archive", "ok", cw.n)
			return
		}
		s.log.Warn("archived recording unreadable; fetching from UIS", "call_id", c.ID, "n", n, "err", err)
	}
	ch, err := s.db.ChannelByID(ctx, c.ChannelID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	link := c.Recordings[n-1]
	res, err := s.recordings.Open(ctx, link, ch.UIS.RecordingHostAllowed, r.Header.Get("Range"))
	if err != nil {
		s.log.Warn("recording not fetched", "call_id", c.ID, "n", n, "err", err) // the link itself may carry a key
		var finished time.Time
		if c.FinishedAt != nil {
			finished = *c.FinishedAt
		}
		outcome := "failed"
		if recording.NotReadyYet(err, finished, time.Now(), recording.NotReadyWindow) {
			err, outcome = recording.ErrNotReady, "not_ready"
		}
		s.cfg.Metrics.RecordingProxied("uis", outcome, 0)
		s.failRecording(w, r, err)
		return
	}
	defer res.Body.Close()
	ctype := recording.ContentType(res.Header.Get("Content-Type"), link)
	recordingHeaders(w, r, ctype, name+recording.Ext(ctype))
	for _, h := range []string{"Content-Length", "Content-Range", "Last-Modified", "ETag"} {
		if v := res.Header.Get(h); v != "" {
			w.Header().Set(h, v)
		}
	}
	w.Header().Set("Accept-Ranges", "bytes")
	w.WriteHeader(res.StatusCode)
	if r.Method == http.MethodHead {
		return
	}
	k, _ := io.Copy(w, res.Body)
	s.cfg.Metrics.RecordingProxied("uis", "ok", k)
}

// countingWriter counts the body bytes written through it.
type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	k, err := c.ResponseWriter.Write(p)
	c.n += int64(k)
	return k, err
}

// failRecording answers a recording that cannot be played. The player on
// the call page asks for JSON when it fails, to say why in the agent's
// language.
func (s *Server) failRecording(w http.ResponseWriter, r *http.Request, err error) {
	if !wantsJSON(r) {
		s.fail(w, r, err)
		return
	}
	code := ringdesk.ErrorCode(err)
	if code == ringdesk.EINTERNAL {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, statusOf(code), apiError{apiErrorBody{Code: code, Message: translate(s.lang(agentFrom(r), r), ringdesk.ErrorMessage(err))}})
}

func recordingHeaders(w http.ResponseWriter, r *http.Request, ctype, filename string) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	disp := "inline"
	if r.URL.Query().Get("download") != "" {
		disp = "attachment"
	}
	w.Header().Set("Content-Disposition", disp+`; filename="`+strings.ReplaceAll(filename, `"`, "")+`"`)
}

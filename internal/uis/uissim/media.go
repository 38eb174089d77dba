package uissim

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// recording is one talk recording; its WAV is produced on request by a wavSource.
type recording struct {
	callID  int64
	seconds int64
}

const wavRate = 8000 // 8 kHz 16-bit mono PCM, telephone quality

func recordURL(base string, commID int64, hash string) string {
	return fmt.Sprintf("%s/system/media/talk/%d/%s/", base, commID, hash)
}

// WAV returns a playable 8 kHz 16-bit mono PCM WAV of the given length: a 425 Hz tone in
// 0.4-second beeps once a second, so a listener can tell it is a simulated call.
func WAV(seconds int64) []byte {
	src := newWAVSource(seconds)
	b := make([]byte, src.size)
	src.ReadAt(b, 0)
	return b
}

// wavSource serves a WAV without holding it: the header, then one second of samples
// repeated. Memory stays flat however long the talk.
type wavSource struct {
	header []byte
	second []byte
	size   int64
}

func newWAVSource(seconds int64) *wavSource {
	dataLen := uint32(seconds * 2 * wavRate)
	h := make([]byte, 0, 44)
	le := binary.LittleEndian
	h = append(h, "RIFF"...)
	h = le.AppendUint32(h, 36+dataLen)
	h = append(h, "WAVEfmt "...)
	h = le.AppendUint32(h, 16)        // fmt chunk size
	h = le.AppendUint16(h, 1)         // PCM
	h = le.AppendUint16(h, 1)         // mono
	h = le.AppendUint32(h, wavRate)   // sample rate
	h = le.AppendUint32(h, wavRate*2) // byte rate
	h = le.AppendUint16(h, 2)         // block align
	h = le.AppendUint16(h, 16)        // bits per sample
	h = append(h, "data"...)
	h = le.AppendUint32(h, dataLen)
	sec := make([]byte, 2*wavRate)
	for i := 0; i < wavRate; i++ {
		var v int16
		if i < wavRate*2/5 {
			v = int16(8000 * math.Sin(2*math.Pi*425*float64(i)/wavRate))
		}
		le.PutUint16(sec[2*i:], uint16(v))
	}
	return &wavSource{header: h, second: sec, size: int64(len(h)) + int64(dataLen)}
}

// ReadAt implements io.ReaderAt over the virtual file.
func (w *wavSource) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) && off < w.size {
		var c int
		if off < int64(len(w.header)) {
			c = copy(p[n:], w.header[off:])
		} else {
			d := (off - int64(len(w.header))) % int64(len(w.second))
			c = copy(p[n:], w.second[d:])
			c = int(min(int64(c), w.size-off))
		}
		n += c
		off += int64(c)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// mergedURL is the link of a call's merged recording (full_record_file_link), on the media
// host of the brand: https://media.uiscom.ru/{communication_id}/{hash}, no trailing slash.
func mergedURL(base string, commID int64, hash string) string {
	return fmt.Sprintf("%s/%d/%s", mediaHost(base), commID, hash)
}

// mediaHost turns a web-app base (https://app.comagic.ru) into the brand's media host
// (https://media.comagic.ru); any other base stays as it is.
func mediaHost(base string) string {
	for _, scheme := range []string{"https://", "http://"} {
		if rest, ok := strings.CutPrefix(base, scheme+"app."); ok {
			return scheme + "media." + rest
		}
	}
	return base
}

// serveRecording serves /system/media/talk/{communication_id}/{hash}/ as audio/wav with
// Range support; unknown links, calls still in progress and recordings not ready yet get
// 404, expired ones 410.
func (s *Simulator) serveRecording(w http.ResponseWriter, r *http.Request) {
	s.serveMedia(w, r, false)
}

// serveMerged serves /{communication_id}/{hash}, the merged recording of every talk of the
// call (full_record_file_link), named by the first talk's hash.
func (s *Simulator) serveMerged(w http.ResponseWriter, r *http.Request) {
	s.serveMedia(w, r, true)
}

func (s *Simulator) serveMedia(w http.ResponseWriter, r *http.Request, merged bool) {
	if code := s.behaviour().RecordingRedirect; code != 0 && r.TLS == nil {
		// UIS answers plain http with a redirect to https on the same host.
		http.Redirect(w, r, s.httpsURL(r), code)
		return
	}
	commID, err := strconv.ParseInt(r.PathValue("comm"), 10, 64)
	hash := r.PathValue("hash")
	s.mu.Lock()
	rec := s.records[hash]
	var c *call
	if rec != nil {
		c = s.calls[rec.callID]
	}
	ok := err == nil && rec != nil && rec.callID == commID && c != nil && c.finished
	var expired, notReady bool
	var secsLen int64
	if ok {
		secsLen = rec.seconds
		if merged {
			ok = len(c.talks) > 0 && c.talks[0].hash == hash
			secsLen = 0
			for _, t := range c.talks {
				secsLen += s.records[t.hash].seconds
			}
		}
		secsLen = min(secsLen, s.cfg.MaxRecordingSeconds)
		endReal := c.realStart.Add(s.realDuration(c.finishAt))
		notReady = time.Since(endReal) < s.realDuration(s.acct.Behaviour.RecordingReadySeconds)
		if ttl := time.Duration(s.faults.RecordingsExpireAfter); ttl > 0 {
			expired = time.Since(endReal) > ttl
		}
	}
	s.mu.Unlock()
	switch {
	case !ok || notReady:
		writeJSONError(w, http.StatusNotFound, "not_found", "recording not found")
		return
	case expired:
		writeJSONError(w, http.StatusGone, "expired", "recording has expired")
		return
	}
	w.Header().Set("Content-Type", "audio/wav")
	w.Header().Set("Accept-Ranges", "bytes")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%d_%s.wav"`, commID, hash))
	src := newWAVSource(secsLen)
	http.ServeContent(w, r, "", time.Time{}, io.NewSectionReader(src, 0, src.size))
}

// httpsURL is the https:// URL of a plain-http request: the same host name (on the
// simulator's own address, its TLS listener) and the same path.
func (s *Simulator) httpsURL(r *http.Request) string {
	host := r.Host
	s.mu.Lock()
	own, tlsBase := strings.TrimPrefix(s.baseURL, "http://"), s.tlsBase
	s.mu.Unlock()
	if tlsBase != "" && host == own {
		host = strings.TrimPrefix(tlsBase, "https://")
	} else if h, _, err := net.SplitHostPort(host); err == nil {
		host = h // a named host: https on its default port
	}
	return "https://" + host + r.URL.RequestURI()
}

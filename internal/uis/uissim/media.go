package uissim

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// recording is one talk recording; the WAV is generated on request, so memory stays flat.
type recording struct {
	callID  int64
	seconds int64
}

const wavRate = 8000 // 8 kHz 16-bit mono PCM, telephone quality

func recordURL(base string, commID int64, hash string) string {
	return fmt.Sprintf("%s/system/media/talk/%d/%s/", base, commID, hash)
}

// WAV returns a playable 8 kHz 16-bit mono PCM WAV of the given length: a 425 Hz tone in
// half-second beeps, so a listener can tell it is a simulated call.
func WAV(seconds int64) []byte {
	n := int(seconds) * wavRate
	var buf bytes.Buffer
	buf.Grow(44 + 2*n)
	le := binary.LittleEndian
	buf.WriteString("RIFF")
	binary.Write(&buf, le, uint32(36+2*n))
	buf.WriteString("WAVEfmt ")
	binary.Write(&buf, le, uint32(16))      // fmt chunk size
	binary.Write(&buf, le, uint16(1))       // PCM
	binary.Write(&buf, le, uint16(1))       // mono
	binary.Write(&buf, le, uint32(wavRate)) // sample rate
	binary.Write(&buf, le, uint32(wavRate*2))
	binary.Write(&buf, le, uint16(2))  // block align
	binary.Write(&buf, le, uint16(16)) // bits per sample
	buf.WriteString("data")
	binary.Write(&buf, le, uint32(2*n))
	// One second of samples is computed once and repeated: cheap for long talks.
	sec := make([]byte, 2*wavRate)
	for i := 0; i < wavRate; i++ {
		var v int16
		if (i/(wavRate/2))%2 == 0 && i%(wavRate/2) < wavRate*2/5 {
			v = int16(8000 * math.Sin(2*math.Pi*425*float64(i)/wavRate))
		}
		le.PutUint16(sec[2*i:], uint16(v))
	}
	for i := int64(0); i < seconds; i++ {
		buf.Write(sec)
	}
	return buf.Bytes()
}

// serveRecording serves /system/media/talk/{communication_id}/{hash}/ as audio/wav with
// Range support; unknown links and calls still in progress get 404, expired ones 410.
func (s *Simulator) serveRecording(w http.ResponseWriter, r *http.Request) {
	commID, err := strconv.ParseInt(r.PathValue("comm"), 10, 64)
	hash := r.PathValue("hash")
	s.mu.Lock()
	rec := s.records[hash]
	var c *call
	if rec != nil {
		c = s.calls[rec.callID]
	}
	ok := err == nil && rec != nil && rec.callID == commID && c != nil && c.finished
	var expired bool
	var secsLen int64
	if ok {
		secsLen = min(rec.seconds, s.cfg.MaxRecordingSeconds)
		if ttl := time.Duration(s.faults.RecordingsExpireAfter); ttl > 0 {
			endReal := c.realStart.Add(s.realDuration(c.finishAt))
			expired = time.Since(endReal) > ttl
		}
	}
	s.mu.Unlock()
	switch {
	case !ok:
		writeJSONError(w, http.StatusNotFound, "not_found", "recording not found")
		return
	case expired:
		writeJSONError(w, http.StatusGone, "expired", "recording has expired")
		return
	}
	w.Header().Set("Content-Type", "audio/wav")
	w.Header().Set("Accept-Ranges", "bytes")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%d_%s.wav"`, commID, hash))
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(WAV(secsLen)))
}

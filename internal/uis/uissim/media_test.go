package uissim

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestWAVHeader(t *testing.T) {
	t.Parallel()
	for _, secs := range []int64{0, 1, 7} {
		b := WAV(secs)
		le := binary.LittleEndian
		checks := []struct {
			name      string
			got, want any
		}{
			{"RIFF", string(b[0:4]), "RIFF"},
			{"riff size", le.Uint32(b[4:8]), uint32(len(b) - 8)},
			{"WAVE", string(b[8:16]), "WAVEfmt "},
			{"format PCM", le.Uint16(b[20:22]), uint16(1)},
			{"mono", le.Uint16(b[22:24]), uint16(1)},
			{"rate", le.Uint32(b[24:28]), uint32(8000)},
			{"byte rate", le.Uint32(b[28:32]), uint32(16000)},
			{"bits", le.Uint16(b[34:36]), uint16(16)},
			{"data", string(b[36:40]), "data"},
			{"data size", le.Uint32(b[40:44]), uint32(secs * 16000)},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%ds: %s = %v, want %v", secs, c.name, c.got, c.want)
			}
		}
		if secs > 0 && bytes.Count(b[44:], []byte{0}) == len(b)-44 {
			t.Errorf("%ds: silent WAV, want a tone", secs)
		}
	}
}

// answeredCall runs an answered call of talk seconds and returns its record link.
func answeredCall(t *testing.T, sim *Simulator, talk int64) (int64, string) {
	t.Helper()
	id, err := sim.StartCall(context.Background(), CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567", TalkSeconds: talk})
	if err != nil {
		t.Fatal(err)
	}
	waitIdle(t, sim)
	info, _ := sim.Call(id)
	if len(info.RecordLinks) != 1 {
		t.Fatalf("record links = %v, want one", info.RecordLinks)
	}
	return id, info.RecordLinks[0]
}

func get(t *testing.T, url string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestRecordingServing(t *testing.T) {
	t.Parallel()
	sim, base := newSim(t, nil)
	id, link := answeredCall(t, sim, 12)
	if !strings.HasPrefix(link, fmt.Sprintf("%s/system/media/talk/%d/", base, id)) || !strings.HasSuffix(link, "/") {
		t.Fatalf("link %s not of the form {base}/system/media/talk/{id}/{hash}/", link)
	}
	hash := strings.Split(strings.TrimSuffix(link, "/"), "/")
	if h := hash[len(hash)-1]; len(h) != 32 || strings.Trim(h, "0123456789abcdef") != "" {
		t.Errorf("link id %q is not 32 lowercase hex", h)
	}
	size := 44 + 12*16000

	tests := []struct {
		name       string
		url        string
		hdr        map[string]string
		status     int
		length     int
		rangeHdr   string
		wantAccept bool
	}{
		{name: "full", url: link, status: 200, length: size, wantAccept: true},
		{name: "range", url: link, hdr: map[string]string{"Range": "bytes=0-99"}, status: 206, length: 100, rangeHdr: fmt.Sprintf("bytes 0-99/%d", size), wantAccept: true},
		{name: "open range", url: link, hdr: map[string]string{"Range": "bytes=1000-"}, status: 206, length: size - 1000, rangeHdr: fmt.Sprintf("bytes 1000-%d/%d", size-1, size), wantAccept: true},
		{name: "unsatisfiable", url: link, hdr: map[string]string{"Range": fmt.Sprintf("bytes=%d-", size+5)}, status: 416},
		{name: "unknown hash", url: fmt.Sprintf("%s/system/media/talk/%d/%s/", base, id, strings.Repeat("a", 32)), status: 404},
		{name: "wrong call id", url: strings.Replace(link, fmt.Sprint(id), "123", 1), status: 404},
		{name: "no trailing slash", url: strings.TrimSuffix(link, "/"), status: 200, length: size, wantAccept: true},
		{name: "wav path", url: strings.Replace(link, "/talk/", "/wav/", 1), status: 200, length: size, wantAccept: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, tt.url, tt.hdr)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status >= 400 {
				return
			}
			if len(body) != tt.length || resp.Header.Get("Content-Length") != fmt.Sprint(tt.length) {
				t.Errorf("length = %d (header %s), want %d", len(body), resp.Header.Get("Content-Length"), tt.length)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "audio/wav" {
				t.Errorf("Content-Type = %q, want audio/wav", ct)
			}
			if tt.wantAccept && resp.Header.Get("Accept-Ranges") != "bytes" {
				t.Errorf("Accept-Ranges = %q", resp.Header.Get("Accept-Ranges"))
			}
			if got := resp.Header.Get("Content-Range"); got != tt.rangeHdr {
				t.Errorf("Content-Range = %q, want %q", got, tt.rangeHdr)
			}
		})
	}
}

func TestRecordingDurationMatchesTalk(t *testing.T) {
	t.Parallel()
	sim, _ := newSim(t, nil)
	_, link := answeredCall(t, sim, 33)
	_, body := get(t, link, nil)
	dataLen := binary.LittleEndian.Uint32(body[40:44])
	if secs := float64(dataLen) / 16000; secs != 33 {
		t.Errorf("WAV lasts %vs, want 33s (the talk time)", secs)
	}
}

func TestRecordingMediaBaseAndExpiry(t *testing.T) {
	t.Parallel()
	sim, base := newSim(t, func(c *Config) { c.MediaBaseURL = "https://media.example.test/" })
	_, link := answeredCall(t, sim, 5)
	if !strings.HasPrefix(link, "https://media.example.test/system/media/talk/") {
		t.Fatalf("link = %s, want the media base", link)
	}
	local := base + strings.TrimPrefix(link, "https://media.example.test")
	if resp, _ := get(t, local, nil); resp.StatusCode != 200 {
		t.Fatalf("status = %d before expiry, want 200", resp.StatusCode)
	}
	sim.SetFaults(Faults{RecordingsExpireAfter: Duration(time.Millisecond)})
	time.Sleep(5 * time.Millisecond)
	if resp, _ := get(t, local, nil); resp.StatusCode != 410 {
		t.Errorf("status = %d after expiry, want 410", resp.StatusCode)
	}
}

func TestRecordingNotBeforeFinish(t *testing.T) {
	t.Parallel()
	sim, _ := newSim(t, func(c *Config) { c.TimeScale = 0.05 })
	id, err := sim.StartCall(context.Background(), CallSpec{Kind: KindIncomingAnswered, ContactNumber: "79261234567"})
	if err != nil {
		t.Fatal(err)
	}
	info, _ := sim.Call(id)
	if resp, _ := get(t, info.RecordLinks[0], nil); resp.StatusCode != 404 {
		t.Errorf("status = %d while the call is in progress, want 404", resp.StatusCode)
	}
}

func TestWAVSourceReadAt(t *testing.T) {
	t.Parallel()
	src := newWAVSource(3)
	full := WAV(3)
	for _, tc := range []struct{ off, n int64 }{{0, 10}, {40, 10}, {44, 16000}, {15990, 40}, {src.size - 5, 5}, {src.size - 5, 50}} {
		buf := make([]byte, tc.n)
		n, err := src.ReadAt(buf, tc.off)
		want := full[tc.off:min(tc.off+tc.n, int64(len(full)))]
		if !bytes.Equal(buf[:n], want) {
			t.Errorf("ReadAt(%d, %d) differs from the full WAV", tc.off, tc.n)
		}
		if short := int64(n) < tc.n; short != (err == io.EOF) {
			t.Errorf("ReadAt(%d, %d) = %d, %v", tc.off, tc.n, n, err)
		}
	}
	if len(full) != 44+3*16000 {
		t.Errorf("len = %d", len(full))
	}
}

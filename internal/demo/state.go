package demo

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// The demo survives a restart with the same data dir. A real UIS account
// keeps its address, its key and its calls; the demo's simulator does the
// same by keeping, in <data dir>/uis-sim.json:
//
//   - its address: the next run listens there again, so the demo channel's
//     API URLs and allowed recording host stay as they are, and so do the
//     recording links Ringdesk stored on calls;
//   - its memory (uissim MarshalState): every call it still keeps, so the
//     calls report lists them and their recordings play after a restart; a
//     call under way when the demo stopped is kept as cut off then, so the
//     reconciliation pass at start finishes it in Ringdesk (its
//     notifications were lost with the stopped demo);
//   - the addresses of earlier runs that were taken by another program when
//     the demo started again. The simulator then listens elsewhere; the
//     channel follows (API URLs, the new host allowed and the old ones
//     kept), and Redirect, the dialer of Ringdesk's recording fetcher in
//     the demo, sends requests for the old addresses to the new one, so
//     recording links stored on earlier calls still play.
//
// The account (app id, API key, employees, numbers) is the simulator's
// built-in default and the same on every run; new call ids continue after
// the remembered ones. The file is written at start, every saveEvery while
// the demo runs (so a killed demo loses at most that much) and when it
// stops.

// stateFileName is the demo's file in the data dir.
const stateFileName = "uis-sim.json"

// saveEvery is how often the running demo saves the simulator's calls.
const saveEvery = 30 * time.Second

// simFile is the content of uis-sim.json.
type simFile struct {
	// Addr is where the simulator listened (host:port).
	Addr string `json:"addr"`
	// Earlier are addresses of earlier runs that were taken at a start.
	Earlier []string `json:"earlier_addrs,omitempty"`
	// State is the simulator's memory (uissim MarshalState).
	State json.RawMessage `json:"state,omitempty"`
}

func (dm *Demo) statePath() string {
	if dm.cfg.DataDir == "" {
		return ""
	}
	return filepath.Join(dm.cfg.DataDir, stateFileName)
}

// load reads the saved file; a missing file is a first run, an unreadable
// one is logged and ignored (the demo starts afresh rather than not at all).
func (dm *Demo) load() simFile {
	var f simFile
	path := dm.statePath()
	if path == "" {
		return f
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return f
	}
	if err == nil {
		err = json.Unmarshal(b, &f)
	}
	if err != nil {
		dm.log.Warn("demo: the simulator's saved address and calls cannot be read; it starts afresh", "file", path, "err", err)
		return simFile{}
	}
	return f
}

// save writes the file atomically: a stop in the middle leaves the last
// complete one.
func (dm *Demo) save() error {
	path := dm.statePath()
	if path == "" {
		return nil
	}
	state, err := dm.Sim.MarshalState()
	if err != nil {
		return err
	}
	b, err := json.Marshal(simFile{Addr: dm.simHost(), Earlier: dm.earlier, State: state})
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), stateFileName+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// keepSaving saves every saveEvery until ctx ends.
func (dm *Demo) keepSaving(ctx context.Context) {
	t := time.NewTicker(saveEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := dm.save(); err != nil {
				dm.log.Warn("demo: the simulator's calls are not saved", "file", dm.statePath(), "err", err)
			}
		}
	}
}

// Redirect is the dialer of Ringdesk's recording fetcher in the demo: it
// dials the simulator's current address for any of its addresses of earlier
// runs, and every other address as it is. Ringdesk's stored recording links
// of earlier calls name the address the simulator had then.
type Redirect struct {
	mu   sync.Mutex
	from map[string]bool
	to   string
	dial net.Dialer
}

// NewRedirect returns a Redirect that changes nothing until the demo starts.
func NewRedirect() *Redirect {
	return &Redirect{dial: net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}}
}

// DialContext dials addr, or the simulator's address for an earlier one.
func (r *Redirect) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	r.mu.Lock()
	if r.from[addr] {
		addr = r.to
	}
	r.mu.Unlock()
	return r.dial.DialContext(ctx, network, addr)
}

func (r *Redirect) set(earlier []string, to string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.from, r.to = map[string]bool{}, to
	for _, a := range earlier {
		r.from[a] = a != to
	}
}

package app

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Browsers open connections ahead of need and keep the ones they did not
// use. net/http's graceful shutdown waits for a connection that has not
// sent a request until it has been open 5 seconds, as it cannot tell such
// a spare from a connection whose first request is on its way; so every
// stop with a browser open waited those 5 seconds. spareListener tracks
// whether each connection has delivered a byte, and once shutdown has
// begun closeSpare closes the ones that have delivered nothing for
// spareGrace: they hold no request, and closing them is what a server
// does with any idle keep-alive connection. A connection with part of a
// request read is left to the graceful shutdown.
const spareGrace = 500 * time.Millisecond

type spareListener struct {
	net.Listener
	mu    sync.Mutex
	conns map[*spareConn]struct{}
}

type spareConn struct {
	net.Conn
	ln       *spareListener
	accepted time.Time
	read     atomic.Bool
}

func newSpareListener(ln net.Listener) *spareListener {
	return &spareListener{Listener: ln, conns: map[*spareConn]struct{}{}}
}

func (l *spareListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	sc := &spareConn{Conn: c, ln: l, accepted: time.Now()}
	l.mu.Lock()
	l.conns[sc] = struct{}{}
	l.mu.Unlock()
	return sc, nil
}

// closeSpare closes the connections accepted over spareGrace ago that have
// not delivered a byte.
func (l *spareListener) closeSpare() {
	var spare []*spareConn
	l.mu.Lock()
	for c := range l.conns {
		if !c.read.Load() && time.Since(c.accepted) >= spareGrace {
			spare = append(spare, c)
		}
	}
	l.mu.Unlock()
	for _, c := range spare {
		c.Close()
	}
}

func (c *spareConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && !c.read.Load() {
		c.read.Store(true)
	}
	return n, err
}

// CloseWrite and ReadFrom are the TCP connection's: net/http half-closes
// a connection before it hangs up on a client still sending a body it
// refused (so the client reads the answer), and copies files with
// sendfile, only when the connection has them.
var (
	_ interface{ CloseWrite() error } = (*spareConn)(nil)
	_ io.ReaderFrom                   = (*spareConn)(nil)
)

func (c *spareConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

func (c *spareConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}

func (c *spareConn) Close() error {
	c.ln.mu.Lock()
	delete(c.ln.conns, c)
	c.ln.mu.Unlock()
	return c.Conn.Close()
}

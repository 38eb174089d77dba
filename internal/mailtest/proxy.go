package mailtest

import (
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Proxy forwards TCP connections from a port of 127.0.0.1 to a server and
// can cut them, to test what a client does when the link drops.
type Proxy struct {
	Port int

	target string
	l      net.Listener

	mu       sync.Mutex
	conns    map[net.Conn]bool
	cutAfter int64 // server-to-client bytes still allowed before a cut; <0: no cut planned
	delay    time.Duration
}

// StartProxy forwards 127.0.0.1:Port to host:port until the test ends.
func StartProxy(tb testing.TB, host string, port int) *Proxy {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{Port: l.Addr().(*net.TCPAddr).Port, target: net.JoinHostPort(host, strconv.Itoa(port)), l: l,
		conns: map[net.Conn]bool{}, cutAfter: -1}
	go p.serve()
	tb.Cleanup(func() {
		l.Close()
		p.CutAll()
	})
	return p
}

func (p *Proxy) serve() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns[c], p.conns[s] = true, true
		p.mu.Unlock()
		go func() {
			_, _ = io.Copy(s, c)
			p.close(c, s)
		}()
		go func() {
			p.copyFromServer(c, s)
			p.close(c, s)
		}()
	}
}

// copyFromServer copies the server's bytes to the client, cutting both
// when a planned cut is reached.
func (p *Proxy) copyFromServer(c, s net.Conn) {
	buf := make([]byte, 4096)
	for {
		n, err := s.Read(buf)
		if n > 0 {
			p.mu.Lock()
			delay := p.delay
			p.mu.Unlock()
			time.Sleep(delay)
			p.mu.Lock()
			allowed, cut := n, false
			if p.cutAfter >= 0 {
				if int64(n) >= p.cutAfter {
					allowed, cut = int(p.cutAfter), true
					p.cutAfter = -1
				} else {
					p.cutAfter -= int64(n)
				}
			}
			p.mu.Unlock()
			if _, werr := c.Write(buf[:allowed]); werr != nil || cut {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *Proxy) close(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		c.Close()
		delete(p.conns, c)
	}
}

// CutAll closes every open connection at once.
func (p *Proxy) CutAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

// CutAfter plans a cut: after n more bytes from the server (to any client),
// that connection is closed. One cut per call.
func (p *Proxy) CutAfter(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutAfter = n
}

// Delay holds every chunk the server sends for d before passing it on: a
// slow server (or link), so that each SMTP reply, the final "250" after
// DATA included, arrives d late.
func (p *Proxy) Delay(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.delay = d
}

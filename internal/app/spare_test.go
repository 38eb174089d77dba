package app_test

import (
	"errors"
	"fmt"
	"net"
	"os"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
)

// TestStopClosesSpareConnections: a connection that never sends a request
// (a browser opens such spares ahead of need) does not hold the stop for
// the 5 s net/http waits for one, while a connection with part of a
// request read is left open for net/http's own rules.
func TestStopClosesSpareConnections(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	spare, err := net.Dial("tcp", a.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer spare.Close()
	partial, err := net.Dial("tcp", a.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer partial.Close()
	dialed := time.Now()
	fmt.Fprint(partial, "GET /healthz HTTP/1.1\r\nHost: ringdesk\r\n") // the headers' end is still to come
	// A request answered on a third connection: the server accepts in
	// order, so it is serving the first two as well (a stop before that
	// would refuse them with the listener).
	if res := a.Anon(t).Get(t, "/healthz"); res.StatusCode != 200 {
		t.Fatalf("/healthz: %d", res.StatusCode)
	}

	stopped := make(chan struct{})
	go func() { a.Stop(); close(stopped) }()

	// The server closes the spare: the read ends, long before the 5 s.
	spare.SetReadDeadline(time.Now().Add(4 * time.Second))
	if n, err := spare.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the spare connection is still open 4 s into the stop (read %d bytes, %v)", n, err)
	}
	// The connection that delivered part of a request is not cut.
	partial.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if n, err := partial.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the connection with part of a request was closed with the spares (read %d bytes, %v)", n, err)
	}
	// Its request completes; net/http drops a request it finishes reading
	// after the shutdown began, and the stop ends.
	fmt.Fprint(partial, "\r\n")
	<-stopped
	if d := time.Since(dialed); d >= 5*time.Second {
		t.Errorf("the stop took until %s after the spare connection opened; net/http alone waits 5 s", d.Round(time.Millisecond))
	}
}

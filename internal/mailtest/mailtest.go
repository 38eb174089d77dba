// Package mailtest runs real mail servers for tests: Dovecot (IMAP) and
// Mailpit (SMTP with a JSON API to read what arrived), each on free ports of
// 127.0.0.1 in a temporary folder, stopped when the test ends. A test that
// needs a server the machine lacks is skipped with the reason, unless
// RINGDESK_MAIL_REQUIRED=1 (CI), where it fails.
package mailtest

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Required tells whether the mail servers must be there (CI sets
// RINGDESK_MAIL_REQUIRED=1).
func Required() bool { return os.Getenv("RINGDESK_MAIL_REQUIRED") == "1" }

// skip skips the test with reason, or fails it when servers are required.
func skip(tb testing.TB, reason string) {
	tb.Helper()
	if Required() {
		tb.Fatalf("%s (RINGDESK_MAIL_REQUIRED=1)", reason)
	}
	tb.Skip(reason)
}

// findBinary looks for name on PATH, then in $GOPATH/bin (where go install
// puts Mailpit).
func findBinary(name string) (string, bool) {
	if p, err := exec.LookPath(name); err == nil {
		return p, true
	}
	var dirs []string
	if gp := os.Getenv("GOPATH"); gp != "" {
		for _, d := range filepath.SplitList(gp) {
			dirs = append(dirs, filepath.Join(d, "bin"))
		}
	}
	if gobin := os.Getenv("GOBIN"); gobin != "" {
		dirs = append(dirs, gobin)
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, d := range filepath.SplitList(strings.TrimSpace(string(out))) {
			dirs = append(dirs, filepath.Join(d, "bin"))
		}
	}
	for _, d := range dirs {
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, true
		}
	}
	return "", false
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitServer waits until the server the test started answers on
// 127.0.0.1:port: something accepts the connection and greets as that
// server would (hello). A port picked free can be taken by another test's
// listener before the server binds it; a bare dial would then succeed
// against the wrong server while ours exits with "address in use". A
// server still starting may accept before it greets (Dovecot's login
// process), so a failed greeting is tried again until the deadline, unless
// our process has exited (it lost the port).
func waitServer(port int, timeout time.Duration, exited func() bool, hello func(net.Conn) error) error {
	deadline := time.Now().Add(timeout)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.SetDeadline(time.Now().Add(2 * time.Second))
			err = hello(c)
			c.Close()
			if err == nil {
				return nil
			}
			err = fmt.Errorf("%s answers, but not as the server started: %w", addr, err)
		} else {
			err = fmt.Errorf("nothing listens on %s: %w", addr, err)
		}
		if exited() {
			return fmt.Errorf("the server exited; %w", err)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("after %v: %w", timeout, err)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// greets reads the first line a server sends and wants it to hold want
// (a greeting unique to the server the test started).
func greets(want string) func(net.Conn) error {
	return func(c net.Conn) error {
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			return err
		}
		if !strings.Contains(line, want) {
			return fmt.Errorf("greeting %q, want %q in it", strings.TrimSpace(line), want)
		}
		return nil
	}
}

// greetsTLS is greets behind a TLS handshake (IMAPS, with the test's
// self-signed certificate).
func greetsTLS(want string) func(net.Conn) error {
	return func(c net.Conn) error {
		tc := tls.Client(c, &tls.Config{InsecureSkipVerify: true})
		if err := tc.Handshake(); err != nil {
			return err
		}
		return greets(want)(tc)
	}
}

// answersHTTP sends GET path and wants a 200 whose body holds want.
func answersHTTP(path, want string) func(net.Conn) error {
	return func(c net.Conn) error {
		req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1"+path, nil)
		if err != nil {
			return err
		}
		if err := req.Write(c); err != nil {
			return err
		}
		res, err := http.ReadResponse(bufio.NewReader(c), req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(io.LimitReader(res.Body, 1<<16))
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(want)) {
			return fmt.Errorf("GET %s: %s %q", path, res.Status, body[:min(len(body), 80)])
		}
		return nil
	}
}

// process is a server process whose output is kept for failure messages.
type process struct {
	mu   sync.Mutex
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startProcess(path string, args ...string) (*process, error) {
	p := &process{out: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(path, args...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	// Its own process group, so stopping it stops the children it forks
	// (Dovecot's login and imap processes) too.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p.cmd.WaitDelay = 2 * time.Second
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// stop ends the process (SIGTERM, then SIGKILL) and waits for it.
func (p *process) stop() {
	if p == nil {
		return
	}
	select {
	case <-p.done:
		return
	default:
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		p.kill()
	}
}

// kill ends the process at once, as a crash would.
func (p *process) kill() {
	if p == nil {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

package faults

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// child is the Ringdesk process under test: the real binary running
// "serve", restarted on the same address and data after every kill.
type child struct {
	exe     string
	addr    string
	dataDir string
	dsn     string
	logFile *os.File
	env     []string

	cmd  *exec.Cmd
	done chan error // receives Wait's result once
}

// Fixed credentials of the suite's desk: it is a throwaway database.
const (
	adminEmail    = "admin@faults.example"
	adminPassword = "faults-admin-password"
	agentEmail    = "ivanov@ringdesk.example"
	agentPassword = "faults-agent-password"
	agentOperator = "323401"
	secretKey     = "faults-suite-secret-key-0123456789"
)

func newChild(exe, dataDir, dsn string, logFile *os.File) (*child, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), "RINGDESK_ADMIN_EMAIL="+adminEmail, "RINGDESK_ADMIN_PASSWORD="+adminPassword,
		"RINGDESK_SECRET_KEY="+secretKey, "RINGDESK_LANG=en")
	return &child{exe: exe, addr: "127.0.0.1:" + port, dataDir: dataDir, dsn: dsn, logFile: logFile, env: env}, nil
}

// freePort finds a port on 127.0.0.1 nobody listens on now; the child keeps
// it across restarts, so the simulator's notification URLs stay valid.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port, nil
}

func (c *child) url() string { return "http://" + c.addr }

// common are the flags every command of the child takes.
func (c *child) common() []string {
	return []string{"--data", c.dataDir, "--db", c.dsn, "--log-level", "warn"}
}

// start runs "ringdesk serve" and waits until /readyz answers 200.
func (c *child) start(ctx context.Context) error {
	args := append([]string{"serve", "--addr", c.addr, "--reconcile-every", "0"}, c.common()...)
	cmd := exec.Command(c.exe, args...)
	cmd.Env = c.env
	// Through a pipe, not the file itself: the SQLite outage limits the
	// size of every file the child writes, its log included.
	cmd.Stdout, cmd.Stderr = struct{ io.Writer }{c.logFile}, struct{ io.Writer }{c.logFile}
	fmt.Fprintf(c.logFile, "\n--- faults: starting %s %s\n", c.exe, strings.Join(args, " "))
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start ringdesk: %w", err)
	}
	c.cmd, c.done = cmd, make(chan error, 1)
	go func() { c.done <- cmd.Wait() }()
	return c.waitReady(ctx, time.Minute)
}

// waitReady polls /readyz until 200, the child exits or the time is up.
func (c *child) waitReady(ctx context.Context, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		if code, err := getStatus(ctx, c.url()+"/readyz"); err == nil && code == http.StatusOK {
			return nil
		}
		select {
		case err := <-c.done:
			c.done <- err
			return fmt.Errorf("ringdesk exited before it was ready (%v); see %s", err, c.logFile.Name())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("ringdesk not ready after %s; see %s", within, c.logFile.Name())
		}
	}
}

// pid is the running child's process id.
func (c *child) pid() int { return c.cmd.Process.Pid }

// alive reports whether the child has not exited.
func (c *child) alive() bool {
	select {
	case err := <-c.done:
		c.done <- err
		return false
	default:
		return true
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (c *child) kill() error {
	fmt.Fprintf(c.logFile, "\n--- faults: SIGKILL pid %d\n", c.pid())
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return err
	}
	<-c.done
	return nil
}

// stop ends the child with SIGTERM (SIGKILL after 20 s).
func (c *child) stop() {
	if c.cmd == nil || !c.alive() {
		return
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(20 * time.Second):
		c.cmd.Process.Kill()
		<-c.done
	}
}

// command runs another ringdesk command (token create, user create) on the
// same data and returns its standard output.
func (c *child) command(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, c.exe, append(args, c.common()...)...)
	cmd.Env = c.env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("ringdesk %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(errOut.String()))
	}
	return out.String(), nil
}

func getStatus(ctx context.Context, url string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

var errNotLinux = errors.New("this scenario needs Linux")

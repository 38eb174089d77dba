package mailtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Mailpit is a running Mailpit: an SMTP server that keeps every message it
// accepts (AUTH with any username and password, without TLS) and a JSON API
// to read them.
type Mailpit struct {
	Host     string // 127.0.0.1
	SMTPPort int
	HTTPPort int

	bin, db string
	proc    *process
}

// StartMailpit runs Mailpit for the test (binary on PATH or in
// $GOPATH/bin: go install github.com/axllent/mailpit@v1.33.1).
func StartMailpit(tb testing.TB) *Mailpit {
	tb.Helper()
	bin, ok := findBinary("mailpit")
	if !ok {
		skip(tb, "mailpit is not installed (go install github.com/axllent/mailpit@v1.33.1)")
	}
	m := &Mailpit{Host: "127.0.0.1", bin: bin, db: filepath.Join(tb.TempDir(), "mailpit.db")}
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		m.SMTPPort, m.HTTPPort = FreePort(tb), FreePort(tb)
		if err = m.start(); err == nil {
			break
		}
	}
	if err != nil {
		tb.Fatalf("mailpit: %v", err)
	}
	tb.Cleanup(m.Stop)
	return m
}

func (m *Mailpit) start() error {
	p, err := startProcess(m.bin,
		"--smtp", fmt.Sprintf("127.0.0.1:%d", m.SMTPPort),
		"--listen", fmt.Sprintf("127.0.0.1:%d", m.HTTPPort),
		"--database", m.db,
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure",
		"--smtp-disable-rdns", "--disable-version-check", "--enable-chaos", "--quiet")
	if err != nil {
		return err
	}
	// Its API names its database, which is this test's own; its SMTP
	// greeting names Mailpit.
	if err = waitServer(m.HTTPPort, 15*time.Second, p.exited, answersHTTP("/api/v1/info", m.db)); err == nil {
		err = waitServer(m.SMTPPort, 5*time.Second, p.exited, greets("Mailpit ESMTP"))
	}
	if err != nil || p.exited() {
		p.stop()
		return fmt.Errorf("did not start (%v): %s", err, p.out.String())
	}
	m.proc = p
	return nil
}

// Stop stops Mailpit (messages stay in its database for Start).
func (m *Mailpit) Stop() {
	m.proc.stop()
	m.proc = nil
}

// Start starts a stopped Mailpit again on the same ports: an SMTP server
// that was down comes back.
func (m *Mailpit) Start(tb testing.TB) {
	tb.Helper()
	if m.proc != nil {
		return
	}
	if err := m.start(); err != nil {
		tb.Fatalf("mailpit restart: %v", err)
	}
}

// APIURL is the base of Mailpit's JSON API.
func (m *Mailpit) APIURL() string { return fmt.Sprintf("http://127.0.0.1:%d/api/v1", m.HTTPPort) }

// MailpitAddress is an address in Mailpit's JSON.
type MailpitAddress struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// MailpitMessage is a message in Mailpit's list.
type MailpitMessage struct {
	ID        string           `json:"ID"`
	MessageID string           `json:"MessageID"`
	From      MailpitAddress   `json:"From"`
	To        []MailpitAddress `json:"To"`
	Cc        []MailpitAddress `json:"Cc"`
	Bcc       []MailpitAddress `json:"Bcc"`
	Subject   string           `json:"Subject"`
	Created   time.Time        `json:"Created"`
	Size      int              `json:"Size"`
}

// Messages lists what Mailpit received, newest first.
func (m *Mailpit) Messages(tb testing.TB) []MailpitMessage {
	tb.Helper()
	var out struct {
		Messages []MailpitMessage `json:"messages"`
	}
	m.api(tb, http.MethodGet, "/messages?limit=1000", nil, &out)
	return out.Messages
}

// WaitMessages waits until Mailpit holds at least n messages and returns
// them, newest first.
func (m *Mailpit) WaitMessages(tb testing.TB, n int, timeout time.Duration) []MailpitMessage {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs := m.Messages(tb)
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			tb.Fatalf("mailpit has %d messages after %v, want %d", len(msgs), timeout, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Raw returns a received message exactly as it arrived.
func (m *Mailpit) Raw(tb testing.TB, id string) []byte {
	tb.Helper()
	return m.api(tb, http.MethodGet, "/message/"+id+"/raw", nil, nil)
}

// DeleteAll deletes every received message.
func (m *Mailpit) DeleteAll(tb testing.TB) {
	tb.Helper()
	m.api(tb, http.MethodDelete, "/messages", []byte("{}"), nil)
}

// Refusal is the reply codes Mailpit answers with instead of accepting:
// 4xx temporary, 5xx permanent, 0 accepts.
type Refusal struct {
	Sender    int // MAIL FROM
	Recipient int // RCPT TO
	Auth      int // AUTH (e.g. 535)
}

// Refuse makes the SMTP server refuse as r says (Mailpit's "chaos"
// triggers); Refuse(tb, Refusal{}) accepts everything again.
func (m *Mailpit) Refuse(tb testing.TB, r Refusal) {
	tb.Helper()
	trigger := func(code, def int) map[string]int {
		if code == 0 {
			return map[string]int{"ErrorCode": def, "Probability": 0}
		}
		return map[string]int{"ErrorCode": code, "Probability": 100}
	}
	body, _ := json.Marshal(map[string]any{"Sender": trigger(r.Sender, 451), "Recipient": trigger(r.Recipient, 451),
		"Authentication": trigger(r.Auth, 535)})
	m.api(tb, http.MethodPut, "/chaos", body, nil)
}

func (m *Mailpit) api(tb testing.TB, method, path string, body []byte, into any) []byte {
	tb.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, m.APIURL()+path, rd)
	if err != nil {
		tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("mailpit %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode/100 != 2 {
		tb.Fatalf("mailpit %s %s: %s %v: %s", method, path, strconv.Itoa(resp.StatusCode), err, b)
	}
	if into != nil {
		if err := json.Unmarshal(b, into); err != nil {
			tb.Fatalf("mailpit %s %s: %v: %s", method, path, err, b)
		}
	}
	return b
}

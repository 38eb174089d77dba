package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// IdleRenew is the longest WaitNew waits in one IDLE: servers drop idle
// clients after about 30 minutes (RFC 2177), so the caller's loop re-issues
// it before.
const IdleRenew = 25 * time.Minute

// DefaultPollInterval is how often WaitNew asks a server without IDLE.
const DefaultPollInterval = time.Minute

// fetchBatch is how many messages one UID FETCH asks for.
const fetchBatch = 50

// IMAPConfig is how to reach the incoming mail server.
type IMAPConfig struct {
	Host     string
	Port     int
	TLS      TLSMode
	Username string
	Password string
	Folder   string        // empty: INBOX
	Timeout  time.Duration // connecting, logging in, selecting; 0: DefaultTimeout
	// PollInterval is how often WaitNew looks when the server has no IDLE
	// (or DisableIdle); 0: DefaultPollInterval.
	PollInterval time.Duration
	DisableIdle  bool
	// TLSConfig overrides the TLS settings (tests trust their own CA with
	// it); ServerName defaults to Host.
	TLSConfig *tls.Config
	// Resolver looks host names up; nil: the system's.
	Resolver *net.Resolver
}

func (c IMAPConfig) folder() string {
	if c.Folder == "" {
		return "INBOX"
	}
	return c.Folder
}

func (c IMAPConfig) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// Cursor is how far a folder has been read: UIDs are stable only while
// UIDVALIDITY stays the same (RFC 9051 §2.3.1.1). Store it after the
// messages it covers.
type Cursor struct {
	UIDValidity uint32
	LastUID     uint32 // the highest UID handled; 0: none
}

// FetchError is a failure to talk to the IMAP server (network, TLS, login,
// folder); the next Fetch or WaitNew connects again.
type FetchError struct {
	Op  string // connect, tls, login, select, search, fetch, idle
	Err error
}

func (e *FetchError) Error() string { return "imap " + e.Op + ": " + e.Err.Error() }
func (e *FetchError) Unwrap() error { return e.Err }

// Fetcher reads new messages from one IMAP folder. It keeps one
// connection, made on first use and again after a drop; its methods are
// safe to call from several goroutines but run one at a time.
type Fetcher struct {
	cfg IMAPConfig
	log *slog.Logger

	mu          sync.Mutex
	c           *imapclient.Client
	live        atomic.Pointer[imapclient.Client]
	uidValidity uint32
	hasIdle     bool
	newMail     chan struct{} // signalled by the server's EXISTS updates
}

// NewFetcher returns a Fetcher for cfg; it connects on first use.
func NewFetcher(cfg IMAPConfig, log *slog.Logger) *Fetcher {
	if log == nil {
		log = slog.Default()
	}
	return &Fetcher{cfg: cfg, log: log.With("imap", fmt.Sprintf("%s@%s:%d/%s", cfg.Username, cfg.Host, cfg.Port, cfg.folder())),
		newMail: make(chan struct{}, 1)}
}

// Close logs out and closes the connection.
// A Fetch or WaitNew running meanwhile ends with an error at once.
func (f *Fetcher) Close() error {
	if !f.mu.TryLock() {
		// Busy (a WaitNew may IDLE for minutes): cut its connection so it
		// returns, then wait for it.
		if c := f.live.Load(); c != nil {
			c.Close()
		}
		f.mu.Lock()
	}
	defer f.mu.Unlock()
	if f.c == nil {
		return nil
	}
	_ = f.c.Logout().Wait()
	err := f.c.Close()
	f.setClient(nil)
	return err
}

// setClient records the connection (live mirrors it for Close, which may
// run while another call holds mu).
func (f *Fetcher) setClient(c *imapclient.Client) {
	f.c = c
	f.live.Store(c)
}

// Fetch reads the messages after cur in UID order with BODY.PEEK[] (so
// nothing is marked \Seen), at most max of them (0: all), and calls fn for
// each. The returned cursor covers exactly the messages fn accepted: when fn
// fails, Fetch stops and returns the cursor before that message with fn's
// error; when the connection drops, it returns the progress so far and a
// *FetchError, and the next call connects again and goes on from there.
//
// When the folder's UIDVALIDITY is not cur's (the server rebuilt it), the
// folder is read again from the first message and the returned cursor
// carries the new UIDVALIDITY: the caller sees the change by comparing, and
// drops the messages it already has by Message-ID.
func (f *Fetcher) Fetch(ctx context.Context, cur Cursor, max int, fn func(uid uint32, raw []byte) error) (Cursor, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.connect(ctx); err != nil {
		return cur, err
	}
	stop := f.closeOnDone(ctx)
	defer stop()
	select { // what the server announced so far is read now
	case <-f.newMail:
	default:
	}
	next := cur
	if cur.UIDValidity != f.uidValidity {
		if cur.UIDValidity != 0 {
			f.log.WarnContext(ctx, "mail: UIDVALIDITY changed, reading the folder again",
				"was", cur.UIDValidity, "now", f.uidValidity)
		}
		next = Cursor{UIDValidity: f.uidValidity}
	}
	uids, err := f.uidsAfter(next.LastUID)
	if err != nil {
		return next, f.fail(ctx, "search", err)
	}
	if max > 0 && len(uids) > max {
		uids = uids[:max]
	}
	for len(uids) > 0 {
		n := min(len(uids), fetchBatch)
		if next, err = f.fetchBatch(ctx, next, uids[:n], fn); err != nil {
			return next, err
		}
		uids = uids[n:]
	}
	return next, nil
}

// uidsAfter lists the folder's UIDs above last, ascending.
func (f *Fetcher) uidsAfter(last uint32) ([]imap.UID, error) {
	var set imap.UIDSet
	set.AddRange(imap.UID(last+1), 0) // last+1:*
	data, err := f.c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{set}}, nil).Wait()
	if err != nil {
		return nil, err
	}
	var out []imap.UID
	for _, u := range data.AllUIDs() {
		if uint32(u) > last { // "n:*" includes the highest UID even below n
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (f *Fetcher) fetchBatch(ctx context.Context, cur Cursor, uids []imap.UID, fn func(uint32, []byte) error) (Cursor, error) {
	cmd := f.c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{
		UID:         true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}},
	})
	var handlerErr error
	for {
		msg := cmd.Next()
		if msg == nil {
			break
		}
		uid, raw, err := readFetched(msg)
		if err != nil {
			// The link broke inside the message: leave the command alone
			// (draining it would read the dead connection again) and drop
			// the connection; the message is fetched again next time.
			return cur, f.fail(ctx, "fetch", err)
		}
		if uint32(uid) <= cur.LastUID || raw == nil {
			continue
		}
		if err := fn(uint32(uid), raw); err != nil {
			handlerErr = fmt.Errorf("mail: message uid %d: %w", uid, err)
			break
		}
		cur.LastUID = uint32(uid)
	}
	if err := cmd.Close(); err != nil && handlerErr == nil {
		return cur, f.fail(ctx, "fetch", err)
	}
	return cur, handlerErr
}

// readFetched reads one FETCH response: its UID and the whole message.
func readFetched(msg *imapclient.FetchMessageData) (imap.UID, []byte, error) {
	var uid imap.UID
	var raw []byte
	for {
		item := msg.Next()
		if item == nil {
			return uid, raw, nil
		}
		switch it := item.(type) {
		case imapclient.FetchItemDataUID:
			uid = it.UID
		case imapclient.FetchItemDataBodySection:
			if it.Literal == nil {
				continue
			}
			b, err := io.ReadAll(it.Literal)
			if err == nil && int64(len(b)) != it.Literal.Size() {
				// A literal cut short ends in a plain EOF: never take it
				// for the whole message.
				err = fmt.Errorf("message %d cut after %d of %d bytes: %w", uid, len(b), it.Literal.Size(), io.ErrUnexpectedEOF)
			}
			if err != nil {
				return uid, nil, err
			}
			raw = b
		}
	}
}

// WaitNew returns when the folder may have new mail, after timeout (at most
// IdleRenew), or when ctx ends. It uses IDLE when the server has it and
// asks every PollInterval otherwise. A nil error means: call Fetch now.
func (f *Fetcher) WaitNew(ctx context.Context, timeout time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if timeout <= 0 || timeout > IdleRenew {
		timeout = IdleRenew
	}
	if err := f.connect(ctx); err != nil {
		return err
	}
	stop := f.closeOnDone(ctx)
	defer stop()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	if f.hasIdle && !f.cfg.DisableIdle {
		return f.idle(ctx, timer.C)
	}
	return f.poll(ctx, timer.C)
}

func (f *Fetcher) idle(ctx context.Context, timeout <-chan time.Time) error {
	cmd, err := f.c.Idle()
	if err != nil {
		return f.fail(ctx, "idle", err)
	}
	closed := f.c.Closed()
	select {
	case <-f.newMail:
	case <-timeout:
	case <-ctx.Done():
	case <-closed:
	}
	err = cmd.Close()
	if werr := cmd.Wait(); err == nil {
		err = werr
	}
	if ctx.Err() != nil {
		f.drop()
		return ctx.Err()
	}
	if err != nil {
		return f.fail(ctx, "idle", err)
	}
	return nil
}

func (f *Fetcher) poll(ctx context.Context, timeout <-chan time.Time) error {
	every := f.cfg.PollInterval
	if every <= 0 {
		every = DefaultPollInterval
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-f.newMail:
			return nil
		case <-timeout:
			return nil
		case <-ctx.Done():
			f.drop()
			return ctx.Err()
		case <-tick.C:
			// NOOP lets the server report new messages (EXISTS).
			if err := f.c.Noop().Wait(); err != nil {
				return f.fail(ctx, "noop", err)
			}
		}
	}
}

// connect makes sure a logged-in connection with the folder selected is
// there, making it when there is none or the last one dropped.
func (f *Fetcher) connect(ctx context.Context) error {
	if f.c != nil {
		select {
		case <-f.c.Closed():
			f.setClient(nil)
		default:
			return nil
		}
	}
	c, err := dialIMAP(ctx, f.cfg, &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				select {
				case f.newMail <- struct{}{}:
				default:
				}
			}
		},
	})
	if err != nil {
		return err
	}
	// EXAMINE: read-only, so reading can never change flags.
	data, err := withDeadline(ctx, f.cfg.timeout(), c, func() (*imap.SelectData, error) {
		return c.Select(f.cfg.folder(), &imap.SelectOptions{ReadOnly: true}).Wait()
	})
	if err != nil {
		c.Close()
		return &FetchError{Op: "select", Err: err}
	}
	f.setClient(c)
	f.uidValidity = data.UIDValidity
	f.hasIdle = c.Caps().Has(imap.CapIdle) || c.Caps().Has(imap.CapIMAP4rev2)
	return nil
}

// dialIMAP connects, secures and logs in.
func dialIMAP(ctx context.Context, cfg IMAPConfig, handler *imapclient.UnilateralDataHandler) (*imapclient.Client, error) {
	if cfg.TLS != "" && !cfg.TLS.Valid() {
		return nil, &FetchError{Op: "connect", Err: fmt.Errorf("unknown TLS mode %q", cfg.TLS)}
	}
	conn, err := dial(ctx, cfg.Host, cfg.Port, cfg.timeout(), cfg.Resolver)
	if err != nil {
		return nil, &FetchError{Op: "connect", Err: err}
	}
	tcfg := tlsConfigFor(cfg.Host, cfg.TLSConfig)
	opts := &imapclient.Options{TLSConfig: tcfg, UnilateralDataHandler: handler, WordDecoder: wordDecoder}
	var c *imapclient.Client
	switch cfg.TLS {
	case TLSImplicit:
		tc := tls.Client(conn, tcfg)
		if err := handshake(ctx, tc, cfg.timeout()); err != nil {
			conn.Close()
			return nil, &FetchError{Op: "tls", Err: err}
		}
		c = imapclient.New(tc, opts)
	case TLSStartTLS:
		conn.SetDeadline(time.Now().Add(cfg.timeout()))
		c, err = imapclient.NewStartTLS(conn, opts)
		if err != nil {
			conn.Close()
			return nil, &FetchError{Op: "tls", Err: err}
		}
		conn.SetDeadline(time.Time{})
	default:
		c = imapclient.New(conn, opts)
	}
	if _, err := withDeadline(ctx, cfg.timeout(), c, func() (struct{}, error) { return struct{}{}, c.WaitGreeting() }); err != nil {
		c.Close()
		return nil, &FetchError{Op: "connect", Err: err}
	}
	if _, err := withDeadline(ctx, cfg.timeout(), c, func() (struct{}, error) {
		return struct{}{}, c.Login(cfg.Username, cfg.Password).Wait()
	}); err != nil {
		c.Close()
		op := "login"
		if cfg.TLS == TLSStartTLS && !isIMAPStatus(err) {
			op = "tls" // the certificate is checked on the first command after STARTTLS
		}
		return nil, &FetchError{Op: op, Err: err}
	}
	return c, nil
}

func isIMAPStatus(err error) bool {
	var ie *imap.Error
	return errors.As(err, &ie)
}

// withDeadline runs a command, closing the connection when ctx ends or the
// timeout passes first (imapclient commands take no context).
func withDeadline[T any](ctx context.Context, timeout time.Duration, c *imapclient.Client, run func() (T, error)) (T, error) {
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	stop := context.AfterFunc(tctx, func() { c.Close() })
	v, err := run()
	if !stop() && err != nil {
		if ctx.Err() != nil {
			return v, ctx.Err()
		}
		return v, fmt.Errorf("%w (no answer within %v)", errTimeout, timeout)
	}
	return v, err
}

var errTimeout = errors.New("timeout")

// closeOnDone closes the current connection when ctx ends during a call
// (imapclient commands take no context); the returned stop undoes it.
func (f *Fetcher) closeOnDone(ctx context.Context) (stop func() bool) {
	c := f.c
	return context.AfterFunc(ctx, func() { c.Close() })
}

// drop forgets the connection; the next call connects again.
func (f *Fetcher) drop() {
	if f.c != nil {
		f.c.Close()
		f.setClient(nil)
	}
}

// fail drops the connection and wraps err, or returns ctx's error when the
// context ended it.
func (f *Fetcher) fail(ctx context.Context, op string, err error) error {
	f.drop()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	f.log.WarnContext(ctx, "mail: imap connection lost", "op", op, "err", err)
	return &FetchError{Op: op, Err: err}
}

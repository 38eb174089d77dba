package desk

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/mail"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// mailConfigs returns a mailbox's IMAP and SMTP settings with the
// passwords unsealed.
func (d *Desk) mailConfigs(ctx context.Context, ch *ringdesk.Channel) (mail.IMAPConfig, mail.SMTPConfig, error) {
	imapPass, err := d.AppSecret(ctx, ch.ID)
	if err != nil && ch.HasSecret {
		return mail.IMAPConfig{}, mail.SMTPConfig{}, err
	}
	smtpPass := ""
	if ch.HasSMTPSecret {
		sealed, err := d.db.ChannelSMTPSecret(ctx, ch.ID)
		if err != nil {
			return mail.IMAPConfig{}, mail.SMTPConfig{}, err
		}
		if smtpPass, err = d.cfg.Secrets.Open(sealed); err != nil {
			return mail.IMAPConfig{}, mail.SMTPConfig{}, ErrSecretUnreadable
		}
	}
	return imapConfig(ch.Email, imapPass), smtpConfig(ch.Email, smtpPass), nil
}

func tlsMode(m string) mail.TLSMode {
	switch m {
	case ringdesk.TLSNone:
		return mail.TLSNone
	case ringdesk.TLSStartTLS:
		return mail.TLSStartTLS
	}
	return mail.TLSImplicit
}

func imapConfig(s ringdesk.EmailSettings, pass string) mail.IMAPConfig {
	return mail.IMAPConfig{Host: s.IMAPHost, Port: s.IMAPPort, TLS: tlsMode(s.IMAPTLS), Username: s.IMAPUser, Password: pass, Folder: s.IMAPFolder}
}

func smtpConfig(s ringdesk.EmailSettings, pass string) mail.SMTPConfig {
	user := s.SMTPUser
	if pass == "" {
		user = "" // no password: the server takes mail without AUTH
	}
	return mail.SMTPConfig{Host: s.SMTPHost, Port: s.SMTPPort, TLS: tlsMode(s.SMTPTLS), Username: user, Password: pass}
}

// CheckMailbox tries a mailbox's IMAP and SMTP settings and returns what
// to fix (nothing when both work).
func (d *Desk) CheckMailbox(ctx context.Context, actor *ringdesk.Agent, channelID int64) ([]MailProblem, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	ch, err := d.db.ChannelByID(ctx, channelID)
	if err != nil {
		return nil, err
	}
	if ch.Type != ringdesk.ChannelTypeEmail {
		return nil, ringdesk.Errorf(ringdesk.EINVALID, "This channel is not a mailbox.")
	}
	imapCfg, smtpCfg, err := d.mailConfigs(ctx, ch)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out := []MailProblem{}
	for _, p := range mail.Check(ctx, imapCfg, smtpCfg) {
		out = append(out, MailProblem{Side: strings.ToUpper(p.Server), Code: string(p.Code), Detail: p.Detail})
	}
	return out, nil
}

// forgetMailboxes tells RunMailFetch to look at the mailboxes again.
func (d *Desk) forgetMailboxes() {
	select {
	case d.mailboxesChanged <- struct{}{}:
	default:
	}
}

// Fetch worker timing.
const (
	mailLeaseFor     = time.Minute      // a fetcher's lease on its mailbox
	mailRescan       = 30 * time.Second // how often the mailbox list is read again
	mailRetryAfter   = 15 * time.Second // after a failed connection, before the next (Config.MailRetryAfter)
	mailFetchBatch   = 50               // messages per fetch
	mailPendingSweep = time.Minute      // how often stored but unapplied mail is applied again
)

// RunMailFetch reads every active mailbox until ctx ends: one loop per
// mailbox, started and stopped as mailboxes are added, changed or switched
// off. On PostgreSQL each mailbox's loop holds a lease, so one instance
// reads it. Messages stored but not applied (a crash, a failure) are
// applied again periodically.
func (d *Desk) RunMailFetch(ctx context.Context) error {
	owner := d.instanceID()
	type running struct {
		key  string
		stop context.CancelFunc
		done chan struct{}
	}
	loops := map[int64]*running{}
	defer func() {
		for _, r := range loops {
			r.stop()
			<-r.done
		}
	}()
	if err := d.ApplyPendingEmail(ctx, true); err != nil && ctx.Err() == nil {
		d.log.Warn("email: applying stored mail", "err", err)
	}
	sweep := time.NewTicker(mailPendingSweep)
	defer sweep.Stop()
	for ctx.Err() == nil {
		channels, err := d.db.ListChannels(ctx)
		if err != nil && ctx.Err() == nil {
			d.log.Warn("email: list mailboxes", "err", err)
		}
		want := map[int64]*ringdesk.Channel{}
		for _, c := range channels {
			if c.Type == ringdesk.ChannelTypeEmail && c.Active {
				want[c.ID] = c
			}
		}
		for id, r := range loops {
			if c, ok := want[id]; !ok || mailboxKey(c) != r.key {
				r.stop()
				<-r.done
				delete(loops, id)
			}
		}
		if err == nil {
			for id, c := range want {
				if loops[id] != nil {
					continue
				}
				lctx, stop := context.WithCancel(ctx)
				r := &running{key: mailboxKey(c), stop: stop, done: make(chan struct{})}
				loops[id] = r
				go func(c *ringdesk.Channel) {
					defer close(r.done)
					d.fetchMailbox(lctx, c, owner)
				}(c)
			}
		}
		select {
		case <-ctx.Done():
		case <-d.mailboxesChanged:
		case <-time.After(mailRescan):
		case <-sweep.C:
			if err := d.ApplyPendingEmail(ctx, true); err != nil && ctx.Err() == nil {
				d.log.Warn("email: applying stored mail", "err", err)
			}
		}
	}
	return nil
}

// mailboxKey changes when a mailbox's settings or passwords change, so its
// loop restarts with them.
func mailboxKey(c *ringdesk.Channel) string {
	b, _ := json.Marshal(c.Email)
	return string(b) + strconv.FormatBool(c.HasSecret) + strconv.FormatBool(c.HasSMTPSecret) + c.UpdatedAt.String()
}

// fetchMailbox reads one mailbox until ctx ends, reconnecting after
// failures.
func (d *Desk) fetchMailbox(ctx context.Context, ch *ringdesk.Channel, owner string) {
	lease := "mail-fetch:" + strconv.FormatInt(ch.ID, 10)
	defer func() {
		if err := d.db.ReleaseLease(context.WithoutCancel(ctx), lease, owner); err != nil {
			d.log.Debug("email: lease not released", "err", err)
		}
	}()
	log := d.log.With("channel_id", ch.ID)
	for ctx.Err() == nil {
		err := d.fetchSession(ctx, ch, lease, owner)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			log.Warn("email: mailbox reading stopped; trying again", "err", err, "in", d.mailRetryPause())
		}
		select {
		case <-ctx.Done():
		case <-time.After(d.mailRetryPause()):
		}
	}
}

// mailRetryPause is the pause between a mailbox's sessions after one
// failed or found the lease held.
func (d *Desk) mailRetryPause() time.Duration {
	if d.cfg.MailRetryAfter > 0 {
		return d.cfg.MailRetryAfter
	}
	return mailRetryAfter
}

// errNotLeased ends a session when another instance reads the mailbox.
type errNotLeased struct{}

func (errNotLeased) Error() string { return "another instance reads this mailbox" }

// fetchSession holds the lease and one IMAP connection: fetch, wait for
// new mail (IDLE or polling), fetch again.
func (d *Desk) fetchSession(ctx context.Context, ch *ringdesk.Channel, lease, owner string) error {
	held, err := d.db.TakeLease(ctx, lease, owner, d.Now(), d.Now().Add(mailLeaseFor))
	if err != nil {
		return err
	}
	if !held {
		return nil // another instance has it; look again after mailRetryAfter
	}
	imapCfg, _, err := d.mailConfigs(ctx, ch)
	if err != nil {
		return err
	}
	f := mail.NewFetcher(imapCfg, d.log.With("channel_id", ch.ID))
	defer f.Close()
	wait := min(ch.Email.Poll(), mailLeaseFor/2)
	for ctx.Err() == nil {
		if held, err := d.db.TakeLease(ctx, lease, owner, d.Now(), d.Now().Add(mailLeaseFor)); err != nil {
			return err
		} else if !held {
			return errNotLeased{}
		}
		if err := d.fetchOnce(ctx, f, ch.ID); err != nil {
			return err
		}
		if err := f.WaitNew(ctx, wait); err != nil && ctx.Err() == nil {
			return err
		}
	}
	return nil
}

// fetchOnce stores every new message of the mailbox, a batch at a time:
// each batch is stored with the cursor in one transaction (nothing passes
// the stored cursor unstored), then applied.
func (d *Desk) fetchOnce(ctx context.Context, f *mail.Fetcher, channelID int64) error {
	for ctx.Err() == nil {
		cur, err := d.db.EmailCursor(ctx, channelID)
		if err != nil {
			return err
		}
		var batch []FetchedMail
		next, ferr := f.Fetch(ctx, mail.Cursor{UIDValidity: cur.UIDValidity, LastUID: cur.LastUID}, mailFetchBatch,
			func(uid uint32, raw []byte) error {
				batch = append(batch, FetchedMail{UID: uid, Raw: raw})
				return nil
			})
		// What was read before a failure is stored all the same. After a
		// UIDVALIDITY change the folder is read again from its first
		// message under the new validity; Message-IDs drop what is
		// already stored.
		if len(batch) > 0 {
			if _, err := d.ReceiveEmails(ctx, channelID, next.UIDValidity, batch); err != nil {
				return err
			}
		} else if next.UIDValidity != cur.UIDValidity {
			if err := d.db.SaveEmailCursor(ctx, channelID, store.EmailCursor{UIDValidity: next.UIDValidity, LastUID: next.LastUID}, d.Now()); err != nil {
				return err
			}
		}
		if ferr != nil {
			return ferr
		}
		if len(batch) < mailFetchBatch {
			return nil
		}
	}
	return nil
}

// MailProblem is one thing a mailbox check found to fix.
type MailProblem struct {
	Side   string // IMAP or SMTP
	Code   string // mail's problem code, for MailAdvice
	Detail string // the server's or the library's words
}

// MailAdvice says what to fix for a mailbox check's problem code, in
// English (the web layer translates it).
func MailAdvice(code string) string {
	if a, ok := mailAdvice[mail.ProblemCode(code)]; ok {
		return a
	}
	return "Check the server name, port, TLS mode and login."
}

package mail

import (
	"bufio"
	"io"
	"regexp"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// finish assembles the bodies and classifies the message once every part
// has been read.
func (p *parser) finish() {
	m := p.msg
	m.Text = strings.TrimRight(strings.ReplaceAll(strings.Join(p.texts, "\n"), "\r\n", "\n"), "\n\t ")
	if len(p.htmls) > 0 {
		raw := strings.Join(p.htmls, "\n")
		m.HasRemoteImages = hasRemoteImages(raw)
		m.HTML = SanitizeHTML(raw, p.opts.AllowRemoteImages)
		if strings.TrimSpace(m.Text) == "" {
			m.Text = HTMLToText(m.HTML)
		}
	}
	m.Machine, m.MachineReason = p.classify()
	if m.Machine == MachineBounce {
		m.Bounce = p.dsn
		if m.Bounce == nil {
			m.Bounce = bounceFromText(m.Text)
		}
	}
}

// classify decides whether machines sent the message: bounces first (they
// often carry Auto-Submitted too), then auto-replies, then bulk mail.
func (p *parser) classify() (MachineKind, string) {
	h := func(k string) string { return strings.TrimSpace(p.header.Get(k)) }
	if p.inReport || p.dsn != nil {
		return MachineBounce, "delivery-status report"
	}
	if p.receipt {
		return MachineAutoReply, "disposition-notification report (read receipt)"
	}
	local, _, _ := strings.Cut(strings.ToLower(p.msg.From.Email), "@")
	if local == "mailer-daemon" || local == "postmaster" {
		return MachineBounce, "From: " + p.msg.From.Email
	}
	if v := strings.ToLower(h("Auto-Submitted")); v != "" {
		if kw, _, _ := strings.Cut(v, ";"); strings.TrimSpace(kw) != "no" {
			return MachineAutoReply, "Auto-Submitted: " + v
		}
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder", "Auto-Reply-From", "X-Auto-Reply"} {
		if p.header.Has(k) {
			return MachineAutoReply, k + ": " + h(k)
		}
	}
	prec := strings.ToLower(h("Precedence"))
	if prec == "" {
		prec = strings.ToLower(h("X-Precedence"))
	}
	switch prec {
	case "auto_reply", "auto-reply":
		return MachineAutoReply, "Precedence: " + prec
	case "bulk", "list", "junk":
		return MachineBulk, "Precedence: " + prec
	}
	if v := h("List-Id"); v != "" {
		return MachineBulk, "List-Id: " + v
	}
	if v := h("List-Unsubscribe"); v != "" {
		return MachineBulk, "List-Unsubscribe"
	}
	if rp := h("Return-Path"); rp == "<>" {
		// RFC 3834: automatic responses go out with an empty envelope sender.
		return MachineAutoReply, "Return-Path: <>"
	}
	return MachineNone, ""
}

// readDSN reads a message/delivery-status part (RFC 3464): a block of
// per-message fields, then one block per recipient. The first failed
// recipient is kept (else the first one).
func (p *parser) readDSN(r io.Reader) {
	br := bufio.NewReader(io.LimitReader(r, 1<<20))
	var chosen *Bounce
	for i := 0; i < 200; i++ {
		h, err := textproto.ReadHeader(br)
		if h.Len() > 0 && (h.Has("Action") || h.Has("Final-Recipient") || h.Has("Status")) {
			b := &Bounce{
				Action:     strings.ToLower(strings.TrimSpace(h.Get("Action"))),
				Status:     strings.TrimSpace(h.Get("Status")),
				Diagnostic: oneLine(afterType(h.Get("Diagnostic-Code"))),
				Recipient:  afterType(h.Get("Final-Recipient")),
			}
			if b.Recipient == "" {
				b.Recipient = afterType(h.Get("Original-Recipient"))
			}
			if chosen == nil || (chosen.Action != "failed" && b.Action == "failed") {
				chosen = b
			}
		}
		if err != nil {
			break
		}
	}
	_, _ = io.Copy(io.Discard, r)
	if chosen == nil {
		chosen = &Bounce{}
	}
	if p.dsn != nil && p.dsn.OriginalMessageID != "" {
		chosen.OriginalMessageID = p.dsn.OriginalMessageID
	}
	p.dsn = chosen
}

// afterType drops the type of a DSN field ("rfc822; a@b" -> "a@b",
// "smtp; 550 ..." -> "550 ...").
func afterType(v string) string {
	if _, after, ok := strings.Cut(v, ";"); ok {
		v = after
	}
	return strings.TrimSpace(v)
}

// readOriginal reads the header of the bounced message a report carries,
// for its Message-ID.
func (p *parser) readOriginal(r io.Reader) {
	h, _ := textproto.ReadHeader(bufio.NewReader(io.LimitReader(r, 1<<20)))
	_, _ = io.Copy(io.Discard, r)
	ids := msgIDs(h.Get("Message-Id"))
	if len(ids) == 0 {
		return
	}
	if p.dsn == nil {
		p.dsn = &Bounce{}
	}
	p.dsn.OriginalMessageID = ids[0]
}

var (
	textMsgIDRe  = regexp.MustCompile(`(?im)^\s*Message-ID:\s*<([^<>\s]+)>`)
	textStatusRe = regexp.MustCompile(`\b([245]\.\d{1,3}\.\d{1,3})\b`)
)

// bounceFromText reads what it can from a bounce that is not an RFC 3464
// report (old or home-made MTAs quote the original header in the text).
func bounceFromText(text string) *Bounce {
	b := &Bounce{Action: "failed"}
	if m := textMsgIDRe.FindStringSubmatch(text); m != nil {
		b.OriginalMessageID = m[1]
	}
	if m := textStatusRe.FindStringSubmatch(text); m != nil {
		b.Status = m[1]
	}
	if m := emailRe.FindString(text); m != "" {
		b.Recipient = m
	}
	return b
}

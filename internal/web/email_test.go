package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/mailtest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// apiMailbox creates a mailbox through the API and checks that its
// passwords are never answered.
func apiMailbox(t *testing.T, a *apptest.App, smtpPort int) int64 {
	t.Helper()
	admin := a.TokenClient(t, mustAdmin(t, a))
	res := admin.JSON(t, "POST", "/api/v1/channels", map[string]any{"type": "email", "name": "Support", "email": map[string]any{
		"address": "Support@Example.com", "display_name": "Support", "imap_host": "127.0.0.1", "imap_port": 1, "imap_tls": "none",
		"imap_password": "imap-secret-1", "smtp_host": "127.0.0.1", "smtp_port": smtpPort, "smtp_tls": "none", "smtp_user": "support",
		"smtp_password": "smtp-secret-1"}})
	if res.StatusCode != 201 || strings.Contains(res.Body, "secret-1") {
		t.Fatalf("create mailbox: %d %s", res.StatusCode, res.Body)
	}
	var ch struct {
		ID    int64 `json:"id"`
		Type  string
		Email struct {
			Address         string `json:"address"`
			IMAPUser        string `json:"imap_user"`
			IMAPPasswordSet bool   `json:"imap_password_set"`
			SMTPPasswordSet bool   `json:"smtp_password_set"`
		} `json:"email"`
	}
	res.JSON(t, &ch)
	if ch.Type != "email" || ch.Email.Address != "support@example.com" || ch.Email.IMAPUser != "support@example.com" ||
		!ch.Email.IMAPPasswordSet || !ch.Email.SMTPPasswordSet {
		t.Fatalf("mailbox as answered: %s", res.Body)
	}
	return ch.ID
}

func mustAdmin(t *testing.T, a *apptest.App) *ringdesk.Agent {
	t.Helper()
	admin, _, err := a.DB.AgentCredentials(context.Background(), apptest.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	return admin
}

// TestEmailChannelAPI: a mailbox's settings are validated with field
// names, a password is write-only (absent keeps it, "" removes it), and
// its type cannot change.
func TestEmailChannelAPI(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	id := apiMailbox(t, a, 1)
	admin := a.TokenClient(t, mustAdmin(t, a))
	res := admin.JSON(t, "POST", "/api/v1/channels", map[string]any{"type": "email", "name": "Bad", "email": map[string]any{
		"address": "not an address", "imap_host": "imap.example.com/x", "smtp_host": "", "imap_tls": "ssl"}})
	if res.StatusCode != 400 {
		t.Fatalf("bad mailbox: %d %s", res.StatusCode, res.Body)
	}
	for _, f := range []string{"email.address", "email.imap_host", "email.smtp_host", "email.imap_tls"} {
		if !strings.Contains(res.Body, `"`+f+`"`) {
			t.Errorf("no error for %s: %s", f, res.Body)
		}
	}
	path := fmt.Sprint("/api/v1/channels/", id)
	res = admin.JSON(t, "PATCH", path, map[string]any{"email": map[string]any{"display_name": "Отдел поддержки", "smtp_password": ""}})
	if res.StatusCode != 200 || !strings.Contains(res.Body, `"smtp_password_set":false`) || !strings.Contains(res.Body, `"imap_password_set":true`) ||
		!strings.Contains(res.Body, "Отдел поддержки") {
		t.Fatalf("patch: %d %s", res.StatusCode, res.Body)
	}
	if res := admin.JSON(t, "PATCH", path, map[string]any{"type": "uis"}); res.StatusCode != 400 {
		t.Fatalf("type change: %d %s", res.StatusCode, res.Body)
	}
	if res := admin.JSON(t, "PATCH", path, map[string]any{"call_api_url": "https://x.example"}); res.StatusCode != 400 {
		t.Fatalf("UIS settings on a mailbox: %d %s", res.StatusCode, res.Body)
	}
	// The stored password is sealed, not in clear.
	var sealed string
	if err := a.DB.QueryRowForTest(context.Background(), `SELECT secret_enc FROM channels WHERE id = $1`, id).Scan(&sealed); err != nil ||
		sealed == "" || strings.Contains(sealed, "imap-secret-1") {
		t.Fatalf("stored IMAP password %q %v", sealed, err)
	}
	// Agents do not see channels.
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Olga", Email: "olga@example.com", Role: ringdesk.RoleAgent})
	if res := a.TokenClient(t, agent).Get(t, path); res.StatusCode != 403 {
		t.Fatalf("an agent read a mailbox: %d", res.StatusCode)
	}
}

// TestEmailTicketAPI: incoming mail events carry the sender and
// attachments (downloadable with the token, refused without); a reply
// through the API is queued to the client, and its delivery says so; "to"
// replaces the recipients and an injected header is refused.
func TestEmailTicketAPI(t *testing.T) {
	t.Parallel()
	mp := mailtest.StartMailpit(t)
	a := apptest.New(t)
	chID := apiMailbox(t, a, mp.SMTPPort)
	ctx := context.Background()
	raw := strings.Join([]string{`From: "Анна" <anna@client.example>`, "To: support@example.com", "Subject: Акт", "Message-ID: <api1@client.example>",
		"MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="X"`, "", "--X", "Content-Type: text/plain; charset=utf-8", "",
		"Акт во вложении.", "--X", "Content-Type: application/pdf", `Content-Disposition: attachment; filename="akt.pdf"`,
		"Content-Transfer-Encoding: base64", "", "JVBERi0xLjQK", "--X--", ""}, "\r\n")
	if _, err := a.Desk.ReceiveEmail(ctx, chID, store.EmailCursor{UIDValidity: 1, LastUID: 1}, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	var tid int64
	if err := a.DB.QueryRowForTest(ctx, `SELECT ticket_id FROM email_inbound`).Scan(&tid); err != nil {
		t.Fatal(err)
	}
	agent := a.CreateAgent(t, ringdesk.AgentCreate{Name: "Olga", Email: "olga@example.com", Role: ringdesk.RoleAgent})
	c := a.TokenClient(t, agent)
	var evs struct {
		Events []struct {
			ID    int64 `json:"id"`
			Kind  string
			Email *struct {
				From        string `json:"from"`
				FromName    string `json:"from_name"`
				Attachments []struct {
					Name, URL   string
					Size        int64
					ContentType string `json:"content_type"`
				} `json:"attachments"`
			} `json:"email"`
			Delivery *struct {
				Status, Error string
				To            []string
			} `json:"delivery"`
		} `json:"events"`
	}
	c.Get(t, fmt.Sprintf("/api/v1/tickets/%d/events", tid)).JSON(t, &evs)
	e := evs.Events[0]
	if e.Email == nil || e.Email.From != "anna@client.example" || e.Email.FromName != "Анна" || len(e.Email.Attachments) != 1 ||
		e.Email.Attachments[0].Name != "akt.pdf" || e.Email.Attachments[0].Size != 9 {
		t.Fatalf("incoming mail event: %+v", e.Email)
	}
	url := e.Email.Attachments[0].URL
	if res := c.Get(t, url); res.StatusCode != 200 || res.Body != "%PDF-1.4\n" || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") ||
		res.Header.Get("Content-Type") != "application/octet-stream" {
		t.Fatalf("download: %d %q %v", res.StatusCode, res.Body, res.Header)
	}
	if res := a.Anon(t).Get(t, url); res.StatusCode != 401 {
		t.Fatalf("download without a token: %d", res.StatusCode)
	}
	// The page route needs a session: a token opens the API only.
	if res := c.Get(t, strings.TrimPrefix(url, "/api/v1")); res.StatusCode == 200 {
		t.Fatalf("the page download route took an API token")
	}

	res := c.JSON(t, "POST", fmt.Sprintf("/api/v1/tickets/%d/comments", tid), map[string]any{"kind": "reply", "body": "Получили, спасибо."})
	var ev struct {
		ID       int64 `json:"id"`
		Delivery *struct {
			Status string
			To     []string
		} `json:"delivery"`
	}
	res.JSON(t, &ev)
	if res.StatusCode != 201 || ev.Delivery == nil || ev.Delivery.Status != "queued" || len(ev.Delivery.To) != 1 || ev.Delivery.To[0] != "anna@client.example" {
		t.Fatalf("reply: %d %s", res.StatusCode, res.Body)
	}
	res = c.JSON(t, "POST", fmt.Sprintf("/api/v1/tickets/%d/comments", tid), map[string]any{"kind": "reply", "body": "Копия бухгалтеру.",
		"to": []string{"buh@client.example", "Anna@Client.example"}})
	if res.StatusCode != 201 || !strings.Contains(res.Body, `"to":["buh@client.example","anna@client.example"]`) {
		t.Fatalf("reply with to: %d %s", res.StatusCode, res.Body)
	}
	res = c.JSON(t, "POST", fmt.Sprintf("/api/v1/tickets/%d/comments", tid), map[string]any{"kind": "reply", "body": "x",
		"to": []string{"a@client.example\r\nBcc: evil@example.com"}})
	if res.StatusCode != 400 || !strings.Contains(res.Body, `"to"`) {
		t.Fatalf("injected recipient: %d %s", res.StatusCode, res.Body)
	}
	msgs := mp.WaitMessages(t, 2, 15*time.Second)
	for _, m := range msgs {
		if len(m.Bcc) != 0 {
			t.Fatalf("a sent reply has Bcc %v", m.Bcc)
		}
	}
	// A note is never emailed.
	res = c.JSON(t, "POST", fmt.Sprintf("/api/v1/tickets/%d/comments", tid), map[string]any{"kind": "note", "body": "внутреннее"})
	if res.StatusCode != 201 || strings.Contains(res.Body, `"delivery"`) {
		t.Fatalf("note: %d %s", res.StatusCode, res.Body)
	}
	c.Get(t, fmt.Sprintf("/api/v1/tickets/%d/events", tid)).JSON(t, &evs)
	sent := 0
	for _, e := range evs.Events {
		if e.Delivery != nil && e.Delivery.Status == "sent" {
			sent++
		}
	}
	for deadline := time.Now().Add(10 * time.Second); sent < 2 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		c.Get(t, fmt.Sprintf("/api/v1/tickets/%d/events", tid)).JSON(t, &evs)
		sent = 0
		for _, e := range evs.Events {
			if e.Delivery != nil && e.Delivery.Status == "sent" {
				sent++
			}
		}
	}
	if sent != 2 {
		t.Fatalf("%d replies sent, want 2", sent)
	}
	if res := c.JSON(t, "POST", fmt.Sprintf("/api/v1/tickets/%d/events/%d/retry", tid, ev.ID), nil); res.StatusCode != 409 {
		t.Fatalf("retry of a sent reply: %d %s", res.StatusCode, res.Body)
	}
}

// TestComposerWithoutMailboxOrAddress: without a mailbox the composer
// says replies stay in the ticket; with one but a client without an
// address it says so and adds the address, after which the reply goes to
// it; a reply to an empty "To" is refused and loses nothing.
func TestComposerWithoutMailboxOrAddress(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	ctx := context.Background()
	client, err := a.DB.SeedClient(ctx, "Пётр", []string{"+79261234567"}, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tk, err := a.Desk.CreateTicket(ctx, ringdesk.System, ringdesk.TicketCreate{Subject: "Звонок", ClientID: client})
	if err != nil {
		t.Fatal(err)
	}
	c := a.Admin(t)
	page := fmt.Sprintf("/tickets/%d", tk.ID)
	if res := c.Get(t, page); !strings.Contains(res.Body, "No mailbox is set up") || strings.Contains(res.Body, `name="to"`) {
		t.Fatalf("without a mailbox the composer reads: %s", res.Body)
	}
	apiMailbox(t, a, 1)
	res := c.Get(t, page)
	if !strings.Contains(res.Body, "The client has no email address") || !strings.Contains(res.Body, `action="/tickets/`+fmt.Sprint(tk.ID)+`/client-email"`) ||
		!strings.Contains(res.Body, "tk-callback") {
		t.Fatalf("without an address the composer reads: %s", res.Body)
	}
	if res := c.PostForm(t, page+"/client-email", url.Values{"email": {"not-an-address"}}); res.StatusCode != 400 ||
		!strings.Contains(res.Body, "not a valid email address") {
		t.Fatalf("bad address: %d", res.StatusCode)
	}
	if res := c.PostForm(t, page+"/client-email", url.Values{"email": {"petr@client.example"}}); res.StatusCode != 303 {
		t.Fatalf("adding the address: %d %s", res.StatusCode, res.Body)
	}
	if res := c.Get(t, page); !strings.Contains(res.Body, `name="to" value="petr@client.example"`) {
		t.Fatalf("after adding the address: %s", res.Body)
	}
	res = c.PostForm(t, page+"/comments", url.Values{"kind": {"reply"}, "body": {"Перезвоним завтра."}, "to": {""}})
	if res.StatusCode != 400 || !strings.Contains(res.Body, "Enter the client&#39;s email address, or write an internal note.") ||
		!strings.Contains(res.Body, "Перезвоним завтра.") {
		t.Fatalf("empty To: %d", res.StatusCode)
	}
	res = c.PostForm(t, page+"/comments", url.Values{"kind": {"reply"}, "body": {"Перезвоним завтра."}, "to": {"petr@client.example"}})
	if res.StatusCode != 303 || !strings.Contains(res.Header.Get("Location"), "flash=reply-queued") {
		t.Fatalf("reply: %d %v", res.StatusCode, res.Header)
	}
	if res := c.Get(t, page); !strings.Contains(res.Body, "Queued for sending to petr@client.example") {
		t.Fatalf("after the reply: %s", res.Body)
	}
}

// TestEmailHTMLImages: an HTML message's inline image points at its
// attachment, its remote image is blocked with a "Show images" link, and
// the link shows it (the page's Content-Security-Policy lets it load then,
// and only then); scripts never reach the page.
func TestEmailHTMLImages(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	chID := apiMailbox(t, a, 1)
	ctx := context.Background()
	raw := strings.Join([]string{`From: "Анна" <anna@client.example>`, "To: support@example.com", "Subject: Скриншот", "Message-ID: <img1@client.example>",
		"MIME-Version: 1.0", `Content-Type: multipart/related; boundary="R"`, "", "--R", "Content-Type: text/html; charset=utf-8", "",
		`<p>Вот ошибка:</p><img src="cid:shot@client"><img src="https://tracker.example/pixel.gif"><script>alert(1)</script><a href="javascript:alert(2)">x</a>`,
		"--R", "Content-Type: image/png", "Content-ID: <shot@client>", "Content-Transfer-Encoding: base64", "", "iVBORw0KGgo=", "--R--", ""}, "\r\n")
	if _, err := a.Desk.ReceiveEmail(ctx, chID, store.EmailCursor{UIDValidity: 1, LastUID: 1}, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	var tid, inbound, event int64
	if err := a.DB.QueryRowForTest(ctx, `SELECT ticket_id, id, event_id FROM email_inbound`).Scan(&tid, &inbound, &event); err != nil {
		t.Fatal(err)
	}
	c := a.Admin(t)
	page := fmt.Sprintf("/tickets/%d", tid)
	res := c.Get(t, page)
	shot := fmt.Sprintf(`src="/mail/%d/attachments/0"`, inbound)
	if !strings.Contains(res.Body, shot) || strings.Contains(res.Body, "tracker.example") || strings.Contains(res.Body, "<script>alert") ||
		strings.Contains(res.Body, "javascript:alert") || !strings.Contains(res.Body, fmt.Sprintf(`href="%s?images=%d#ev-%d-%d"`, page, event, tid, event)) {
		t.Fatalf("the message on the page: %s", res.Body)
	}
	if csp := res.Header.Get("Content-Security-Policy"); strings.Contains(csp, "https:") {
		t.Fatalf("remote images allowed before the agent asked: %s", csp)
	}
	if img := c.Get(t, fmt.Sprintf("/mail/%d/attachments/0", inbound)); img.StatusCode != 200 || img.Header.Get("Content-Type") != "image/png" ||
		!strings.HasPrefix(img.Header.Get("Content-Disposition"), "inline") {
		t.Fatalf("inline image: %d %v", img.StatusCode, img.Header)
	}
	res = c.Get(t, fmt.Sprintf("%s?images=%d", page, event))
	if !strings.Contains(res.Body, "https://tracker.example/pixel.gif") || !strings.Contains(res.Body, shot) || strings.Contains(res.Body, "<script>alert") {
		t.Fatalf("with images shown: %s", res.Body)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data: https: http:") || !strings.Contains(csp, "script-src 'self'") {
		t.Fatalf("CSP with images shown: %s", csp)
	}
}

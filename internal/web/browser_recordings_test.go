package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestBrowserRecordingNotReadyYet: right after a call UIS has no recording
// yet; the players on the ticket and the call page say so in the agent's
// language instead of sitting there dead.
func TestBrowserRecordingNotReadyYet(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	setBehaviour(t, tel.Sim, func(b *uissim.Behaviour) { b.RecordingReadySeconds = 600_000 })
	id := tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79165550031", EmployeeIDs: []int64{323401}, TalkSeconds: 5})
	var c *ringdesk.Call
	for deadline := time.Now().Add(20 * time.Second); c == nil || c.State != ringdesk.CallFinished; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("call not finished in Ringdesk")
		}
		c, _ = a.DB.CallBySession(context.Background(), tel.Channel.ID, id)
	}
	ru := a.CreateAgent(t, ringdesk.AgentCreate{Email: "ru-player@example.com", Role: ringdesk.RoleAgent, Lang: "ru"})
	p := browsertest.New(t, a.URL)
	p.AllowConsoleError("404") // the player's own request for the recording
	p.SignIn(ru.Email, "agent-password-1")
	p.Go(fmt.Sprintf("/tickets/%d", c.TicketID))
	p.WaitText(".tk-rec .recording-error", "UIS ещё не подготовил эту запись")
	p.Go(fmt.Sprintf("/calls/%d", c.ID))
	p.WaitText(".recording .recording-error", "UIS ещё не подготовил эту запись")
	p.Screenshot("call-recording-not-ready")
	p.NoConsoleErrors()
}

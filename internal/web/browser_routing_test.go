package web_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/apptest"
	"github.com/ringdesk/ringdesk/internal/browsertest"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// TestBrowserCallRouting: an administrator routes the sales line to Sales
// on the channel page (the rest goes to Support by default); a support
// call then pops up for the two Support agents and not for the Sales
// agent, and when one of them answers, the other's pop-up closes while the
// one who answered keeps the call on screen. The routing card and the
// agents list fit a laptop and a phone.
func TestBrowserCallRouting(t *testing.T) {
	t.Parallel()
	a := apptest.New(t)
	tel := apptest.NewTelephony(t, a)
	admin := a.Admin(t)
	support, sales := supportAndSales(t, admin, tel)

	pa := browsertest.New(t, a.URL)
	pa.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	pa.Go(fmt.Sprintf("/channels/%d", tel.Channel.ID))
	pa.Eval(fmt.Sprintf(`(() => { const r = document.querySelector("#routing tbody tr");
		r.querySelector("select[name=rule_kind]").value = "number";
		r.querySelector("select[name=rule_group]").value = "%d";
		document.querySelector("#routing select[name=default_group_id]").value = "%d"; return true; })()`, sales.ID, support.ID))
	pa.Fill(`#routing tbody tr:first-child input[name=rule_value]`, "+7 (499) 765-43-21")
	pa.Submit(`#routing input[name=rule_value]`)
	if got := pa.Text(".flash"); got != "Call routing saved." {
		t.Fatalf("saving routing: flash %q", got)
	}
	if got := pa.Value(`#routing tbody tr:first-child input[name=rule_value]`); got != salesLine {
		t.Errorf("the saved rule reads %q, want %s", got, salesLine)
	}
	if !pa.Exists("#routing-needs") {
		t.Error("the card does not say which notification variables the rules read")
	}
	for _, vp := range []struct {
		w, h int64
		name string
	}{{1280, 800, "laptop"}, {390, 844, "phone"}} {
		pa.Viewport(vp.w, vp.h)
		pa.Go(fmt.Sprintf("/channels/%d#routing", tel.Channel.ID))
		clickable(t, pa, "routing card on a "+vp.name, `#routing tbody tr:first-child select[name=rule_group]`,
			`#routing select[name=default_group_id]`, `#routing .actions button.primary`)
		pa.Screenshot("channel-routing-" + vp.name)
		pa.Go("/agents")
		if got := pa.Text("tr:has(a[href='/agents/" + fmt.Sprint(tel.Agents[smirnov].ID) + "']) .agent-groups"); got != "Продажи" {
			t.Errorf("the agents list shows Smirnov's groups as %q", got)
		}
		clickable(t, pa, "agents list on a "+vp.name, `a[href='/agents/`+fmt.Sprint(tel.Agents[petrova].ID)+`']`)
		pa.Screenshot("agents-groups-" + vp.name)
	}

	pages := map[int64]*browsertest.Page{}
	for _, emp := range []int64{ivanov, petrova, smirnov} {
		p := browsertest.New(t, a.URL)
		p.SignIn(tel.Agents[emp].Email, "agent-password-1")
		p.Go("/tickets")
		if waitEval(p, `window.ringdeskLive ? window.ringdeskLive.readyState : -1`, "1") != "1" {
			t.Fatal("the live stream did not open")
		}
		pages[emp] = p
	}
	// A support call rings for 5 s (real time) before Ivanov answers.
	tel.Start(t, uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79161117788", ContactName: "Клиент поддержки",
		VirtualNumber: supportLine, EmployeeIDs: []int64{ivanov}, WaitSeconds: 5_000, TalkSeconds: 60_000})
	for _, emp := range []int64{ivanov, petrova} {
		pages[emp].WaitVisible(`.callpop[data-kind="ringing"]`)
	}
	pages[petrova].Screenshot("routing-ringing-support")
	time.Sleep(300 * time.Millisecond) // what Smirnov would have got by now, he would show
	if n := pages[smirnov].Count(".callpop"); n != 0 {
		t.Errorf("the Sales agent's page shows %d pop-ups for a support call", n)
	}
	// Ivanov answers: Petrova's pop-up goes, Ivanov keeps the call.
	pages[ivanov].WaitVisible(`.callpop[data-kind="talking"]`)
	waitCount(t, pages[petrova], ".callpop", 0)
	if n := pages[smirnov].Count(".callpop"); n != 0 {
		t.Errorf("the Sales agent's page shows %d pop-ups", n)
	}
}

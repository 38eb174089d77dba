// Package demo runs Ringdesk against an in-process UIS simulator: a demo UIS
// channel wired to it, agents whose Operator IDs are the simulator's
// employees, and a steady stream of realistic calls (answered, missed,
// transferred, outgoing), so a newcomer sees tickets appear from calls
// within a minute of `ringdesk --demo`.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"slices"
	"time"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/mail/demomail"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// Demo credentials, printed at every start. The demo runs on loopback with
// its own data directory; these are not for production.
const (
	AdminPassword = "demo-admin"
	AgentPassword = "demo-agent"
	ChannelName   = "UIS (demo)"
)

// Config tunes the demo.
type Config struct {
	// AppURL is where the simulator delivers notifications (this Ringdesk).
	AppURL string
	// Rate is calls per second (default one every 15 seconds).
	Rate float64
	// TimeScale speeds calls up (default 1: real time, so a ringing call
	// rings long enough to be seen).
	TimeScale float64
	// DataDir keeps the simulator's address and memory between runs
	// (uis-sim.json); empty keeps nothing.
	DataDir string
	// Redirect, if set, is the dialer of Ringdesk's recording fetcher; the
	// demo points it at the simulator when the simulator had to move.
	Redirect *Redirect
}

// demoMaxCalls is how many calls the demo's simulator remembers (and
// serves recordings of), also across restarts: about 12 hours at the
// default rate, in a file of about 4 MB. Recordings of older calls answer
// as expired ones do at UIS.
const demoMaxCalls = 3000

// Demo is a running simulator wired to the helpdesk.
type Demo struct {
	Sim     *uissim.Simulator
	SimURL  string
	Channel *ringdesk.Channel
	Agents  []*ringdesk.Agent
	cfg     Config
	log     *slog.Logger
	// history is the call history Run imports for the reports (empty: the
	// desk had calls already), through desk.
	history []pastCall
	desk    *desk.Desk
	db      *store.DB
	// earlier are the simulator's addresses of earlier runs that were taken
	// when the demo started again; Ringdesk's recording links of the calls
	// of those runs still name them.
	earlier []string
	// mail is the demo mailbox (see mail.go).
	mail *mailDemo
	// seeded is closed once Run has imported the history (or given up).
	seeded chan struct{}
}

// HistorySeeded is closed once Run has imported the call history of the
// last days (at once when there was none to import).
func (dm *Demo) HistorySeeded() <-chan struct{} { return dm.seeded }

// Mailbox returns the demo mailbox channel.
func (dm *Demo) Mailbox() *ringdesk.Channel { return dm.mail.channel }

// MailServer returns the demo mail provider.
func (dm *Demo) MailServer() *demomail.Server { return dm.mail.srv }

// Start starts the simulator and wires the demo channel and agents,
// creating them on the first run and updating them afterwards.
//
// A restarted demo carries on where it stopped (see state.go):
// the simulator listens on its address of the last run and remembers its
// calls, so their recordings still play; calls that were under way when the
// demo stopped are over in the simulator's calls report, and a
// reconciliation pass at start finishes them in Ringdesk as it would after
// lost notifications from a real UIS.
func Start(ctx context.Context, d *desk.Desk, db *store.DB, log *slog.Logger, cfg Config) (*Demo, error) {
	if cfg.Rate <= 0 {
		cfg.Rate = 1.0 / 15
	}
	dm := &Demo{cfg: cfg, log: log, seeded: make(chan struct{})}
	saved := dm.load()
	scfg := uissim.Config{TimeScale: cfg.TimeScale, Logger: log.With("component", "uis-sim"), MaxCalls: demoMaxCalls, State: saved.State}
	sim, err := uissim.New(scfg)
	if err != nil && saved.State != nil {
		log.Warn("demo: the simulator's saved calls cannot be read; it starts without them", "file", dm.statePath(), "err", err)
		scfg.State = nil
		sim, err = uissim.New(scfg)
	}
	if err != nil {
		return nil, err
	}
	dm.Sim, dm.earlier = sim, saved.Earlier
	if dm.SimURL, err = dm.listen(ctx, saved.Addr); err != nil {
		sim.Close()
		return nil, err
	}
	if err := dm.wire(ctx, d, db, saved.Addr == ""); err != nil {
		sim.Close()
		return nil, err
	}
	if err := dm.startMail(ctx, d, db); err != nil {
		sim.Close()
		return nil, err
	}
	if cfg.Redirect != nil {
		cfg.Redirect.set(dm.earlier, dm.simHost())
	}
	if err := dm.save(); err != nil {
		log.Warn("demo: the simulator's address and calls are not saved", "file", dm.statePath(), "err", err)
	}
	dm.reconcile(ctx, d)
	if err := dm.planSeed(ctx, d, db); err != nil {
		dm.log.Warn("demo: no call history for the reports", "err", err)
	}
	return dm, nil
}

// listen starts the simulator on its address of the last run, or on a
// free port on the first run or when that address is taken now.
func (dm *Demo) listen(ctx context.Context, last string) (string, error) {
	if last != "" {
		u, err := dm.Sim.Start(ctx, last)
		if err == nil {
			return u, nil
		}
		dm.log.Warn("demo: the UIS simulator's address is taken; it moves, and Ringdesk fetches the recordings of earlier calls from the new address",
			"addr", last, "err", err)
		if !slices.Contains(dm.earlier, last) {
			dm.earlier = append(dm.earlier, last)
		}
	}
	u, err := dm.Sim.Start(ctx, "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("demo: start the UIS simulator: %w", err)
	}
	return u, nil
}

func (dm *Demo) simHost() string {
	u, _ := url.Parse(dm.SimURL)
	return u.Host
}

// reconcile reads the simulator's calls report once, through the same
// reconciliation as the periodic job, so calls the last run left ringing
// or talking are finished now rather than minutes after the start.
func (dm *Demo) reconcile(ctx context.Context, d *desk.Desk) {
	st, err := d.ReconcileChannel(ctx, dm.Channel.ID)
	switch {
	case err != nil:
		dm.log.Warn("demo: reconciliation at start failed", "err", err)
	case st.Status != ringdesk.ReconcileOK:
		dm.log.Warn("demo: reconciliation at start failed", "reason", st.Error)
	case st.Finished > 0 || st.Recovered > 0:
		dm.log.Info("demo: calls left unfinished by the last run were reconciled", "finished", st.Finished, "recovered", st.Recovered)
	}
}

// wire creates or updates the demo channel, its webhook token and agents.
// firstSave is true when no address was saved yet (a data dir of a demo
// before addresses were kept): the loopback recording hosts the channel
// names are then taken for the simulator's earlier addresses.
func (dm *Demo) wire(ctx context.Context, d *desk.Desk, db *store.DB, firstSave bool) error {
	channels, err := db.ListChannels(ctx)
	if err != nil {
		return err
	}
	for _, ch := range channels {
		if ch.Name == ChannelName && ch.Type == ringdesk.ChannelTypeUIS {
			dm.Channel = ch
		}
	}
	host := dm.simHost()
	if firstSave && dm.Channel != nil {
		for _, h := range dm.Channel.UIS.RecordingHosts {
			if h != host && isLoopback(h) {
				dm.earlier = append(dm.earlier, h)
			}
		}
	}
	// The hosts of earlier runs stay allowed: calls of those runs keep
	// their recording links (Redirect serves them from the new address).
	var allowed []string
	if dm.Channel != nil {
		allowed = dm.Channel.UIS.RecordingHosts
	}
	hosts := recordingHosts(host, dm.earlier, allowed)
	settings := ringdesk.UISSettings{CallAPIURL: dm.SimURL + "/v4.0", DataAPIURL: dm.SimURL + "/v2.0",
		VirtualPhoneNumber: dm.Sim.Account().VirtualNumbers[0].Number, RecordingHosts: hosts}
	secret := uissim.DefaultAPIKey
	fresh := dm.Channel == nil
	if dm.Channel == nil {
		if dm.Channel, err = d.CreateChannel(ctx, ringdesk.System, ringdesk.ChannelCreate{Type: ringdesk.ChannelTypeUIS,
			Name: ChannelName, AppSecret: secret, UIS: settings}); err != nil {
			return fmt.Errorf("demo: create the channel: %w", err)
		}
	} else {
		keep := dm.Channel.UIS
		keep.CallAPIURL, keep.DataAPIURL, keep.RecordingHosts = settings.CallAPIURL, settings.DataAPIURL, settings.RecordingHosts
		active := true
		if dm.Channel, err = d.UpdateChannel(ctx, ringdesk.System, dm.Channel.ID, ringdesk.ChannelUpdate{UIS: &keep,
			AppSecret: &secret, Active: &active}); err != nil {
			return fmt.Errorf("demo: update the channel: %w", err)
		}
	}
	// Tokens are stored hashed, so each start makes a fresh one for the
	// simulator and revokes the previous demo tokens.
	old, err := db.ListChannelTokens(ctx, dm.Channel.ID)
	if err != nil {
		return err
	}
	token, _, err := d.CreateChannelToken(ctx, ringdesk.System, dm.Channel.ID, "demo simulator")
	if err != nil {
		return err
	}
	for _, t := range old {
		if t.RevokedAt == nil {
			if err := d.RevokeChannelToken(ctx, ringdesk.System, dm.Channel.ID, t.ID); err != nil {
				return err
			}
		}
	}
	if err := dm.Sim.SetNotifications(uissim.SeedNotifications(dm.cfg.AppURL, token)); err != nil {
		return err
	}
	for _, e := range dm.Sim.Account().Employees {
		id := e.ID
		ag, err := db.AgentByOperatorID(ctx, id)
		if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND {
			ag, err = d.CreateAgent(ctx, ringdesk.System, ringdesk.AgentCreate{Name: e.FullName(), Email: e.Email,
				Role: ringdesk.RoleAgent, OperatorID: &id, Password: AgentPassword})
		}
		if err != nil {
			return fmt.Errorf("demo: agent for UIS employee %d: %w", id, err)
		}
		dm.Agents = append(dm.Agents, ag)
	}
	dm.desk, dm.db = d, db
	if fresh {
		if err := dm.seedTeams(ctx, d); err != nil {
			return err
		}
		return seedCanned(ctx, d)
	}
	return nil
}

// SupervisorEmail is the demo's supervisor, who reads the call reports.
const SupervisorEmail = "supervisor@example.com"

// ensureSupervisor makes the demo's supervisor on its first run (and on a
// demo data dir from before supervisors existed). Run does it in the
// background: hashing a password takes a while, and the banner need not
// wait for it.
func (dm *Demo) ensureSupervisor(ctx context.Context) error {
	_, _, err := dm.db.AgentCredentials(ctx, SupervisorEmail)
	if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND {
		_, err = dm.desk.CreateAgent(ctx, ringdesk.System, ringdesk.AgentCreate{Name: "Руководитель смены", Email: SupervisorEmail,
			Role: ringdesk.RoleSupervisor, Password: AgentPassword})
	}
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("demo: supervisor: %w", err)
	}
	return nil
}

// seedTeams makes a desk that shows call routing: a group per UIS employee
// group (Support with the administrators too, so the demo's administrator
// sees calls ring), the second line routed to its group and the rest to
// the first. It runs once, when the demo channel is made, and only on a
// desk without groups, so it never undoes an administrator's choices.
func (dm *Demo) seedTeams(ctx context.Context, d *desk.Desk) error {
	existing, err := d.Groups(ctx)
	if err != nil || len(existing) > 0 {
		return err
	}
	acct := dm.Sim.Account()
	agents, err := d.Agents(ctx)
	if err != nil {
		return err
	}
	st := dm.Channel.UIS
	for i, eg := range acct.EmployeeGroups {
		var members []int64
		for _, ag := range agents {
			isAdmin := ag.IsAdmin() && ag.Active && i == 0
			if isAdmin || ag.OperatorID != nil && slices.Contains(employeeGroups(acct, *ag.OperatorID), eg.ID) {
				members = append(members, ag.ID)
			}
		}
		name := eg.Name
		g, err := d.CreateGroup(ctx, ringdesk.System, ringdesk.GroupInput{Name: &name, AgentIDs: &members})
		if err != nil {
			return fmt.Errorf("demo: group %s: %w", name, err)
		}
		if i == 0 {
			st.DefaultGroupID = &g.ID
		} else if i < len(acct.VirtualNumbers) {
			st.RoutingRules = append(st.RoutingRules, ringdesk.RoutingRule{VirtualPhoneNumber: acct.VirtualNumbers[i].Number, GroupID: g.ID})
		}
	}
	dm.Channel, err = d.UpdateChannel(ctx, ringdesk.System, dm.Channel.ID, ringdesk.ChannelUpdate{UIS: &st})
	return err
}

// recordingHosts lists the simulator's host first, then every other host
// of the lists, each once.
func recordingHosts(current string, lists ...[]string) []string {
	out := []string{current}
	for _, l := range lists {
		for _, h := range l {
			if !slices.Contains(out, h) {
				out = append(out, h)
			}
		}
	}
	return out
}

// isLoopback reports whether host:port is on a loopback address.
func isLoopback(hostport string) bool {
	ap, err := netip.ParseAddrPort(hostport)
	return err == nil && ap.Addr().IsLoopback()
}

func employeeGroups(acct uissim.Account, employeeID int64) []int64 {
	for _, e := range acct.Employees {
		if e.ID == employeeID {
			return e.GroupIDs
		}
	}
	return nil
}

// Run sends the call stream until ctx ends: one call at once, so the first
// ticket appears within seconds, then calls at the configured rate. It
// saves the simulator's calls every saveEvery and when it stops.
func (dm *Demo) Run(ctx context.Context) error {
	saving := make(chan struct{})
	go func() {
		defer close(saving)
		dm.keepSaving(ctx)
	}()
	mailing := make(chan struct{})
	go func() {
		defer close(mailing)
		dm.mail.run(ctx)
	}()
	seeding := make(chan struct{})
	go func() {
		defer close(seeding)
		if err := dm.ensureSupervisor(ctx); err != nil {
			dm.log.Warn("demo: no supervisor", "err", err)
		}
		dm.seedHistory(ctx)
		close(dm.seeded)
	}()
	defer func() {
		<-seeding
		<-mailing
		<-saving
		dm.Sim.Close()
		if err := dm.save(); err != nil {
			dm.log.Warn("demo: the simulator's calls are not saved", "file", dm.statePath(), "err", err)
		}
	}()
	first := uissim.CallSpec{Kind: uissim.KindIncomingAnswered, ContactNumber: "79261234567", ContactName: "Морозова Ольга",
		EmployeeIDs: []int64{dm.Sim.Account().Employees[0].ID}, WaitSeconds: 15, TalkSeconds: 45}
	if _, err := dm.Sim.StartCall(ctx, first); err != nil && ctx.Err() == nil {
		dm.log.Warn("demo: first call", "err", err)
	}
	for ctx.Err() == nil {
		// Demo calls are short (talk up to a minute) so three agents can
		// take most of them at the default rate.
		err := dm.Sim.StartLoad(uissim.LoadSpec{Rate: dm.cfg.Rate, Duration: uissim.Duration(24 * time.Hour), MaxTalkSeconds: 60})
		if err != nil {
			return fmt.Errorf("demo: call stream: %w", err)
		}
		select {
		case <-ctx.Done():
			dm.Sim.StopLoad()
		case <-dm.Sim.LoadDone():
		}
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return nil
	}
	return ctx.Err()
}

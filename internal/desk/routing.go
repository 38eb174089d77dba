package desk

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/ringdesk/ringdesk/internal/live"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
)

// Calls routed to groups: a channel's routing rules (ringdesk.Routing)
// give each call a group; the call pops up on the screens of that group's
// available agents (ringdesk.Teams.CallAudience). Both need who is in
// which group and who is available, which changes rarely and is needed on
// every call event: it is read once per teamsCacheTTL, and at once after a
// change on this instance.

// teamsCacheTTL is how long the groups and availability are trusted
// without reading them again; other instances sharing a PostgreSQL
// database see a change within this time.
const teamsCacheTTL = 2 * time.Second

// teams returns the groups and availability (see refreshed).
func (d *Desk) teams(ctx context.Context) (ringdesk.Teams, error) {
	return d.teamsC.get(d.Now(), teamsCacheTTL, func() (ringdesk.Teams, error) { return d.db.Teams(ctx) })
}

// routeCall returns the group the channel's routing sends a call to (nil:
// none). A channel without routing costs nothing.
func (d *Desk) routeCall(ctx context.Context, ch *ringdesk.Channel, f ringdesk.CallFacts) (*int64, error) {
	r := ch.UIS.Routing()
	if len(r.Rules) == 0 && r.DefaultGroup == nil {
		return nil, nil
	}
	t, err := d.teams(ctx)
	if err != nil {
		return nil, err
	}
	return r.Route(f, t.Live), nil
}

// checkRoutingGroups verifies that the groups a channel's routing names
// are in use, those it named before (before: nil for a new channel)
// excepted: a rule whose group was archived since is skipped, and must not
// keep the channel's other settings from being saved.
func (d *Desk) checkRoutingGroups(ctx context.Context, s ringdesk.UISSettings, before *ringdesk.UISSettings) error {
	ids := s.Routing().GroupIDs()
	if before != nil {
		had := before.Routing().GroupIDs()
		ids = slices.DeleteFunc(ids, func(id int64) bool { return slices.Contains(had, id) })
	}
	if len(ids) == 0 {
		return nil
	}
	t, err := d.db.Teams(ctx)
	if err != nil {
		return err
	}
	var v ringdesk.Validation
	for _, id := range ids {
		if !t.Live(id) {
			field := "routing"
			if s.DefaultGroupID != nil && *s.DefaultGroupID == id {
				field = "default_group_id"
			}
			v.Addf(field, "Group %d not found.", id)
		}
	}
	return v.Err()
}

// callAudience is who a live call's news goes to (nil: everyone).
func callAudience(t ringdesk.Teams, c *ringdesk.CallLive) []int64 {
	involved := c.Offered
	if c.AgentID != nil {
		involved = append(involved[:len(involved):len(involved)], *c.AgentID)
	}
	return t.CallAudience(c.GroupID, c.ShownTo, c.State == ringdesk.CallRinging, involved)
}

// ActiveCallsFor returns the calls ringing or talking now that agentID
// sees (see activeCalls and ringdesk.Teams.CallAudience).
func (d *Desk) ActiveCallsFor(ctx context.Context, agentID int64) ([]CallView, error) {
	calls, err := d.activeCalls(ctx)
	if err != nil {
		return nil, err
	}
	t, err := d.teams(ctx)
	if err != nil {
		return nil, err
	}
	return visibleCalls(t, calls, agentID, d.Now()), nil
}

func visibleCalls(t ringdesk.Teams, calls []*ringdesk.CallLive, agentID int64, now time.Time) []CallView {
	out := make([]CallView, 0, len(calls))
	for _, c := range calls {
		if ringdesk.Sees(callAudience(t, c), agentID) {
			out = append(out, ToCallView(c, now))
		}
	}
	return out
}

// teamsChanged is called after groups or an agent's availability changed:
// routing reads them again, and every open page gets the calls its agent
// now sees, so a pop-up of a group an agent left (or of every group, for
// an agent who went unavailable) goes at once, and one of a group an agent
// joined appears. On PostgreSQL every instance is told (ListenLive).
func (d *Desk) teamsChanged(ctx context.Context) {
	d.teamsC.forget()
	if d.live != nil && d.db.Dialect() == store.Postgres {
		if err := d.db.Notify(ctx, liveTeamsChanged); err != nil {
			d.log.Warn("live: notify a team change", "err", err)
		} else {
			return // this instance hears it too
		}
	}
	d.resyncTeams(ctx)
}

// liveTeamsChanged is the live notification payload that says groups or
// availability changed (call updates carry call ids).
const liveTeamsChanged = "teams"

// resyncTeams sends every page on this instance the calls its agent sees.
func (d *Desk) resyncTeams(ctx context.Context) {
	d.teamsC.forget()
	if d.live == nil || d.live.Subscribers() == 0 {
		return
	}
	calls, err := d.activeCalls(ctx)
	if err != nil {
		d.log.Warn("live: calls after a team change", "err", err)
		return
	}
	t, err := d.teams(ctx)
	if err != nil {
		d.log.Warn("live: calls after a team change", "err", err)
		return
	}
	now := d.Now()
	for _, a := range d.live.Agents() {
		data, err := json.Marshal(map[string]any{"calls": visibleCalls(t, calls, a, now)})
		if err != nil {
			continue
		}
		d.live.Publish(live.Event{Name: "snapshot", Data: data, Agents: []int64{a}})
	}
}

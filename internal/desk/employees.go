package desk

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// employeesTimeout bounds reading a UIS account's employees for a page: an
// administrator waits for it, so a slow UIS must fail in seconds.
const employeesTimeout = 10 * time.Second

// employeesTTL is how long a channel's employee list is reused: long
// enough that linking a dozen agents in a row asks UIS once, short enough
// that an employee just added in UIS shows up at once on a reload.
const employeesTTL = 30 * time.Second

// ChannelEmployee is a UIS employee of a channel's account and how it
// stands with Ringdesk's agents.
type ChannelEmployee struct {
	uis.Employee
	// Agent is the agent whose Operator ID is the employee's id; nil when
	// none is.
	Agent *ringdesk.Agent
	// Suggested is the agent the employee probably is (ringdesk.SuggestLinks),
	// SuggestedBy how it was found; nil when linked or nothing matched.
	Suggested   *ringdesk.Agent
	SuggestedBy string
	// SeenAt is when the employee last took part in one of the channel's
	// calls; nil when never.
	SeenAt *time.Time
}

// Unassigned reports an employee seen in calls whom no agent is linked to:
// the calls it answers are assigned to nobody.
func (e *ChannelEmployee) Unassigned() bool { return e.Agent == nil && e.SeenAt != nil }

// ChannelEmployees is a channel's UIS employees and their agents.
type ChannelEmployees struct {
	Channel *ringdesk.Channel
	// Employees are those the account lists (Data API get.employees): the
	// unassigned first, then the other unlinked, then the linked, by name.
	Employees []*ChannelEmployee
	// NotListed were seen in the channel's calls but the account does not
	// list them (deleted in UIS since, or another business's staff on a
	// shared account); only the id and name from the calls are known.
	NotListed []*ChannelEmployee
	// Linkable are the agents an employee can be linked to in one click:
	// active agents without an Operator ID, by name.
	Linkable []*ringdesk.Agent
	// UISErr is why the account's list could not be read (pass it to
	// UISAdvice); Employees is then empty and NotListed holds every
	// employee seen in calls.
	UISErr error
	// FetchedAt is when UIS gave the list (it is reused for employeesTTL).
	FetchedAt time.Time
}

// Unassigned counts the employees seen in calls whom no agent is linked to.
func (l *ChannelEmployees) Unassigned() int {
	n := 0
	for _, e := range slices.Concat(l.Employees, l.NotListed) {
		if e.Unassigned() {
			n++
		}
	}
	return n
}

// employeeCache keeps each channel's employee list for employeesTTL. An
// entry is valid only for the channel as it was (a new App Secret or Data
// API URL changes UpdatedAt); failures are not kept.
type employeeCache struct {
	mu sync.Mutex
	m  map[int64]employeeEntry
}

type employeeEntry struct {
	at      time.Time
	version time.Time // the channel's UpdatedAt
	list    []uis.Employee
}

func (c *employeeCache) get(ch *ringdesk.Channel, now time.Time) ([]uis.Employee, time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[ch.ID]
	if !ok || !e.version.Equal(ch.UpdatedAt) || now.Sub(e.at) >= employeesTTL || now.Before(e.at) {
		return nil, time.Time{}, false
	}
	return e.list, e.at, true
}

func (c *employeeCache) forget(channelID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, channelID)
}

func (c *employeeCache) put(ch *ringdesk.Channel, at time.Time, list []uis.Employee) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[int64]employeeEntry{}
	}
	c.m[ch.ID] = employeeEntry{at: at, version: ch.UpdatedAt, list: list}
}

// ChannelEmployees lists the UIS employees of a channel's account with the
// agent each is linked to (Operator ID), a suggested agent for the others,
// and whether the channel's calls have seen them. A UIS failure is not an
// error: it is in UISErr, and the employees seen in calls are still listed.
// Administrators only.
func (d *Desk) ChannelEmployees(ctx context.Context, actor *ringdesk.Agent, channelID int64) (*ChannelEmployees, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	ch, err := d.db.ChannelByID(ctx, channelID)
	if err != nil {
		return nil, err
	}
	agents, err := d.db.ListAgents(ctx)
	if err != nil {
		return nil, err
	}
	seen, err := d.db.ChannelEmployees(ctx, channelID)
	if err != nil {
		return nil, err
	}
	res := &ChannelEmployees{Channel: ch}
	var list []uis.Employee
	list, res.FetchedAt, res.UISErr = d.accountEmployees(ctx, ch)
	if res.UISErr != nil {
		d.log.Warn("UIS employees unavailable", "channel_id", channelID, "err", res.UISErr)
	}
	byOperator := map[int64]*ringdesk.Agent{}
	for _, a := range agents {
		if a.OperatorID != nil {
			byOperator[*a.OperatorID] = a
		}
		if a.Active && a.OperatorID == nil {
			res.Linkable = append(res.Linkable, a)
		}
	}
	lastSeen := map[int64]*ringdesk.UISEmployee{}
	for _, s := range seen {
		lastSeen[s.EmployeeID] = s
	}
	listed := map[int64]bool{}
	var ids []ringdesk.EmployeeIdentity
	for _, e := range list {
		listed[e.ID] = true
		ce := &ChannelEmployee{Employee: e, Agent: byOperator[e.ID]}
		if s := lastSeen[e.ID]; s != nil {
			ce.SeenAt = &s.LastSeenAt
		}
		res.Employees = append(res.Employees, ce)
		if ce.Agent == nil {
			ids = append(ids, ringdesk.EmployeeIdentity{ID: e.ID, FullName: e.FullName, FirstName: e.FirstName,
				LastName: e.LastName, Email: e.Email, Login: e.Login})
		}
	}
	agentByID := map[int64]*ringdesk.Agent{}
	for _, a := range agents {
		agentByID[a.ID] = a
	}
	sugg := ringdesk.SuggestLinks(ids, agents)
	for _, ce := range res.Employees {
		if s, ok := sugg[ce.ID]; ok {
			ce.Suggested, ce.SuggestedBy = agentByID[s.AgentID], s.By
		}
	}
	for _, s := range seen {
		if !listed[s.EmployeeID] {
			at := s.LastSeenAt
			res.NotListed = append(res.NotListed, &ChannelEmployee{Employee: uis.Employee{ID: s.EmployeeID, FullName: s.FullName},
				Agent: byOperator[s.EmployeeID], SeenAt: &at})
		}
	}
	// What needs doing first: employees whose calls go unassigned, then the
	// other unlinked ones, then the linked; by name within each.
	rank := func(e *ChannelEmployee) int {
		switch {
		case e.Unassigned():
			return 0
		case e.Agent == nil:
			return 1
		}
		return 2
	}
	byName := func(a, b *ChannelEmployee) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(strings.ToLower(a.Name()), strings.ToLower(b.Name())), cmp.Compare(a.ID, b.ID))
	}
	slices.SortFunc(res.Employees, byName)
	slices.SortFunc(res.NotListed, byName)
	slices.SortFunc(res.Linkable, func(a, b *ringdesk.Agent) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return res, nil
}

// RefreshChannelEmployees makes the next ChannelEmployees of the channel
// ask UIS again rather than reuse the list it read within employeesTTL
// (an administrator who just added an employee in UIS).
func (d *Desk) RefreshChannelEmployees(channelID int64) { d.employees.forget(channelID) }

// accountEmployees reads the account's employees from UIS, or from the
// cache when it read them within employeesTTL.
func (d *Desk) accountEmployees(ctx context.Context, ch *ringdesk.Channel) ([]uis.Employee, time.Time, error) {
	now := d.Now()
	if list, at, ok := d.employees.get(ch, now); ok {
		return list, at, nil
	}
	if !ch.HasSecret {
		return nil, time.Time{}, ErrNoAppSecret
	}
	secret, err := d.AppSecret(ctx, ch.ID)
	if err != nil {
		return nil, time.Time{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, employeesTimeout)
	defer cancel()
	c := d.uisClient(ch.UIS.CallAPIURL, ch.UIS.DataAPIURL, &http.Client{Timeout: employeesTimeout})
	c.Location = ch.UIS.Location()
	list, err := c.GetEmployees(ctx, secret)
	if err != nil {
		return nil, time.Time{}, err
	}
	d.employees.put(ch, now, list)
	return list, now, nil
}

// LinkEmployee links a UIS employee of a channel to an agent in one click:
// the employee's id becomes the agent's Operator ID, so the calls the
// employee answers from now on are assigned to that agent. The agent must
// be active and not linked to another employee (that is changed on the
// agent's page, deliberately); an employee already linked to another agent
// is refused as the Operator ID field refuses it. Administrators only.
func (d *Desk) LinkEmployee(ctx context.Context, actor *ringdesk.Agent, channelID, employeeID, agentID int64) (*ringdesk.Agent, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	if _, err := d.db.ChannelByID(ctx, channelID); err != nil {
		return nil, err
	}
	if agentID <= 0 {
		return nil, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "Choose an agent.", Fields: map[string]string{"agent_id": "Choose an agent."}}
	}
	a, err := d.db.AgentByID(ctx, agentID)
	if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND {
		return nil, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "Agent not found.", Fields: map[string]string{"agent_id": "Agent not found."}}
	} else if err != nil {
		return nil, err
	}
	switch {
	case a.OperatorID != nil && *a.OperatorID == employeeID:
		return a, nil // linked already: a second click changes nothing
	case a.OperatorID != nil:
		return nil, ringdesk.NewFieldError(ringdesk.ECONFLICT, "agent_id",
			ringdesk.T("%s is already linked to UIS employee %d; change the Operator ID on the agent's page.", a.Name, *a.OperatorID))
	case !a.Active:
		return nil, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "This agent is deactivated.", Fields: map[string]string{"agent_id": "This agent is deactivated."}}
	}
	linked, err := d.UpdateAgent(ctx, actor, agentID, ringdesk.AgentUpdate{OperatorID: &employeeID})
	if err != nil {
		return nil, err
	}
	d.log.Info("UIS employee linked", "channel_id", channelID, "employee_id", employeeID, "agent_id", agentID, "by", actorID(actor))
	return linked, nil
}

package desk

import (
	"context"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// MaxCannedPicks is how many canned replies the composer's picker offers
// at once; a longer list is for the Canned replies page.
const MaxCannedPicks = 20

// CannedReplies lists the canned replies actor sees, by title: the shared
// ones and their own personal ones (f.ViewerID is set from actor).
func (d *Desk) CannedReplies(ctx context.Context, actor *ringdesk.Agent, f ringdesk.CannedFilter) ([]*ringdesk.CannedReply, error) {
	if err := requireAgent(actor); err != nil {
		return nil, err
	}
	if !ringdesk.ValidCannedScope(f.Scope) {
		return nil, ringdesk.NewFieldError(ringdesk.EINVALID, "scope", ringdesk.T("Scope must be shared or personal."))
	}
	f.ViewerID = actorID(actor)
	return d.db.CannedReplies(ctx, f)
}

// CannedReply returns a canned reply actor sees; another agent's personal
// reply is not found, as if it did not exist.
func (d *Desk) CannedReply(ctx context.Context, actor *ringdesk.Agent, id int64) (*ringdesk.CannedReply, error) {
	if err := requireAgent(actor); err != nil {
		return nil, err
	}
	c, err := d.db.CannedReplyByID(ctx, id)
	if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND || (err == nil && !ringdesk.CanSeeCanned(actor, c)) {
		return nil, ringdesk.Errorf(ringdesk.ENOTFOUND, "Canned reply not found.")
	}
	return c, err
}

// editableCanned returns the canned reply id if actor may change it: not
// found when they do not see it, forbidden when it is shared and they are
// not an administrator.
func (d *Desk) editableCanned(ctx context.Context, actor *ringdesk.Agent, id int64) (*ringdesk.CannedReply, error) {
	c, err := d.CannedReply(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !ringdesk.CanEditCanned(actor, c) {
		return nil, ringdesk.Errorf(ringdesk.EFORBIDDEN, "Only administrators can change shared canned replies.")
	}
	return c, nil
}

// CreateCannedReply creates actor's personal canned reply, or with
// in.Shared a shared one, which only administrators may.
func (d *Desk) CreateCannedReply(ctx context.Context, actor *ringdesk.Agent, in ringdesk.CannedInput) (*ringdesk.CannedReply, error) {
	if err := requireAgent(actor); err != nil {
		return nil, err
	}
	shared := in.Shared != nil && *in.Shared
	var owner *int64
	switch {
	case shared && !actor.CanAdminister():
		return nil, ringdesk.Errorf(ringdesk.EFORBIDDEN, "Only administrators can change shared canned replies.")
	case !shared && actor.IsSystem():
		return nil, ringdesk.NewFieldError(ringdesk.EINVALID, "shared", ringdesk.T("A personal canned reply belongs to an agent: log in to make one."))
	case !shared:
		owner = &actor.ID
	}
	in.Normalize()
	if err := in.Validate(true); err != nil {
		return nil, err
	}
	c, err := d.db.CreateCannedReply(ctx, owner, in, d.Now())
	if err != nil {
		return nil, err
	}
	d.log.Info("canned reply created", "canned_id", c.ID, "shared", shared, "by", actorID(actor))
	return c, nil
}

// UpdateCannedReply changes a canned reply actor may change (see
// editableCanned); nil fields of in stay as they are.
func (d *Desk) UpdateCannedReply(ctx context.Context, actor *ringdesk.Agent, id int64, in ringdesk.CannedInput) (*ringdesk.CannedReply, error) {
	old, err := d.editableCanned(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if in.Shared != nil && *in.Shared != old.Shared() {
		return nil, ringdesk.NewFieldError(ringdesk.EINVALID, "shared",
			ringdesk.T("A canned reply stays shared or personal as it was created: make a new one instead."))
	}
	in.Normalize()
	if err := in.Validate(false); err != nil {
		return nil, err
	}
	c, err := d.db.UpdateCannedReply(ctx, id, in, d.Now())
	if err != nil {
		return nil, err
	}
	d.log.Info("canned reply updated", "canned_id", id, "by", actorID(actor))
	return c, nil
}

// DeleteCannedReply deletes a canned reply actor may change.
func (d *Desk) DeleteCannedReply(ctx context.Context, actor *ringdesk.Agent, id int64) error {
	if _, err := d.editableCanned(ctx, actor, id); err != nil {
		return err
	}
	if err := d.db.DeleteCannedReply(ctx, id); err != nil {
		return err
	}
	d.log.Info("canned reply deleted", "canned_id", id, "by", actorID(actor))
	return nil
}

// FilledCanned is a canned reply with its text filled for one ticket.
type FilledCanned struct {
	*ringdesk.CannedReply
	Text string
}

// FilledCannedReplies returns the canned replies actor sees that match q,
// best first (ringdesk.RankCanned), at most MaxCannedPicks, each with its
// placeholders filled for the ticket as actor reads it in lang: what the
// composer inserts.
func (d *Desk) FilledCannedReplies(ctx context.Context, actor *ringdesk.Agent, ticketID int64, q, lang string) ([]FilledCanned, error) {
	if err := requireAgent(actor); err != nil {
		return nil, err
	}
	t, err := d.db.TicketByID(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	client, err := d.db.ClientByID(ctx, t.ClientID)
	if err != nil {
		return nil, err
	}
	list, err := d.CannedReplies(ctx, actor, ringdesk.CannedFilter{Q: q})
	if err != nil {
		return nil, err
	}
	values := ringdesk.CannedValues{ClientName: client.Name, AgentName: actor.Name, TicketNumber: t.Number, TicketSubject: t.SubjectIn(lang)}
	ranked := ringdesk.RankCanned(list, q)
	out := make([]FilledCanned, 0, min(len(ranked), MaxCannedPicks))
	for _, c := range ranked[:min(len(ranked), MaxCannedPicks)] {
		out = append(out, FilledCanned{CannedReply: c, Text: ringdesk.FillCanned(c.Body, values)})
	}
	return out, nil
}

package desk

import (
	"context"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// MaxBulkTickets is how many tickets one bulk action may change: a page of
// the ticket list holds fewer.
const MaxBulkTickets = 100

// BulkFailure is a ticket a bulk action could not change, and why.
type BulkFailure struct {
	TicketID int64
	Err      error
}

// BulkResult is what a bulk action did.
type BulkResult struct {
	Updated int
	Failed  []BulkFailure
}

// BulkUpdateTickets applies u to each ticket through UpdateTicket, so each
// ticket changes in its own transaction and is audited exactly as a single
// edit. A ticket that fails does not stop the others.
func (d *Desk) BulkUpdateTickets(ctx context.Context, actor *ringdesk.Agent, ids []int64, u ringdesk.TicketUpdate) (BulkResult, error) {
	var res BulkResult
	switch {
	case len(ids) == 0:
		return res, ringdesk.Errorf(ringdesk.EINVALID, "Select at least one ticket.")
	case len(ids) > MaxBulkTickets:
		return res, ringdesk.Errorf(ringdesk.EINVALID, "Select at most %d tickets.", MaxBulkTickets)
	case u.Empty():
		return res, ringdesk.Errorf(ringdesk.EINVALID, "Choose what to change.")
	}
	u.Normalize()
	if err := u.Validate(); err != nil {
		return res, err
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if _, err := d.UpdateTicket(ctx, actor, id, u); err != nil {
			if ringdesk.ErrorCode(err) == ringdesk.EINTERNAL {
				d.log.Error("bulk ticket update", "ticket_id", id, "err", err)
			}
			res.Failed = append(res.Failed, BulkFailure{TicketID: id, Err: err})
			continue
		}
		res.Updated++
	}
	d.log.Info("tickets bulk updated", "updated", res.Updated, "failed", len(res.Failed), "by", actorID(actor))
	return res, nil
}

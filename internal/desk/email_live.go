package desk

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/ringdesk/ringdesk/internal/live"
	"github.com/ringdesk/ringdesk/internal/store"
)

// liveTicketPrefix marks a NOTIFY payload that names changed tickets
// ("t:12,13") rather than calls.
const liveTicketPrefix = "t:"

// publishTicket tells open pages that a ticket's timeline changed (an
// email arrived, a reply was sent or failed), after commit. On PostgreSQL
// it goes through NOTIFY so pages on every instance hear it.
func (d *Desk) publishTicket(ctx context.Context, ticketID int64) {
	if d.live == nil {
		return
	}
	if d.db.Dialect() == store.Postgres {
		if err := d.db.Notify(context.WithoutCancel(ctx), liveTicketPrefix+joinIDs([]int64{ticketID})); err != nil {
			d.log.Warn("live: notify ticket", "err", err)
		}
		return
	}
	d.deliverTickets([]int64{ticketID})
}

// deliverTickets publishes "ticket" events to this instance's pages.
func (d *Desk) deliverTickets(ids []int64) {
	if d.live.Subscribers() == 0 {
		return
	}
	for _, id := range ids {
		data, _ := json.Marshal(map[string]int64{"ticket_id": id})
		d.live.Publish(live.Event{Name: "ticket", Data: data})
	}
}

// liveTicketPayload reports whether a NOTIFY payload names tickets, and
// which.
func liveTicketPayload(payload string) ([]int64, bool) {
	rest, ok := strings.CutPrefix(payload, liveTicketPrefix)
	if !ok {
		return nil, false
	}
	return parseIDs(rest), true
}

package desk

import (
	"context"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// IngestEventForTest stores and folds an event given in the domain's terms,
// as a webhook or a report row would after parsing; raw is kept as its body.
func (d *Desk) IngestEventForTest(ctx context.Context, ch *ringdesk.Channel, session int64, e ringdesk.CallEvent, raw []byte) (*WebhookResult, error) {
	return d.ingestCall(ctx, ch, uis.KindOf(e.Kind), session, e, raw, "")
}

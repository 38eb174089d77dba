package desk

import (
	"context"
	"strings"

	"github.com/ringdesk/ringdesk/internal/phone"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// NormalizePhone turns a number in any spelling into E.164, reading numbers
// without a country code as dialled in the desk's region.
func (d *Desk) NormalizePhone(raw string) (string, error) {
	return phone.Normalize(raw, d.region())
}

func (d *Desk) region() string {
	if d.cfg.PhoneRegion == "" {
		return "RU"
	}
	return d.cfg.PhoneRegion
}

// requireAgent refuses a missing actor and agents who are no longer
// active; ringdesk.System acts for the command line and seeding.
func requireAgent(actor *ringdesk.Agent) error {
	switch {
	case actor == nil:
		return ringdesk.Errorf(ringdesk.EUNAUTHORIZED, "Please log in.")
	case !actor.Active:
		return ringdesk.Errorf(ringdesk.EFORBIDDEN, "Your account is not active.")
	}
	return nil
}

// CreateClient validates and stores a new client. A phone or email that
// belongs to another client is an ECONFLICT naming that client.
func (d *Desk) CreateClient(ctx context.Context, actor *ringdesk.Agent, in ringdesk.ClientInput) (*ringdesk.Client, error) {
	if err := requireAgent(actor); err != nil {
		return nil, err
	}
	if err := in.Validate(d.NormalizePhone); err != nil {
		return nil, err
	}
	c, err := d.db.CreateClient(ctx, in, d.Now())
	if err != nil {
		return nil, err
	}
	d.log.Info("client created", "client_id", c.ID, "by", actorID(actor))
	return c, nil
}

// UpdateClient changes a client. An agent changing the name marks it as
// edited, so telephony never replaces it with the caller's UIS name.
func (d *Desk) UpdateClient(ctx context.Context, actor *ringdesk.Agent, id int64, u ringdesk.ClientUpdate) (*ringdesk.Client, error) {
	if err := requireAgent(actor); err != nil {
		return nil, err
	}
	if err := u.Validate(d.NormalizePhone); err != nil {
		return nil, err
	}
	c, err := d.db.UpdateClient(ctx, id, u, d.Now())
	if err != nil {
		return nil, err
	}
	d.log.Info("client updated", "client_id", id, "by", actorID(actor))
	return c, nil
}

// MergeClients moves the tickets, calls and contacts of client other to
// survivor and deletes other, returning the survivor.
func (d *Desk) MergeClients(ctx context.Context, actor *ringdesk.Agent, survivor, other int64) (*ringdesk.Client, error) {
	if err := requireAgent(actor); err != nil {
		return nil, err
	}
	var by int64
	if actor != nil {
		by = actor.ID
	}
	c, err := d.db.MergeClients(ctx, survivor, other, by, d.Now())
	if err != nil {
		return nil, err
	}
	d.log.Info("clients merged", "survivor_id", survivor, "merged_id", other, "by", actorID(actor))
	return c, nil
}

// ClientByPhone finds the client owning a number given in any spelling.
func (d *Desk) ClientByPhone(ctx context.Context, raw string) (*ringdesk.Client, error) {
	e164, err := d.NormalizePhone(raw)
	if err != nil {
		return nil, &ringdesk.Error{Code: ringdesk.EINVALID, Message: "Not a valid phone number.",
			Fields: map[string]string{"phone": "Not a valid phone number."}}
	}
	return d.db.ClientByPhone(ctx, e164)
}

// ClientQuery is a search of the client list.
type ClientQuery struct {
	// Text is what an agent typed: a name, company, email or phone number
	// in any spelling.
	Text string
	// Phone, when set, must be a phone number; only its owner is listed.
	Phone  string
	Limit  int
	Cursor string
}

// SearchClients lists clients matching q. Text that is a phone number finds
// the client owning exactly that number (any spelling); part of a number
// (phone.MinPartialDigits digits or more, see PhoneSearch) finds the
// clients with a number matching it; anything else, fewer digits included,
// matches name, company and email.
func (d *Desk) SearchClients(ctx context.Context, q ClientQuery) ([]*ringdesk.Client, string, error) {
	f := ringdesk.ClientFilter{Limit: q.Limit, Cursor: q.Cursor}
	switch text := strings.TrimSpace(q.Text); {
	case strings.TrimSpace(q.Phone) != "":
		e164, err := d.NormalizePhone(q.Phone)
		if err != nil {
			return nil, "", &ringdesk.Error{Code: ringdesk.EINVALID, Message: "Not a valid phone number.",
				Fields: map[string]string{"phone": "Not a valid phone number."}}
		}
		f.Phone = e164
	case text == "":
	default:
		e164, part, err := d.PhoneSearch(text)
		switch {
		case err != nil:
			f.Query = text
		case e164 != "":
			f.Phone = e164
		default:
			f.PhonePart = part
		}
	}
	return d.db.ListClients(ctx, f)
}

// PhoneSearch reads what an agent typed into a search box or a number
// filter. A whole number in any spelling is returned in E.164, to be matched
// exactly; otherwise text of digits and the punctuation of numbers, with at
// least phone.MinPartialDigits digits, is part of a number (phone.Partial:
// the digits anywhere in a number, and a leading 8 or "+7" read as the start
// of a Russian one). Anything else is a *phone.Error: ErrTooShort for fewer
// digits, ErrLetters for text, ErrEmpty for nothing.
func (d *Desk) PhoneSearch(raw string) (string, ringdesk.PartialPhone, error) {
	if e164, err := d.NormalizePhone(raw); err == nil {
		return e164, ringdesk.PartialPhone{}, nil
	}
	part, err := phone.Partial(raw, d.region())
	if err != nil {
		return "", ringdesk.PartialPhone{}, err
	}
	return "", ringdesk.PartialPhone{Digits: part.Digits, Prefix: part.Prefix}, nil
}

package web

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/ringdesk/ringdesk/internal/desk"
	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// maxClientChoices is how many clients an ambiguous picker search offers.
const maxClientChoices = 8

// clientPick is what the client picker of a form resolved to: a client id,
// or why not (problem) with the clients to choose from.
type clientPick struct {
	id      int64
	problem string
	choices []*ringdesk.Client
}

// pickClient resolves the client picker of a form. The picker sends the text
// typed (client) and, once a suggestion was chosen or the form was opened for
// a client, its id (client_id); without JavaScript the text alone is
// searched when the form is sent, and several matches come back as radio
// buttons (client_choice). In order: a chosen radio button; client_id while
// the text still shows that client's name; the text, when it matches exactly
// one client. On success f holds the resolved client_id and client name, so
// a re-rendered form keeps the choice.
func (s *Server) pickClient(ctx context.Context, f url.Values) (clientPick, error) {
	text := strings.TrimSpace(f.Get("client"))
	for _, field := range []string{"client_choice", "client_id"} {
		v := strings.TrimSpace(f.Get(field))
		if v == "" {
			continue
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return clientPick{}, badFilter("client_id", "Must be a positive number.")
		}
		c, err := s.db.ClientByID(ctx, id)
		if ringdesk.ErrorCode(err) == ringdesk.ENOTFOUND {
			if field == "client_choice" || text == "" {
				return clientPick{problem: "Client not found."}, nil
			}
			continue // the text was retyped: search it
		} else if err != nil {
			return clientPick{}, err
		}
		if field == "client_choice" || text == "" || strings.EqualFold(text, c.Name) {
			return picked(f, c), nil
		}
	}
	if text == "" {
		return clientPick{problem: "Type a name, phone or email and choose a client."}, nil
	}
	list, _, err := s.desk.SearchClients(ctx, desk.ClientQuery{Text: text, Limit: maxClientChoices + 1})
	if err != nil {
		if ringdesk.ErrorCode(err) == ringdesk.EINVALID {
			return clientPick{problem: "No client matches this search; check it or create the client first."}, nil
		}
		return clientPick{}, err
	}
	f.Del("client_id")
	switch {
	case len(list) == 0:
		return clientPick{problem: "No client matches this search; check it or create the client first."}, nil
	case len(list) == 1:
		return picked(f, list[0]), nil
	}
	for _, c := range list {
		if strings.EqualFold(c.Name, text) && exactlyOneNamed(list, c.Name) {
			return picked(f, c), nil
		}
	}
	p := clientPick{problem: "Several clients match; choose one below.", choices: list}
	if len(list) > maxClientChoices {
		p.choices = list[:maxClientChoices]
		p.problem = "Many clients match; choose one below or type more of the name, phone or email."
	}
	return p, nil
}

func picked(f url.Values, c *ringdesk.Client) clientPick {
	f.Set("client_id", strconv.FormatInt(c.ID, 10))
	f.Set("client", c.Name)
	f.Del("client_choice")
	return clientPick{id: c.ID}
}

// exactlyOneNamed reports whether one client of list has name (any case).
func exactlyOneNamed(list []*ringdesk.Client, name string) bool {
	n := 0
	for _, c := range list {
		if strings.EqualFold(c.Name, name) {
			n++
		}
	}
	return n == 1
}

// withField puts msg on field of a validation error, or makes one.
func withField(err error, field, msg string) error {
	var e *ringdesk.Error
	if !errors.As(err, &e) || e.Code != ringdesk.EINVALID {
		return badFilter(field, msg)
	}
	out := &ringdesk.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{field: msg}}
	for k, v := range e.Fields {
		if k != field {
			out.Fields[k] = v
		}
	}
	return out
}

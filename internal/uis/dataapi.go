package uis

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Account is the UIS account an access token belongs to.
type Account struct {
	AppID    int64
	Name     string
	Timezone string // IANA name, e.g. "Europe/Moscow"
}

// GetAccount returns the account of token. It is the cheapest authenticated
// Data API call, so it also serves as the "check connection" probe.
func (c *Client) GetAccount(ctx context.Context, token string) (Account, error) {
	var rows []struct {
		AppID    flexNumber `json:"app_id"`
		Name     string     `json:"name"`
		Timezone string     `json:"timezone"`
	}
	if _, err := c.call(ctx, c.dataURL, "get.account", token, nil, &rows); err != nil {
		return Account{}, err
	}
	if len(rows) == 0 {
		return Account{}, &TransportError{Method: "get.account", Err: errors.New("empty result")}
	}
	return Account{AppID: int64(rows[0].AppID), Name: rows[0].Name, Timezone: rows[0].Timezone}, nil
}

// Filter is a Data API filter: either a simple one (Field, Operator, Value)
// or a tree (Filters joined by Condition "and"/"or").
type Filter struct {
	Field     string
	Operator  string
	Value     any
	Filters   []Filter
	Condition string
}

// MarshalJSON writes only the members of the filter's form: UIS rejects
// unexpected parameters, and a simple filter's value may be false or 0,
// which omitempty would drop.
func (f Filter) MarshalJSON() ([]byte, error) {
	if len(f.Filters) > 0 {
		return json.Marshal(struct {
			Filters   []Filter `json:"filters"`
			Condition string   `json:"condition,omitempty"`
		}{f.Filters, f.Condition})
	}
	return json.Marshal(struct {
		Field    string `json:"field"`
		Operator string `json:"operator"`
		Value    any    `json:"value"`
	}{f.Field, f.Operator, f.Value})
}

// CallsReport is one page of get.calls_report: the rows as UIS sent them
// (ParseReportCall reads one; a row of an odd shape never fails the page).
type CallsReport struct {
	Rows       []json.RawMessage
	TotalItems int64 // rows matching, over all pages
}

// ReportQuery asks get.calls_report for the sessions that started in
// [From, Till] (in whole seconds of the account's zone).
type ReportQuery struct {
	From, Till time.Time
	Filter     *Filter  // nil: every session of the account
	Fields     []string // nil: UIS's default set
	// SortByStart orders the rows by start_time: the report has no order
	// otherwise, and rows could move between pages.
	SortByStart bool
	Limit       int // 0: UIS's default (1000, at most 10000)
	Offset      int // at most MaxReportOffset
}

// MaxReportOffset is the largest offset the Data API accepts; a window with
// more rows than this must be split.
const MaxReportOffset = 100_000

// dataAPITime is how the Data API writes dates: in the account's zone.
const dataAPITime = "2006-01-02 15:04:05"

// GetCallsReport returns one page of call sessions.
func (c *Client) GetCallsReport(ctx context.Context, token string, q ReportQuery) (CallsReport, error) {
	type sort struct {
		Field string `json:"field"`
		Order string `json:"order"`
	}
	params := struct {
		DateFrom string   `json:"date_from"`
		DateTill string   `json:"date_till"`
		Filter   *Filter  `json:"filter,omitempty"`
		Fields   []string `json:"fields,omitempty"`
		Sort     []sort   `json:"sort,omitempty"`
		Limit    int      `json:"limit,omitempty"`
		Offset   int      `json:"offset,omitempty"`
	}{
		DateFrom: q.From.In(c.Location).Format(dataAPITime),
		DateTill: q.Till.In(c.Location).Format(dataAPITime),
		Filter:   q.Filter, Fields: q.Fields, Limit: q.Limit, Offset: q.Offset,
	}
	if q.SortByStart {
		params.Sort = []sort{{Field: "start_time", Order: "asc"}}
	}
	var rows []json.RawMessage
	total, err := c.call(ctx, c.dataURL, "get.calls_report", token, params, &rows)
	if err != nil {
		return CallsReport{}, err
	}
	return CallsReport{Rows: rows, TotalItems: total}, nil
}

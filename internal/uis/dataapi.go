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

// Employee is a UIS employee as Ringdesk needs it to link agents.
type Employee struct {
	ID           int64
	FullName     string
	Login        string
	Email        string
	PhoneNumbers []string
	Extension    string
}

// employeesPage is UIS's maximum page size.
const employeesPage = 10000

// GetEmployees returns every employee of the account, paging as needed.
func (c *Client) GetEmployees(ctx context.Context, token string) ([]Employee, error) {
	type row struct {
		ID           flexNumber `json:"id"`
		FullName     string     `json:"full_name"`
		Login        *string    `json:"login"`
		Email        *string    `json:"email"`
		PhoneNumbers []struct {
			PhoneNumber string `json:"phone_number"`
		} `json:"phone_numbers"`
		Extension *struct {
			Number *string `json:"extension_phone_number"`
		} `json:"extension"`
	}
	var all []Employee
	for offset := 0; ; offset += employeesPage {
		params := struct {
			Limit  int `json:"limit"`
			Offset int `json:"offset"`
		}{employeesPage, offset}
		var rows []row
		total, err := c.call(ctx, c.dataURL, "get.employees", token, params, &rows)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			e := Employee{ID: int64(r.ID), FullName: r.FullName, Login: deref(r.Login), Email: deref(r.Email)}
			for _, p := range r.PhoneNumbers {
				e.PhoneNumbers = append(e.PhoneNumbers, p.PhoneNumber)
			}
			if r.Extension != nil {
				e.Extension = deref(r.Extension.Number)
			}
			all = append(all, e)
		}
		if len(rows) < employeesPage || int64(len(all)) >= total {
			return all, nil
		}
	}
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

// CallsReport is one page of get.calls_report.
type CallsReport struct {
	Calls      []ReportCall
	TotalItems int64 // rows matching, over all pages
}

// ReportCall is one finished (or ongoing) call session. Fields not asked for
// stay zero; Raw keeps the row as UIS sent it, for fields without a Go name.
type ReportCall struct {
	ID                 int64 // the call_session_id
	StartTime          time.Time
	FinishTime         time.Time
	FinishReason       string
	Direction          string
	Source             string
	IsLost             bool
	CommunicationID    int64
	ContactPhoneNumber string
	VirtualPhoneNumber string
	WaitDuration       int64
	TotalWaitDuration  int64
	TalkDuration       int64
	CleanTalkDuration  int64
	TotalDuration      int64
	CallRecords        []string // recording link ids (32 hex digits)
	FullRecordFileLink string
	CallAPIExternalID  string
	Raw                json.RawMessage
}

type wireReportCall struct {
	ID                 flexNumber  `json:"id"`
	StartTime          string      `json:"start_time"`
	FinishTime         string      `json:"finish_time"`
	FinishReason       *string     `json:"finish_reason"`
	Direction          *string     `json:"direction"`
	Source             *string     `json:"source"`
	IsLost             flexSuccess `json:"is_lost"`
	CommunicationID    flexNumber  `json:"communication_id"`
	ContactPhoneNumber *string     `json:"contact_phone_number"`
	VirtualPhoneNumber *string     `json:"virtual_phone_number"`
	WaitDuration       flexNumber  `json:"wait_duration"`
	TotalWaitDuration  flexNumber  `json:"total_wait_duration"`
	TalkDuration       flexNumber  `json:"talk_duration"`
	CleanTalkDuration  flexNumber  `json:"clean_talk_duration"`
	TotalDuration      flexNumber  `json:"total_duration"`
	CallRecords        []string    `json:"call_records"`
	FullRecordFileLink *string     `json:"full_record_file_link"`
	CallAPIExternalID  *string     `json:"call_api_external_id"`
}

// dataAPITime is how the Data API writes dates: in the account's zone.
const dataAPITime = "2006-01-02 15:04:05"

// GetCallsReport returns one page of call sessions that started in
// [from, till]. filter may be nil; fields nil means UIS's default set; limit
// 0 means UIS's default (1000, at most 10000).
func (c *Client) GetCallsReport(ctx context.Context, token string, from, till time.Time, filter *Filter, fields []string, limit, offset int) (CallsReport, error) {
	params := struct {
		DateFrom string   `json:"date_from"`
		DateTill string   `json:"date_till"`
		Filter   *Filter  `json:"filter,omitempty"`
		Fields   []string `json:"fields,omitempty"`
		Limit    int      `json:"limit,omitempty"`
		Offset   int      `json:"offset,omitempty"`
	}{
		DateFrom: from.In(c.Location).Format(dataAPITime),
		DateTill: till.In(c.Location).Format(dataAPITime),
		Filter:   filter, Fields: fields, Limit: limit, Offset: offset,
	}
	var raws []json.RawMessage
	total, err := c.call(ctx, c.dataURL, "get.calls_report", token, params, &raws)
	if err != nil {
		return CallsReport{}, err
	}
	rep := CallsReport{TotalItems: total, Calls: make([]ReportCall, 0, len(raws))}
	for _, raw := range raws {
		var w wireReportCall
		if err := json.Unmarshal(raw, &w); err != nil {
			return CallsReport{}, &TransportError{Method: "get.calls_report", Err: err}
		}
		rep.Calls = append(rep.Calls, ReportCall{
			ID: int64(w.ID), StartTime: c.time(w.StartTime), FinishTime: c.time(w.FinishTime),
			FinishReason: deref(w.FinishReason), Direction: deref(w.Direction), Source: deref(w.Source),
			IsLost: bool(w.IsLost), CommunicationID: int64(w.CommunicationID),
			ContactPhoneNumber: deref(w.ContactPhoneNumber), VirtualPhoneNumber: deref(w.VirtualPhoneNumber),
			WaitDuration: int64(w.WaitDuration), TotalWaitDuration: int64(w.TotalWaitDuration),
			TalkDuration: int64(w.TalkDuration), CleanTalkDuration: int64(w.CleanTalkDuration),
			TotalDuration: int64(w.TotalDuration), CallRecords: w.CallRecords,
			FullRecordFileLink: deref(w.FullRecordFileLink), CallAPIExternalID: deref(w.CallAPIExternalID),
			Raw: raw,
		})
	}
	return rep, nil
}

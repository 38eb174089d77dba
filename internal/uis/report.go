package uis

import (
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// ReportFinished is not a notification: it names a get.calls_report row that
// Ringdesk stored as an event of its own when reconciliation found a call
// whose notifications were lost. It folds like call_finished (stage 3) but
// yields to a real call_finished, which UIS sends with more detail.
const ReportFinished EventKind = "calls_report"

// ReportFields are the get.calls_report fields reconciliation asks for: the
// default set plus who answered and talked, which the default set lacks.
var ReportFields = []string{
	"id", "start_time", "finish_time", "finish_reason", "direction", "source", "is_lost", "communication_id",
	"contact_phone_number", "virtual_phone_number", "cpn_region_name", "wait_duration", "total_wait_duration",
	"talk_duration", "clean_talk_duration", "total_duration", "postprocess_duration", "call_records",
	"full_record_file_link", "is_transfer", "tags", "employees", "first_answered_employee_id",
	"first_answered_employee_full_name", "last_answered_employee_id", "last_answered_employee_full_name",
	"first_talked_employee_id", "first_talked_employee_full_name", "last_talked_employee_id",
	"last_talked_employee_full_name", "scenario_name", "call_api_external_id", "contact_full_name",
}

// LostProcessingField is UIS's own time to call a lost call back
// (Event.LostCallProcessing). It is not in the default set, and whether
// every account's report knows it is not documented, so reconciliation
// asks for it besides ReportFields and reads the report without it when
// UIS refuses it (RefusesReportField).
const LostProcessingField = "lost_call_processing_duration"

// RefusesReportField reports whether err is UIS refusing a get.calls_report
// request for one of the fields it was asked for: a JSON-RPC error that
// names the fields parameter (or one of its elements), or whose value is
// field. A transport failure or any other refusal (token, limits) is not.
func RefusesReportField(err error, field string) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	if e.Field == "fields" || strings.HasPrefix(e.Field, "fields.") || strings.HasPrefix(e.Field, "fields[") {
		return true
	}
	v, ok := e.Value.(string)
	return ok && v == field
}

// reportRow is a get.calls_report row with the fields of ReportFields. Its
// field types never fail to decode: an odd value leaves the field empty (a
// report row is as untrusted as a notification).
type reportRow struct {
	ID                 reportInt     `json:"id"`
	StartTime          reportText    `json:"start_time"`
	FinishTime         reportText    `json:"finish_time"`
	FinishReason       reportText    `json:"finish_reason"`
	Direction          reportText    `json:"direction"`
	Source             reportText    `json:"source"`
	IsLost             flexSuccess   `json:"is_lost"`
	IsTransfer         flexSuccess   `json:"is_transfer"`
	CommunicationID    flexNumber    `json:"communication_id"`
	ContactPhoneNumber reportText    `json:"contact_phone_number"`
	ContactFullName    reportText    `json:"contact_full_name"`
	VirtualPhoneNumber reportText    `json:"virtual_phone_number"`
	RegionName         reportText    `json:"cpn_region_name"`
	ScenarioName       reportText    `json:"scenario_name"`
	ExternalID         reportText    `json:"call_api_external_id"`
	WaitDuration       reportSecs    `json:"wait_duration"`
	TotalWaitDuration  reportSecs    `json:"total_wait_duration"`
	TalkDuration       reportSecs    `json:"talk_duration"`
	CleanTalkDuration  reportSecs    `json:"clean_talk_duration"`
	TotalDuration      reportSecs    `json:"total_duration"`
	PostprocessDur     reportSecs    `json:"postprocess_duration"`
	CallRecords        reportTexts   `json:"call_records"`
	FullRecordFileLink reportText    `json:"full_record_file_link"`
	Tags               []reportTag   `json:"tags"`
	Employees          []reportEmp   `json:"employees"`
	FirstAnsweredID    *flexNumber   `json:"first_answered_employee_id"`
	FirstAnsweredName  reportText    `json:"first_answered_employee_full_name"`
	LastAnsweredID     *flexNumber   `json:"last_answered_employee_id"`
	LastAnsweredName   reportText    `json:"last_answered_employee_full_name"`
	FirstTalkedID      *flexNumber   `json:"first_talked_employee_id"`
	FirstTalkedName    reportText    `json:"first_talked_employee_full_name"`
	LastTalkedID       *flexNumber   `json:"last_talked_employee_id"`
	LastTalkedName     reportText    `json:"last_talked_employee_full_name"`
	LostProcessing     reportOptSecs `json:"lost_call_processing_duration"`
}

type reportTag struct {
	Name reportText `json:"tag_name"`
}

type reportEmp struct {
	ID       flexNumber  `json:"employee_id"`
	FullName reportText  `json:"employee_full_name"`
	Answered flexSuccess `json:"is_answered"`
	Talked   flexSuccess `json:"is_talked"`
}

// reportInt is an integer field of a report row; a value of another shape
// is kept in bad.
type reportInt struct{ flexInt }

func (n *reportInt) UnmarshalJSON(b []byte) error { n.decode(string(b)); return nil }

// reportText is a text field of a report row; a value of another shape is
// kept in bad.
type reportText struct{ flexString }

func (t *reportText) UnmarshalJSON(b []byte) error { t.decode(string(b)); return nil }

// reportTexts is a list of texts of a report row.
type reportTexts struct{ flexStrings }

func (t *reportTexts) UnmarshalJSON(b []byte) error { t.decode(string(b)); return nil }

// reportSecs is a duration of a report row.
type reportSecs struct{ flexDuration }

func (t *reportSecs) UnmarshalJSON(b []byte) error { t.decode(string(b)); return nil }

// reportOptSecs is a duration of a report row that the row may leave out
// (null is sent, absent is not).
type reportOptSecs struct {
	reportSecs
	sent bool
}

func (t *reportOptSecs) UnmarshalJSON(b []byte) error {
	t.sent = true
	return t.reportSecs.UnmarshalJSON(b)
}

// ParseReportCall turns a get.calls_report row (as UIS sent it, see
// ReportCall.Raw) into an Event of kind ReportFinished shaped like the
// call_finished the row stands in for. Times without an offset are read in
// loc, the account's zone. The answer time, which the report lacks, is the
// start plus the wait when someone talked. Like ParseEvent it is tolerant
// field by field; only a row that is no JSON object or has no usable id is
// a *ParseError.
func ParseReportCall(raw []byte, loc *time.Location) (Event, error) {
	if loc == nil {
		loc = time.UTC
	}
	var r reportRow
	if err := json.Unmarshal(raw, &r); err != nil {
		return Event{}, reportRowError(err)
	}
	if err := r.ID.check(); err != nil {
		return Event{}, err
	}
	c := conv{loc: loc}
	tm := func(field string, t reportText) time.Time {
		return c.time(field, flexTime{s: strings.TrimSpace(c.text(field, t.flexString, maxText)), bad: ""})
	}
	e := Event{
		Kind: ReportFinished, CallSessionID: r.ID.v, CommunicationID: int64(r.CommunicationID),
		CallSource:         c.text("source", r.Source.flexString, maxText),
		Direction:          c.text("direction", r.Direction.flexString, maxText),
		ContactPhoneNumber: c.text("contact_phone_number", r.ContactPhoneNumber.flexString, maxNumber),
		ContactFullName:    c.text("contact_full_name", r.ContactFullName.flexString, maxText),
		VirtualPhoneNumber: c.text("virtual_phone_number", r.VirtualPhoneNumber.flexString, maxNumber),
		CPNRegionName:      c.text("cpn_region_name", r.RegionName.flexString, maxText),
		ScenarioName:       c.text("scenario_name", r.ScenarioName.flexString, maxText),
		ExternalID:         c.text("call_api_external_id", r.ExternalID.flexString, maxText),
		StartTime:          tm("start_time", r.StartTime),
		FinishTime:         tm("finish_time", r.FinishTime),
		FinishReason:       c.text("finish_reason", r.FinishReason.flexString, maxText),
		IsLost:             bool(r.IsLost), IsTransfer: bool(r.IsTransfer),
		WaitTimeDuration:        c.duration("wait_duration", r.WaitDuration.flexDuration),
		TotalWaitTimeDuration:   c.duration("total_wait_duration", r.TotalWaitDuration.flexDuration),
		TalkTimeDuration:        c.duration("talk_duration", r.TalkDuration.flexDuration),
		CleanTalkTimeDuration:   c.duration("clean_talk_duration", r.CleanTalkDuration.flexDuration),
		TotalTimeDuration:       c.duration("total_duration", r.TotalDuration.flexDuration),
		PostprocessTimeDuration: c.duration("postprocess_duration", r.PostprocessDur.flexDuration),
		FullRecordFileLink:      c.text("full_record_file_link", r.FullRecordFileLink.flexString, maxLink),
		LostCallProcessing:      c.duration(LostProcessingField, r.LostProcessing.flexDuration),
		LostCallProcessingSent:  r.LostProcessing.sent,
	}
	if v := e.LostCallProcessing; v != nil && *v < 0 {
		c.unreadable(LostProcessingField, strconv.FormatInt(*v, 10))
		e.LostCallProcessing = nil
	}
	commID := e.CommunicationID
	if commID <= 0 {
		commID = e.CallSessionID
	}
	e.RecordFileLinks = reportRecordLinks(c.strs("call_records", r.CallRecords.flexStrings, maxText), e.FullRecordFileLink, commID)
	if e.Direction != "in" && e.Direction != "out" {
		e.Direction = ""
	}
	if talk := e.TalkTimeDuration; !e.StartTime.IsZero() && talk != nil && *talk > 0 && !e.IsLost {
		var wait int64
		if e.WaitTimeDuration != nil {
			wait = *e.WaitTimeDuration
		}
		e.ConnectionTime = e.StartTime.Add(time.Duration(wait) * time.Second)
	}
	for _, t := range r.Tags {
		if n := c.text("tags", t.Name.flexString, maxText); n != "" {
			e.TagNames = append(e.TagNames, n)
		}
	}
	for _, emp := range r.Employees {
		if emp.ID > 0 {
			e.EmployeeIDs = append(e.EmployeeIDs, int64(emp.ID))
			e.EmployeeFullNames = append(e.EmployeeFullNames, c.text("employees", emp.FullName.flexString, maxText))
		}
	}
	e.FirstAnsweredEmployeeID, e.FirstAnsweredEmployeeName = reportEmployee(&c, r.FirstAnsweredID, r.FirstAnsweredName)
	e.LastAnsweredEmployeeID, e.LastAnsweredEmployeeName = reportEmployee(&c, r.LastAnsweredID, r.LastAnsweredName)
	e.FirstTalkedEmployeeID, e.FirstTalkedEmployeeName = reportEmployee(&c, r.FirstTalkedID, r.FirstTalkedName)
	e.LastTalkedEmployeeID, e.LastTalkedEmployeeName = reportEmployee(&c, r.LastTalkedID, r.LastTalkedName)
	if e.Direction == "out" && len(e.EmployeeIDs) > 0 {
		// The report does not say who placed an outgoing call; the first
		// employee involved is the one whose leg UIS dialled first.
		id := e.EmployeeIDs[0]
		e.EmployeeID, e.EmployeeFullName = &id, e.EmployeeFullNames[0]
	}
	e.Warnings = c.warns
	return e, nil
}

// check reports a row id that is unusable: not an integer, missing or not
// positive.
func (n reportInt) check() *ParseError {
	switch {
	case n.bad != "":
		return &ParseError{Field: "id", Problem: ringdesk.ProblemWrongType, Reason: "cannot parse " + strconv.Quote(n.bad) + " as an integer"}
	case !n.set:
		return &ParseError{Field: "id", Problem: ringdesk.ProblemMissing, Reason: "missing"}
	case n.v <= 0:
		return &ParseError{Field: "id", Problem: ringdesk.ProblemNotPositive, Reason: "must be positive, got " + strconv.FormatInt(n.v, 10)}
	}
	return nil
}

// LostFields are the only get.calls_report fields the look-back for UIS's
// time to call back asks for (ParseReportLost reads them): a small answer
// for a day of lost calls.
var LostFields = []string{"id", "is_lost", LostProcessingField}

// ReportLost is a get.calls_report row of LostFields.
type ReportLost struct {
	CallSessionID int64
	IsLost        bool
	// Seconds is lost_call_processing_duration: nil when the row has none
	// (not called back yet) or an unusable one (negative, not a number).
	Seconds *int64
	// Sent is whether the row had the field at all, null included.
	Sent bool
}

// ParseReportLost reads a get.calls_report row of LostFields. Like
// ParseReportCall it is tolerant of odd values; only a row that is no JSON
// object or has no usable id is a *ParseError.
func ParseReportLost(raw []byte) (ReportLost, error) {
	var r struct {
		ID             reportInt     `json:"id"`
		IsLost         flexSuccess   `json:"is_lost"`
		LostProcessing reportOptSecs `json:"lost_call_processing_duration"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return ReportLost{}, reportRowError(err)
	}
	if err := r.ID.check(); err != nil {
		return ReportLost{}, err
	}
	c := conv{loc: time.UTC}
	l := ReportLost{CallSessionID: r.ID.v, IsLost: bool(r.IsLost), Sent: r.LostProcessing.sent,
		Seconds: c.duration(LostProcessingField, r.LostProcessing.flexDuration)}
	if l.Seconds != nil && *l.Seconds < 0 {
		l.Seconds = nil
	}
	return l, nil
}

// RefusesReportFilter reports whether err is UIS refusing a get.calls_report
// request for filtering by field: filter_prohibited, or a JSON-RPC error
// that names a filter parameter and whose value is field.
func RefusesReportFilter(err error, field string) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	if e.Mnemonic == "filter_prohibited" {
		return true
	}
	v, ok := e.Value.(string)
	return ok && v == field && strings.HasPrefix(e.Field, "filter")
}

// reportRowError says why a report row did not decode: a list or object
// field of another shape (tags, employees) names the field; a row that is
// no object, or no JSON, is the body's fault.
func reportRowError(err error) *ParseError {
	reason := "not a calls report row: " + err.Error()
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te) && te.Field != "":
		return &ParseError{Field: te.Field, Problem: ringdesk.ProblemWrongType, Reason: reason}
	case errors.As(err, &se):
		return &ParseError{Field: "body", Problem: ringdesk.ProblemInvalidJSON, Reason: reason}
	}
	return &ParseError{Field: "body", Problem: ringdesk.ProblemNotObject, Reason: reason}
}

// ParseStoredEvent parses an event Ringdesk stored: a notification body, or
// a calls report row for kind ReportFinished.
func ParseStoredEvent(kind EventKind, raw []byte, loc *time.Location) (Event, error) {
	if kind == ReportFinished {
		return ParseReportCall(raw, loc)
	}
	return ParseEvent(kind, raw, loc)
}

func reportEmployee(c *conv, id *flexNumber, name reportText) (*int64, string) {
	if id == nil || *id <= 0 {
		return nil, ""
	}
	v := int64(*id)
	return &v, c.text("employee_full_name", name.flexString, maxText)
}

// DefaultRecordingBase is the web-app host of UIS, where talk recordings live
// (https://app.uiscom.ru/system/media/talk/…).
const DefaultRecordingBase = "https://app.uiscom.ru"

// TalkRecordLink is the documented link of one talk recording of a call:
// {base}/system/media/talk/{communication_id}/{record id}/, with the trailing
// slash; base is a scheme and host such as https://app.uiscom.ru.
func TalkRecordLink(base string, communicationID int64, recordID string) string {
	return strings.TrimRight(base, "/") + "/system/media/talk/" + strconv.FormatInt(communicationID, 10) + "/" + recordID + "/"
}

// RecordingBase is the web-app scheme and host of the brand a recording link
// belongs to: the merged file's media host (https://media.comagic.ru/{id}/{hash})
// becomes its app host (https://app.comagic.ru); any other host is kept. An
// unusable link gives DefaultRecordingBase.
func RecordingBase(link string) string {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return DefaultRecordingBase
	}
	host := u.Host
	if rest, ok := strings.CutPrefix(strings.ToLower(host), "media."); ok {
		host = "app." + rest
	}
	return u.Scheme + "://" + host
}

// reportRecordLinks builds one link per talk recording in the documented
// shape (TalkRecordLink) on the brand of full, the merged file's link
// (RecordingBase; app.uiscom.ru when the report has none). The merged file
// itself is not a talk: it stands in only when the report lists no talk ids.
// Ids that could leave their path segment are skipped.
func reportRecordLinks(ids []string, full string, communicationID int64) []string {
	base := DefaultRecordingBase
	if full != "" {
		base = RecordingBase(full)
	}
	var out []string
	for _, id := range ids {
		if id == "" || id == "." || id == ".." || strings.ContainsAny(id, "/?#%\\ ") {
			continue
		}
		out = append(out, TalkRecordLink(base, communicationID, id))
	}
	if len(out) == 0 && full != "" {
		return []string{full}
	}
	return out
}

package uis

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"
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

// reportRow is a get.calls_report row with the fields of ReportFields.
type reportRow struct {
	ID                 flexNumber  `json:"id"`
	StartTime          string      `json:"start_time"`
	FinishTime         string      `json:"finish_time"`
	FinishReason       *string     `json:"finish_reason"`
	Direction          *string     `json:"direction"`
	Source             *string     `json:"source"`
	IsLost             flexSuccess `json:"is_lost"`
	IsTransfer         flexSuccess `json:"is_transfer"`
	CommunicationID    flexNumber  `json:"communication_id"`
	ContactPhoneNumber *string     `json:"contact_phone_number"`
	ContactFullName    *string     `json:"contact_full_name"`
	VirtualPhoneNumber *string     `json:"virtual_phone_number"`
	RegionName         *string     `json:"cpn_region_name"`
	ScenarioName       *string     `json:"scenario_name"`
	ExternalID         *string     `json:"call_api_external_id"`
	WaitDuration       flexNumber  `json:"wait_duration"`
	TotalWaitDuration  flexNumber  `json:"total_wait_duration"`
	TalkDuration       flexNumber  `json:"talk_duration"`
	CleanTalkDuration  flexNumber  `json:"clean_talk_duration"`
	TotalDuration      flexNumber  `json:"total_duration"`
	PostprocessDur     flexNumber  `json:"postprocess_duration"`
	CallRecords        []string    `json:"call_records"`
	FullRecordFileLink *string     `json:"full_record_file_link"`
	Tags               []struct {
		Name *string `json:"tag_name"`
	} `json:"tags"`
	Employees []struct {
		ID       flexNumber  `json:"employee_id"`
		FullName *string     `json:"employee_full_name"`
		Answered flexSuccess `json:"is_answered"`
		Talked   flexSuccess `json:"is_talked"`
	} `json:"employees"`
	FirstAnsweredID   *flexNumber `json:"first_answered_employee_id"`
	FirstAnsweredName *string     `json:"first_answered_employee_full_name"`
	LastAnsweredID    *flexNumber `json:"last_answered_employee_id"`
	LastAnsweredName  *string     `json:"last_answered_employee_full_name"`
	FirstTalkedID     *flexNumber `json:"first_talked_employee_id"`
	FirstTalkedName   *string     `json:"first_talked_employee_full_name"`
	LastTalkedID      *flexNumber `json:"last_talked_employee_id"`
	LastTalkedName    *string     `json:"last_talked_employee_full_name"`
}

// ParseReportCall turns a get.calls_report row (as UIS sent it, see
// ReportCall.Raw) into an Event of kind ReportFinished shaped like the
// call_finished the row stands in for. Times without an offset are read in
// loc, the account's zone. The answer time, which the report lacks, is the
// start plus the wait when someone talked.
func ParseReportCall(raw []byte, loc *time.Location) (Event, error) {
	if loc == nil {
		loc = time.UTC
	}
	var r reportRow
	if err := json.Unmarshal(raw, &r); err != nil {
		return Event{}, &ParseError{Field: "body", Reason: "not a calls report row: " + err.Error()}
	}
	if r.ID <= 0 {
		return Event{}, &ParseError{Field: "id", Reason: "missing"}
	}
	commID := int64(r.CommunicationID)
	if commID <= 0 {
		commID = int64(r.ID)
	}
	start, _ := parseTime(r.StartTime, loc)
	finish, _ := parseTime(r.FinishTime, loc)
	e := Event{
		Kind: ReportFinished, CallSessionID: int64(r.ID), CommunicationID: int64(r.CommunicationID),
		CallSource: deref(r.Source), Direction: deref(r.Direction), ContactPhoneNumber: deref(r.ContactPhoneNumber),
		ContactFullName: deref(r.ContactFullName), VirtualPhoneNumber: deref(r.VirtualPhoneNumber),
		CPNRegionName: deref(r.RegionName), ScenarioName: deref(r.ScenarioName), ExternalID: deref(r.ExternalID),
		StartTime: start, FinishTime: finish, FinishReason: deref(r.FinishReason),
		IsLost: bool(r.IsLost), IsTransfer: bool(r.IsTransfer),
		WaitTimeDuration: int64(r.WaitDuration), TotalWaitTimeDuration: int64(r.TotalWaitDuration),
		TalkTimeDuration: int64(r.TalkDuration), CleanTalkTimeDuration: int64(r.CleanTalkDuration),
		TotalTimeDuration: int64(r.TotalDuration), PostprocessTimeDuration: int64(r.PostprocessDur),
		RecordFileLinks:    reportRecordLinks(r.CallRecords, deref(r.FullRecordFileLink), commID),
		FullRecordFileLink: deref(r.FullRecordFileLink),
	}
	if e.Direction != "in" && e.Direction != "out" {
		e.Direction = ""
	}
	if !start.IsZero() && e.TalkTimeDuration > 0 && !e.IsLost {
		e.ConnectionTime = start.Add(time.Duration(e.WaitTimeDuration) * time.Second)
	}
	for _, t := range r.Tags {
		if n := deref(t.Name); n != "" {
			e.TagNames = append(e.TagNames, n)
		}
	}
	for _, emp := range r.Employees {
		if emp.ID > 0 {
			e.EmployeeIDs = append(e.EmployeeIDs, int64(emp.ID))
			e.EmployeeFullNames = append(e.EmployeeFullNames, deref(emp.FullName))
		}
	}
	e.FirstAnsweredEmployeeID, e.FirstAnsweredEmployeeName = reportEmployee(r.FirstAnsweredID, r.FirstAnsweredName)
	e.LastAnsweredEmployeeID, e.LastAnsweredEmployeeName = reportEmployee(r.LastAnsweredID, r.LastAnsweredName)
	e.FirstTalkedEmployeeID, e.FirstTalkedEmployeeName = reportEmployee(r.FirstTalkedID, r.FirstTalkedName)
	e.LastTalkedEmployeeID, e.LastTalkedEmployeeName = reportEmployee(r.LastTalkedID, r.LastTalkedName)
	if e.Direction == "out" && len(e.EmployeeIDs) > 0 {
		// The report does not say who placed an outgoing call; the first
		// employee involved is the one whose leg UIS dialled first.
		id := e.EmployeeIDs[0]
		e.EmployeeID, e.EmployeeFullName = &id, e.EmployeeFullNames[0]
	}
	return e, nil
}

// ParseStoredEvent parses an event Ringdesk stored: a notification body, or
// a calls report row for kind ReportFinished.
func ParseStoredEvent(kind EventKind, raw []byte, loc *time.Location) (Event, error) {
	if kind == ReportFinished {
		return ParseReportCall(raw, loc)
	}
	return ParseEvent(kind, raw, loc)
}

func reportEmployee(id *flexNumber, name *string) (*int64, string) {
	if id == nil || *id <= 0 {
		return nil, ""
	}
	v := int64(*id)
	return &v, deref(name)
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

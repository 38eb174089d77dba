package uis

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// wireEvent mirrors the JSON keys of the templates. Decoding into it is the
// one pass over the body (see walk.go); every field tolerates UIS's loose
// typing. Keys match exactly: UIS writes them as the template does.
type wireEvent struct {
	Token                         flexString   `json:"ud_channel_token"`
	AnswerTime                    flexTime     `json:"answer_time"`
	AppID                         flexInt      `json:"app_id"`
	CallSessionID                 flexInt      `json:"call_session_id"`
	CallSource                    flexString   `json:"call_source"`
	CalledPhoneNumber             flexString   `json:"called_phone_number"`
	CallingPhoneNumber            flexString   `json:"calling_phone_number"`
	CleanTalkTimeDuration         flexDuration `json:"clean_talk_time_duration"`
	CommunicationID               flexInt      `json:"communication_id"`
	CommunicationNumber           flexInt      `json:"communication_number"`
	CommunicationType             flexString   `json:"communication_type"`
	ConnectionTime                flexTime     `json:"connection_time"`
	ContactFullName               flexString   `json:"contact_full_name"`
	ContactGroupIDs               flexInts     `json:"contact_group_ids"`
	ContactID                     flexInt      `json:"contact_id"`
	ContactPhoneNumber            flexString   `json:"contact_phone_number"`
	CPNRegionID                   flexInt      `json:"cpn_region_id"`
	CPNRegionName                 flexString   `json:"cpn_region_name"`
	Direction                     flexString   `json:"direction"`
	EmployeeFullName              flexString   `json:"employee_full_name"`
	EmployeeFullNames             flexStrings  `json:"employee_full_names"`
	EmployeeGroupIDs              flexInts     `json:"employee_group_ids"`
	EmployeeID                    flexInt      `json:"employee_id"`
	EmployeeIDs                   flexInts     `json:"employee_ids"`
	EmployeePhoneNumber           flexString   `json:"employee_phone_number"`
	ExtensionPhoneNumber          flexString   `json:"extension_phone_number"`
	ExternalID                    flexString   `json:"external_id"`
	FileDuration                  flexDuration `json:"file_duration"`
	FileLink                      flexString   `json:"file_link"`
	FinishReason                  flexString   `json:"finish_reason"`
	FinishTime                    flexTime     `json:"finish_time"`
	FirstAnsweredEmployeeFullName flexString   `json:"first_answered_employee_full_name"`
	FirstAnsweredEmployeeID       flexInt      `json:"first_answered_employee_id"`
	FirstTalkedEmployeeFullName   flexString   `json:"first_talked_employee_full_name"`
	FirstTalkedEmployeeID         flexInt      `json:"first_talked_employee_id"`
	GroupIDs                      flexInts     `json:"group_ids"`
	IsLost                        flexBool     `json:"is_lost"`
	IsTransfer                    flexBool     `json:"is_transfer"`
	LastAnsweredEmployeeFullName  flexString   `json:"last_answered_employee_full_name"`
	LastAnsweredEmployeeID        flexInt      `json:"last_answered_employee_id"`
	LastScenarioOperationID       flexInt      `json:"last_scenario_operation_id"`
	LastScenarioOperationName     flexString   `json:"last_scenario_operation_name"`
	LastTalkedEmployeeFullName    flexString   `json:"last_talked_employee_full_name"`
	LastTalkedEmployeeID          flexInt      `json:"last_talked_employee_id"`
	LegIDs                        flexInts     `json:"leg_ids"`
	LostReason                    flexString   `json:"lost_reason"`
	NoansweredEmployeeFullNames   flexStrings  `json:"noanswered_employee_full_names"`
	NotificationMnemonic          flexString   `json:"notification_mnemonic"`
	NotificationName              flexString   `json:"notification_name"`
	NotificationTime              flexTime     `json:"notification_time"`
	NotificationTimestamp         flexString   `json:"notification_timestamp"`
	OperatorRating                flexInt      `json:"operator_rating"`
	PostprocessTimeDuration       flexDuration `json:"postprocess_time_duration"`
	RecordFileLinks               flexStrings  `json:"record_file_links"`
	ScenarioID                    flexInt      `json:"scenario_id"`
	ScenarioName                  flexString   `json:"scenario_name"`
	ScenarioOperationIDs          flexInts     `json:"scenario_operation_ids"`
	ScenarioOperationNames        flexStrings  `json:"scenario_operation_names"`
	StartTime                     flexTime     `json:"start_time"`
	TagIDs                        flexInts     `json:"tag_ids"`
	TagNames                      flexStrings  `json:"tag_names"`
	TalkTimeDuration              flexDuration `json:"talk_time_duration"`
	TalkedEmployeeFullNames       flexStrings  `json:"talked_employee_full_names"`
	TOCGroupIDs                   flexInts     `json:"toc_group_ids"`
	TotalTimeDuration             flexDuration `json:"total_time_duration"`
	TotalWaitTimeDuration         flexDuration `json:"total_wait_time_duration"`
	TPProject                     flexString   `json:"tp_project"`
	VirtualPhoneNumber            flexString   `json:"virtual_phone_number"`
	VisitorCountry                flexString   `json:"visitor_country"`
	WaitTimeDuration              flexDuration `json:"wait_time_duration"`
}

// decoder is what every flex type implements, see flex.go.
type decoder interface{ decode(raw string) }

// wireFields maps each JSON key to its field in wireEvent. A map of small
// functions instead of reflection keeps decoding allocation-free per key.
var wireFields = map[string]func(*wireEvent) decoder{
	"ud_channel_token":                  func(w *wireEvent) decoder { return &w.Token },
	"answer_time":                       func(w *wireEvent) decoder { return &w.AnswerTime },
	"app_id":                            func(w *wireEvent) decoder { return &w.AppID },
	"call_session_id":                   func(w *wireEvent) decoder { return &w.CallSessionID },
	"call_source":                       func(w *wireEvent) decoder { return &w.CallSource },
	"called_phone_number":               func(w *wireEvent) decoder { return &w.CalledPhoneNumber },
	"calling_phone_number":              func(w *wireEvent) decoder { return &w.CallingPhoneNumber },
	"clean_talk_time_duration":          func(w *wireEvent) decoder { return &w.CleanTalkTimeDuration },
	"communication_id":                  func(w *wireEvent) decoder { return &w.CommunicationID },
	"communication_number":              func(w *wireEvent) decoder { return &w.CommunicationNumber },
	"communication_type":                func(w *wireEvent) decoder { return &w.CommunicationType },
	"connection_time":                   func(w *wireEvent) decoder { return &w.ConnectionTime },
	"contact_full_name":                 func(w *wireEvent) decoder { return &w.ContactFullName },
	"contact_group_ids":                 func(w *wireEvent) decoder { return &w.ContactGroupIDs },
	"contact_id":                        func(w *wireEvent) decoder { return &w.ContactID },
	"contact_phone_number":              func(w *wireEvent) decoder { return &w.ContactPhoneNumber },
	"cpn_region_id":                     func(w *wireEvent) decoder { return &w.CPNRegionID },
	"cpn_region_name":                   func(w *wireEvent) decoder { return &w.CPNRegionName },
	"direction":                         func(w *wireEvent) decoder { return &w.Direction },
	"employee_full_name":                func(w *wireEvent) decoder { return &w.EmployeeFullName },
	"employee_full_names":               func(w *wireEvent) decoder { return &w.EmployeeFullNames },
	"employee_group_ids":                func(w *wireEvent) decoder { return &w.EmployeeGroupIDs },
	"employee_id":                       func(w *wireEvent) decoder { return &w.EmployeeID },
	"employee_ids":                      func(w *wireEvent) decoder { return &w.EmployeeIDs },
	"employee_phone_number":             func(w *wireEvent) decoder { return &w.EmployeePhoneNumber },
	"extension_phone_number":            func(w *wireEvent) decoder { return &w.ExtensionPhoneNumber },
	"external_id":                       func(w *wireEvent) decoder { return &w.ExternalID },
	"file_duration":                     func(w *wireEvent) decoder { return &w.FileDuration },
	"file_link":                         func(w *wireEvent) decoder { return &w.FileLink },
	"finish_reason":                     func(w *wireEvent) decoder { return &w.FinishReason },
	"finish_time":                       func(w *wireEvent) decoder { return &w.FinishTime },
	"first_answered_employee_full_name": func(w *wireEvent) decoder { return &w.FirstAnsweredEmployeeFullName },
	"first_answered_employee_id":        func(w *wireEvent) decoder { return &w.FirstAnsweredEmployeeID },
	"first_talked_employee_full_name":   func(w *wireEvent) decoder { return &w.FirstTalkedEmployeeFullName },
	"first_talked_employee_id":          func(w *wireEvent) decoder { return &w.FirstTalkedEmployeeID },
	"group_ids":                         func(w *wireEvent) decoder { return &w.GroupIDs },
	"is_lost":                           func(w *wireEvent) decoder { return &w.IsLost },
	"is_transfer":                       func(w *wireEvent) decoder { return &w.IsTransfer },
	"last_answered_employee_full_name":  func(w *wireEvent) decoder { return &w.LastAnsweredEmployeeFullName },
	"last_answered_employee_id":         func(w *wireEvent) decoder { return &w.LastAnsweredEmployeeID },
	"last_scenario_operation_id":        func(w *wireEvent) decoder { return &w.LastScenarioOperationID },
	"last_scenario_operation_name":      func(w *wireEvent) decoder { return &w.LastScenarioOperationName },
	"last_talked_employee_full_name":    func(w *wireEvent) decoder { return &w.LastTalkedEmployeeFullName },
	"last_talked_employee_id":           func(w *wireEvent) decoder { return &w.LastTalkedEmployeeID },
	"leg_ids":                           func(w *wireEvent) decoder { return &w.LegIDs },
	"lost_reason":                       func(w *wireEvent) decoder { return &w.LostReason },
	"noanswered_employee_full_names":    func(w *wireEvent) decoder { return &w.NoansweredEmployeeFullNames },
	"notification_mnemonic":             func(w *wireEvent) decoder { return &w.NotificationMnemonic },
	"notification_name":                 func(w *wireEvent) decoder { return &w.NotificationName },
	"notification_time":                 func(w *wireEvent) decoder { return &w.NotificationTime },
	"notification_timestamp":            func(w *wireEvent) decoder { return &w.NotificationTimestamp },
	"operator_rating":                   func(w *wireEvent) decoder { return &w.OperatorRating },
	"postprocess_time_duration":         func(w *wireEvent) decoder { return &w.PostprocessTimeDuration },
	"record_file_links":                 func(w *wireEvent) decoder { return &w.RecordFileLinks },
	"scenario_id":                       func(w *wireEvent) decoder { return &w.ScenarioID },
	"scenario_name":                     func(w *wireEvent) decoder { return &w.ScenarioName },
	"scenario_operation_ids":            func(w *wireEvent) decoder { return &w.ScenarioOperationIDs },
	"scenario_operation_names":          func(w *wireEvent) decoder { return &w.ScenarioOperationNames },
	"start_time":                        func(w *wireEvent) decoder { return &w.StartTime },
	"tag_ids":                           func(w *wireEvent) decoder { return &w.TagIDs },
	"tag_names":                         func(w *wireEvent) decoder { return &w.TagNames },
	"talk_time_duration":                func(w *wireEvent) decoder { return &w.TalkTimeDuration },
	"talked_employee_full_names":        func(w *wireEvent) decoder { return &w.TalkedEmployeeFullNames },
	"toc_group_ids":                     func(w *wireEvent) decoder { return &w.TOCGroupIDs },
	"total_time_duration":               func(w *wireEvent) decoder { return &w.TotalTimeDuration },
	"total_wait_time_duration":          func(w *wireEvent) decoder { return &w.TotalWaitTimeDuration },
	"tp_project":                        func(w *wireEvent) decoder { return &w.TPProject },
	"virtual_phone_number":              func(w *wireEvent) decoder { return &w.VirtualPhoneNumber },
	"visitor_country":                   func(w *wireEvent) decoder { return &w.VisitorCountry },
	"wait_time_duration":                func(w *wireEvent) decoder { return &w.WaitTimeDuration },
}

// Lengths Ringdesk keeps of text from a notification: what a page can
// show. Longer text is cut, with a warning on the call.
const (
	maxText   = 255  // names, reasons, sources
	maxNumber = 64   // phone numbers
	maxLink   = 2048 // recording links
	maxList   = 100  // elements of a list
)

// conv turns wire fields into Go values. A field that cannot be used is
// left at its zero value with a warning: one odd field must not cost the
// call its notification.
type conv struct {
	loc   *time.Location
	warns []ringdesk.CallWarning
}

func (c *conv) warn(field, problem, value string) {
	c.warns = append(c.warns, ringdesk.CallWarning{Field: field, Problem: problem, Value: value})
}

func (c *conv) unreadable(field, raw string) { c.warn(field, ringdesk.WarnUnreadable, raw) }

func (c *conv) int(field string, f flexInt) int64 {
	if f.bad != "" {
		c.unreadable(field, f.bad)
	}
	return f.v
}

func (c *conv) ptr(field string, f flexInt) *int64 {
	if v := c.int(field, f); f.set {
		return &v
	}
	return nil
}

func (c *conv) duration(field string, f flexDuration) *int64 {
	if f.bad != "" {
		c.unreadable(field, f.bad)
	}
	if !f.set {
		return nil
	}
	v := f.v
	return &v
}

// timestamp reads a Unix timestamp, dropping any fraction of a second:
// whether UIS sends fractions is not documented.
func (c *conv) timestamp(field string, f flexString) int64 {
	s := strings.TrimSpace(c.text(field, f, maxNumber))
	if s == "" || s == "null" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 1<<53 {
		c.unreadable(field, badText(s))
		return 0
	}
	return int64(v)
}

// text returns a string field made safe to keep: valid UTF-8, without NUL,
// at most max characters; each repair is a warning.
func (c *conv) text(field string, f flexString, max int) string {
	if f.bad != "" {
		c.unreadable(field, f.bad)
		return ""
	}
	return c.clean(field, f.v, f.invalid, max)
}

func (c *conv) clean(field, s string, invalid bool, max int) string {
	s, nul, cut := CleanText(s, max)
	if invalid || nul {
		c.warn(field, ringdesk.WarnInvalidText, "")
	}
	if cut > 0 {
		c.warn(field, ringdesk.WarnCut, strconv.Itoa(cut))
	}
	return s
}

func (c *conv) bool(field string, f flexBool) bool {
	if f.bad != "" {
		c.unreadable(field, f.bad)
	}
	return f.v
}

func (c *conv) ints(field string, f flexInts) []int64 {
	if f.bad != "" {
		c.unreadable(field, f.bad)
	}
	if len(f.v) > maxList {
		c.warn(field, ringdesk.WarnCut, strconv.Itoa(len(f.v)))
		return f.v[:maxList]
	}
	return f.v
}

func (c *conv) strs(field string, f flexStrings, max int) []string {
	if f.bad != "" {
		c.unreadable(field, f.bad)
		return nil
	}
	v := f.v
	if len(v) > maxList {
		c.warn(field, ringdesk.WarnCut, strconv.Itoa(len(v)))
		v = v[:maxList]
	}
	for i := range v {
		v[i] = c.clean(field, v[i], f.invalid && i == 0, max)
	}
	return v
}

func (c *conv) time(field string, f flexTime) time.Time {
	t, ok := f.time(c.loc)
	if !ok {
		raw := f.bad
		if raw == "" {
			raw = badText(f.s)
		}
		c.unreadable(field, raw)
	}
	return t
}

// CleanText makes text from outside safe to keep and show: invalid UTF-8
// becomes U+FFFD, NUL characters are removed, and text longer than max
// characters is cut (with "…"). It returns whether NULs were removed and,
// when it cut, how many characters the text had.
func CleanText(s string, max int) (out string, nul bool, cut int) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s, nul = strings.ReplaceAll(s, "\x00", ""), true
	}
	if len(s) > max { // bytes >= runes: only then can it be too long
		if n := utf8.RuneCountInString(s); n > max {
			i := 0
			for j := range s {
				if i == max-1 {
					s, cut = s[:j]+"…", n
					break
				}
				i++
			}
		}
	}
	return s, nul, cut
}

func (c *conv) event(w *wireEvent) Event {
	return Event{
		Token:                     c.text("ud_channel_token", w.Token, maxLink),
		AppID:                     c.int("app_id", w.AppID),
		CallSessionID:             w.CallSessionID.v,
		CommunicationID:           c.int("communication_id", w.CommunicationID),
		CommunicationType:         c.text("communication_type", w.CommunicationType, maxText),
		CommunicationNumber:       c.ptr("communication_number", w.CommunicationNumber),
		CallSource:                c.text("call_source", w.CallSource, maxText),
		Direction:                 c.text("direction", w.Direction, maxText),
		CalledPhoneNumber:         c.text("called_phone_number", w.CalledPhoneNumber, maxNumber),
		CallingPhoneNumber:        c.text("calling_phone_number", w.CallingPhoneNumber, maxNumber),
		ContactPhoneNumber:        c.text("contact_phone_number", w.ContactPhoneNumber, maxNumber),
		VirtualPhoneNumber:        c.text("virtual_phone_number", w.VirtualPhoneNumber, maxNumber),
		ContactID:                 c.ptr("contact_id", w.ContactID),
		ContactFullName:           c.text("contact_full_name", w.ContactFullName, maxText),
		ContactGroupIDs:           c.ints("contact_group_ids", w.ContactGroupIDs),
		CPNRegionID:               c.ptr("cpn_region_id", w.CPNRegionID),
		CPNRegionName:             c.text("cpn_region_name", w.CPNRegionName, maxText),
		VisitorCountry:            c.text("visitor_country", w.VisitorCountry, maxText),
		TPProject:                 c.text("tp_project", w.TPProject, maxText),
		ExternalID:                c.text("external_id", w.ExternalID, maxText),
		NotificationMnemonic:      c.text("notification_mnemonic", w.NotificationMnemonic, maxText),
		NotificationName:          c.text("notification_name", w.NotificationName, maxText),
		NotificationTime:          c.time("notification_time", w.NotificationTime),
		NotificationTimestamp:     c.timestamp("notification_timestamp", w.NotificationTimestamp),
		ScenarioID:                c.ptr("scenario_id", w.ScenarioID),
		ScenarioName:              c.text("scenario_name", w.ScenarioName, maxText),
		ScenarioOperationIDs:      c.ints("scenario_operation_ids", w.ScenarioOperationIDs),
		ScenarioOperationNames:    c.strs("scenario_operation_names", w.ScenarioOperationNames, maxText),
		LastScenarioOperationID:   c.ptr("last_scenario_operation_id", w.LastScenarioOperationID),
		LastScenarioOperationName: c.text("last_scenario_operation_name", w.LastScenarioOperationName, maxText),
		EmployeeID:                c.ptr("employee_id", w.EmployeeID),
		EmployeeFullName:          c.text("employee_full_name", w.EmployeeFullName, maxText),
		EmployeePhoneNumber:       c.text("employee_phone_number", w.EmployeePhoneNumber, maxNumber),
		ExtensionPhoneNumber:      c.text("extension_phone_number", w.ExtensionPhoneNumber, maxNumber),
		EmployeeGroupIDs:          c.ints("employee_group_ids", w.EmployeeGroupIDs),
		EmployeeIDs:               c.ints("employee_ids", w.EmployeeIDs),
		EmployeeFullNames:         c.strs("employee_full_names", w.EmployeeFullNames, maxText),
		FirstAnsweredEmployeeID:   c.ptr("first_answered_employee_id", w.FirstAnsweredEmployeeID),
		FirstAnsweredEmployeeName: c.text("first_answered_employee_full_name", w.FirstAnsweredEmployeeFullName, maxText),
		FirstTalkedEmployeeID:     c.ptr("first_talked_employee_id", w.FirstTalkedEmployeeID),
		FirstTalkedEmployeeName:   c.text("first_talked_employee_full_name", w.FirstTalkedEmployeeFullName, maxText),
		LastAnsweredEmployeeID:    c.ptr("last_answered_employee_id", w.LastAnsweredEmployeeID),
		LastAnsweredEmployeeName:  c.text("last_answered_employee_full_name", w.LastAnsweredEmployeeFullName, maxText),
		LastTalkedEmployeeID:      c.ptr("last_talked_employee_id", w.LastTalkedEmployeeID),
		LastTalkedEmployeeName:    c.text("last_talked_employee_full_name", w.LastTalkedEmployeeFullName, maxText),
		NoAnsweredEmployeeNames:   c.strs("noanswered_employee_full_names", w.NoansweredEmployeeFullNames, maxText),
		TalkedEmployeeNames:       c.strs("talked_employee_full_names", w.TalkedEmployeeFullNames, maxText),
		GroupIDs:                  c.ints("group_ids", w.GroupIDs),
		TOCGroupIDs:               c.ints("toc_group_ids", w.TOCGroupIDs),
		LegIDs:                    c.ints("leg_ids", w.LegIDs),
		StartTime:                 c.time("start_time", w.StartTime),
		AnswerTime:                c.time("answer_time", w.AnswerTime),
		ConnectionTime:            c.time("connection_time", w.ConnectionTime),
		FinishTime:                c.time("finish_time", w.FinishTime),
		FinishReason:              c.text("finish_reason", w.FinishReason, maxText),
		IsLost:                    c.bool("is_lost", w.IsLost),
		LostReason:                c.text("lost_reason", w.LostReason, maxText),
		IsTransfer:                c.bool("is_transfer", w.IsTransfer),
		OperatorRating:            c.ptr("operator_rating", w.OperatorRating),
		CleanTalkTimeDuration:     c.duration("clean_talk_time_duration", w.CleanTalkTimeDuration),
		TalkTimeDuration:          c.duration("talk_time_duration", w.TalkTimeDuration),
		TotalTimeDuration:         c.duration("total_time_duration", w.TotalTimeDuration),
		TotalWaitTimeDuration:     c.duration("total_wait_time_duration", w.TotalWaitTimeDuration),
		WaitTimeDuration:          c.duration("wait_time_duration", w.WaitTimeDuration),
		PostprocessTimeDuration:   c.duration("postprocess_time_duration", w.PostprocessTimeDuration),
		RecordFileLinks:           c.strs("record_file_links", w.RecordFileLinks, maxLink),
		TagIDs:                    c.ints("tag_ids", w.TagIDs),
		TagNames:                  c.strs("tag_names", w.TagNames, maxText),
		FileLink:                  c.text("file_link", w.FileLink, maxLink),
		FileDuration:              c.duration("file_duration", w.FileDuration),
	}
}

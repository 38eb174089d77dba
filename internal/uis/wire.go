package uis

import (
	"strconv"
	"strings"
	"time"
)

// wireEvent mirrors the JSON keys of the templates. Decoding into it is the
// one pass over the body (see walk.go); every field tolerates UIS's loose
// typing. Keys match exactly: UIS writes them as the template does.
type wireEvent struct {
	Token                         flexString  `json:"ud_channel_token"`
	AnswerTime                    flexTime    `json:"answer_time"`
	AppID                         flexInt     `json:"app_id"`
	CallSessionID                 flexInt     `json:"call_session_id"`
	CallSource                    flexString  `json:"call_source"`
	CalledPhoneNumber             flexString  `json:"called_phone_number"`
	CallingPhoneNumber            flexString  `json:"calling_phone_number"`
	CleanTalkTimeDuration         flexInt     `json:"clean_talk_time_duration"`
	CommunicationID               flexInt     `json:"communication_id"`
	CommunicationType             flexString  `json:"communication_type"`
	ConnectionTime                flexTime    `json:"connection_time"`
	ContactFullName               flexString  `json:"contact_full_name"`
	ContactGroupIDs               flexInts    `json:"contact_group_ids"`
	ContactID                     flexInt     `json:"contact_id"`
	ContactPhoneNumber            flexString  `json:"contact_phone_number"`
	CPNRegionID                   flexInt     `json:"cpn_region_id"`
	CPNRegionName                 flexString  `json:"cpn_region_name"`
	Direction                     flexString  `json:"direction"`
	EmployeeFullName              flexString  `json:"employee_full_name"`
	EmployeeFullNames             flexStrings `json:"employee_full_names"`
	EmployeeGroupIDs              flexInts    `json:"employee_group_ids"`
	EmployeeID                    flexInt     `json:"employee_id"`
	EmployeeIDs                   flexInts    `json:"employee_ids"`
	EmployeePhoneNumber           flexString  `json:"employee_phone_number"`
	ExtensionPhoneNumber          flexString  `json:"extension_phone_number"`
	ExternalID                    flexString  `json:"external_id"`
	FinishReason                  flexString  `json:"finish_reason"`
	FinishTime                    flexTime    `json:"finish_time"`
	FirstAnsweredEmployeeFullName flexString  `json:"first_answered_employee_full_name"`
	FirstAnsweredEmployeeID       flexInt     `json:"first_answered_employee_id"`
	FirstTalkedEmployeeFullName   flexString  `json:"first_talked_employee_full_name"`
	FirstTalkedEmployeeID         flexInt     `json:"first_talked_employee_id"`
	GroupIDs                      flexInts    `json:"group_ids"`
	IsLost                        flexBool    `json:"is_lost"`
	IsTransfer                    flexBool    `json:"is_transfer"`
	LastAnsweredEmployeeFullName  flexString  `json:"last_answered_employee_full_name"`
	LastAnsweredEmployeeID        flexInt     `json:"last_answered_employee_id"`
	LastScenarioOperationID       flexInt     `json:"last_scenario_operation_id"`
	LastScenarioOperationName     flexString  `json:"last_scenario_operation_name"`
	LastTalkedEmployeeFullName    flexString  `json:"last_talked_employee_full_name"`
	LastTalkedEmployeeID          flexInt     `json:"last_talked_employee_id"`
	LegIDs                        flexInts    `json:"leg_ids"`
	LostReason                    flexString  `json:"lost_reason"`
	NoansweredEmployeeFullNames   flexStrings `json:"noanswered_employee_full_names"`
	NotificationMnemonic          flexString  `json:"notification_mnemonic"`
	NotificationName              flexString  `json:"notification_name"`
	NotificationTime              flexTime    `json:"notification_time"`
	NotificationTimestamp         flexString  `json:"notification_timestamp"`
	OperatorRating                flexInt     `json:"operator_rating"`
	PostprocessTimeDuration       flexInt     `json:"postprocess_time_duration"`
	RecordFileLinks               flexStrings `json:"record_file_links"`
	ScenarioID                    flexInt     `json:"scenario_id"`
	ScenarioName                  flexString  `json:"scenario_name"`
	ScenarioOperationIDs          flexInts    `json:"scenario_operation_ids"`
	ScenarioOperationNames        flexStrings `json:"scenario_operation_names"`
	StartTime                     flexTime    `json:"start_time"`
	TagIDs                        flexInts    `json:"tag_ids"`
	TagNames                      flexStrings `json:"tag_names"`
	TalkTimeDuration              flexInt     `json:"talk_time_duration"`
	TalkedEmployeeFullNames       flexStrings `json:"talked_employee_full_names"`
	TOCGroupIDs                   flexInts    `json:"toc_group_ids"`
	TotalTimeDuration             flexInt     `json:"total_time_duration"`
	TotalWaitTimeDuration         flexInt     `json:"total_wait_time_duration"`
	TPProject                     flexString  `json:"tp_project"`
	VirtualPhoneNumber            flexString  `json:"virtual_phone_number"`
	VisitorCountry                flexString  `json:"visitor_country"`
	WaitTimeDuration              flexInt     `json:"wait_time_duration"`
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

// conv turns wire fields into Go values and remembers the first problem.
type conv struct {
	loc *time.Location
	err *ParseError
}

func (c *conv) fail(field, reason string) {
	if c.err == nil {
		c.err = &ParseError{Field: field, Reason: reason}
	}
}

func (c *conv) bad(field, want, raw string) {
	c.fail(field, "cannot parse "+strconv.Quote(raw)+" as "+want)
}

func (c *conv) int(field string, f flexInt) int64 {
	if f.bad != "" {
		c.bad(field, "an integer", f.bad)
	}
	return f.v
}

// timestamp reads a Unix timestamp, dropping any fraction of a second:
// whether UIS sends fractions is not documented.
func (c *conv) timestamp(field string, f flexString) int64 {
	s := strings.TrimSpace(c.str(field, f))
	if s == "" || s == "null" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 1<<53 {
		c.bad(field, "a Unix timestamp", s)
		return 0
	}
	return int64(v)
}

func (c *conv) ptr(field string, f flexInt) *int64 {
	if v := c.int(field, f); f.set {
		return &v
	}
	return nil
}

func (c *conv) str(field string, f flexString) string {
	if f.bad != "" {
		c.bad(field, "a string", f.bad)
	}
	return f.v
}

func (c *conv) bool(field string, f flexBool) bool {
	if f.bad != "" {
		c.bad(field, "a boolean", f.bad)
	}
	return f.v
}

func (c *conv) ints(field string, f flexInts) []int64 {
	if f.bad != "" {
		c.bad(field, "a list of integers", f.bad)
	}
	return f.v
}

func (c *conv) strs(field string, f flexStrings) []string {
	if f.bad != "" {
		c.bad(field, "a list of strings", f.bad)
	}
	return f.v
}

func (c *conv) time(field string, f flexTime) time.Time {
	t, ok := f.time(c.loc)
	if !ok {
		raw := f.bad
		if raw == "" {
			raw = f.s
		}
		c.fail(field, "cannot parse "+strconv.Quote(raw))
	}
	return t
}

func (c *conv) event(w *wireEvent) Event {
	return Event{
		Token:                     c.str("ud_channel_token", w.Token),
		AppID:                     c.int("app_id", w.AppID),
		CallSessionID:             c.int("call_session_id", w.CallSessionID),
		CommunicationID:           c.int("communication_id", w.CommunicationID),
		CommunicationType:         c.str("communication_type", w.CommunicationType),
		CallSource:                c.str("call_source", w.CallSource),
		Direction:                 c.str("direction", w.Direction),
		CalledPhoneNumber:         c.str("called_phone_number", w.CalledPhoneNumber),
		CallingPhoneNumber:        c.str("calling_phone_number", w.CallingPhoneNumber),
		ContactPhoneNumber:        c.str("contact_phone_number", w.ContactPhoneNumber),
		VirtualPhoneNumber:        c.str("virtual_phone_number", w.VirtualPhoneNumber),
		ContactID:                 c.ptr("contact_id", w.ContactID),
		ContactFullName:           c.str("contact_full_name", w.ContactFullName),
		ContactGroupIDs:           c.ints("contact_group_ids", w.ContactGroupIDs),
		CPNRegionID:               c.ptr("cpn_region_id", w.CPNRegionID),
		CPNRegionName:             c.str("cpn_region_name", w.CPNRegionName),
		VisitorCountry:            c.str("visitor_country", w.VisitorCountry),
		TPProject:                 c.str("tp_project", w.TPProject),
		ExternalID:                c.str("external_id", w.ExternalID),
		NotificationMnemonic:      c.str("notification_mnemonic", w.NotificationMnemonic),
		NotificationName:          c.str("notification_name", w.NotificationName),
		NotificationTime:          c.time("notification_time", w.NotificationTime),
		NotificationTimestamp:     c.timestamp("notification_timestamp", w.NotificationTimestamp),
		ScenarioID:                c.ptr("scenario_id", w.ScenarioID),
		ScenarioName:              c.str("scenario_name", w.ScenarioName),
		ScenarioOperationIDs:      c.ints("scenario_operation_ids", w.ScenarioOperationIDs),
		ScenarioOperationNames:    c.strs("scenario_operation_names", w.ScenarioOperationNames),
		LastScenarioOperationID:   c.ptr("last_scenario_operation_id", w.LastScenarioOperationID),
		LastScenarioOperationName: c.str("last_scenario_operation_name", w.LastScenarioOperationName),
		EmployeeID:                c.ptr("employee_id", w.EmployeeID),
		EmployeeFullName:          c.str("employee_full_name", w.EmployeeFullName),
		EmployeePhoneNumber:       c.str("employee_phone_number", w.EmployeePhoneNumber),
		ExtensionPhoneNumber:      c.str("extension_phone_number", w.ExtensionPhoneNumber),
		EmployeeGroupIDs:          c.ints("employee_group_ids", w.EmployeeGroupIDs),
		EmployeeIDs:               c.ints("employee_ids", w.EmployeeIDs),
		EmployeeFullNames:         c.strs("employee_full_names", w.EmployeeFullNames),
		FirstAnsweredEmployeeID:   c.ptr("first_answered_employee_id", w.FirstAnsweredEmployeeID),
		FirstAnsweredEmployeeName: c.str("first_answered_employee_full_name", w.FirstAnsweredEmployeeFullName),
		FirstTalkedEmployeeID:     c.ptr("first_talked_employee_id", w.FirstTalkedEmployeeID),
		FirstTalkedEmployeeName:   c.str("first_talked_employee_full_name", w.FirstTalkedEmployeeFullName),
		LastAnsweredEmployeeID:    c.ptr("last_answered_employee_id", w.LastAnsweredEmployeeID),
		LastAnsweredEmployeeName:  c.str("last_answered_employee_full_name", w.LastAnsweredEmployeeFullName),
		LastTalkedEmployeeID:      c.ptr("last_talked_employee_id", w.LastTalkedEmployeeID),
		LastTalkedEmployeeName:    c.str("last_talked_employee_full_name", w.LastTalkedEmployeeFullName),
		NoAnsweredEmployeeNames:   c.strs("noanswered_employee_full_names", w.NoansweredEmployeeFullNames),
		TalkedEmployeeNames:       c.strs("talked_employee_full_names", w.TalkedEmployeeFullNames),
		GroupIDs:                  c.ints("group_ids", w.GroupIDs),
		TOCGroupIDs:               c.ints("toc_group_ids", w.TOCGroupIDs),
		LegIDs:                    c.ints("leg_ids", w.LegIDs),
		StartTime:                 c.time("start_time", w.StartTime),
		AnswerTime:                c.time("answer_time", w.AnswerTime),
		ConnectionTime:            c.time("connection_time", w.ConnectionTime),
		FinishTime:                c.time("finish_time", w.FinishTime),
		FinishReason:              c.str("finish_reason", w.FinishReason),
		IsLost:                    c.bool("is_lost", w.IsLost),
		LostReason:                c.str("lost_reason", w.LostReason),
		IsTransfer:                c.bool("is_transfer", w.IsTransfer),
		OperatorRating:            c.ptr("operator_rating", w.OperatorRating),
		CleanTalkTimeDuration:     c.int("clean_talk_time_duration", w.CleanTalkTimeDuration),
		TalkTimeDuration:          c.int("talk_time_duration", w.TalkTimeDuration),
		TotalTimeDuration:         c.int("total_time_duration", w.TotalTimeDuration),
		TotalWaitTimeDuration:     c.int("total_wait_time_duration", w.TotalWaitTimeDuration),
		WaitTimeDuration:          c.int("wait_time_duration", w.WaitTimeDuration),
		PostprocessTimeDuration:   c.int("postprocess_time_duration", w.PostprocessTimeDuration),
		RecordFileLinks:           c.strs("record_file_links", w.RecordFileLinks),
		TagIDs:                    c.ints("tag_ids", w.TagIDs),
		TagNames:                  c.strs("tag_names", w.TagNames),
	}
}

package uissim

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// report describes one Data API get method: its fields, which are returned by default, which
// may be filtered and sorted, and where its rows come from.
type report struct {
	all, defaults, filterable, sortable []string
	dated                               bool
	extra                               []pspec
	rows                                func(q reportQuery) []map[string]any
	// defaultsFrom, when it returns a non-empty list, replaces defaults (a behaviour knob).
	defaultsFrom func(Behaviour) []string
	// rename gives a field another name in the answer (a behaviour knob); "" keeps it.
	rename func(Behaviour) map[string]string
	// unknown names fields the account's report does not know (a behaviour knob): asked
	// for in fields, filter or sort they are refused as unexpected.
	unknown func(Behaviour) []string
	// omitted names fields the report accepts in fields but leaves out of its rows (a
	// behaviour knob).
	omitted func(Behaviour) []string
	// prohibited names fields a filter may not name on this account (a behaviour knob):
	// refused as filter_prohibited.
	prohibited func(Behaviour) []string
}

type reportQuery struct {
	from, till time.Time
	ongoing    bool
}

const (
	defaultLimit = 1000
	maxLimit     = 10000
	maxOffset    = 100000
)

func (s *Simulator) dataAPIMethods() map[string]rpcMethod {
	get := func(rp report) rpcMethod {
		return rpcMethod{component: ComponentDataAPI, handle: func(rc *rpcContext) (any, *rpcError) { return s.runReport(rc, rp) }}
	}
	return map[string]rpcMethod{
		"login.user":           {public: true, handle: s.loginUser},
		"logout.user":          {handle: s.logoutUser},
		"get.account":          {component: ComponentDataAPI, handle: s.getAccount},
		"get.employees":        get(s.employeesReport()),
		"get.group_employees":  get(s.groupEmployeesReport()),
		"get.virtual_numbers":  get(s.virtualNumbersReport()),
		"get.calls_report":     get(s.callsReport()),
		"get.call_legs_report": get(s.legsReport()),
	}
}

func (s *Simulator) getAccount(rc *rpcContext) (any, *rpcError) {
	spec := []pspec{{name: "access_token", typ: tString, required: true}, {name: "user_id", typ: tInt}}
	if e := checkParams(rc.req.Params, spec, ""); e != nil {
		return nil, e
	}
	return []any{map[string]any{"app_id": s.acct.AppID, "name": s.acct.Name, "timezone": s.acct.Timezone}}, nil
}

func (s *Simulator) runReport(rc *rpcContext, rp report) (any, *rpcError) {
	spec := []pspec{
		{name: "access_token", typ: tString, required: true}, {name: "user_id", typ: tInt},
		{name: "limit", typ: tInt}, {name: "offset", typ: tInt}, {name: "filter", typ: tObject},
		{name: "fields", typ: tArray}, {name: "sort", typ: tArray},
	}
	if rp.dated {
		spec = append(spec, pspec{name: "date_from", typ: tString, required: true}, pspec{name: "date_till", typ: tString, required: true})
	}
	spec = append(spec, rp.extra...)
	if e := checkParams(rc.req.Params, spec, ""); e != nil {
		return nil, e
	}
	a := args(rc.req.Params)
	var q reportQuery
	if rp.dated {
		var e *rpcError
		if q, e = s.parseDates(a); e != nil {
			return nil, e
		}
		q.ongoing = a.boolean("include_ongoing_calls")
	}
	beh := s.behaviour()
	if rp.unknown != nil {
		if gone := rp.unknown(beh); len(gone) > 0 {
			known := func(fields []string) []string {
				return slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return slices.Contains(gone, f) })
			}
			rp.all, rp.filterable, rp.sortable = known(rp.all), known(rp.filterable), known(rp.sortable)
		}
	}
	if rp.prohibited != nil {
		if no := rp.prohibited(beh); len(no) > 0 {
			rp.filterable = slices.DeleteFunc(slices.Clone(rp.filterable), func(f string) bool { return slices.Contains(no, f) })
		}
	}
	limit, offset := int64(min(defaultLimit, beh.ReportMaxLimit)), int64(0)
	if a.has("limit") {
		if limit = a.int("limit"); limit < 0 || limit > int64(beh.ReportMaxLimit) {
			return nil, errInvalidValue("limit", limit)
		}
	}
	if a.has("offset") {
		if offset = a.int("offset"); offset < 0 || offset > int64(beh.ReportMaxOffset) {
			return nil, errInvalidValue("offset", offset)
		}
	}
	fields := rp.defaults
	if rp.defaultsFrom != nil {
		if d := rp.defaultsFrom(beh); len(d) > 0 {
			fields = d
		}
	}
	if a.has("fields") {
		var e *rpcError
		if fields, e = parseFields(a["fields"], rp.all); e != nil {
			return nil, e
		}
	}
	var pred rowPred
	if a.has("filter") {
		var e *rpcError
		if pred, e = compileFilter(a["filter"], rp.all, rp.filterable); e != nil {
			return nil, e
		}
	}
	less, e := parseSort(a["sort"], rp.all, rp.sortable)
	if e != nil {
		return nil, e
	}
	rows := rp.rows(q)
	if pred != nil {
		rows = slices.DeleteFunc(rows, func(r map[string]any) bool { return !pred(r) })
	}
	if less != nil {
		slices.SortStableFunc(rows, less)
	} else if beh.ReportOrder == ReportOrderShuffled {
		s.mu.Lock()
		s.rng.Shuffle(len(rows), func(i, k int) { rows[i], rows[k] = rows[k], rows[i] })
		s.mu.Unlock()
	}
	total := len(rows)
	rc.total = &total
	rows = rows[min(int(offset), len(rows)):]
	rows = rows[:min(int(limit), len(rows))]
	var names map[string]string
	if rp.rename != nil {
		names = rp.rename(beh)
	}
	if rp.omitted != nil {
		omit := rp.omitted(beh)
		fields = slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return slices.Contains(omit, f) })
	}
	out := make([]any, 0, len(rows))
	for _, r := range rows {
		m := make(map[string]any, len(fields))
		for _, f := range fields {
			name := f
			if n := names[f]; n != "" {
				name = n
			}
			m[name] = jsonValue(r[f])
		}
		out = append(out, m)
	}
	return out, nil
}

// jsonValue makes empty lists [] (the Data API returns empty arrays, not null).
func jsonValue(v any) any {
	switch x := v.(type) {
	case []int64:
		if x == nil {
			return []int64{}
		}
	case []string:
		if x == nil {
			return []string{}
		}
	case []any:
		if x == nil {
			return []any{}
		}
	}
	return v
}

func (s *Simulator) parseDates(a args) (reportQuery, *rpcError) {
	var q reportQuery
	var err error
	if q.from, err = time.ParseInLocation(layoutData, a.str("date_from"), s.tz); err != nil {
		return q, errInvalidValue("date_from", a.str("date_from"))
	}
	if q.till, err = time.ParseInLocation(layoutData, a.str("date_till"), s.tz); err != nil {
		return q, errInvalidValue("date_till", a.str("date_till"))
	}
	if q.from.After(q.till) {
		return q, errInvalidValue("date_from", a.str("date_from"))
	}
	limit := q.from.AddDate(0, 3, 0)
	if d := time.Duration(s.behaviour().ReportMaxInterval); d > 0 {
		limit = q.from.Add(d)
	}
	if limit.Before(q.till) {
		return q, newErr(-32602, "date_interval_limit_reached", "Max value of requested date interval is 3 months")
	}
	return q, nil
}

func parseFields(raw json.RawMessage, all []string) ([]string, *rpcError) {
	var list []any
	json.Unmarshal(raw, &list)
	var out []string
	for _, f := range list {
		name, ok := f.(string)
		if !ok {
			return nil, errDataType("fields", rawValue(raw))
		}
		if !slices.Contains(all, name) {
			return nil, errUnexpected("fields", name)
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out, nil
}

func parseSort(raw json.RawMessage, all, sortable []string) (func(a, b map[string]any) int, *rpcError) {
	if raw == nil || isNullRaw(raw) {
		return nil, nil
	}
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, errDataType("sort", rawValue(raw))
	}
	type key struct {
		field string
		desc  bool
	}
	var keys []key
	for _, item := range list {
		if e := checkParams(item, []pspec{{name: "field", typ: tString, required: true}, {name: "order", typ: tString}}, "sort."); e != nil {
			return nil, e
		}
		a := args(item)
		f, order := a.str("field"), a.str("order")
		if !slices.Contains(all, f) {
			return nil, errUnexpected("sort.field", f)
		}
		if !slices.Contains(sortable, f) {
			return nil, newErr(-32602, "sort_prohibited", "Sort by parameter is prohibited").withField("sort.field", f)
		}
		if order != "" && order != "asc" && order != "desc" {
			return nil, errInvalidValue("sort.order", order)
		}
		keys = append(keys, key{f, order == "desc"})
	}
	return func(x, y map[string]any) int {
		for _, k := range keys {
			c, ok := compare(normalizeJSON(x[k.field]), normalizeJSON(y[k.field]))
			if !ok {
				// nulls sort first, as in PostgreSQL's ASC NULLS FIRST
				c = boolInt(x[k.field] != nil) - boolInt(y[k.field] != nil)
			}
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	}, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

var callsReportAll = []string{
	"id", "start_time", "finish_time", "finish_reason", "direction", "source", "is_lost", "communication_id",
	"communication_type", "communication_number", "contact_phone_number", "virtual_phone_number", "cpn_region_id",
	"cpn_region_name", "cpn_country_id", "cpn_country_name", "wait_duration", "total_wait_duration", "talk_duration", "clean_talk_duration", "total_duration",
	"postprocess_duration", "call_records", "wav_call_records", "full_record_file_link", "voice_mail_records",
	"is_transfer", "tags", "employees", "last_answered_employee_id", "last_answered_employee_full_name",
	"first_answered_employee_id", "first_answered_employee_full_name", "first_talked_employee_id",
	"first_talked_employee_full_name", "last_talked_employee_id", "last_talked_employee_full_name",
	"operator_phone_number", "scenario_id", "scenario_name", "call_api_request_id", "call_api_external_id",
	"contact_id", "contact_full_name", "campaign_id", "lost_call_processing_duration",
}

func (s *Simulator) callsReport() report {
	return report{
		all: callsReportAll, dated: true, extra: []pspec{{name: "include_ongoing_calls", typ: tBool}},
		defaults: []string{"id", "start_time", "finish_time", "finish_reason", "direction", "source", "is_lost",
			"communication_id", "communication_type", "contact_phone_number", "virtual_phone_number", "cpn_region_id",
			"cpn_region_name", "cpn_country_id", "cpn_country_name", "wait_duration", "total_wait_duration", "talk_duration", "clean_talk_duration",
			"total_duration", "call_records", "wav_call_records", "full_record_file_link"},
		filterable: slices.DeleteFunc(slices.Clone(callsReportAll), func(f string) bool {
			return slices.Contains([]string{"start_time", "finish_time", "communication_type", "call_records", "wav_call_records", "full_record_file_link", "voice_mail_records"}, f)
		}),
		sortable: []string{"start_time", "finish_reason", "direction", "source", "is_lost", "communication_number",
			"virtual_phone_number", "cpn_region_id", "cpn_region_name", "cpn_country_id", "cpn_country_name", "is_transfer", "scenario_id",
			"lost_call_processing_duration"},
		rows: s.callRows,
		unknown: func(b Behaviour) []string {
			if b.LostCallProcessing == LostProcessingRefused {
				return []string{"lost_call_processing_duration"}
			}
			return nil
		},
		prohibited: func(b Behaviour) []string { return b.CallsReportUnfilterable },
		omitted: func(b Behaviour) []string {
			if b.LostCallProcessing == LostProcessingIgnored {
				return []string{"lost_call_processing_duration"}
			}
			return nil
		},
	}
}

// reportCallsLocked returns the calls a report covers: finished ones (and ongoing ones when
// asked) that started within the period, oldest first. The bounds are inclusive unless
// Behaviour.ReportExclusiveBounds.
func (s *Simulator) reportCallsLocked(q reportQuery) []*call {
	var out []*call
	excl := s.acct.Behaviour.ReportExclusiveBounds
	for _, id := range s.callOrder {
		c := s.calls[id]
		start := c.start.Truncate(time.Second) // the report's dates have whole seconds
		if (!c.finished && !q.ongoing) || start.Before(q.from) || start.After(q.till) ||
			excl && (start.Equal(q.from) || start.Equal(q.till)) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// country is the contact number's country as cpn_country_id (a string) and cpn_country_name.
func country(num string) (any, any) {
	switch {
	case strings.HasPrefix(num, "77"):
		return "398", "Казахстан"
	case strings.HasPrefix(num, "7"):
		return "643", "Россия"
	}
	return nil, nil
}

func (s *Simulator) callRows(q reportQuery) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	base := s.mediaBaseLocked()
	lostProcessing := s.lostProcessingLocked()
	var rows []map[string]any
	for _, c := range s.reportCallsLocked(q) {
		st := c.stats()
		regID, regName := region(c.contact)
		countryID, countryName := country(c.contact)
		var hashes []string
		for _, t := range c.talks {
			hashes = append(hashes, t.hash)
		}
		var full any
		if len(hashes) > 0 {
			full = mergedURL(base, c.id, hashes[0])
		}
		emps := []any{}
		for _, e := range st.involved {
			emps = append(emps, map[string]any{"employee_id": e.ID, "employee_full_name": e.FullName(),
				"is_answered": st.firstAnswered != nil && answeredBy(c, e.ID), "is_talked": slices.Contains(st.talkedNames, e.FullName())})
		}
		tags := []any{}
		for _, id := range c.tagIDs {
			tags = append(tags, map[string]any{"tag_id": id, "tag_name": strings.Join(s.acct.tagNames([]int64{id}), ""), "tag_type": "manual",
				"tag_change_time": c.timeAt(c.finishAt).Format(layoutData), "tag_user_id": nil, "tag_user_login": nil,
				"tag_employee_id": nil, "tag_employee_full_name": nil})
		}
		var opPhone any
		if n := len(c.talks); n > 0 {
			opPhone = c.talks[n-1].phone
		}
		var scID, scName any
		if !c.outgoing {
			scID, scName = nullID(c.vnum.ScenarioID), nullStr(c.vnum.ScenarioName)
		}
		row := map[string]any{
			"id": c.id, "start_time": c.start.Format(layoutData), "finish_time": c.timeAt(c.finishAt).Format(layoutData),
			"finish_reason": c.finishRsn, "direction": c.direction, "source": c.source, "is_lost": st.lost,
			"communication_id": c.id, "communication_type": "call", "communication_number": nil,
			"contact_phone_number": c.contact, "virtual_phone_number": c.vnum.Number, "cpn_region_id": regID,
			"cpn_region_name": regName, "cpn_country_id": countryID, "cpn_country_name": countryName,
			"wait_duration": st.wait, "total_wait_duration": st.totalWait,
			"talk_duration": st.talk, "clean_talk_duration": st.cleanTalk, "total_duration": st.total,
			"postprocess_duration": int64(0), "call_records": hashes, "wav_call_records": hashes,
			"full_record_file_link": full, "voice_mail_records": []string{}, "is_transfer": c.isTransfer(),
			"tags": tags, "employees": emps,
			"last_answered_employee_id": empID(st.lastAnswered), "last_answered_employee_full_name": empName(st.lastAnswered),
			"first_answered_employee_id": empID(st.firstAnswered), "first_answered_employee_full_name": empName(st.firstAnswered),
			"first_talked_employee_id": empID(st.firstTalked), "first_talked_employee_full_name": empName(st.firstTalked),
			"last_talked_employee_id": empID(st.lastTalked), "last_talked_employee_full_name": empName(st.lastTalked),
			"operator_phone_number": opPhone, "scenario_id": scID, "scenario_name": scName,
			"call_api_request_id": nullID(c.apiReqID), "call_api_external_id": nullStr(c.externalID),
			"contact_id": nullID(c.contactID), "contact_full_name": nullStr(c.contactName), "campaign_id": int64(-1),
			"lost_call_processing_duration": nil,
		}
		if v, ok := lostProcessing[c.id]; ok {
			row["lost_call_processing_duration"] = v
		}
		if !c.finished {
			s.ongoingRowLocked(c, row)
		}
		rows = append(rows, row)
	}
	return rows
}

// lostProcessingLocked is lost_call_processing_duration of every lost call called back, by
// call id: whole seconds from the end of the lost call to the start of the first finished
// call with the same contact number, in or out, that started after the lost call did and
// that an employee talked on (0 when it started before the lost call ended). A lost call
// not called back (yet) has none (null in the report).
func (s *Simulator) lostProcessingLocked() map[int64]int64 {
	out := map[int64]int64{}
	waiting := map[string][]*call{} // per contact, lost calls not called back yet, oldest first
	for _, id := range s.callOrder {
		c := s.calls[id]
		if !c.finished {
			continue
		}
		if answered := len(c.talks) > 0; answered {
			for _, m := range waiting[c.contact] {
				if m.start.Before(c.start) || m.start.Equal(c.start) && m.id < c.id {
					out[m.id] = max(int64(c.start.Sub(m.timeAt(m.finishAt))/time.Second), 0)
				}
			}
			waiting[c.contact] = slices.DeleteFunc(waiting[c.contact], func(m *call) bool { _, done := out[m.id]; return done })
			continue
		}
		if c.stats().lost {
			waiting[c.contact] = append(waiting[c.contact], c)
		}
	}
	return out
}

// ongoingRowLocked rewrites a report row of a call in progress (include_ongoing_calls): no
// finish time or reason, durations so far, no recordings yet.
func (s *Simulator) ongoingRowLocked(c *call, row map[string]any) {
	e := min(s.elapsed(c), c.finishAt)
	row["finish_time"], row["finish_reason"], row["is_lost"] = nil, nil, false
	row["total_duration"], row["wait_duration"], row["total_wait_duration"] = secs(e), secs(e), secs(e)
	row["talk_duration"], row["clean_talk_duration"] = int64(0), int64(0)
	if len(c.talks) > 0 && c.talks[0].at <= e {
		row["wait_duration"] = secs(c.talks[0].at)
		row["talk_duration"] = secs(e - c.talks[0].at)
		row["clean_talk_duration"] = row["talk_duration"]
		row["total_wait_duration"] = secs(c.talks[0].at)
	}
	row["call_records"], row["wav_call_records"], row["full_record_file_link"] = []string{}, []string{}, nil
}

func answeredBy(c *call, empID int64) bool {
	for _, l := range c.legs {
		if l.employee != nil && l.employee.ID == empID && l.answerAt >= 0 {
			return true
		}
	}
	return false
}

var legsReportAll = []string{
	"id", "call_session_id", "call_records", "wav_call_records", "start_time", "connect_time", "duration", "total_duration",
	"finish_reason", "virtual_phone_number", "calling_phone_number", "called_phone_number", "direction", "is_transfered",
	"is_operator", "employee_id", "employee_full_name", "employee_phone_number", "is_failed", "is_talked",
	"contact_id", "contact_full_name", "contact_phone_number",
}

func (s *Simulator) legsReport() report {
	return report{
		all: legsReportAll, defaults: legsReportAll, dated: true,
		filterable: slices.DeleteFunc(slices.Clone(legsReportAll), func(f string) bool {
			return f == "call_records" || f == "wav_call_records"
		}),
		sortable: []string{"id", "call_session_id", "start_time", "duration", "total_duration"},
		rows:     s.legRows,
	}
}

func (s *Simulator) legRows(q reportQuery) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var rows []map[string]any
	for _, c := range s.reportCallsLocked(q) {
		for _, l := range c.legs {
			var connect any
			dur := int64(0)
			if l.answerAt >= 0 {
				connect = c.timeAt(l.answerAt).Format(layoutData)
				dur = secs(l.endAt - l.answerAt)
			}
			records := []string{}
			talked := false
			for _, t := range c.talks {
				if slices.Contains(t.legIDs, l.id) {
					talked = true
					if l.employee != nil {
						records = append(records, t.hash)
					}
				}
			}
			var phone any
			if l.employee != nil {
				phone = l.phone
			}
			rows = append(rows, map[string]any{
				"id": l.id, "call_session_id": c.id, "call_records": records, "wav_call_records": records,
				"start_time": c.timeAt(l.dialAt).Format(layoutData), "connect_time": connect, "duration": dur,
				"total_duration": secs(l.endAt - l.dialAt), "finish_reason": l.finishReason,
				"virtual_phone_number": c.vnum.Number, "calling_phone_number": l.calling, "called_phone_number": l.called,
				"direction": l.direction, "is_transfered": l.transfer, "is_operator": l.employee != nil,
				"employee_id": empID(l.employee), "employee_full_name": empName(l.employee), "employee_phone_number": phone,
				"is_failed": l.employee != nil && l.answerAt < 0, "is_talked": talked,
				"contact_id": nullID(c.contactID), "contact_full_name": nullStr(c.contactName), "contact_phone_number": c.contact,
			})
		}
	}
	return rows
}

var employeesAll = []string{"id", "login", "first_name", "last_name", "patronymic", "full_name", "email", "status",
	"status_id", "calls_available", "call_recording", "schedule_id", "schedule_name", "coach", "groups", "phone_numbers",
	"extension", "operator"}

func (s *Simulator) employeesReport() report {
	return report{
		all: employeesAll, defaults: employeesAll, defaultsFrom: func(b Behaviour) []string { return b.EmployeeDefaultFields },
		filterable: []string{"id", "login", "first_name", "last_name", "full_name", "email", "status", "status_id",
			"calls_available", "call_recording", "schedule_id", "schedule_name", "coach", "groups", "phone_numbers", "extension"},
		sortable: []string{"login", "first_name", "last_name", "patronymic", "full_name", "calls_available"},
		rows:     func(reportQuery) []map[string]any { return s.employeeRows() },
	}
}

// accountEmployees are the employees get.employees lists: the account's own and, on a shared
// account, the other business's (it is the same UIS account, so its staff is listed too).
func (s *Simulator) accountEmployees() ([]Employee, Behaviour) {
	s.mu.Lock()
	defer s.mu.Unlock()
	emps := slices.Clone(s.acct.Employees)
	if s.acct.Behaviour.SharedAccount != nil {
		fe := foreignEmployee
		fe.Status = "available"
		emps = append(emps, fe)
	}
	return emps, s.acct.Behaviour
}

func (s *Simulator) employeeRows() []map[string]any {
	emps, beh := s.accountEmployees()
	var rows []map[string]any
	for _, e := range emps {
		phones := []any{}
		for _, p := range e.PhoneNumbers {
			st := "active"
			if p.Inactive {
				st = "inactive"
			}
			phones = append(phones, map[string]any{"phone_id": p.ID, "phone_number": p.Number, "channels_count": 1, "dial_time": 60, "status": st})
		}
		groups := []any{}
		for _, id := range e.GroupIDs {
			g, _ := s.acct.employeeGroup(id) // a group the account does not define has no name (null)
			groups = append(groups, map[string]any{"group_id": id, "group_name": nullStr(g.Name)})
		}
		var ext any
		switch {
		case e.Extension != "":
			ext = map[string]any{"extension_phone_number": e.Extension, "extension_voice_mail_enabled": false, "extension_queue_enabled": false}
		case beh.EmployeeNoExtension == "object":
			ext = map[string]any{"extension_phone_number": nil, "extension_voice_mail_enabled": nil, "extension_queue_enabled": nil}
		}
		rows = append(rows, map[string]any{"id": e.ID, "login": nullStr(e.Login), "first_name": e.FirstName,
			"last_name": e.LastName, "patronymic": nullStr(e.Patronymic), "full_name": e.FullName(),
			"email": nullStr(e.Email), "status": e.Status, "status_id": employeeStatuses[e.Status],
			"calls_available": e.Status == "available", "call_recording": "all", "schedule_id": nil, "schedule_name": nil,
			"coach": nil, "groups": groups, "phone_numbers": phones, "extension": ext, "operator": nil})
	}
	return rows
}

var groupEmployeesAll = []string{"id", "name", "members", "phone_numbers", "group_phone_number", "queue_enabled", "channels_count"}

// groupEmployeesReport is get.group_employees: the account's employee groups with their
// members and the members' numbers in dialling order.
func (s *Simulator) groupEmployeesReport() report {
	return report{
		all: groupEmployeesAll, defaults: groupEmployeesAll,
		filterable: []string{"id", "name", "phone_numbers", "group_phone_number", "queue_enabled", "channels_count"},
		sortable:   []string{"name", "group_phone_number"},
		rows:       func(reportQuery) []map[string]any { return s.groupRows() },
		rename: func(b Behaviour) map[string]string {
			return map[string]string{"phone_numbers": b.GroupPhonesField}
		},
	}
}

func (s *Simulator) groupRows() []map[string]any {
	emps, _ := s.accountEmployees()
	s.mu.Lock()
	groups := slices.Clone(s.acct.EmployeeGroups)
	s.mu.Unlock()
	var rows []map[string]any
	for _, g := range groups {
		members, phones := []any{}, []any{}
		for _, e := range emps {
			if !slices.Contains(e.GroupIDs, g.ID) {
				continue
			}
			members = append(members, map[string]any{"employee_id": e.ID, "employee_full_name": e.FullName()})
			for _, p := range e.PhoneNumbers {
				phones = append(phones, map[string]any{"employee_phone_number": p.Number, "employee_phone_number_id": p.ID,
					"employee_full_name": e.FullName(), "employee_id": e.ID, "available": !p.Inactive})
			}
		}
		rows = append(rows, map[string]any{"id": g.ID, "name": g.Name, "members": members, "phone_numbers": phones,
			"group_phone_number": nullStr(g.PhoneNumber), "queue_enabled": g.QueueEnabled, "channels_count": g.ChannelsCount})
	}
	return rows
}

var virtualNumbersAll = []string{"id", "virtual_phone_number", "name", "comment", "status", "category", "type",
	"activation_date", "redirection_phone_number", "child_customer_id", "scenarios"}

func (s *Simulator) virtualNumbersReport() report {
	return report{
		all: virtualNumbersAll, defaults: virtualNumbersAll,
		filterable: []string{"id", "virtual_phone_number", "name", "status", "category", "type"},
		sortable:   []string{"id", "virtual_phone_number", "name"},
		rows: func(reportQuery) []map[string]any {
			var rows []map[string]any
			for _, v := range s.acct.VirtualNumbers {
				scen := []any{}
				if v.ScenarioID != 0 {
					scen = append(scen, map[string]any{"scenario_id": v.ScenarioID, "scenario_name": v.ScenarioName, "call_processing_rule_id": nil, "is_active": true})
				}
				rows = append(rows, map[string]any{"id": v.ID, "virtual_phone_number": v.Number, "name": nullStr(v.Name),
					"comment": nil, "status": "active", "category": "usual", "type": "va", "activation_date": "2020-10-16 00:00:00",
					"redirection_phone_number": nil, "child_customer_id": nil, "scenarios": scen})
			}
			return rows
		},
	}
}

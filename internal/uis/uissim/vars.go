package uissim

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Time layouts: notification start/answer/finish times carry microseconds, notification_time
// milliseconds, the Data API plain seconds. All are in the account time zone.
const (
	layoutMicro = "2006-01-02 15:04:05.000000"
	layoutMilli = "2006-01-02 15:04:05.000"
	layoutData  = "2006-01-02 15:04:05"
)

func fmtMicro(t time.Time) string { return t.Format(layoutMicro) }

func secs(f float64) int64 { return int64(math.Round(f)) }

// stats are the derived figures of a finished (or cut) call.
type stats struct {
	lost                                     bool
	wait, talk, cleanTalk, total, totalWait  int64
	firstAnswered, lastAnswered              *Employee
	firstTalked, lastTalked                  *Employee
	involved, talked, noanswered             []Employee
	employeeIDs                              []int64
	employeeNames, talkedNames, noansweredNs []string
	groupIDs                                 []int64
}

func (c *call) stats() stats {
	var st stats
	st.lost = len(c.talks) == 0
	st.total = secs(c.finishAt)
	switch {
	case c.informer:
		// The contact heard the message: not lost, though no employee talked.
		if st.lost = c.legs[0].answerAt < 0; st.lost {
			st.wait = st.total
		} else {
			st.wait = secs(c.legs[0].answerAt)
		}
	case st.lost:
		st.wait = st.total
	default:
		st.wait = secs(c.talks[0].at)
		st.talk = secs(c.finishAt - c.talks[0].at)
		for _, t := range c.talks {
			st.cleanTalk += secs(t.end - t.at)
		}
		st.firstTalked = &c.talks[0].employee
		st.lastTalked = &c.talks[len(c.talks)-1].employee
	}
	st.totalWait = st.total - st.cleanTalk
	seen := map[int64]bool{}
	for _, l := range c.legs {
		if l.employee == nil {
			continue
		}
		e := *l.employee
		if l.answerAt >= 0 {
			if st.firstAnswered == nil {
				st.firstAnswered = l.employee
			}
			st.lastAnswered = l.employee
		} else if !seen[e.ID] {
			st.noanswered = append(st.noanswered, e)
			st.noansweredNs = append(st.noansweredNs, e.FullName())
		}
		if !seen[e.ID] {
			seen[e.ID] = true
			st.involved = append(st.involved, e)
			st.employeeIDs = append(st.employeeIDs, e.ID)
			st.employeeNames = append(st.employeeNames, e.FullName())
			for _, g := range e.GroupIDs {
				if !slices.Contains(st.groupIDs, g) {
					st.groupIDs = append(st.groupIDs, g)
				}
			}
		}
	}
	for _, t := range c.talks {
		if !slices.Contains(st.talkedNames, t.employee.FullName()) {
			st.talked = append(st.talked, t.employee)
			st.talkedNames = append(st.talkedNames, t.employee.FullName())
		}
	}
	return st
}

func (c *call) isTransfer() bool {
	for _, l := range c.legs {
		if l.transfer {
			return true
		}
	}
	return false
}

// sessionNumbers are the session's A and B numbers: caller and callee.
func (c *call) sessionNumbers() (calling, called string) {
	if c.outgoing {
		return c.vnum.Number, c.contact
	}
	return c.contact, c.vnum.Number
}

// region guesses the contact's region from the number, the way cpn_region_* would.
func region(num string) (any, any) {
	switch {
	case strings.HasPrefix(num, "7495"), strings.HasPrefix(num, "7499"), strings.HasPrefix(num, "7916"), strings.HasPrefix(num, "7926"):
		return int64(77), "Москва"
	case strings.HasPrefix(num, "7812"), strings.HasPrefix(num, "7921"):
		return int64(78), "Санкт-Петербург"
	}
	return nil, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func empID(e *Employee) any {
	if e == nil {
		return nil
	}
	return e.ID
}

func empName(e *Employee) any {
	if e == nil {
		return nil
	}
	return e.FullName()
}

func (c *call) recordLinks(base string) []string {
	var out []string
	for _, t := range c.talks {
		out = append(out, recordURL(base, c.id, t.hash))
	}
	return out
}

// varsLocked builds every notification variable for one event of a call. Values are string,
// int64, bool, []string, []int64 or nil; RenderJSON turns them into JSON literals.
func (s *Simulator) varsLocked(c *call, ev plannedEvent) map[string]any {
	at := c.timeAt(ev.at)
	calling, called := c.sessionNumbers()
	regID, regName := region(c.contact)
	v := map[string]any{
		"app_id": s.acct.AppID, "call_session_id": c.id, "communication_id": c.id,
		"communication_type": "call", "communication_number": nil, "call_source": c.source,
		"calling_phone_number": calling, "called_phone_number": called,
		"contact_full_name": c.contactName, "contact_group_ids": c.contactGrp, "contact_id": nullID(c.contactID),
		"contact_phone_number": c.contact, "cpn_region_id": regID, "cpn_region_name": regName,
		"direction": c.direction, "external_id": c.externalID,
		"notification_mnemonic": s.acct.Behaviour.Mnemonics[ev.typ],
		"notification_time":     at.Format(layoutMilli), "notification_timestamp": at.Unix(),
		"start_time": fmtMicro(c.start), "tp_project": nil, "virtual_phone_number": c.vnum.Number,
		"visitor_country": nil, "scenario_id": nil, "scenario_name": nil,
	}
	if s.acct.Behaviour.TimestampMillis {
		v["notification_timestamp"] = at.UnixMilli()
	}
	if !c.outgoing {
		v["scenario_id"], v["scenario_name"] = nullID(c.vnum.ScenarioID), c.vnum.ScenarioName
	}
	var emp *Employee
	var phone string
	switch ev.typ {
	case EventOutgoingCallStarted:
		if c.initiator != nil {
			emp, phone = c.initiator, firstPhone(*c.initiator)
		}
	case EventConversationStarted:
		if ev.leg != nil {
			// The early talk event: the employee's leg is up, the other party not yet.
			emp, phone = ev.leg.employee, ev.leg.phone
			v["answer_time"] = fmtMicro(c.timeAt(ev.leg.answerAt))
			v["leg_ids"] = []int64{ev.leg.id}
			break
		}
		t := c.talks[ev.talk]
		emp, phone = &t.employee, t.phone
		v["answer_time"] = fmtMicro(c.timeAt(t.at))
		v["leg_ids"] = t.legIDs
	case EventCallFinished:
		s.finishVarsLocked(c, v)
		if n := len(c.talks); n > 0 {
			emp, phone = &c.talks[n-1].employee, c.talks[n-1].phone
		} else if c.initiator != nil {
			emp, phone = c.initiator, firstPhone(*c.initiator)
		}
	case EventRecordingReady:
		t := c.talks[ev.talk]
		emp, phone = &t.employee, t.phone
		v["file_link"] = recordURL(s.mediaBaseLocked(), c.id, t.hash)
		v["file_duration"] = secs(t.end - t.at)
		v["tag_ids"], v["tag_names"] = c.tagIDs, s.acct.tagNames(c.tagIDs)
	}
	v["employee_id"], v["employee_full_name"] = empID(emp), empName(emp)
	v["employee_phone_number"], v["employee_group_ids"], v["extension_phone_number"] = nil, nil, nil
	if emp != nil {
		v["employee_phone_number"], v["employee_group_ids"], v["extension_phone_number"] = phone, emp.GroupIDs, emp.Extension
	}
	var connected time.Time
	if len(c.talks) > 0 {
		connected = c.timeAt(c.talks[0].at)
	}
	s.acct.Behaviour.FieldShapes.shapeVars(ev.typ, v, connected)
	return v
}

func (s *Simulator) finishVarsLocked(c *call, v map[string]any) {
	st := c.stats()
	v["finish_time"] = fmtMicro(c.timeAt(c.finishAt))
	v["finish_reason"] = c.finishRsn
	v["connection_time"] = nil
	if len(c.talks) > 0 {
		v["connection_time"] = fmtMicro(c.timeAt(c.talks[0].at))
	} else if c.informer && !st.lost {
		v["connection_time"] = fmtMicro(c.timeAt(c.legs[0].answerAt))
	}
	v["clean_talk_time_duration"], v["talk_time_duration"] = st.cleanTalk, st.talk
	v["total_time_duration"], v["wait_time_duration"] = st.total, st.wait
	v["total_wait_time_duration"], v["postprocess_time_duration"] = st.totalWait, int64(0)
	v["employee_ids"], v["employee_full_names"] = st.employeeIDs, st.employeeNames
	v["talked_employee_full_names"], v["noanswered_employee_full_names"] = st.talkedNames, st.noansweredNs
	v["first_answered_employee_id"], v["first_answered_employee_full_name"] = empID(st.firstAnswered), empName(st.firstAnswered)
	v["last_answered_employee_id"], v["last_answered_employee_full_name"] = empID(st.lastAnswered), empName(st.lastAnswered)
	v["first_talked_employee_id"], v["first_talked_employee_full_name"] = empID(st.firstTalked), empName(st.firstTalked)
	v["last_talked_employee_id"], v["last_talked_employee_full_name"] = empID(st.lastTalked), empName(st.lastTalked)
	v["group_ids"], v["toc_group_ids"] = st.groupIDs, nil
	v["is_lost"], v["is_transfer"] = st.lost, c.isTransfer()
	v["lost_reason"] = nil
	if st.lost {
		v["lost_reason"] = c.finishRsn
		if r := s.acct.Behaviour.LostReason; r != "" {
			v["lost_reason"] = r
		}
	}
	v["operator_rating"] = nil
	v["record_file_links"] = c.recordLinks(s.mediaBaseLocked())
	v["tag_ids"], v["tag_names"] = c.tagIDs, s.acct.tagNames(c.tagIDs)
	ops, names := c.scenarioOps()
	v["scenario_operation_ids"], v["scenario_operation_names"] = ops, names
	v["last_scenario_operation_id"], v["last_scenario_operation_name"] = nil, nil
	if len(ops) > 0 {
		v["last_scenario_operation_id"], v["last_scenario_operation_name"] = ops[len(ops)-1], names[len(names)-1]
	}
}

// scenarioOps are the operations an incoming call's scenario went through: greeting, then
// forwarding to employees. Outgoing calls run no scenario.
func (c *call) scenarioOps() ([]int64, []string) {
	if c.outgoing || c.vnum.ScenarioID == 0 {
		return nil, nil
	}
	base := c.vnum.ScenarioID * 100
	return []int64{base + 1, base + 2}, []string{"Приветствие", "Переадресация на сотрудников"}
}

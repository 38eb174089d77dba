package uissim

import (
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"
)

// Account is the simulated UIS account: who works there, which numbers it owns, which keys may
// call its APIs and how it behaves where the public UIS documentation is silent. It is loaded
// from JSON by the CLI (--account FILE) or built in Go by tests.
type Account struct {
	AppID     int64      `json:"app_id"`
	Name      string     `json:"name"`
	Timezone  string     `json:"timezone"`
	Employees []Employee `json:"employees"`
	// EmployeeGroups are the account's employee groups (get.group_employees); employees
	// name theirs in GroupIDs.
	EmployeeGroups []EmployeeGroup `json:"employee_groups"`
	VirtualNumbers []VirtualNumber `json:"virtual_numbers"`
	Contacts       []Contact       `json:"contacts"`
	APIKeys        []APIKey        `json:"api_keys"`
	Users          []User          `json:"users"`
	// IPWhitelist holds CIDRs or bare IPs; empty allows every address (as 0.0.0.0/0 does).
	IPWhitelist []string `json:"ip_whitelist"`
	Limits      Limits   `json:"limits"`
	// Components switches paid options off by name (see the Component* constants); a component
	// that is not listed is enabled.
	Components    map[string]bool `json:"components"`
	Blacklist     []string        `json:"blacklist"`
	MediaFiles    []int64         `json:"media_files"`
	Tags          []Tag           `json:"tags"`
	TTSMaxLength  int             `json:"tts_max_length"`
	Notifications []Notification  `json:"notifications"`
	Behaviour     Behaviour       `json:"behaviour"`
	// Disabled makes every API method answer -32009 account_inactive.
	Disabled bool `json:"disabled,omitempty"`
	// SecurityRules are the call direction rules of the Call API.
	SecurityRules SecurityRules `json:"security_rules"`
}

// Employee is a UIS employee; ID is the LK recordId a helpdesk stores as "Operator ID".
type Employee struct {
	ID           int64           `json:"id"`
	FirstName    string          `json:"first_name"`
	LastName     string          `json:"last_name"`
	Patronymic   string          `json:"patronymic"`
	Email        string          `json:"email"`
	Login        string          `json:"login"`
	Extension    string          `json:"extension"`
	GroupIDs     []int64         `json:"group_ids"`
	PhoneNumbers []EmployeePhone `json:"phone_numbers"`
	// Status is the employee's standard status (get.employees status): available (the
	// default), break, do_not_disturb, not_at_workplace, not_at_work, auto_out_call, unknown.
	Status string `json:"status,omitempty"`
}

// EmployeeGroup is a group of employees ("Группы сотрудников"): scenarios ring a group, and
// get.employees lists each employee's groups by id and name.
type EmployeeGroup struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// PhoneNumber is the group's extension (at most 5 characters), "" for none.
	PhoneNumber   string `json:"phone_number,omitempty"`
	QueueEnabled  bool   `json:"queue_enabled,omitempty"`
	ChannelsCount int    `json:"channels_count,omitempty"` // default 1
}

// employeeStatuses are the documented values of get.employees status, with the status_id the
// simulator gives each (the real ids come from get.statuses and are per account).
var employeeStatuses = map[string]int64{"available": 1, "break": 2, "do_not_disturb": 3, "not_at_workplace": 4,
	"not_at_work": 5, "auto_out_call": 6, "unknown": 7}

// FullName is "Last First Patronymic", the UIS full_name format.
func (e Employee) FullName() string {
	return strings.Join(nonEmpty(e.LastName, e.FirstName, e.Patronymic), " ")
}

// EmployeePhone is one of an employee's numbers, in dialling order.
type EmployeePhone struct {
	ID       int64  `json:"id"`
	Number   string `json:"number"`
	Inactive bool   `json:"inactive,omitempty"`
}

// VirtualNumber is a number the account owns; calls to it run its scenario.
type VirtualNumber struct {
	ID           int64  `json:"id"`
	Number       string `json:"number"`
	Name         string `json:"name"`
	ScenarioID   int64  `json:"scenario_id"`
	ScenarioName string `json:"scenario_name"`
}

// Contact is an address-book entry; calls from or to its numbers carry its id and name.
type Contact struct {
	ID           int64    `json:"id"`
	FullName     string   `json:"full_name"`
	PhoneNumbers []string `json:"phone_numbers"`
	GroupIDs     []int64  `json:"group_ids"`
}

// APIKey is a permanent ("by key") access token.
type APIKey struct {
	Key       string     `json:"key"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	Blocked   bool       `json:"blocked,omitempty"`
	// APIs limits the key to "call" and/or "data"; empty allows both. A key used on an API it
	// lacks gets -32003 forbidden.
	APIs []string `json:"apis,omitempty"`
}

// User is an LK user that may call login.user.
type User struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// Tag is an account tag that scenarios may put on calls.
type Tag struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Limits are the point limits of each API; zero fields take the defaults.
type Limits struct {
	CallAPIMinute int `json:"call_api_minute"`
	CallAPIDay    int `json:"call_api_day"`
	DataAPIMinute int `json:"data_api_minute"`
	DataAPIDay    int `json:"data_api_day"`
	// MethodWeights is the points a successful call of a method costs (default 1 each; the
	// real Call API weights are not published).
	MethodWeights map[string]int `json:"method_weights,omitempty"`
}

// Behaviour collects the knobs for what the reference marks unknown [U]; zero values take the
// defaults listed on each field.
type Behaviour struct {
	// SuccessAsBool makes management methods (release.call) answer "success": true instead of
	// the documented string "true". logout.user always answers a boolean, as documented.
	SuccessAsBool bool `json:"success_as_bool"`
	// DefaultDirection is the session direction of start.employee_call without `direction`
	// ("in", as the current docs say; the older copy says "out").
	DefaultDirection string `json:"default_direction"`
	// Mnemonics maps an event type to its notification_mnemonic value.
	Mnemonics map[EventType]string `json:"mnemonics"`
	// NoAnswerFinishReason is the finish_reason of an outgoing call the contact did not answer
	// (default no_success_subscriber_call; subscriber_not_responsible is the other candidate).
	NoAnswerFinishReason string `json:"no_answer_finish_reason"`
	// LostReason is lost_reason of a missed call (default: the finish reason).
	LostReason string `json:"lost_reason"`
	// EmployeeAnswerSeconds is how long an employee takes to pick up the first leg of a
	// click-to-call (default 2).
	EmployeeAnswerSeconds int64 `json:"employee_answer_seconds"`
	// TimestampMillis renders notification_timestamp in milliseconds instead of seconds.
	TimestampMillis bool `json:"timestamp_millis"`
	// EchoErrorID echoes the request id in error responses (default true: the JSON-RPC rule);
	// set "echo_error_id": false to answer "id": null as the doc example does.
	EchoErrorID *bool `json:"echo_error_id,omitempty"`

	// FieldShapes renders notification variables in the odd shapes a real UIS may send where
	// no public sample exists (default: none, every variable as its plain JSON literal).
	FieldShapes FieldShapes `json:"field_shapes"`
	// RecordingBaseURL is the scheme and host recording links point at, e.g.
	// "https://app.comagic.ru": public integrations play UIS accounts' recordings from the
	// CoMagic hosts. Default: Config.MediaBaseURL, else the simulator's own URL. The merged
	// file (full_record_file_link) is on the matching media host (app. becomes media.).
	RecordingBaseURL string `json:"recording_base_url,omitempty"`
	// RecordingRedirect makes recording links plain http:// and answers a plain-http request
	// for a recording with this status (301, 302 or 308) and the https:// URL of the same host
	// and path, as UIS is seen to do (308). Default 0: links are served where they point.
	RecordingRedirect int `json:"recording_redirect,omitempty"`
	// RecordingReadySeconds is how long after the call ended (in simulated seconds) a
	// recording answers 404 before it is ready, and when "recording_ready" notifications are
	// sent. How long real UIS takes is not known; default 0: ready when the call ends.
	RecordingReadySeconds float64 `json:"recording_ready_seconds,omitempty"`
	// EarlyTalkEvent makes a click-to-call (an outgoing call) fire conversation_started as
	// soon as the first-dialled party (the employee, by default) picks up, before the other
	// party answers, and again when the other party answers; so an unanswered call-back has a
	// talk event too. Which order real UIS uses is not known; default false: the talk event
	// only when both talk.
	EarlyTalkEvent bool `json:"early_talk_event,omitempty"`
	// SecurityRefusalMnemonic is the mnemonic of the -32002 refusal of a call the account's
	// security rules forbid (international calls by default); the real one is not public
	// (default "call_direction_not_allowed").
	SecurityRefusalMnemonic string `json:"security_refusal_mnemonic"`
	// ReportOrder is the row order of Data API reports asked for without sort: "start_time"
	// (default, oldest first) or "shuffled" (a new random order per request; the docs do not
	// specify a default order, so offset paging without sort may skip or repeat rows).
	ReportOrder string `json:"report_order"`
	// ReportMaxLimit and ReportMaxOffset are the paging caps of Data API get methods (defaults
	// 10000 and 100000, as documented); lower them to reach the caps with few calls.
	ReportMaxLimit  int `json:"report_max_limit"`
	ReportMaxOffset int `json:"report_max_offset"`
	// ReportMaxInterval, when set, is the longest date interval a dated Data API report
	// accepts (date_interval_limit_reached beyond it) instead of the documented 3 months;
	// lower it to refuse a longer read while a shorter one passes.
	ReportMaxInterval Duration `json:"report_max_interval,omitempty"`
	// ReportExclusiveBounds makes date_from and date_till of the Data API reports exclusive: a
	// production sync job treats them so ("start_time & finish_time ARE NOT INCLUSIVE"); the
	// docs do not say. Default false: a call that started exactly at a bound is included.
	ReportExclusiveBounds bool `json:"report_exclusive_bounds,omitempty"`
	// SharedAccount, when set, makes the account shared with another business or department:
	// each call started through StartCall, the control API or the load generator is joined
	// by sessions that are not the helpdesk's (other virtual numbers, an auto-dialler, an
	// informer, SIP phones, another Call API integration). They appear in get.calls_report,
	// get.call_legs_report and list.calls but send no notification configured here.
	SharedAccount *SharedAccount `json:"shared_account,omitempty"`
	// EmployeeDefaultFields are the fields get.employees returns when asked without `fields`.
	// The docs list the fields but not which are the default set; default: all of them.
	EmployeeDefaultFields []string `json:"employee_default_fields,omitempty"`
	// EmployeeNoExtension is how get.employees writes the extension of an employee who has
	// none: "null" (default) or "object" (the object with null members); the docs do not say.
	EmployeeNoExtension string `json:"employee_no_extension,omitempty"`
	// GroupPhonesField names the list of the group's numbers in get.group_employees rows: the
	// docs' table says "phone_numbers" (default), their JSON example "phone_number".
	GroupPhonesField string `json:"group_phones_field,omitempty"`
	// LostCallProcessing is what get.calls_report does with lost_call_processing_duration
	// (not a default field, documented as filterable and sortable): "sent" (default) returns
	// it when asked in fields, computed from the simulator's calls; "ignored" accepts it in
	// fields but leaves it out of the rows; "refused" answers a request naming it in fields,
	// filter or sort as any unknown field (-32602 unexpected_parameters). Whether every
	// account's report has it is not documented.
	LostCallProcessing string `json:"lost_call_processing,omitempty"`
	// CallsReportUnfilterable names get.calls_report fields this account does not let a
	// filter name (-32602 filter_prohibited), though the docs list them as filterable, e.g.
	// ["is_lost"]. Empty: the documented list.
	CallsReportUnfilterable []string `json:"calls_report_unfilterable,omitempty"`
}

// SharedAccount describes the traffic of the other business on a shared account.
type SharedAccount struct {
	// VirtualNumbers are the other business's numbers; incoming calls to them are answered by
	// its own staff (default ["74990000001"]).
	VirtualNumbers []string `json:"virtual_numbers"`
	// Sources are call sources of other sessions on the account's first virtual number
	// (default auto_out_calls, callapi_informer_call, sip, callapi).
	Sources []string `json:"sources"`
	// CallsPerCall is how many such sessions join each started call (default 2); they cycle
	// through the other numbers (source va) and then the sources.
	CallsPerCall int `json:"calls_per_call"`
}

// SecurityRules are the account's call direction rules ("Правила безопасности"). UIS forbids
// international calls by default; a forbidden call is refused with -32002.
type SecurityRules struct {
	// InternationalCalls allows calls to numbers outside Russia and Kazakhstan (country code
	// 7); false (the UIS default) refuses them.
	InternationalCalls bool `json:"international_calls"`
}

// Component names accepted in Account.Components.
const (
	ComponentCallAPIBasic      = "call_api_basic"
	ComponentCallAPIManagement = "call_api_management"
	ComponentDataAPI           = "data_api"
)

// DefaultAPIKey is the permanent key of the default account.
const DefaultAPIKey = "rdsim7f3a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e"

// DefaultAccount returns the account the simulator runs without --account: three employees,
// two virtual numbers, one contact, one blacklisted number and one API key.
func DefaultAccount() *Account {
	return &Account{
		AppID:    105932,
		Name:     "ООО Рингдеск (симулятор)",
		Timezone: "Europe/Moscow",
		Employees: []Employee{
			{ID: 323401, FirstName: "Иван", LastName: "Иванов", Patronymic: "Петрович", Email: "ivanov@ringdesk.example", Login: "ivanov", Extension: "101", GroupIDs: []int64{5101},
				PhoneNumbers: []EmployeePhone{{ID: 610001, Number: "79161234501"}}},
			{ID: 323402, FirstName: "Анна", LastName: "Петрова", Patronymic: "Сергеевна", Email: "petrova@ringdesk.example", Login: "petrova", Extension: "102", GroupIDs: []int64{5101},
				PhoneNumbers: []EmployeePhone{{ID: 610002, Number: "79161234502"}}},
			{ID: 323403, FirstName: "Алексей", LastName: "Смирнов", Patronymic: "Викторович", Email: "smirnov@ringdesk.example", Login: "smirnov", Extension: "103", GroupIDs: []int64{5102},
				PhoneNumbers: []EmployeePhone{{ID: 610003, Number: "79161234503"}, {ID: 610004, Number: "79161234504", Inactive: true}}},
		},
		EmployeeGroups: []EmployeeGroup{
			{ID: 5101, Name: "Поддержка", PhoneNumber: "501", QueueEnabled: true},
			{ID: 5102, Name: "Продажи", PhoneNumber: "502"},
		},
		VirtualNumbers: []VirtualNumber{
			{ID: 2001, Number: "74951234567", Name: "Основной", ScenarioID: 8001, ScenarioName: "Входящие: поддержка"},
			{ID: 2002, Number: "74997654321", Name: "Продажи", ScenarioID: 8002, ScenarioName: "Входящие: продажи"},
		},
		Contacts: []Contact{
			{ID: 7001, FullName: "Сидоров Пётр Андреевич", PhoneNumbers: []string{"79261234567"}, GroupIDs: []int64{9001}},
		},
		APIKeys:    []APIKey{{Key: DefaultAPIKey}},
		Users:      []User{{Login: "admin", Password: "admin"}},
		Blacklist:  []string{"79990000000"},
		MediaFiles: []int64{2701, 2561},
		Tags:       []Tag{{ID: 401, Name: "Целевой"}, {ID: 402, Name: "Жалоба"}},
	}
}

// LoadAccount reads an account from a JSON file.
func LoadAccount(path string) (*Account, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("uissim: load account: %w", err)
	}
	var a Account
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("uissim: load account %s: %w", path, err)
	}
	return &a, nil
}

// Default limits: the real numbers are unknown, these are generous enough for load tests.
const (
	defaultMinuteLimit = 1000
	defaultDayLimit    = 100000
	defaultTTSMax      = 1000
)

// normalize fills defaults and checks the account, so the rest of the simulator can trust it.
func (a *Account) normalize() error {
	if a.AppID <= 0 {
		return fmt.Errorf("uissim: account: app_id must be positive")
	}
	if a.Timezone == "" {
		a.Timezone = "Europe/Moscow"
	}
	if _, err := time.LoadLocation(a.Timezone); err != nil {
		return fmt.Errorf("uissim: account: timezone: %w", err)
	}
	setDefault(&a.Limits.CallAPIMinute, defaultMinuteLimit)
	setDefault(&a.Limits.CallAPIDay, defaultDayLimit)
	setDefault(&a.Limits.DataAPIMinute, defaultMinuteLimit)
	setDefault(&a.Limits.DataAPIDay, defaultDayLimit)
	setDefault(&a.TTSMaxLength, defaultTTSMax)
	if err := a.Behaviour.normalize(); err != nil {
		return fmt.Errorf("uissim: account: behaviour: %w", err)
	}
	// Scenarios need someone to ring and a number to ring on.
	if len(a.Employees) == 0 || len(a.VirtualNumbers) == 0 {
		return fmt.Errorf("uissim: account: needs at least one employee and one virtual number")
	}
	seen := map[int64]bool{}
	for i, e := range a.Employees {
		if e.ID <= 0 || seen[e.ID] {
			return fmt.Errorf("uissim: account: employee id %d is not positive or not unique", e.ID)
		}
		seen[e.ID] = true
		if e.Status == "" {
			a.Employees[i].Status = "available"
		} else if _, ok := employeeStatuses[e.Status]; !ok {
			return fmt.Errorf("uissim: account: employee %d: unknown status %q", e.ID, e.Status)
		}
	}
	groups := map[int64]bool{}
	for i, g := range a.EmployeeGroups {
		if g.ID <= 0 || groups[g.ID] {
			return fmt.Errorf("uissim: account: employee group id %d is not positive or not unique", g.ID)
		}
		groups[g.ID] = true
		if len(g.PhoneNumber) > 5 {
			return fmt.Errorf("uissim: account: employee group %d: phone_number %q is longer than 5 characters", g.ID, g.PhoneNumber)
		}
		if g.ChannelsCount <= 0 {
			a.EmployeeGroups[i].ChannelsCount = 1
		}
	}
	for _, cidr := range a.IPWhitelist {
		if _, err := parseCIDR(cidr); err != nil {
			return fmt.Errorf("uissim: account: ip_whitelist: %w", err)
		}
	}
	for i := range a.Notifications {
		if err := a.Notifications[i].normalize(); err != nil {
			return fmt.Errorf("uissim: account: %w", err)
		}
	}
	return nil
}

// normalize fills the behaviour's defaults and checks its values.
func (b *Behaviour) normalize() error {
	if b.DefaultDirection == "" {
		b.DefaultDirection = "in"
	}
	if b.NoAnswerFinishReason == "" {
		b.NoAnswerFinishReason = "no_success_subscriber_call"
	}
	if b.EmployeeAnswerSeconds <= 0 {
		b.EmployeeAnswerSeconds = 2
	}
	m := DefaultMnemonics()
	for k, v := range b.Mnemonics {
		m[k] = v
	}
	b.Mnemonics = m
	if b.SecurityRefusalMnemonic == "" {
		b.SecurityRefusalMnemonic = "call_direction_not_allowed"
	}
	switch b.ReportOrder {
	case "":
		b.ReportOrder = ReportOrderStartTime
	case ReportOrderStartTime, ReportOrderShuffled:
	default:
		return fmt.Errorf("report_order must be %s or %s, not %q", ReportOrderStartTime, ReportOrderShuffled, b.ReportOrder)
	}
	setDefault(&b.ReportMaxLimit, maxLimit)
	setDefault(&b.ReportMaxOffset, maxOffset)
	switch b.RecordingRedirect {
	case 0, 301, 302, 308:
	default:
		return fmt.Errorf("recording_redirect must be 0, 301, 302 or 308, not %d", b.RecordingRedirect)
	}
	if b.RecordingBaseURL != "" {
		u, err := url.Parse(b.RecordingBaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
			return fmt.Errorf("recording_base_url must be a bare http(s)://host, not %q", b.RecordingBaseURL)
		}
		b.RecordingBaseURL = u.Scheme + "://" + u.Host
	}
	if b.RecordingReadySeconds < 0 || b.RecordingReadySeconds > 7*86400 {
		return fmt.Errorf("recording_ready_seconds must be within 0..604800")
	}
	if err := b.FieldShapes.validate(); err != nil {
		return fmt.Errorf("field_shapes: %w", err)
	}
	for _, f := range b.EmployeeDefaultFields {
		if !slices.Contains(employeesAll, f) {
			return fmt.Errorf("employee_default_fields: unknown field %q", f)
		}
	}
	switch b.EmployeeNoExtension {
	case "":
		b.EmployeeNoExtension = "null"
	case "null", "object":
	default:
		return fmt.Errorf("employee_no_extension must be null or object, not %q", b.EmployeeNoExtension)
	}
	switch b.LostCallProcessing {
	case "":
		b.LostCallProcessing = LostProcessingSent
	case LostProcessingSent, LostProcessingIgnored, LostProcessingRefused:
	default:
		return fmt.Errorf("lost_call_processing must be %s, %s or %s, not %q", LostProcessingSent, LostProcessingIgnored,
			LostProcessingRefused, b.LostCallProcessing)
	}
	if b.ReportMaxInterval < 0 {
		return fmt.Errorf("report_max_interval must not be negative")
	}
	for _, f := range b.CallsReportUnfilterable {
		if !slices.Contains(callsReportAll, f) {
			return fmt.Errorf("calls_report_unfilterable: %q is no get.calls_report field", f)
		}
	}
	switch b.GroupPhonesField {
	case "":
		b.GroupPhonesField = "phone_numbers"
	case "phone_numbers", "phone_number":
	default:
		return fmt.Errorf("group_phones_field must be phone_numbers or phone_number, not %q", b.GroupPhonesField)
	}
	if sh := b.SharedAccount; sh != nil {
		c := *sh
		if len(c.VirtualNumbers) == 0 {
			c.VirtualNumbers = []string{"74990000001"}
		}
		if len(c.Sources) == 0 {
			c.Sources = []string{"auto_out_calls", "callapi_informer_call", "sip", "callapi"}
		}
		if c.CallsPerCall == 0 {
			c.CallsPerCall = 2
		}
		for _, n := range c.VirtualNumbers {
			if !phoneRE.MatchString(n) {
				return fmt.Errorf("shared_account: virtual number %q must be 11-15 digits without +", n)
			}
		}
		for _, src := range c.Sources {
			if src == "" || src == "va" {
				return fmt.Errorf("shared_account: sources must name sources other than va")
			}
		}
		if c.CallsPerCall < 0 || c.CallsPerCall > 20 {
			return fmt.Errorf("shared_account: calls_per_call must be within 0..20")
		}
		b.SharedAccount = &c
	}
	return nil
}

// What get.calls_report does with lost_call_processing_duration (Behaviour.LostCallProcessing).
const (
	LostProcessingSent    = "sent"
	LostProcessingIgnored = "ignored"
	LostProcessingRefused = "refused"
)

// Report orders of Behaviour.ReportOrder.
const (
	ReportOrderStartTime = "start_time"
	ReportOrderShuffled  = "shuffled"
)

func setDefault(p *int, v int) {
	if *p <= 0 {
		*p = v
	}
}

func parseCIDR(s string) (*net.IPNet, error) {
	if !strings.Contains(s, "/") {
		ip := net.ParseIP(s)
		if ip == nil {
			return nil, fmt.Errorf("bad address %q", s)
		}
		bits := 32
		if ip.To4() == nil {
			bits = 128
		}
		return &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)}, nil
	}
	_, n, err := net.ParseCIDR(s)
	return n, err
}

func (a *Account) employee(id int64) (Employee, bool) {
	for _, e := range a.Employees {
		if e.ID == id {
			return e, true
		}
	}
	return Employee{}, false
}

func (a *Account) employeeGroup(id int64) (EmployeeGroup, bool) {
	for _, g := range a.EmployeeGroups {
		if g.ID == id {
			return g, true
		}
	}
	return EmployeeGroup{}, false
}

func (a *Account) virtualNumber(num string) (VirtualNumber, bool) {
	for _, v := range a.VirtualNumbers {
		if v.Number == num {
			return v, true
		}
	}
	return VirtualNumber{}, false
}

func (a *Account) contactByNumber(num string) (Contact, bool) {
	for _, c := range a.Contacts {
		for _, n := range c.PhoneNumbers {
			if n == num {
				return c, true
			}
		}
	}
	return Contact{}, false
}

func (a *Account) blacklisted(num string) bool {
	for _, n := range a.Blacklist {
		if n == num {
			return true
		}
	}
	return false
}

func (a *Account) componentEnabled(name string) bool {
	on, listed := a.Components[name]
	return !listed || on
}

func (a *Account) tagNames(ids []int64) []string {
	var out []string
	for _, id := range ids {
		for _, t := range a.Tags {
			if t.ID == id {
				out = append(out, t.Name)
			}
		}
	}
	return out
}

// ipAllowed reports whether ip passes the whitelist; an empty whitelist allows all.
func (a *Account) ipAllowed(ip net.IP) bool {
	if len(a.IPWhitelist) == 0 {
		return true
	}
	for _, c := range a.IPWhitelist {
		n, err := parseCIDR(c)
		if err == nil && ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

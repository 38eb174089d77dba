package uis

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

var moscow = mustLoc("Europe/Moscow")

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// A machine without tzdata still runs the tests; Moscow has had no
		// DST since 2014.
		return time.FixedZone("MSK", 3*3600)
	}
	return loc
}

func mustFixture(tb testing.TB, kind EventKind) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", string(kind)+".json"))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func p(v int64) *int64 { return &v }

func msk(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05.999999999", s, moscow)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseEventCallFinished(t *testing.T) {
	got, err := ParseEvent(CallFinished, mustFixture(t, CallFinished), moscow)
	if err != nil {
		t.Fatal(err)
	}
	want := Event{
		Kind:                      CallFinished,
		Token:                     "rdt_5f0c2a9e8b7d4c1fa3e6b2d9c8f7a1e4",
		AppID:                     39128,
		CallSessionID:             3960098281,
		CommunicationID:           3960098281,
		CommunicationType:         "call",
		CallSource:                "va",
		Direction:                 "in",
		CalledPhoneNumber:         "74951234567",
		CallingPhoneNumber:        "79261234567",
		ContactPhoneNumber:        "79261234567",
		VirtualPhoneNumber:        "74951234567",
		ContactID:                 p(5604973),
		ContactFullName:           "Иванова Мария Петровна",
		ContactGroupIDs:           []int64{112, 118},
		CPNRegionID:               p(77),
		CPNRegionName:             "Москва",
		VisitorCountry:            "Россия",
		TPProject:                 "helpdesk",
		NotificationMnemonic:      "call_session_finished",
		NotificationName:          "ringdesk-finished",
		NotificationTime:          msk("2026-03-02 10:18:25.311"),
		NotificationTimestamp:     1772435905,
		ScenarioID:                p(20215),
		ScenarioName:              "Основной входящий",
		ScenarioOperationIDs:      []int64{88101, 88107, 88120},
		ScenarioOperationNames:    []string{"Приветствие", "Голосовое меню", "Переадресация на группу поддержки"},
		LastScenarioOperationID:   p(88120),
		LastScenarioOperationName: "Переадресация на группу поддержки",
		EmployeeID:                p(25),
		EmployeeFullName:          "Петров Сергей",
		EmployeePhoneNumber:       "79260000001",
		ExtensionPhoneNumber:      "2345",
		EmployeeGroupIDs:          []int64{301},
		EmployeeIDs:               []int64{25, 31},
		EmployeeFullNames:         []string{"Петров Сергей", "Смирнова Анна"},
		FirstAnsweredEmployeeID:   p(25),
		FirstAnsweredEmployeeName: "Петров Сергей",
		FirstTalkedEmployeeID:     p(25),
		FirstTalkedEmployeeName:   "Петров Сергей",
		LastAnsweredEmployeeID:    p(31),
		LastAnsweredEmployeeName:  "Смирнова Анна",
		LastTalkedEmployeeID:      p(31),
		LastTalkedEmployeeName:    "Смирнова Анна",
		NoAnsweredEmployeeNames:   []string{"Кузнецов Олег"},
		TalkedEmployeeNames:       []string{"Петров Сергей", "Смирнова Анна"},
		GroupIDs:                  []int64{301, 302},
		TOCGroupIDs:               []int64{},
		StartTime:                 msk("2026-03-02 10:15:02.987654"),
		ConnectionTime:            msk("2026-03-02 10:15:21.4"),
		FinishTime:                msk("2026-03-02 10:18:25.004"),
		FinishReason:              "subscriber_disconnects",
		IsTransfer:                true,
		OperatorRating:            p(5),
		CleanTalkTimeDuration:     p(171),
		TalkTimeDuration:          p(182),
		TotalTimeDuration:         p(202),
		TotalWaitTimeDuration:     p(20),
		WaitTimeDuration:          p(18),
		PostprocessTimeDuration:   p(30),
		RecordFileLinks: []string{
			"https://app.uiscom.ru/system/media/talk/3960098281/3dd1e8815bde5e7f9bb15831e1f51e63/",
			"https://app.uiscom.ru/system/media/talk/3960098281/2e40c75469075b6e5f16cd29873cbc57/",
		},
		TagIDs:   []int64{4501, 4507},
		TagNames: []string{"Поддержка", "Повторный звонок"},
	}
	if !reflect.DeepEqual(got, want) {
		gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
		for i := range gv.NumField() {
			if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
				t.Errorf("%s: got %#v, want %#v", gv.Type().Field(i).Name, gv.Field(i).Interface(), wv.Field(i).Interface())
			}
		}
	}
	if e164, err := got.ContactE164("RU"); err != nil || e164 != "+79261234567" {
		t.Errorf("ContactE164 = %q, %v; want +79261234567", e164, err)
	}
}

func TestParseEventStartedKinds(t *testing.T) {
	in, err := ParseEvent(IncomingCallStarted, mustFixture(t, IncomingCallStarted), moscow)
	if err != nil {
		t.Fatal(err)
	}
	if in.CallSessionID != 3960098281 || in.Direction != "in" || in.EmployeeID != nil ||
		!in.StartTime.Equal(msk("2026-03-02 10:15:02.987654")) || in.ScenarioName != "Основной входящий" {
		t.Errorf("incoming: got %+v", in)
	}

	out, err := ParseEvent(OutgoingCallStarted, mustFixture(t, OutgoingCallStarted), moscow)
	if err != nil {
		t.Fatal(err)
	}
	if out.ExternalID != "c2c-7f3a91" || out.ContactID != nil || out.ContactFullName != "" ||
		out.ContactGroupIDs != nil || out.EmployeeID == nil || *out.EmployeeID != 25 ||
		out.EmployeePhoneNumber != "74955140578...2345" || out.TPProject != "" ||
		!out.StartTime.Equal(msk("2026-03-02 10:59:59")) {
		t.Errorf("outgoing: got %+v", out)
	}

	conv, err := ParseEvent(ConversationStarted, mustFixture(t, ConversationStarted), moscow)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(conv.LegIDs, []int64{287866245, 287866221}) ||
		!conv.AnswerTime.Equal(msk("2026-03-02 10:15:21.4")) || conv.StageRank() != 2 {
		t.Errorf("conversation: got %+v", conv)
	}
}

// body makes a minimal valid body with extra members appended.
func body(members string) []byte {
	b := `{"ud_channel_token":"t","call_session_id":42`
	if members != "" {
		b += "," + members
	}
	return []byte(b + "}")
}

func TestParseEventTolerance(t *testing.T) {
	utc3 := time.FixedZone("", 3*3600)
	tests := []struct {
		name    string
		members string
		get     func(Event) any
		want    any
	}{
		{"id as number", ``, func(e Event) any { return e.CallSessionID }, int64(42)},
		{"id as string", `"call_session_id":"3960098281"`, func(e Event) any { return e.CallSessionID }, int64(3960098281)},
		{"id as padded string", `"app_id":" 17 "`, func(e Event) any { return e.AppID }, int64(17)},
		{"id as float with zero fraction", `"app_id":17.0`, func(e Event) any { return e.AppID }, int64(17)},
		{"pointer id null", `"employee_id":null`, func(e Event) any { return e.EmployeeID }, (*int64)(nil)},
		{"pointer id missing", ``, func(e Event) any { return e.ContactID }, (*int64)(nil)},
		{"pointer id empty string", `"contact_id":""`, func(e Event) any { return e.ContactID }, (*int64)(nil)},
		{"pointer id zero is a value", `"operator_rating":0`, func(e Event) any { return e.OperatorRating }, p(0)},
		{"pointer id as string", `"employee_id":"25"`, func(e Event) any { return e.EmployeeID }, p(25)},
		{"string null", `"contact_full_name":null`, func(e Event) any { return e.ContactFullName }, ""},
		{"string from number", `"external_id":334`, func(e Event) any { return e.ExternalID }, "334"},
		{"string escapes", `"contact_full_name":"Ан\"на\u0020И"`, func(e Event) any { return e.ContactFullName }, `Ан"на И`},
		{"bool true", `"is_lost":true`, func(e Event) any { return e.IsLost }, true},
		{"bool string true", `"is_lost":"true"`, func(e Event) any { return e.IsLost }, true},
		{"bool string false", `"is_transfer":"false"`, func(e Event) any { return e.IsTransfer }, false},
		{"bool 1", `"is_lost":1`, func(e Event) any { return e.IsLost }, true},
		{"bool 0", `"is_lost":0`, func(e Event) any { return e.IsLost }, false},
		{"bool string 1", `"is_lost":"1"`, func(e Event) any { return e.IsLost }, true},
		{"bool null", `"is_lost":null`, func(e Event) any { return e.IsLost }, false},
		{"ints array", `"tag_ids":[1,2]`, func(e Event) any { return e.TagIDs }, []int64{1, 2}},
		{"ints null", `"tag_ids":null`, func(e Event) any { return e.TagIDs }, []int64(nil)},
		{"ints empty", `"tag_ids":[]`, func(e Event) any { return e.TagIDs }, []int64{}},
		{"ints string elements", `"tag_ids":["1",2,null]`, func(e Event) any { return e.TagIDs }, []int64{1, 2}},
		{"ints JSON in a string", `"employee_ids":"[25,31]"`, func(e Event) any { return e.EmployeeIDs }, []int64{25, 31}},
		{"ints comma string", `"employee_ids":"25, 31"`, func(e Event) any { return e.EmployeeIDs }, []int64{25, 31}},
		{"ints scalar", `"leg_ids":287866245`, func(e Event) any { return e.LegIDs }, []int64{287866245}},
		{"ints scalar string", `"leg_ids":"287866245"`, func(e Event) any { return e.LegIDs }, []int64{287866245}},
		{"ints empty string", `"leg_ids":""`, func(e Event) any { return e.LegIDs }, []int64(nil)},
		{"strings array", `"tag_names":["a","b"]`, func(e Event) any { return e.TagNames }, []string{"a", "b"}},
		{"strings null", `"tag_names":null`, func(e Event) any { return e.TagNames }, []string(nil)},
		{"strings JSON in a string", `"record_file_links":"[\"https://x/1\",\"https://x/2\"]"`, func(e Event) any { return e.RecordFileLinks }, []string{"https://x/1", "https://x/2"}},
		{"strings scalar", `"record_file_links":"https://x/1"`, func(e Event) any { return e.RecordFileLinks }, []string{"https://x/1"}},
		{"strings scalar with comma", `"tag_names":"Продажи, опт"`, func(e Event) any { return e.TagNames }, []string{"Продажи, опт"}},
		{"strings null element", `"tag_names":["a",null]`, func(e Event) any { return e.TagNames }, []string{"a"}},
		{"time plain", `"start_time":"2026-03-02 10:15:02"`, func(e Event) any { return e.StartTime }, msk("2026-03-02 10:15:02")},
		{"time millis", `"start_time":"2026-03-02 10:15:02.123"`, func(e Event) any { return e.StartTime }, msk("2026-03-02 10:15:02.123")},
		{"time micros", `"start_time":"2026-03-02 10:15:02.123456"`, func(e Event) any { return e.StartTime }, msk("2026-03-02 10:15:02.123456")},
		{"time T", `"start_time":"2026-03-02T10:15:02.418"`, func(e Event) any { return e.StartTime }, msk("2026-03-02 10:15:02.418")},
		{"time Z", `"start_time":"2026-03-02T07:15:02Z"`, func(e Event) any { return e.StartTime }, msk("2026-03-02 10:15:02")},
		{"time offset", `"start_time":"2026-03-02 10:15:02+03:00"`, func(e Event) any { return e.StartTime }, time.Date(2026, 3, 2, 10, 15, 2, 0, utc3)},
		{"time offset compact", `"start_time":"2026-03-02T05:15:02.5-0200"`, func(e Event) any { return e.StartTime }, msk("2026-03-02 10:15:02.5")},
		{"time null", `"finish_time":null`, func(e Event) any { return e.FinishTime }, time.Time{}},
		{"time empty", `"finish_time":""`, func(e Event) any { return e.FinishTime }, time.Time{}},
		{"time unix seconds", `"connection_time":1772435721`, func(e Event) any { return e.ConnectionTime }, msk("2026-03-02 10:15:21")},
		{"time unix millis string", `"connection_time":"1772435721400"`, func(e Event) any { return e.ConnectionTime }, msk("2026-03-02 10:15:21.4")},
		{"timestamp with fraction", `"notification_timestamp":1772435703.123`, func(e Event) any { return e.NotificationTimestamp }, int64(1772435703)},
		{"timestamp as string", `"notification_timestamp":"1772435703123"`, func(e Event) any { return e.NotificationTimestamp }, int64(1772435703123)},
		{"unknown fields ignored", `"attributes":["first"],"is_internal":false,"x":{"y":[1]}`, func(e Event) any { return e.CallSessionID }, int64(42)},
		{"direction from kind", ``, func(e Event) any { return e.Direction }, "in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ParseEvent(IncomingCallStarted, body(tt.members), moscow)
			if err != nil {
				t.Fatal(err)
			}
			got := tt.get(e)
			if gt, ok := got.(time.Time); ok {
				if !gt.Equal(tt.want.(time.Time)) {
					t.Errorf("got %v, want %v", gt, tt.want)
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestParseEventErrors(t *testing.T) {
	tests := []struct {
		name string
		kind EventKind
		body string
		want string
		// problem and field are what pages put in words.
		problem, field string
	}{
		{"unknown kind", "call_lost", `{"call_session_id":1}`, `kind: unknown event kind "call_lost"`, ringdesk.ProblemUnknownKind, "kind"},
		{"empty body", CallFinished, ``, `body: empty`, ringdesk.ProblemEmptyBody, "body"},
		{"array body", CallFinished, `[1]`, `body: not a JSON object`, ringdesk.ProblemNotObject, "body"},
		{"invalid JSON", CallFinished, `{"call_session_id":1,}`, `body: invalid JSON: `, ringdesk.ProblemInvalidJSON, "body"},
		{"unquoted placeholder", CallFinished, `{"call_session_id":{{call_session_id}}}`, `body: invalid JSON: `, ringdesk.ProblemInvalidJSON, "body"},
		{"quote that cannot be repaired", CallFinished, `{"call_session_id":1,"contact_full_name":"ООО "Ромашка}`, `body: invalid JSON: `, ringdesk.ProblemInvalidJSON, "body"},
		{"quote before a comma", CallFinished, `{"call_session_id":1,"contact_full_name":"a", b"}`, `body: invalid JSON: `, ringdesk.ProblemInvalidJSON, "body"},
		{"session missing", CallFinished, `{"ud_channel_token":"t"}`, `call_session_id: missing`, ringdesk.ProblemMissing, "call_session_id"},
		{"session null", ConversationStarted, `{"call_session_id":null}`, `call_session_id: missing`, ringdesk.ProblemMissing, "call_session_id"},
		{"session empty string", OutgoingCallStarted, `{"call_session_id":""}`, `call_session_id: missing`, ringdesk.ProblemMissing, "call_session_id"},
		{"session zero", IncomingCallStarted, `{"call_session_id":0}`, `call_session_id: must be positive, got 0`, ringdesk.ProblemNotPositive, "call_session_id"},
		{"session negative", IncomingCallStarted, `{"call_session_id":"-5"}`, `call_session_id: must be positive, got -5`, ringdesk.ProblemNotPositive, "call_session_id"},
		{"session text", CallFinished, `{"call_session_id":"abc"}`, `call_session_id: cannot parse "\"abc\"" as an integer`, ringdesk.ProblemWrongType, "call_session_id"},
		{"session fraction", CallFinished, `{"call_session_id":1.5}`, `call_session_id: cannot parse "1.5" as an integer`, ringdesk.ProblemWrongType, "call_session_id"},
		{"session object", CallFinished, `{"call_session_id":{"id":1}}`, `call_session_id: cannot parse "{\"id\":1}" as an integer`, ringdesk.ProblemWrongType, "call_session_id"},
		{"UTF-8 byte order mark", CallFinished, "\xef\xbb\xbf{\"call_session_id\":1}", `body: starts with a UTF-8 byte order mark`, ringdesk.ProblemEncoding, "body"},
		{"UTF-16", CallFinished, "{\x00\"\x00c\x00", `body: UTF-16 text, not UTF-8`, ringdesk.ProblemEncoding, "body"},
		{"UTF-16 with its mark", CallFinished, "\xff\xfe{\x00", `body: UTF-16 text, not UTF-8`, ringdesk.ProblemEncoding, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseEvent(tt.kind, []byte(tt.body), moscow)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want *ParseError %q", err, tt.want)
			}
			if got := err.Error(); got != tt.want && !(strings.HasSuffix(tt.want, ": ") && strings.HasPrefix(got, tt.want)) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if pe.Problem != tt.problem || pe.Field != tt.field {
				t.Errorf("problem %q in %q, want %q in %q", pe.Problem, pe.Field, tt.problem, tt.field)
			}
		})
	}
}

// TestParseEventWarnings: a field Ringdesk cannot use is left empty with a
// warning naming it; the rest of the notification counts. Text is made safe
// to keep: invalid UTF-8 replaced, NUL removed, overlong text cut, each with
// a warning.
func TestParseEventWarnings(t *testing.T) {
	long := strings.Repeat("Я", 300_000)
	tests := []struct {
		name    string
		members string
		get     func(Event) any
		want    any
		warn    string // field + "/" + problem
	}{
		{"start time text", `"start_time":"abc"`, func(e Event) any { return e.StartTime.IsZero() }, true, "start_time/unreadable"},
		{"start time bad date", `"start_time":"2026-02-30 10:00:00"`, func(e Event) any { return e.StartTime.IsZero() }, true, "start_time/unreadable"},
		{"start time bad hour", `"start_time":"2026-02-03 25:00:00"`, func(e Event) any { return e.StartTime.IsZero() }, true, "start_time/unreadable"},
		{"finish time bad zone", `"finish_time":"2026-02-03 10:00:00 MSK"`, func(e Event) any { return e.FinishTime.IsZero() }, true, "finish_time/unreadable"},
		{"numeric connection time is no date", `"connection_time":12`, func(e Event) any { return e.ConnectionTime.IsZero() }, true, "connection_time/unreadable"},
		{"bool text", `"is_lost":"maybe"`, func(e Event) any { return e.IsLost }, false, "is_lost/unreadable"},
		{"ints bad element", `"tag_ids":[1,"x"]`, func(e Event) any { return e.TagIDs }, []int64(nil), "tag_ids/unreadable"},
		{"ints object", `"employee_ids":{}`, func(e Event) any { return e.EmployeeIDs }, []int64(nil), "employee_ids/unreadable"},
		{"strings object", `"tag_names":{"a":1}`, func(e Event) any { return e.TagNames }, []string(nil), "tag_names/unreadable"},
		{"string array", `"finish_reason":["x"]`, func(e Event) any { return e.FinishReason }, "", "finish_reason/unreadable"},
		{"object where text belongs", `"tp_project":{"id":5}`, func(e Event) any { return e.TPProject }, "", "tp_project/unreadable"},
		{"timestamp text", `"notification_timestamp":"soon"`, func(e Event) any { return e.NotificationTimestamp }, int64(0), "notification_timestamp/unreadable"},
		{"duration text", `"talk_time_duration":"long"`, func(e Event) any { return e.TalkTimeDuration }, (*int64)(nil), "talk_time_duration/unreadable"},
		{"rating in words", `"operator_rating":"отлично"`, func(e Event) any { return e.OperatorRating }, (*int64)(nil), "operator_rating/unreadable"},
		{"rating as a numeric string", `"operator_rating":"5"`, func(e Event) any { return e.OperatorRating }, p(5), ""},
		{"duration decimal", `"talk_time_duration":12.5`, func(e Event) any { return *e.TalkTimeDuration }, int64(13), ""},
		{"duration clock", `"talk_time_duration":"00:01:12"`, func(e Event) any { return *e.TalkTimeDuration }, int64(72), ""},
		{"duration minutes and seconds", `"wait_time_duration":"02:03"`, func(e Event) any { return *e.WaitTimeDuration }, int64(123), ""},
		{"duration negative kept for the domain", `"wait_time_duration":-5`, func(e Event) any { return *e.WaitTimeDuration }, int64(-5), ""},
		{"ints PostgreSQL array", `"leg_ids":"{1,2}"`, func(e Event) any { return e.LegIDs }, []int64{1, 2}, ""},
		{"strings PostgreSQL array", `"tag_names":"{VIP,\"Опт, розница\",NULL}"`, func(e Event) any { return e.TagNames }, []string{"VIP", "Опт, розница"}, ""},
		{"NUL removed", `"contact_full_name":"Ан\u0000на"`, func(e Event) any { return e.ContactFullName }, "Анна", "contact_full_name/invalid_text"},
		{"long name cut", `"contact_full_name":"` + long + `"`, func(e Event) any { return len([]rune(e.ContactFullName)) }, maxText, "contact_full_name/cut"},
		{"unescaped quotes repaired", `"contact_full_name":"ООО "Ромашка"","scenario_name":"x"`, func(e Event) any { return e.ContactFullName }, `ООО "Ромашка"`, "contact_full_name/repaired"},
		{"doubled quotes repaired", `"contact_full_name":""Анна""`, func(e Event) any { return e.ContactFullName }, `Анна`, "contact_full_name/repaired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ParseEvent(CallFinished, body(tt.members), moscow)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.get(e); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
			var warns []string
			for _, w := range e.Warnings {
				warns = append(warns, w.Field+"/"+w.Problem)
			}
			if tt.warn == "" && len(warns) > 0 || tt.warn != "" && (len(warns) != 1 || warns[0] != tt.warn) {
				t.Errorf("warnings %v, want [%s]", warns, tt.warn)
			}
			if e.CallSessionID != 42 {
				t.Errorf("call_session_id %d: the rest of the notification must count", e.CallSessionID)
			}
		})
	}
}

// TestParseEventInvalidUTF8: a cp1251 name (invalid UTF-8) is kept with
// U+FFFD instead of the bytes, with a warning.
func TestParseEventInvalidUTF8(t *testing.T) {
	raw := append([]byte(`{"call_session_id":42,"contact_full_name":"`), 0xcf, 0xe5, 0xf2, 0xf0)
	raw = append(raw, []byte(`"}`)...)
	e, err := ParseEvent(CallFinished, raw, moscow)
	if err != nil {
		t.Fatal(err)
	}
	if e.ContactFullName != "\uFFFD\uFFFD\uFFFD\uFFFD" || len(e.Warnings) != 1 || e.Warnings[0].Problem != "invalid_text" {
		t.Errorf("name %q, warnings %v", e.ContactFullName, e.Warnings)
	}
}

func TestParseEventKind(t *testing.T) {
	for _, k := range EventKinds {
		if got, ok := ParseEventKind(string(k)); !ok || got != k {
			t.Errorf("ParseEventKind(%q) = %q, %v", k, got, ok)
		}
	}
	if _, ok := ParseEventKind("call_lost"); ok {
		t.Error("ParseEventKind accepted call_lost")
	}
	stages := map[EventKind]int{IncomingCallStarted: 1, OutgoingCallStarted: 1, ConversationStarted: 2, CallFinished: 3, "x": 0}
	for k, want := range stages {
		if got := k.Stage(); got != want {
			t.Errorf("%q.Stage() = %d, want %d", k, got, want)
		}
	}
}

func TestToken(t *testing.T) {
	tests := []struct {
		name, body, want, err string
	}{
		{"template layout", "{  \n\"ud_channel_token\":\"abc\",\n\"app_id\":1}", "abc", ""},
		{"spaces", `{ "ud_channel_token" : "abc" }`, "abc", ""},
		{"not first", `{"app_id":1,"ud_channel_token":"abc"}`, "abc", ""},
		{"escaped", `{"ud_channel_token":"a\u0062c"}`, "abc", ""},
		{"missing", `{"app_id":1}`, "", "ud_channel_token: missing"},
		{"null", `{"ud_channel_token":null}`, "", "ud_channel_token: missing"},
		{"object", `{"ud_channel_token":{}}`, "", "ud_channel_token: not a string"},
		{"garbage", `ud_channel_token`, "", "body: not a JSON object"},
		{"broken after token", `{"ud_channel_token":"abc", oops`, "abc", ""},
	}
	for _, tt := range tests {
		got, err := Token([]byte(tt.body))
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && err.Error() != tt.err) {
			t.Errorf("%s: Token = %q, %v; want %q, %q", tt.name, got, err, tt.want, tt.err)
		}
	}
}

func FuzzParseEvent(f *testing.F) {
	for _, k := range EventKinds {
		f.Add(string(k), mustFixture(f, k))
	}
	f.Add("call_finished", []byte(`{"call_session_id":"1","tag_ids":"[1,2]","start_time":"2026-01-01T00:00:00.1+03:00"}`))
	f.Add("call_finished", []byte(`{"leg_ids":"\"[1]\"","record_file_links":"[\"a\"]","connection_time":99999999999999}`))
	// One entry per hostile case of issue 12 and odd shape of issue 14.
	f.Add("call_finished", []byte("{\"call_session_id\":1,\"contact_full_name\":\"\xcf\xe5\xf2\xf0\"}"))
	f.Add("call_finished", []byte(`{"call_session_id":1,"contact_full_name":"Ан\u0000на","tag_names":["a\u0000"]}`))
	f.Add("call_finished", []byte(`{"call_session_id":1,"contact_full_name":"`+strings.Repeat("Я", 400)+`"}`))
	f.Add("call_finished", []byte(`{"call_session_id":1,"talk_time_duration":-5,"start_time":"2026-01-01 10:00:00","finish_time":"2026-01-01 09:00:00"}`))
	f.Add("call_finished", []byte(`{"call_session_id":1,"contact_full_name":"ООО "Ромашка"","scenario_name":""x""}`))
	f.Add("call_finished", []byte(`{"call_session_id":1,"talk_time_duration":"00:00:12","wait_time_duration":12.5,"operator_rating":"отлично","tp_project":{"a":1},"leg_ids":"{1,2}","connection_time":12}`))
	f.Add("call_finished", []byte(`{"call_session_id":1,"tag_names":"{VIP,\"a, b\",NULL}","employee_ids":"{1,2}"}`))
	f.Fuzz(func(t *testing.T, kind string, b []byte) {
		e, err := ParseEvent(EventKind(kind), b, moscow)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		if e.CallSessionID <= 0 {
			t.Fatalf("accepted call_session_id %d", e.CallSessionID)
		}
		// Whatever came in, every text is safe to store and show.
		v := reflect.ValueOf(e)
		for i := range v.NumField() {
			var texts []string
			switch f := v.Field(i); {
			case f.Kind() == reflect.String:
				texts = []string{f.String()}
			case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
				texts = f.Interface().([]string)
			}
			for _, s := range texts {
				if !utf8.ValidString(s) || strings.ContainsRune(s, 0) || utf8.RuneCountInString(s) > maxLink {
					t.Fatalf("field %s = %q is not safe text", v.Type().Field(i).Name, s)
				}
			}
		}
		_, _ = Token(b)
	})
}

func BenchmarkParseEvent(b *testing.B) {
	body := mustFixture(b, CallFinished)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseEvent(CallFinished, body, moscow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkToken(b *testing.B) {
	body := mustFixture(b, CallFinished)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Token(body); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWireFieldsMatchTags keeps the key map and the struct tags in step: the
// tags document the wire format, the map is what decoding uses.
func TestWireFieldsMatchTags(t *testing.T) {
	typ := reflect.TypeFor[wireEvent]()
	if got, want := len(wireFields), typ.NumField(); got != want {
		t.Errorf("wireFields has %d keys, wireEvent %d fields", got, want)
	}
	for i := range typ.NumField() {
		f := typ.Field(i)
		key := f.Tag.Get("json")
		get, ok := wireFields[key]
		if !ok {
			t.Errorf("key %q of %s is not in wireFields", key, f.Name)
			continue
		}
		var w wireEvent
		if got, want := reflect.ValueOf(get(&w)).Pointer(), reflect.ValueOf(&w).Elem().Field(i).Addr().Pointer(); got != want {
			t.Errorf("wireFields[%q] points at another field than %s", key, f.Name)
		}
	}
}

// TestFixturesUseOnlyKnownKeys checks that no variable of the seed templates
// is silently ignored.
func TestFixturesUseOnlyKnownKeys(t *testing.T) {
	for _, k := range EventKinds {
		eachMember(string(mustFixture(t, k)), func(key, _ string) {
			if _, ok := wireFields[key]; !ok {
				t.Errorf("%s: key %q is not decoded", k, key)
			}
		})
	}
}

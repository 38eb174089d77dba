package web

import (
	"strings"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// problemWords says what a dead letter's problem means and what to do
// about it: for a UIS notification, whose body an administrator wrote in
// UIS from the setup page, and for a calls report row, which UIS wrote
// itself ("" for the notification's words). %s is the field at fault.
type problemWords struct {
	notification, report string
}

// reportRowUnreadable is said of every report row problem with a field:
// UIS wrote the row, so there is nothing to set right in UIS.
const reportRowUnreadable = "This row of the UIS calls report has no readable %s, so it was skipped. Nothing needs changing in UIS; if it repeats, send the row below to whoever maintains Ringdesk."

// reportRowNotObject is said of a report row that is no JSON object.
const reportRowNotObject = "This row of the UIS calls report is not a JSON object Ringdesk can read, so it was skipped. Nothing needs changing in UIS; if it repeats, send the row below to whoever maintains Ringdesk."

// deadLetterWords are the words of each ringdesk.Problem* code. The
// English is a catalogue key; TestDeadLetterWordsTranslated keeps each
// translated with the same verbs.
var deadLetterWords = map[string]problemWords{
	ringdesk.ProblemEmptyBody: {
		"The notification came with an empty body. In UIS, open this notification and paste the body from the channel's setup page.",
		reportRowNotObject},
	ringdesk.ProblemEncoding: {
		"The body is not UTF-8 text (it starts with a byte order mark, or is UTF-16). In UIS, paste the body from the channel's setup page again as plain text.",
		reportRowNotObject},
	ringdesk.ProblemNotObject: {
		"The body is not a JSON object: it must start with { and end with }. Compare the notification body in UIS with the channel's setup page.",
		reportRowNotObject},
	ringdesk.ProblemInvalidJSON: {
		"The body is not valid JSON: usually a quote or a comma is missing, or a variable has no quotes around it. Compare the notification body in UIS with the channel's setup page.",
		reportRowNotObject},
	ringdesk.ProblemMissing: {
		"The notification has no %s (or it is empty), and Ringdesk needs it. Check that the body in UIS has it as on the channel's setup page.",
		reportRowUnreadable},
	ringdesk.ProblemWrongType: {
		"The field %s holds a value Ringdesk cannot read (for example text where a number belongs). Check the variable in that field of the body in UIS against the channel's setup page.",
		reportRowUnreadable},
	ringdesk.ProblemNotPositive: {
		"The field %s is not a positive number. Check the variable in that field of the body in UIS against the channel's setup page.",
		reportRowUnreadable},
	ringdesk.ProblemConflict: {
		"The field %s appears in the body more than once, with different values. Remove the extra copy from the notification body in UIS.", ""},
	ringdesk.ProblemUnknownKind: {
		"Ringdesk does not know this kind of notification. Check the notification's URL in UIS against the channel's setup page.", ""},
	ringdesk.ProblemNotStored: {
		"Ringdesk read the notification but could not store its call, for the reason below. Replay it once the cause is fixed.",
		"Ringdesk read this row of the UIS calls report but could not store its call, for the reason below. Replay it once the cause is fixed."},
	ringdesk.ProblemReadableNow: {
		"Ringdesk reads this body now; an earlier version kept it for the reason below. Replay it.", ""},
}

// deadLetterUnknown is said of a problem without words of its own.
const deadLetterUnknown = "Ringdesk could not understand this notification; the reason is below."

// deadLetterWhy says why a dead letter of kind was not understood and what
// to do, in English (a catalogue key with the field put in).
func deadLetterWhy(kind string, r ringdesk.DeadLetterReason) ringdesk.Text {
	w, ok := deadLetterWords[r.Problem]
	if !ok {
		return ringdesk.T(deadLetterUnknown)
	}
	format := w.notification
	if kind == string(uis.ReportFinished) && w.report != "" {
		format = w.report
	}
	if strings.Contains(format, "%s") {
		field := r.Field
		if field == "" {
			field = "?"
		}
		return ringdesk.T(format, field)
	}
	return ringdesk.T(format)
}

func init() {
	addRU(map[string]string{
		"The notification came with an empty body. In UIS, open this notification and paste the body from the channel's setup page.":                                                       "Уведомление пришло с пустым телом. Откройте это уведомление в UIS и вставьте тело со страницы настройки канала.",
		"The body is not UTF-8 text (it starts with a byte order mark, or is UTF-16). In UIS, paste the body from the channel's setup page again as plain text.":                           "Тело — не текст в UTF-8 (начинается с метки порядка байтов или записано в UTF-16). Вставьте в UIS тело со страницы настройки канала заново, как обычный текст.",
		"The body is not a JSON object: it must start with { and end with }. Compare the notification body in UIS with the channel's setup page.":                                          "Тело — не объект JSON: оно должно начинаться с { и заканчиваться }. Сравните тело уведомления в UIS со страницей настройки канала.",
		"The body is not valid JSON: usually a quote or a comma is missing, or a variable has no quotes around it. Compare the notification body in UIS with the channel's setup page.":    "Тело — некорректный JSON: обычно не хватает кавычки или запятой либо переменная не взята в кавычки. Сравните тело уведомления в UIS со страницей настройки канала.",
		"The notification has no %s (or it is empty), and Ringdesk needs it. Check that the body in UIS has it as on the channel's setup page.":                                            "В уведомлении нет поля %s (или оно пустое), а Ringdesk оно нужно. Проверьте, что в теле в UIS оно есть, как на странице настройки канала.",
		"The field %s holds a value Ringdesk cannot read (for example text where a number belongs). Check the variable in that field of the body in UIS against the channel's setup page.": "В поле %s значение, которое Ringdesk не может прочитать (например, текст вместо числа). Сверьте переменную в этом поле тела в UIS со страницей настройки канала.",
		"The field %s is not a positive number. Check the variable in that field of the body in UIS against the channel's setup page.":                                                     "Поле %s — не положительное число. Сверьте переменную в этом поле тела в UIS со страницей настройки канала.",
		"The field %s appears in the body more than once, with different values. Remove the extra copy from the notification body in UIS.":                                                 "Поле %s встречается в теле несколько раз с разными значениями. Уберите лишнюю копию из тела уведомления в UIS.",
		"Ringdesk does not know this kind of notification. Check the notification's URL in UIS against the channel's setup page.":                                                          "Ringdesk не знает такого вида уведомлений. Сверьте адрес уведомления в UIS со страницей настройки канала.",
		"Ringdesk read the notification but could not store its call, for the reason below. Replay it once the cause is fixed.":                                                            "Ringdesk прочитал уведомление, но не смог сохранить звонок — причина ниже. Повторите его, когда причина будет устранена.",
		"Ringdesk read this row of the UIS calls report but could not store its call, for the reason below. Replay it once the cause is fixed.":                                            "Ringdesk прочитал эту строку отчёта UIS по звонкам, но не смог сохранить звонок — причина ниже. Повторите её, когда причина будет устранена.",
		"Ringdesk reads this body now; an earlier version kept it for the reason below. Replay it.":                                                                                        "Теперь Ringdesk читает это тело; прежняя версия сохранила его по причине ниже. Повторите его.",
		reportRowUnreadable: "В этой строке отчёта UIS по звонкам нет читаемого поля %s, поэтому она пропущена. В UIS ничего менять не нужно; если это повторяется, передайте строку ниже тем, кто поддерживает Ringdesk.",
		reportRowNotObject:  "Эта строка отчёта UIS по звонкам — не объект JSON, который Ringdesk может прочитать, поэтому она пропущена. В UIS ничего менять не нужно; если это повторяется, передайте строку ниже тем, кто поддерживает Ringdesk.",
		deadLetterUnknown:   "Ringdesk не смог разобрать это уведомление; причина ниже.",
		// The dead letters page.
		"Technical details": "Технические подробности",
		"The notification still cannot be understood; its row below says why.": "Уведомление по-прежнему не удаётся разобрать; почему — сказано в его строке ниже.",
	})
}

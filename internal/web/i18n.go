package web

import (
	"fmt"
	"net/http"
	"path/filepath"
	"runtime"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// Messages are written in English in code and templates; ru translates
// them. A missing translation falls back to the English text, and
// TestTemplatesTranslated keeps the catalogue complete for templates.
var ru = map[string]string{
	// Shell and navigation.
	"Ringdesk":           "Ringdesk",
	"Tickets":            "Обращения",
	"Clients":            "Клиенты",
	"Calls":              "Звонки",
	"Agents":             "Агенты",
	"Channels":           "Каналы",
	"Profile":            "Профиль",
	"Log out":            "Выйти",
	"Log in":             "Войти",
	"Overview":           "Обзор",
	"Email":              "Эл. почта",
	"Password":           "Пароль",
	"Name":               "Имя",
	"Role":               "Роль",
	"Language":           "Язык",
	"Active":             "Активен",
	"Inactive":           "Неактивен",
	"Status":             "Статус",
	"Save":               "Сохранить",
	"Cancel":             "Отмена",
	"Create":             "Создать",
	"Edit":               "Изменить",
	"Delete":             "Удалить",
	"Revoke":             "Отозвать",
	"admin":              "администратор",
	"agent":              "агент",
	"Administrator":      "Администратор",
	"Agent":              "Агент",
	"Russian":            "Русский",
	"English":            "English",
	"Default":            "По умолчанию",
	"Operator ID":        "ID оператора",
	"Created":            "Создано",
	"Last used":          "Последнее использование",
	"never":              "никогда",
	"New agent":          "Новый агент",
	"Edit agent":         "Агент",
	"Deactivate":         "Деактивировать",
	"Activate":           "Активировать",
	"Set password":       "Задать пароль",
	"New password":       "Новый пароль",
	"Current password":   "Текущий пароль",
	"Change password":    "Сменить пароль",
	"API tokens":         "API-токены",
	"Token name":         "Название токена",
	"Create token":       "Создать токен",
	"Copy":               "Копировать",
	"Copied":             "Скопировано",
	"Saved.":             "Сохранено.",
	"Password changed.":  "Пароль изменён.",
	"Token revoked.":     "Токен отозван.",
	"Agent created.":     "Агент создан.",
	"Welcome":            "Добро пожаловать",
	"Signed in as":       "Вы вошли как",
	"Page not found":     "Страница не найдена",
	"Error":              "Ошибка",
	"Back to start":      "На главную",
	"No agents yet.":     "Агентов пока нет.",
	"No tokens yet.":     "Токенов пока нет.",
	"Your profile":       "Ваш профиль",
	"UI language":        "Язык интерфейса",
	"Log in to Ringdesk": "Вход в Ringdesk",
	"Helpdesk for teams that live on the phone":                                                        "Хелпдеск для команд, которые работают по телефону",
	"Copy this token now: it is shown only once.":                                                      "Скопируйте токен сейчас: он показывается только один раз.",
	"The UIS employee id (recordId in the UIS account). Leave empty for agents who do not take calls.": "ID сотрудника в UIS (recordId в личном кабинете UIS). Оставьте пустым для агентов, которые не принимают звонки.",
	"Use it as: Authorization: Bearer <token>":                                                         "Использование: Authorization: Bearer <токен>",
	"Setting a password ends all of the agent's sessions.":                                             "Новый пароль завершает все сеансы агента.",
	"Other sessions are logged out when you change your password.":                                     "При смене пароля остальные сеансы будут завершены.",
	"Agents working in Ringdesk, their roles and Operator IDs.":                                        "Агенты, их роли и ID операторов.",
	"Skip to content": "Перейти к содержимому",
	"Not set":         "Не задан",
	"Yes":             "Да",
	"No":              "Нет",
	"Language of the interface for this agent.": "Язык интерфейса для этого агента.",

	// Domain messages (errors and validation).
	"Please correct the highlighted fields.":                       "Исправьте отмеченные поля.",
	"Name is required.":                                            "Укажите имя.",
	"Name is too long: at most 200 characters.":                    "Имя слишком длинное: не более 200 символов.",
	"Email is required.":                                           "Укажите адрес эл. почты.",
	"Email address is not valid.":                                  "Неверный адрес эл. почты.",
	"Role must be admin or agent.":                                 "Роль: администратор или агент.",
	"Language must be ru or en.":                                   "Язык: ru или en.",
	"Operator ID must be a positive number (the UIS employee id).": "ID оператора — положительное число (ID сотрудника UIS).",
	"Password is too long: at most 72 bytes (fewer characters for non-Latin letters).": "Пароль слишком длинный: не более 72 байт (для кириллицы — меньше символов).",
	"Password must be at least 8 characters.":                                          "Пароль должен быть не короче 8 символов.",
	"An agent with this email already exists.":                                         "Агент с таким адресом уже есть.",
	"Another agent already has this Operator ID.":                                      "Этот ID оператора уже у другого агента.",
	"Wrong email or password.":                                                         "Неверный адрес или пароль.",
	"This account is deactivated. Ask an administrator.":                               "Учётная запись деактивирована. Обратитесь к администратору.",
	"Please log in.": "Войдите в систему.",
	"Your session has expired; please log in again.":                                    "Сеанс истёк, войдите снова.",
	"Only administrators can do this.":                                                  "Это может только администратор.",
	"Only administrators can change roles, Operator IDs and active status.":             "Роли, ID операторов и активность меняет только администратор.",
	"This is the last active administrator; make another agent an administrator first.": "Это последний активный администратор: сначала назначьте другого.",
	"Current password is wrong.":                                                        "Текущий пароль неверен.",
	"Agent not found.":                                                                  "Агент не найден.",
	"Token not found.":                                                                  "Токен не найден.",
	"Internal error.":                                                                   "Внутренняя ошибка.",
	"The page you asked for does not exist.":                                            "Такой страницы нет.",
	"The request was refused: it came from another site.":                               "Запрос отклонён: он пришёл с другого сайта.",
	"Token name is too long: at most 100 characters.":                                   "Название токена слишком длинное: не более 100 символов.",
	"The form could not be read.":                                                       "Не удалось прочитать форму.",
	"Operator ID must be a number.":                                                     "ID оператора должен быть числом.",
}

// addRU adds translations; each feature file keeps its own catalogue in
// an init function (i18n_tickets.go, ...). One English key has one Russian
// text for the whole UI: a key added again with a different text is not
// overwritten but recorded in ruConflicts, which TestCatalogueNoConflicts
// lists. Two meanings need two English keys ("Date from", "From number").
func addRU(m map[string]string) {
	_, file, line, _ := runtime.Caller(1)
	mergeRU(ru, ruSource, &ruConflicts, m, fmt.Sprintf("%s:%d", filepath.Base(file), line))
}

// mergeRU adds m, from the call at where, to the catalogue text with its
// sources; a key text already translates otherwise is recorded in conflicts
// and keeps its first translation.
func mergeRU(text, source map[string]string, conflicts *[]string, m map[string]string, where string) {
	for k, v := range m {
		if old, ok := text[k]; ok && old != v {
			src := source[k]
			if src == "" {
				src = "i18n.go"
			}
			*conflicts = append(*conflicts, fmt.Sprintf("%q: %q (%s) vs %q (%s)", k, old, src, v, where))
			continue
		}
		text[k] = v
		if _, ok := source[k]; !ok {
			source[k] = where
		}
	}
}

// ruSource names the addRU call that first added each key (keys of the
// ru literal have none); ruConflicts lists refused re-translations.
var (
	ruSource    = map[string]string{}
	ruConflicts []string
)

// translate returns msg in lang: from the catalogue, else msg itself.
// Messages that name values are translated by their wording, with the
// values put back afterwards (ringdesk.Text, localize): the catalogue's key
// is then the wording with its fmt verbs, "At most %d tags.".
func translate(lang, msg string) string {
	if lang != "ru" {
		return msg
	}
	if t, ok := ru[msg]; ok {
		return t
	}
	return msg
}

// ruPlurals holds the Russian forms of wordings that count something,
// keyed by the English plural ("%d agents"): the form for 1, 21, 31...
// («%d агент»), for 2-4, 22-24... («%d агента») and for the rest («%d
// агентов»). Templates use {{plural n "%d agent" "%d agents"}};
// TestPluralsTranslated keeps the catalogue complete.
var ruPlurals = map[string][3]string{}

// addRUPlurals adds plural forms (see ruPlurals).
func addRUPlurals(m map[string][3]string) {
	for k, v := range m {
		ruPlurals[k] = v
	}
}

// ruPluralForm returns which Russian form n takes: 0 (1, 21, 101...),
// 1 (2-4, 22-24...) or 2 (0, 5-20, 25-30...).
func ruPluralForm(n int64) int {
	if n < 0 {
		n = -n
	}
	switch d, h := n%10, n%100; {
	case d == 1 && h != 11:
		return 0
	case d >= 2 && d <= 4 && (h < 12 || h > 14):
		return 1
	}
	return 2
}

// plural returns the wording of n in lang with n in it: one or other in
// English, one of the three Russian forms of other in Russian.
func plural(lang string, n int64, one, other string) string {
	format := other
	if n == 1 {
		format = one
	}
	if lang == ringdesk.LangRU {
		if forms, ok := ruPlurals[other]; ok {
			format = forms[ruPluralForm(n)]
		}
	}
	return fmt.Sprintf(format, n)
}

// localize returns err's message and field messages in the language of
// the request's agent.
func (s *Server) localize(r *http.Request, err error) (string, map[string]string) {
	lang := s.lang(agentFrom(r), r)
	return ringdesk.Localize(err, func(m string) string { return translate(lang, m) })
}

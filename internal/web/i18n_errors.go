package web

// Russian texts of error messages from the domain, use-case, store and
// recording packages and of the HTTP layer itself. Error pages and form
// errors translate through the catalogue; TestErrorMessagesTranslated
// finds every message in the source and checks it is here (or in a
// feature catalogue, or matched by a pattern).
func init() {
	addRU(map[string]string{
		"The database is unavailable; try again shortly.": "База данных недоступна, повторите попытку позже.",
		// Rows that do not exist (store's notFound).
		"Ticket not found.":         "Обращение не найдено.",
		"Call not found.":           "Звонок не найден.",
		"Call request not found.":   "Запрос звонка не найден.",
		"Channel token not found.":  "Токен канала не найден.",
		"Dead letter not found.":    "Непринятое уведомление не найдено.",
		"Session not found.":        "Сеанс не найден.",
		"Reconciliation not found.": "Сверка не найдена.",
		// Accounts and tokens.
		"Your account is not active.":                                             "Ваша учётная запись деактивирована.",
		"The API token is invalid or revoked.":                                    "API-токен неверен или отозван.",
		"The token's agent is deactivated.":                                       "Агент этого токена деактивирован.",
		"The Authorization header must be: Bearer <token>.":                       "Заголовок Authorization должен иметь вид: Bearer <токен>.",
		"No secret key is configured.":                                            "На сервере не задан секретный ключ.",
		"API tokens open only the JSON API under /api/; log in to use the pages.": "API-токен открывает только JSON API (/api/…); чтобы открыть страницы, войдите в систему.",
		"API tokens are made only by a logged-in person: on the profile page or with ringdesk token create, never with a token.": "API-токены создаёт только вошедший в систему человек: на странице профиля или командой ringdesk token create, но не с помощью токена.",
		"Expiry must be a number of days such as 30d, or of hours such as 12h, up to 10 years.":                                  "Срок действия: число дней (например, 30d) или часов (например, 12h), не больше 10 лет.",
		"The expiry must be in the future.":        "Срок действия должен быть в будущем.",
		"The expiry must be within 10 years.":      "Срок действия — не больше 10 лет.",
		"Give expires_in or expires_at, not both.": "Укажите expires_in или expires_at, но не оба.",
		// Tickets and comments.
		"Agents write as agent or on behalf of the client.": "Агент пишет от своего имени или от имени клиента.",
		"Author must be agent or client.":                   "Автор: агент или клиент.",
		"Author must be agent, client or system.":           "Автор: агент, клиент или система.",
		"Assignee must be an agent id or null.":             "Исполнитель: ID агента или null.",
		// Channels.
		"Channel type must be uis.":                                "Тип канала должен быть uis.",
		"Only UIS channels have a calls report to reconcile with.": "Сверка с отчётом по звонкам есть только у каналов UIS.",
		"A channel's type cannot be changed.":                      "Тип канала нельзя изменить.",
		"The channel has no App Secret.":                           "У канала не задан App Secret.",
		"The App Secret cannot be decrypted; was RINGDESK_SECRET_KEY changed? Enter the App Secret again.": "App Secret не удаётся расшифровать: не изменился ли RINGDESK_SECRET_KEY? Введите App Secret заново.",
		// Recordings.
		"The call has no such recording.": "У звонка нет такой записи.",
		"The recording link points to a host that is not allowed for this channel, so Ringdesk did not fetch it. An administrator can allow the host in the channel settings.": "Ссылка на запись ведёт на хост, не разрешённый для этого канала, поэтому Ringdesk её не загрузил. Администратор может разрешить хост в настройках канала.",
		"The recording is no longer available at UIS: the link has expired or the recording was deleted.":                                                                      "Запись больше недоступна в UIS: срок действия ссылки истёк или запись удалена.",
		"UIS cannot be reached to fetch the recording. Try again in a moment.":                                                                                                 "UIS недоступен, запись не удалось загрузить. Повторите чуть позже.",
		"UIS has not made this recording available yet: recordings appear some time after the call ends. Try again in a few minutes.":                                          "UIS ещё не подготовил эту запись: записи появляются через некоторое время после окончания звонка. Попробуйте через несколько минут.",
		"The requested part of the recording does not exist.":                                                                                                                  "Запрошенной части записи нет.",
		// UIS notifications (webhooks).
		"The channel token is unknown or revoked.": "Токен канала неизвестен или отозван.",
		"Use POST.":                      "Используйте POST.",
		"The body is larger than 1 MiB.": "Тело больше 1 МиБ.",
		"The body could not be read.":    "Не удалось прочитать тело запроса.",
		"The request ended before the event was stored; send it again.": "Запрос прервался до сохранения события; отправьте его снова.",
		// API requests.
		"The request body is larger than 1 MiB.":           "Тело запроса больше 1 МиБ.",
		"The request body has data after the JSON object.": "В теле запроса есть данные после JSON-объекта.",
		"other_id is required.":                            "Укажите other_id.",
		"limit must be a number from 1 to 200.":            "limit — число от 1 до 200.",
	})
	addRU(map[string]string{
		"Too many failed logins. Try again in %d min.":                        "Слишком много неудачных попыток входа. Повторите через %d мин.",
		"The API token expired at %s; create a new one on your profile page.": "Срок действия API-токена истёк %s; создайте новый на странице профиля.",
		"Unknown status: %s": "Неизвестный статус: %s",
		"The notification could not be understood (%s); it was kept for an administrator to inspect and replay.":                             "Уведомление не удалось разобрать (%s); оно сохранено, чтобы администратор мог проверить и повторить его.",
		"The request body is not valid JSON for this endpoint: %s.":                                                                          "Тело запроса — неверный JSON для этого метода: %s.",
		"Unknown notification %q: use incoming_call_started, outgoing_call_started, conversation_started, call_finished or recording_ready.": "Неизвестное уведомление %q: используйте incoming_call_started, outgoing_call_started, conversation_started, call_finished или recording_ready.",
	})
}

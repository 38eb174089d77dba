package web

func init() {
	addRU(map[string]string{
		"recommended": "рекомендуется",
		"UIS sends it when a talk's recording can be downloaded; Ringdesk then archives it at once. Without it recordings are still fetched, a little later.": "UIS присылает его, когда запись разговора можно скачать; Ringdesk тогда сразу её архивирует. Без него записи всё равно скачиваются, немного позже.",
		"UIS notifications refused in the last 24 hours": "Уведомления UIS, отклонённые за последние 24 часа",
		"The last one":    "Последнее",
		"token ending in": "токен, оканчивающийся на",
		"from IP":         "с IP",
		"If calls stopped arriving, check that the notification bodies in UIS carry an active token of the channel (see Setup).": "Если звонки перестали поступать, проверьте, что в телах уведомлений в UIS указан действующий токен канала (см. «Настройка»).",
		"The channel token is unknown or revoked.":                                                    "Токен канала неизвестен или отозван.",
		"The body is not a JSON object with a ud_channel_token.":                                      "Тело запроса — не JSON-объект с ud_channel_token.",
		"The body has no ud_channel_token; copy the notification body from the channel's setup page.": "В теле нет ud_channel_token; скопируйте тело уведомления со страницы настройки канала.",
		// Channel list and form.
		"Channel":               "Канал",
		"New channel":           "Новый канал",
		"Channel created.":      "Канал создан.",
		"Type":                  "Тип",
		"Tokens":                "Токены",
		"Token":                 "Токен",
		"Disabled":              "Отключён",
		"Last event received":   "Последнее событие",
		"Setup":                 "Настройка",
		"Setup instructions":    "Инструкция по настройке",
		"Settings":              "Настройки",
		"Dead letters":          "Непринятые уведомления",
		"UIS telephony channel": "Канал телефонии UIS",
		"No channels yet. Create one to connect a UIS account.":                     "Каналов пока нет. Создайте канал, чтобы подключить аккаунт UIS.",
		"Where tickets come from: UIS telephony accounts and their webhook tokens.": "Откуда приходят обращения: аккаунты телефонии UIS и их токены для уведомлений.",
		"set":                         "задан",
		"not set":                     "не задан",
		"set: leave empty to keep it": "задан: оставьте пустым, чтобы не менять",
		"The UIS API key (UIS: Settings → API keys). It is stored encrypted and never shown again; leave empty to keep the current one.": "API-ключ UIS (UIS: Настройки → API-ключи). Хранится в зашифрованном виде и больше не показывается; оставьте поле пустым, чтобы не менять текущий.",
		"Account time zone":                 "Часовой пояс аккаунта",
		"Virtual number for outgoing calls": "Виртуальный номер для исходящих звонков",
		"Allowed recording hosts":           "Разрешённые хосты записей",
		"One host per line. Recording links to other hosts are not played or downloaded. Empty restores the defaults: the UIS and CoMagic hosts (app.uiscom.ru, media.uiscom.ru, app.comagic.ru, media.comagic.ru).": "По одному хосту в строке. Ссылки на записи с других хостов не воспроизводятся и не скачиваются. Пустое поле — хосты по умолчанию: UIS и CoMagic (app.uiscom.ru, media.uiscom.ru, app.comagic.ru, media.comagic.ru).",
		"Ticket policy for calls":                                 "Обращения по звонкам",
		"A new ticket for every call":                             "Новое обращение на каждый звонок",
		"Reuse the client's open ticket if it was updated within": "Продолжать открытое обращение клиента, если оно обновлялось в течение",
		"hours": "ч",
		"Active (unticked: webhooks are refused and no calls are made)":                                  "Активен (если снять: уведомления отклоняются и звонки не совершаются)",
		"Remove the App Secret (click-to-call and Check connection stop working until a new one is set)": "Удалить App Secret (звонки из Ringdesk и проверка подключения не работают, пока не задан новый)",
		"Either type a new App Secret or tick Remove, not both.":                                         "Либо введите новый App Secret, либо отметьте «Удалить» — не то и другое сразу.",
		"Archive call recordings": "Архивировать записи звонков",
		"Recordings archived":     "Записи архивируются",
		"Recordings not archived": "Записи не архивируются",
		"Channel tokens":          "Токены канала",
		"UIS sends a token in every notification body (ud_channel_token). Create a new token before revoking an old one to rotate without downtime.": "UIS передаёт токен в теле каждого уведомления (ud_channel_token). Чтобы сменить токен без простоя, сначала создайте новый, затем отзовите старый.",
		"Paste it into the notification bodies, or use the setup page to create a token with the bodies filled in.":                                  "Вставьте его в тела уведомлений или создайте токен на странице настройки — тела будут заполнены автоматически.",
		"Label":                "Метка",
		"Label, e.g. UIS main": "Метка, например «UIS основной»",
		"revoked":              "отозван",
		"Token revoked. Webhooks with it are refused from now on.": "Токен отозван. Уведомления с ним больше не принимаются.",
		"Check connection":             "Проверить подключение",
		"Connection works.":            "Подключение работает.",
		"The connection check failed.": "Проверка подключения не прошла.",
		"UIS account":                  "Аккаунт UIS",
		"works":                        "работает",
		"Label is too long: at most 100 characters.": "Слишком длинная метка: не более 100 символов.",
		// Unlinked UIS employees.
		"UIS employees not linked to an agent": "Сотрудники UIS без агента",
		"These UIS employees took part in calls, but no agent has their id as Operator ID, so their calls are not assigned to anyone.": "Эти сотрудники UIS участвовали в звонках, но ни у одного агента нет их ID в поле «ID оператора», поэтому их звонки ни на кого не назначаются.",
		"UIS employee":             "Сотрудник UIS",
		"Employee id":              "ID сотрудника",
		"Last seen":                "Последний звонок",
		"no name":                  "без имени",
		"not linked":               "не связан",
		"Create agent":             "Создать агента",
		"Set on an existing agent": "Указать у существующего агента",
		// Validation messages of channel settings.
		"Name is required (at most 100 characters).":                                              "Укажите название (не более 100 символов).",
		"App Secret is too long.":                                                                 "Слишком длинный App Secret.",
		"Must be an http:// or https:// URL.":                                                     "Нужен адрес http:// или https://.",
		"Unknown time zone; use an IANA name such as Europe/Moscow.":                              "Неизвестный часовой пояс; укажите имя IANA, например Europe/Moscow.",
		"Each recording host must be a bare host name such as app.uiscom.ru.":                     "Каждый хост записей — только имя хоста, например app.uiscom.ru.",
		"Ticket policy must be new or reuse.":                                                     "Выберите, как создавать обращения по звонкам.",
		"Reuse window must be between 0 and 2160 hours.":                                          "Окно повторного использования — от 0 до 2160 часов.",
		"Enter the number of hours, at least 1.":                                                  "Укажите число часов, не меньше 1.",
		"The virtual number must be a phone number in international format, such as 74951234567.": "Виртуальный номер — телефон в международном формате, например 74951234567.",
		"Please correct the highlighted fields.":                                                  "Исправьте отмеченные поля.",
	})
}

func init() {
	addRU(map[string]string{
		// Setup page.
		"Channel setup":    "Настройка канала",
		"Connect UIS":      "Подключение UIS",
		"Channel settings": "Настройки канала",
		"Create these notifications in your UIS account, and Ringdesk will turn calls into tickets.": "Создайте эти уведомления в аккаунте UIS, и Ringdesk будет превращать звонки в обращения.",
		"Before you start": "Перед началом",
		"In UIS, enable the API option («API Базовый») for the account.": "В UIS подключите для аккаунта опцию API («API Базовый»).",
		"In UIS security settings, allow API requests from the public IP address of Ringdesk's server (0.0.0.0/0 only if that address changes), create an API key and paste it into the channel's App Secret field. Then press «Check connection» on the channel page.": "В настройках безопасности UIS разрешите запросы к API с внешнего IP-адреса сервера Ringdesk (0.0.0.0/0 — только если этот адрес меняется), создайте API-ключ и вставьте его в поле App Secret канала. Затем нажмите «Проверить подключение» на странице канала.",
		"For every agent who takes calls, copy the employee's recordId from the UIS employee page address into the agent's Operator ID.":                                                                                                                                "Для каждого агента, который принимает звонки, скопируйте recordId сотрудника из адреса его страницы в UIS в поле «ID оператора» агента.",
		"In UIS open Notifications → Add and create the notifications below: choose the event type, method POST, paste the URL and the body exactly as shown.":                                                                                                          "В UIS откройте Уведомления → Добавить и создайте уведомления ниже: выберите тип события, метод POST, вставьте адрес и тело точно как показано.",
		"A new channel token was created and filled into the bodies below.":                                                             "Создан новый токен канала, он подставлен в тела уведомлений ниже.",
		"It is shown only this once: copy the bodies into UIS now. Reloading the page shows the placeholder again.":                     "Он показывается только сейчас: скопируйте тела в UIS. После перезагрузки страницы снова будет заглушка.",
		"The bodies below contain the placeholder":                                                                                      "Тела ниже содержат заглушку",
		"Replace it with a channel token, or create a token for setup and the page will show the bodies with it filled in (only once).": "Замените её токеном канала или создайте токен для настройки — страница покажет тела с подставленным токеном (один раз).",
		"Create a token for setup": "Создать токен для настройки",
		"Event type":               "Тип события",
		"Method":                   "Метод",
		"Body":                     "Тело",
		"Copy body":                "Скопировать тело",
	})
}

func init() {
	addRU(map[string]string{
		"Note: the UIS «Call management» option is not enabled. Click-to-call works without it.": "Примечание: в UIS не подключена опция «Управление вызовами». Звонки из Ringdesk работают и без неё.",
	})
}

func init() {
	addRU(map[string]string{
		// Dead letters.
		"Notifications that came with a valid channel token but could not be understood. Nothing is lost: fix the cause (for example the notification body in UIS) and replay them.": "Уведомления с верным токеном канала, которые не удалось разобрать. Ничего не потеряно: устраните причину (например, тело уведомления в UIS) и повторите их обработку.",
		"Received":               "Получено",
		"Last received":          "Последнее получение",
		"Times received":         "Получено раз",
		"first received":         "впервые",
		"Notification":           "Уведомление",
		"Reason":                 "Причина",
		"replayed":               "обработано повторно",
		"replay failed":          "повтор не удался",
		"not replayed":           "не обработано",
		"Replay":                 "Повторить",
		"Body as received":       "Тело как получено",
		"Newest dead letters":    "Новые непринятые уведомления",
		"Older dead letters":     "Более ранние",
		"No older dead letters.": "Более ранних непринятых уведомлений нет.",
		"No dead letters: every notification was understood.": "Непринятых уведомлений нет: все уведомления разобраны.",
		"The notification was replayed and applied.":          "Уведомление обработано повторно и применено.",
		"This notification was already replayed.":             "Это уведомление уже обработано повторно.",
	})
}

func init() {
	addRU(map[string]string{
		"Link":             "Связать",
		"Choose an agent.": "Выберите агента.",
		"Operator ID set: this employee's calls are assigned to the agent from now on.": "ID оператора задан: звонки этого сотрудника UIS теперь назначаются агенту.",
	})
}

func init() {
	addRU(map[string]string{
		"UIS cannot reach this address.":                                  "UIS не сможет обратиться по этому адресу.",
		"The URLs below use the public address Ringdesk was started with": "Адреса ниже построены от публичного адреса, с которым запущен Ringdesk",
		"which points at this machine or a private network. Start Ringdesk with --base-url (or RINGDESK_BASE_URL) set to the address UIS can reach, e.g. https://desk.example.com.": "а он указывает на этот компьютер или частную сеть. Запустите Ringdesk с --base-url (или RINGDESK_BASE_URL), равным адресу, доступному из UIS, например https://desk.example.com.",
	})
}

func init() {
	addRU(map[string]string{
		"Time zone differs:":                     "Часовой пояс отличается:",
		"UIS reports the account's time zone as": "UIS сообщает часовой пояс аккаунта",
		"but the channel uses":                   "а в канале указан",
		"Set the channel's time zone to the account's, or call times will be shifted.": "Укажите в канале часовой пояс аккаунта, иначе время звонков будет сдвинуто.",
	})
}

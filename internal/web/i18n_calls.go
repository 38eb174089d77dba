package web

func init() {
	addRU(map[string]string{
		// Click-to-call.
		"Call":                "Звонок",
		"Calling your phone…": "Звоним на ваш телефон…",
		"Pick it up; UIS will then dial the client.": "Возьмите трубку — затем UIS наберёт клиента.",
		"Back":                                 "Назад",
		"The request names an invalid record.": "В запросе указана неверная запись.",
		"Must be a positive number.":           "Должно быть положительным числом.",
		"Log in to place calls.":               "Войдите, чтобы звонить.",
		"Your Operator ID is not set, so UIS does not know which phone to ring. Ask an administrator to enter your UIS employee id on your agent page.": "У вас не указан ID оператора, поэтому UIS не знает, на какой телефон звонить. Попросите администратора указать ваш ID сотрудника UIS в карточке агента.",
		"There is no such channel.":                  "Такого канала нет.",
		"This channel is not an active UIS channel.": "Это не активный канал UIS.",
		"No active UIS channel is set up, so calls cannot be placed. Ask an administrator to add one under Channels.": "Нет активного канала UIS, звонить нельзя. Попросите администратора добавить его в разделе «Каналы».",
		"There is no such ticket.": "Такого обращения нет.",
		"This is not a valid phone number; enter it with the country code, e.g. +7 926 123-45-67.":                                               "Это не номер телефона; введите его с кодом страны, например +7 926 123-45-67.",
		"Give a phone number or a client to call.":                                                                                               "Укажите номер телефона или клиента.",
		"There is no such client.":                                                                                                               "Такого клиента нет.",
		"This client has no phone number. Add one to the client card first.":                                                                     "У клиента нет номера телефона. Сначала добавьте его в карточку клиента.",
		"The UIS channel has no default outgoing number. Ask an administrator to set it in the channel settings.":                                "У канала UIS не задан номер для исходящих звонков. Попросите администратора указать его в настройках канала.",
		"The UIS channel has no App Secret. Ask an administrator to enter it in the channel settings.":                                           "У канала UIS не задан App Secret. Попросите администратора ввести его в настройках канала.",
		"UIS does not know your Operator ID. Ask an administrator to check the Operator ID on your agent page against your employee id in UIS.":  "UIS не знает вашего ID оператора. Попросите администратора сверить ID оператора в вашей карточке агента с ID сотрудника в UIS.",
		"The channel's outgoing number is not a virtual number of this UIS account. Ask an administrator to correct it in the channel settings.": "Номер для исходящих звонков не является виртуальным номером этого аккаунта UIS. Попросите администратора исправить его в настройках канала.",
		"This number is in the UIS blacklist, so UIS will not call it.":                                                                          "Этот номер в чёрном списке UIS, UIS не будет на него звонить.",
		"UIS refused the request from this server's IP address. An administrator must allow it in the UIS API settings (IP whitelist).":          "UIS отклонил запрос с IP-адреса этого сервера. Администратор должен разрешить его в настройках API UIS (белый список IP).",
		"UIS rejected the channel's App Secret. An administrator must enter the current App Secret in the channel settings.":                     "UIS отклонил App Secret канала. Администратор должен ввести действующий App Secret в настройках канала.",
		"The channel's App Secret has expired in UIS. An administrator must issue a new one in UIS and enter it in the channel settings.":        "Срок действия App Secret канала в UIS истёк. Администратор должен выпустить новый в UIS и ввести его в настройках канала.",
		"The channel's App Secret is blocked in UIS. An administrator must unblock it in UIS or enter a new one.":                                "App Secret канала заблокирован в UIS. Администратор должен разблокировать его в UIS или ввести новый.",
		"The UIS request limit is used up for now. Try again in a minute.":                                                                       "Лимит запросов к UIS пока исчерпан. Повторите через минуту.",
		"Calling through the UIS Call API is not enabled for this UIS account. An administrator must enable it in UIS.":                          "Звонки через Call API не подключены в этом аккаунте UIS. Администратор должен включить их в UIS.",
		"UIS could not start the call. Try again; if it keeps failing, tell an administrator.":                                                   "UIS не смог начать звонок. Повторите; если ошибка повторяется, сообщите администратору.",
		"UIS did not answer in time. Try again in a moment.":                                                                                     "UIS не ответил вовремя. Повторите чуть позже.",
		"UIS cannot be reached right now. Try again in a moment.":                                                                                "UIS сейчас недоступен. Повторите чуть позже.",
	})
}

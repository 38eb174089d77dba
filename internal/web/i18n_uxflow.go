package web

// Russian texts of the agent workflow: bulk actions, drafts, desktop
// notifications and the agent's time zone.
func init() {
	addRU(map[string]string{
		"Keys: / search, j/k move, x selects, Enter opens.": "Клавиши: / — поиск, j/k — вверх/вниз, x — выбрать, Enter — открыть.",
		"Change selected tickets":                           "Изменить выбранные обращения",
		"Selected:":                                         "Выбрано:",
		"Set status":                                        "Установить статус",
		"Status: no change":                                 "Статус: без изменений",
		"Set assignee":                                      "Назначить исполнителя",
		"Assignee: no change":                               "Исполнитель: без изменений",
		"Add tag":                                           "Добавить тег",
		"Apply to selected":                                 "Применить к выбранным",
		"Select all on this page":                           "Выбрать все на странице",
		"Select ticket":                                     "Выбрать обращение",
		"Selected tickets updated.":                         "Выбранные обращения изменены.",
		"Select at least one ticket.":                       "Выберите хотя бы одно обращение.",
		"Choose what to change.":                            "Выберите, что изменить.",
		"Unknown assignee.":                                 "Неизвестный исполнитель.",
		// Desktop notifications.
		"Desktop notifications": "Уведомления на рабочем столе",
		"A notification on your desktop when a call rings while Ringdesk is in a background tab. Clicking it opens the call's ticket.": "Уведомление на рабочем столе о входящем звонке, когда вкладка Ringdesk в фоне. Щелчок по нему открывает обращение звонка.",
		"Enable desktop notifications":                                                      "Включить уведомления на рабочем столе",
		"Disable desktop notifications":                                                     "Выключить уведомления на рабочем столе",
		"Desktop notifications are on in this browser.":                                     "Уведомления на рабочем столе включены в этом браузере.",
		"Desktop notifications are off.":                                                    "Уведомления на рабочем столе выключены.",
		"This browser blocks notifications from Ringdesk: allow them in the site settings.": "Браузер блокирует уведомления Ringdesk: разрешите их в настройках сайта.",
		"This browser cannot show desktop notifications.":                                   "Этот браузер не умеет показывать уведомления на рабочем столе.",
		// Time zone.
		"Time zone":          "Часовой пояс",
		"Server default":     "Как на сервере",
		"Times are in":       "Время указано в поясе",
		"Unknown time zone.": "Неизвестный часовой пояс.",
		"Kaliningrad":        "Калининград",
		"Moscow":             "Москва",
		"Samara":             "Самара",
		"Yekaterinburg":      "Екатеринбург",
		"Omsk":               "Омск",
		"Novosibirsk":        "Новосибирск",
		"Krasnoyarsk":        "Красноярск",
		"Irkutsk":            "Иркутск",
		"Yakutsk":            "Якутск",
		"Vladivostok":        "Владивосток",
		"Magadan":            "Магадан",
		"Kamchatka":          "Камчатка",
	})
	addRU(map[string]string{
		"Select at most %d tickets.": "Выберите не больше %d обращений.",
	})
	addRUPlurals(map[string][3]string{
		"%d tickets updated.":     {"%d обращение изменено.", "%d обращения изменены.", "%d обращений изменено."},
		"%d tickets not updated:": {"%d обращение не изменено:", "%d обращения не изменены:", "%d обращений не изменено:"},
	})
}

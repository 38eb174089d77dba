package web

func init() {
	addRU(map[string]string{
		// The channel's UIS employees page.
		"UIS employees": "Сотрудники UIS",
		"Refresh":       "Обновить",
		"Each UIS employee answers calls as one agent: the agent whose Operator ID is the employee's id. Link them here in one click; the Operator ID field on the agent's page stays for exceptions.": "Сотрудник UIS отвечает на звонки как один агент — тот, чей ID оператора равен ID сотрудника. Свяжите их здесь одним нажатием; поле «ID оператора» на странице агента остаётся для исключений.",
		"The employees could not be read from UIS.": "Не удалось получить сотрудников из UIS.",
		"Numbers":                                    "Номера",
		"The UIS account lists no employees.":        "В аккаунте UIS нет сотрудников.",
		"UIS employees seen in this channel's calls": "Сотрудники UIS из звонков этого канала",
		"Seen in calls but not listed by UIS":        "Были в звонках, но UIS их не перечисляет",
		"UIS no longer lists these employees (deleted, or another business's staff on a shared account).": "UIS больше не перечисляет этих сотрудников (удалены или это сотрудники другого бизнеса в общем аккаунте).",
		"UIS group":       "группа UIS",
		"Extension":       "Внутренний номер",
		"ext.":            "доб.",
		"inactive":        "неактивен",
		"deactivated":     "деактивирован",
		"suggested:":      "похоже, это:",
		"same email":      "тот же адрес эл. почты",
		"same name":       "то же имя",
		"Choose an agent": "Выберите агента",
		"Calls this employee answers stay unassigned until an agent is linked.": "Звонки, на которые отвечает этот сотрудник, ни на кого не назначаются, пока с ним не связан агент.",
		"seen in calls, linked to nobody":                                       "был в звонках, ни с кем не связан",
		"calls they answered stay unassigned":                                   "его звонки ни на кого не назначены",
		"last":                                                                  "последний",
		"not seen yet":                                                          "ещё не было звонков",
		"Linked: the calls this employee answers are assigned to the agent from now on.": "Связано: звонки, на которые отвечает этот сотрудник, теперь назначаются агенту.",
		"This agent is deactivated.": "Этот агент деактивирован.",
		"%s is already linked to UIS employee %d; change the Operator ID on the agent's page.": "%s уже связан с сотрудником UIS %d; ID оператора меняется на странице агента.",
	})
	addRUPlurals(map[string][3]string{
		"%d employees in UIS":                {"%d сотрудник в UIS", "%d сотрудника в UIS", "%d сотрудников в UIS"},
		"%d linked to agents":                {"%d связан с агентом", "%d связаны с агентами", "%d связаны с агентами"},
		"%d seen in calls, linked to nobody": {"%d был в звонках и ни с кем не связан", "%d были в звонках и ни с кем не связаны", "%d были в звонках и ни с кем не связаны"},
	})
}

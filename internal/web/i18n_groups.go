package web

func init() {
	addRU(map[string]string{
		// Groups page, group form, deleting a group.
		"Groups":                    "Группы",
		"Group":                     "Группа",
		"group":                     "группу",
		"New group":                 "Новая группа",
		"Delete the group “%s”?":    "Удалить группу «%s»?",
		"Create group":              "Создать группу",
		"Delete group":              "Удалить группу",
		"Agents in the group":       "Агенты группы",
		"deactivated":               "деактивирован",
		"Open tickets of the group": "Открытые обращения группы",
		"Teams of agents. A ticket belongs to one group; an agent to any number of them.": "Команды агентов. Обращение относится к одной группе, агент — к любому числу групп.",
		"No groups yet. Create one, then choose its agents.":                              "Групп пока нет. Создайте группу и выберите её агентов.",
		"The group has no tickets.":                                                       "У группы нет обращений.",
		"Ticket timelines keep the group's name. Its agents stay, without this group.":    "В истории обращений название группы останется. Агенты группы останутся, но уже без неё.",
		"Group created. Choose its agents.":                                               "Группа создана. Выберите её агентов.",
		"Group deleted. Its tickets have no group now.":                                   "Группа удалена. Её обращения теперь без группы.",

		// Tickets: views, filter, bulk bar, ticket page.
		"My groups — open":      "Мои группы — открытые",
		"Groups — open":         "Группы — открытые",
		"Any group":             "Любая группа",
		"My groups":             "Мои группы",
		"No group":              "Без группы",
		"no group":              "без группы",
		"Set group":             "Назначить группу",
		"Group: no change":      "Группа: без изменений",
		"In group":              "В группе",
		"Other agents":          "Другие агенты",
		"the group was deleted": "группа удалена",

		// The availability switch in the top bar.
		"Available":                              "Доступен",
		"You take calls. Press to stop.":         "Вы принимаете звонки. Нажмите, чтобы перестать.",
		"You do not take calls. Press to start.": "Вы не принимаете звонки. Нажмите, чтобы начать.",

		// Errors.
		"Only administrators can change group memberships.":        "Состав групп меняет только администратор.",
		"Only an agent has an availability switch.":                "Переключатель доступности есть только у агента.",
		"Name is too long: at most %d characters.":                 "Название слишком длинное: не более %d символов.",
		"Agent ids must be positive numbers.":                      "ID агентов — положительные числа.",
		"Group ids must be positive numbers.":                      "ID групп — положительные числа.",
		"Group must be a group id or null.":                        "Группа: ID группы или null.",
		"Group must be a group id, none or mine.":                  "Группа: ID группы, none или mine.",
		"The group view needs group_id: a group id, none or mine.": "Представлению группы нужен group_id: ID группы, none или mine.",
		"Group not found.":                                         "Группа не найдена.",
		"No agent has id %d.":                                      "Нет агента с ID %d.",
		"No group has id %d.":                                      "Нет группы с ID %d.",
		"A group with this name already exists.":                   "Группа с таким названием уже есть.",
		"Unknown group.":                                           "Неизвестная группа.",
	})
	addRUPlurals(map[string][3]string{
		"%d agents": {"%d агент", "%d агента", "%d агентов"},
		"Its %d tickets will have no group.": {"Её %d обращение останется без группы.", "Её %d обращения останутся без группы.",
			"Её %d обращений останутся без группы."},
	})
}

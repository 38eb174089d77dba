package web

// Call routing: the channel page's card, the setup page's variables and
// the rules' validation messages.
func init() {
	addRU(map[string]string{
		"Call routing": "Маршрутизация звонков",
		"Calls go to the group of the first rule they match, else to the default group. A call pops up only for that group's agents who are available for calls. With no group, every agent sees it.": "Звонок попадает в группу первого подходящего правила, иначе — в группу по умолчанию. Всплывает он только у агентов этой группы, доступных для звонков. Без группы его видят все агенты.",
		"Match by":                       "Условие",
		"Value":                          "Значение",
		"Virtual number":                 "Виртуальный номер",
		"Scenario id":                    "ID сценария",
		"Scenario name":                  "Название сценария",
		"Employee offered the call (id)": "Сотрудник, которому поступил звонок (ID)",
		"empty: no rule":                 "пусто — нет правила",
		"archived":                       "в архиве",
		"The group is archived: the rule is skipped.": "Группа в архиве: правило пропускается.",
		"Move up": "Выше",
		"To remove a rule, empty its value. Numbers are written as UIS writes them, such as 74951234567.": "Чтобы удалить правило, очистите его значение. Номера пишутся так, как их пишет UIS, например 74951234567.",
		"Default group":                          "Группа по умолчанию",
		"No group: every agent":                  "Без группы: все агенты",
		"There are no groups yet.":               "Групп пока нет.",
		"Create a group":                         "Создать группу",
		"These rules read":                       "Эти правила читают",
		"check that the notifications send them": "проверьте, что уведомления их передают",
		"Save routing":                           "Сохранить маршрутизацию",
		"Call routing saved.":                    "Маршрутизация звонков сохранена.",
		"Variables call routing needs":           "Переменные для маршрутизации звонков",
		"This channel's routing rules read":      "Правила маршрутизации этого канала читают",
		"The bodies below already send them: a call is routed while it still rings when the incoming call notification carries them, and settled when the call finishes.":          "Тела ниже уже их передают: звонок маршрутизируется ещё во время вызова, если их несёт уведомление о входящем звонке, и уточняется, когда звонок завершён.",
		"UIS names the employees a call was offered to (employee_ids) only once the call is over; a rule by employee routes the ticket then, not the ringing call.":                "UIS называет сотрудников, которым поступал звонок (employee_ids), только после его завершения; правило по сотруднику направляет тогда обращение, а не звонящий вызов.",
		"This channel has no routing rules: every call goes to every agent. The virtual number is in every body already; rules by scenario add scenario_id or scenario_name here.": "У этого канала нет правил маршрутизации: каждый звонок видят все агенты. Виртуальный номер уже есть в каждом теле; правила по сценарию добавят сюда scenario_id или scenario_name.",
		"Added for call routing:": "Добавлено для маршрутизации:",
		"Not taking calls":        "Не принимает звонки",
		"The agent switched off calls: no call pops up for them.": "Агент выключил приём звонков: звонки у него не всплывают.",
		// Validation.
		"Routing is a list of rules such as {\"virtual_phone_number\": \"74951234567\", \"group_id\": 2}.": "Маршрутизация — это список правил вида {\"virtual_phone_number\": \"74951234567\", \"group_id\": 2}.",
		"At most 100 routing rules.": "Не больше 100 правил маршрутизации.",
		"Each routing rule matches by exactly one of virtual_phone_number, scenario_id, scenario_name or employee_id.": "Каждое правило проверяет ровно одно из: virtual_phone_number, scenario_id, scenario_name или employee_id.",
		"Each routing rule needs the group_id of the group it sends calls to.":                                         "Каждому правилу нужен group_id группы, в которую оно направляет звонки.",
		"A rule's virtual number must be a phone number in international format, such as 74951234567.":                 "Виртуальный номер в правиле должен быть номером в международном формате, например 74951234567.",
		"Scenario and employee ids are positive numbers.":                                                              "ID сценариев и сотрудников — положительные числа.",
		"A scenario name is at most 255 characters.":                                                                   "Название сценария — не длиннее 255 символов.",
		"The default group must be a group id or null.":                                                                "Группа по умолчанию — это ID группы или null.",
		"Group %d not found.": "Группа %d не найдена.",
		"%q is not an id: UIS scenario and employee ids are numbers.": "%q — не ID: ID сценариев и сотрудников в UIS — числа.",
	})
}

package web

// Missed calls owned until called back: the wait, the claim, the
// timeline entries and the errors.
func init() {
	addRU(map[string]string{
		"<1 min":      "<1 мин",
		"%d min":      "%d мин",
		"%d h %d min": "%d ч %d мин",
		"%d d %d h":   "%d д %d ч",

		"Waiting for a call back for %s": "Ждёт обратного звонка %s",
		"since":                          "с",
		"call-backs tried: %d":           "попыток перезвонить: %d",
		"You are calling back":           "Вы перезваниваете",
		"%s is calling back":             "Перезванивает %s",
		"Mark handled":                   "Отметить обработанным",
		"Why no call back is needed":     "Почему перезванивать не нужно",
		"e.g. the client wrote by email": "например, клиент написал на почту",
		"Called back by %s after %s":     "Перезвонил(а) %s через %s",
		"Called back after %s":           "Перезвонили через %s",
		"The client called again and %s answered, %s after the missed call":  "Клиент позвонил снова, ответил(а) %s через %s после пропущенного",
		"The client called again and was answered, %s after the missed call": "Клиент позвонил снова, ему ответили через %s после пропущенного",
		"%s marked the missed call handled":                                  "%s отметил(а) пропущенный звонок обработанным",
		"Marked handled: the missed call no longer waits for a call back.":   "Отмечено: пропущенный звонок больше не ждёт обратного звонка.",
		"Since the first missed call not yet called back":                    "С первого пропущенного звонка, на который ещё не перезвонили",
		"Calls to the client since the first missed call":                    "Звонки клиенту после первого пропущенного",
		"Call-backs":     "Перезвоны",
		"Last missed at": "Последний пропущенный",

		"Say why the missed call needs no call back.":                                 "Укажите, почему перезванивать не нужно.",
		"The reason is too long.":                                                     "Причина слишком длинная.",
		"Only an agent can mark a missed call handled.":                               "Отметить пропущенный звонок обработанным может только агент.",
		"This ticket is not waiting for a call back.":                                 "Это обращение не ждёт обратного звонка.",
		"%s is already calling this client back. Open the ticket to see how it went.": "%s уже перезванивает этому клиенту. Откройте обращение, чтобы узнать, чем закончилось.",
	})
}

package web

func init() {
	addRU(map[string]string{
		// The channel page's reconciliation card.
		"Reconciliation with the UIS calls report": "Сверка с отчётом UIS по звонкам",
		"Every few minutes Ringdesk reads the UIS calls report (Data API) and applies the calls whose notifications were lost: missing calls get a ticket, calls left talking are finished.": "Каждые несколько минут Ringdesk читает отчёт UIS по звонкам (Data API) и применяет звонки, уведомления о которых потерялись: для пропущенных звонков создаются обращения, незавершённые звонки завершаются.",
		"Last reconciliation:":                   "Последняя сверка:",
		"OK":                                     "успешно",
		"calls checked":                          "звонков проверено",
		"recovered":                              "восстановлено",
		"finished":                               "завершено",
		"report rows skipped (see dead letters)": "строк отчёта пропущено (см. непринятые уведомления)",
		"failed":                                 "ошибка",
		"failures in a row:":                     "ошибок подряд:",
		"Calls that started before this time are reconciled:": "Сверены звонки, начавшиеся до",
		"Not run yet.": "Ещё не выполнялась.",
		"Needs the App Secret: without it calls whose notifications were lost cannot be recovered.": "Нужен App Secret: без него звонки с потерянными уведомлениями не восстановить.",
		"Reconcile now":                         "Сверить сейчас",
		"Reconciled with the UIS calls report.": "Сверка с отчётом UIS выполнена.",
		// Calls.
		"State unknown": "Состояние неизвестно",
		"Recovered from the UIS call report: its notifications never arrived.":                                               "Восстановлен по отчёту UIS: уведомления о звонке не пришли.",
		"Finished from the UIS call report: the call_finished notification never arrived.":                                   "Завершён по отчёту UIS: уведомление call_finished не пришло.",
		"No notification has finished this call for hours and the UIS calls report could not be read; its state is unknown.": "Звонок не завершён уже несколько часов, а отчёт UIS по звонкам прочитать не удалось; его состояние неизвестно.",
	})
}

package web

func init() {
	addRU(map[string]string{
		// The channel page's reconciliation card.
		"Reconciliation with the UIS calls report": "Сверка с отчётом UIS по звонкам",
		"Every few minutes Ringdesk reads the UIS calls report (Data API) and applies the calls whose notifications were lost: missing calls get a ticket, calls left talking are finished.": "Каждые несколько минут Ringdesk читает отчёт UIS по звонкам (Data API) и применяет звонки, уведомления о которых потерялись: для пропущенных звонков создаются обращения, незавершённые звонки завершаются.",
		"Last reconciliation:":                        "Последняя сверка:",
		"UIS's time to call back cannot be negative.": "Время до перезвона по данным UIS не может быть отрицательным.",
		"OK":                             "успешно",
		"The UIS account's time zone is": "Часовой пояс аккаунта UIS —",
		"the channel's is":               "у канала —",
		"Reconciliation waits until they match: use Check connection to take the account's time zone.":                            "Сверка не запускается, пока они не совпадут: нажмите «Проверить подключение», чтобы взять часовой пояс аккаунта.",
		"The UIS account's time zone differs from the channel's; check the connection on the channel page to take the account's.": "Часовой пояс аккаунта UIS отличается от часового пояса канала; проверьте подключение на странице канала, чтобы взять пояс аккаунта.",
		"Time zone taken from the UIS account:": "Часовой пояс взят из аккаунта UIS:",
		"was":                                   "был",
		"UIS writes every time in the account's zone, so the channel now reads them in it too.": "UIS пишет все времена в часовом поясе аккаунта, и канал теперь читает их в нём же.",
		"Virtual numbers of this channel": "Виртуальные номера этого канала",
		"One per line. Reconciliation with the UIS calls report takes only calls to and from these numbers; leave empty when nobody else uses the UIS account.": "По одному в строке. Сверка с отчётом UIS по звонкам берёт только звонки на эти номера и с них; оставьте пустым, если аккаунтом UIS больше никто не пользуется.",
		"Call sources to reconcile": "Источники звонков для сверки",
		"UIS call sources, separated by commas (va: calls to virtual numbers; callapi: click-to-call; sip; auto-dialler and informer sources). Empty: all.": "Источники звонков UIS через запятую (va — звонки на виртуальные номера; callapi — звонки из Ringdesk; sip; источники автообзвона и информатора). Пусто — все.",
		"Each virtual number must be a phone number in international format, such as 74951234567.":                                                          "Каждый виртуальный номер — номер в международном формате, например 74951234567.",
		"At most 200 virtual numbers.":                           "Не больше 200 виртуальных номеров.",
		"Call sources are UIS names such as va, callapi or sip.": "Источники звонков — названия UIS, например va, callapi или sip.",
		"failed":             "ошибка",
		"failures in a row:": "ошибок подряд:",
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
	addRUPlurals(map[string][3]string{
		"%d calls checked": {"%d звонок проверен", "%d звонка проверены", "%d звонков проверено"},
		"%d recovered":     {"%d восстановлен", "%d восстановлены", "%d восстановлено"},
		"%d finished":      {"%d завершён", "%d завершены", "%d завершено"},
		"%d report rows skipped (see dead letters)": {"%d строка отчёта пропущена (см. непринятые уведомления)",
			"%d строки отчёта пропущены (см. непринятые уведомления)", "%d строк отчёта пропущено (см. непринятые уведомления)"},
	})
}

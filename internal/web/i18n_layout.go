package web

// Words of the workspace layout: the top bar's menu, the ticket list's
// filters and views on a narrow screen.
func init() {
	addRU(map[string]string{
		"Menu":         "Меню",
		"More filters": "Ещё фильтры",
		"Select all":   "Выбрать все",
		"Filters":      "Фильтры",
		"Filters set":  "Задано фильтров",
	})
}

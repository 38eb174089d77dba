package web

// Russian texts of the profile's API token list and form.
func init() {
	addRU(map[string]string{
		"Expires":       "Истекает",
		"expired":       "истёк",
		"Never expires": "Бессрочно",
		"7 days":        "7 дней",
		"30 days":       "30 дней",
		"90 days":       "90 дней",
		"1 year":        "1 год",
		"A token opens the JSON API only (/api/…), never these pages, and cannot make more tokens.": "Токен открывает только JSON API (/api/…), но не эти страницы, и не может создавать другие токены.",
	})
}

package web

// Partial-number search (issue 16): the Calls page's number filter, the
// client list's hint.
func init() {
	addRU(map[string]string{
		"Type at least %d digits of the number.":                                                                        "Введите не меньше %d цифр номера.",
		"Too many numbers contain these digits; type more of the number.":                                               "Эти цифры есть в слишком многих номерах; введите больше цифр номера.",
		"A whole number, or 4 digits or more of one":                                                                    "Номер целиком или не меньше 4 его цифр",
		"Find a client by name, company, email or a phone number in any spelling, whole or in part (4 digits or more).": "Поиск по имени, компании, эл. почте или номеру телефона в любом написании, целиком или по части (не меньше 4 цифр).",
	})
}

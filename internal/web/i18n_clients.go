package web

import (
	"regexp"
)

func init() {
	addRU(map[string]string{
		"Choose another": "Выбрать другого",
		"Choose":         "Выбрать",
		"Clear":          "Сбросить",
		"Client":         "Клиент",
		"Clients":        "Клиенты",
		"Company":        "Компания",
		"Created":        "Создано",
		"Details":        "Данные",
		"Edit":           "Изменить",
		"Edit client":    "Редактирование клиента",
		"Emails":         "Эл. почта",
		"Find a client by name, company, email or any spelling of a phone number.": "Поиск по имени, компании, эл. почте или номеру телефона в любом написании.",
		"Find the client to merge in":   "Найдите клиента, которого нужно присоединить",
		"Keeps":                         "Остаётся",
		"Merge clients":                 "Объединение клиентов",
		"Merge":                         "Объединить",
		"Merged in and deleted":         "Присоединяется и удаляется",
		"Merge…":                        "Объединить…",
		"Name, company, email or phone": "Имя, компания, эл. почта или телефон",
		"New client":                    "Новый клиент",
		"Next page":                     "Следующая страница",
		"No clients match.":             "Клиенты не найдены.",
		"No clients yet.":               "Клиентов пока нет.",
		"No tickets yet.":               "Обращений пока нет.",
		"Note":                          "Заметка",
		"One per line, in any spelling: 8 (926) 123-45-67, +7 926 123 45 67.": "По одному в строке, в любом написании: 8 (926) 123-45-67, +7 926 123 45 67.",
		"One per line.":  "По одному в строке.",
		"Phones":         "Телефоны",
		"Search clients": "Поиск клиентов",
		"Find":           "Найти",
		"Subject":        "Тема",
		"The other client's tickets, calls, numbers and emails move to this client, and the other client is deleted.": "Обращения, звонки, номера и адреса другого клиента переходят к этому клиенту, а другой клиент удаляется.",
		"Tickets":         "Обращения",
		"New":             "Новое",
		"Open":            "Открыто",
		"Pending":         "В ожидании",
		"On hold":         "Приостановлено",
		"Solved":          "Решено",
		"Closed":          "Закрыто",
		"Spam":            "Спам",
		"Deleted":         "Удалено",
		"Saved.":          "Сохранено.",
		"Client created.": "Клиент создан.",
		"Clients merged: tickets, calls, numbers and emails now belong to this client.": "Клиенты объединены: обращения, звонки, номера и адреса теперь у этого клиента.",
		"Choose another client to merge.":                                               "Выберите другого клиента для объединения.",
		"A client cannot be merged into itself.":                                        "Клиента нельзя объединить с самим собой.",
		"Name is too long: at most 200 characters.":                                     "Имя слишком длинное: не более 200 символов.",
		"Company is too long: at most 200 characters.":                                  "Название компании слишком длинное: не более 200 символов.",
		"Note is too long: at most 10000 characters.":                                   "Заметка слишком длинная: не более 10000 символов.",
		"Too many phone numbers: at most 20.":                                           "Слишком много номеров: не более 20.",
		"Too many email addresses: at most 20.":                                         "Слишком много адресов: не более 20.",
		"Not a valid phone number.":                                                     "Неверный номер телефона.",
		"The page cursor is not valid.":                                                 "Неверная ссылка на страницу.",
		"A partial phone number holds only digits.":                                     "Часть номера может содержать только цифры.",
		"Client not found.":                                                             "Клиент не найден.",
		"Please correct the highlighted fields.":                                        "Исправьте отмеченные поля.",
	})
}

// Field messages of clients that name a number, an address or a client
// cannot be catalogue keys; these patterns translate them.
func init() {
	addRUPatterns(
		ruPattern{regexp.MustCompile(`^(.+) is not a valid phone number\.$`), "$1 — неверный номер телефона."},
		ruPattern{regexp.MustCompile(`^(.+) is not a valid email address\.$`), "$1 — неверный адрес эл. почты."},
		ruPattern{regexp.MustCompile(`(\S.*?) already belongs to (.+?) \(#(\d+)\)\.`), "$1 уже принадлежит клиенту $2 (#$3)."},
		ruPattern{regexp.MustCompile(`^(.+) already belongs to another client\.$`), "$1 уже принадлежит другому клиенту."},
	)
}

package web

import "fmt"

// Counts in words: {{plural .N "%d employee" "%d employees"}} picks the
// English form by n and, in Russian, one of three forms (1 сотрудник,
// 2 сотрудника, 5 сотрудников) from ruPlural, keyed by the English plural
// form. TestPluralsTranslated keeps every plural a template uses in it.
var ruPlural = map[string][3]string{}

// addRUPlural adds Russian forms (one, few, many) for English plural forms.
func addRUPlural(m map[string][3]string) {
	for k, v := range m {
		ruPlural[k] = v
	}
}

// plural formats n with the form of one/other that n takes in lang.
func plural(lang string, n int, one, other string) string {
	if lang == "ru" {
		if f, ok := ruPlural[other]; ok {
			return fmt.Sprintf(f[ruForm(n)], n)
		}
	}
	if n == 1 {
		return fmt.Sprintf(one, n)
	}
	return fmt.Sprintf(other, n)
}

// ruForm is the Russian plural form of n: 0 one (1, 21, 101), 1 few (2-4,
// 22-24), 2 many (0, 5-20, 25-30, 11-14).
func ruForm(n int) int {
	if n < 0 {
		n = -n
	}
	switch m10, m100 := n%10, n%100; {
	case m10 == 1 && m100 != 11:
		return 0
	case m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14):
		return 1
	}
	return 2
}

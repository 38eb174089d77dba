package web

// Russian texts of the shared page furniture (breadcrumbs and the like).
func init() {
	addRU(map[string]string{
		"Breadcrumb":                   "Навигационная цепочка",
		"Open tickets of missed calls": "Открытые обращения по пропущенным звонкам",
	})
}

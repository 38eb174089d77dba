package web

func init() {
	addRU(map[string]string{
		// The channel's archive switch: the archive is the data directory on
		// SQLite and the database on PostgreSQL (docs/operations.md).
		"Recordings of finished calls are copied into Ringdesk's archive and kept after UIS deletes them.": "Записи завершённых звонков копируются в архив Ringdesk и сохраняются после того, как UIS их удалит.",
		// /metrics without the scraper's token.
		"Send the metrics token: Authorization: Bearer TOKEN.": "Передайте токен метрик: Authorization: Bearer TOKEN.",
	})
}

-- Personal API tokens may carry an expiry (NULL: never expires).
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;

-- Dead letters keep the raw body as bytes, whatever they hold (invalid
-- UTF-8, NUL), exactly as received; one row per distinct body per channel
-- and kind (body_sha256 is the hex SHA-256 of raw): a repeat bumps
-- received_count and last_received_at instead of adding a row. The list
-- pages newest first by the last time a body was received. SQLite cannot
-- change a column's type, so the table is rebuilt; rows kept from before
-- get a placeholder body_sha256 ('legacy-<id>') that the store replaces
-- with the real hash at start (merging repeats).
CREATE TABLE webhook_dead_letters_new (
	id               INTEGER PRIMARY KEY,
	channel_id       INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
	kind             TEXT NOT NULL,
	raw              BLOB NOT NULL,
	body_sha256      TEXT NOT NULL,
	error            TEXT NOT NULL,
	received_at      INTEGER NOT NULL,
	last_received_at INTEGER NOT NULL,
	received_count   INTEGER NOT NULL DEFAULT 1,
	replayed_at      INTEGER,
	replay_error     TEXT NOT NULL DEFAULT ''
);
INSERT INTO webhook_dead_letters_new (id, channel_id, kind, raw, body_sha256, error, received_at, last_received_at,
		received_count, replayed_at, replay_error)
	SELECT id, channel_id, kind, CAST(raw AS BLOB), 'legacy-' || id, error, received_at, received_at,
		1, replayed_at, replay_error FROM webhook_dead_letters;
DROP TABLE webhook_dead_letters;
ALTER TABLE webhook_dead_letters_new RENAME TO webhook_dead_letters;
CREATE UNIQUE INDEX webhook_dead_letters_body_idx ON webhook_dead_letters (channel_id, kind, body_sha256);
CREATE INDEX webhook_dead_letters_recent_idx ON webhook_dead_letters (last_received_at, id);

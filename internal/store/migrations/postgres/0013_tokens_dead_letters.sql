-- Personal API tokens may carry an expiry (NULL: never expires).
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;

-- Dead letters keep the raw body as bytes, whatever they hold (a text
-- column refuses invalid UTF-8 and NUL), exactly as received; one row per
-- distinct body per channel and kind (body_sha256 is the hex SHA-256 of
-- raw): a repeat bumps received_count and last_received_at instead of
-- adding a row. The list pages newest first by the last time a body was
-- received. Rows kept from before get a placeholder body_sha256
-- ('legacy-<id>') that the store replaces with the real hash at start
-- (merging repeats), as on SQLite.
ALTER TABLE webhook_dead_letters ALTER COLUMN raw TYPE BYTEA USING convert_to(raw, 'UTF8');
ALTER TABLE webhook_dead_letters ADD COLUMN body_sha256 TEXT;
ALTER TABLE webhook_dead_letters ADD COLUMN last_received_at BIGINT;
ALTER TABLE webhook_dead_letters ADD COLUMN received_count BIGINT NOT NULL DEFAULT 1;
UPDATE webhook_dead_letters SET body_sha256 = 'legacy-' || id, last_received_at = received_at;
ALTER TABLE webhook_dead_letters ALTER COLUMN body_sha256 SET NOT NULL;
ALTER TABLE webhook_dead_letters ALTER COLUMN last_received_at SET NOT NULL;
DROP INDEX webhook_dead_letters_idx;
DROP INDEX webhook_dead_letters_recent_idx;
CREATE UNIQUE INDEX webhook_dead_letters_body_idx ON webhook_dead_letters (channel_id, kind, body_sha256);
CREATE INDEX webhook_dead_letters_recent_idx ON webhook_dead_letters (last_received_at, id);

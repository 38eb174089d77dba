-- Archived recordings kept in the database (the shared archive: every
-- instance reads them), in chunks of at most 1 MiB so no row is large and
-- a player's Range request reads only the chunks it needs. A recording
-- archived here has the path 'db:' in call_recordings.
CREATE TABLE recording_blobs (
	call_id BIGINT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
	n       INTEGER NOT NULL,
	chunk   INTEGER NOT NULL,
	data    BLOB NOT NULL,
	PRIMARY KEY (call_id, n, chunk)
);

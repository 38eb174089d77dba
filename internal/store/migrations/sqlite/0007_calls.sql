-- Calls and recordings: click-to-call double-click guard, the recordings
-- archive and indexes for the Calls page filters.

-- One row per (agent, number): the last click-to-call request. A second
-- click within the guard window finds the row recent and reuses its request
-- instead of dialling again; the upsert serialises concurrent clicks.
CREATE TABLE call_request_locks (
	agent_id    INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
	phone       TEXT NOT NULL,
	request_id  INTEGER NOT NULL REFERENCES call_requests(id) ON DELETE CASCADE,
	created_at  INTEGER NOT NULL,
	PRIMARY KEY (agent_id, phone)
);

-- Recordings copied into the data dir for channels with archive_recordings.
CREATE TABLE call_recordings (
	call_id         INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
	n               INTEGER NOT NULL,          -- 1-based index into calls.recordings
	url             TEXT NOT NULL,             -- the upstream link
	state           TEXT NOT NULL,             -- pending, done, failed
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	path            TEXT NOT NULL DEFAULT '',  -- file name inside the data dir's recordings folder
	size            INTEGER NOT NULL DEFAULT 0,
	content_type    TEXT NOT NULL DEFAULT '',
	error           TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	PRIMARY KEY (call_id, n)
);
CREATE INDEX call_recordings_due_idx ON call_recordings (state, next_attempt_at);

CREATE INDEX calls_phone_idx ON calls (contact_phone, started_at, id);
CREATE INDEX calls_channel_idx ON calls (channel_id, started_at, id);
CREATE INDEX calls_updated_idx ON calls (updated_at);
CREATE INDEX calls_finish_idx ON calls (finish_reason, started_at, id);

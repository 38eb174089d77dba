-- UIS telephony: channel tokens, calls, their raw events, dead letters,
-- click-to-call requests and the UIS employees we have seen.
CREATE TABLE channel_tokens (
	id          INTEGER PRIMARY KEY,
	channel_id  INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
	label       TEXT NOT NULL DEFAULT '',
	token_hash  TEXT NOT NULL UNIQUE,
	hint        TEXT NOT NULL DEFAULT '',   -- last 4 characters, to tell tokens apart
	created_at  INTEGER NOT NULL,
	revoked_at  INTEGER
);
CREATE INDEX channel_tokens_channel_idx ON channel_tokens (channel_id);

-- A call is a first-class record: one per (channel, UIS call_session_id),
-- never without a ticket. Its columns are a fold of its events.
CREATE TABLE calls (
	id                   INTEGER PRIMARY KEY,
	channel_id           INTEGER NOT NULL REFERENCES channels(id),
	call_session_id      INTEGER NOT NULL,
	direction            TEXT NOT NULL,         -- in, out
	state                TEXT NOT NULL,         -- ringing, talking, finished
	stage                INTEGER NOT NULL,      -- highest event stage applied (1..3)
	contact_phone        TEXT NOT NULL DEFAULT '', -- E.164, or the raw value when it is not a phone number
	contact_name         TEXT NOT NULL DEFAULT '',
	virtual_phone_number TEXT NOT NULL DEFAULT '',
	started_at           INTEGER NOT NULL,
	answered_at          INTEGER,
	finished_at          INTEGER,
	wait_seconds         INTEGER NOT NULL DEFAULT 0,
	talk_seconds         INTEGER NOT NULL DEFAULT 0,
	total_seconds        INTEGER NOT NULL DEFAULT 0,
	is_lost              INTEGER NOT NULL DEFAULT 0,
	finish_reason        TEXT NOT NULL DEFAULT '',
	lost_reason          TEXT NOT NULL DEFAULT '',
	is_transfer          INTEGER NOT NULL DEFAULT 0,
	employee_id          INTEGER,               -- the UIS employee responsible (placed / last talked)
	agent_id             INTEGER REFERENCES agents(id),
	assigned_agent_id    INTEGER,               -- the assignee telephony last gave the ticket
	details              TEXT NOT NULL DEFAULT '{}', -- JSON: employees, tags, scenario, region, legs...
	recordings           TEXT NOT NULL DEFAULT '[]', -- JSON array of UIS links
	external_id          TEXT NOT NULL DEFAULT '',
	ticket_id            INTEGER NOT NULL REFERENCES tickets(id),
	client_id            INTEGER NOT NULL REFERENCES clients(id),
	created_at           INTEGER NOT NULL,
	updated_at           INTEGER NOT NULL,
	UNIQUE (channel_id, call_session_id)
);
CREATE INDEX calls_started_idx ON calls (started_at, id);
CREATE INDEX calls_client_idx ON calls (client_id, started_at, id);
CREATE INDEX calls_ticket_idx ON calls (ticket_id, started_at, id);
CREATE INDEX calls_agent_idx ON calls (agent_id, started_at, id);
CREATE INDEX calls_lost_idx ON calls (is_lost, started_at, id);

-- Every accepted webhook, verbatim, stored in the transaction that applies it.
CREATE TABLE call_events (
	id          INTEGER PRIMARY KEY,
	call_id     INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
	kind        TEXT NOT NULL,
	stage       INTEGER NOT NULL,
	dedupe_key  TEXT NOT NULL UNIQUE,
	raw         TEXT NOT NULL,
	received_at INTEGER NOT NULL
);
CREATE INDEX call_events_call_idx ON call_events (call_id, stage, id);

-- Webhooks with a valid token that could not be understood; admins can
-- inspect and replay them.
CREATE TABLE webhook_dead_letters (
	id          INTEGER PRIMARY KEY,
	channel_id  INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
	kind        TEXT NOT NULL,
	raw         TEXT NOT NULL,
	error       TEXT NOT NULL,
	received_at INTEGER NOT NULL,
	replayed_at INTEGER,
	replay_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_dead_letters_idx ON webhook_dead_letters (channel_id, received_at);

-- Click-to-call requests: the external_id UIS echoes back names one row.
CREATE TABLE call_requests (
	id              INTEGER PRIMARY KEY,
	external_id     TEXT NOT NULL UNIQUE,
	channel_id      INTEGER NOT NULL REFERENCES channels(id),
	agent_id        INTEGER NOT NULL REFERENCES agents(id),
	client_id       INTEGER REFERENCES clients(id),
	ticket_id       INTEGER REFERENCES tickets(id),
	phone           TEXT NOT NULL,
	status          TEXT NOT NULL,          -- pending, started, failed
	call_session_id INTEGER,
	error           TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
);
CREATE INDEX call_requests_agent_idx ON call_requests (agent_id, created_at);

-- UIS employees seen in calls, so an unlinked one can be shown by name.
CREATE TABLE uis_employees (
	channel_id   INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
	employee_id  INTEGER NOT NULL,
	full_name    TEXT NOT NULL DEFAULT '',
	last_seen_at INTEGER NOT NULL,
	PRIMARY KEY (channel_id, employee_id)
);

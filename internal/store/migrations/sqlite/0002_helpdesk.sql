-- Channels, clients, tickets and the ticket timeline.
CREATE TABLE channels (
	id          INTEGER PRIMARY KEY,
	type        TEXT NOT NULL,             -- 'uis' (more types later)
	name        TEXT NOT NULL,
	active      INTEGER NOT NULL DEFAULT 1,
	settings    TEXT NOT NULL DEFAULT '{}', -- JSON, type-specific, no secrets
	secret_enc  TEXT NOT NULL DEFAULT '',   -- encrypted App Secret
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);

CREATE TABLE clients (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	company     TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT '',
	-- name_edited: an agent set the name, so telephony must not overwrite it.
	name_edited INTEGER NOT NULL DEFAULT 0,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);
CREATE INDEX clients_name_idx ON clients (name, id);
CREATE INDEX clients_updated_idx ON clients (updated_at, id);

CREATE TABLE client_phones (
	id         INTEGER PRIMARY KEY,
	client_id  INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	phone      TEXT NOT NULL UNIQUE,  -- E.164
	created_at INTEGER NOT NULL
);
CREATE INDEX client_phones_client_idx ON client_phones (client_id);

CREATE TABLE client_emails (
	id         INTEGER PRIMARY KEY,
	client_id  INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	email      TEXT NOT NULL UNIQUE,  -- lower case
	created_at INTEGER NOT NULL
);
CREATE INDEX client_emails_client_idx ON client_emails (client_id);

-- The ticket number is its id: sequential on both dialects.
CREATE TABLE tickets (
	id                INTEGER PRIMARY KEY,
	subject           TEXT NOT NULL,
	status            TEXT NOT NULL,
	priority          TEXT NOT NULL,
	type              TEXT NOT NULL,
	channel_id        INTEGER REFERENCES channels(id),
	client_id         INTEGER NOT NULL REFERENCES clients(id),
	assignee_id       INTEGER REFERENCES agents(id),
	missed            INTEGER NOT NULL DEFAULT 0,
	created_at        INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL,
	first_response_at INTEGER,
	solved_at         INTEGER
);
CREATE INDEX tickets_updated_idx ON tickets (updated_at, id);
CREATE INDEX tickets_created_idx ON tickets (created_at, id);
CREATE INDEX tickets_status_updated_idx ON tickets (status, updated_at, id);
CREATE INDEX tickets_assignee_status_idx ON tickets (assignee_id, status, updated_at, id);
CREATE INDEX tickets_client_idx ON tickets (client_id, updated_at, id);

CREATE TABLE ticket_tags (
	ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	tag       TEXT NOT NULL,
	PRIMARY KEY (ticket_id, tag)
);
CREATE INDEX ticket_tags_tag_idx ON ticket_tags (tag, ticket_id);

-- The timeline: replies, notes, audit entries and (later) calls.
CREATE TABLE ticket_events (
	id          INTEGER PRIMARY KEY,
	ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	kind        TEXT NOT NULL,      -- reply, note, status, assignee, priority, tags, call, ...
	author_type TEXT NOT NULL,      -- agent, client, system
	author_id   INTEGER,            -- agents.id for agent authors
	body        TEXT NOT NULL DEFAULT '',
	data        TEXT NOT NULL DEFAULT '{}', -- JSON: from/to for audit entries, ids for calls
	created_at  INTEGER NOT NULL
);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, created_at, id);

-- Agents, sessions, API tokens and login throttling.
-- Times are INTEGER microseconds since the Unix epoch (UTC).
CREATE TABLE agents (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL,
	email         TEXT NOT NULL UNIQUE,
	role          TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
	active        INTEGER NOT NULL DEFAULT 1,
	lang          TEXT NOT NULL DEFAULT '',
	operator_id   INTEGER UNIQUE,
	password_hash TEXT NOT NULL,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
	id           INTEGER PRIMARY KEY,
	agent_id     INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
	secret_hash  TEXT NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	ip           TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_agent_idx ON sessions (agent_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	agent_id     INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	token_hash   TEXT NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER
);
CREATE INDEX api_tokens_agent_idx ON api_tokens (agent_id);

CREATE TABLE login_failures (
	id    INTEGER PRIMARY KEY,
	email TEXT NOT NULL,
	ip    TEXT NOT NULL,
	at    INTEGER NOT NULL
);
CREATE INDEX login_failures_email_idx ON login_failures (email, at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);

-- ringdesk: rebuilds a table (foreign keys off)
-- The supervisor role: between agent and administrator, reads the call
-- reports and the wallboard. SQLite changes a CHECK constraint only by
-- rebuilding the table (foreign keys are off meanwhile, see migrate.go;
-- the tables that refer to agents keep referring to it by name).
CREATE TABLE agents_new (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL,
	email         TEXT NOT NULL UNIQUE,
	role          TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'agent')),
	active        INTEGER NOT NULL DEFAULT 1,
	lang          TEXT NOT NULL DEFAULT '',
	operator_id   INTEGER UNIQUE,
	password_hash TEXT NOT NULL,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	time_zone     TEXT NOT NULL DEFAULT '',
	available     INTEGER NOT NULL DEFAULT 1
);
INSERT INTO agents_new (id, name, email, role, active, lang, operator_id, password_hash, created_at, updated_at, time_zone, available)
	SELECT id, name, email, role, active, lang, operator_id, password_hash, created_at, updated_at, time_zone, available FROM agents;
DROP TABLE agents;
ALTER TABLE agents_new RENAME TO agents;

-- Groups of agents (Usedesk's "groups"). A deleted group is archived, not
-- removed: deleted_at is set, its memberships go and its tickets move to no
-- group, while the ticket timelines that name it still find its name.
-- name_key is the name in lower case (folded in Go: SQLite's lower() folds
-- ASCII only), unique among the groups in use.
CREATE TABLE agent_groups (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	name_key   TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER
);
CREATE UNIQUE INDEX agent_groups_name_idx ON agent_groups (name_key) WHERE deleted_at IS NULL;

CREATE TABLE group_members (
	group_id INTEGER NOT NULL REFERENCES agent_groups(id) ON DELETE CASCADE,
	agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
	PRIMARY KEY (group_id, agent_id)
);
CREATE INDEX group_members_agent_idx ON group_members (agent_id, group_id);

-- A ticket's group; NULL: no group. Only tickets with a group are indexed:
-- the group views, the group filter and archiving a group read them.
ALTER TABLE tickets ADD COLUMN group_id INTEGER REFERENCES agent_groups(id);
CREATE INDEX tickets_group_idx ON tickets (group_id, updated_at, id) WHERE group_id IS NOT NULL;

-- The agent's own "available for calls" switch.
ALTER TABLE agents ADD COLUMN available INTEGER NOT NULL DEFAULT 1;

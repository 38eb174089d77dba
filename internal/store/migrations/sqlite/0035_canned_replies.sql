-- Canned replies: reply templates agents insert into the composer. A shared
-- reply (owner_id NULL) belongs to the whole desk and administrators manage
-- it; a personal one belongs to its owner alone. title_key orders the list
-- and search_key is what a search reads: title, shortcut and body folded in
-- Go (lower case, ё as е), since SQLite's lower() folds ASCII only. A
-- shortcut is unique among the shared replies and among each agent's own.
CREATE TABLE canned_replies (
	id         INTEGER PRIMARY KEY,
	owner_id   INTEGER REFERENCES agents(id) ON DELETE CASCADE,
	title      TEXT NOT NULL,
	title_key  TEXT NOT NULL,
	body       TEXT NOT NULL,
	shortcut   TEXT NOT NULL DEFAULT '',
	search_key TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX canned_replies_owner_idx ON canned_replies (owner_id, title_key);
CREATE UNIQUE INDEX canned_replies_shortcut_idx ON canned_replies (COALESCE(owner_id, 0), shortcut) WHERE shortcut <> '';

-- Ticket search matches client names by substring, which read all 300,000
-- names of a big desk on every text search. A trigram index of the names
-- (FTS5 external content over clients, kept in step by triggers so every
-- path that writes clients is covered) finds the candidates for three
-- characters or more; the store still applies its exact test to them.
CREATE VIRTUAL TABLE clients_name_fts USING fts5 (name, content = 'clients', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO clients_name_fts (clients_name_fts) VALUES ('rebuild');

CREATE TRIGGER clients_name_fts_insert AFTER INSERT ON clients BEGIN
	INSERT INTO clients_name_fts (rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER clients_name_fts_delete AFTER DELETE ON clients BEGIN
	INSERT INTO clients_name_fts (clients_name_fts, rowid, name) VALUES ('delete', old.id, old.name);
END;
CREATE TRIGGER clients_name_fts_update AFTER UPDATE OF name ON clients BEGIN
	INSERT INTO clients_name_fts (clients_name_fts, rowid, name) VALUES ('delete', old.id, old.name);
	INSERT INTO clients_name_fts (rowid, name) VALUES (new.id, new.name);
END;

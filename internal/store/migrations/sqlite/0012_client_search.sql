-- The client list's text search (search LIKE '%q%' OR an email LIKE it)
-- read all 300,000 clients of a big desk when the term was rare or absent.
-- Trigram indexes of clients.search and client_emails.email (FTS5 external
-- content, kept in step by triggers so every path that writes them is
-- covered) find the candidates for three characters or more; the store
-- still applies its exact test to them.
CREATE VIRTUAL TABLE clients_search_fts USING fts5 (search, content = 'clients', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO clients_search_fts (clients_search_fts) VALUES ('rebuild');

CREATE TRIGGER clients_search_fts_insert AFTER INSERT ON clients BEGIN
	INSERT INTO clients_search_fts (rowid, search) VALUES (new.id, new.search);
END;
CREATE TRIGGER clients_search_fts_delete AFTER DELETE ON clients BEGIN
	INSERT INTO clients_search_fts (clients_search_fts, rowid, search) VALUES ('delete', old.id, old.search);
END;
CREATE TRIGGER clients_search_fts_update AFTER UPDATE OF search ON clients BEGIN
	INSERT INTO clients_search_fts (clients_search_fts, rowid, search) VALUES ('delete', old.id, old.search);
	INSERT INTO clients_search_fts (rowid, search) VALUES (new.id, new.search);
END;

CREATE VIRTUAL TABLE client_emails_fts USING fts5 (email, content = 'client_emails', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO client_emails_fts (client_emails_fts) VALUES ('rebuild');

CREATE TRIGGER client_emails_fts_insert AFTER INSERT ON client_emails BEGIN
	INSERT INTO client_emails_fts (rowid, email) VALUES (new.id, new.email);
END;
CREATE TRIGGER client_emails_fts_delete AFTER DELETE ON client_emails BEGIN
	INSERT INTO client_emails_fts (client_emails_fts, rowid, email) VALUES ('delete', old.id, old.email);
END;
CREATE TRIGGER client_emails_fts_update AFTER UPDATE OF email ON client_emails BEGIN
	INSERT INTO client_emails_fts (client_emails_fts, rowid, email) VALUES ('delete', old.id, old.email);
	INSERT INTO client_emails_fts (rowid, email) VALUES (new.id, new.email);
END;

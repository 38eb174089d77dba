-- Search index writes wait for the end of their transaction (SQLite only).
--
-- The trigram indexes over clients, their emails and phones, and calls'
-- numbers were written by triggers as each row changed. FTS5 keeps such
-- writes in memory until the transaction commits, unless a later statement
-- of the transaction opens a statement journal (every statement that fires
-- a trigger does): FTS5 then writes what it holds as a new segment, so a
-- webhook batch of 30 new calls wrote 150 one-row segments, which automerge
-- then merged again (over a quarter of the writer's time in a benchmark).
--
-- Now the triggers log each index change, in order, with the values the
-- index needs (a 'delete' from an external-content FTS5 table must name the
-- values that were indexed), and the store replays the log into the indexes
-- once, just before the transaction commits (store.flushSearch): one
-- segment per index per transaction, and the same index as before. The
-- log is empty outside a transaction.
CREATE TABLE search_pending (
	id     INTEGER PRIMARY KEY,
	idx    INTEGER NOT NULL, -- 1 clients_name_fts, 2 clients_search_fts, 3 client_emails_fts, 4 client_phones_fts, 5 call_numbers_fts, 6 ticket_fts (subject)
	del    INTEGER NOT NULL, -- 1: remove the value from the index, 0: add it
	row_id INTEGER NOT NULL,
	v      TEXT
);

DROP TRIGGER clients_name_fts_insert;
DROP TRIGGER clients_name_fts_delete;
DROP TRIGGER clients_name_fts_update;
CREATE TRIGGER clients_name_fts_insert AFTER INSERT ON clients BEGIN
	INSERT INTO search_pending (idx, del, row_id, v) VALUES (1, 0, new.id, new.name);
END;
CREATE TRIGGER clients_name_fts_delete AFTER DELETE ON clients BEGIN
	INSERT INTO search_pending (idx, del, row_id, v) VALUES (1, 1, old.id, old.name);
END;
CREATE TRIGGER clients_name_fts_update AFTER UPDATE OF name ON clients BEGIN
	INSERT INTO search_pending (idx, del, row_id, v) VALUES (1, 1, old.id, old.name), (1, 0, new.id, new.name);
END;

DROP TRIGGER clients_search_fts_insert;
DROP TRIGGER clients_search_fts_delete;
DROP TRIGGER clients_search_fts_update;
CREATE TRIGGER clients_search_fts_insert AFTER INSERT ON clients BEGIN
	INSERT INTO search_pending (idx, del, row_id, v) VALUES (2, 0, new.id, new.search);
END;
CREATE TRIGGER clients_search_fts_delete AFTER DELETE ON clients BEGIN
	INSERT INTO search_pending (idx, del, row_id, v) VALUES (2, 1, old.id, old.search);
END;
CREATE TRIGGER clients_search_fts_update AFTER UPDATE OF search ON clients BEGIN
	INSERT INTO search_pending (idx, del, row_id, v) VALUES (2, 1, old.id, old.search), (2, 0, new.id, new.search);
END;

DROP TRIGGER client_emails_fts_insert;
DROP TRIGGER client_emails_fts_delete;
DROP TRIGGER client_emails_fts_update;
CREATE TRIGGER client_emails_fts_insert AFTER INSERT ON client_emails BEGIN
	INSERT INTO search_pending (idx, del, row_id, v) VALUES (3, 0, new.id, new.email);
END;
CREATE TRIGGER client_emails_fts_delete AFTER DELETE ON client_emails BEGIN
	INSERT INTO search_pending (idx, del, row_id, v) VALUES (3, 1, old.id, old.email);
END;
CREATE TRIGGER client_emails_fts_update AFTER UPDATE OF email ON client_emails BEGIN
	INSERT INTO search_pending (idx, del, row_id, v) VALUES (3, 1, old.id, old.email), (3, 0, new.id, new.email);
END;

DROP TRIGGER client_phones_fts_insert;
DROP TRIGGER client_phones_fts_delete;
DROP TRIGGER client_phones_fts_update;
CREATE TRIGGER client_phones_fts_insert AFTER INSERT ON client_phones BEGIN
	INSERT INTO search_pending (idx, del, row_id, v) VALUES (4, 0, new.id, new.phone);
END;
CREATE TRIGGER client_phones_fts_delete AFTER DELETE ON client_phones BEGIN
	INSERT INTO search_pending (idx, del, row_id, v) VALUES (4, 1, old.id, old.phone);
END;
CREATE TRIGGER client_phones_fts_update AFTER UPDATE OF phone ON client_phones BEGIN
	INSERT INTO search_pending (idx, del, row_id, v) VALUES (4, 1, old.id, old.phone), (4, 0, new.id, new.phone);
END;

DROP TRIGGER call_numbers_fts_insert;
CREATE TRIGGER call_numbers_fts_insert AFTER INSERT ON call_numbers BEGIN
	INSERT INTO search_pending (idx, del, row_id, v) VALUES (5, 0, new.id, new.phone);
END;

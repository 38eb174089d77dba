-- Partial-number search (issue 16): "926123" or "8 926 123" finds the
-- numbers containing the digits, or starting with +7926123, without reading
-- every number. The beginning of a number is a range of the UNIQUE index on
-- phone; the digits anywhere need a trigram index.
--
-- Clients' numbers: an FTS5 trigram table over client_phones.phone
-- (external content, kept in step by triggers, as clients_search_fts is).
CREATE VIRTUAL TABLE client_phones_fts USING fts5 (phone, content = 'client_phones', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO client_phones_fts (client_phones_fts) VALUES ('rebuild');

CREATE TRIGGER client_phones_fts_insert AFTER INSERT ON client_phones BEGIN
	INSERT INTO client_phones_fts (rowid, phone) VALUES (new.id, new.phone);
END;
CREATE TRIGGER client_phones_fts_delete AFTER DELETE ON client_phones BEGIN
	INSERT INTO client_phones_fts (client_phones_fts, rowid, phone) VALUES ('delete', old.id, old.phone);
END;
CREATE TRIGGER client_phones_fts_update AFTER UPDATE OF phone ON client_phones BEGIN
	INSERT INTO client_phones_fts (client_phones_fts, rowid, phone) VALUES ('delete', old.id, old.phone);
	INSERT INTO client_phones_fts (rowid, phone) VALUES (new.id, new.phone);
END;

-- Calls' contact numbers: a trigram index over millions of calls would be
-- rewritten by every call event (updateCall sets every column), and the
-- same number repeats in many calls. call_numbers holds each distinct
-- contact number once, added by triggers on calls whatever writes them
-- (webhooks, reconciliation, seeds); a search finds the numbers there, then
-- their calls through calls_phone_idx. Numbers are never removed: one whose
-- calls are gone only matches no call.
CREATE TABLE call_numbers (
	id    INTEGER PRIMARY KEY,
	phone TEXT NOT NULL UNIQUE
);
INSERT INTO call_numbers (phone) SELECT DISTINCT contact_phone FROM calls WHERE contact_phone <> '' ORDER BY contact_phone;

CREATE VIRTUAL TABLE call_numbers_fts USING fts5 (phone, content = 'call_numbers', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO call_numbers_fts (call_numbers_fts) VALUES ('rebuild');

CREATE TRIGGER call_numbers_fts_insert AFTER INSERT ON call_numbers BEGIN
	INSERT INTO call_numbers_fts (rowid, phone) VALUES (new.id, new.phone);
END;

-- NOT EXISTS rather than INSERT OR IGNORE: a conflict clause of the
-- statement that fired a trigger overrides the trigger's own.
CREATE TRIGGER calls_number_insert AFTER INSERT ON calls WHEN new.contact_phone <> '' BEGIN
	INSERT INTO call_numbers (phone) SELECT new.contact_phone
		WHERE NOT EXISTS (SELECT 1 FROM call_numbers WHERE phone = new.contact_phone);
END;
CREATE TRIGGER calls_number_update AFTER UPDATE OF contact_phone ON calls
	WHEN new.contact_phone <> old.contact_phone AND new.contact_phone <> '' BEGIN
	INSERT INTO call_numbers (phone) SELECT new.contact_phone
		WHERE NOT EXISTS (SELECT 1 FROM call_numbers WHERE phone = new.contact_phone);
END;

-- Client search: a lower-cased copy of name and company, written by the
-- application (Go lower-cases every alphabet, SQL lower() only ASCII), so a
-- search for "иван" finds "Иван".
ALTER TABLE clients ADD COLUMN search TEXT NOT NULL DEFAULT '';
UPDATE clients SET search = lower(name || ' ' || company);

-- The client list walks (name, id) in order; carrying search in the same
-- index lets a text search filter without reading the table rows.
DROP INDEX clients_name_idx;
CREATE INDEX clients_name_search_idx ON clients (name, id, search);

-- Client search: a lower-cased copy of name and company, written by the
-- application (Go lower-cases every alphabet, SQL lower() only ASCII), so a
-- search for "иван" finds "Иван".
ALTER TABLE clients ADD COLUMN search TEXT NOT NULL DEFAULT '';
UPDATE clients SET search = lower(name || ' ' || company);

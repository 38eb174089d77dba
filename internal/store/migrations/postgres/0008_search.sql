-- Ticket search matches client names by substring (lower(name) LIKE '%q%'),
-- which read all 300,000 names of a big desk on every text search. A
-- pg_trgm GIN index answers it for three characters or more. pg_trgm ships
-- with PostgreSQL and is a trusted extension (a database owner may create
-- it). It goes into public when missing, not into the current schema, so
-- several ringdesk schemas in one database share it and dropping one schema
-- does not take it away from the others; the index names the operator class
-- with the schema the extension actually lives in.
DO $$
DECLARE
	ext_schema text;
BEGIN
	SELECT extnamespace::regnamespace::text INTO ext_schema FROM pg_extension WHERE extname = 'pg_trgm';
	IF ext_schema IS NULL THEN
		CREATE EXTENSION pg_trgm SCHEMA public;
		ext_schema := 'public';
	END IF;
	EXECUTE format('CREATE INDEX clients_lower_name_trgm_idx ON clients USING GIN (lower(name) %s.gin_trgm_ops)', ext_schema);
END
$$;

-- Ticket search matches client names by substring (lower(name) LIKE '%q%'),
-- which read all 300,000 names of a big desk on every text search. A
-- pg_trgm GIN index answers it for three characters or more. pg_trgm ships
-- with PostgreSQL and is a trusted extension (a database owner may create
-- it). When missing it goes into public (the current schema if there is no
-- public), not into the current schema, so several ringdesk schemas in one
-- database share it and dropping one schema does not take it from the
-- others; the index names the operator class with the schema the extension
-- actually lives in.
DO $$
DECLARE
	ext_schema text;
BEGIN
	SELECT n.nspname INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
		WHERE e.extname = 'pg_trgm';
	IF ext_schema IS NULL THEN
		ext_schema := COALESCE((SELECT nspname FROM pg_namespace WHERE nspname = 'public'), current_schema());
		EXECUTE format('CREATE EXTENSION pg_trgm SCHEMA %I', ext_schema);
	END IF;
	EXECUTE format('CREATE INDEX clients_lower_name_trgm_idx ON clients USING GIN (lower(name) %I.gin_trgm_ops)', ext_schema);
END
$$;

-- The client list's text search (search LIKE '%q%' OR an email LIKE it)
-- read all 300,000 clients of a big desk when the term was rare or absent.
-- pg_trgm GIN indexes of clients.search and client_emails.email find the
-- candidates for three characters or more. The extension is placed as in
-- 0008_search.sql; the indexes name the schema it actually lives in.
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
	EXECUTE format('CREATE INDEX clients_search_trgm_idx ON clients USING GIN (search %I.gin_trgm_ops)', ext_schema);
	EXECUTE format('CREATE INDEX client_emails_email_trgm_idx ON client_emails USING GIN (email %I.gin_trgm_ops)', ext_schema);
END
$$;

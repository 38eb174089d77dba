-- The agent's time zone for showing times: an IANA name, '' for the
-- server's default zone.
ALTER TABLE agents ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';

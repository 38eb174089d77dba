-- Call reports. The after-call work UIS reports (postprocess_time_duration)
-- counts in the average handle time, so reports read it from a column
-- rather than from every call's details JSON.
ALTER TABLE calls ADD COLUMN postprocess_seconds INTEGER NOT NULL DEFAULT 0;
UPDATE calls SET postprocess_seconds = CAST(json_extract(details, '$.postprocess_seconds') AS INTEGER)
	WHERE json_valid(details) AND json_extract(details, '$.postprocess_seconds') > 0;
-- Tickets solved per agent in a period: only solved tickets are indexed.
CREATE INDEX tickets_solved_idx ON tickets (solved_at) WHERE solved_at IS NOT NULL;

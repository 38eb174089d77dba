-- Call reports. The after-call work UIS reports (postprocess_time_duration)
-- counts in the average handle time, so reports read it from a column
-- rather than from every call's details JSON.
ALTER TABLE calls ADD COLUMN postprocess_seconds BIGINT NOT NULL DEFAULT 0;
UPDATE calls SET postprocess_seconds = (details::jsonb->>'postprocess_seconds')::bigint
	WHERE details LIKE '%"postprocess_seconds"%' AND (details::jsonb->>'postprocess_seconds')::bigint > 0;
-- Tickets solved per agent in a period: only solved tickets are indexed.
CREATE INDEX tickets_solved_idx ON tickets (solved_at) WHERE solved_at IS NOT NULL;

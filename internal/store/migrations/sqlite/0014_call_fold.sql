-- The call row keeps its events folded (ringdesk.CallFold, JSON), so a new
-- event merges into it in one step instead of re-reading every earlier
-- event of the call. Empty for calls stored before: their first new event
-- folds their stored events once.
ALTER TABLE calls ADD COLUMN fold TEXT NOT NULL DEFAULT '';
-- call_events.raw keeps the body as the bytes that arrived (SQLite stores a
-- BLOB in any column), so a body that is not valid UTF-8 is kept for audit.
-- The recording archive reads finished calls by updated_at; every event of
-- a call moves updated_at, so only finished calls are indexed.
DROP INDEX calls_updated_idx;
CREATE INDEX calls_finished_updated_idx ON calls (updated_at) WHERE state = 'finished';
-- Reconciliation applies report rows one by one; a row it cannot apply is
-- kept as a dead letter and counted here, and the pass goes on.
ALTER TABLE channel_reconcile ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
-- The UIS account's time zone as the last reconciliation read it from
-- get.account: a run refuses to read the report while it differs from the
-- channel's, and the channel page says so.
ALTER TABLE channel_reconcile ADD COLUMN uis_timezone TEXT NOT NULL DEFAULT '';

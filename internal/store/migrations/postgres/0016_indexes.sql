-- Indexes no query needs are dropped, and indexes one query needs are narrowed
-- to the rows it reads (docs/indexes.md lists which query uses each index):
-- every call event rewrites the indexes of calls and often of tickets.
DROP INDEX ticket_events_author_idx;
DROP INDEX clients_updated_idx;
DROP INDEX calls_finish_idx;
CREATE INDEX calls_busy_idx ON calls (started_at, id) WHERE finish_reason = 'subscriber_busy';
DROP INDEX calls_lost_idx;
CREATE INDEX calls_missed_idx ON calls (started_at, id) WHERE is_lost AND direction = 'in';
DROP INDEX tickets_missed_updated_idx;
CREATE INDEX tickets_missed_active_idx ON tickets (missed, updated_at, id) WHERE missed AND status IN ('new', 'open', 'pending', 'on_hold');
DROP INDEX tickets_assignee_created_idx;
DROP INDEX tickets_assignee_status_idx;
DROP INDEX tickets_channel_updated_idx;
DROP INDEX call_events_call_idx;
CREATE INDEX call_events_call_idx ON call_events (call_id, id);
DROP INDEX clients_lower_name_idx;

-- Call report rollups (issue 18): the additive figures of the calls that
-- started in one UTC hour, per channel, line, group, agent and direction
-- (0 / '' for none), kept in the transaction that writes the call. See
-- internal/ringdesk/report_rollup.go.
CREATE TABLE call_report_hours (
	hour_start INTEGER NOT NULL,
	channel_id INTEGER NOT NULL,
	line TEXT NOT NULL,
	group_id INTEGER NOT NULL,
	agent_id INTEGER NOT NULL,
	direction TEXT NOT NULL,
	calls INTEGER NOT NULL DEFAULT 0,
	answered INTEGER NOT NULL DEFAULT 0,
	answered_within INTEGER NOT NULL DEFAULT 0,
	missed INTEGER NOT NULL DEFAULT 0,
	short_abandoned INTEGER NOT NULL DEFAULT 0,
	wait_answered INTEGER NOT NULL DEFAULT 0,
	wait_missed INTEGER NOT NULL DEFAULT 0,
	max_wait_missed INTEGER NOT NULL DEFAULT 0,
	talk INTEGER NOT NULL DEFAULT 0,
	handle INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hour_start, direction, channel_id, line, group_id, agent_id)
) WITHOUT ROWID;
-- The same per hour without the agent (agent_id 0), for a report's
-- per-hour totals, and per UTC day (hour_start its midnight), for a long
-- period's per-agent sums.
CREATE TABLE call_report_hour_totals (
	hour_start INTEGER NOT NULL,
	channel_id INTEGER NOT NULL,
	line TEXT NOT NULL,
	group_id INTEGER NOT NULL,
	agent_id INTEGER NOT NULL,
	direction TEXT NOT NULL,
	calls INTEGER NOT NULL DEFAULT 0,
	answered INTEGER NOT NULL DEFAULT 0,
	answered_within INTEGER NOT NULL DEFAULT 0,
	missed INTEGER NOT NULL DEFAULT 0,
	short_abandoned INTEGER NOT NULL DEFAULT 0,
	wait_answered INTEGER NOT NULL DEFAULT 0,
	wait_missed INTEGER NOT NULL DEFAULT 0,
	max_wait_missed INTEGER NOT NULL DEFAULT 0,
	talk INTEGER NOT NULL DEFAULT 0,
	handle INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hour_start, direction, channel_id, line, group_id, agent_id)
) WITHOUT ROWID;
CREATE TABLE call_report_days (
	hour_start INTEGER NOT NULL,
	channel_id INTEGER NOT NULL,
	line TEXT NOT NULL,
	group_id INTEGER NOT NULL,
	agent_id INTEGER NOT NULL,
	direction TEXT NOT NULL,
	calls INTEGER NOT NULL DEFAULT 0,
	answered INTEGER NOT NULL DEFAULT 0,
	answered_within INTEGER NOT NULL DEFAULT 0,
	missed INTEGER NOT NULL DEFAULT 0,
	short_abandoned INTEGER NOT NULL DEFAULT 0,
	wait_answered INTEGER NOT NULL DEFAULT 0,
	wait_missed INTEGER NOT NULL DEFAULT 0,
	max_wait_missed INTEGER NOT NULL DEFAULT 0,
	talk INTEGER NOT NULL DEFAULT 0,
	handle INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (hour_start, direction, channel_id, line, group_id, agent_id)
) WITHOUT ROWID;
CREATE INDEX call_report_hours_agent_idx ON call_report_hours (agent_id, hour_start);
CREATE INDEX call_report_hour_totals_channel_idx ON call_report_hour_totals (channel_id, hour_start);
CREATE INDEX call_report_days_channel_idx ON call_report_days (channel_id, hour_start);
CREATE INDEX call_report_hours_channel_idx ON call_report_hours (channel_id, hour_start);
-- A missed call's call back (ringdesk.CallBacks): the answered call, its
-- start, whole seconds from the end of the miss, first attempt, its agent.
ALTER TABLE calls ADD COLUMN cb_call_id INTEGER;
ALTER TABLE calls ADD COLUMN cb_started_at INTEGER;
ALTER TABLE calls ADD COLUMN cb_after_seconds INTEGER;
ALTER TABLE calls ADD COLUMN cb_first_attempt BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE calls ADD COLUMN cb_agent_id INTEGER;
-- The report's call backs: one entry per missed call called back, holding
-- every column the report reads or filters on (SQLite counts the partial
-- index's own WHERE columns as uncovered).
CREATE INDEX calls_callback_idx ON calls (started_at, cb_after_seconds, cb_first_attempt, cb_agent_id, channel_id, agent_id,
	group_id, virtual_phone_number, state, is_lost, direction)
	WHERE state = 'finished' AND is_lost = TRUE AND direction = 'in' AND cb_after_seconds IS NOT NULL;
-- The missed calls a new call of the client may call back: those still
-- waiting, and those whose call back started at or after it.
CREATE INDEX calls_open_missed_idx ON calls (client_id, started_at, id)
	WHERE state = 'finished' AND is_lost = TRUE AND direction = 'in' AND cb_call_id IS NULL;
CREATE INDEX calls_called_back_idx ON calls (client_id, cb_started_at)
	WHERE state = 'finished' AND is_lost = TRUE AND direction = 'in' AND cb_call_id IS NOT NULL;
-- Rollups and call backs of the calls stored before are built at start
-- (store.Open) for the channels listed here.
CREATE TABLE report_rebuild (channel_id INTEGER PRIMARY KEY);
INSERT INTO report_rebuild (channel_id) SELECT id FROM channels;

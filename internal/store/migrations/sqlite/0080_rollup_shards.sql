-- Report rollups get a shard in their key (issue 13: PostgreSQL ingestion).
-- Every call of an hour adds to the same few rollup rows, and on PostgreSQL a
-- row written in a batch stays locked until the batch commits: the parallel
-- batch writers queued behind each other on those rows, one commit (and
-- fsync) at a time. Each writer now adds to its own shard's rows; reports sum
-- the shards (they always summed rows), and a job folds older hours' shards
-- into shard 0. SQLite has one writer: its rows are always shard 0, but the
-- schema is the same on both.
CREATE TABLE call_report_hours_new (
	hour_start INTEGER NOT NULL,
	channel_id INTEGER NOT NULL,
	line TEXT NOT NULL,
	group_id INTEGER NOT NULL,
	agent_id INTEGER NOT NULL,
	direction TEXT NOT NULL,
	shard INTEGER NOT NULL DEFAULT 0,
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
	PRIMARY KEY (hour_start, direction, channel_id, line, group_id, agent_id, shard)
) WITHOUT ROWID;
INSERT INTO call_report_hours_new (hour_start, channel_id, line, group_id, agent_id, direction, calls, answered, answered_within, missed, short_abandoned, wait_answered, wait_missed, max_wait_missed, talk, handle) SELECT hour_start, channel_id, line, group_id, agent_id, direction, calls, answered, answered_within, missed, short_abandoned, wait_answered, wait_missed, max_wait_missed, talk, handle FROM call_report_hours;
DROP TABLE call_report_hours;
ALTER TABLE call_report_hours_new RENAME TO call_report_hours;
CREATE INDEX call_report_hours_agent_idx ON call_report_hours (agent_id, hour_start);
CREATE INDEX call_report_hours_channel_idx ON call_report_hours (channel_id, hour_start);
CREATE TABLE call_report_hour_totals_new (
	hour_start INTEGER NOT NULL,
	channel_id INTEGER NOT NULL,
	line TEXT NOT NULL,
	group_id INTEGER NOT NULL,
	agent_id INTEGER NOT NULL,
	direction TEXT NOT NULL,
	shard INTEGER NOT NULL DEFAULT 0,
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
	PRIMARY KEY (hour_start, direction, channel_id, line, group_id, agent_id, shard)
) WITHOUT ROWID;
INSERT INTO call_report_hour_totals_new (hour_start, channel_id, line, group_id, agent_id, direction, calls, answered, answered_within, missed, short_abandoned, wait_answered, wait_missed, max_wait_missed, talk, handle) SELECT hour_start, channel_id, line, group_id, agent_id, direction, calls, answered, answered_within, missed, short_abandoned, wait_answered, wait_missed, max_wait_missed, talk, handle FROM call_report_hour_totals;
DROP TABLE call_report_hour_totals;
ALTER TABLE call_report_hour_totals_new RENAME TO call_report_hour_totals;
CREATE INDEX call_report_hour_totals_channel_idx ON call_report_hour_totals (channel_id, hour_start);
CREATE TABLE call_report_days_new (
	hour_start INTEGER NOT NULL,
	channel_id INTEGER NOT NULL,
	line TEXT NOT NULL,
	group_id INTEGER NOT NULL,
	agent_id INTEGER NOT NULL,
	direction TEXT NOT NULL,
	shard INTEGER NOT NULL DEFAULT 0,
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
	PRIMARY KEY (hour_start, direction, channel_id, line, group_id, agent_id, shard)
) WITHOUT ROWID;
INSERT INTO call_report_days_new (hour_start, channel_id, line, group_id, agent_id, direction, calls, answered, answered_within, missed, short_abandoned, wait_answered, wait_missed, max_wait_missed, talk, handle) SELECT hour_start, channel_id, line, group_id, agent_id, direction, calls, answered, answered_within, missed, short_abandoned, wait_answered, wait_missed, max_wait_missed, talk, handle FROM call_report_days;
DROP TABLE call_report_days;
ALTER TABLE call_report_days_new RENAME TO call_report_days;
CREATE INDEX call_report_days_channel_idx ON call_report_days (channel_id, hour_start);

-- Report rollups get a shard in their key (issue 13: PostgreSQL ingestion).
-- Every call of an hour adds to the same few rollup rows, and on PostgreSQL a
-- row written in a batch stays locked until the batch commits: the parallel
-- batch writers queued behind each other on those rows, one commit (and
-- fsync) at a time. Each writer now adds to its own shard's rows; reports sum
-- the shards (they always summed rows), and a job folds older hours' shards
-- into shard 0. SQLite has one writer: its rows are always shard 0, but the
-- schema is the same on both.
ALTER TABLE call_report_hours ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE call_report_hours DROP CONSTRAINT call_report_hours_pkey;
ALTER TABLE call_report_hours ADD PRIMARY KEY (hour_start, direction, channel_id, line, group_id, agent_id, shard);
ALTER TABLE call_report_hour_totals ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE call_report_hour_totals DROP CONSTRAINT call_report_hour_totals_pkey;
ALTER TABLE call_report_hour_totals ADD PRIMARY KEY (hour_start, direction, channel_id, line, group_id, agent_id, shard);
ALTER TABLE call_report_days ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE call_report_days DROP CONSTRAINT call_report_days_pkey;
ALTER TABLE call_report_days ADD PRIMARY KEY (hour_start, direction, channel_id, line, group_id, agent_id, shard);

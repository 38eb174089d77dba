-- UIS's own time to call a missed call back: the calls report's
-- lost_call_processing_duration in whole seconds (null: UIS reported none),
-- filled in by reconciliation and updated as UIS changes it. Not a rollup
-- column: a report reads it through calls_uis_lost_idx.
ALTER TABLE calls ADD COLUMN uis_lost_seconds INTEGER;
-- The report's UIS figure: one entry per missed call UIS reports a time
-- for, holding every column the report reads or filters on (as
-- calls_callback_idx does for our own call backs).
CREATE INDEX calls_uis_lost_idx ON calls (started_at, uis_lost_seconds, channel_id, agent_id, group_id,
	virtual_phone_number, state, is_lost, direction)
	WHERE state = 'finished' AND is_lost = TRUE AND direction = 'in' AND uis_lost_seconds IS NOT NULL;

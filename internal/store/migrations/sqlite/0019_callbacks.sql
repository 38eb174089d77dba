-- Missed calls are owned until called back: when the first missed call
-- still waiting started, and who clicked "Call back" last and when (a
-- claim that keeps other agents from calling the same client back).
ALTER TABLE tickets ADD COLUMN missed_since BIGINT;
ALTER TABLE tickets ADD COLUMN callback_agent_id BIGINT REFERENCES agents(id) ON DELETE SET NULL;
ALTER TABLE tickets ADD COLUMN callback_at BIGINT;
UPDATE tickets SET missed_since = (SELECT MIN(c.started_at) FROM calls c
	WHERE c.ticket_id = tickets.id AND c.is_lost = TRUE AND c.direction = 'in')
	WHERE missed = TRUE;

-- The dead-letter list pages newest first with a keyset cursor on
-- (received_at, id) across all channels.
CREATE INDEX webhook_dead_letters_recent_idx ON webhook_dead_letters (received_at, id);
